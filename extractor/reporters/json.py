"""JSON: one object per report (the `Report` model); several reports are JSON Lines."""
from __future__ import annotations

from ..models import Report


def render(report: Report) -> str:
    return report.model_dump_json(exclude_none=False)
