"""Configuration ([tool.extract] / extract.toml) and the baseline."""
from __future__ import annotations

import shutil

import pytest
from extract_rules import baseline
from extract_rules.config import Config, ConfigError, find_config_file, load_config, parse_config
from extract_rules.engine import apply_baseline, configured_rules, run_checks
from extract_rules.registry import RULES

from conftest import FIXTURES

from extractor.pipeline import analyse

SEED = FIXTURES / "qitai-2019.txt"


def _codes(rules):
    return {r.code for r in rules}


# -- parsing ----------------------------------------------------------------------------------------

def test_full_configuration_parses():
    config = parse_config({"select": ["F", "L"], "ignore": ["LU01"], "severity": {"LU": "warning", "LU02": "info"},
                           "options": {"LS01": {"skip": ["五"]}}, "baseline": "b.json"}, list(RULES))
    assert config.select == ("F", "L") and config.ignore == ("LU01",)
    assert config.severity_for("LU03") == "warning"
    assert config.severity_for("LU02") == "info"          # longest prefix wins
    assert config.severity_for("FS01") is None
    assert config.options == {"LS01": {"skip": ["五"]}}
    assert config.baseline.name == "b.json"


@pytest.mark.parametrize("data, key", [
    ({"selec": ["L"]}, "selec"),
    ({"select": ["ZZ"]}, "select.ZZ"),
    ({"ignore": "LU"}, "ignore"),
    ({"severity": {"LU01": "fatal"}}, "severity.LU01"),
    ({"severity": {"QQ": "info"}}, "severity.QQ"),
    ({"options": {"LX99": {}}}, "options.LX99"),
    ({"options": {"LS01": {"skipp": ["五"]}}}, "options.LS01.skipp"),
    ({"options": {"LD01": {"max_chars": "12"}}}, "options.LD01.max_chars"),
])
def test_unknown_or_wrong_key_is_named(data, key):
    with pytest.raises(ConfigError) as info:
        parse_config(data, list(RULES))
    assert info.value.key == key
    assert key in str(info.value)


def test_pyproject_table_and_unknown_key_in_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.extract]\nselect = ["L"]\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(RULES, report=tmp_path / "r.txt")
    assert info.value.key == "colour" and "pyproject.toml" in str(info.value)


# -- discovery --------------------------------------------------------------------------------------

def test_extract_toml_next_to_the_report_wins(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.extract]\nselect = ["F"]\n', encoding="utf-8")
    assert find_config_file(reports / "r.txt", cwd=tmp_path) == tmp_path / "pyproject.toml"
    (reports / "extract.toml").write_text('select = ["L"]\n', encoding="utf-8")
    assert find_config_file(reports / "r.txt", cwd=tmp_path) == reports / "extract.toml"
    assert load_config(RULES, report=reports / "r.txt").select == ("L",)


def test_pyproject_without_the_table_does_not_count(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    nested = tmp_path / "a"
    nested.mkdir()
    found = find_config_file(nested / "r.txt", cwd=nested)
    assert found is None or found.parent not in (tmp_path, nested)


# -- behaviour --------------------------------------------------------------------------------------

def test_select_ignore_longest_prefix():
    config = Config(select=("L",), ignore=("LU",))
    rules = configured_rules(config=config)
    assert all(c.startswith("L") and not c.startswith("LU") for c in _codes(rules))
    # a longer select beats a shorter ignore
    assert "LU01" in _codes(configured_rules(config=Config(select=("L", "LU01"), ignore=("LU",))))
    # the command line replaces the configured lists
    assert _codes(configured_rules(select=["FS"], config=config)) == {"FS01", "FS02"}


def test_severity_and_options_change_findings():
    plain = analyse(SEED, *run_checks(select=["LU01"]))
    assert {f.severity for f in plain.findings} == {"info"}
    louder = analyse(SEED, *run_checks(config=Config(select=("LU01",), severity={"LU": "warning"})))
    assert {f.severity for f in louder.findings} == {"warning"}
    assert len(louder.findings) == len(plain.findings)
    only_commas = analyse(SEED, *run_checks(config=Config(select=("LU01",), options={"LU01": {"marks": ","}})))
    assert 0 < len(only_commas.findings) < len(plain.findings)
    assert all("「,」" in f.message for f in only_commas.findings)


def test_option_skips_a_required_section(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("武功县2019年度社会保险基金预算绩效自评报告\n一、社会保险基金收支余总体情况\n"
                      "2019年本县各项社会保险基金总收入207273万元。\n", encoding="utf-8")
    codes = lambda cfg: [f.message for f in analyse(report, *run_checks(config=cfg)).findings if f.code == "LS01"]
    assert any("五、附表" in m for m in codes(Config(select=("LS01",))))
    assert not any("五、附表" in m for m in codes(Config(select=("LS01",), options={"LS01": {"skip": ["五"]}})))


# -- baseline ---------------------------------------------------------------------------------------

def test_baseline_suppresses_exactly_its_entries_and_reports_stale(tmp_path):
    report_path = tmp_path / "seed.txt"
    shutil.copy(SEED, report_path)
    config = Config(select=("L",), baseline=tmp_path / "baseline.json")
    checks = run_checks(config=config)
    report = analyse(report_path, *checks)
    key = baseline.file_key(report_path, tmp_path)
    assert key == "seed.txt"
    baseline.save(config.baseline, {key: baseline.entries_for(key, report.findings)})
    known = baseline.load(config.baseline)

    kept, suppressed, stale = apply_baseline(report, config, known)
    assert kept.findings == [] and len(suppressed) == len(report.findings) and stale == []

    # fix one placeholder, add a new slip: the fixed one's entry is stale, the new slip is reported
    text = report_path.read_text(encoding="utf-8")
    text = text.replace("自治区***社会保险", "奇台县社会保险").replace("累计结余255万元", "累计结余结余255万元")
    report_path.write_text(text, encoding="utf-8")
    edited = analyse(report_path, *checks)
    kept, suppressed, stale = apply_baseline(edited, config, known)
    assert [f.code for f in kept.findings] == ["LD01"] and "结余结余" in kept.findings[0].message
    assert [e.code for e in stale] == ["LP01"] and stale[0].text == "***"
    assert len(suppressed) == len(edited.findings) - 1


def test_same_text_twice_in_a_block_needs_two_entries():
    report = analyse(SEED, *run_checks(select=["LU01"]))
    same_block = [f for f in report.findings if f.location.block == 73]
    assert len(same_block) == 3 and len({f.location.text for f in same_block}) == 1
    prints = baseline.fingerprints(report.findings)
    assert len(set(prints)) == len(prints)
    kept, suppressed, stale = baseline.filter_findings(report.findings, baseline.entries_for("x", report.findings[:-1]))
    assert kept == report.findings[-1:] and stale == []
