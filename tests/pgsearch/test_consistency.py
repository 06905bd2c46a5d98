"""Index writes share the catalogue's transaction: no orphan rows, no phantom results."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import ckan.plugins as p
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.lib.search.common import SearchIndexError
from ckan.logic import index_update_package_dicts, package_show_default_and_custom_schemas
from ckan.tests import factories, helpers

from ckanext.satudatapasuruan.pgsearch import engine


def index_rows(name: str) -> int:
    return model.Session.execute(
        sa.text("SELECT count(*) FROM satudata_search.document WHERE doc->>'name' = :n"), {"n": name}
    ).scalar()


def dataset(**kwargs):
    """Datasets on the portal always belong to an OPD."""
    return factories.Dataset(owner_org=factories.Organization()["id"], **kwargs)


class FailingIndexPlugin(p.SingletonPlugin):
    """Raises while a dataset is being indexed, after the catalogue rows were flushed."""

    p.implements(p.IPackageController, inherit=True)

    def before_dataset_index(self, pkg_dict):
        if pkg_dict.get("name", "").startswith("gagal-"):
            raise SearchIndexError("indeks gagal (uji)")
        return pkg_dict


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestTransactions:
    def test_created_dataset_is_indexed_with_its_commit(self):
        """package_create leaves exactly one index row, visible to search."""
        dataset(name="data-baru", title="Data Baru")
        assert index_rows("data-baru") == 1
        assert helpers.call_action("package_search", q="name:data-baru")["count"] == 1

    def test_show_reads_the_current_copy(self):
        """search.show (package_show's index copy, the lookup path) finds a dataset by name and by id, sees a
        change indexed in its own transaction at once and none after the rollback; an unknown one finds
        nothing."""
        created = dataset(name="data-dilihat", title="Judul Lama")
        assert search.show("data-dilihat")["id"] == created["id"]
        assert search.show(created["id"])["name"] == "data-dilihat"
        both = package_show_default_and_custom_schemas({}, created["id"])
        both[0]["title"] = both[1]["title"] = "Judul Baru"
        index_update_package_dicts(both)
        assert search.show(created["id"])["title"] == "Judul Baru"  # same transaction, no cached answer
        model.Session.rollback()
        assert search.show("data-dilihat")["title"] == "Judul Lama"
        with pytest.raises(search.SearchError):
            search.show("tidak-ada")

    def test_rollback_takes_the_index_row_with_it(self):
        """An index write rolled back with its transaction leaves no trace."""
        created = dataset(name="data-sementara")
        helpers.call_action("package_patch", id=created["id"], title="Judul Baru Sekali")
        model.Session.commit()
        both = package_show_default_and_custom_schemas({}, created["id"])
        both[0]["title"] = both[1]["title"] = "Judul Yang Dibatalkan"
        index_update_package_dicts(both)
        assert helpers.call_action("package_search", q="dibatalkan")["count"] == 1  # same transaction
        model.Session.rollback()
        assert helpers.call_action("package_search", q="dibatalkan")["count"] == 0
        assert helpers.call_action("package_search", q="sekali")["count"] == 1

    @pytest.mark.ckan_config("ckan.plugins", "satudata_pgsearch failing_index")
    @pytest.mark.provide_plugin("failing_index", FailingIndexPlugin)
    @pytest.mark.usefixtures("with_plugins")
    def test_failed_create_leaves_neither_dataset_nor_index_row(self):
        """When indexing fails inside package_create nothing of the dataset survives."""
        org = factories.Organization()
        with pytest.raises(SearchIndexError):
            helpers.call_action("package_create", name="gagal-simpan", owner_org=org["id"])
        model.Session.rollback()
        assert model.Package.get("gagal-simpan") is None
        assert index_rows("gagal-simpan") == 0
        assert helpers.call_action("package_search", q="name:gagal-simpan")["count"] == 0

    def test_purged_dataset_disappears_from_search(self):
        """dataset_purge removes the index row in the same transaction."""
        created = dataset(name="data-dihapus")
        helpers.call_action("dataset_purge", id=created["id"])
        assert index_rows("data-dihapus") == 0
        assert helpers.call_action("package_search", q="name:data-dihapus")["count"] == 0

    def test_deleted_dataset_leaves_the_index(self):
        """By default a deleted dataset's index row goes with the deletion."""
        created = dataset(name="data-usang")
        helpers.call_action("package_delete", id=created["id"])
        assert index_rows("data-usang") == 0

    @pytest.mark.ckan_config("ckan.search.remove_deleted_packages", False)
    def test_deleted_dataset_only_with_include_deleted(self):
        """When deleted datasets are kept, only include_deleted finds them."""
        created = dataset(name="data-lama")
        helpers.call_action("package_delete", id=created["id"])
        assert helpers.call_action("package_search", q="name:data-lama")["count"] == 0
        admin = factories.Sysadmin()
        result = helpers.call_action("package_search", context={"user": admin["name"]},
                                     q="name:data-lama", include_deleted=True)
        assert result["count"] == 1

    def test_query_error_does_not_poison_the_transaction(self):
        """A failing search rolls back only itself; the caller's session keeps working."""
        dataset(name="data-aman")
        with pytest.raises(search.SearchQueryError):
            helpers.call_action("package_search", fq="metadata_modified:[2024-13-45T00:00:00Z TO *]")
        assert helpers.call_action("package_search", q="name:data-aman")["count"] == 1


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestDeferredWrites:
    def _reindex_deferred(self, package_id: str, title: str) -> None:
        both = package_show_default_and_custom_schemas({}, package_id)
        both[0]["title"] = both[1]["title"] = title
        index_update_package_dicts(both, defer_commit=True)

    def test_deferred_rows_are_read_back_in_the_same_transaction(self):
        """A search after a deferred write sees it, as it would see an immediate one."""
        created = dataset(name="data-tunda")
        self._reindex_deferred(created["id"], "Judul Tertunda Pertama")
        self._reindex_deferred(created["id"], "Judul Tertunda Kedua")
        result = helpers.call_action("package_search", q="tertunda")
        assert [d["title"] for d in result["results"]] == ["Judul Tertunda Kedua"]

    def test_deferred_rows_commit_with_the_transaction(self):
        """Deferred rows are written when the session commits."""
        created = dataset(name="data-tunda-commit")
        self._reindex_deferred(created["id"], "Judul Komit Tertunda")
        model.Session.commit()
        model.Session.remove()
        assert helpers.call_action("package_search", q="komit")["count"] == 1

    def test_deferred_rows_vanish_on_rollback(self):
        """A rollback discards deferred rows with the rest of the transaction."""
        created = dataset(name="data-tunda-batal")
        self._reindex_deferred(created["id"], "Judul Batal Tertunda")
        model.Session.rollback()
        assert helpers.call_action("package_search", q="title:batal")["count"] == 0


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestSearchIndexCli:
    def test_rebuild_clear_check_show(self, cli):
        """`ckan search-index` rebuild, show, check and clear work on the embedded engine."""
        from ckan.cli.cli import ckan as ckan_cli

        created = dataset(name="data-cli", title="Data untuk CLI")
        result = cli.invoke(ckan_cli, ["search-index", "clear"])
        assert result.exit_code == 0, result.output
        assert index_rows("data-cli") == 0
        result = cli.invoke(ckan_cli, ["search-index", "check"])
        assert "Packages not indexed = 1 out of 1" in result.output
        result = cli.invoke(ckan_cli, ["search-index", "rebuild"])
        assert result.exit_code == 0, result.output
        assert index_rows("data-cli") == 1
        result = cli.invoke(ckan_cli, ["search-index", "show", created["name"]])
        assert result.exit_code == 0, result.output
        assert "Data untuk CLI" in result.output
        result = cli.invoke(ckan_cli, ["search-index", "check"])
        assert "Packages not indexed = 0 out of 1" in result.output


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestParallelRebuild:
    def test_rebuild_in_workers_and_drop_orphans(self, cli):
        """`ckan satudata-search rebuild` reindexes every dataset and removes rows of vanished ones."""
        from ckan.cli.cli import ckan as ckan_cli

        for n in range(6):
            dataset(name=f"data-paralel-{n}", title=f"Data Paralel {n}")
        model.Session.execute(sa.text(
            "INSERT INTO satudata_search.document (index_id, site_id, state, terms, bulky, texts, head, tsv, doc) "
            "VALUES ('yatim', :site, 'active', '{}', '{}', '{}', '', '', '{\"id\": \"tidak-ada\"}')"),
            {"site": p.toolkit.config["ckan.site_id"]})
        model.Session.execute(sa.text("DELETE FROM satudata_search.document WHERE doc->>'name' = 'data-paralel-0'"))
        model.Session.commit()
        result = cli.invoke(ckan_cli, ["satudata-search", "rebuild", "--workers", "2", "--batch", "2"])
        assert result.exit_code == 0, result.output
        assert "6 dataset diindeks" in result.output
        assert "1 baris yatim dihapus" in result.output
        model.Session.remove()
        assert helpers.call_action("package_search", q="paralel")["count"] == 6
        assert index_rows("data-paralel-0") == 1


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.satudatapasuruan.search.work_mem", "48MB")
@pytest.mark.parametrize("setting", ["work_mem", "jit", "enable_seqscan"])
def test_statement_settings_are_restored(setting):
    """Planner settings apply to the search statement only; the session keeps its own."""
    before = model.Session.execute(sa.text(f"SHOW {setting}")).scalar()
    helpers.call_action("package_search", q="apa saja")
    assert model.Session.execute(sa.text(f"SHOW {setting}")).scalar() == before


def _migration(filename):
    path = Path(engine.__file__).parents[1] / "migration" / "satudata_pgsearch" / "versions" / filename
    spec = importlib.util.spec_from_file_location(filename.removesuffix(".py"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_keys_backfill_equals_indexed_keys():
    """Migrations 0006 and 0009 fill `keys` and `dataset_type` of existing rows exactly as indexing writes them."""
    org = factories.Organization(name="dinkes-kunci")
    factories.Dataset(owner_org=org["id"], name="data-kunci", tags=[{"name": f"tag-panjang-{n}"} for n in range(8)],
                      resources=[{"url": "https://contoh.go.id/" + "x" * 120 + ".csv", "format": "CSV"}],
                      extras=[{"key": "tahun", "value": "2024"}])
    query = "SELECT index_id, keys, dataset_type FROM satudata_search.document ORDER BY index_id"
    indexed = {r[0]: (sorted(r[1]), r[2]) for r in model.Session.execute(sa.text(query))}
    assert {t for _k, t in indexed.values()} == {"dataset"}
    assert not any(k.startswith("dataset_type=") for keys, _t in indexed.values() for k in keys)
    assert any("res_format=CSV" in k and "tags=tag-panjang-7" in k and "organization=dinkes-kunci" in k
               for k, _t in indexed.values())
    # long values live in `bulky`, short lists in `terms`: both still filter and facet
    url = "https://contoh.go.id/" + "x" * 120 + ".csv"
    result = helpers.call_action("package_search", fq=f'res_url:"{url}" tags:tag-panjang-7',
                                 **{"facet.field": ["tags", "res_url"], "facet.limit": -1})
    assert result["count"] == 1
    assert result["facets"]["res_url"] == {url: 1}
    assert result["facets"]["tags"] == {f"tag-panjang-{n}": 1 for n in range(8)}
    model.Session.execute(sa.text("UPDATE satudata_search.document SET keys = '{}', dataset_type = NULL"))
    model.Session.execute(sa.text(_migration("0006_exact_keys.py").BACKFILL))
    model.Session.execute(sa.text(_migration("0009_dataset_type_column.py").BACKFILL))
    assert {r[0]: (sorted(r[1]), r[2]) for r in model.Session.execute(sa.text(query))} == indexed
    # the dataset type filters from its column, as CKAN's type and the harvest plugin's exclusion ask
    assert helpers.call_action("package_search", fq="+dataset_type:dataset -dataset_type:harvest")["count"] == 1
    assert helpers.call_action("package_search", fq="dataset_type:harvest")["count"] == 0
    model.Session.rollback()
