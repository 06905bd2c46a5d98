"""The query parser and its SQL translation, without a database."""
from __future__ import annotations

import pytest
from ckan.lib.search.common import SearchQueryError
from hypothesis import given, settings
from hypothesis import strategies as st

from ckanext.satudatapasuruan.pgsearch.compiler import Compiler
from ckanext.satudatapasuruan.pgsearch.engine import _plan
from ckanext.satudatapasuruan.pgsearch.parser import (
    Bool,
    Func,
    MatchAll,
    Occur,
    Phrase,
    Range,
    Term,
    min_should_match,
    parse_function,
    parse_local_params,
    parse_query,
)


def occurs(node):
    return [(o, c) for o, c in node.clauses]


class TestClauses:
    def test_default_and_makes_plain_words_required(self):
        """With q.op=AND every unmarked word is required, as in Solr."""
        node = parse_query("air bersih", default_and=True)
        assert [o for o, _ in occurs(node)] == [Occur.MUST, Occur.MUST]

    def test_or_makes_both_sides_optional(self):
        """`a OR b` gives two SHOULD clauses even under q.op=AND (Lucene's addClause)."""
        node = parse_query("air OR listrik", default_and=True)
        assert [o for o, _ in occurs(node)] == [Occur.SHOULD, Occur.SHOULD]
        assert node.explicit_or

    def test_modifiers(self):
        """`+`, `-`, `NOT` and `!` set MUST and MUST_NOT."""
        node = parse_query("+a -b NOT c !d", default_and=False)
        assert [o for o, _ in occurs(node)] == [Occur.MUST, Occur.MUST_NOT, Occur.MUST_NOT, Occur.MUST_NOT]

    def test_and_between_optional_words(self):
        """`a AND b` under q.op=OR makes both required."""
        node = parse_query("a AND b", default_and=False)
        assert [o for o, _ in occurs(node)] == [Occur.MUST, Occur.MUST]

    def test_field_value_and_group(self):
        """A field name applies to every word of a parenthesised group."""
        node = parse_query("tags:(kesehatan OR pendidikan)")
        group = node.clauses[0][1]
        assert isinstance(group, Bool)
        assert [c.field for _, c in group.clauses] == ["tags", "tags"]

    def test_phrase_and_quoted_field(self):
        """Quoted values are phrases; escapes inside quotes are kept literally."""
        node = parse_query('title:"jumlah \\"penduduk\\""')
        phrase = node.clauses[0][1]
        assert phrase == Phrase("title", 'jumlah "penduduk"')

    def test_ranges(self):
        """Inclusive and exclusive bounds, and open ends with `*`."""
        node = parse_query("num_resources:[1 TO 5} metadata_modified:[NOW-1DAY TO *]")
        first, second = (c for _, c in node.clauses)
        assert first == Range("num_resources", "1", "5", True, False)
        assert second == Range("metadata_modified", "NOW-1DAY", None, True, True)

    def test_wildcards(self):
        """A trailing `*` is a prefix; `*` or `?` elsewhere is a wildcard; `*:*` matches all."""
        node = parse_query("name:penduduk* name:pen?uduk *:*")
        a, b, c = (n for _, n in node.clauses)
        assert a == Term("name", "penduduk", prefix=True)
        assert b.wildcard and b.text == "pen?uduk"
        assert isinstance(c, MatchAll)

    def test_escaped_colon_is_part_of_the_value(self):
        """`\\:` keeps a colon inside a value (URLs in res_url queries)."""
        node = parse_query(r"res_url:http\://contoh.id/a.csv")
        assert node.clauses[0][1].text == "http://contoh.id/a.csv"

    def test_hyphen_inside_word(self):
        """A hyphen inside a word does not negate (covid-19)."""
        node = parse_query("covid-19")
        assert node.clauses[0] == (Occur.MUST, Term(None, "covid-19"))

    def test_boost_is_parsed(self):
        """`^2` after a clause sets its boost and is not treated as text."""
        node = parse_query("title:air^2")
        assert node.clauses[0][1].boost == 2.0

    @pytest.mark.parametrize("bad", [
        '"tidak ditutup', "(a OR b", "a)", "title:[1 TO", "[1 TO 2]", "AND a", "a AND",
        "x:y:[", "\\", "title:", "a^b^", "{!", "()",
    ])
    def test_bad_syntax_raises_search_query_error(self, bad):
        """Broken syntax is a SearchQueryError with an Indonesian message, never anything else."""
        with pytest.raises(SearchQueryError) as err:
            parse_query(bad)
        assert "tidak" in str(err.value) or "Kueri" in str(err.value)

    def test_overlong_query_is_refused(self):
        """A query longer than the limit is refused before parsing."""
        with pytest.raises(SearchQueryError):
            parse_query("a " * 6000)


class TestMinimumShouldMatch:
    @pytest.mark.parametrize("n,expected", [(1, 1), (2, 2), (3, 2), (5, 4), (6, 4), (10, 8)])
    def test_ckan_default_spec(self, n, expected):
        """CKAN's mm `2<-1 5<80%`: all of 1-2 words, all but one of 3-5, 80% above."""
        assert min_should_match("2<-1 5<80%", n) == expected

    def test_plain_and_percent(self):
        """Integer, negative and percentage forms."""
        assert min_should_match("1", 4) == 1
        assert min_should_match("-1", 4) == 3
        assert min_should_match("50%", 5) == 2

    def test_bad_spec(self):
        """A malformed mm is a SearchQueryError."""
        with pytest.raises(SearchQueryError):
            min_should_match("x<y", 3)


class TestFunctionsAndLocalParams:
    def test_solr_bbox_function(self):
        """The function ckanext-spatial's solr-bbox backend sends parses to a tree."""
        f = parse_function("div(mul(max(0,sub(min(113.5,maxx),max(112.5,minx))),2),add(1.0,mul(sub(maxy,miny),2)))")
        assert isinstance(f, Func) and f.name == "div"

    def test_unknown_function(self):
        """Functions outside the supported set are refused."""
        with pytest.raises(SearchQueryError):
            parse_function("geodist(a,b)")

    def test_local_params(self):
        """`{!frange l=0 u=1 incl=false}f` splits into params and body."""
        params, rest = parse_local_params("{!frange l=0 u=1 incl=false}div(1,2)")
        assert params == {"type": "frange", "l": "0", "u": "1", "incl": "false"}
        assert rest == "div(1,2)"


class TestTranslation:
    def test_values_are_bound_parameters(self):
        """Values never appear in the SQL text, only as parameters."""
        plan = _plan("title:\"'; DROP TABLE package; --\"", {"fq": ["+tags:\"x' OR 1=1 --\""]})
        assert "DROP TABLE" not in plan.sql
        assert "1=1" not in plan.sql
        assert any("drop" in str(v).lower() for v in plan.params.values())

    def test_string_field_uses_exact_keys(self):
        """An exact string field becomes a `keys` text[] containment, served by a GIN without recheck."""
        comp = Compiler()
        sql = comp.where(parse_query("tags:kesehatan"), default_fields=[("text", 1.0)])
        assert "i.keys @> ARRAY[" in sql
        assert "tags=kesehatan" in comp.params.values()

    def test_number_field_uses_terms(self):
        """Numbers compare by value (2 = 2.0), so they are not in `keys`: jsonb containment."""
        comp = Compiler()
        sql = comp.where(parse_query("views_total:2"), default_fields=[("text", 1.0)])
        assert "i.terms @>" in sql and "keys" not in sql
        assert '{"views_total": [2]}' in comp.params.values()

    def test_text_field_uses_tsvector(self):
        """`title:` searches the weighted tsvector restricted to weight A."""
        comp = Compiler()
        sql = comp.where(parse_query("title:air"), default_fields=[("text", 1.0)])
        assert "i.tsv @@ to_tsquery" in sql
        assert "'air':A" in comp.params.values()

    def test_number_field_refuses_text(self):
        """A non-numeric value for a numeric field is a clear query error."""
        with pytest.raises(SearchQueryError, match="angka"):
            _plan("views_total:banyak", {})

    def test_bad_sort(self):
        """An unparseable sort is reported as CKAN expects."""
        with pytest.raises(SearchQueryError, match="sort"):
            _plan("*:*", {"sort": "title_string sideways"})

    def test_negative_rows(self):
        """Negative paging is a query error."""
        with pytest.raises(SearchQueryError):
            _plan("*:*", {"rows": -1})


_query_chars = st.sampled_from(list('abc xyz:*?"()[]{}+-!^~\\/&|') + ["AND", "OR", "NOT", "TO", " tags:", "title:"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_query_chars, max_size=25).map("".join))
def test_any_string_parses_or_raises_search_query_error(text):
    """Random query strings give a plan or SearchQueryError, nothing else."""
    for def_type in ("lucene", "dismax", "edismax"):
        try:
            _plan(text, {"defType": def_type, "q.op": "AND", "mm": "2<-1 5<80%", "fq": [text]})
        except SearchQueryError:
            pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_unicode_parses_or_raises_search_query_error(text):
    """Arbitrary unicode, including control characters, never escapes as another error."""
    try:
        _plan(text, {"defType": "dismax", "fq": text})
    except SearchQueryError:
        pass
