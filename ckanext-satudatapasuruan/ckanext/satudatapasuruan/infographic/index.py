"""The search document of an infographic: its sektor (urusan pemerintahan) for the gallery's filter.

Infographics carry no urusan of their own: they take the urusan of the public datasets they link. The index
is built without a user (as CKAN's indexing is), so only datasets public at that moment count.
"""
from __future__ import annotations

from typing import Any

from ckan import model

from .links import linked_names

__all__ = ["SEKTOR", "sektor"]

SEKTOR = "sektor"


def sektor(pkg_dict: dict[str, Any]) -> list[str]:
    codes: list[str] = []
    if pkg_dict.get("urusan"):  # should the infografis schema gain an urusan field of its own
        codes.append(str(pkg_dict["urusan"]))
    for name in linked_names(pkg_dict.get("dataset_terkait")):
        package = model.Package.get(name)
        if package is None or package.state != "active" or package.private:
            continue
        code = package.extras.get("urusan")
        if code and code not in codes:
            codes.append(code)
    return codes
