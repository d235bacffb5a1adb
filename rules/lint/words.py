"""Words: the same word or label written twice, and a label cut short before its number.

Both segment the text with a small jieba tokenizer over the project's vocabulary (common.tokenizer):
a repeat counts only where the second copy starts a word, and a truncated label is the last word
before a number ending in the first half of a label ending (总支 for 总支出).
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from extractor.pipeline import Extraction

from ..base import Rule
from .common import lint_finding, lint_words, norm_source, option, texts, tokens, word_starts

HAN = regex.compile(r"\p{Han}")
NUMBER_WITH_UNIT = regex.compile(
    r"""
    (?<![\d.])(?P<number>-?\d+(?:\.\d+)?)
    (?P<unit>亿元|万元|千元|元|万人次|人次|万人|人|名|户)?
    """,
    regex.VERBOSE,
)
# What may stand between a label and its number (总支出为24845万元, 总支出:24845万元).
FILLER = regex.compile(r"(?:为|是|达到|达|共计|共|约|:)+$")
# Every character FILLER is made of, and the newline its `$` may stand before: a FILLER match lies
# inside the run of these that ends the text, so only that run needs searching.
FILLER_RUN = frozenset("为是达到共计约:\n")
LAST_CLAUSE_START = regex.compile(r"(?r)[,，。;；:、(（)）\s]")   # searched from the end
MONEY_UNITS = ("亿元", "万元", "千元", "元")


def duplicated_word(rule: Rule, extraction: Extraction):
    """A word, label or word run written twice in a row.

    Why: 其中：其中：, 基金基金, 基金当期结余基金当期结余 are slips of editing (a label pasted twice); a
    reader stumbles and a parser may read the label twice. Spaces between the copies do not hide
    them (其中： 其中：). Reduplication that is Chinese (研究研究, 一点一点) is listed as data, and single
    characters (人人, 常常) are never reported.

    Fails: 企业养老保险基金基金总支出47318万元。
    Passes: 企业养老保险基金总支出47318万元，基本养老金支出25161万元。
    """
    legit = set(lint_words()["legit_repeats"]) | set(option(rule, "allow", ()))
    longest = int(option(rule, "max_chars", 12))
    for text in texts(extraction):
        norm = text.norm.text
        # Only a word start where some piece before it comes again after it can report: those
        # positions are found first, and the tokenizer is asked about them alone.
        repeats = _repeat_ends(norm, longest)
        if not repeats:
            continue
        # The longest piece at each of them that would be reported, were its second copy a word's
        # start: only those positions are worth the tokenizer.
        reportable: dict[int, int] = {}
        for j in sorted(repeats):
            for k in range(min(longest, j, len(norm) - j), 1, -1):
                piece = norm[j - k:j]
                if piece == norm[j:j + k] and norm[j - k:j + k] not in legit and _wordlike(piece):
                    reportable[j] = k
                    break
        if not reportable:
            continue
        starts = word_starts(extraction, norm, reportable)
        covered = -1
        for j, k in reportable.items():
            if j < covered or j not in starts:
                continue
            shown = text.norm.original_text(j - k, j + k)
            copy = text.norm.original_text(j - k, j)
            # the span is the second copy, the one to delete
            yield lint_finding(rule, f"「{shown}」中「{copy.strip()}」重复", norm_source(text, j, j + k),
                               suggestion=f"删去重复的「{copy.strip()}」")
            covered = j + k


def _repeat_ends(norm: str, longest: int) -> set[int]:
    """Every j where a piece of 2..longest characters before j comes again right after it.

    One search tells the many texts without any such piece (nothing to tokenize there); in the
    others one scan finds where a doubled piece starts, and the lengths it may have are tried there.
    """
    if longest < 2:
        return set()
    doubled, doubled_at = _doubled_piece(longest)
    first = doubled.search(norm)
    if first is None:
        return set()
    starts = (m.start() for m in doubled_at.finditer(norm, first.start()))
    return {i + k for i in starts for k in range(2, min(longest, (len(norm) - i) // 2) + 1)
            if norm[i:i + k] == norm[i + k:i + 2 * k]}


@lru_cache(maxsize=8)
def _doubled_piece(longest: int) -> tuple[re.Pattern, re.Pattern]:
    """A piece of 2..longest characters followed by itself; and where such a piece starts (a
    lookahead: every position, not only where the last one ended)."""
    piece = rf"(.{{2,{longest}}})\1"
    return re.compile(piece, re.DOTALL), re.compile(rf"(?={piece})", re.DOTALL)


def _wordlike(piece: str) -> bool:
    han = len(HAN.findall(piece))
    return han >= 2 or (han >= 1 and len(piece) >= 3 and any(c.isdigit() for c in piece))


def truncated_label(rule: Rule, extraction: Extraction):
    """A metric label cut short right before its number: 基金总支24845万元 for 基金总支出24845万元.

    Why: the last character of the label was deleted while editing; a reader guesses, and the figure
    only reaches the checks because 总支 is tolerated as a label. The rule reads the last word before
    a number and reports it when it ends in the first character of a label ending (支出, 收入, 结余 in
    lint_words.yaml) and, completed, is a known metric label whose unit matches the number's.

    Fails: 2019年度机关事业单位养老保险基金收入25448万元。基金总支24845万元。
    Passes: 2019年度机关事业单位养老保险基金收入25448万元。基金总支出24845万元。
    """
    endings = lint_words()["label_endings"]
    labels = None     # looked up at the first clause that may be cut
    cut_endings = tuple(ending[:-1] for ending in endings)
    screen = _cut_before_number(cut_endings)
    for text in texts(extraction, cells=False):
        norm = text.norm.text
        if not screen.search(norm):
            continue  # no cut ending before a number: no label cut short
        for m in NUMBER_WITH_UNIT.finditer(norm):
            clause_start, clause = _clause_before(norm, m.start(), cut_endings)
            if not clause or not HAN.match(clause[-1]):
                continue
            if not clause.endswith(cut_endings):
                continue  # the last word ends the clause: it cannot end in a cut ending either
            if labels is None:
                labels = _metric_labels(extraction.vocab)
            word, start, _ = tokens(extraction, clause)[-1]
            for ending, kind in endings.items():
                if not word.endswith(ending[:-1]) or word.endswith(ending):
                    continue
                completed = clause + ending[-1]
                full = max((label for label in labels if completed.endswith(label)
                            and len(label) >= len(word) + 1), key=len, default=None)
                if full is None or not _unit_fits(kind, m.group("unit")):
                    continue
                cut = full[:-1]
                a, b = clause_start + len(clause) - len(cut), m.end()
                yield lint_finding(rule, f"「{text.norm.original_text(a, b)}」中的「{cut}」疑为「{full}」少了"
                                         f"「{ending[-1]}」字", norm_source(text, a, b),
                                   suggestion=f"改为「{full}」")
                break


@lru_cache(maxsize=8)
def _metric_labels(vocab) -> tuple[str, ...]:
    """The vocabulary's metric labels, in its order (the first of equally long labels wins). A
    vocabulary is fixed once loaded and hashes by identity."""
    return tuple(dict.fromkeys(term.text for term in vocab.terms.values() if term.kind == "metric"))


@lru_cache(maxsize=8)
def _cut_before_number(cut_endings: tuple[str, ...]) -> regex.Pattern:
    """A cut ending, filler characters, then a number's first character: what a text needs for a
    truncated label. The clause before a number, its filler dropped, ends where the text does
    before the filler, or before the part of the filler FILLER leaves (a run of FILLER_RUN that
    then stands between it and the number; a newline left there ends the clause empty)."""
    endings = "|".join(regex.escape(ending) for ending in cut_endings)
    filler = regex.escape("".join(sorted(FILLER_RUN)))
    return regex.compile(rf"(?:{endings})[{filler}]*[-\d]")


def _clause_before(norm: str, end: int, cut_endings: tuple[str, ...]) -> tuple[int, str]:
    """Where the last clause before `end` starts, and the clause, filler before `end` dropped: the
    clause of FILLER.sub("", norm[:end]) after its last LAST_CLAUSE_START. Without filler left in
    between, the text is neither copied nor searched when the clause cannot end in a cut ending."""
    run = end
    while run > 0 and norm[run - 1] in FILLER_RUN:
        run -= 1
    tail = FILLER.sub("", norm[run:end]) if run < end else ""
    if tail:       # filler FILLER does not take (到 alone, a newline): the plain way
        head = norm[:run] + tail
        last = LAST_CLAUSE_START.search(head)
        clause_start = last.end() if last else 0
        return clause_start, head[clause_start:]
    if not norm.endswith(cut_endings, 0, run):
        return run, ""    # the clause would not end in a cut ending: its start does not matter
    last = LAST_CLAUSE_START.search(norm, 0, run)
    clause_start = last.end() if last else 0
    return clause_start, norm[clause_start:run]


def _unit_fits(kind: str, unit: str | None) -> bool:
    if kind == "money":
        return unit in MONEY_UNITS
    return unit is not None and unit not in MONEY_UNITS
