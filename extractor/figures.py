"""Drafts into the frozen `Figure` records: ids in document order and sources mapped back to the
original text (page, block, span, the text as written).

Built with `Record.trusted`: every value comes from a typed `Draft`, so validation has nothing to
find."""
from __future__ import annotations

from .extract import Draft
from .models import CellLocation, Figure, Source


def source_of(draft: Draft) -> Source:
    p = draft.paragraph
    start, end = p.norm.span(draft.start, draft.end)
    cell = CellLocation.trusted(table=draft.cell[0], row=draft.cell[1], col=draft.cell[2]) if draft.cell else None
    return Source.trusted(block=p.block.index, page=p.block.page_at(start), start=start, end=end,
                          text=p.block.text[start:end], cell=cell, section=p.section_label or None)


def freeze_with_ids(drafts: list[Draft]) -> tuple[list[Figure], dict[int, str]]:
    """The figures, and each draft's figure id by id(draft) (what a table sum refers to)."""
    ordered = sorted(drafts, key=lambda d: (d.paragraph.block.index, d.start, d.end))
    ids = {id(d): f"f{i}" for i, d in enumerate(ordered, start=1)}
    figures = []
    for d in ordered:
        figures.append(Figure.trusted(
            id=ids[id(d)], fund=d.fund, metric=d.metric, basis=d.basis, value=d.value, unit=d.unit,
            stated_unit=d.stated_unit, decimals=-d.value.as_tuple().exponent, label=d.label, change=d.change,
            growth_pct=d.growth_pct, budget=d.budget, completion_pct=d.completion_pct,
            parent=ids.get(id(d.parent)) if d.parent is not None else None, included=d.nested,
            ocr=d.paragraph.block.ocr,
            source=source_of(d),
        ))
    return figures, ids
