"""Score extracted reports against `*.expected.json` the way the project is judged.

    python tests/scoring.py tests/fixtures/corpus [--show]

figure recall     expected (fund, metric, attribute, value) tuples found among the extracted figures
value precision   extracted values that are numbers of the report (expected figures or other_values)
finding recall    expected findings matched by a finding of at least their severity that mentions
                  every anchor number (in its text fields or its figures' values)
false errors      errors none of whose numbers is an expected anchor or an also_ok value
Runs in-process (no subprocess per file), so the test suite stays fast.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

SEVERITY = {"info": 0, "warning": 1, "error": 2}
ATTRS = ("value", "change", "growth_pct", "budget", "completion_pct")
SUFFIXES = (".txt", ".docx", ".pdf")


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def numbers(obj, out: list) -> list:
    if isinstance(obj, bool):
        return out
    if isinstance(obj, (int, float)):
        out.append(float(obj))
    elif isinstance(obj, str):
        try:
            out.append(float(obj))
        except ValueError:
            pass
    elif isinstance(obj, dict):
        for v in obj.values():
            numbers(v, out)
    elif isinstance(obj, list):
        for v in obj:
            numbers(v, out)
    return out


def tuples(figures: list[dict]) -> list[tuple]:
    return [(f["fund"], f["metric"], a, float(f[a])) for f in figures for a in ATTRS if f.get(a) is not None]


@dataclass
class Score:
    fig_hit: int = 0
    fig_total: int = 0
    val_ok: int = 0
    val_total: int = 0
    find_hit: int = 0
    find_total: int = 0
    false_errors: int = 0
    clean_errors: int = 0
    misses: list = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("fig_hit", "fig_total", "val_ok", "val_total", "find_hit", "find_total",
                     "false_errors", "clean_errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses

    @staticmethod
    def pct(a: int, b: int) -> float:
        return 100.0 * a / b if b else 100.0

    @property
    def figure_recall(self) -> float:
        return self.pct(self.fig_hit, self.fig_total)

    @property
    def value_precision(self) -> float:
        return self.pct(self.val_ok, self.val_total)

    @property
    def finding_recall(self) -> float:
        return self.pct(self.find_hit, self.find_total)


def score_report(report: dict, expected: dict, name: str = "") -> Score:
    s = Score()
    got = tuples(report["figures"])
    pool = list(got)
    for want in map(tuple, expected["figures"]):
        s.fig_total += 1
        for i, g in enumerate(pool):
            if g[:3] == tuple(want[:3]) and close(g[3], want[3]):
                s.fig_hit += 1
                pool.pop(i)
                break
        else:
            s.misses.append(f"{name}: figure {list(want)}")
    truth = [float(w[3]) for w in expected["figures"]] + [float(v) for v in expected.get("other_values", [])]
    values = [g[3] for g in got if g[2] == "value"]
    s.val_total = len(values)
    s.val_ok = sum(1 for v in values if any(close(v, t) for t in truth))
    by_id = {f["id"]: f for f in report["figures"]}
    found = []
    for f in report["findings"]:
        nums = numbers({k: v for k, v in f.items() if k not in ("figures", "location")}, [])
        for ref in f.get("figures", []):
            nums += [t[3] for t in tuples([by_id[ref]])] if ref in by_id else []
        found.append((SEVERITY[f["severity"]], nums))
    for want in expected["findings"]:
        s.find_total += 1
        if any(sev >= SEVERITY[want["severity"]] and all(any(close(abs(a), abs(n)) for n in nums)
                                                         for a in want["anchors"]) for sev, nums in found):
            s.find_hit += 1
        else:
            s.misses.append(f"{name}: finding {want.get('id', want.get('relation'))} {want['fund']} {want['anchors']}")
    anchors = [a for w in expected["findings"] for a in w["anchors"]] + [float(v) for v in expected.get("also_ok", [])]
    errors = [nums for sev, nums in found if sev == 2]
    s.false_errors = sum(1 for nums in errors if not any(close(abs(n), abs(a)) for n in nums for a in anchors))
    if not expected["findings"]:
        s.clean_errors = len(errors)
    return s


def expected_for(path: Path) -> Path | None:
    candidate = path.with_name(path.name[: -len(path.suffix)] + ".expected.json")
    return candidate if candidate.exists() else None


def score_folder(folder: Path) -> tuple[Score, int]:
    from extract_rules.engine import run_checks

    from extractor.pipeline import analyse

    total, docs = Score(), 0
    checks = run_checks()
    for path in sorted(folder.iterdir()):
        expected = expected_for(path) if path.suffix in SUFFIXES else None
        if expected is None:
            continue
        docs += 1
        report = json.loads(analyse(path, *checks).model_dump_json())
        total.add(score_report(report, json.loads(expected.read_text(encoding="utf-8")), path.name))
    return total, docs


def main(argv: list[str]) -> int:
    score, docs = score_folder(Path(argv[0]))
    if "--show" in argv:
        for miss in score.misses:
            print("  missed", miss)
    print(f"docs {docs}  figure recall {score.figure_recall:.1f}%  value precision {score.value_precision:.1f}%  "
          f"finding recall {score.finding_recall:.1f}%  false errors {score.false_errors}  "
          f"errors on clean docs {score.clean_errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
