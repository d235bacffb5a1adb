"""SARIF 2.1.0 output, checked structurally against the parts of the specification (and of GitHub
code scanning's documented requirements) a consumer relies on: version and schema, a driver with
unique rule ids and their documentation, results whose ruleId/ruleIndex point at that table, levels
from the SARIF enum, a physical location with an artifact and a region (startLine required by GitHub),
columns that land on the snippet in a .txt report, unique partial fingerprints."""
from __future__ import annotations

import json

import pytest
from extract_rules.engine import run_checks
from extract_rules.registry import RULES

from conftest import FIXTURES

from extractor.pipeline import analyse
from extractor.reporters import sarif

LEVELS = {"none", "note", "warning", "error"}


@pytest.fixture(scope="module")
def seed_log():
    checks = run_checks()
    reports = [analyse(FIXTURES / f"qitai-2019.{fmt}", *checks) for fmt in ("txt", "docx", "pdf")]
    return reports, json.loads(sarif.render(reports, RULES, notifications=["基线中1条记录已不再出现"]))


def test_log_shape(seed_log):
    _, log = seed_log
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run = log["runs"][0]
    assert set(run) <= {"tool", "invocations", "artifacts", "columnKind", "results"}
    assert run["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints")
    driver = run["tool"]["driver"]
    assert driver["name"] and driver["version"]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith("基线")


def test_rule_metadata(seed_log):
    _, log = seed_log
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES]
    for descriptor, rule in zip(rules, RULES):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["help"]["text"] == rule.doc            # help is the rule's documentation
        assert "Why" in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] in LEVELS
        assert set(descriptor) <= {"id", "name", "shortDescription", "fullDescription", "help",
                                   "defaultConfiguration", "properties"}


def test_results(seed_log):
    reports, log = seed_log
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == sum(len(r.findings) for r in reports)
    prints = set()
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in LEVELS
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        artifact = physical["artifactLocation"]
        assert run["artifacts"][artifact["index"]]["location"]["uri"] == artifact["uri"]
        region = physical["region"]
        assert isinstance(region["startLine"], int) and region["startLine"] >= 1
        assert 1 <= region["startColumn"] < region["endColumn"]
        assert region["endLine"] == region["startLine"]
        assert region["snippet"]["text"]
        fp = result["partialFingerprints"]["extractFinding/v1"]
        assert fp not in prints
        prints.add(fp)
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["LU01"] == "note" and levels["LP01"] == "warning" and levels["FD01"] == "error"


def test_txt_regions_land_on_the_snippet(seed_log):
    _, log = seed_log
    run = log["runs"][0]
    lines = (FIXTURES / "qitai-2019.txt").read_text(encoding="utf-8").splitlines()
    txt_results = [r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                   .endswith(".txt")]
    assert txt_results
    for result in txt_results:
        region = result["locations"][0]["physicalLocation"]["region"]
        line = lines[region["startLine"] - 1]
        assert line[region["startColumn"] - 1:region["endColumn"] - 1] == region["snippet"]["text"]


def test_pdf_regions_carry_the_page(seed_log):
    _, log = seed_log
    pdf = [r for r in log["runs"][0]["results"]
           if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".pdf")]
    assert pdf and all(r["locations"][0]["physicalLocation"]["region"]["properties"]["page"] >= 1 for r in pdf)


def test_unreadable_file_is_a_notification(tmp_path):
    missing = tmp_path / "missing.pdf"
    report = analyse(missing, *run_checks())
    log = json.loads(sarif.render([report], RULES))
    run = log["runs"][0]
    assert run["results"] == []
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes and notes[0]["level"] == "error"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_output_is_deterministic(seed_log):
    reports, _ = seed_log
    assert sarif.render(reports, RULES) == sarif.render(reports, RULES)


def test_validates_against_the_sarif_object_model(seed_log):
    """sarif-pydantic models every SARIF 2.1.0 object with its property types and enums; the log must
    parse into them with nothing coerced away (the structural tests above cover what it leaves open:
    it allows unknown properties)."""
    from sarif_pydantic import Sarif

    _, log = seed_log
    parsed = Sarif.model_validate(log)
    assert len(parsed.runs[0].results) == len(log["runs"][0]["results"])
    assert {r.level.value for r in parsed.runs[0].results} <= LEVELS
    again = json.loads(parsed.model_dump_json(by_alias=True, exclude_none=True))
    assert again["runs"][0]["results"][0]["ruleId"] == log["runs"][0]["results"][0]["ruleId"]
    assert again["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == \
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]
