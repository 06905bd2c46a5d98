"""Text analysis: PostgreSQL's Snowball Indonesian stemmer plus query-time word families.

Documents are analysed by PostgreSQL alone (``to_tsvector(TEXT_CONFIG, ...)``).
The Snowball stemmer gives different stems to some forms that users treat as one
word (``penduduk`` → ``duduk`` but ``kependudukan`` → ``nduduk``; ``rumah`` vs
``perumahan`` → ``umah``).  ``data/word_families.yaml`` lists those families,
measured on the stemmer (see ``docs/search-indonesian.md``); a query word that
belongs to a family is expanded into an OR of every member, each stemmed by
PostgreSQL, so the fix never needs a reindex.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata

import yaml

__all__ = ["TEXT_CONFIG", "word_family", "tsquery_word", "tsquery_phrase", "normalize_word", "drop_stopwords"]

# Created by the migration: a copy of `indonesian` with `unaccent` in front.
TEXT_CONFIG = "satudata_id"

_DATA = os.path.join(os.path.dirname(__file__), "data", "word_families.yaml")
_STOPWORDS = os.path.join(os.path.dirname(__file__), "data", "stopwords.txt")
_UNSAFE = re.compile(r"['\\:&|!()<>*]")


def normalize_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def _families() -> dict[str, tuple[str, ...]]:
    if not os.path.exists(_DATA):
        return {}
    with open(_DATA, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    index: dict[str, tuple[str, ...]] = {}
    for family in data.get("families", []):
        members = tuple(dict.fromkeys(normalize_word(str(w)) for w in family))
        for member in members:
            index[member] = tuple(dict.fromkeys(index.get(member, ()) + members))
    return index


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    with open(_STOPWORDS, encoding="utf-8") as f:
        return frozenset(w.strip() for w in f if w.strip() and not w.startswith("#"))


def drop_stopwords(text: str) -> str:
    """Remove function words from a search-box query, unless nothing else would remain."""
    if '"' in text:
        return text  # phrases keep every word
    words = text.split()
    kept = [w for w in words if normalize_word(w) not in _stopwords()]
    return " ".join(kept) if kept else text


def word_family(word: str) -> tuple[str, ...]:
    """The word and the forms that must match with it."""
    w = normalize_word(word)
    return _families().get(w, (w,))


def _operand(word: str, suffix: str) -> str:
    clean = _UNSAFE.sub(" ", word).strip()
    if not clean:
        return ""
    return f"'{clean}'{suffix}"


def tsquery_word(word: str, *, prefix: bool = False, weights: str = "") -> str:
    """Input for ``to_tsquery`` matching one query word (with its family)."""
    label = (":*" if prefix else "") + weights
    if label and not label.startswith(":"):
        label = ":" + label
    if prefix:
        ops = [_operand(normalize_word(word), label)]
    else:
        ops = [_operand(w, label) for w in word_family(word)]
    ops = [o for o in ops if o]
    if not ops:
        return ""
    return ops[0] if len(ops) == 1 else "(" + " | ".join(ops) + ")"


def tsquery_phrase(text: str, *, weights: str = "") -> str:
    """Input for ``to_tsquery`` matching the words of ``text`` next to each other."""
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    parts = [tsquery_word(w, weights=weights) for w in words]
    parts = [p for p in parts if p]
    return " <-> ".join(parts)
