"""The vocabulary as compiled patterns: fund names, metric labels, relation words, units.

The data lives in YAML files (the project keeps them in ``rules/vocab``); this module only reads a
directory it is given and compiles it once, so adding a synonym is a one-line data change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex
import yaml

from .normalize import normalise_term

MONEY_UNITS = {"亿元": 4, "万元": 0, "千元": -1, "元": -4}          # power of ten to 万元
COUNT_UNITS = {"万人次": ("人次", 4), "人次": ("人次", 0), "万人": ("人", 4), "人": ("人", 0), "名": ("人", 0),
               "万户": ("户", 4), "户": ("户", 0), "个月": ("个月", 0)}


@dataclass(frozen=True, slots=True)
class Term:
    kind: str            # "fund" | "metric"
    id: str              # fund id or metric id
    text: str            # the normalised term
    metric_kind: str = ""  # money | count | visits | months
    sign: int = 1


@dataclass(frozen=True, eq=False)   # identity equality: hashable, so compiled scanners can be cached per vocabulary
class Vocabulary:
    directory: Path
    terms: dict[str, Term]
    term_pattern: re.Pattern           # literals only: `re` walks the prefix tree four times faster than `regex`
    fund_short: dict[str, str]          # table header word -> fund id
    metric_kinds: dict[str, str]        # metric id -> kind
    members_of_all: tuple[str, ...]
    catch_all: frozenset[str]
    decompositions: dict[str, dict[str, list[frozenset[str]]]]
    count_partitions: tuple[tuple[str, ...], ...]
    words: dict[str, re.Pattern | regex.Pattern] = field(repr=False)
    jieba_words: tuple[str, ...] = ()
    selfeval: dict = field(default_factory=dict, repr=False)   # selfeval.yaml: the 绩效自评表's words



def _alternation(words: list[str]) -> str:
    """One pattern matching any of `words`, the longest at a position: a prefix tree written as nested
    groups (基金(?:支出|总支出)?…), which the regex engine walks in one pass instead of trying
    several hundred literal alternatives at every character."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    branches = []
    for ch in sorted(k for k in node if k):
        branches.append(re.escape(ch) + _trie_pattern(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # a word may end here: the longer continuation is tried first (greedy), then the end
    return f"(?:{body})?" if "" in node else body


# What `re` and `regex` read differently: character classes by Unicode table (regex follows a newer
# Unicode: 110 more digits), POSIX classes and nested sets, and inline flags.
_ENGINE_DEPENDENT = re.compile(r"\\[dDsSwWbBpPX]|\[\[|\[:|\(\?[aiLmsuxVfwr]")


def compile_word(source: str) -> re.Pattern | regex.Pattern:
    """A words.yaml pattern, compiled by `re` when `re` reads it as `regex` does (plain words,
    alternations, lookarounds of fixed width): `re` answers the scan's many short match and search
    calls faster. Anything else keeps `regex`."""
    if not _ENGINE_DEPENDENT.search(source):
        try:
            return re.compile(source)
        except re.error:
            pass
    return regex.compile(source)


@lru_cache(maxsize=4)
def load_vocabulary(directory: str | Path) -> Vocabulary:
    directory = Path(directory)
    funds = yaml.safe_load((directory / "funds.yaml").read_text(encoding="utf-8"))
    metrics = yaml.safe_load((directory / "metrics.yaml").read_text(encoding="utf-8"))
    lists = yaml.safe_load((directory / "lists.yaml").read_text(encoding="utf-8"))
    words = yaml.safe_load((directory / "words.yaml").read_text(encoding="utf-8"))
    selfeval_path = directory / "selfeval.yaml"
    selfeval = yaml.safe_load(selfeval_path.read_text(encoding="utf-8")) if selfeval_path.exists() else {}

    terms: dict[str, Term] = {}
    fund_short: dict[str, str] = {}
    members = tuple(funds.pop("members_of_all"))
    for fund_id, spec in funds.items():
        for name in spec["names"]:
            text = normalise_term(name)
            terms.setdefault(text, Term("fund", fund_id, text))
        for name in spec.get("short", []):
            fund_short[normalise_term(name)] = fund_id
    metric_kinds: dict[str, str] = {}
    for metric_id, spec in metrics.items():
        target = spec.get("same_as", metric_id)
        metric_kinds[target] = spec["kind"]
        for label in spec["labels"]:
            text = normalise_term(label)
            # a metric label beats a fund name of the same text (工伤保险待遇支出 vs 工伤保险)
            terms[text] = Term("metric", target, text, spec["kind"], spec.get("sign", 1))
    term_pattern = re.compile(_alternation(list(terms)))
    decompositions = {
        fund: {total: [frozenset(f"{total.split('.')[0]}.{part}" for part in option) for option in options]
               for total, options in per_total.items()}
        for fund, per_total in lists["decompositions"].items()
    }
    compiled_words = {name: compile_word(pattern) for name, pattern in words.items()}
    return Vocabulary(
        directory=directory,
        terms=terms,
        term_pattern=term_pattern,
        fund_short=fund_short,
        metric_kinds=metric_kinds,
        members_of_all=members,
        catch_all=frozenset(lists["catch_all"]),
        decompositions=decompositions,
        count_partitions=tuple(tuple(p) for p in lists["count_partitions"]),
        words=compiled_words,
        jieba_words=tuple(sorted(set(terms) | set(fund_short))),
        selfeval=selfeval,
    )
