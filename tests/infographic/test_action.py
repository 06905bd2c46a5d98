"""The infographic actions: templates as data (walidata, approval), short links, and the checks chained onto
CKAN's dataset and resource actions for the infografis type."""
from __future__ import annotations

import os

import pytest
from ckan import model
from ckan.tests import helpers

from ckanext.satudatapasuruan.infographic import config, records
from ckanext.satudatapasuruan.infographic.cli import infographic

from .conftest import PLUGINS, image_bytes, infographic_data, make_infographic, upload

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "storage", "app")]

DESIGN = dict(records.DEFAULT_TEMPLATES[0], name="poster-a3", title="Poster A3")


def _template_count() -> int:
    return len(records.templates())


class TestTemplateCreate:
    def test_walidata_creates_an_unapproved_template(self, portal):
        """A new template is stored with its design and waits for approval."""
        made = portal.call("satudata_infographic_template_create", "walidata", **DESIGN)
        assert made["name"] == "poster-a3" and made["layout"] == "portrait" and made["approved"] is False
        assert (made["width"], made["height"], made["print_dpi"]) == (1080, 1350, 300)

    @pytest.mark.parametrize("change, field, message", [
        ({"layout": "landscape"}, "layout", "lebih lebar daripada tingginya"),
        ({"width": 2000}, "layout", "lebih tinggi daripada lebarnya"),
        ({"header_color": "#1a5a78"}, "header_color", "kurang kontras"),
        ({"accent_color": "kuning"}, "accent_color", "#rrggbb"),
        ({"width": 50}, "width", "antara 300 dan 8000"),
        ({"layout": "miring"}, "layout", "portrait"),
        ({"name": "Nama Salah!"}, "name", "huruf kecil"),
        ({"title": ""}, "title", ""),
    ])
    def test_bad_design_refused_without_writing(self, portal, change, field, message):
        """Each bad field is named with an Indonesian message, and no template is written."""
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_infographic_template_create", "walidata", **dict(DESIGN, **change))
        assert field in err.value.error_dict and message in " ".join(err.value.error_dict[field])
        assert _template_count() == 0

    def test_duplicate_name_refused(self, portal):
        portal.call("satudata_infographic_template_create", "walidata", **DESIGN)
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_infographic_template_create", "walidata", **dict(DESIGN, title="Lain"))
        assert err.value.error_dict["name"] == ["Nama templat sudah dipakai"]
        assert _template_count() == 1


class TestTemplateUpdateApprove:
    def test_approval_then_update_resets_it(self, portal):
        """The walidata's approval is recorded; any later change needs a new approval."""
        made = portal.call("satudata_infographic_template_create", "walidata", **DESIGN)
        approved = portal.call("satudata_infographic_template_approve", "walidata", id=made["name"])
        assert approved["approved"] and approved["approved_by"] == portal.users["walidata"]["id"]
        assert approved["approved_at"]
        changed = portal.call("satudata_infographic_template_update", "walidata", id=made["id"],
                              footer_text="Diskominfo")
        assert changed["footer_text"] == "Diskominfo" and changed["title"] == "Poster A3"
        assert changed["approved"] is False and changed["approved_by"] is None

    def test_bad_update_leaves_template_unchanged(self, portal):
        made = portal.call("satudata_infographic_template_create", "walidata", **DESIGN)
        portal.call("satudata_infographic_template_approve", "walidata", id=made["id"])
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_infographic_template_update", "walidata", id=made["id"], height=500)
        assert "layout" in err.value.error_dict
        kept = records.get_template(made["id"])
        assert kept["height"] == 1350 and kept["approved"] is True

    def test_unknown_template(self, portal):
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_infographic_template_approve", "walidata", id="tidak-ada")


class TestTemplateListShow:
    def test_unapproved_only_for_walidata(self, portal, templates):
        """Others see approved templates only; the walidata sees all."""
        portal.call("satudata_infographic_template_create", "walidata", **DESIGN)
        names = lambda who: {t["name"] for t in portal.call("satudata_infographic_template_list", who)}  # noqa: E731
        assert names("walidata") == {"media-sosial", "cetak", "poster-a3"}
        assert names("operator") == {"media-sosial", "cetak"}
        anon = helpers.call_action("satudata_infographic_template_list", context={"user": "", "ignore_auth": False})
        assert {t["name"] for t in anon} == {"media-sosial", "cetak"}
        assert {t["name"] for t in portal.call("satudata_infographic_template_list", "walidata",
                                                approved_only=True)} == {"media-sosial", "cetak"}
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_infographic_template_show", "operator", id="poster-a3")
        assert portal.call("satudata_infographic_template_show", "walidata", id="poster-a3")["title"] == "Poster A3"


class TestInfographicCreate:
    def test_short_link_made_with_the_dataset(self, portal, templates, published):
        """Creating an infographic gives it a 7-character code without ambiguous characters."""
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        info = portal.call("satudata_infographic_show", "operator", id=pkg["name"])
        assert len(info["code"]) == records.CODE_LENGTH
        assert set(info["code"]) <= set(records.CODE_ALPHABET) and not set(info["code"]) & set("01OILU")
        assert info["short_url"] == f"http://test.ckan.net/i/{info['code']}" and info["scans"] == 0
        assert pkg["resources"][0]["format"] == "PNG" and pkg["workflow_state"] == "draft"

    def test_code_survives_edits_and_renames(self, portal, templates, published):
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        code = records.link_of(pkg["id"])["code"]
        portal.call("package_patch", "operator", id=pkg["id"], name="infografis-baru", title="Judul baru")
        assert portal.call("satudata_infographic_show", "operator", id="infografis-baru")["code"] == code

    def test_codes_are_distinct(self, portal, published):
        codes = {records.new_code() for _ in range(2000)}
        assert len(codes) == 2000

    def _refused(self, portal, linked, message):
        before = model.Session.query(model.Package).filter_by(type="infografis").count()
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("package_create", "operator", **infographic_data(portal, linked))
        assert message in " ".join(err.value.error_dict["dataset_terkait"])
        assert model.Session.query(model.Package).filter_by(type="infografis").count() == before
        assert model.Session.query(records.link).count() == 0

    def test_without_linked_dataset(self, portal):
        self._refused(portal, [], "Infografis harus menautkan minimal satu dataset yang sudah terbit")

    def test_linked_draft_refused(self, portal, published):
        """A draft (or any unpublished) dataset cannot be the infographic's source, nor one of several."""
        draft = portal.dataset(name="masih-draf")
        self._refused(portal, [published["name"], draft["name"]],
                      "Dataset terkait harus sudah terbit dan terbuka untuk publik: masih-draf")

    def test_linked_rahasia_refused(self, portal):
        """A published rahasia dataset is not public: its owners' infographic cannot point at it."""
        secret = portal.dataset("rahasia", name="data-rahasia")
        portal.publish(secret["id"])
        self._refused(portal, [secret["name"]], "data-rahasia")

    def test_linked_unknown_or_infographic_refused(self, portal, templates, published):
        self._refused(portal, ["tidak-ada"], "tidak-ada")
        other = make_infographic(portal, [published["name"]], image_bytes(), name="infografis-lain")
        portal.publish(other["id"])
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("package_create", "operator", **infographic_data(portal, [other["name"]]))

    def test_update_checks_links_too(self, portal, published):
        pkg = make_infographic(portal, [published["name"]])
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("package_patch", "operator", id=pkg["id"], dataset_terkait="")
        assert portal.call("package_show", "sysadmin", id=pkg["id"])["dataset_terkait"] == [published["name"]]


class TestArtworkUpload:
    def _resources(self, portal, pkg_id):
        return portal.call("package_show", "sysadmin", id=pkg_id)["resources"]

    @pytest.mark.parametrize("data, filename", [
        (b"ini bukan gambar", "palsu.png"),
        (image_bytes("GIF"), "animasi.gif"),
        (image_bytes("BMP"), "gambar.jpg"),
    ], ids=["text-named-png", "gif", "bmp-named-jpg"])
    def test_non_image_refused(self, portal, published, data, filename):
        """The content is read with Pillow: a wrong file is refused whatever its name, and nothing is stored."""
        pkg = make_infographic(portal, [published["name"]])
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("resource_create", "operator", package_id=pkg["id"], url="", upload=upload(data, filename))
        assert "harus berupa gambar PNG atau JPEG, atau dokumen PDF" in " ".join(err.value.error_dict["upload"])
        assert self._resources(portal, pkg["id"]) == []

    @pytest.mark.ckan_config(config.MAX_UPLOAD_MB, 1)
    def test_oversized_refused(self, portal, published):
        from PIL import Image

        noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
        import io
        buf = io.BytesIO()
        noise.save(buf, "PNG")
        pkg = make_infographic(portal, [published["name"]])
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("resource_create", "operator", package_id=pkg["id"], url="",
                        upload=upload(buf.getvalue(), "besar.png"))
        assert err.value.error_dict["upload"] == ["Berkas infografis terlalu besar: maksimal 1 MB"]
        assert self._resources(portal, pkg["id"]) == []

    @pytest.mark.ckan_config(config.MAX_PIXELS, 100_000)
    def test_too_many_pixels_refused(self, portal, published):
        pkg = make_infographic(portal, [published["name"]])
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("resource_create", "operator", package_id=pkg["id"], url="",
                        upload=upload(image_bytes(size=(1000, 1000)), "besar.png"))
        assert "megapiksel" in err.value.error_dict["upload"][0]

    def test_format_from_content(self, portal, published):
        """A JPEG named .png is accepted as what it is."""
        pkg = make_infographic(portal, [published["name"]], image_bytes("JPEG"), filename="foto.png")
        assert pkg["resources"][0]["format"] == "JPEG" and pkg["resources"][0]["mimetype"] == "image/jpeg"

    def test_replacing_the_file_is_checked(self, portal, published):
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        res = pkg["resources"][0]
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("resource_update", "operator", id=res["id"], url="", upload=upload(b"teks", "baru.png"))
        assert self._resources(portal, pkg["id"])[0]["format"] == "PNG"

    def test_other_dataset_types_unaffected(self, portal):
        """Ordinary datasets keep CKAN's behaviour: any file may be uploaded."""
        ds = portal.dataset()
        portal.call("resource_create", "operator", package_id=ds["id"], url="", upload=upload(b"a,b\n1,2\n", "x.csv"))
        assert len(self._resources(portal, ds["id"])) == 1


class TestInfographicUpdate:
    def test_choose_approved_template(self, portal, templates, published):
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        info = portal.call("satudata_infographic_update", "operator", id=pkg["id"], template="cetak")
        assert info["template"] == "cetak"
        assert portal.call("satudata_infographic_update", "operator", id=pkg["id"], template="")["template"] is None

    def test_unapproved_or_unknown_template_refused(self, portal, templates, published):
        """Only an approved template may frame an infographic; the choice is unchanged on refusal."""
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        portal.call("satudata_infographic_template_create", "walidata", **DESIGN)
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_infographic_update", "operator", id=pkg["id"], template="poster-a3")
        assert err.value.error_dict["template"] == ["Templat \u201cPoster A3\u201d belum disetujui walidata"]
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_infographic_update", "operator", id=pkg["id"], template="tidak-ada")
        assert err.value.error_dict["template"] == ["Templat infografis tidak ditemukan"]
        assert records.link_of(pkg["id"])["template_id"] is None

    def test_not_an_infographic(self, portal, published):
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_infographic_show", "operator", id=published["id"])


class TestCli:
    def test_init_templates_is_idempotent(self, cli, portal):
        """The seed creates the two templates once; --approve approves them; running again changes nothing."""
        first = cli.invoke(infographic, ["init-templates"])
        assert first.exit_code == 0, first.output
        assert {t["name"]: t["approved"] for t in records.templates()} == {"media-sosial": False, "cetak": False}
        again = cli.invoke(infographic, ["init-templates", "--approve"])
        assert again.exit_code == 0 and "sudah ada" in again.output
        assert all(t["approved"] for t in records.templates()) and len(records.templates()) == 2
        portrait = records.get_template("media-sosial")
        assert (portrait["layout"], portrait["width"], portrait["height"]) == ("portrait", 1080, 1350)
        landscape = records.get_template("cetak")
        assert (landscape["layout"], landscape["width"], landscape["height"], landscape["print_dpi"]) == (
            "landscape", 1754, 1240, 300)

    def test_links_backfill(self, cli, portal, published):
        pkg = make_infographic(portal, [published["name"]])
        model.Session.execute(records.link.delete())
        model.Session.commit()
        result = cli.invoke(infographic, ["links"])
        assert result.exit_code == 0 and "1 tautan baru" in result.output
        assert records.link_of(pkg["id"]) is not None
