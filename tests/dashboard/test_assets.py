"""The chart assets: Chart.js vendored from the npm pin, the webassets bundles, and the `satudata-chart` module
drawing, relabelling and redrawing a real chart in headless Chromium."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from ckan.plugins import toolkit as tk

import ckanext.satudatapasuruan.dashboard as dashboard

ASSETS = Path(dashboard.__file__).parent / "assets"
VENDORED = ASSETS / "vendor" / "chart.umd.min.js"
JQUERY = Path(tk.__file__).parents[1] / "public" / "base" / "vendor" / "jquery.js"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def _pin() -> str:
    return json.loads((ASSETS / "package.json").read_text())["dependencies"]["chart.js"]


class TestVendoredChartJs:
    def test_banner_matches_the_npm_pin(self):
        """The vendored file is the version package.json pins (an exact version), and the lock file agrees."""
        pin = _pin()
        assert re.fullmatch(r"\d+\.\d+\.\d+", pin), "pin an exact chart.js version"
        banner = VENDORED.read_text(encoding="utf-8")[:200]
        assert re.search(r"Chart\.js v(\S+)", banner).group(1) == pin
        lock = json.loads((ASSETS / "package-lock.json").read_text())
        assert lock["packages"]["node_modules/chart.js"]["version"] == pin

    def test_licences_beside_it(self):
        """Chart.js and the colour library bundled in its UMD build are MIT; their licences ship with it."""
        for name in ("chart.js-LICENSE.md", "kurkle-color-LICENSE.md"):
            assert "MIT License" in (ASSETS / "vendor" / name).read_text(encoding="utf-8")

    def test_no_source_map_reference_and_no_node_modules(self):
        """The shipped file names no missing .map; node_modules is kept out of the repository."""
        assert "sourceMappingURL" not in VENDORED.read_text(encoding="utf-8")[-300:]
        assert "node_modules/" in (ASSETS / ".gitignore").read_text().split()
        assert os.access(ASSETS / "vendor.sh", os.X_OK)

    @pytest.mark.skipif(not (ASSETS / "node_modules" / "chart.js").is_dir(), reason="run `npm ci` in assets/ first")
    def test_vendor_script_reproduces_the_file(self, tmp_path):
        """vendor.sh rebuilds exactly the committed file from node_modules."""
        copy = tmp_path / "assets"
        shutil.copytree(ASSETS, copy, ignore=shutil.ignore_patterns("vendor"), symlinks=True)
        subprocess.run(["bash", str(copy / "vendor.sh")], check=True, capture_output=True)
        assert (copy / "vendor" / "chart.umd.min.js").read_bytes() == VENDORED.read_bytes()


class TestBundles:
    def test_webassets_contents_exist(self):
        """Every file the bundles list exists; the JS bundle loads Chart.js before the module, after CKAN's."""
        bundles = yaml.safe_load((ASSETS / "webassets.yml").read_text())
        assert set(bundles) == {"chart-js", "chart-css"}
        for bundle in bundles.values():
            for item in bundle["contents"]:
                assert (ASSETS / item).is_file(), item
        assert bundles["chart-js"]["contents"] == ["vendor/chart.umd.min.js", "satudata-chart.js"]
        assert bundles["chart-js"]["extra"]["preload"] == ["base/main"]

    @pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
    def test_module_is_valid_javascript(self):
        """The module parses."""
        subprocess.run(["node", "--check", str(ASSETS / "satudata-chart.js")], check=True)


HARNESS = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>uji</title>
<style>{css}</style></head><body><main>
<script src="{jquery}"></script>
<script>
  // CKAN's module registry and $.proxyAll, reduced to what one module needs.
  window.__factories = {{}};
  window.ckan = {{module: function (name, factory) {{ window.__factories[name] = factory; }}}};
  jQuery.proxyAll = function (obj, pattern) {{
    for (var key in obj) {{
      if (typeof obj[key] === 'function' && pattern.test(key)) {{ obj[key] = jQuery.proxy(obj[key], obj); }}
    }}
  }};
</script>
<script src="{chart}"></script>
<script src="{module}"></script>
{snippet}
<script>
  var el = jQuery('[data-module="satudata-chart"]');
  var def = window.__factories['satudata-chart'].call(window.ckan, jQuery);
  var options = jQuery.extend({{}}, def.options, {{type: el.data('moduleType'), resourceId: el.data('moduleResourceId'),
    endpoint: el.data('moduleEndpoint'), limit: el.data('moduleLimit'), tableRows: el.data('moduleTableRows')}});
  window.__module = jQuery.extend({{}}, def, {{el: el, options: options}});
  window.__module.initialize();
</script></main></body></html>"""

DATA = {"labels": ["2022", "2023", "2024"], "values": [1200, 1250.5, None], "total": 3, "rows_read": 3,
        "truncated": False}


def _snippet(app) -> str:
    spec_fields = {"tahun": {"id": "tahun", "type": "int4", "label": "Tahun"},
                   "kecamatan": {"id": "kecamatan", "type": "text", "label": "Kecamatan"},
                   "jumlah": {"id": "jumlah", "type": "int4", "label": "Jumlah penduduk"},
                   "luas": {"id": "luas", "type": "numeric", "label": "Luas wilayah"}}
    with app.flask_app.test_request_context():
        return tk.render_snippet("satudata_dashboard/snippets/chart.html", {
            "chart_id": "grafik-uji", "data": DATA, "summary": "3 titik data.", "label_title": "Tahun",
            "value_title": "Jumlah penduduk", "chart_type": "bar", "unit": "Jiwa", "table_rows": 20,
            "resource_id": "res-uji", "fields": spec_fields, "label_fields": ["tahun", "kecamatan"],
            "value_fields": ["jumlah", "luas"], "label_field": "tahun", "value_field": "jumlah", "row_limit": 500})


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(f"Browser test needs Debian's chromium and chromium-driver ({', '.join(missing)} missing)")
    options = webdriver.ChromeOptions()
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=360,800",
                "--allow-file-access-from-files"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    # A phone's viewport (headless windows have a larger minimum width).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.ckan_config("ckan.plugins", "satudata_dashboard")
@pytest.mark.usefixtures("with_plugins")
def test_module_draws_and_redraws_in_a_browser(app, browser, tmp_path):
    """In Chromium at 360 px: the canvas is shown and drawn with the data, labelled for screen readers, fits
    the width; choosing another column redraws the chart and rewrites the caption and table."""
    page = tmp_path / "chart.html"
    page.write_text(HARNESS.format(css=(ASSETS / "satudata-chart.css").read_text(), jquery=JQUERY.as_uri(),
                                   chart=VENDORED.as_uri(), module=(ASSETS / "satudata-chart.js").as_uri(),
                                   snippet=_snippet(app)), encoding="utf-8")
    browser.get(page.as_uri())
    state = browser.execute_script("""
        var canvas = document.querySelector('canvas'); var chart = Chart.getChart(canvas);
        return {hidden: canvas.parentNode.hidden, type: chart && chart.config.type, labels: chart && chart.data.labels,
                values: chart && chart.data.datasets[0].data, aria: canvas.getAttribute('aria-label'),
                role: canvas.getAttribute('role'), width: canvas.getBoundingClientRect().width,
                scroll: document.documentElement.scrollWidth, viewport: window.innerWidth};""")
    assert state["hidden"] is False and state["type"] == "bar"
    assert state["labels"] == ["2022", "2023", "2024"] and state["values"] == [1200, 1250.5, None]
    assert state["role"] == "img" and state["aria"].startswith("Grafik batang: Jumlah penduduk (Jiwa) menurut Tahun")
    assert state["viewport"] == 360 and 200 < state["width"] <= 360 and state["scroll"] <= 360
    # Another value column: the module asks datastore_search (answered here by a stub) and redraws.
    state = browser.execute_script("""
        var asked = null;
        jQuery.ajax = function (settings) { asked = settings;
          return jQuery.Deferred().resolve({result: {total: 2, records: [
            {kecamatan: 'Bangil', luas: '44.1'}, {kecamatan: 'Pandaan', luas: null}]}}).promise(); };
        jQuery('#grafik-uji-label').val('kecamatan');
        jQuery('#grafik-uji-value').val('luas').trigger('change');
        var chart = Chart.getChart(document.querySelector('canvas'));
        return {asked: asked.data, labels: chart.data.labels, values: chart.data.datasets[0].data,
                label: chart.data.datasets[0].label, aria: document.querySelector('canvas').getAttribute('aria-label'),
                summary: document.querySelector('.satudata-chart-summary').textContent,
                rows: jQuery('table tbody tr').map(function () { return jQuery(this).text(); }).get(),
                status: document.querySelector('[role=status]').textContent};""")
    assert state["asked"] == {"resource_id": "res-uji", "fields": "kecamatan,luas", "sort": "_id", "limit": 500}
    assert state["labels"] == ["Bangil", "Pandaan"] and state["values"] == [44.1, None]
    assert state["label"] == "Luas wilayah" and "Luas wilayah menurut Kecamatan" in state["aria"]
    assert state["summary"].startswith("2 titik data; tertinggi 44,1 (Bangil), terendah 44,1 (Bangil).")
    assert state["rows"] == ["Bangil44,1", "Pandaan–"] and state["status"] == "Grafik diperbarui."
