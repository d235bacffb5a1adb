"""Typo patterns: how a mistyped figure usually differs from the right one."""
from __future__ import annotations

from decimal import Decimal

from extractor.interval import fmt


def typo_pattern(stated: Decimal, mended: Decimal) -> str | None:
    if stated == -mended and stated != 0:
        return "疑漏写或多写负号"
    if mended and abs(stated) in (abs(mended) * 10000, abs(mended) / 10000):
        return "疑为万元与元混用"
    a, b = fmt(abs(stated)), fmt(abs(mended))
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diff) == 1:
            return "疑为一位数字录入错误"
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return "疑为相邻两位数字颠倒"
    return None
