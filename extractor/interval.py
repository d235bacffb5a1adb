"""Rounding-aware arithmetic: every comparison in the project goes through here.

A stated figure with d decimals stands for the closed interval value ± 0.5·10^-d (1983 is
[1982.5, 1983.5], 283.19 is [283.185, 283.195], 14% is [13.5, 14.5]). A relation holds when the
interval computed from the stated inputs overlaps the interval of the stated result, as XBRL
Calculations 1.1 does. No fixed tolerances: the width comes from the precision the report wrote.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Iterable

HUNDRED = Decimal(100)


@lru_cache(maxsize=64)
def _half_of_exponent(exponent: int) -> Decimal:
    return Decimal(5).scaleb(exponent - 1)


def half_unit(value: Decimal) -> Decimal:
    """Half of the last stated digit: Decimal('283.19') -> 0.005, Decimal('1.5E+4') -> 500."""
    return _stated_of(value)[1]


def exponent(value: Decimal) -> int:
    """The exponent of the last stated digit, value.as_tuple().exponent: Decimal('283.19') -> -2."""
    return _stated_of(value)[0]


# (exponent, half unit, interval) of a stated value, keyed by the text of the Decimal, not the Decimal:
# 1.0 == 1.00 (same hash) yet they state different precisions, and the text tells every Decimal apart
# (digits, exponent, sign). as_tuple() builds a named tuple per call, and the checks ask for the same
# few hundred values thousands of times per report. Bounded: emptied when full.
_STATED: dict[str, tuple[int, Decimal, "Interval"]] = {}
_STATED_MAX = 4096


def forget_stated() -> None:
    """Empty the cache of stated values (a benchmark that runs one report many times would find all
    of them there; a new report finds few)."""
    _STATED.clear()


def _stated_of(value: Decimal) -> tuple[int, Decimal, "Interval"]:
    text = str(value)
    found = _STATED.get(text)
    if found is None:
        e = value.as_tuple().exponent
        h = _half_of_exponent(e)
        found = (e, h, _interval(value - h, value + h))
        if len(_STATED) >= _STATED_MAX:
            _STATED.clear()
        _STATED[text] = found
    return found


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @classmethod
    def stated(cls, value: Decimal) -> "Interval":
        if cls is Interval:
            return _stated_of(value)[2]
        h = half_unit(value)
        return cls(value - h, value + h)

    @classmethod
    def exact(cls, value: Decimal) -> "Interval":
        return cls(value, value)

    def __add__(self, other: "Interval") -> "Interval":
        return _interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: "Interval") -> "Interval":
        return _interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> "Interval":
        return _interval(-self.hi, -self.lo)

    def __mul__(self, other: "Interval") -> "Interval":
        products = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi]
        return _interval(min(products), max(products))

    def __truediv__(self, other: "Interval") -> "Interval | None":
        """None when the divisor interval contains zero: the quotient is unbounded, undecidable."""
        if other.lo <= 0 <= other.hi:
            return None
        quotients = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return _interval(min(quotients), max(quotients))

    def scaled(self, factor: Decimal) -> "Interval":
        a, b = self.lo * factor, self.hi * factor
        return _interval(min(a, b), max(a, b))

    def overlaps(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def overlaps_stated(self, value: Decimal) -> bool:
        return self.overlaps(Interval.stated(value))

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2


# Interval(lo, hi) without the frozen dataclass's __init__ (object.__setattr__ per field): the same
# object, built in half the time, for the results of the arithmetic above.
_new_object = object.__new__
_set_lo, _set_hi = Interval.lo.__set__, Interval.hi.__set__


def _interval(lo: Decimal, hi: Decimal) -> Interval:
    made = _new_object(Interval)
    _set_lo(made, lo)
    _set_hi(made, hi)
    return made


def total(values: Iterable[Decimal]) -> Interval:
    # the additions Interval.exact(0) + stated(v1) + stated(v2) … makes, in its order, without an
    # Interval per step
    lo = hi = Decimal(0)
    for v in values:
        s = _stated_of(v)[2]
        lo, hi = lo + s.lo, hi + s.hi
    return _interval(lo, hi)


def agrees(computed: Interval | None, stated: Decimal) -> bool | None:
    """True/False when decidable; None when the computation itself was undecidable."""
    if computed is None:
        return None
    return computed.overlaps(Interval.stated(stated))


def growth_interval(value: Decimal, change: Decimal) -> Interval | None:
    """Growth in % implied by a value and its change on last year: change / (value - change)."""
    previous = Interval.stated(value) - Interval.stated(change)
    quotient = Interval.stated(change) / previous
    return quotient.scaled(HUNDRED) if quotient else None


def ratio_pct_interval(numerator: Decimal, denominator: Decimal) -> Interval | None:
    quotient = Interval.stated(numerator) / Interval.stated(denominator)
    return quotient.scaled(HUNDRED) if quotient else None


def duplicate_status(a: Decimal, b: Decimal) -> str:
    """XBRL duplicate facts: consistent (same stated value), rounding (intervals overlap), inconsistent."""
    if a == b:
        return "consistent"
    return "rounding" if Interval.stated(a).overlaps(Interval.stated(b)) else "inconsistent"


def fmt(value: Decimal | float | int, places: int | None = None) -> str:
    """A number as a Chinese message shows it: no exponent, no trailing zeros beyond `places`."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places))
    text = format(d, "f")
    if "." in text and places is None:
        text = text.rstrip("0").rstrip(".")
    return text
