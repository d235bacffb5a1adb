"""A baseline: findings of a report accepted as known, so that they stop being reported without
editing the report. Each entry is a fingerprint of code + matched text + location (block, or table
cell); a second identical finding in the same place gets its own entry (an occurrence number).
Entries no finding matches any more are stale: the report changed, the entry can go.

    {"version": 1, "files": {"reports/qitai-2019.txt": [{"code": "LU01", "text": "…", "location": "block:6",
                                                          "fingerprint": "…", "message": "…"}]}}
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from extractor.models import Finding

VERSION = 1


@dataclass(frozen=True)
class Entry:
    file: str
    code: str
    text: str
    location: str
    fingerprint: str
    message: str = ""


def location_key(finding: Finding) -> str:
    loc = finding.location
    if loc is None:
        return "document"
    if loc.cell is not None:
        return f"table:{loc.cell.table}:{loc.cell.row}:{loc.cell.col}"
    return f"block:{loc.block}"


def matched_text(finding: Finding) -> str:
    return finding.location.text if finding.location is not None else finding.message


def fingerprints(findings: list[Finding]) -> list[str]:
    """One fingerprint per finding, in order; repeats of the same code/text/location are numbered."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for f in findings:
        key = (f.code, matched_text(f), location_key(f))
        occurrence = seen[key]
        seen[key] += 1
        raw = "\x1f".join((*key, str(occurrence)))
        out.append(hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24])
    return out


def file_key(report_path: str | Path, base_dir: Path) -> str:
    """The report's path relative to the baseline's directory (POSIX), or as given when outside it."""
    path = Path(report_path).resolve()
    try:
        return path.relative_to(base_dir.resolve()).as_posix()
    except ValueError:
        return Path(report_path).as_posix()


def load(path: str | Path) -> dict[str, list[Entry]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("version") != VERSION:
        raise ValueError(f"{path}: 基线文件版本应为 {VERSION}")
    return {file: [Entry(file=file, **entry) for entry in entries] for file, entries in data["files"].items()}


def entries_for(file: str, findings: list[Finding]) -> list[Entry]:
    return [Entry(file=file, code=f.code, text=matched_text(f), location=location_key(f), fingerprint=fp,
                  message=f.message) for f, fp in zip(findings, fingerprints(findings))]


def save(path: str | Path, baseline: dict[str, list[Entry]]) -> None:
    data = {"version": VERSION, "files": {
        file: [{"code": e.code, "text": e.text, "location": e.location, "fingerprint": e.fingerprint,
                "message": e.message} for e in entries]
        for file, entries in sorted(baseline.items())}}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def filter_findings(findings: list[Finding], entries: list[Entry]) -> tuple[list[Finding], list[Finding], list[Entry]]:
    """(kept, suppressed, stale): findings the baseline does not know, those it accepts, and the
    baseline's entries that no finding matched."""
    known = {e.fingerprint: e for e in entries}
    used: set[str] = set()
    kept, suppressed = [], []
    for finding, fp in zip(findings, fingerprints(findings)):
        if fp in known:
            suppressed.append(finding)
            used.add(fp)
        else:
            kept.append(finding)
    stale = [e for e in entries if e.fingerprint not in used]
    return kept, suppressed, stale
