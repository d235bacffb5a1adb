"""The working paper's tables as CSV files (UTF-8 with BOM, so Excel opens the Chinese text)."""
from __future__ import annotations

import csv
from pathlib import Path

from ..models import Report
from .sheets import all_tables


def render(reports: list[Report], folder: str) -> list[Path]:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in all_tables(reports).items():
        path = target / f"{name}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows)
        written.append(path)
    return written
