"""The source mappings give datasets CKAN accepts: converted records pass the real SDI schema validation."""
from __future__ import annotations

import json
import re

import pytest
from ckan.tests import factories, helpers

from ckanext.satudatapasuruan.harvesters import sources
from ckanext.satudatapasuruan.harvesters.opdserver.testing import running_server
from ckanext.satudatapasuruan.metadata import completeness

from ...metadata.conftest import PLUGINS
from .client import dig, walk
from .test_sources import FIELDS, SECRETS, convert

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.mark.parametrize("name", sources.names())
def test_converted_records_are_valid_datasets(name):
    """Records of the server, mapped by the definition, are created by package_create with every wajib field."""
    definition = sources.definition(name)
    org = factories.Organization(name=definition["owner_org"])
    with running_server(records=30, token=SECRETS["BPKAD_TOKEN"], api_key=SECRETS["BKPSDM_API_KEY"]) as server:
        source = sources.load(name, server.url, SECRETS)
        config = json.loads(source["config"])
        records, _ = walk(source["url"], config)
    for record in records[:: len(records) // 3]:
        dataset = convert(config["mapping"], record)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{name}-{dig(record, config['id_field'])}".lower())
        created = helpers.call_action("package_create", name=slug, owner_org=org["id"], **dataset)
        assert created["title"] == dataset["title"] and created["urusan"] == dataset["urusan"]
        assert created["tahun"] == str(dataset["tahun"])
        assert len(created["variabel"]) == len(dataset["variabel"])
        scored = completeness.score(FIELDS.values(), created, by_class={"wajib": 1, "anjuran": 1}, by_field={})
        assert {f["completeness"] for f in scored.missing} == {"anjuran"}  # every wajib field is filled
