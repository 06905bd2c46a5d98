"""Translate parsed queries into SQL over the index table.

Every value reaches SQL as a bound parameter (``%(pN)s``); the SQL text only
holds identifiers and operators chosen here.  Field semantics follow CKAN's Solr
schema (:mod:`.fields`): string fields match whole values through the exact GIN
index on ``keys``, text fields match through the weighted ``tsv`` column.
"""
from __future__ import annotations

import itertools
import json
import math
from typing import Any

from ckan.lib.search.common import SearchQueryError

from . import analysis, values
from .fields import TEXT_WEIGHTS, Kind, copy_sources, field_info
from .parser import (
    Bool,
    Func,
    FuncRange,
    MatchAll,
    Node,
    Occur,
    Phrase,
    Range,
    Scoped,
    Term,
    min_should_match,
)

__all__ = ["Compiler", "CFG", "values_of", "key_token", "has_key_token"]

CFG = f"'satudata_search.{analysis.TEXT_CONFIG}'::regconfig"
# Above this many word combinations a dismax `mm` stays a sum of matches instead of one tsquery.
MAX_MM_COMBINATIONS = 64
# Filters carried by nearly every search (visibility, and the dataset type CKAN and the harvest plugin add),
# stored as columns with planner statistics: testing them reads no out-of-line `keys`.
HOT_COLUMNS = ("site_id", "state", "capacity", "dataset_type")
# Fields filtered on their own columns, never through `keys`.
NOT_KEYED = (*HOT_COLUMNS, "permission_labels")
_RANGE_OPS = {(True, True): (">=", "<="), (True, False): (">=", "<"),
              (False, True): (">", "<="), (False, False): (">", "<")}
_SQL_FUNCS = {"div": None, "mul": "*", "product": "*", "sub": "-", "add": "+", "sum": "+",
              "max": "GREATEST", "min": "LEAST", "abs": "abs"}


def values_of(field: str, field_sql: str) -> str:
    """SQL for a field's value array, wherever the row keeps it (`texts`, `terms` or `bulky`)."""
    if field_info(field).kind is Kind.TEXT:
        return f"i.texts -> {field_sql}"
    return f"coalesce(i.terms -> {field_sql}, i.bulky -> {field_sql})"


def has_key_token(field: str) -> bool:
    """Whether exact values of `field` are in `keys` (numbers compare by value, so they stay in `terms`)."""
    return field not in NOT_KEYED and "=" not in field and field_info(field).kind not in (Kind.TEXT, Kind.NUMBER)


def key_token(field: str, value: str) -> str:
    return f"{field}={value}"


def _contains(value_json: str) -> str:
    return f"(i.terms @> {value_json}::jsonb OR i.bulky @> {value_json}::jsonb)"


class Compiler:
    """Builds one SQL statement's WHERE clause and rank expression."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.rank_terms: list[str] = []
        # SQL of a plain `tsv @@ query` condition -> its tsquery text, so `mm` can merge them.
        self._tsv_queries: dict[str, str] = {}

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"

    # --- entry points --------------------------------------------------------------------

    def where(self, node: Node, *, default_fields: list[tuple[str, float]],
              mm: str | None = None, rank: bool = False) -> str:
        sql = self._node(node, default_fields, mm=mm, rank=rank, top=True)
        return sql if sql is not None else "TRUE"

    def rank_sql(self) -> str:
        if not self.rank_terms:
            return "1.0::float8"
        query = " | ".join(dict.fromkeys(self.rank_terms))
        # Ranked on `head` (title A, name/tags/groups/organization B), kept small and inline:
        # the qf boosts that decide dismax order live there; `text`-only matches tie at 0.
        return f"ts_rank('{{0.1,0.1,0.5,1.0}}', i.head, to_tsquery({CFG}, {self.param(query)}))::float8"

    def func_sql(self, func: Func | float | str) -> str:
        if isinstance(func, float):
            return self.param(func) + "::float8"
        if isinstance(func, str):
            fi = field_info(func)
            if fi.kind is not Kind.NUMBER:
                raise SearchQueryError(f"Kolom '{func}' bukan kolom angka")
            return f"coalesce(({values_of(func, self.param(func))} -> 0)::float8, 0)"
        args = [self.func_sql(a) for a in func.args]
        if func.name == "field":
            return args[0]
        if func.name == "div":
            return f"({args[0]} / NULLIF({args[1]}, 0))"
        op = _SQL_FUNCS[func.name]
        if op in ("GREATEST", "LEAST", "abs"):
            return f"{op}({', '.join(args)})"
        return "(" + f" {op} ".join(args) + ")"

    # --- nodes ---------------------------------------------------------------------------

    def _node(self, node: Node, dflt, *, mm=None, rank=False, top=False) -> str | None:
        if isinstance(node, Bool):
            return self._bool(node, dflt, mm=mm if top else None, rank=rank)
        if isinstance(node, MatchAll):
            return "TRUE"
        if isinstance(node, Scoped):
            return self._node(node.node, node.default_fields, mm=node.mm, rank=rank, top=True)
        if isinstance(node, FuncRange):
            return self._frange(node)
        fields = [(node.field, 1.0)] if getattr(node, "field", None) else dflt
        if isinstance(node, Range):
            return self._range(node)
        parts = [self._field_cond(f, node, rank) for f, _b in self._covering(fields)]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    @staticmethod
    def _covering(fields):
        # `text` receives every other qf field through Solr's copyFields, so when it is
        # among the default fields it alone decides whether a word matches.
        names = [f for f, _ in fields]
        if "text" in names:
            return [("text", 1.0)]
        return fields

    def _bool(self, node: Bool, dflt, *, mm, rank) -> str | None:
        must, should, must_not = [], [], []
        for occur, child in node.clauses:
            sql = self._node(child, dflt, rank=rank and occur is not Occur.MUST_NOT)
            if sql is None:
                continue
            {Occur.MUST: must, Occur.SHOULD: should, Occur.MUST_NOT: must_not}[occur].append(sql)
        parts = list(must)
        if should:
            if mm is not None and not node.explicit_or:
                k = min_should_match(mm, len(should))
            else:
                k = 0 if must else 1
            if k >= len(should):
                parts.extend(should)
            elif k == 1:
                parts.append("(" + " OR ".join(should) + ")")
            elif k > 1 and (merged := self._merge_min_match(should, k)) is not None:
                parts.append(merged)
            elif k > 1:
                counted = " + ".join(f"({s})::int" for s in should)
                parts.append("(" + " OR ".join(should) + ")")
                parts.append(f"(({counted}) >= {int(k)})")
        for s in must_not:
            parts.append(f"NOT coalesce({s}, false)")
        if not parts:
            return None
        return "(" + " AND ".join(parts) + ")"

    def _merge_min_match(self, should: list[str], k: int) -> str | None:
        """At least k of n word conditions as one tsquery: `(a & b) | (a & c) | (b & c)`.

        One GIN scan and one recheck per row, instead of n scans and n rechecks."""
        queries = [self._tsv_queries.get(s) for s in should]
        if None in queries or math.comb(len(queries), k) > MAX_MM_COMBINATIONS:
            return None
        query = " | ".join("(" + " & ".join(f"({q})" for q in combo) + ")"
                           for combo in itertools.combinations(queries, k))
        return self._tsv_match(query)

    def _tsv_match(self, query: str) -> str:
        sql = f"(i.tsv @@ to_tsquery({CFG}, {self.param(query)}))"
        self._tsv_queries[sql] = query
        return sql

    def _field_cond(self, field: str, node: Term | Phrase, rank: bool) -> str | None:
        fi = field_info(field)
        if fi.kind is Kind.TEXT:
            return self._text_cond(field, node, rank)
        if fi.kind is Kind.NGRAM:
            return self._ngram_cond(field, node)
        if isinstance(node, Term) and node.prefix and node.text == "":
            name = self.param(field)
            return f"(i.terms ? {name} OR i.bulky ? {name})"
        if isinstance(node, Term) and (node.prefix or node.wildcard):
            pattern = _like_pattern(node.text, prefix=node.prefix, wildcard=node.wildcard)
            return (f"EXISTS (SELECT 1 FROM jsonb_array_elements_text({values_of(field, self.param(field))}) e "
                    f"WHERE e LIKE {self.param(pattern)})")
        value = self._typed(fi.kind, field, node.text)
        if field in HOT_COLUMNS:
            return f"(i.{field} = {self.param(value)})"
        if field == "permission_labels":
            return f"(i.permission_labels @> ARRAY[{self.param(value)}]::text[])"
        if has_key_token(field):
            # exact GIN (no recheck): the text condition is not re-evaluated row by row
            return f"(i.keys @> ARRAY[{self.param(key_token(field, value))}]::text[])"
        return _contains(self.param(json.dumps({field: [value]})))

    def _typed(self, kind: Kind, field: str, text: str):
        if kind is Kind.NUMBER:
            try:
                return values.to_number(text)
            except ValueError as err:
                raise SearchQueryError(f"Nilai '{text}' untuk kolom '{field}' harus berupa angka") from err
        if kind is Kind.DATE:
            return values.parse_query_date(text)
        if kind is Kind.BOOL:
            return values.to_bool(text)
        return text

    def _text_cond(self, field: str, node: Term | Phrase, rank: bool) -> str | None:
        weight = TEXT_WEIGHTS.get(field, "")
        if isinstance(node, Term) and node.prefix and node.text == "":
            if field == "text":
                return "TRUE"
            column = "i.doc" if field in TEXT_WEIGHTS else "i.texts"
            return f"({column} ? {self.param(field)})"
        if isinstance(node, Phrase):
            query = analysis.tsquery_phrase(node.text, weights=weight)
        elif node.wildcard:
            stem = node.text.split("*")[0].split("?")[0]
            query = analysis.tsquery_word(stem, prefix=True, weights=weight) if stem else ""
        else:
            query = analysis.tsquery_word(node.text, prefix=node.prefix, weights=weight)
        if not query:
            return None
        if field == "text" or weight:
            if rank:
                self.rank_terms.append(query if not weight else query.replace(":" + weight, ""))
            return self._tsv_match(query)
        return (f"(to_tsvector({CFG}, coalesce(i.texts -> {self.param(field)}, '[]'::jsonb)) "
                f"@@ to_tsquery({CFG}, {self.param(query)}))")

    def _ngram_cond(self, field: str, node: Term | Phrase) -> str | None:
        # Solr indexes 2..10-grams of the lowercased source value and splits the query
        # on whitespace: every query word must occur inside the value.
        words = [w for w in analysis.normalize_word(node.text).split() if w]
        sources = copy_sources(field)
        if not words or not sources:
            return None
        conds = []
        for source in sources:
            value = (f"lower(i.doc ->> {self.param(source)})" if source in TEXT_WEIGHTS or source == "title"
                     else f"lower({values_of(source, self.param(source))} ->> 0)")
            conds.append("(" + " AND ".join(
                f"{value} LIKE {self.param('%' + _like_pattern(w, prefix=False, wildcard=False) + '%')}"
                for w in words) + ")")
        return "(" + " OR ".join(conds) + ")"

    def _range(self, node: Range) -> str:
        fi = field_info(node.field)
        low = None if node.low is None else self._typed(fi.kind, node.field, node.low)
        high = None if node.high is None else self._typed(fi.kind, node.field, node.high)
        if low is None and high is None:
            name = self.param(node.field)
            if fi.kind is Kind.TEXT:
                return f"(i.texts ? {name})"
            return f"(i.terms ? {name} OR i.bulky ? {name})"
        lo_op, hi_op = _RANGE_OPS[(node.include_low, node.include_high)]
        conds, variables = [], {}
        if low is not None:
            conds.append(f"@ {lo_op} $lo")
            variables["lo"] = low
        if high is not None:
            conds.append(f"@ {hi_op} $hi")
            variables["hi"] = high
        path = "$[*] ? (" + " && ".join(conds) + ")"
        return (f"jsonb_path_exists({values_of(node.field, self.param(node.field))}, "
                f"{self.param(path)}::jsonpath, {self.param(json.dumps(variables))}::jsonb)")

    def _frange(self, node: FuncRange) -> str:
        expr = self.func_sql(node.func)
        conds = []
        if node.low is not None:
            conds.append(f"{expr} {'>=' if node.include_low else '>'} {self.param(node.low)}")
        if node.high is not None:
            conds.append(f"{expr} {'<=' if node.include_high else '<'} {self.param(node.high)}")
        return "(" + " AND ".join(conds or ["TRUE"]) + ")"


def _like_pattern(text: str, *, prefix: bool, wildcard: bool) -> str:
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if wildcard and c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\\" + nxt if nxt in "%_\\" else nxt)
            i += 2
            continue
        if c in "%_\\":
            out.append("\\" + c)
        elif wildcard and c == "*":
            out.append("%")
        elif wildcard and c == "?":
            out.append("_")
        else:
            out.append(c)
        i += 1
    return "".join(out) + ("%" if prefix else "")
