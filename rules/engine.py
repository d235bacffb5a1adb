"""Wires the project's vocabulary and rule table into the library's `analyse`."""
from __future__ import annotations

from typing import Iterable

from . import vocabulary
from .base import iter_rules
from .hints import add_hints
from .registry import RULES


def run_checks(select: Iterable[str] = (), ignore: Iterable[str] = ()):
    """(vocab, checks, finalize) for `extractor.pipeline.analyse`."""
    return vocabulary(), list(iter_rules(RULES, select, ignore)), add_hints
