"""ckanext-dcat's actions, chained: the DCAT outputs are the federation interface, so they carry exactly the
published datasets that are not rahasia, whoever asks (an OPD's own drafts stay on its pages)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ..profile import SDI_TYPES

__all__ = ["dcat_catalog_show", "dcat_catalog_search", "dcat_datasets_list", "dcat_dataset_show"]

# The search filter of everything the catalogue exports. The workflow keeps a dataset private until it is
# published, and rahasia data private always: public = published and not rahasia (the last term is a guard).
EXPORTED = f"+dataset_type:({' OR '.join(SDI_TYPES)}) +capacity:public -klasifikasi_akses:rahasia"


def _exported_only(data_dict: DataDict) -> DataDict:
    own = data_dict.get("fq")
    return dict(data_dict, fq=f"{own} {EXPORTED}" if own else EXPORTED)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(next_action: Action, context: Context, data_dict: DataDict):
    return next_action(context, _exported_only(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(next_action: Action, context: Context, data_dict: DataDict):
    return next_action(context, _exported_only(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_datasets_list(next_action: Action, context: Context, data_dict: DataDict):
    return next_action(context, _exported_only(data_dict))


@tk.chained_action
def dcat_dataset_show(next_action: Action, context: Context, data_dict: DataDict):
    """A dataset's RDF only once it is published, and never for rahasia data."""
    dataset = tk.get_action("package_show")(dict(context), {"id": data_dict.get("id")})
    if dataset.get("workflow_state") != "terbit" or dataset.get("klasifikasi_akses") == "rahasia":
        raise tk.ObjectNotFound(tk._("Dataset belum terbit atau tidak dibuka dalam katalog DCAT"))
    return next_action(context, data_dict)
