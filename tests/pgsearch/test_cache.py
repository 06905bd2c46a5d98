"""The search result cache: served within one index generation, never across a committed write or a viewer."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.logic import index_update_package
from ckan.tests import factories, helpers

from ckanext.satudatapasuruan.pgsearch import cache, config


def generation() -> int:
    return model.Session.execute(sa.text("SELECT last_value FROM satudata_search.generation")).scalar()


def retitle_behind_the_engine(name: str, title: str) -> None:
    """Change an index row on another connection without advancing the generation (what no writer does):
    a search that still answers the old title was served from the cache."""
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text("UPDATE satudata_search.document SET doc = jsonb_set(doc, '{title}', to_jsonb("
                             "CAST(:t AS text))) WHERE doc->>'name' = :n"), {"t": title, "n": name})


def titles(**params) -> list[str]:
    """Titles as the index stores them (``fl``: the raw documents, not the stored dataset dicts)."""
    return [d["title"] for d in helpers.call_action("package_search", fl="name,title", **params)["results"]]


@pytest.fixture
def catalogue(clean_db, clean_index):
    cache.clear()
    org = factories.Organization()
    factories.Dataset(name="data-cache", title="Judul Lama", owner_org=org["id"])
    model.Session.commit()
    return org


@pytest.mark.usefixtures("catalogue")
class TestResultCache:
    def test_repeated_search_is_served_from_the_cache(self):
        """The second identical search within a generation does not read the index again."""
        assert titles(q="name:data-cache") == ["Judul Lama"]
        retitle_behind_the_engine("data-cache", "Diubah Diam-diam")
        assert titles(q="name:data-cache") == ["Judul Lama"]
        assert titles(q="name:data-cache", rows=5) == ["Diubah Diam-diam"]  # another question: read afresh

    def test_committed_write_advances_the_generation(self):
        """A committed dataset change advances the generation, and the next search answers the new state."""
        assert titles(q="name:data-cache") == ["Judul Lama"]
        before = generation()
        helpers.call_action("package_patch", id="data-cache", title="Judul Baru")
        model.Session.commit()
        assert generation() > before
        assert titles(q="name:data-cache") == ["Judul Baru"]

    def test_savepoint_release_does_not_advance(self):
        """Index writes inside an open transaction advance nothing until the transaction commits."""
        before = generation()
        dataset = model.Package.get("data-cache")
        index_update_package({"ignore_auth": True}, dataset.id, defer_commit=True)  # in this transaction
        titles(q="name:data-cache")  # flushes the deferred write in a savepoint
        assert generation() == before
        model.Session.commit()
        assert generation() > before

    def test_uncommitted_writes_bypass_the_cache(self):
        """A transaction that wrote index rows sees its own writes, not the answer cached before them."""
        assert titles(q="name:data-cache") == ["Judul Lama"]
        dataset = model.Package.get("data-cache")
        dataset.title = "Judul Dalam Transaksi"
        model.Session.flush()
        index_update_package({"ignore_auth": True}, dataset.id, defer_commit=True)
        assert titles(q="name:data-cache") == ["Judul Dalam Transaksi"]
        model.Session.rollback()
        assert titles(q="name:data-cache") == ["Judul Lama"]

    def test_viewers_never_share_an_answer(self, catalogue):
        """A result cached for a member of the OPD is not served to an anonymous visitor."""
        member = factories.User()
        helpers.call_action("organization_member_create", id=catalogue["id"], username=member["name"],
                            role="editor")
        factories.Dataset(name="data-rahasia-cache", private=True, owner_org=catalogue["id"])
        model.Session.commit()
        as_member = helpers.call_action("package_search", {"user": member["name"], "ignore_auth": False}, q="*:*",
                                        include_private=True)
        assert as_member["count"] == 2
        anonymous = helpers.call_action("package_search", {"user": "", "ignore_auth": False}, q="*:*",
                                        include_private=True)
        assert anonymous["count"] == 1
        assert [d["name"] for d in anonymous["results"]] == ["data-cache"]

    @pytest.mark.ckan_config(config.CACHE_SIZE, 0)
    def test_size_zero_turns_the_cache_off(self):
        """With cache_size 0 every search reads the index."""
        assert titles(q="name:data-cache") == ["Judul Lama"]
        retitle_behind_the_engine("data-cache", "Langsung Terbaca")
        assert titles(q="name:data-cache") == ["Langsung Terbaca"]

    @pytest.mark.ckan_config(config.CACHE_TTL, 0)
    def test_entries_expire_after_their_time_to_live(self):
        """An entry older than cache_ttl seconds is read afresh even within the generation."""
        assert titles(q="name:data-cache") == ["Judul Lama"]
        retitle_behind_the_engine("data-cache", "Sudah Kedaluwarsa")
        assert titles(q="name:data-cache") == ["Sudah Kedaluwarsa"]
