import pytest
from ckan.tests import factories, helpers


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_smoke():
    org = factories.Organization()
    factories.Dataset(title="Jumlah Penduduk Kabupaten Pasuruan", owner_org=org["id"], tags=[{"name": "kependudukan"}])
    factories.Dataset(title="Angka Kemiskinan", notes="data kemiskinan 2024", owner_org=org["id"])
    r = helpers.call_action("package_search", q="penduduk", **{"facet.field": '["tags","organization"]'})
    print(r["count"], [d["title"] for d in r["results"]], r["facets"])
    assert r["count"] == 1
    r = helpers.call_action("package_search", q="miskin")
    assert r["count"] == 1
    r = helpers.call_action("package_search", q="tags:kependudukan")
    assert r["count"] == 1
    r = helpers.call_action("package_search", fq="tags:kependudukan", sort="title_string asc")
    assert r["count"] == 1
