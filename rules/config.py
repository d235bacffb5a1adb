"""Configuration: `[tool.extract]` in pyproject.toml, or the same keys at the top of extract.toml.

    [tool.extract]
    select = ["F", "L"]            # code prefixes to run (longest matching prefix of select/ignore wins)
    ignore = ["LU01"]
    baseline = "extract-baseline.json"   # relative to the configuration file

    [tool.extract.severity]        # per rule code or code prefix (longest prefix wins)
    LU = "warning"

    [tool.extract.options.LS01]    # per rule: the keys its Rule.options declares
    skip = ["五"]

The file is looked for next to the report and in its parent directories, then in the current
directory and its parents; in each directory extract.toml comes before pyproject.toml, and a
pyproject.toml without [tool.extract] does not count. An unknown key, an unknown rule code or
prefix, a wrong type or severity raises ConfigError naming the key (the CLI exits with 2).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .base import Rule

KEYS = ("select", "ignore", "severity", "options", "baseline")
SEVERITIES = ("info", "warning", "error")
CONFIG_FILES = ("extract.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration the tool cannot use; `key` is the offending key, dotted from [tool.extract]."""

    def __init__(self, key: str, message: str = "", path: Path | None = None):
        self.key, self.path = key, path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}配置项「{key}」{message or '未知'}")


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict] = field(default_factory=dict)
    baseline: Path | None = None
    path: Path | None = None            # the file it came from (None: defaults)

    def severity_for(self, code: str) -> str | None:
        """The configured severity of a rule: the longest configured prefix of its code wins."""
        matches = [p for p in self.severity if code.startswith(p)]
        return self.severity[max(matches, key=len)] if matches else None


def find_config_file(report: str | Path | None = None, cwd: str | Path | None = None) -> Path | None:
    starts = []
    if report is not None:
        starts.append(Path(report).resolve().parent)
    starts.append(Path(cwd or Path.cwd()).resolve())
    seen: set[Path] = set()
    for start in starts:
        for directory in (start, *start.parents):
            if directory in seen:
                continue
            seen.add(directory)
            for name in CONFIG_FILES:
                candidate = directory / name
                if candidate.is_file() and (name == "extract.toml" or _has_tool_table(candidate)):
                    return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "extract" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
        return False


def load_config(rules: Iterable[Rule], report: str | Path | None = None, cwd: str | Path | None = None,
                path: str | Path | None = None) -> Config:
    """The configuration that applies to `report` (or the explicit `path`), checked against `rules`."""
    file = Path(path) if path is not None else find_config_file(report, cwd)
    if file is None:
        return Config()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError("(file)", f"无法解析：{error}", file) from None
    if file.name == "pyproject.toml" or set(data) == {"tool"}:
        data = data.get("tool", {}).get("extract", {})
    return parse_config(data, list(rules), file)


def parse_config(data: dict, rules: list[Rule], file: Path | None = None) -> Config:
    codes = {r.code: r for r in rules}

    def fail(key: str, message: str = ""):
        raise ConfigError(key, message, file)

    for key in data:
        if key not in KEYS:
            fail(key)
    prefixes = {}
    for key in ("select", "ignore"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
            fail(key, "应为规则代码前缀的列表")
        for prefix in value:
            if not any(code.startswith(prefix) for code in codes):
                fail(f"{key}.{prefix}", "不是任何规则代码的前缀")
        prefixes[key] = tuple(value)
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        fail("severity", "应为 代码前缀 = 级别 的表")
    for prefix, level in severity.items():
        if not any(code.startswith(prefix) for code in codes):
            fail(f"severity.{prefix}", "不是任何规则代码的前缀")
        if level not in SEVERITIES:
            fail(f"severity.{prefix}", f"的级别应为 {' / '.join(SEVERITIES)}")
    options = data.get("options", {})
    if not isinstance(options, dict):
        fail("options", "应为按规则代码分的表")
    for code, values in options.items():
        rule = codes.get(code)
        if rule is None:
            fail(f"options.{code}", "不是已知的规则代码")
        if not isinstance(values, dict):
            fail(f"options.{code}", "应为表")
        for key, value in values.items():
            if key not in rule.options or key == "severity":
                fail(f"options.{code}.{key}", f"未知（{code} 可用：{', '.join(rule.options) or '无'}）")
            default = rule.options[key]
            if default is not None and not isinstance(value, type(default)):
                fail(f"options.{code}.{key}", f"应为 {type(default).__name__}")
    baseline = data.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        fail("baseline", "应为文件路径")
    base_dir = file.parent if file else Path.cwd()
    return Config(select=prefixes["select"], ignore=prefixes["ignore"], severity=dict(severity),
                  options={code: dict(values) for code, values in options.items()},
                  baseline=(base_dir / baseline) if baseline else None, path=file)
