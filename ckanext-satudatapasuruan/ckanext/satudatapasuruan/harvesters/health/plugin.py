"""Placeholder of the ``satudata_harvest`` plugin (owner of ``migration/satudata_harvest``)."""
from __future__ import annotations

import ckan.plugins as p


class HarvestPlugin(p.SingletonPlugin):
    pass
