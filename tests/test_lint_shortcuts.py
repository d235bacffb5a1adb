"""The shortcuts the lint rules take for speed (issue 9) find exactly what the plain way finds.

Each screen (a cheap test that skips a text, or a number, before the costly work) is compared with
the plain computation over every text of every fixture report, as lint reads it (paragraphs and
cells, original and normalised text) and as the .txt files and the rule fixtures write it, plus
hand-written strings that must get through."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from types import SimpleNamespace

import pytest
import regex
import yaml
from extract_rules.lint import LINT_RULES, headings, leftovers, punctuation, units, words
from extract_rules.lint import years as years_rules
from extract_rules.lint.common import lint_words, norm_source, source, texts, word_starts

from conftest import FIXTURES, extraction_of, report_extractions
from conftest import fixture_texts as conftest_texts

from extractor.meta import LEVEL_BY_SUFFIX, REGION
from extractor.normalize import normalise

RULES_BY_CODE = {rule.code: rule for rule in LINT_RULES}


@lru_cache(maxsize=1)
def extractions() -> tuple:
    """The extraction of every fixture report, and of one made of the hand-written strings below."""
    from extract_rules import vocabulary

    made_up = "\n".join(TRUNCATED + DOUBLED + PLANS + REGION_TEXTS + MIXED + BRACKETS)
    return report_extractions() + (extraction_of(made_up, vocabulary()),)


def _lint_texts() -> list[str]:
    return [s for extraction in extractions() for text in texts(extraction) for s in (text.original, text.norm.text)]


def fixture_texts() -> list[str]:
    """Every text the lint rules read in the fixture reports, the .txt reports and their lines,
    the rule fixtures' texts, each also normalised, and characters of every kind."""
    found = _lint_texts() + conftest_texts()
    for path in sorted((FIXTURES / "rules").glob("L*.yaml")):
        found += [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
    found += [normalise(text).text for text in found]
    assert len(found) > 1000
    return found


# --- LT01 truncated_label: the screen for a cut ending before a number, the clause before a number


def _plain_clause(norm: str, end: int) -> tuple[int, str]:
    """The rule as first written: filler dropped from the whole text before the number."""
    head = words.FILLER.sub("", norm[:end])
    last = words.LAST_CLAUSE_START.search(head)
    start = last.end() if last else 0
    return start, head[start:]


def _candidate(clause: str, cut_endings) -> bool:
    """What truncated_label asks of a clause before it tokenizes it."""
    return bool(clause) and bool(words.HAN.match(clause[-1])) and clause.endswith(cut_endings)


CUT_ENDINGS = [tuple(ending[:-1] for ending in lint_words()["label_endings"]),
               ("到",), ("计",), ("支",), ("",)]     # made-up endings: filler ones, the empty one

TRUNCATED = ["基金总支24845万元", "基金总支为24845万元", "总收:1186万元", "当期结共计137万元",
             "参保人达到-5人", "总支达到约为12", "2019年工伤保险基金当期结137万元。"]


@pytest.mark.parametrize("cut_endings", CUT_ENDINGS)
def test_clause_before_a_number_is_the_plain_clause_wherever_it_can_matter(cut_endings):
    screen = words._cut_before_number(cut_endings)
    candidates = 0
    for text in fixture_texts() + TRUNCATED + ["收到12", "x计为3", "到:\n到5"]:
        found = False
        for m in words.NUMBER_WITH_UNIT.finditer(text):
            plain = _plain_clause(text, m.start())
            got = words._clause_before(text, m.start(), cut_endings)
            if _candidate(plain[1], cut_endings):
                assert got == plain, (text, m.start())
                found = True
            else:
                assert not _candidate(got[1], cut_endings), (text, m.start())
        assert found <= bool(screen.search(text)), text
        candidates += found
    assert candidates >= 8


def test_cut_label_screen_passes_the_truncated_labels():
    cut_endings = CUT_ENDINGS[0]
    screen = words._cut_before_number(cut_endings)
    for text in TRUNCATED:
        assert screen.search(text), text
        assert any(_candidate(words._clause_before(text, m.start(), cut_endings)[1], cut_endings)
                   for m in words.NUMBER_WITH_UNIT.finditer(text)), text
    assert not screen.search("基金总支出24845万元，基金总收入1186万元，收支平衡。")


# --- LD01 duplicated_word: where a doubled piece ends, the tokenizer asked only where it can matter

DOUBLED = ["其中：其中：企业缴费", "其中： 其中：", "企业养老保险基金基金总支出47318万元。", "基金当期结余基金当期结余137万元",
           "研究研究", "人人", "2019年2019年", "aa1aa1", "收入收入收入", "，基金，基金",
           "收入收入收入收入", "基金支出基金支出基金支出"]


def _plain_repeat_ends(norm: str, longest: int) -> set[int]:
    return {m.start() + k for k in range(2, longest + 1)
            for m in re.finditer(rf"(?=(.{{{k}}})\1)", norm, re.DOTALL)}


@pytest.mark.parametrize("longest", [1, 2, 3, 12])
def test_repeat_ends_are_the_plain_ones(longest):
    found = 0
    for text in fixture_texts() + DOUBLED:
        want = _plain_repeat_ends(text, longest)
        assert words._repeat_ends(text, longest) == want, text
        found += bool(want)
    assert found >= (0 if longest < 2 else 20)


def _plain_duplicated_word(rule, extraction):
    """duplicated_word as first written: every repeat position goes to the tokenizer."""
    legit = set(lint_words()["legit_repeats"]) | set(rule.options.get("allow", ()))
    longest = int(rule.options.get("max_chars", 12))
    for text in texts(extraction):
        norm = text.norm.text
        repeats = _plain_repeat_ends(norm, longest)
        covered = -1
        for j in sorted(repeats & word_starts(extraction, norm, repeats)):
            if j < covered:
                continue
            for k in range(min(longest, j, len(norm) - j), 1, -1):
                piece = norm[j - k:j]
                if piece != norm[j:j + k] or norm[j - k:j + k] in legit or not words._wordlike(piece):
                    continue
                yield norm_source(text, j, j + k)
                covered = j + k
                break


@pytest.mark.parametrize("options", [{}, {"max_chars": 3}, {"max_chars": 1}, {"allow": ["基金基金", "其中：其中："]}])
def test_duplicated_word_reports_what_the_plain_rule_reports(options):
    rule = replace(RULES_BY_CODE["LD01"], options={**RULES_BY_CODE["LD01"].options, **options})
    found = 0
    for extraction in extractions():
        want = list(_plain_duplicated_word(rule, extraction))
        assert [f.location for f in words.duplicated_word(rule, extraction)] == want
        found += len(want)
    assert found >= (0 if options.get("max_chars") == 1 else 5)


# --- LM01 mixed_money_units: texts without 元 hold no amount


def test_texts_without_yuan_hold_no_amount():
    found = 0
    for text in fixture_texts() + ["支出4730000元", "1049万元", "3.5亿元", "12千元"]:
        amounts = list(units.AMOUNT.finditer(text))
        assert "元" in text or not amounts, text
        found += len(amounts)
    assert found > 100


# --- punctuation: the marks a context stops at, the brackets found with `re`


def test_context_stops_at_the_marks_the_pattern_named():
    plain = regex.compile(r"[，。；：、！？,;:（）()“”\n]")
    assert all(bool(plain.match(chr(c))) == (chr(c) in punctuation.STOP) for c in range(0x110000))


def test_brackets_found_with_re_are_those_regex_finds():
    plain = regex.compile("[" + regex.escape("".join(punctuation.PAIRS) + "".join(punctuation.PAIRS.values())
                                            + '"') + "]")
    found = 0
    for text in fixture_texts() + ["（含业务审核", "“展翅行动", '"a"', "【】《》‘’「」『』()"]:
        want = [(m.start(), m.group()) for m in plain.finditer(text)]
        assert [(m.start(), m.group()) for m in punctuation.BRACKET.finditer(text)] == want
        found += len(want)
    assert found > 100


# --- LY01/LY02 years: a year is read only before 年; the plan section looked up once per heading

PLANS = ["2019年度基金运行平稳。下一步，制定2019年医疗保障工作计划。", "今后将于2018年完成。",
         "2019年度社会保险基金运行情况良好。2018年企业养老保险基金总收入57271万元。"]


def test_texts_without_nian_hold_no_year():
    found = 0
    for text in fixture_texts() + PLANS:
        years = list(years_rules.YEAR.finditer(text)) + [m for m in [years_rules.OPENING_YEAR.match(text)] if m]
        assert "年" in text or not years, text
        found += len(years)
    assert found > 100


def _plain_plan_for_past_year(rule, extraction):
    """plan_for_past_year as first written: every sentence asked whether it is a plan."""
    year = extraction.meta.year
    words_ = lint_words()
    after, before = regex.compile(words_["plan_year_after"]), regex.compile(words_["plan_year_before"])
    for text in texts(extraction, cells=False):
        p = text.paragraph
        for start, end in p.sentences:
            sentence = p.norm.text[start:end]
            if not years_rules._plan_sentence(p, sentence):
                continue
            for m in years_rules.YEAR.finditer(sentence):
                planned = int(m.group("year"))
                if planned > year or not (after.match(sentence[m.end():]) or before.search(sentence[:m.start()])):
                    continue
                yield norm_source(text, start + m.start(), start + m.end() + 1)


def _plain_year_mismatch(rule, extraction):
    year = extraction.meta.year
    for text in texts(extraction, cells=False):
        p = text.paragraph
        for start, end in p.sentences:
            sentence = p.norm.text[start:end]
            m = years_rules.OPENING_YEAR.match(sentence)
            if (m is None or int(m.group("year")) == year or not years_rules.MONEY.search(sentence)
                    or years_rules.OTHER_YEAR_OK.search(sentence) or years_rules._plan_sentence(p, sentence)):
                continue
            yield norm_source(text, start + m.start("year"), start + m.end("year") + 1)


@pytest.mark.parametrize("code, rule_of, plain_of, least", [
    ("LY01", years_rules.year_mismatch, _plain_year_mismatch, 1),
    ("LY02", years_rules.plan_for_past_year, _plain_plan_for_past_year, 5),
])
def test_year_rules_report_what_the_plain_rules_report(code, rule_of, plain_of, least):
    rule = RULES_BY_CODE[code]
    found = 0
    for extraction in extractions():
        if extraction.meta.year is None:
            continue
        want = list(plain_of(rule, extraction))
        assert [f.location for f in rule_of(rule, extraction)] == want
        found += len(want)
    assert found >= least


# --- LR01/LR02 leftovers: admin phrases found with `re`; a suffix of the report's level screens names

REGION_TEXTS = ["礼泉县2019年各项社会保险基金", "，木垒哈萨克自治县社会保险", "x市本级", "新疆维吾尔自治区2019年度",
                "保障自治区本级8420名", "全区各地州", "昌吉回族自治州人社局", "某旗本级", "杭州市区本级"]


def test_admin_phrases_found_with_re_are_those_regex_finds():
    level_of, phrases = leftovers._admin_phrases()
    plain = regex.compile("|".join(regex.escape(p) for p in sorted(level_of, key=len, reverse=True)))
    found = 0
    for text in fixture_texts() + REGION_TEXTS:
        want = [(m.span(), m.group()) for m in plain.finditer(text)]
        assert [(m.span(), m.group()) for m in phrases.finditer(text)] == want
        found += len(want)
    assert found >= 8


@pytest.mark.parametrize("level", sorted(set(LEVEL_BY_SUFFIX.values())))
def test_level_screen_passes_every_text_naming_a_region_of_that_level(level):
    screen = leftovers._suffix_before_follower(level)
    found = 0
    for text in fixture_texts() + REGION_TEXTS:
        named = any(LEVEL_BY_SUFFIX[m.group("suffix")] == level for m in REGION.finditer(text))
        assert bool(screen.search(text)) >= named, text
        found += named
    assert found >= 2


MIXED = ["基金总支出1049万元，其中工伤保险待遇支出4730000元。", "1.5亿元与300元", "12千元，5元", "元元万元3元"]


def test_paragraphs_that_may_mix_units_are_all_that_hold_both_kinds():
    per_unit = regex.compile(lint_words()["per_unit"])
    found = 0
    for text in fixture_texts() + MIXED:
        found_units = {unit == "元" for _, unit in units._amounts(_Text(text), per_unit)}
        assert units._may_mix(text) >= (found_units == {True, False}), text
        found += found_units == {True, False}
    assert found >= 4


# (rule, module of its screen, the screen, a screen that lets every text through, findings at least)
UNSCREENED = [
    ("LR02", "leftovers", "_suffix_before_follower", lambda level: regex.compile(""), 1),
    ("LM01", "units", "_may_mix", lambda norm: True, 2),
    ("LT01", "words", "_cut_before_number", lambda cut_endings: regex.compile(""), 4),
]


@pytest.mark.parametrize("code, module, screen, open_screen, at_least", UNSCREENED,
                         ids=[row[0] for row in UNSCREENED])
def test_rule_reports_what_it_reports_unscreened(monkeypatch, code, module, screen, open_screen, at_least):
    rule = RULES_BY_CODE[code]
    screened = [list(rule(extraction)) for extraction in extractions()]
    monkeypatch.setattr({"leftovers": leftovers, "units": units, "words": words}[module], screen, open_screen)
    assert screened == [list(rule(extraction)) for extraction in extractions()]
    assert sum(map(len, screened)) >= at_least


def _Text(text: str) -> SimpleNamespace:
    """What _amounts reads of a lint text."""
    return SimpleNamespace(norm=SimpleNamespace(text=text))


def test_metric_labels_are_the_vocabulary_labels_in_order():
    vocab = extractions()[0].vocab
    labels = {term.text: term for term in vocab.terms.values() if term.kind == "metric"}
    assert words._metric_labels(vocab) == tuple(labels)


# --- LU02 space before a mark; LH01 attachment headings

SPACED = ["1049万元 ，其中", "合计\u3000。", "a\t\t；b", "（含 ）", "x\xa0、y", " ，开头"]


def test_space_screen_passes_every_text_with_a_space_before_a_mark():
    found = 0
    for text in fixture_texts() + SPACED:
        spaced = bool(punctuation.SPACE_BEFORE.search(text))
        assert bool(punctuation.SPACE_THEN_MARK.search(text)) >= spaced, text
        found += spaced
    assert found >= 8


def test_attachment_openings_are_what_the_attachment_pattern_matches():
    for text in fixture_texts() + ["附件1：", "  附表 2", "附表", "附 件", "附录", "五、附表"]:
        assert bool(headings.ATTACHMENT.match(text.strip())) == text.lstrip().startswith(headings.ATTACHMENT_OPENINGS)


# --- LU04 brackets: paired on the marks alone, placed only when one has no partner

BRACKETS = ["承诺在业务申报20个工作日内（含业务审核、财务拨付将申报资金拨付至各定点医疗机构。", "“展翅行动", "1）企业（a）",
            "（一）b）c", '"a', "）（", "“a“b”", "（含)", "a) b（", "【x》", '"a"“', "①）x）"]


def _plain_unbalanced_brackets(extraction):
    """unbalanced_brackets as first written: every mark placed, paired with its position."""
    closers = {v: k for k, v in punctuation.PAIRS.items()}
    for text in texts(extraction):
        s = text.original
        marks = [(m.start(), m.group()) for m in punctuation.BRACKET.finditer(s)]
        skip = punctuation.LIST_MARKER.match(s)
        stack, lonely = [], []
        for i, ch in marks:
            if ch in punctuation.PAIRS and not (ch in "“‘" and stack and stack[-1][0] == ch):
                stack.append((ch, i))
            elif ch in closers:
                if skip and i == skip.end() - 1:
                    continue
                want = closers[ch]
                if stack and punctuation.SAME.get(stack[-1][0], stack[-1][0]) == punctuation.SAME.get(want, want):
                    stack.pop()
                else:
                    lonely.append(i)
        quotes = [i for i, ch in marks if ch == '"']
        if len(quotes) % 2:
            lonely.append(quotes[-1])
        for i in sorted(lonely + [i for _, i in stack]):
            yield source(text, i, i + 1)


def test_unbalanced_brackets_reports_what_the_plain_rule_reports():
    rule = RULES_BY_CODE["LU04"]
    found = 0
    for extraction in extractions():
        want = list(_plain_unbalanced_brackets(extraction))
        assert [f.location for f in punctuation.unbalanced_brackets(rule, extraction)] == want
        found += len(want)
    assert found >= 10
