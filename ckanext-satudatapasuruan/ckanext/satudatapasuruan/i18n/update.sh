#!/usr/bin/env bash
# Refresh the bundle's gettext catalogue (domain ckanext-satudatapasuruan): extract the msgids of our
# Python code and templates into the .pot, merge them into the id and en catalogues, compile the .mo
# files CKAN loads.
#
# Our msgids are Indonesian: the en catalogue translates them, the id catalogue leaves them empty.
# The id catalogue also gives Indonesian to the CKAN core and ckanext-scheming messages our users
# meet (validation errors of the dataset form and the action API) that CKAN's own id catalogue leaves
# in English; CKAN merges plugin catalogues after its own, so ours fills those gaps. That list is
# recomputed on every run, so an upgrade of CKAN or scheming brings its new gaps in as empty msgstr.
#
# Usage: ckanext-satudatapasuruan/ckanext/satudatapasuruan/i18n/update.sh
# then fill the empty (or fuzzy) msgstr in en/ and the upstream ones in id/, and run it again to
# compile. tests/i18n fails while an English translation is missing or a .mo is stale.
set -euo pipefail

I18N="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PKG="$(dirname "$I18N")"
ROOT="$(cd "$PKG/../../.." && pwd)"
DOMAIN=ckanext-satudatapasuruan
POT="$I18N/$DOMAIN.pot"
BIN="${VENV_BIN:-$ROOT/.venv/bin}"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

VERSION="$("$BIN/python" -c 'import importlib.metadata as m; print(m.version("ckanext-satudatapasuruan"))')"

# 1. Our msgids. Run from the package directory: babel.cfg's patterns and the locations are relative to it.
(cd "$PKG" && "$BIN/pybabel" -q extract -F i18n/babel.cfg -o "$POT" \
    --project "$DOMAIN" --version "$VERSION" --copyright-holder "ckanext-satudatapasuruan authors" \
    --add-comments "TRANSLATORS:" .)

# 2. The id template: our msgids plus the upstream messages CKAN's id catalogue has no translation for.
"$BIN/python" - "$POT" "$TMP/id.pot" <<'PY'
import os
import sys

import ckan
import ckanext.scheming
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

pot_path, out_path = sys.argv[1:]
ckan_dir = os.path.dirname(ckan.__file__)
scheming_dir = os.path.dirname(ckanext.scheming.__file__)
# CKAN modules whose messages reach our users: validators of the dataset and organization schemas,
# and the action API's own errors.
CORE = ("logic/validators.py", "lib/navl/validators.py", "logic/converters.py", "views/api.py")
SCHEMING = [("tests/**", "ignore"), ("2.8_templates/**", "ignore"),
            ("**.py", "python"), ("templates/**.html", "ckan")]


def upstream():
    for name, lineno, msgid, _comments, _context in extract_from_dir(scheming_dir, SCHEMING):
        yield "ckanext/scheming/" + name, lineno, msgid
    for name in CORE:
        for lineno, msgid, _comments, _context in extract_from_file("python", os.path.join(ckan_dir, name)):
            yield "ckan/" + name, lineno, msgid


with open(pot_path, "rb") as f:
    catalog = read_po(f)
with open(os.path.join(ckan_dir, "i18n", "id", "LC_MESSAGES", "ckan.mo"), "rb") as f:
    ckan_id = read_mo(f)
for location, lineno, msgid in upstream():
    # Plural messages are left to CKAN: none of them is a validation error.
    if not isinstance(msgid, str) or (msgid in ckan_id and ckan_id[msgid].string):
        continue
    catalog.add(msgid, locations=[(location, lineno)],
                auto_comments=["CKAN/ckanext-scheming message without a translation in CKAN's id catalogue"])
with open(out_path, "wb") as f:
    write_po(f, catalog)
PY

# 3. Merge into the catalogues (a changed msgid keeps its old translation as fuzzy, which is not compiled).
"$BIN/pybabel" -q update -D "$DOMAIN" -d "$I18N" -l en -i "$POT" \
    --init-missing --ignore-obsolete --ignore-pot-creation-date
"$BIN/pybabel" -q update -D "$DOMAIN" -d "$I18N" -l id -i "$TMP/id.pot" \
    --init-missing --ignore-obsolete --ignore-pot-creation-date

# 4. Compile. Babel refuses a %-placeholder mismatch here; {name} ones are checked by tests/i18n.
"$BIN/pybabel" compile -D "$DOMAIN" -d "$I18N" --statistics
