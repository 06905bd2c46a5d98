"""The bundle's gettext catalogue: complete in English, placeholders kept, .mo files up to date, served by locale."""
from __future__ import annotations

import gettext
import os
import re
from collections import Counter
from typing import Any

import ckan
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from ckan.tests import factories

import ckanext.satudatapasuruan as package

from ..metadata.conftest import PLUGINS, complete_dataset

DOMAIN = "ckanext-satudatapasuruan"
PACKAGE_DIR = os.path.dirname(package.__file__)
I18N_DIR = os.path.join(PACKAGE_DIR, "i18n")
MAPPING = os.path.join(I18N_DIR, "babel.cfg")
LOCALES = ("en", "id")
UPDATE = "run ckanext-satudatapasuruan/ckanext/satudatapasuruan/i18n/update.sh"

# {name}, {0}, {}, {x:>3}; %s, %(name)s, %r, %d, %.2f — not %%.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdirfxXeEgGc]")
_MISSING = "\x00missing\x00"


class _Missing(gettext.NullTranslations):
    """Fallback that tells "no translation" apart from a translation equal to its msgid ("Status")."""

    def gettext(self, message: str) -> str:
        return _MISSING

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return _MISSING


def po_path(locale: str) -> str:
    return os.path.join(I18N_DIR, locale, "LC_MESSAGES", f"{DOMAIN}.po")


def mo_path(locale: str) -> str:
    return os.path.join(I18N_DIR, locale, "LC_MESSAGES", f"{DOMAIN}.mo")


def read_catalog(locale: str) -> Catalog:
    with open(po_path(locale), "rb") as f:
        return read_po(f, locale=locale)


def compiled(locale: str) -> gettext.GNUTranslations:
    with open(mo_path(locale), "rb") as f:
        translations = gettext.GNUTranslations(f)
    translations.add_fallback(_Missing())
    return translations


def extracted() -> dict[str | tuple[str, ...], list[str]]:
    """Every msgid of our code and templates, extracted as update.sh does, with where it is used."""
    with open(MAPPING) as f:
        method_map, options_map = parse_mapping_cfg(f, MAPPING)
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(PACKAGE_DIR, method_map, options_map):
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def is_upstream(message: Any) -> bool:
    """A CKAN core or ckanext-scheming message carried by our id catalogue (see update.sh)."""
    return any(name.startswith(("ckan/", "ckanext/")) for name, _line in message.locations)


def placeholders(text: str) -> tuple[list[str], Counter]:
    """Positional %-placeholders in order (their order matters), the others as a multiset."""
    found = PLACEHOLDER.findall(text)
    positional = [p for p in found if p.startswith("%") and not p.startswith("%(")]
    return positional, Counter(p for p in found if p not in positional)


class TestCatalogue:
    def test_extraction_finds_template_and_python_messages(self):
        """The mapping reaches both Python code and templates with CKAN tags, so the checks below mean something."""
        where = [loc for locs in extracted().values() for loc in locs]
        assert any(".py:" in loc for loc in where)
        assert any("/templates/" in loc for loc in where)

    def test_every_msgid_has_an_english_translation(self):
        """Each msgid in our code and templates has a non-empty English msgstr in the compiled en catalogue."""
        english = compiled("en")
        missing = []
        for message, where in extracted().items():
            if isinstance(message, tuple):
                text = english.ngettext(message[0], message[1], 1)
            else:
                text = english.gettext(message)
            if text in (_MISSING, ""):
                missing.append(f"{message!r} ({', '.join(where)})")
        assert not missing, f"untranslated in en ({UPDATE}, translate, run it again):\n" + "\n".join(missing)

    def test_pot_is_up_to_date(self):
        """The .pot holds exactly the msgids the code uses today."""
        with open(os.path.join(I18N_DIR, f"{DOMAIN}.pot"), "rb") as f:
            pot = {m.id for m in read_po(f) if m.id}
        assert pot == set(extracted()), UPDATE

    @pytest.mark.parametrize("locale", LOCALES)
    def test_placeholders_are_kept(self, locale):
        """{name}, %s and %(x)s placeholders are the same in msgid and msgstr for every translated entry."""
        wrong = []
        for message in read_catalog(locale):
            if not message.id or not message.string:
                continue
            if isinstance(message.id, tuple):  # plural forms pair up with singular, plural
                pairs = zip(message.id, message.string, strict=False)
            else:
                pairs = [(message.id, message.string)]
            for msgid, msgstr in pairs:
                if msgstr and placeholders(msgid) != placeholders(msgstr):
                    wrong.append(f"{msgid!r} -> {msgstr!r}")
        assert not wrong, "\n".join(wrong)

    @pytest.mark.parametrize("locale", LOCALES)
    def test_mo_matches_po(self, locale, tmp_path):
        """The committed .mo holds the same messages as the .po compiled now (fuzzy entries left out)."""
        fresh = tmp_path / f"{DOMAIN}.mo"
        with open(fresh, "wb") as f:
            write_mo(f, read_catalog(locale))

        def messages(path) -> dict[Any, Any]:
            # Plural messages come back from babel's read_mo as lists: tuples, to key and compare them.
            def frozen(value):
                return tuple(value) if isinstance(value, list) else value

            with open(path, "rb") as f:
                return {frozen(m.id): frozen(m.string) for m in read_mo(f) if m.id}

        assert messages(mo_path(locale)) == messages(fresh), UPDATE

    def test_indonesian_plural_forms_match_ckan(self):
        """CKAN takes the plural rule of the last catalogue merged (ours): it must be Indonesian's one form."""
        assert read_catalog("id").plural_forms == "nplurals=1; plural=0;"
        assert read_catalog("en").num_plurals == 2

    def test_upstream_messages_have_indonesian(self):
        """Each CKAN/scheming message that CKAN's id catalogue lacks has an Indonesian msgstr in ours."""
        missing = [m.id for m in read_catalog("id") if m.id and is_upstream(m) and (not m.string or m.fuzzy)]
        assert not missing, "\n".join(map(repr, missing))

    def test_ckan_does_not_translate_our_indonesian_msgids(self):
        """No msgid of ours collides with an English msgid CKAN's id catalogue translates (it would win)."""
        with open(os.path.join(os.path.dirname(ckan.__file__), "i18n", "id", "LC_MESSAGES", "ckan.mo"), "rb") as f:
            ckan_id = read_mo(f)
        ours = read_catalog("id")
        hijacked = [
            msgid for msgid in extracted()
            if isinstance(msgid, str) and msgid in ckan_id and ckan_id[msgid].string not in ("", msgid)
            and not (msgid in ours and ours[msgid].string)
        ]
        assert not hijacked, f"set msgstr = msgid in the id catalogue for: {hijacked}"


STANDARD_CODE_ID = "Kode standar data harus berbentuk XX99999.99.99"
STANDARD_CODE_EN = "The data standard code must have the form XX99999.99.99"


@pytest.fixture
def token():
    return factories.SysadminWithToken()["token"]


@pytest.fixture
def org():
    return factories.Organization(name="dispendukcapil")


def api_errors(app, path: str, token: str, data: dict[str, Any]) -> dict[str, Any]:
    response = app.post(path, json=data, headers={"Authorization": token}, status=409)
    return response.json["error"]


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestThroughCkan:
    """CKAN picks the locale from a /<locale>/ URL prefix, API paths included (I18nMiddleware strips it
    and sets CKAN_LANG); without a prefix the locale is ckan.locale_default."""

    @pytest.mark.ckan_config("ckan.locale_default", "id")
    def test_en_prefix_gives_english_api_errors(self, app, token, org):
        """/en/api/... answers a validation error in English on an Indonesian portal."""
        errors = api_errors(app, "/en/api/3/action/package_create", token,
                            complete_dataset(org["id"], kode_standar_data="salah"))
        assert errors["kode_standar_data"][0].startswith(STANDARD_CODE_EN)

    @pytest.mark.ckan_config("ckan.locale_default", "id")
    def test_unprefixed_api_uses_the_default_locale_id(self, app, token, org):
        """Without a prefix the API speaks the portal's default, Indonesian."""
        errors = api_errors(app, "/api/3/action/package_create", token,
                            complete_dataset(org["id"], kode_standar_data="salah"))
        assert errors["kode_standar_data"][0].startswith(STANDARD_CODE_ID)

    @pytest.mark.ckan_config("ckan.locale_default", "en")
    def test_unprefixed_api_uses_the_default_locale_en(self, app, token, org):
        """With English as the default the unprefixed API answers in English."""
        errors = api_errors(app, "/api/3/action/package_create", token,
                            complete_dataset(org["id"], kode_standar_data="salah"))
        assert errors["kode_standar_data"][0].startswith(STANDARD_CODE_EN)

    @pytest.mark.ckan_config("ckan.locale_default", "en")
    def test_id_prefix_gives_indonesian_scheming_errors(self, app, token, org):
        """/id/ turns scheming's English 'unexpected choice' into Indonesian from our catalogue."""
        errors = api_errors(app, "/id/api/3/action/package_create", token,
                            complete_dataset(org["id"], frekuensi="kadang-kadang"))
        assert errors["frekuensi"] == ['pilihan tidak dikenal "kadang-kadang"']
