"""Ratings 1–5 with moderated comments, per dataset and for the portal: limits, honeypot, access classes,
the summaries per dataset, OPD and portal."""
from __future__ import annotations

import pytest
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan.feedback import config

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]
FULL = pytest.mark.usefixtures("clean_db", "clean_index")


def _anon(action, key: str | None = None, **data):
    context = {"user": "", "ignore_auth": False}
    if key:
        context["satudata_client_key"] = key  # as a view passes the client's hashed address
    return helpers.call_action(action, context=context, **data)


@FULL
class TestRate:
    def test_rating_counts_at_once_comment_after_approval(self, portal, published):
        """The rating is in the averages at once; its comment is public only after the walidata approves."""
        done = _anon("satudata_rating_create", key="a", package_id=published["name"], rating="4",
                     comment="Datanya lengkap")
        assert done["comment_status"] == "menunggu" and done["summary"]["count"] == 1
        _anon("satudata_rating_create", key="b", package_id=published["id"], rating=2)
        summary = _anon("satudata_rating_summary", package_id=published["name"])
        assert summary["average"] == 3.0 and summary["distribution"]["4"] == 1
        assert _anon("satudata_rating_comment_list", package_id=published["id"])["count"] == 0
        queue = portal.call("satudata_rating_comment_list", "walidata", status="menunggu")
        assert [c["comment"] for c in queue["results"]] == ["Datanya lengkap"]
        portal.call("satudata_rating_moderate", "walidata", id=done["id"], decision="setujui")
        public = _anon("satudata_rating_comment_list", package_id=published["id"])
        assert [c["comment"] for c in public["results"]] == ["Datanya lengkap"]
        assert "client_key" not in str(public)
        org = _anon("satudata_rating_summary", organization=portal.opd["name"])
        assert org["scope"] == "organization" and org["count"] == 2
        every = _anon("satudata_rating_summary", by_organization=True)
        assert [(o["organization"]["name"], o["count"], o["average"], o["distribution"]["2"])
                for o in every["organizations"]] == [(portal.opd["name"], 2, 3.0, 1)]
        assert "organizations" not in _anon("satudata_rating_summary")

    def test_portal_rating(self):
        _anon("satudata_rating_create", key="a", rating=5, comment="Portal mudah dipakai")
        summary = _anon("satudata_rating_summary")
        assert summary["scope"] == "portal" and summary["average"] == 5.0 and summary["datasets"]["count"] == 0

    def test_once_per_client_dataset_and_day(self, published):
        """A second rating of the same dataset by the same client the same day is refused; the next day not."""
        with freeze_time("2026-06-01 08:00:00"):
            _anon("satudata_rating_create", package_id=published["id"], rating=5)
            with pytest.raises(helpers.logic.ValidationError) as err:
                _anon("satudata_rating_create", package_id=published["id"], rating=1)
            assert "hari ini" in err.value.error_dict["batas"][0]
            _anon("satudata_rating_create", rating=3)  # the portal is another target
        with freeze_time("2026-06-02 08:00:00"):
            _anon("satudata_rating_create", package_id=published["id"], rating=4)
        assert _anon("satudata_rating_summary", package_id=published["id"])["count"] == 2

    @pytest.mark.ckan_config(config.RATING_LIMIT, 1)
    def test_hourly_limit(self, published):
        _anon("satudata_rating_create", rating=3)
        with pytest.raises(helpers.logic.ValidationError) as err:
            _anon("satudata_rating_create", package_id=published["id"], rating=3)
        assert "Terlalu banyak penilaian" in err.value.error_dict["batas"][0]

    def test_unknown_dataset(self):
        with pytest.raises(helpers.logic.NotFound):
            _anon("satudata_rating_create", package_id="tidak-ada", rating=3)


@pytest.mark.usefixtures("light_db")
class TestBadRating:
    @pytest.mark.parametrize("value", ["0", "6", "lima", ""])
    def test_out_of_range_or_not_a_number(self, value):
        """0, 6, a word or nothing: an Indonesian message, no rating stored."""
        with pytest.raises(helpers.logic.ValidationError) as err:
            _anon("satudata_rating_create", rating=value)
        assert err.value.error_dict["rating"][0] in ("Nilai harus antara 1 dan 5", "Nilai harus berupa angka 1 "
                                                     "sampai 5", "Wajib diisi")

    def test_honeypot(self):
        with pytest.raises(helpers.logic.ValidationError) as err:
            _anon("satudata_rating_create", rating=4, situs_web="x")
        assert "spam" in err.value.error_dict["situs_web"][0]

    def test_unknown_organization_summary(self):
        with pytest.raises(helpers.logic.ValidationError):
            _anon("satudata_rating_summary", organization="tidak-ada")

    def test_moderation_queue_is_walidata_only(self):
        with pytest.raises(helpers.logic.NotAuthorized):
            _anon("satudata_rating_comment_list", status="menunggu")
        with pytest.raises(helpers.logic.NotAuthorized):
            _anon("satudata_rating_moderate", id="x", decision="setujui")


@FULL
class TestSecretAndModeration:
    def test_rahasia_dataset_hidden(self, portal, secret):
        """Outsiders can neither rate a rahasia dataset nor read its summary or comments; its OPD reads the
        summary but the dataset (not public) takes no ratings."""
        for who in (None, "warga", "operator_lain"):
            call = (lambda a, **d: _anon(a, **d)) if who is None else (lambda a, w=who, **d: portal.call(a, w, **d))
            with pytest.raises(helpers.logic.NotFound):
                call("satudata_rating_create", package_id=secret["id"], rating=5)
            with pytest.raises((helpers.logic.NotAuthorized, helpers.logic.NotFound)):
                call("satudata_rating_summary", package_id=secret["id"])
            with pytest.raises((helpers.logic.NotAuthorized, helpers.logic.NotFound)):
                call("satudata_rating_comment_list", package_id=secret["id"])
        assert portal.call("satudata_rating_summary", "operator", package_id=secret["id"])["count"] == 0
        with pytest.raises(helpers.logic.ValidationError, match="terbuka untuk publik"):
            portal.call("satudata_rating_create", "operator", package_id=secret["id"], rating=5)

    def test_moderation_bad_cases(self, portal):
        """Unknown rating, a rating without comment, an unknown decision: clear errors."""
        plain = _anon("satudata_rating_create", rating=4)
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_rating_moderate", "walidata", id="tidak-ada", decision="setujui")
        with pytest.raises(helpers.logic.ValidationError, match="tidak memiliki komentar"):
            portal.call("satudata_rating_moderate", "walidata", id=plain["id"], decision="setujui")
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("satudata_rating_moderate", "walidata", id=plain["id"], decision="mungkin")
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_rating_moderate", "operator", id=plain["id"], decision="tolak")

    def test_refused_comment_never_public(self, portal):
        done = _anon("satudata_rating_create", rating=1, comment="Iklan judi")
        portal.call("satudata_rating_moderate", "walidata", id=done["id"], decision="tolak")
        assert _anon("satudata_rating_comment_list", portal=True)["count"] == 0
        assert _anon("satudata_rating_summary", portal=True)["count"] == 1


