"""The engine keeps the index table's statistics and pending lists in shape (autovacuum is off on our machines)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories

from ckanext.satudatapasuruan.pgsearch import maintenance


def stats() -> sa.Row:
    with model.meta.engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT last_analyze, last_vacuum FROM pg_stat_user_tables "
            "WHERE relid = 'satudata_search.document'::regclass")).one()


@pytest.mark.parametrize(("live", "dead", "modified", "inserted", "analyzed", "expected"), [
    (0, 0, 0, 0, False, (True, False)),            # never analyzed: statistics at once
    (10_000, 0, 1_050, 0, True, (False, False)),   # at autovacuum's threshold: not yet
    (10_000, 0, 1_051, 0, True, (True, False)),    # past it (50 + 10 %)
    (10_000, 2_051, 0, 0, True, (False, True)),    # dead rows past 50 + 20 %
    (10_000, 0, 0, 3_001, True, (False, True)),    # inserts past 1000 + 20 %: pending lists merged
    (-1, 0, 10, 0, True, (False, False)),          # reltuples -1 (unknown) counts as empty
])
def test_thresholds_are_autovacuums(live, dead, modified, inserted, analyzed, expected):
    assert maintenance.needs(live, dead, modified, inserted, analyzed) == expected


def fresh_process(monkeypatch, decision: tuple[bool, bool]) -> None:
    """As in a new process (its first commit with index rows checks), with the thresholds' verdict fixed:
    the counters they read lag up to a second behind the writes, which a test cannot wait for reliably."""
    monkeypatch.setattr(maintenance, "_written", 0)
    monkeypatch.setattr(maintenance, "_checked", False)
    monkeypatch.setattr(maintenance, "needs", lambda *args: decision)


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize(("decision", "column"), [((True, False), "last_analyze"), ((False, True), "last_vacuum")])
def test_a_commit_with_index_rows_maintains_the_table(monkeypatch, decision, column):
    before = getattr(stats(), column)
    fresh_process(monkeypatch, decision)
    factories.Dataset(owner_org=factories.Organization()["id"])
    after = getattr(stats(), column)
    assert after is not None and (before is None or after > before)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_commit_without_index_rows_checks_nothing(monkeypatch):
    before = stats()
    fresh_process(monkeypatch, (True, True))
    factories.Organization()
    assert stats() == before


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.satudatapasuruan.search.auto_maintenance", "false")
def test_it_can_be_left_to_autovacuum(monkeypatch):
    before = stats()
    fresh_process(monkeypatch, (True, True))
    factories.Dataset(owner_org=factories.Organization()["id"])
    assert stats() == before


@pytest.mark.usefixtures("clean_db")
def test_gin_pending_lists_are_small():
    """Migration 0007: every scan reads the pending list; 128 kB bounds it."""
    options = dict(model.Session.execute(sa.text(
        "SELECT relname, array_to_string(reloptions, ',') FROM pg_class "
        "WHERE relname IN ('document_keys_idx', 'document_tsv_idx')")).all())
    assert options == {"document_keys_idx": "gin_pending_list_limit=128",
                       "document_tsv_idx": "gin_pending_list_limit=128"}
