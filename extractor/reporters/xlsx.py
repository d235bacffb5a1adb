"""An Excel working paper (openpyxl): reports, findings and figures sheets with frozen header rows,
filters and column widths an auditor can work with."""
from __future__ import annotations

from ..models import Report
from .sheets import all_tables

SHEET_TITLES = {"reports": "报告", "findings": "发现", "figures": "数据"}
MAX_WIDTH = 60


def _width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)   # 汉字 take two columns


def render(reports: list[Report], path: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for key, rows in all_tables(reports).items():
        sheet = book.create_sheet(SHEET_TITLES[key])
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = sheet.dimensions
        for i in range(1, len(rows[0]) + 1):
            widest = max(_width(r[i - 1]) for r in rows[:200])
            sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, widest + 2))
    book.save(path)
