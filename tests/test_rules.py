"""The rule table: unique codes, documentation, and every rule's examples and fixtures run."""
from __future__ import annotations

import re

import pytest
import yaml
from extract_rules.registry import RULES

from conftest import FIXTURES, extraction_of

CODE = re.compile(r"^[A-Z]{2}\d{2}$")
NAME = re.compile(r"^[a-z]+(?:-[a-z]+)+$")
RULE_FIXTURES = FIXTURES / "rules"


def test_codes_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(CODE.match(c) for c in codes), codes
    assert all(NAME.match(r.name) for r in RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    doc = rule.doc
    for part in ("Why:", "Fails:", "Passes:"):
        assert part in doc, f"{rule.code} docstring lacks {part}"
    assert rule.severity in ("error", "warning", "info")


def _examples(rule, label):
    """Each `Fails:`/`Passes:` line is one example; pipe-table rows on the lines right under it
    (`|…|`, for rules about tables) belong to that example."""
    examples: list[list[str]] = []
    current: list[str] | None = None
    for line in rule.doc.splitlines():
        text = line.strip()
        if text.startswith(label):
            current = [text.split(":", 1)[1].strip()]
            examples.append(current)
        elif current is not None and text.startswith("|"):
            current.append(text)
        else:
            current = None
    return ["\n".join(part for part in example if part) for example in examples]


def _codes(text, vocab, rule):
    return [f.code for f in rule(extraction_of(text, vocab))]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_examples_run(rule, vocab):
    for text in _examples(rule, "Fails:"):
        assert rule.code in _codes(text, vocab, rule), f"{rule.code} does not fire on its Fails example: {text}"
    for text in _examples(rule, "Passes:"):
        assert rule.code not in _codes(text, vocab, rule), f"{rule.code} fires on its Passes example: {text}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_fixtures(rule):
    path = RULE_FIXTURES / f"{rule.code}.yaml"
    assert path.exists(), f"missing {path}"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    assert {c["expect"] for c in cases} == {"pass", "fail"}, f"{rule.code} needs passing and failing cases"


def _fixture_cases():
    for path in sorted(RULE_FIXTURES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            yield pytest.param(spec["code"], case, id=f"{spec['code']}-{case['name']}")


@pytest.mark.parametrize("code, case", list(_fixture_cases()))
def test_rule_fixture(code, case, vocab):
    rule = next(r for r in RULES if r.code == code)
    findings = [f for f in rule(extraction_of(case["text"], vocab)) if f.code == code]
    if case["expect"] == "pass":
        assert findings == [], [f.message for f in findings]
        return
    assert findings, f"{code} did not fire"
    message = " ".join(f.message for f in findings)
    for number in case.get("numbers", []):
        assert str(number) in message, f"{number} not in {message}"
    for figure_value in case.get("figures", []):
        extraction = extraction_of(case["text"], vocab)
        values = {str(extraction.by_id[i].value) for f in findings for i in f.figures}
        assert str(figure_value) in values
