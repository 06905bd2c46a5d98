"""Portal Satu Data Kabupaten Pasuruan: a CKAN 2.12 extension bundle."""
from setuptools import find_namespace_packages, setup

SRC = "ckanext-satudatapasuruan"

setup(
    name="ckanext-satudatapasuruan",
    version="0.1.0",
    description="Portal Satu Data Kabupaten Pasuruan: CKAN extensions for Satu Data Indonesia",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={"": SRC},
    packages=find_namespace_packages(where=SRC, include=["ckanext", "ckanext.*"]),
    # CKAN and the other ckanext-* distributions install `ckanext` as a legacy
    # namespace; declaring ours the same way lets an editable install join it.
    namespace_packages=["ckanext"],
    include_package_data=True,
    package_data={
        "": [
            "*.yaml", "*.yml", "*.json", "*.html", "*.ini", "*.mako", "*.csv", "*.po", "*.mo", "*.md", "*.txt",
            "*.pot", "*.cfg", "*.ttl", "*.js", "*.css",
        ],
    },
    install_requires=[
        "ckan[requirements]==2.12.0",
        "ckanext-scheming==3.1.0",
        "ckanext-spatial==2.3.2",
        "ckanext-dcat==2.4.4",
        "ckanext-harvest==1.6.3",
        "ckanapi==4.11",
        "psycopg2",
        "openpyxl>=3.1",
        "charset-normalizer>=3",
        "icalendar>=6",
        "segno>=1.6",
        "pillow>=10",
        "reportlab>=4.0",
        "pypdf>=5.0",
    ],
    extras_require={
        "test": ["ckan[dev]==2.12.0", "hypothesis", "ruff", "selenium", "aiosmtpd", "pyshacl==0.40.1", "pyzbar"],
    },
    entry_points={
        "ckan.plugins": [
            "satudata_pgsearch = ckanext.satudatapasuruan.pgsearch.plugin:PgSearchPlugin",
            "satudata_metadata = ckanext.satudatapasuruan.metadata.plugin:MetadataPlugin",
            "satudata_entry = ckanext.satudatapasuruan.entry.plugin:EntryPlugin",
            "satudata_workflow = ckanext.satudatapasuruan.workflow.plugin:WorkflowPlugin",
            "satudata_harvest = ckanext.satudatapasuruan.harvesters.health.plugin:HarvestPlugin",
            "satudata_opd = ckanext.satudatapasuruan.harvesters.opd.harvester:OpdHarvester",
            "satudata_geospasial = ckanext.satudatapasuruan.harvesters.geo.harvester:SatuDataGeoHarvester",
            "satudata_csw = ckanext.satudatapasuruan.harvesters.geo.csw:SatuDataCswPlugin",
            "satudata_csw_harvester = ckanext.satudatapasuruan.harvesters.geo.csw:SatuDataCswHarvester",
            "satudata_dcat = ckanext.satudatapasuruan.dcat.plugin:DcatPlugin",
            "satudata_dcat_harvester = ckanext.satudatapasuruan.harvesters.dcat.harvester:SatuDataDcatHarvester",
            "satudata_theme = ckanext.satudatapasuruan.theme.plugin:ThemePlugin",
            "satudata_calendar = ckanext.satudatapasuruan.calendar.plugin:CalendarPlugin",
            "satudata_infographic = ckanext.satudatapasuruan.infographic.plugin:InfographicPlugin",
            "satudata_feedback = ckanext.satudatapasuruan.feedback.plugin:FeedbackPlugin",
            "satudata_dashboard = ckanext.satudatapasuruan.dashboard.plugin:DashboardPlugin",
            "satudata_pages = ckanext.satudatapasuruan.pages.plugin:PagesPlugin",
            "satudata_quality = ckanext.satudatapasuruan.quality.plugin:QualityPlugin",
            "satudata_kamus = ckanext.satudatapasuruan.kamus.plugin:KamusPlugin",
            "satudata_rekomendasi = ckanext.satudatapasuruan.rekomendasi.plugin:RekomendasiPlugin",
            "satudata_daftardata = ckanext.satudatapasuruan.daftardata.plugin:DaftarDataPlugin",
            "satudata_monev = ckanext.satudatapasuruan.monev.plugin:MonevPlugin",
        ],
        "ckan.rdf.profiles": [
            "satudata = ckanext.satudatapasuruan.dcat.profile:SatuDataProfile",
        ],
        "pytest11": [
            "satudata_pgsearch = ckanext.satudatapasuruan.pgsearch.testing",
        ],
    },
)
