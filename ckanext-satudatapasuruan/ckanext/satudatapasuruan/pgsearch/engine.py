"""The embedded search engine: a pysolr-compatible connection over PostgreSQL.

``ckan.lib.search`` talks to Solr through four calls of a ``pysolr.Solr``
object: ``add``, ``delete``, ``search`` and ``commit``.  :class:`PgSearchConnection`
answers them from the ``satudata_search.document`` table, on the same database
connection and transaction as CKAN's own session: an index row is written or
deleted together with the catalogue change that caused it, and a rollback takes
both away.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

import pysolr
import sqlalchemy as sa
from ckan import model
from ckan.lib.search.common import SearchError, SearchIndexError, SearchQueryError
from psycopg2 import errors as pg_errors
from psycopg2.extras import execute_values

from . import analysis, cache, config, maintenance, values
from .compiler import CFG, Compiler, has_key_token, key_token, values_of
from .fields import TSV_ONLY, WEIGHT_OF, Kind, copied_to_text, field_info
from .parser import (
    Bool,
    FuncRange,
    Node,
    Occur,
    Scoped,
    dismax_escape,
    parse_function,
    parse_local_params,
    parse_query,
)

__all__ = ["PgSearchConnection", "TABLE", "SCHEMA"]

log = logging.getLogger(__name__)

SCHEMA = "satudata_search"
TABLE = f"{SCHEMA}.document"
DEFAULT_QF = "name^4 title^4 tags^2 groups^2 text"
MAX_TSV_TEXT = 500_000  # PostgreSQL caps a tsvector at 1 MB
# Stored only: CKAN never queries these, and `terms` must stay small (migration 0003).
_NOT_INDEXED = {"data_dict", "validated_data_dict", "index_id", "indexed_ts"}
_SORT_RE = re.compile(r"^\s*([\w.\-]+)\s+(asc|desc)\s*$", re.I)

_UPSERT = f"""
INSERT INTO {TABLE} AS d (index_id, site_id, state, capacity, dataset_type, permission_labels, keys, terms,
                          bulky, texts, head, tsv, doc)
VALUES %s
ON CONFLICT (index_id) DO UPDATE SET
  rid = nextval('{SCHEMA}.document_rid_seq'), site_id = EXCLUDED.site_id, state = EXCLUDED.state,
  capacity = EXCLUDED.capacity, dataset_type = EXCLUDED.dataset_type,
  permission_labels = EXCLUDED.permission_labels, keys = EXCLUDED.keys,
  terms = EXCLUDED.terms,
  bulky = EXCLUDED.bulky, texts = EXCLUDED.texts, head = EXCLUDED.head, tsv = EXCLUDED.tsv, doc = EXCLUDED.doc
"""
_WEIGHTED = (f"setweight(to_tsvector({CFG}, %s), 'A') || setweight(to_tsvector({CFG}, %s), 'B')")
_UPSERT_TEMPLATE = (
    f"(%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, {_WEIGHTED}, "
    f"{_WEIGHTED} || setweight(to_tsvector({CFG}, %s), 'C') || setweight(to_tsvector({CFG}, %s), 'D'), "
    f"%s::jsonb)"
)
# A field whose values serialise longer than this goes to `bulky`, keeping `terms`
# small enough to stay uncompressed in the row (see migration 0003) ...
BULKY_FIELD = 64
# ... unless every value is short: tag-like lists (tags, groups, formats) are what facets
# read for every match, and a detoasted `bulky` per row cost more than the facet itself.
SHORT_VALUE = 32


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if v is not None]
    return [value]


def prepare_document(doc: dict[str, Any]) -> tuple:
    """Split a Solr document into the stored fields, typed terms and weighted text."""
    stored: dict[str, Any] = {}
    terms: dict[str, list[Any]] = {}
    texts: dict[str, list[str]] = {}
    weighted: dict[str, list[str]] = {"A": [], "B": [], "C": [], "D": []}
    doc = dict(doc)
    doc.setdefault("indexed_ts", dt.datetime.utcnow())
    for key, raw in doc.items():
        fi = field_info(key)
        items = _as_list(raw)
        if fi.kind is Kind.DATE:
            try:
                items = [values.date_key(v) for v in items]
            except (ValueError, OverflowError) as err:
                raise SearchIndexError(f"Nilai tanggal tidak valid pada kolom '{key}': {raw!r}") from err
        elif fi.kind is Kind.NUMBER:
            try:
                items = [values.to_number(v) for v in items]
            except (ValueError, TypeError) as err:
                raise SearchIndexError(f"Nilai angka tidak valid pada kolom '{key}': {raw!r}") from err
        elif fi.kind is Kind.BOOL:
            items = [values.to_bool(v) for v in items]
        else:
            items = [v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else str(v)
                     for v in items]
        if fi.stored:
            if fi.kind is Kind.DATE:
                shown: Any = [values.solr_date(v) for v in items]
            else:
                shown = items
            if not fi.multi and not isinstance(raw, (list, tuple, set)):
                shown = shown[0] if shown else None
            if shown is not None:
                stored[key] = shown
        if key in _NOT_INDEXED or not fi.indexed:
            continue
        if fi.kind is not Kind.TEXT:
            terms[key] = items
        elif key not in TSV_ONLY:
            texts[key] = items
        if key in WEIGHT_OF:
            words = [str(v).replace("-", " ") if key == "name" else str(v) for v in items]
            weighted[WEIGHT_OF[key]].extend(words)
        elif key == "text" or copied_to_text(key):
            weighted["D"].extend(str(v) for v in items)
    index_id = doc.get("index_id") or doc.get("id")
    if not index_id:
        raise SearchIndexError("Dokumen indeks tanpa index_id")
    site_id = str(doc.get("site_id") or "")
    joined = ["\n".join(weighted[w])[:MAX_TSV_TEXT] for w in "ABCD"]
    hot = [(terms.get(f) or [None])[0] for f in ("state", "capacity", "dataset_type")]
    labels = [str(v) for v in terms.get("permission_labels", [])]
    keys = list(dict.fromkeys(key_token(k, v) for k, items in terms.items() if has_key_token(k) for v in items))
    bulky = {}
    for key in [k for k, v in terms.items()
                if len(json.dumps(v)) > BULKY_FIELD and any(len(str(x)) > SHORT_VALUE for x in v)]:
        bulky[key] = terms.pop(key)
    return (str(index_id), site_id, *hot, labels, keys, json.dumps(terms), json.dumps(bulky), json.dumps(texts),
            joined[0], joined[1], *joined, json.dumps(stored))


class PgSearchConnection:
    """Drop-in for the ``pysolr.Solr`` object that ``ckan.lib.search`` uses."""

    url = "postgresql://satudata_search"

    def __init__(self, decode_dates: bool = True):
        self.decode_dates = decode_dates

    # --- writes ---------------------------------------------------------------------------

    def add(self, docs: Iterable[dict[str, Any]], commit: bool = True, **_kwargs: Any) -> str:
        rows = [prepare_document(d) for d in docs]
        if not rows:
            return ""
        if commit:
            _write(rows)
        else:
            # Deferred adds (bulk reindexing) are written in batches: before the
            # transaction commits, before any read or delete, or when the batch is full.
            pending = model.Session().info.setdefault(_PENDING, {})
            pending.update((row[0], row) for row in rows)
            if len(pending) >= BATCH_SIZE:
                flush_pending(model.Session())
        return ""

    def delete(self, id: Any = None, q: str | None = None, commit: bool = True, **_kwargs: Any) -> str:
        if id is None and q is None:
            raise ValueError('You must specify "id" or "q".')
        flush_pending(model.Session())
        cache.mark_written(model.Session())
        with _savepoint(SearchIndexError) as cursor:
            if id is not None:
                ids = [str(i) for i in _as_list(id)]
                cursor.execute(f"DELETE FROM {TABLE} i WHERE i.index_id = ANY(%(ids)s)", {"ids": ids})
            if q is not None:
                comp = Compiler()
                # Solr's delete-by-query uses the standard parser with its default OR
                where = comp.where(_parse_lucene(q, default_and=False), default_fields=[("text", 1.0)])
                cursor.execute(f"DELETE FROM {TABLE} i WHERE {where}", comp.params)
        return ""

    def commit(self, *_args: Any, **_kwargs: Any) -> str:
        # Index rows live in CKAN's transaction; an explicit commit (CLI `search-index
        # clear`, `search.commit()`) makes pending index work durable like Solr's would.
        model.Session.commit()
        return ""

    def optimize(self, *_args: Any, **_kwargs: Any) -> str:
        return ""

    # --- reads ----------------------------------------------------------------------------

    def search(self, q: str = "*:*", search_handler: str | None = None, **params: Any) -> pysolr.Results:
        plan = _plan(q, params)
        session = model.Session()
        flush_pending(session)
        with _savepoint(SearchError) as cursor:
            if _is_show(q, params):
                # CKAN's search.show (package_show's copy of a dataset): one exact key, the statement alone.
                cursor.execute(plan.sql, plan.params)
                result = cursor.fetchone()
            else:
                result = self._run(cursor, session, plan)
        return self._results(q, plan, result)

    def _run(self, cursor, session: sa.orm.Session, plan: _Plan) -> tuple:
        """A search through the result cache, under the per-statement planner settings."""
        settings = statement_settings()
        names = list(settings)
        cursor.execute("SELECT " + ", ".join("current_setting(%s)" for _ in names)
                       + ", " + cache.GENERATION_SQL, names)
        *current, oid, generation = cursor.fetchone()
        # a transaction with index writes of its own must see them: no cache for it
        cache_key = None if cache.written(session) else cache.key(plan.sql, plan.params, oid, generation)
        result = cache.get(cache_key)
        if result is None:
            previous = dict(zip(names, current, strict=True))
            _set_local(cursor, settings)
            cursor.execute(plan.sql, plan.params)
            result = cursor.fetchone()
            _set_local(cursor, previous)
            cache.put(cache_key, result, plan.rows)
        return result

    def _results(self, q: str, plan: _Plan, result: tuple) -> pysolr.Results:
        count, page = result[0], json.loads(result[1])
        facets = json.loads(result[2]) if result[2] else None
        docs = []
        for score, doc in page or []:
            if plan.want_score:
                doc["score"] = score
            if self.decode_dates:
                _decode_dates(doc)
            docs.append(doc)
        facet_fields = {}
        for name, items in zip(plan.facet_fields, facets or [], strict=False):
            flat: list[Any] = []
            for value, n in items or []:
                flat.extend((value, n))
            facet_fields[name] = flat
        response = {"responseHeader": {"status": 0, "params": {"q": q}},
                    "response": {"numFound": count, "start": plan.start, "docs": docs}}
        if plan.facet:
            response["facet_counts"] = {"facet_queries": {}, "facet_fields": facet_fields,
                                        "facet_ranges": {}, "facet_intervals": {}, "facet_heatmaps": {}}
        return pysolr.Results(response)


# The query of CKAN's ``PackageSearchQuery.get_index`` (search.show, which package_show reads): one dataset by
# name or id, an exact-key lookup through the `keys` index. It needs neither the broad searches' planner
# settings nor the result cache (half of a package_show's index time went to them).
_SHOW_QUERY = re.compile(r'name:"(?P<ref>[^"\\]*)" OR id:"(?P=ref)"')


def _is_show(q: str, params: dict[str, Any]) -> bool:
    return (_int(params, "rows", 10) == 1 and not params.get("sort") and not params.get("facet")
            and bool(_SHOW_QUERY.fullmatch(q or "")))


# --- per-statement planner settings ----------------------------------------------------------

def statement_settings() -> dict[str, str]:
    """Settings for the one search statement, restored after it.

    - ``work_mem``: broad searches sort and group tens of thousands of rows.
    - ``jit = off``: a broad search's estimated cost passes ``jit_above_cost``, and compiling it
      costs more than it saves (about 50 ms measured at 100k datasets, PostgreSQL 15).
    - ``enable_seqscan = off``: the planner does not count the decompression of the out-of-line
      `tsv` that a sequential scan pays per row, and picks it for words in most documents; the
      exact GIN bitmap halves such a search (0.96 s -> 0.45 s at 100k, 50k matches). A search
      with no indexable condition (`*:*`, negations) still scans: it is the only plan left.
    """
    return {"work_mem": config.work_mem(), "jit": "off", "enable_seqscan": "off"}


def _set_local(cursor, settings: dict[str, str]) -> None:
    cursor.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in settings),
                   [x for item in settings.items() for x in item])


# --- deferred writes -----------------------------------------------------------------------

_PENDING = "satudata_search_pending"
BATCH_SIZE = 500


def _write(rows: list[tuple]) -> None:
    cache.mark_written(model.Session())
    with _savepoint(SearchIndexError) as cursor:
        execute_values(cursor, _UPSERT, rows, template=_UPSERT_TEMPLATE, page_size=BATCH_SIZE)
    maintenance.note_written(len(rows))


def flush_pending(session: sa.orm.Session) -> None:
    """Write the deferred index rows of this session's transaction."""
    pending = session.info.pop(_PENDING, None)
    if pending:
        _write(list(pending.values()))


@sa.event.listens_for(sa.orm.Session, "before_commit")
def _flush_before_commit(session: sa.orm.Session) -> None:
    if session.info.get(_PENDING):
        flush_pending(session)


@sa.event.listens_for(sa.orm.Session, "after_commit")
def _maintain_after_commit(session: sa.orm.Session) -> None:
    cache.advance(session)
    maintenance.maybe_maintain()


@sa.event.listens_for(sa.orm.Session, "after_rollback")
def _drop_after_rollback(session: sa.orm.Session) -> None:
    session.info.pop(_PENDING, None)


# --- planning ------------------------------------------------------------------------------

class _Plan:
    sql: str
    params: dict[str, Any]
    facet_fields: list[str]
    facet: bool
    want_score: bool
    start: int
    rows: int


def _parse_lucene(text: str, default_and: bool, df: str = "text") -> Node:
    """Parse a standard-parser string, honouring a leading ``{!...}`` local-params block."""
    local, rest = parse_local_params(text)
    if local is None:
        return parse_query(text, default_and=default_and)
    kind = local.get("type", "lucene")
    body = local.get("v", rest)
    if kind == "frange":
        try:
            low = float(local["l"]) if "l" in local else None
            high = float(local["u"]) if "u" in local else None
        except ValueError as err:
            raise SearchQueryError("Batas frange harus berupa angka") from err
        return FuncRange(parse_function(body), low, high,
                         local.get("incl", "true") != "false", local.get("incu", "true") != "false")
    if kind == "lucene":
        and_ = str(local.get("q.op", "AND" if default_and else "OR")).upper() == "AND"
        return Scoped(parse_query(body or "*:*", default_and=and_), [(local.get("df", df), 1.0)])
    if kind in ("dismax", "edismax"):
        node = parse_query(body or "*:*", default_and=False, allow_fields=kind == "edismax")
        return Scoped(node, _qf(local.get("qf") or DEFAULT_QF), local.get("mm"))
    if kind == "bool":
        clauses = []
        for key, occur in (("must", Occur.MUST), ("filter", Occur.MUST), ("should", Occur.SHOULD),
                           ("must_not", Occur.MUST_NOT)):
            if key in local:
                clauses.append((occur, _parse_lucene(local[key], default_and, df)))
        return Bool(clauses)
    raise SearchQueryError(f"Parser kueri '{kind}' tidak didukung")


def _parse_user_query(q: str, *, edismax: bool) -> Node:
    """Search-box text: never a syntax error, as with Solr's (e)dismax parsers."""
    q = analysis.drop_stopwords(q)
    if edismax:
        try:
            return parse_query(q, default_and=False, allow_fields=True)
        except SearchQueryError:
            pass
    try:
        return parse_query(dismax_escape(q) or "*:*", default_and=False, allow_fields=False)
    except SearchQueryError:
        # last resort: every word literally
        words = [re.sub(r"([^\w*])", r"\\\1", w) for w in q.split()]
        words = [w.lower() if w in ("AND", "OR", "NOT") else w for w in words]
        return parse_query(" ".join(words) or "*:*", default_and=False, allow_fields=False)


def _qf(spec: str) -> list[tuple[str, float]]:
    fields = []
    for part in str(spec).split():
        name, _, boost = part.partition("^")
        try:
            fields.append((name, float(boost) if boost else 1.0))
        except ValueError as err:
            raise SearchQueryError(f"Parameter qf tidak valid: {spec!r}") from err
    return fields


def _int(params: dict[str, Any], key: str, default: int) -> int:
    value = params.get(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError) as err:
        raise SearchQueryError(f"Parameter '{key}' harus berupa bilangan bulat") from err
    return number


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and str(v).strip()]
    return [str(value)] if str(value).strip() else []


def _plan(q: str, params: dict[str, Any]) -> _Plan:
    comp = Compiler()
    q = q if q not in (None, "") else "*:*"
    def_type = params.get("defType", "lucene")
    default_and = str(params.get("q.op", "OR")).upper() == "AND"
    if def_type in ("dismax", "edismax") and not q.lstrip().startswith("{!"):
        qf = _qf(params.get("qf") or DEFAULT_QF)
        if q.strip() == "*:*" or (def_type == "dismax" and q.strip() == "*"):
            node: Node = parse_query("*:*")
        else:
            node = _parse_user_query(q, edismax=def_type == "edismax")
        where_q = comp.where(node, default_fields=qf, mm=params.get("mm"), rank=True)
    else:
        node = _parse_lucene(q, default_and, params.get("df") or "text")
        where_q = comp.where(node, default_fields=[(params.get("df") or "text", 1.0)], rank=True)
    wheres = [where_q]
    for fq in _list(params.get("fq")):
        node = _parse_lucene(fq, default_and, params.get("df") or "text")
        wheres.append(comp.where(node, default_fields=[(params.get("df") or "text", 1.0)]))
    score = comp.rank_sql()
    if params.get("bf") and def_type == "edismax":
        score = f"({score} + coalesce({comp.func_sql(parse_function(str(params['bf'])))}, 0))"

    rows = _int(params, "rows", 10)
    # No page, no sort: a count-and-facets question (rows=0) reads no sort key of any match.
    order = _order_by(params.get("sort"), comp)
    if not rows:
        order = []
    start = _int(params, "start", 0)
    if rows < 0 or start < 0:
        raise SearchQueryError("Parameter rows dan start tidak boleh negatif")
    fl = [f for f in re.split(r"[\s,]+", str(params.get("fl") or "*")) if f]
    want_score = "score" in fl
    fl_fields = [f for f in fl if f != "score"]
    if not fl_fields or "*" in fl_fields:
        doc_expr = "i.doc"
    else:
        doc_expr = (f"(SELECT coalesce(jsonb_object_agg(k, v), '{{}}'::jsonb) FROM jsonb_each(i.doc) e(k, v) "
                    f"WHERE k = ANY({comp.param(fl_fields)}))")

    facet = str(params.get("facet", "false")).lower() == "true"
    facet_fields = list(dict.fromkeys(_list(params.get("facet.field")))) if facet else []
    limit = _int(params, "facet.limit", 100)
    mincount = _int(params, "facet.mincount", 0)
    facet_sort = str(params.get("facet.sort") or ("count" if limit > 0 else "index"))
    if facet_sort not in ("count", "index"):
        raise SearchQueryError("Parameter facet.sort harus 'count' atau 'index'")
    facet_order = "c DESC, v COLLATE \"C\"" if facet_sort == "count" else "v COLLATE \"C\""

    facet_cols = "".join(f", {values_of(f, comp.param(f))} AS f{n}" for n, f in enumerate(facet_fields))
    # the score is computed once, as column `score`; other keys become s0, s1, ...
    sort_cols = "".join(f", {expr} AS s{n}" for n, (expr, _d) in enumerate(order) if expr != "score")
    sort_keys = [("score" if e == "score" else f"s{n}", f" {d} NULLS LAST") for n, (e, d) in enumerate(order)]
    sort_keys.append(("rid", ""))
    order_sql = ", ".join(f"{k}{d}" for k, d in sort_keys)
    page_order = ", ".join(f"p.{k}{d}" for k, d in sort_keys)
    page_cols = ", ".join(dict.fromkeys(["rid", "score", *(k for k, _ in sort_keys)]))
    facet_sqls = []
    for n, _f in enumerate(facet_fields):
        lim = f" LIMIT {comp.param(limit)}" if limit >= 0 else ""
        facet_sqls.append(
            # Matches are first counted per distinct value array (25 organisations, ~150 format
            # combinations), and only those arrays are unnested: the jsonb unnesting function
            # builds a tuplestore per call, which per match cost more than the counting.
            f"(SELECT coalesce(json_agg(json_build_array(v, c) ORDER BY {facet_order}), '[]') FROM ("
            f"SELECT v, sum(n) AS c FROM (SELECT jsonb_array_elements_text("
            f"CASE jsonb_typeof(g.vals) WHEN 'array' THEN g.vals ELSE '[]'::jsonb END) AS v, g.n FROM ("
            f"SELECT m.f{n} AS vals, count(*)::int AS n FROM m GROUP BY m.f{n}) g) e "
            f"GROUP BY v HAVING sum(n) >= {comp.param(max(mincount, 0))} "
            f"ORDER BY {facet_order}{lim}) t)")
    facets_sql = "json_build_array(" + ", ".join(facet_sqls) + ")" if facet_sqls else "NULL::json"
    where = " AND ".join(f"({w})" for w in wheres)
    sql = f"""
WITH m AS MATERIALIZED (
  SELECT i.rid, {score} AS score{sort_cols}{facet_cols}
  FROM {TABLE} i WHERE {where}
), page AS (
  -- LIMIT right above the sort: a top-N heapsort, not a full sort of every match
  SELECT {page_cols} FROM m ORDER BY {order_sql} LIMIT {comp.param(rows)} OFFSET {comp.param(start)}
)
SELECT (SELECT count(*) FROM m),
  (SELECT coalesce(json_agg(json_build_array(p.score, {doc_expr}) ORDER BY {page_order}), '[]')
     FROM page p JOIN {TABLE} i ON i.rid = p.rid)::text,
  ({facets_sql})::text
"""
    plan = _Plan()
    plan.sql, plan.params = sql, comp.params
    plan.facet_fields, plan.facet = facet_fields, facet
    plan.want_score, plan.start, plan.rows = want_score, start, rows
    return plan


def _order_by(sort: Any, comp: Compiler) -> list[tuple[str, str]]:
    if not sort:
        return [("score", "DESC")]
    order = []
    for part in str(sort).split(","):
        if not part.strip():
            continue
        m = _SORT_RE.match(part)
        if not m:
            raise SearchQueryError('Invalid "sort" parameter')
        field, direction = m.group(1), m.group(2).upper()
        if field == "score":
            order.append(("score", direction))
            continue
        fi = field_info(field)
        if fi.kind is Kind.NUMBER:
            expr = f"({values_of(field, comp.param(field))} -> 0)"
        elif fi.kind is Kind.TEXT:
            expr = f"((i.doc ->> {comp.param(field)}) COLLATE \"C\")"
        else:
            expr = f"(({values_of(field, comp.param(field))} ->> 0) COLLATE \"C\")"
        order.append((expr, direction))
    return order


def _decode_dates(doc: dict[str, Any]) -> None:
    for key, value in doc.items():
        if field_info(key).kind is Kind.DATE and isinstance(value, str):
            try:
                doc[key] = dt.datetime.strptime(value.rstrip("Z")[:19], "%Y-%m-%dT%H:%M:%S")
            except ValueError:
                pass


class _savepoint:
    """Run index SQL on CKAN's connection inside a savepoint.

    A failing statement then rolls back only itself: the caller's transaction
    (and its catalogue change) stays usable, and the error becomes the search
    exception CKAN expects.
    """

    def __init__(self, error_class: type[Exception]):
        self.error_class = error_class

    def __enter__(self):
        self.nested = model.Session.begin_nested()
        connection = model.Session.connection()
        self.cursor = connection.connection.cursor()
        return self.cursor

    def __exit__(self, exc_type, exc, tb):
        try:
            self.cursor.close()
        except Exception:  # noqa: BLE001 - closing a cursor must not hide the real error
            pass
        if exc is None:
            self.nested.commit()
            return False
        self.nested.rollback()
        if isinstance(exc, (SearchError, SearchIndexError)):
            return False
        if isinstance(exc, pg_errors.UndefinedTable):
            raise self.error_class(
                "Indeks pencarian belum dibuat: jalankan `ckan db upgrade -p satudata_pgsearch`") from exc
        if isinstance(exc, (pg_errors.DataException, pg_errors.SyntaxError)):
            if self.error_class is SearchError:
                raise SearchQueryError(f"Kueri pencarian tidak valid: {exc.pgerror or exc}") from exc
            raise self.error_class(f"Data indeks tidak valid: {exc.pgerror or exc}") from exc
        if isinstance(exc, (sa.exc.DBAPIError,)) or exc.__class__.__module__.startswith("psycopg2"):
            raise self.error_class(f"Galat mesin pencarian: {exc}") from exc
        return False
