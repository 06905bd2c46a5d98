"""Usage counts: the signal counted in Redis (never failing the page), views and downloads sent by the
after-request hook, the exactly-once flush to ``usage_daily`` (also after an interruption), and the counts
action respecting access classes."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan import usage
from ckanext.satudatapasuruan.feedback import counter, records

from .conftest import PLUGINS, headers, make_request

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]
FULL = pytest.mark.usefixtures("clean_db", "clean_index")
DAY = dt.date(2026, 5, 4)


def _anon(action, **data):
    return helpers.call_action(action, context={"user": "", "ignore_auth": False}, **data)


def _table() -> dict[tuple[str, str, str], int]:
    rows = model.Session.execute(sa.select(records.usage_daily)).all()
    return {(r.package_id, r.day.isoformat(), r.kind): r.count for r in rows}


@FULL
class TestCounting:
    def test_signal_counted_and_flushed_once(self, published):
        """Events go to Redis; the flush moves them to the table; a second flush adds nothing."""
        pid = published["id"]
        with freeze_time(DAY.isoformat()):
            for kind in (usage.Kind.VIEW, usage.Kind.VIEW, usage.Kind.DOWNLOAD, usage.Kind.SCAN):
                usage.record(kind, package_id=pid)
        assert _table() == {}
        assert _anon("satudata_usage_show", package_id=pid)["totals"] == {"view": 2, "download": 1, "scan": 1}
        assert counter.flush() == {"batches": 1, "hits": 4}
        assert counter.flush()["hits"] == 0
        assert _table() == {(pid, "2026-05-04", "view"): 2, (pid, "2026-05-04", "download"): 1,
                            (pid, "2026-05-04", "scan"): 1}
        usage.record(usage.Kind.VIEW, package_id=pid)  # today, still in Redis: added by include_pending
        assert _anon("satudata_usage_show", package_id=pid)["totals"]["view"] == 3
        assert _anon("satudata_usage_show", package_id=pid, include_pending=False)["totals"]["view"] == 2
        ranged = _anon("satudata_usage_show", package_id=pid, date_from="2026-05-05", include_pending=False)
        assert ranged["totals"] == {"view": 0, "download": 0, "scan": 0}

    def test_interrupted_flush_neither_loses_nor_doubles(self, published):
        """A batch renamed but not applied (crash before COMMIT) is applied next time; a batch applied but not
        deleted (crash after COMMIT) is only deleted."""
        pid = published["id"]
        conn = connect_to_redis()
        for n, key in ((3, "a"), (5, "b")):
            conn.hset(f"{counter.BATCH}2026-05-04:{key}", f"{pid}|view", n)
        records.apply_usage(f"{counter.BATCH}2026-05-04:b", [(pid, DAY, "view", 5)])
        model.repo.commit()
        assert _anon("satudata_usage_show", package_id=pid)["totals"]["view"] == 8  # b not counted twice
        assert counter.flush() == {"batches": 2, "hits": 3}
        assert _table() == {(pid, "2026-05-04", "view"): 8}
        assert not list(conn.scan_iter(match=counter.BATCH + "*"))

    def test_redis_down_does_not_fail_the_page(self, app, published, monkeypatch):
        """With Redis unreachable the dataset page still answers 200 (the error is logged)."""
        monkeypatch.setitem(tk.config, "ckan.redis.url", "redis://127.0.0.1:1/0")  # nothing listens there
        assert app.get(f"/dataset/{published['name']}").status_code == 200
        usage.record(usage.Kind.DOWNLOAD, package_id=published["id"])
        assert counter.pending() == {}
        # the rate limits let people through rather than fail
        assert make_request()["status"] == "diterima"
        assert _anon("satudata_rating_create", package_id=published["id"], rating=4)["summary"]["count"] == 1

    def test_pages_send_views_and_downloads(self, app, portal, published):
        """Dataset page → view, resource download → download; errors, other pages and crawlers count nothing."""
        resource = portal.call("resource_create", "sysadmin", package_id=published["id"], url="http://x.test/a.csv",
                               name="CSV")
        app.get(f"/dataset/{published['name']}")
        app.get(f"/dataset/{published['name']}", headers={"User-Agent": "Googlebot/2.1"})
        app.get(f"/dataset/{published['name']}/resource/{resource['id']}/download", follow_redirects=False)
        app.get("/dataset/tidak-ada", status=404)
        app.get("/dataset/")
        totals = _anon("satudata_usage_show", package_id=published["id"])["totals"]
        assert totals == {"view": 1, "download": 1, "scan": 0}
        keys = [k.decode() for k in connect_to_redis().scan_iter(match="*")]
        assert not any("127.0.0.1" in k for k in keys)  # no raw address in Redis

    def test_cli_flush(self, cli, published):
        usage.record(usage.Kind.VIEW, package_id=published["id"])
        from ckanext.satudatapasuruan.feedback.cli import feedback
        result = cli.invoke(feedback, ["flush-usage"])
        assert result.exit_code == 0 and "1 hit" in result.output
        assert sum(_table().values()) == 1


@FULL
class TestAccess:
    def test_hidden_dataset_counts_not_returned(self, app, portal, published, secret):
        """A rahasia dataset's counts: not for anonymous, citizens or another OPD (neither rows nor totals);
        its OPD and the walidata see them."""
        for pid in (published["id"], secret["id"]):
            usage.record(usage.Kind.VIEW, package_id=pid)
        counter.flush()
        with pytest.raises(helpers.logic.NotAuthorized):
            _anon("satudata_usage_show", package_id=secret["id"])
        for scope in ({}, {"organization": portal.opd["name"]}):
            out = _anon("satudata_usage_show", **scope)
            assert [r["name"] for r in out["datasets"]] == [published["name"]] and out["totals"]["view"] == 1
            assert "Rahasia" not in str(out)
            other = portal.call("satudata_usage_show", "operator_lain", **scope)
            assert other["totals"]["view"] == 1
            assert portal.call("satudata_usage_show", "walidata", **scope)["totals"]["view"] == 2
        api = app.get(f"/api/3/action/satudata_usage_show?package_id={secret['id']}",
                      headers=headers(portal, "warga"), status=403)
        assert "Rahasia" not in api.body

    def test_totals_per_organization(self, portal, published, secret):
        """``by_organization`` sums the datasets the caller may see per OPD, over the whole range (not the
        ``limit``): anonymous visitors get the public dataset's counts only, the walidata the rahasia one's too."""
        for kind in (usage.Kind.VIEW, usage.Kind.DOWNLOAD, usage.Kind.DOWNLOAD):
            usage.record(kind, package_id=published["id"])
        usage.record(usage.Kind.DOWNLOAD, package_id=secret["id"])
        counter.flush()
        assert "organizations" not in _anon("satudata_usage_show")
        opd = {"id": portal.opd["id"], "name": portal.opd["name"], "title": portal.opd["title"]}
        anon = _anon("satudata_usage_show", by_organization=True, limit=1)
        assert anon["organizations"] == [{"organization": opd, "view": 1, "download": 2, "scan": 0}]
        walidata = portal.call("satudata_usage_show", "walidata", by_organization=True, limit=1)
        assert walidata["organizations"] == [{"organization": opd, "view": 1, "download": 3, "scan": 0}]
        assert len(walidata["datasets"]) == 1 and walidata["totals"]["download"] == 3

    def test_page_shows_counts_for_visible_dataset(self, app, published):
        usage.record(usage.Kind.DOWNLOAD, package_id=published["id"])
        assert "Dilihat 0 kali, diunduh 1 kali" in app.get(f"/dataset/{published['name']}").body
        assert "Dilihat 1 kali, diunduh 1 kali" in app.get(f"/dataset/{published['name']}").body


@pytest.mark.usefixtures("light_db")
class TestBadInput:
    def test_bad_dates(self):
        with pytest.raises(helpers.logic.ValidationError, match="TTTT-BB-HH"):
            _anon("satudata_usage_show", date_from="04/05/2026")
        with pytest.raises(helpers.logic.ValidationError, match="sebelum tanggal awal"):
            _anon("satudata_usage_show", date_from="2026-05-05", date_to="2026-05-04")

    def test_unknown_dataset_and_opd(self):
        with pytest.raises(helpers.logic.NotFound):
            _anon("satudata_usage_show", package_id="tidak-ada")
        with pytest.raises(helpers.logic.ValidationError):
            _anon("satudata_usage_show", organization="tidak-ada")
