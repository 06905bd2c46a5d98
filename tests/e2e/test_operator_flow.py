"""The issue's "done when", in a real browser: an OPD operator, in Indonesian, describes a dataset completely,
downloads its template, uploads a file with mistakes, reads which cells to fix, uploads the corrected file, and
sees the rows in the DataStore preview and the metadata completeness at 100 %."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from .conftest import PLUGINS, WAIT

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]

TITLE = "Jumlah Penduduk Menurut Kecamatan dan Jenis Kelamin 2024"
NAME = "jumlah-penduduk-menurut-kecamatan-dan-jenis-kelamin-2024"
# What the operator types for each SDI field (field id suffix -> value).
TEXT_FIELDS = {
    "title": TITLE,
    "notes": "Jumlah penduduk menurut kecamatan dan jenis kelamin, hasil registrasi penduduk.",
    "konsep": "Penduduk",
    "definisi": "Orang yang berdomisili di wilayah Indonesia selama satu tahun atau lebih.",
    "klasifikasi": "Menurut kecamatan dan jenis kelamin",
    "ukuran": "Jumlah",
    "kode_standar_data": "SP00055.00.00",
    "tahun": "2024",
    "dasar_hukum_prioritas": "Keputusan Bupati Pasuruan tentang Daftar Data Prioritas 2024",
    "sumber_data": "Dinas Kependudukan dan Pencatatan Sipil",
    "kontak_nama": "Siti Aminah",
    "kontak_email": "data@dispendukcapil.pasuruankab.go.id",
}
# Searchable selects (select2): field -> (values, a label the widget must then show).
CODE_FIELDS = {
    "urusan": ("2.12", "Administrasi Kependudukan dan Pencatatan Sipil"),
    "satuan": ("jiwa", "Jiwa"),
    "frekuensi": ("tahunan", "Tahunan"),
    "kode_wilayah": (["35.14.14", "35.14.11"], "Bangil"),
}
PLAIN_SELECTS = {"tingkat_wilayah": "kecamatan", "klasifikasi_akses": "terbuka", "data_prioritas": "ya",
                 "cara_pengumpulan": "kompilasi_administrasi"}
VARIABLES = [
    {"alias": "kode_kecamatan", "nama": "Kecamatan", "tipe_data": "kode_wilayah",
     "definisi": "Kode Kemendagri kecamatan", "wajib": "ya", "kunci": "ya"},
    {"alias": "jenis_kelamin", "nama": "Jenis kelamin", "tipe_data": "kategori", "definisi": "Jenis kelamin",
     "klasifikasi_isian": "L=Laki-laki\nP=Perempuan", "wajib": "ya", "kunci": "ya"},
    {"alias": "jumlah_penduduk", "nama": "Jumlah penduduk", "tipe_data": "bilangan_bulat", "satuan": "jiwa",
     "definisi": "Jumlah penduduk terdaftar", "nilai_min": "0", "wajib": "ya", "kunci": "tidak"},
]
INDICATOR = {"nama": "Rasio jenis kelamin", "definisi": "Laki-laki per 100 perempuan",
             "dibangun_dari": "jumlah_penduduk"}
ALIASES = [v["alias"] for v in VARIABLES]
# Ten rows (five districts by sex); two of them get a mistake in the first upload.
ROWS = [(f"35.14.{k:02d}", sex, 1000 + 37 * k + (0 if sex == "L" else 11))
        for k in (1, 2, 3, 4, 5) for sex in ("L", "P")]
# The first upload's two mistakes: (index in ROWS, column) -> value typed instead.
MISTAKES = {(3, "kode_kecamatan"): "35.75.01",  # a district of Kota Pasuruan, not of the regency
            (7, "jumlah_penduduk"): -15}


def _wait(driver, timeout: float = WAIT) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def _body(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def _assert_texts(driver, *texts: str) -> None:
    body = _body(driver)
    missing = [t for t in texts if t not in body]
    assert not missing, f"expected text missing on the page: {missing}"


def _click(driver, target) -> None:
    """Click an element or the element a locator finds once the page shows it, scrolled to the middle of the
    window first (Bootstrap's smooth scrolling would otherwise leave it under the pointer's old position)."""
    element = _wait(driver).until(EC.presence_of_element_located(target)) if isinstance(target, tuple) else target
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    _wait(driver).until(EC.element_to_be_clickable(element))
    element.click()


def _type(driver, field_id: str, value: str) -> None:
    # A field of a group just added slides in: wait until it takes input, as a person would.
    element = _wait(driver).until(EC.presence_of_element_located((By.ID, field_id)))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    _wait(driver).until(EC.element_to_be_clickable(element))
    element.clear()
    element.send_keys(value)


def _choose_select2(driver, field_id: str, value: str | list[str], label: str) -> None:
    """Set a select2 `<select>` as its `change` handler expects and check the widget shows the label."""
    shown = driver.execute_script(
        "var $el = jQuery(arguments[0]); $el.val(arguments[1]).trigger('change');"
        "return $el.next('.select2-container').text();",
        driver.find_element(By.ID, field_id), value)
    assert label in shown, f"{field_id}: the widget shows {shown!r}, not {label!r}"


def _open_section(driver, section: str) -> None:
    details = driver.find_element(By.ID, f"section-{section}")
    if details.get_attribute("open") is None:
        _click(driver, details.find_element(By.TAG_NAME, "summary"))
    _wait(driver).until(lambda d: details.get_attribute("open") is not None)


def _add_group(driver, field: str, index: int) -> None:
    """Click the repeating field's "Tambah" control until group ``index`` exists."""
    if driver.find_elements(By.ID, f"field-{field}-{index}-nama"):
        return
    add = driver.find_element(By.CSS_SELECTOR, f"#section-{field} a[name=repeating-add]")
    assert "Tambah" in add.text
    _click(driver, add)
    _wait(driver).until(EC.visibility_of_element_located((By.ID, f"field-{field}-{index}-nama")))


def _fill_dataset_form(driver) -> None:
    for field, value in TEXT_FIELDS.items():
        _type(driver, f"field-{field}", value)
    _wait(driver).until(lambda d: d.find_element(By.ID, "field-name").get_attribute("value") == NAME)
    # Keywords through the select2 tag box, as typed (comma closes a tag).
    driver.find_element(By.CSS_SELECTOR, "#field-tag_string + .select2-container .select2-search__field") \
        .send_keys("penduduk,kependudukan,")
    _wait(driver).until(lambda d: sorted(d.find_element(By.ID, "field-tag_string").get_attribute("value").split(","))
                        == ["kependudukan", "penduduk"])
    for field, value in PLAIN_SELECTS.items():
        Select(driver.find_element(By.ID, f"field-{field}")).select_by_value(value)
    for field, (value, label) in CODE_FIELDS.items():
        _choose_select2(driver, f"field-{field}", value, label)
    _choose_select2(driver, "field-kegiatan_statistik", "registrasi-penduduk-2024", "Registrasi Penduduk 2024")

    _open_section(driver, "variabel")
    for index, variable in enumerate(VARIABLES):
        _add_group(driver, "variabel", index)
        prefix = f"field-variabel-{index}-"
        for key in ("alias", "nama", "definisi", "klasifikasi_isian", "nilai_min"):
            if key in variable:
                _type(driver, prefix + key, variable[key])
        for key in ("tipe_data", "wajib", "kunci"):
            Select(driver.find_element(By.ID, prefix + key)).select_by_value(variable[key])
        if "satuan" in variable:
            _choose_select2(driver, prefix + "satuan", variable["satuan"], "Jiwa")
    _open_section(driver, "indikator")
    for key, value in INDICATOR.items():
        _type(driver, f"field-indikator-0-{key}", value)


def _upload(driver, path: Path) -> tuple[str, str, list[tuple[str, ...]]]:
    """Send a file through the upload form; return the state, message and error rows of the status page."""
    field = _wait(driver).until(EC.presence_of_element_located((By.ID, "field-upload")))
    _assert_texts(driver, "Unggah data", "Unduh templat Excel", "Berkas (XLSX atau CSV)", "Ganti seluruh data")
    field.send_keys(str(path))
    _click(driver, (By.CSS_SELECTOR, "form.satudata-upload button[type=submit]"))
    done = ", ".join(f".satudata-upload-state[data-state={s}]" for s in ("selesai", "ditolak", "gagal"))
    state = _wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, done)))
    errors = [tuple(td.text for td in tr.find_elements(By.TAG_NAME, "td"))
              for tr in driver.find_elements(By.CSS_SELECTOR, "table.satudata-errors tbody tr")]
    return state.get_attribute("data-state"), state.text, errors


def _write_rows(sheet, rows: list[tuple]) -> None:
    """Fill the template's Data sheet below its header row, as the operator types them."""
    for index, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            sheet.cell(row=index + 2, column=column, value=value)


def _table_rows(driver) -> list[list[str]]:
    return driver.execute_script("return Array.from(document.querySelectorAll('table tbody tr'),"
                                 " tr => Array.from(tr.cells, td => td.innerText.trim()));")


def _score(driver) -> str:
    return _wait(driver).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".satudata-completeness strong"))).text


def test_operator_describes_and_loads_a_dataset(browser, ckan_server, operator_data, evidence, downloads, tmp_path):
    """An operator reaches 100 % metadata, gets the template, fixes the two reported cells and sees the data."""
    driver = browser

    with evidence.step("login"):
        driver.get(ckan_server("/user/login"))
        _assert_texts(driver, "Masuk", "Lupa password anda?")
        _type(driver, "field-login", operator_data["user"]["name"])
        _type(driver, "field-password", operator_data["password"])
        _click(driver, (By.XPATH, "//form[.//input[@id='field-login']]//button[@type='submit']"))
        _wait(driver).until(EC.url_contains("/dashboard"))
        _assert_texts(driver, "Siti Aminah", "Dasbor", "Kumpulan data")

    with evidence.step("describe the dataset"):
        driver.get(ckan_server("/dataset/new"))
        _assert_texts(driver, "Identitas data", "Judul data", "Urusan pemerintahan", "Standar data",
                      "Kode standar data", "Periode dan cakupan wilayah", "Akses dan prioritas", "Klasifikasi akses",
                      "Sumber dan kontak", "Kegiatan statistik (MS-Keg)", "Variabel (MS-Var)", "Indikator (MS-Ind)")
        _fill_dataset_form(driver)
        _click(driver, (By.CSS_SELECTOR, "#dataset-edit button[name=save]"))
        # ckan.dataset.create_on_ui_requires_resources = false: saving the form finishes the dataset, no
        # resource stage; the data comes through "Unggah data".
        _wait(driver).until(EC.url_to_be(ckan_server(f"/dataset/{NAME}")))
        score = _score(driver)
        body = _body(driver)
        assert score == "100 %", f"completeness {score!r}; the page says: {body[body.find('Kelengkapan'):][:400]}"
        _assert_texts(driver, TITLE, "Kelengkapan metadata", "Administrasi Kependudukan dan Pencatatan Sipil",
                      "Kecamatan terpilih", "Pandaan", "Bangil", "Kompilasi produk administrasi",
                      "Registrasi Penduduk 2024", "Kode wilayah Kemendagri", "L=Laki-laki", "Rasio jenis kelamin")

    with evidence.step("download the template"):
        _click(driver, (By.CSS_SELECTOR, f"a[href$='/dataset/edit/{NAME}']"))
        _click(driver, (By.LINK_TEXT, "Unggah data"))
        _wait(driver).until(EC.url_to_be(ckan_server(f"/dataset/{NAME}/unggah")))
        _click(driver, (By.PARTIAL_LINK_TEXT, "Unduh templat Excel"))
        template = downloads / f"templat-{NAME}.xlsx"
        _wait(driver).until(lambda d: template.exists() and not list(downloads.glob("*.crdownload")))
        workbook = load_workbook(template)
        assert workbook.sheetnames[:2] == ["Data", "Petunjuk"], workbook.sheetnames
        sheet = workbook["Data"]
        assert [c.value for c in sheet[1]] == ALIASES

    with evidence.step("upload a file with two mistakes"):
        wrong_rows = list(ROWS)
        for (index, alias), value in MISTAKES.items():
            row = list(wrong_rows[index])
            row[ALIASES.index(alias)] = value
            wrong_rows[index] = tuple(row)
        _write_rows(sheet, wrong_rows)
        wrong = tmp_path / "penduduk-salah.xlsx"
        workbook.save(wrong)
        state, message, errors = _upload(driver, wrong)
        assert state == "ditolak", message
        assert "2 kesalahan ditemukan; tidak ada data yang dimuat." in message
        _assert_texts(driver, "Baris", "Kolom", "Nilai", "Alasan", "Unduh laporan (XLSX)", "Unggah berkas lain")
        # Rows as Excel numbers them (the header is row 1), the column by its header, the value as typed.
        assert sorted(e[:3] for e in errors) == [
            (str(index + 2), alias, str(value)) for (index, alias), value in sorted(MISTAKES.items())], errors
        reasons = {e[1]: e[3] for e in errors}
        assert reasons["kode_kecamatan"] == "Kode wilayah 35.75.01 tidak ada dalam daftar kode wilayah yang berlaku."
        assert reasons["jumlah_penduduk"] == "Nilai lebih kecil dari batas minimum 0."

    with evidence.step("upload the corrected file"):
        _write_rows(sheet, ROWS)
        fixed = tmp_path / "penduduk-benar.xlsx"
        workbook.save(fixed)
        _click(driver, (By.LINK_TEXT, "Unggah berkas lain"))
        _wait(driver).until(EC.url_to_be(ckan_server(f"/dataset/{NAME}/unggah")))
        state, message, errors = _upload(driver, fixed)
        assert (state, errors) == ("selesai", []), message
        assert message == f"{len(ROWS)} baris dimuat."

    with evidence.step("DataStore preview"):
        _click(driver, (By.LINK_TEXT, "Lihat data"))
        frame = _wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "iframe[src*='/view/']")))
        driver.switch_to.frame(frame)
        # The DataTables view fetches the rows from the DataStore API after the frame has loaded (and may
        # redraw): wait for ten full rows (_id and the three variables), read in one script call.
        _wait(driver).until(lambda d: len([r for r in _table_rows(d) if len(r) == 4]) == len(ROWS))
        shown = {tuple(r[1:]) for r in _table_rows(driver)}
        assert shown == {(k, sex, str(n)) for k, sex, n in ROWS}, shown
        _assert_texts(driver, "Kecamatan", "Jenis kelamin", "Jumlah penduduk")
        driver.switch_to.default_content()

    with evidence.step("completeness after loading"):
        driver.get(ckan_server(f"/dataset/{NAME}"))
        assert _score(driver) == "100 %"
        _assert_texts(driver, "Kelengkapan metadata")
