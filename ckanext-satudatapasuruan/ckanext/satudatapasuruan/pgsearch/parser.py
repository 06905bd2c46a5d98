"""Parser for the subset of Solr query syntax that CKAN and its extensions send.

Produces a small AST (``Bool``, ``Term``, ``Phrase``, ``Range``, ``MatchAll``,
``FuncRange``) that :mod:`.compiler` turns into SQL.  It follows Lucene's classic
query parser: clause modifiers (``+``, ``-``, ``NOT``, ``!``), conjunctions
(``AND``/``&&``, ``OR``/``||``) applied with Lucene's ``addClause`` rules,
``field:value``, phrases, ranges, trailing wildcards, boosts and groups.
Every syntax error raises :class:`ckan.lib.search.common.SearchQueryError`.
"""
from __future__ import annotations

import dataclasses
import enum
import re

from ckan.lib.search.common import SearchQueryError

__all__ = [
    "Occur", "Bool", "Scoped", "Term", "Phrase", "Range", "MatchAll", "FuncRange", "Func",
    "Node", "parse_query", "dismax_escape", "parse_function", "parse_local_params", "min_should_match",
]

MAX_QUERY_LENGTH = 10_000
MAX_DEPTH = 50


class Occur(enum.Enum):
    MUST = "+"
    SHOULD = ""
    MUST_NOT = "-"


@dataclasses.dataclass
class Term:
    field: str | None  # None: the default field(s) of the query parser
    text: str
    prefix: bool = False  # trailing ``*`` only
    wildcard: bool = False  # ``*``/``?`` anywhere else
    boost: float = 1.0


@dataclasses.dataclass
class Phrase:
    field: str | None
    text: str
    boost: float = 1.0


@dataclasses.dataclass
class Range:
    field: str
    low: str | None  # None: unbounded (``*``)
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclasses.dataclass
class MatchAll:
    """``*:*``"""


@dataclasses.dataclass
class Func:
    name: str
    args: list[Func | float | str]  # str: a field name


@dataclasses.dataclass
class FuncRange:
    """``{!frange l=.. u=.. incl=.. incu=..}func(...)``"""

    func: Func
    low: float | None
    high: float | None
    include_low: bool = True
    include_high: bool = True


@dataclasses.dataclass
class Scoped:
    """A sub-query with its own default fields (``{!dismax qf=..}`` and friends)."""

    node: Node
    default_fields: list[tuple[str, float]]
    mm: str | None = None


@dataclasses.dataclass
class Bool:
    clauses: list[tuple[Occur, Node]]
    explicit_or: bool = False
    boost: float = 1.0


Node = Bool | Term | Phrase | Range | MatchAll | FuncRange | Scoped

# --- tokenizer -------------------------------------------------------------------------------

_SPECIAL = set('+-!():^[]"{}~*?\\/')
_TERM_STOP = set(' \t\r\n\u3000():^[]"{}~') | {"\\"}


class _Tok(enum.Enum):
    LPAREN = "("
    RPAREN = ")"
    PLUS = "+"
    MINUS = "-"
    NOT = "NOT"
    AND = "AND"
    OR = "OR"
    COLON = ":"
    CARET = "^"
    TILDE = "~"
    TERM = "term"
    PHRASE = "phrase"
    RANGE = "range"
    EOF = "eof"


@dataclasses.dataclass
class _Token:
    kind: _Tok
    value: str = ""
    pos: int = 0
    raw: str = ""  # for TERM: the unescaped-wildcard-aware raw text
    extra: tuple = ()


def _read_escaped(s: str, i: int, stop) -> tuple[str, str, int]:
    """Read a term starting at i; returns (unescaped text, raw text, next index)."""
    out, raw = [], []
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            if i + 1 >= n:
                raise SearchQueryError("Kueri pencarian tidak valid: garis miring terbalik di akhir kueri")
            out.append(s[i + 1])
            raw.append("\\" + s[i + 1])
            i += 2
            continue
        if stop(c):
            break
        out.append(c)
        raw.append(c)
        i += 1
    return "".join(out), "".join(raw), i


def _tokenize(s: str) -> list[_Token]:
    toks: list[_Token] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            continue
        start = i
        if c == "(":
            toks.append(_Token(_Tok.LPAREN, c, start))
            i += 1
        elif c == ")":
            toks.append(_Token(_Tok.RPAREN, c, start))
            i += 1
        elif c == "+":
            toks.append(_Token(_Tok.PLUS, c, start))
            i += 1
        elif c == "-":
            toks.append(_Token(_Tok.MINUS, c, start))
            i += 1
        elif c == "!":
            toks.append(_Token(_Tok.NOT, c, start))
            i += 1
        elif s.startswith("&&", i):
            toks.append(_Token(_Tok.AND, "&&", start))
            i += 2
        elif s.startswith("||", i):
            toks.append(_Token(_Tok.OR, "||", start))
            i += 2
        elif c == ":":
            toks.append(_Token(_Tok.COLON, c, start))
            i += 1
        elif c in "^~":
            j = i + 1
            while j < n and (s[j].isdigit() or s[j] == "."):
                j += 1
            kind = _Tok.CARET if c == "^" else _Tok.TILDE
            toks.append(_Token(kind, s[i + 1:j], start))
            i = j
        elif c == '"':
            j = i + 1
            buf = []
            while True:
                if j >= n:
                    raise SearchQueryError("Kueri pencarian tidak valid: tanda kutip tidak ditutup")
                if s[j] == "\\" and j + 1 < n:
                    buf.append(s[j + 1])
                    j += 2
                    continue
                if s[j] == '"':
                    break
                buf.append(s[j])
                j += 1
            toks.append(_Token(_Tok.PHRASE, "".join(buf), start))
            i = j + 1
        elif c in "[{":
            i, tok = _read_range(s, i)
            toks.append(tok)
        elif c in "]}":
            raise SearchQueryError(f"Kueri pencarian tidak valid: '{c}' tanpa pasangan pada posisi {i}")
        else:
            text, raw, j = _read_escaped(s, i, lambda ch: ch in _TERM_STOP or ch.isspace())
            if text in ("AND", "OR", "NOT") and raw == text:
                toks.append(_Token(_Tok[text], text, start))
            else:
                toks.append(_Token(_Tok.TERM, text, start, raw=raw))
            i = j
    toks.append(_Token(_Tok.EOF, "", n))
    return toks


def _read_range(s: str, i: int) -> tuple[int, _Token]:
    include_low = s[i] == "["
    j = s.find("]", i)
    k = s.find("}", i)
    ends = [e for e in (j, k) if e != -1]
    # the end must be found outside quotes; values here are simple (dates, numbers, words)
    if not ends:
        raise SearchQueryError("Kueri pencarian tidak valid: rentang tidak ditutup dengan ']' atau '}'")
    end = min(ends)
    body = s[i + 1:end]
    parts = _split_range_body(body)
    if len(parts) != 3 or parts[1] != "TO":
        raise SearchQueryError(
            "Kueri pencarian tidak valid: rentang harus berbentuk [awal TO akhir]")
    low = None if parts[0] == "*" else parts[0]
    high = None if parts[2] == "*" else parts[2]
    tok = _Token(_Tok.RANGE, body, i, extra=(low, high, include_low, s[end] == "]"))
    return end + 1, tok


def _split_range_body(body: str) -> list[str]:
    parts, buf, quoted, i = [], [], False, 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            buf.append(body[i + 1])
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c.isspace() and not quoted:
            if buf:
                parts.append("".join(buf))
                buf = []
        else:
            buf.append(c)
        i += 1
    if quoted:
        raise SearchQueryError("Kueri pencarian tidak valid: tanda kutip dalam rentang tidak ditutup")
    if buf:
        parts.append("".join(buf))
    return parts


# --- parser ----------------------------------------------------------------------------------

_CONJ_NONE, _CONJ_AND, _CONJ_OR = 0, 1, 2
_MOD_NONE, _MOD_REQ, _MOD_NOT = 0, 1, 2


class _Parser:
    def __init__(self, text: str, *, default_and: bool, allow_fields: bool):
        self.toks = _tokenize(text)
        self.i = 0
        self.default_and = default_and
        self.allow_fields = allow_fields
        self.depth = 0

    def peek(self, k: int = 0) -> _Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self) -> _Token:
        t = self.toks[self.i]
        self.i += 1
        return t

    def parse(self) -> Node:
        node = self.query(None)
        if self.peek().kind is not _Tok.EOF:
            t = self.peek()
            raise SearchQueryError(
                f"Kueri pencarian tidak valid: '{t.value}' tidak terduga pada posisi {t.pos}")
        return node

    def query(self, field: str | None) -> Bool:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SearchQueryError("Kueri pencarian tidak valid: tanda kurung terlalu dalam")
        clauses: list[tuple[Occur, Node]] = []
        explicit_or = False
        first = True
        while self.peek().kind not in (_Tok.EOF, _Tok.RPAREN):
            conj = _CONJ_NONE
            if not first:
                k = self.peek().kind
                if k is _Tok.AND:
                    self.take()
                    conj = _CONJ_AND
                elif k is _Tok.OR:
                    self.take()
                    conj = _CONJ_OR
                    explicit_or = True
            elif self.peek().kind in (_Tok.AND, _Tok.OR):
                raise SearchQueryError(
                    f"Kueri pencarian tidak valid: '{self.peek().value}' di awal klausa")
            mod = _MOD_NONE
            k = self.peek().kind
            if k is _Tok.PLUS:
                self.take()
                mod = _MOD_REQ
            elif k in (_Tok.MINUS, _Tok.NOT):
                self.take()
                mod = _MOD_NOT
            node = self.clause(field)
            self._add_clause(clauses, conj, mod, node)
            first = False
        self.depth -= 1
        return Bool(clauses, explicit_or=explicit_or)

    def _add_clause(self, clauses, conj, mod, node):
        # Lucene's QueryParserBase.addClause
        if clauses and conj == _CONJ_AND:
            occ, prev = clauses[-1]
            if occ is not Occur.MUST_NOT:
                clauses[-1] = (Occur.MUST, prev)
        if clauses and self.default_and and conj == _CONJ_OR:
            occ, prev = clauses[-1]
            if occ is not Occur.MUST_NOT:
                clauses[-1] = (Occur.SHOULD, prev)
        if not self.default_and:
            prohibited = mod == _MOD_NOT
            required = mod == _MOD_REQ
            if conj == _CONJ_AND and not prohibited:
                required = True
        else:
            prohibited = mod == _MOD_NOT
            required = not prohibited and conj != _CONJ_OR
        if prohibited:
            occur = Occur.MUST_NOT
        elif required:
            occur = Occur.MUST
        else:
            occur = Occur.SHOULD
        clauses.append((occur, node))

    def clause(self, field: str | None) -> Node:
        t = self.peek()
        if t.kind is _Tok.TERM and self.peek(1).kind is _Tok.COLON:
            if not self.allow_fields:
                raise SearchQueryError("Kueri pencarian tidak valid: nama kolom tidak diizinkan di sini")
            self.take()
            self.take()
            name = t.value
            if name == "*" and self.peek().kind is _Tok.TERM and self.peek().value == "*":
                self.take()
                return self._boosted(MatchAll())
            if not re.fullmatch(r"[A-Za-z0-9_.\-]+", name):
                raise SearchQueryError(f"Kueri pencarian tidak valid: nama kolom '{name}' tidak dikenal")
            field = name
        t = self.take()
        if t.kind is _Tok.LPAREN:
            inner = self.query(field)
            if self.take().kind is not _Tok.RPAREN:
                raise SearchQueryError("Kueri pencarian tidak valid: tanda kurung tidak ditutup")
            if not inner.clauses:
                raise SearchQueryError("Kueri pencarian tidak valid: tanda kurung kosong")
            return self._boosted(inner)
        if t.kind is _Tok.PHRASE:
            if self.peek().kind is _Tok.TILDE:  # proximity slop: accepted, matched as a phrase
                self.take()
            return self._boosted(Phrase(field, t.value))
        if t.kind is _Tok.RANGE:
            if field is None:
                raise SearchQueryError("Kueri pencarian tidak valid: rentang membutuhkan nama kolom")
            low, high, inc_l, inc_h = t.extra
            return self._boosted(Range(field, low, high, inc_l, inc_h))
        if t.kind is _Tok.TERM:
            if self.peek().kind is _Tok.TILDE:  # fuzzy: matched exactly
                self.take()
            return self._boosted(self._term(field, t))
        if t.kind is _Tok.EOF:
            raise SearchQueryError("Kueri pencarian tidak valid: kueri berakhir sebelum klausa selesai")
        raise SearchQueryError(f"Kueri pencarian tidak valid: '{t.value}' tidak terduga pada posisi {t.pos}")

    def _term(self, field: str | None, t: _Token) -> Node:
        raw = t.raw
        text = t.value
        if text == "*" and raw == "*":
            return Term(field, "", prefix=True)
        unescaped_wild = [m.start() for m in re.finditer(r"(?<!\\)[*?]", raw)]
        if not unescaped_wild:
            return Term(field, text)
        if unescaped_wild == [len(raw) - 1] and raw.endswith("*"):
            return Term(field, text[:-1], prefix=True)
        return Term(field, raw, wildcard=True)

    def _boosted(self, node: Node) -> Node:
        if self.peek().kind is _Tok.CARET:
            b = self.take().value
            try:
                boost = float(b)
            except ValueError as err:
                raise SearchQueryError("Kueri pencarian tidak valid: bobot '^' harus berupa angka") from err
            if isinstance(node, (Term, Phrase, Bool)):
                node.boost = boost
        return node


_DISMAX_ESCAPE = re.compile(r'([\\!():^\[\]{}~?])')
_CONSECUTIVE_OPS = re.compile(r"\s+[+-](?:\s*[+-]+)+")
_DANGLING_OPS = re.compile(r"\s+[-+\s]+$")


def dismax_escape(text: str) -> str:
    """Make a search-box string safe the way Solr's DisMax parser does.

    Escapes Lucene syntax except ``+``, ``-``, quotes, ``AND``/``OR``/``NOT`` and a
    trailing ``*``; drops unbalanced quotes and dangling or repeated operators.
    """
    text = _DISMAX_ESCAPE.sub(r"\\\1", text)
    if text.count('"') % 2:
        text = text.replace('"', " ")
    text = _CONSECUTIVE_OPS.sub(" ", " " + text)
    text = _DANGLING_OPS.sub("", text)
    text = re.sub(r"^\s*[+-]+\s*$", "", text)
    return text.strip()


def parse_query(text: str, *, default_and: bool = True, allow_fields: bool = True) -> Node:
    """Parse a Lucene/dismax query string into an AST."""
    if not isinstance(text, str):
        raise SearchQueryError("Kueri pencarian harus berupa teks")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError("Kueri pencarian terlalu panjang")
    if "\x00" in text:
        raise SearchQueryError("Kueri pencarian tidak valid: mengandung karakter NUL")
    return _Parser(text, default_and=default_and, allow_fields=allow_fields).parse()


# --- local params and function queries -------------------------------------------------------

_LOCAL_RE = re.compile(r"^\s*\{!([^}]*)\}(.*)$", re.S)


def parse_local_params(text: str) -> tuple[dict[str, str] | None, str]:
    """Split ``{!type k=v ...}rest``; returns (params or None, rest)."""
    m = _LOCAL_RE.match(text)
    if not m:
        return None, text
    params: dict[str, str] = {}
    for i, part in enumerate(re.findall(r"""(\w[\w.]*)(?:=('[^']*'|"[^"]*"|[^\s]+))?""", m.group(1))):
        key, value = part
        if not value and i == 0:
            params["type"] = key
        else:
            params[key] = value.strip("'\"")
    return params, m.group(2)


_FUNC_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)|(?P<name>[A-Za-z_][\w.]*)|(?P<p>[(),]))")
FUNCTIONS = {"div": 2, "mul": None, "product": None, "sub": 2, "add": None, "sum": None,
             "max": None, "min": None, "abs": 1, "field": 1}


def parse_function(text: str) -> Func | float | str:
    """Parse a Solr function query such as ``div(mul(2,minx),add(1,maxx))``."""
    pos = 0
    tokens = []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _FUNC_TOKEN.match(text, pos)
        if not m:
            raise SearchQueryError(f"Fungsi pencarian tidak valid pada posisi {pos}")
        tokens.append(m)
        pos = m.end()
    idx = 0

    def expr():
        nonlocal idx
        if idx >= len(tokens):
            raise SearchQueryError("Fungsi pencarian tidak lengkap")
        m = tokens[idx]
        idx += 1
        if m.group("num"):
            return float(m.group("num"))
        if m.group("name"):
            name = m.group("name")
            if idx < len(tokens) and tokens[idx].group("p") == "(":
                idx += 1
                if name not in FUNCTIONS:
                    raise SearchQueryError(f"Fungsi pencarian '{name}' tidak didukung")
                args = []
                while True:
                    if idx < len(tokens) and tokens[idx].group("p") == ")":
                        idx += 1
                        break
                    args.append(expr())
                    if idx < len(tokens) and tokens[idx].group("p") == ",":
                        idx += 1
                    elif idx < len(tokens) and tokens[idx].group("p") == ")":
                        continue
                    else:
                        raise SearchQueryError("Fungsi pencarian tidak valid: argumen tidak ditutup")
                arity = FUNCTIONS[name]
                if (arity is not None and len(args) != arity) or not args:
                    raise SearchQueryError(f"Fungsi pencarian '{name}': jumlah argumen salah")
                return Func(name, args)
            return name
        raise SearchQueryError("Fungsi pencarian tidak valid")

    result = expr()
    if idx != len(tokens):
        raise SearchQueryError("Fungsi pencarian tidak valid: sisa teks setelah fungsi")
    return result


def min_should_match(spec: str | None, optional: int) -> int:
    """How many of ``optional`` SHOULD clauses must match under Solr's ``mm`` spec."""
    if optional <= 0:
        return 0
    if not spec:
        return optional

    def one(s: str) -> int:
        s = s.strip()
        try:
            if s.endswith("%"):
                pct = int(s[:-1])
                calc = int(optional * abs(pct) / 100)
                return optional - calc if pct < 0 else calc
            val = int(s)
        except ValueError as err:
            raise SearchQueryError(f"Parameter mm tidak valid: {spec!r}") from err
        return optional + val if val < 0 else val

    spec = spec.strip()
    if "<" in spec:
        result = optional
        for part in spec.split():
            if "<" not in part:
                raise SearchQueryError(f"Parameter mm tidak valid: {spec!r}")
            n, rule = part.split("<", 1)
            try:
                limit = int(n)
            except ValueError as err:
                raise SearchQueryError(f"Parameter mm tidak valid: {spec!r}") from err
            if optional > limit:
                result = one(rule)
        k = result
    else:
        k = one(spec)
    return max(0, min(optional, k))
