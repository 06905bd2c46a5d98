"""Schedules on the portal's clock: a nightly run at 00:00 WIB (17:00 UTC) made once per night, none before."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckanext.harvest.model import HarvestJob, HarvestSource
from freezegun import freeze_time

from ckanext.satudatapasuruan.harvesters.health import cli, config
from ckanext.satudatapasuruan.harvesters.health.schedule import Frequency, next_boundary

from .conftest import PLUGINS

WIB = ZoneInfo("Asia/Jakarta")
MIDNIGHT = dt.time(0, 0)


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


class TestBoundaries:
    """The pure calculation (no database)."""

    @pytest.mark.parametrize("frequency, after, expected", [
        (Frequency.DAILY, "2026-12-01 16:59:59", "2026-12-01 17:00:00"),   # 23:59:59 WIB -> tonight
        (Frequency.DAILY, "2026-12-01 17:00:00", "2026-12-02 17:00:00"),   # exactly 00:00 WIB -> the next night
        (Frequency.DAILY, "2026-12-01 03:00:00", "2026-12-01 17:00:00"),
        (Frequency.WEEKLY, "2026-12-01 03:00:00", "2026-12-06 17:00:00"),  # Tuesday -> Monday 7 Dec 00:00 WIB
        (Frequency.WEEKLY, "2026-12-06 17:00:00", "2026-12-13 17:00:00"),
        (Frequency.BIWEEKLY, "2026-12-01 03:00:00", "2026-12-13 17:00:00"),  # 7 Dec is an odd week from 1 Jan 2024
        (Frequency.BIWEEKLY, "2026-12-13 17:00:00", "2026-12-27 17:00:00"),
        (Frequency.MONTHLY, "2026-12-01 03:00:00", "2026-12-31 17:00:00"),  # 1 Jan 2027 00:00 WIB
        (Frequency.MONTHLY, "2026-01-31 17:00:00", "2026-02-28 17:00:00"),  # 1 Mar 2026 00:00 WIB
    ])
    def test_next_boundary(self, frequency, after, expected):
        """DAILY at 00:00 WIB, WEEKLY on Mondays, BIWEEKLY every other Monday, MONTHLY on the 1st."""
        assert next_boundary(frequency, _utc(after), MIDNIGHT, WIB) == _utc(expected)

    def test_time_of_day_and_no_schedule(self):
        """Another time of day is read on the same clock; MANUAL and ALWAYS have no boundary."""
        at = dt.time(2, 30)
        assert next_boundary(Frequency.DAILY, _utc("2026-12-01 19:00:00"), at, WIB) == _utc("2026-12-01 19:30:00")
        assert next_boundary(Frequency.DAILY, _utc("2026-12-01 20:00:00"), at, WIB) == _utc("2026-12-02 19:30:00")
        assert next_boundary(Frequency.MANUAL, _utc("2026-12-01 20:00:00"), MIDNIGHT, WIB) is None
        assert next_boundary(Frequency.ALWAYS, _utc("2026-12-01 20:00:00"), MIDNIGHT, WIB) is None


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestNightly:
    def _jobs(self, source_id):
        return model.Session.query(HarvestJob).filter_by(source_id=source_id).order_by(HarvestJob.created).all()

    def _next_run(self, source_id):
        model.Session.expire_all()
        return HarvestSource.get(source_id).next_run

    def _finish_gather(self, job_id):
        job = HarvestJob.get(job_id)
        job.gather_started = job.gather_finished = dt.datetime.utcnow()
        model.Session.commit()

    def test_once_per_night_none_before(self, portal):
        """A DAILY source made in the morning runs at the first tick after 00:00 WIB, once that night, and
        its next run stays at 00:00 WIB (ckanext-harvest alone would drift to the tick's second)."""
        with freeze_time("2026-12-01 03:00:00"):  # 10:00 WIB
            source = portal.source("sipd", frequency="DAILY")
        assert self._next_run(source["id"]) == dt.datetime(2026, 12, 1, 17, 0)
        for moment, jobs in (("2026-12-01 12:00:00", 0), ("2026-12-01 16:59:30", 0), ("2026-12-01 17:00:07", 1),
                             ("2026-12-01 17:01:07", 1)):
            with freeze_time(moment):
                portal.tick()
            assert len(self._jobs(source["id"])) == jobs, moment
        assert self._jobs(source["id"])[0].created == dt.datetime(2026, 12, 1, 17, 0, 7)
        assert self._next_run(source["id"]) == dt.datetime(2026, 12, 2, 17, 0)
        with freeze_time("2026-12-01 17:20:00"):
            self._finish_gather(self._jobs(source["id"])[0].id)
            portal.tick()
        assert self._jobs(source["id"])[0].status == "Finished"
        for moment, jobs in (("2026-12-02 03:00:00", 1), ("2026-12-02 16:59:07", 1), ("2026-12-02 17:00:07", 2),
                             ("2026-12-02 17:01:07", 2)):
            with freeze_time(moment):
                portal.tick()
            assert len(self._jobs(source["id"])) == jobs, moment
        assert self._next_run(source["id"]) == dt.datetime(2026, 12, 3, 17, 0)

    def test_no_second_job_while_one_runs(self, portal):
        """At midnight a source whose last job still runs gets no second job; the night's run is made once,
        as soon as the job has finished."""
        with freeze_time("2026-12-01 03:00:00"):
            source = portal.source("sipd", frequency="DAILY")
        with freeze_time("2026-12-01 17:00:07"):
            portal.tick()
        with freeze_time("2026-12-02 17:00:07"):  # the first job is still gathering
            portal.tick()
        assert len(self._jobs(source["id"])) == 1
        assert self._next_run(source["id"]) == dt.datetime(2026, 12, 2, 17, 0)  # still due
        with freeze_time("2026-12-02 18:00:00"):
            self._finish_gather(self._jobs(source["id"])[0].id)
            portal.tick()  # marks the first finished
            portal.tick()  # makes the night's job
            portal.tick()
        assert len(self._jobs(source["id"])) == 2
        assert self._next_run(source["id"]) == dt.datetime(2026, 12, 3, 17, 0)

    @pytest.mark.ckan_config(config.RUN_AT, "02:30")
    def test_time_of_day_from_config(self, portal):
        with freeze_time("2026-12-01 03:00:00"):
            source = portal.source("sipd", frequency="DAILY")
        assert self._next_run(source["id"]) == dt.datetime(2026, 12, 1, 19, 30)

    def test_frequency_change_realigns(self, portal):
        """Saving a source with a new frequency moves its next run to that frequency's boundary at once."""
        with freeze_time("2026-12-01 03:00:00"):  # a Tuesday
            source = portal.source("sipd")
            assert self._next_run(source["id"]) is None
            portal.call("harvest_source_patch", "sysadmin", id=source["id"], frequency="WEEKLY")
        assert self._next_run(source["id"]) == dt.datetime(2026, 12, 6, 17, 0)  # Monday 7 Dec 00:00 WIB
        with freeze_time("2026-12-01 04:00:00"):
            portal.call("harvest_source_patch", "sysadmin", id=source["id"], frequency="MONTHLY")
        assert self._next_run(source["id"]) == dt.datetime(2026, 12, 31, 17, 0)

    def test_drifted_next_run_is_put_back(self, portal):
        """A next_run written by ckanext-harvest alone (now + period) is put back on the boundary before jobs
        are made."""
        with freeze_time("2026-12-01 03:00:00"):
            source = portal.source("sipd", frequency="DAILY")
        HarvestSource.get(source["id"]).next_run = dt.datetime(2026, 12, 1, 17, 9, 41)
        model.Session.commit()
        with freeze_time("2026-12-01 17:00:07"):
            portal.tick()
        assert len(self._jobs(source["id"])) == 1

    def test_cli_tick(self, portal):
        """``ckan satudata-harvest schedule --once`` runs one tick as the site user."""
        from click.testing import CliRunner

        with freeze_time("2026-12-01 03:00:00"):
            source = portal.source("sipd", frequency="DAILY")
        with freeze_time("2026-12-01 17:00:07"):
            result = CliRunner().invoke(cli.satudata_harvest, ["schedule", "--once"])
        assert result.exit_code == 0, result.output
        assert len(self._jobs(source["id"])) == 1
        result = CliRunner().invoke(cli.satudata_harvest, ["health"])
        assert "sipd: never" in result.output and "1 sumber" in result.output
        assert CliRunner().invoke(cli.satudata_harvest, ["schedule", "--interval", "0"]).exit_code == 2


def test_bad_time_of_day(monkeypatch):
    """A time of day that is not HH:MM is refused with the option's name."""
    monkeypatch.setitem(tk.config, config.RUN_AT, "25:00")
    with pytest.raises(ValueError, match=config.RUN_AT):
        config.run_at()
