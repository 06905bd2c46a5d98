"""package_search on the embedded engine: syntax, Indonesian text, facets, sorting, paging."""
from __future__ import annotations

from itertools import combinations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib.search.common import SearchError, SearchQueryError, make_connection
from ckan.tests import helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import PUBLIC


def names(**params):
    result = helpers.call_action("package_search", context={"user": "", "ignore_auth": False}, rows=100, **params)
    return {d["name"] for d in result["results"]}


@pytest.mark.usefixtures("catalogue")
class TestQuerySyntax:
    @pytest.mark.parametrize("q,expected", [
        ("padi jagung", {"contoh-padi"}),
        ("padi OR puskesmas", {"contoh-padi", "contoh-faskes"}),
        ("padi -jagung", set()),
        ("+kesehatan -puskesmas", set()),
        ("kecamatan NOT padi", {"contoh-penduduk"}),
        ('"rumah sakit"', {"contoh-faskes"}),
        ('"sakit rumah"', set()),
        ("tags:pertanian", {"contoh-padi"}),
        ("tags:Pertanian", set()),
        ("title:padi", {"contoh-padi"}),
        ("title:puskesmas", set()),
        ("notes:puskesmas", {"contoh-faskes"}),
        ("name:contoh-p*", {"contoh-padi", "contoh-penduduk", "contoh-perumahan"}),
        ("name:contoh-?adi", {"contoh-padi"}),
        ("res_format:GeoJSON", {"contoh-faskes"}),
        ("tags:(pertanian OR pariwisata)", {"contoh-padi", "contoh-kafe"}),
        ("organization:dinkes AND tags:kesehatan", {"contoh-faskes"}),
        ("*:*", PUBLIC),
        ("prodXX*", set()),
        ("produk*", {"contoh-padi"}),
        ("kesehatan (puskesmas", {"contoh-faskes"}),
        ('"rumah sakit', {"contoh-faskes"}),
        ("padi --", {"contoh-padi"}),
        ("AND", set()),
        ("produksi*", {"contoh-padi"}),
    ])
    def test_query(self, q, expected):
        """Each query shape returns exactly the datasets Solr would return."""
        assert names(q=q) == expected

    @pytest.mark.parametrize("fq,expected", [
        ("res_format:CSV", {"contoh-penduduk", "contoh-kemiskinan", "contoh-padi"}),
        ("res_format:(JSON OR GeoJSON)", {"contoh-perumahan", "contoh-faskes"}),
        ("-res_format:CSV", PUBLIC - {"contoh-penduduk", "contoh-kemiskinan", "contoh-padi"}),
        ('+organization:"dinsos"', {"contoh-kemiskinan"}),
        ("metadata_modified:[NOW-1DAY TO NOW+1DAY]", PUBLIC),
        ("metadata_modified:[* TO NOW-1YEAR]", set()),
        ("metadata_created:{NOW-1DAY TO *}", PUBLIC),
        ("num_resources:[2 TO 2]", {"contoh-kemiskinan"}),
    ])
    def test_filter_query(self, fq, expected):
        """fq strings restrict the result set, including ranges with date math."""
        assert names(fq=fq) == expected

    def test_fq_list(self):
        """fq_list entries combine with AND."""
        assert names(fq_list=["res_format:CSV", "tags:sosial"]) == {"contoh-kemiskinan"}

    def test_bad_syntax_is_a_query_error(self):
        """Broken syntax raises SearchQueryError from the action."""
        with pytest.raises(SearchQueryError):
            helpers.call_action("package_search", q="title:(padi")

    def test_bad_date_is_a_query_error(self):
        """A bad date in a range is a query error, not a server error."""
        with pytest.raises(SearchQueryError):
            helpers.call_action("package_search", fq="metadata_modified:[kemarin TO *]")

    def test_injection_is_inert(self):
        """SQL in a query is searched for as words and changes nothing."""
        assert names(q="'; DROP TABLE package; --") == set()
        assert model.Session.execute(sa.text("select count(*) from package")).scalar() == 8


@pytest.mark.usefixtures("catalogue")
class TestIndonesianText:
    @pytest.mark.parametrize("q,expected", [
        ("miskin", {"contoh-kemiskinan"}),
        ("kemiskinan", {"contoh-kemiskinan"}),
        ("penduduk", {"contoh-penduduk", "contoh-kemiskinan"}),
        ("kependudukan", {"contoh-penduduk", "contoh-kemiskinan"}),
        ("rumah", {"contoh-perumahan", "contoh-faskes"}),
        ("perumahan", {"contoh-perumahan", "contoh-faskes"}),
        ("sehat", {"contoh-faskes"}),
        ("KESEHATAN", {"contoh-faskes"}),
        ("kafe", {"contoh-kafe"}),
        ("KAFÉ", {"contoh-kafe"}),
        ("school", {"contoh-school"}),
        ("produksi padi dan jagung di kecamatan", {"contoh-padi"}),
        ("dan", {"contoh-faskes", "contoh-padi", "contoh-kafe"}),  # alone, a stopword is searched
    ])
    def test_obvious_indonesian_queries(self, q, expected):
        """Affixed and root forms, case and accents find the same datasets."""
        assert names(q=q) == expected


@pytest.mark.usefixtures("catalogue")
class TestMinimumMatch:
    @pytest.mark.parametrize("words", [
        ("padi", "kecamatan", "penduduk"),
        ("rumah", "sakit", "kesehatan", "padi"),
        ("miskin", "penduduk", "sosial", "pasuruan", "padi"),
    ])
    def test_mm_matches_every_pair_of_words(self, words):
        """CKAN's dismax mm over 3-5 words finds what the Lucene queries of each allowed combination find."""
        expected = set()
        for combo in combinations(words, len(words) - 1):  # mm `2<-1 5<80%`: all but one of 3-5 words
            expected |= names(q=" AND ".join(f"text:{w}" for w in combo))
        assert names(q=" ".join(words)) == expected
        assert expected, "the fixture catalogue must make this query match something"


@pytest.mark.usefixtures("catalogue")
class TestFacetsSortingPaging:
    def test_facet_counts_equal_sql_truth(self):
        """Tag and format facets equal counts computed from the catalogue tables."""
        result = helpers.call_action("package_search", context={"user": "", "ignore_auth": False}, rows=0,
                                     **{"facet.field": ["tags", "res_format", "organization"],
                                        "facet.limit": -1})
        tags = dict(model.Session.execute(sa.text("""
            SELECT t.name, count(DISTINCT p.id) FROM package p
            JOIN package_tag pt ON pt.package_id = p.id AND pt.state = 'active'
            JOIN tag t ON t.id = pt.tag_id
            WHERE p.state = 'active' AND NOT p.private GROUP BY t.name""")).all())
        formats = dict(model.Session.execute(sa.text("""
            SELECT r.format, count(DISTINCT p.id) FROM package p JOIN resource r ON r.package_id = p.id
            WHERE p.state = 'active' AND NOT p.private AND r.state = 'active' GROUP BY r.format""")).all())
        orgs = dict(model.Session.execute(sa.text("""
            SELECT g.name, count(*) FROM package p JOIN "group" g ON g.id = p.owner_org
            WHERE p.state = 'active' AND NOT p.private GROUP BY g.name""")).all())
        assert result["facets"]["tags"] == tags
        assert result["facets"]["organization"] == orgs
        # res_format is multi-valued per resource; Solr counts documents, not resources
        assert result["facets"]["res_format"] == formats

    def test_facet_limit_mincount(self):
        """facet.limit and facet.mincount behave as in Solr."""
        params = {"facet.field": ["res_format"], "rows": 0}
        top = helpers.call_action("package_search", **params, **{"facet.limit": 1})
        assert top["facets"]["res_format"] == {"CSV": 3}
        many = helpers.call_action("package_search", **params, **{"facet.mincount": 2})
        assert many["facets"]["res_format"] == {"CSV": 3}

    def test_facet_sort_index(self):
        """facet.sort=index (sent by extensions straight to the connection) orders by value."""
        conn = make_connection()
        result = conn.search(q="*:*", fq=["+capacity:public"], rows=0, facet="true",
                             **{"facet.field": ["tags"], "facet.sort": "index", "facet.limit": -1})
        values = result.facets["facet_fields"]["tags"][0::2]
        assert values == sorted(values) and len(values) == 9

    def test_sort_and_paging(self):
        """Sorting on string fields and several keys; rows/start page through it."""
        ordered = [d["name"] for d in helpers.call_action(
            "package_search", sort="title_string asc", rows=100)["results"]]
        titles = [d["title"] for d in helpers.call_action(
            "package_search", sort="title_string asc", rows=100)["results"]]
        assert titles == sorted(titles)
        page = [d["name"] for d in helpers.call_action(
            "package_search", sort="title_string asc", rows=2, start=2)["results"]]
        assert page == ordered[2:4]
        desc = [d["name"] for d in helpers.call_action(
            "package_search", sort="name desc", rows=100)["results"]]
        assert desc == sorted(desc, reverse=True)
        pairs = [(d["organization"]["name"], d["name"]) for d in helpers.call_action(
            "package_search", sort="organization asc, name desc", include_private=True, rows=100)["results"]]
        expected = sorted(pairs, key=lambda p: p[1], reverse=True)
        assert pairs == sorted(expected, key=lambda p: p[0])  # stable: name desc within each OPD
        assert [n for o, n in pairs if o == "dinkes"] == ["contoh-rahasia", "contoh-faskes"]

    def test_count_only_search_reads_no_sort_but_checks_it(self):
        """rows=0 (counts and facets, as the home page asks) gives the same figures with any sort, and a
        malformed sort is still refused."""
        one = helpers.call_action("package_search", rows=0, sort="title_string asc",
                                  **{"facet.field": ["organization"], "facet.limit": -1})
        other = helpers.call_action("package_search", rows=0, **{"facet.field": ["organization"],
                                                                 "facet.limit": -1})
        assert one["count"] == other["count"] > 0 and one["results"] == [] == other["results"]
        assert one["facets"] == other["facets"] and one["facets"]["organization"]
        with pytest.raises(SearchQueryError):
            helpers.call_action("package_search", rows=0, sort="title_string sideways")

    def test_pages_are_slices_of_one_order(self):
        """Pages taken by the top-N sort are consecutive slices of the full ranking (ties by index order)."""
        params = {"q": "penduduk OR data OR kecamatan OR produksi", "include_private": True}
        full = [d["name"] for d in helpers.call_action("package_search", rows=100, **params)["results"]]
        assert len(full) >= 4
        pages = [d["name"] for start in range(0, len(full), 3)
                 for d in helpers.call_action("package_search", rows=3, start=start, **params)["results"]]
        assert pages == full

    def test_rank_prefers_title_matches(self):
        """Default sort by score ranks a title match above a notes-only match."""
        result = helpers.call_action("package_search", q="penduduk")
        assert [d["name"] for d in result["results"]][0] == "contoh-penduduk"

    def test_field_list(self):
        """fl returns just the asked fields."""
        result = helpers.call_action("package_search", q="padi", fl=["name", "title"])
        assert result["results"] == [{"name": "contoh-padi", "title": "Produksi Padi dan Jagung"}]

    def test_count_is_total_not_page(self):
        """count is the number of matches, whatever rows says."""
        result = helpers.call_action("package_search", rows=1)
        assert result["count"] == len(PUBLIC)
        assert len(result["results"]) == 1


_fragments = st.sampled_from([
    "padi", "kesehatan", "tags:", "title:", "res_format:", "name:contoh-*", '"', "(", ")", "[", "]", "{", "}",
    " TO ", " AND ", " OR ", " NOT ", "-", "+", "*", "?", "\\", ":", "^2", "~", "NOW-1DAY", "*:*", "{!frange l=0}",
    "metadata_modified:[", "2024", "'", ";", "%", "_", "é", "\x00",
])


@pytest.mark.usefixtures("catalogue")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.lists(_fragments, max_size=12).map("".join), fq=st.lists(_fragments, max_size=6).map("".join))
def test_random_queries_give_results_or_a_query_error(q, fq):
    """Through package_search, any q/fq gives results or SearchQueryError, and never leaks private data."""
    try:
        result = helpers.call_action("package_search", context={"user": "", "ignore_auth": False}, q=q, fq=fq,
                                     **{"facet.field": ["tags", "name"]})
    except SearchQueryError:
        return
    except SearchError as err:  # CKAN's own refusal of local params
        assert "not supported" in str(err) or "Local parameters" in str(err)
        return
    assert not {d["name"] for d in result["results"]} - PUBLIC
    assert "contoh-rahasia" not in result["facets"].get("name", {})
