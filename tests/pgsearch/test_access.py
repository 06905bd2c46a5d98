"""A private dataset never reaches someone outside its organisation through search."""
from __future__ import annotations

import pytest
from ckan.lib.search.common import SearchError
from ckan.tests import factories, helpers

SECRET = "contoh-rahasia"


def search(user: str = "", **params):
    return helpers.call_action("package_search", context={"user": user, "ignore_auth": False}, **params)


def leaked(result) -> bool:
    text = repr(result)
    return SECRET in text or "rahasiasekali" in text or "Rahasia Pasien" in text


@pytest.mark.usefixtures("catalogue")
class TestPrivateDatasets:
    @pytest.mark.parametrize("params", [
        {"q": "rahasiasekali"},
        {"q": "tags:rahasiasekali"},
        {"q": "name:contoh-rahasia"},
        {"q": "title:rahasia"},
        {"q": "*:*", "fl": ["name", "title", "tags"]},
        {"q": "*:*", "rows": 1000},
        {"fq": "capacity:private"},
        {"fq": "+capacity:private OR +capacity:public"},
        {"fq": "*:* OR capacity:private"},
        {"fq": "permission_labels:*"},
        {"fq": '-permission_labels:"public"'},
        {"q": "rahasiasekali", "include_private": True},
        {"q": "rahasiasekali", "include_drafts": True, "include_deleted": True},
        {"q": "*:*", "facet.field": ["tags", "name", "title_string", "permission_labels", "capacity"],
         "facet.limit": -1},
        {"q": "rahasia*"},
        {"q": "{!lucene}rahasiasekali"},
        {"fq": "{!bool should=capacity:private}"},
        {"fq": " OR "},
        {"fq": "OR capacity:private"},
        {"q": "rahasiasekali", "fq": " OR capacity:private OR "},
    ])
    def test_anonymous_never_sees_it(self, params):
        """No query, filter, field list or facet returns the private dataset to the public."""
        try:
            result = search(**params)
        except SearchError:
            return  # refused outright: nothing leaked
        assert not leaked(result)

    def test_other_organisation_member_never_sees_it(self, catalogue):
        """A logged-in user of another OPD does not see it even with include_private."""
        user = factories.User()
        factories.Organization(users=[{"name": user["name"], "capacity": "admin"}])
        result = search(user["name"], q="rahasiasekali", include_private=True,
                        **{"facet.field": ["tags"], "facet.limit": -1})
        assert not leaked(result)

    def test_owner_sees_it(self, catalogue):
        """An editor of the owning OPD finds it when asking for private datasets."""
        result = search(catalogue["owner"]["name"], q="rahasiasekali", include_private=True)
        assert [d["name"] for d in result["results"]] == [SECRET]

    def test_sysadmin_sees_it(self):
        """Sysadmins (the walidata's administrators) see everything."""
        admin = factories.Sysadmin()
        result = search(admin["name"], q="rahasiasekali", include_private=True)
        assert result["count"] == 1

    def test_http_api_does_not_leak(self, app):
        """The public HTTP API answers without the dataset, and bad syntax is a 400."""
        response = app.get("/api/3/action/package_search", query_string={"q": "rahasiasekali"})
        assert response.status_code == 200
        assert response.json["result"]["count"] == 0
        response = app.get("/api/3/action/package_search",
                           query_string={"q": "title:(padi", "facet.field": '["tags"]'})
        assert response.status_code == 400
        assert "Search Query Error" in response.get_data(as_text=True)
        assert not leaked(response.get_data(as_text=True))
