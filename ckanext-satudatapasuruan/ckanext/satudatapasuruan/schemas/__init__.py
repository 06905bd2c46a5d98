"""ckanext-scheming schemas of the portal, loaded as ``ckanext.satudatapasuruan.schemas:<file>.yaml``."""
