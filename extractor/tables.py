"""Figures out of fund tables, in either orientation, and the 合计/小计 lines that add others up.

    表1 2017年社会保险基金收支情况表            单位：万元   (caption, header cell or unit column)
    |项目          |企业职工养老|…|合计     |
    |一、基金收入  |38,338.97   |…|102344.05|  →  enterprise_pension income.total 38338.97, …, all …
    |其中：保险费收入|15595.44  |…|—        |  →  income.contributions, parent: the 基金收入 figure

How a table is read:

- Tables a PDF splits over a page break come back as one: the next table starts on the next page,
  nothing but its cells lies between, it has the same columns; a repeated header row is dropped and a
  label cell the break cut in two (机关事业单位基 | 本养老保险基金) is joined again.
- Header rows are the leading rows without numbers; label columns the leading columns without
  numbers. A merged cell is read once, where it starts: header cells are carried right over the
  columns they span, label cells down over the rows.
- Every header and label is read with the prose vocabulary (fund names and their table short forms,
  metric labels) plus what a column holds (预算数, 执行数, 完成率, 增减额, 上年数: words.yaml
  ``table_role_*``), a unit in parentheses, 合计/小计, 其中. A label with other words than these is
  not guessed at: its line gives no figure. The caption gives the unit and, when neither axis does,
  the fund and the metric.
- A cell becomes a figure when its row and column (and the caption) name one fund and one metric.
  In one row or column, a 预算数 is the `budget` of the figure beside it, a 完成率 its
  `completion_pct`, an 增减额 its `change`, an 增长率 its `growth_pct`; a 预算数 alone is a budget
  figure. Nil cells (—, -, /, 无, blank) give no figure and count 0 in sums.
- Part lines after a total line of their family (其中：保险费收入 after 基金收入) get that total as
  `parent`; an unknown label among them is an `.other` item, as in prose lists.
- A 合计 line on the funds' axis is the fund `all`; a 小计, or a 合计 over metrics, is no figure but a
  `TableSum` the table-total check adds up.
- The 绩效自评表 is left to `selfeval.py`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import regex

from .blocks import Block
from .extract import NUMBER_RE, Draft, parse_number_at
from .figures import source_of
from .models import TableCell, TableSum
from .normalize import normalise
from .segment import Paragraph, first_fund
from .vocabulary import COUNT_UNITS, MONEY_UNITS, Vocabulary

ROW_NUMBERING = regex.compile(r"^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)|\d+[、.](?!\d)|[①-⑳])")
UNIT_CAPTION = regex.compile(r"单位\s*[:：]?\s*(?P<unit>亿元|万元|千元|元)|[(（](?P<unit2>亿元|万元|千元|元)[)）]")
# A unit a header or label states for its line: （万元）, (人), （%）, 单位：元.
LABEL_UNIT = regex.compile(r"[(（]\s*(?:单位\s*[:：]?\s*)?(?P<unit>亿元|万元|千元|元|万人次|人次|万人|人|万户|户|个月|%)\s*[)）]"
                           r"|单位\s*[:：]\s*(?P<unit2>亿元|万元|千元|元|万人次|人次|万人|人|万户|户)")
PARENTHESISED = regex.compile(r"[(（][^()（）]*[)）]")
YEAR_PREFIX = regex.compile(r"\d{4}年(?:度|末|底|初)?")
# A caption: a 表N line, a 单位 line, or a short line naming a table.
CAPTION = regex.compile(r"^(?:附?表\s*\d|续表)|单位\s*[:：]|(?:情况|明细|统计|汇总|一览|决算|预算|收支)表")
CONTINUATION = regex.compile(r"^(?:续表|[(（]续[)）]|单位\s*[:：])")
ROLES = ("completion", "growth", "change", "last_year", "budget", "actual")
PCT_ROLES = ("completion", "growth")
LEFTOVER_ALLOWED = 4           # characters a label may have beyond the words it is read by
SELFEVAL_WORDS_NEEDED = 3


@dataclass(slots=True)
class Cell:
    block: Block
    text: str                       # the text read; a label joined across a page break differs from block.text


@dataclass(slots=True)
class Grid:
    """One logical table: the cells of one docx/txt table, or of PDF tables continued over pages."""
    cells: dict[tuple[int, int], Cell]
    tables: list[int]
    first_index: int
    last_index: int

    @property
    def table(self) -> int:
        return self.tables[0]

    def rows(self) -> list[int]:
        return sorted({r for r, _ in self.cells})

    def cols(self) -> list[int]:
        return sorted({c for _, c in self.cells})

    def text(self, r: int, c: int) -> str:
        cell = self.cells.get((r, c))
        return cell.text if cell is not None else ""


@dataclass(frozen=True, slots=True)
class Key:
    """What a header or a row label says about its line."""
    fund: str | None = None
    metric: str | None = None
    sign: int = 1
    kind: str = ""                  # metric kind: money | count | visits | months
    role: str | None = None
    unit: str | None = None
    total: bool = False             # 合计 / 总计
    subtotal: bool = False          # 小计
    part: bool = False              # 其中
    index: bool = False             # 序号 column
    unit_column: bool = False
    known: bool = True              # every word of the label was understood
    text: str = ""                  # the label as read (numbering, 其中 and units taken off)
    label: str = ""                 # the text of the label that named the metric

    def merged(self, other: "Key") -> "Key":
        """This key with what `other` (a deeper header row, an inner label column) adds or overrides."""
        return Key(
            fund=other.fund or self.fund, metric=other.metric or self.metric,
            sign=other.sign if other.metric else self.sign, kind=other.kind or self.kind,
            role=other.role or self.role, unit=other.unit or self.unit, total=self.total or other.total,
            subtotal=self.subtotal or other.subtotal, part=other.part or self.part,
            index=self.index or other.index, unit_column=self.unit_column or other.unit_column,
            known=self.known and other.known, text=other.text or self.text, label=other.label or self.label)


EMPTY = Key()


@dataclass(slots=True)
class CellValue:
    """A number of a table cell, with what `figures.source_of` needs to point at it."""
    paragraph: Paragraph
    start: int
    end: int
    cell: tuple[int, int, int]
    value: Decimal                  # normalised: money in 万元
    unit: str                       # 万元, 人, 人次, 户, 个月, %
    stated_unit: str
    nil: bool = False
    draft: Draft | None = None
    label: str = ""                 # the label of the figure the cell gives
    line: tuple[int, ...] = ()      # (fund, basis, cross line, position along the metrics' axis)


@dataclass(slots=True)
class SumDraft:
    """A 合计/小计 cell and the cells of its line's members, before figure ids exist."""
    table: int
    axis: str
    label: str
    across: str
    total: CellValue
    parts: list[tuple[str, CellValue]]      # (member line label, cell)


@dataclass(slots=True)
class TableReading:
    drafts: list[Draft] = field(default_factory=list)
    sums: list[SumDraft] = field(default_factory=list)


# ---- grids --------------------------------------------------------------------------------------------

def read_grids(blocks: tuple[Block, ...] | list[Block], vocab: Vocabulary) -> list[Grid]:
    """The document's tables, a PDF table continued on the next page joined to its first part."""
    by_table: dict[int, dict[tuple[int, int], Block]] = defaultdict(dict)
    for block in blocks:
        if block.kind == "cell" and block.cell is not None:
            by_table[block.cell.table].setdefault((block.cell.row, block.cell.col), block)
    grids: list[Grid] = []
    for table in sorted(by_table):
        cells = by_table[table]
        indices = [b.index for b in cells.values()]
        grid = Grid({k: Cell(b, b.text) for k, b in cells.items()}, [table], min(indices), max(indices))
        if grids and _continues(grids[-1], grid, blocks, vocab):
            _append(grids[-1], grid, vocab)
        else:
            grids.append(grid)
    return grids


def _continues(first: Grid, second: Grid, blocks, vocab: Vocabulary) -> bool:
    """Whether `second` is `first` carried over a page break."""
    last = blocks[first.last_index]
    head = blocks[second.first_index]
    if last.page is None or head.page != last.page + 1:
        return False
    between = blocks[first.last_index + 1:second.first_index]
    if any(b.kind == "paragraph" and not CONTINUATION.match(normalise(b.text).text.strip()) for b in between):
        return False
    if first.cols() != second.cols():
        return False
    top = second.rows()[0]
    header = _header_rows(first)
    if header and [second.text(top, c) for c in second.cols()] == [first.text(header[0], c) for c in first.cols()]:
        return True                                   # a repeated header row
    return any(_number(second.text(top, c), vocab) is not None for c in second.cols())


def _append(first: Grid, second: Grid, vocab: Vocabulary) -> None:
    header = _header_rows(first)
    rows = second.rows()
    repeated = 0
    for r, h in zip(rows, header):
        if [second.text(r, c) for c in second.cols()] != [first.text(h, c) for c in first.cols()]:
            break
        repeated += 1
    keep = rows[repeated:]
    offset = max(first.rows()) + 1 - (keep[0] if keep else 0)
    if keep:
        _join_cut_labels(first, second, keep[0], vocab)
    for (r, c), cell in second.cells.items():
        if r in keep and cell is not None:
            first.cells[r + offset, c] = cell
    first.tables += second.tables
    first.last_index = second.last_index


def _join_cut_labels(first: Grid, second: Grid, top: int, vocab: Vocabulary) -> None:
    """A merged label cell that a page break cut in two (机关事业单位基 | 本养老保险基金): joined
    when neither piece reads as a label and the two together do."""
    for c in second.cols():
        tail = second.cells.get((top, c))
        if tail is None or _number(tail.text, vocab) is not None:
            continue
        above = [r for r in first.rows() if (r, c) in first.cells]
        if not above:
            continue
        head = first.cells[above[-1], c]
        if _number(head.text, vocab) is not None:
            continue
        joined = head.text + tail.text
        if _is_label(joined, vocab) and not _is_label(head.text, vocab) and not _is_label(tail.text, vocab):
            head.text = joined
            del second.cells[top, c]


def _is_label(text: str, vocab: Vocabulary) -> bool:
    key = parse_label(text, vocab)
    return key.known and (key.fund is not None or key.metric is not None)


# ---- labels and numbers -------------------------------------------------------------------------------

def parse_label(text: str, vocab: Vocabulary) -> Key:
    """What a header cell or row label says: fund, metric, role, unit, 合计/小计, 其中."""
    w = vocab.words
    t = regex.sub(r"\s+", "", normalise(text).text)
    if not t:
        return EMPTY
    if w["table_index_column"].match(t):
        return Key(index=True, text=t)
    if w["table_unit_column"].match(t):
        return Key(unit_column=True, text=t)
    unit = None
    m = LABEL_UNIT.search(t)
    if m:
        unit = m.group("unit") or m.group("unit2")
        t = t[:m.start()] + t[m.end():]
    if t in MONEY_UNITS or t in COUNT_UNITS or t == "%":
        return Key(unit=t, text=t)                      # a unit column's cell
    t = PARENTHESISED.sub("", t)
    while True:
        stripped = ROW_NUMBERING.sub("", t)
        if stripped == t:
            break
        t = stripped
    part = t.startswith("其中")
    t = regex.sub(r"^其中[:：]?", "", t)
    t = YEAR_PREFIX.sub("", t).strip(":：")
    if w["table_total"].match(t):
        return Key(total=True, unit=unit, text=t)
    subtotal = bool(w["table_subtotal"].search(t))
    if subtotal:
        return Key(subtotal=True, unit=unit, text=t)
    fund = metric = None
    sign, kind = 1, ""
    rest = t
    if t in vocab.fund_short:
        fund, rest = vocab.fund_short[t], ""
    else:
        pieces = []
        last = 0
        for tm in vocab.term_pattern.finditer(t):
            term = vocab.terms[tm.group()]
            if term.kind == "fund" and fund is None:
                fund = term.id
            elif term.kind == "metric":
                metric, sign, kind = term.id, term.sign, term.metric_kind
            pieces.append(t[last:tm.start()])
            last = tm.end()
        pieces.append(t[last:])
        rest = "".join(pieces)
    role = None
    for name in ROLES:
        rm = w[f"table_role_{name}"].search(rest)
        if rm:
            role = name
            rest = rest[:rm.start()] + rest[rm.end():]
            break
    if role is None and fund is None and rest in vocab.fund_short:
        fund, rest = vocab.fund_short[rest], ""
    rest = w["table_label_filler"].sub("", rest)
    known = len(rest) <= LEFTOVER_ALLOWED
    return Key(fund=fund, metric=metric, sign=sign, kind=kind, role=role, unit=unit, part=part,
               known=known, text=t, label=t if metric else "")


def _number(text: str, vocab: Vocabulary):
    """("nil", None) for a nil cell, (match, norm) for a cell that is one number, else None."""
    norm = normalise(text, cell=True)
    plain = norm.text.strip()
    if vocab.words["table_nil"].match(plain):
        return ("nil", norm)
    m = NUMBER_RE.search(norm.text)
    if not m:
        return None
    before, after = norm.text[:m.start()].strip(), norm.text[m.end():].strip()
    if before == "(" and after == ")" and not m.group("neg"):
        return ("paren", (m, norm))                     # (78.50): accounting negative
    if before or after:
        return None
    return ("num", (m, norm))


# ---- reading one table --------------------------------------------------------------------------------

def _header_rows(grid: Grid) -> list[int]:
    rows = grid.rows()
    header = []
    for r in rows[:5]:
        texts = [grid.text(r, c) for c in grid.cols() if (r, c) in grid.cells]
        if any(_looks_numeric(t) for t in texts):
            break
        header.append(r)
    return header if len(header) < len(rows) else []


def _looks_numeric(text: str) -> bool:
    plain = normalise(text, cell=True).text.strip()
    m = NUMBER_RE.search(plain)
    return bool(m and not plain[:m.start()].strip("(（ ") and not plain[m.end():].strip(")） "))


def is_selfeval(grid: Grid, vocab: Vocabulary) -> bool:
    words = [w for ws in vocab.selfeval.get("headers", {}).values() for w in ws]
    for r in grid.rows():
        texts = {regex.sub(r"\s+", "", normalise(grid.text(r, c)).text) for c in grid.cols()}
        if sum(1 for t in texts if t and any(t == w or t.startswith(w) for w in words)) >= SELFEVAL_WORDS_NEEDED:
            return True
    return False


@dataclass(slots=True)
class Context:
    """What the caption (and the section) say about a whole table."""
    unit: str | None
    fund: str | None
    metric: str | None
    budget: bool
    section: Paragraph | None
    metric_label: str = ""


def _context(grid: Grid, paragraphs: list[Paragraph], vocab: Vocabulary) -> Context:
    before = [p for p in paragraphs if p.block.index < grid.first_index]
    captions: list[Paragraph] = []
    for p in reversed(before[-3:]):
        text = p.norm.text.strip()
        if CAPTION.search(text) or (len(text) <= 40 and not regex.search(r"[。;；]", text) and p.heading is None):
            captions.insert(0, p)
        else:
            break
    texts = [p.norm.text for p in captions]
    unit = None
    for text in texts + [grid.text(r, c) for r, c in grid.cells if r == grid.rows()[0]]:
        m = UNIT_CAPTION.search(normalise(text).text)
        if m:
            unit = m.group("unit") or m.group("unit2")
            break
    caption = "".join(texts)
    fund = first_fund(caption, vocab) if caption else None
    section = before[-1] if before else None
    if fund is None and section is not None:
        fund = section.fund
    metric, label = None, ""
    for m in vocab.term_pattern.finditer(caption):
        term = vocab.terms[m.group()]
        if term.kind == "metric" and term.metric_kind == "money":
            metric, label = term.id, m.group()
    budget = bool(vocab.words["table_budget_caption"].search(caption)) or bool(section and section.budget_section)
    return Context(unit, fund, metric, budget, section, label)


def read_tables(blocks: tuple[Block, ...] | list[Block], paragraphs: list[Paragraph],
                vocab: Vocabulary) -> TableReading:
    reading = TableReading()
    for grid in read_grids(blocks, vocab):
        if is_selfeval(grid, vocab):
            continue
        _read_grid(grid, _context(grid, paragraphs, vocab), vocab, reading)
    return reading


def _read_grid(grid: Grid, ctx: Context, vocab: Vocabulary, reading: TableReading) -> None:
    rows, cols = grid.rows(), grid.cols()
    header = _header_rows(grid)
    body = [r for r in rows if r not in header]
    if not body:
        return
    label_cols = []
    for c in cols:
        texts = [grid.text(r, c) for r in body if (r, c) in grid.cells]
        head = parse_label(" ".join(grid.text(h, c) for h in header), vocab) if header else EMPTY
        if head.index or not any(_looks_numeric(t) for t in texts):
            label_cols.append(c)
        else:
            break
    data_cols = [c for c in cols if c not in label_cols]
    if not data_cols:
        return
    col_keys = _column_keys(grid, header, data_cols, vocab)
    row_keys, group_keys = _row_keys(grid, body, label_cols, data_cols, vocab)
    data_rows = [r for r in body if r in row_keys]
    funds_on_rows = sum(1 for r in data_rows if row_keys[r].fund) >= sum(1 for c in data_cols if col_keys[c].fund)
    metrics_on_rows = sum(1 for r in data_rows if row_keys[r].metric) >= sum(1 for c in data_cols if col_keys[c].metric)
    _fill_items(data_rows if metrics_on_rows else data_cols, row_keys if metrics_on_rows else col_keys)
    values: dict[tuple[int, int], CellValue | None] = {}
    records: dict[tuple[str, str], dict[str, list[CellValue]]] = defaultdict(lambda: defaultdict(list))
    order: list[tuple[str, str]] = []
    for r in data_rows:
        rk = row_keys[r]
        for c in data_cols:
            if (r, c) not in grid.cells:
                continue
            ck = col_keys[c]
            value = values[r, c] = _cell_value(grid, r, c, rk, ck, ctx, vocab)
            if value is None or value.nil:
                continue
            target = _figure_key(rk, ck, group_keys.get(r, EMPTY), ctx, funds_on_rows)
            if target is None:
                continue
            fund, metric, sign, role, label = target
            if role == "last_year":
                continue
            value.value = value.value * sign
            value.label = label
            value.line = (c, r) if metrics_on_rows else (r, c)
            if (fund, metric) not in records:
                order.append((fund, metric))
            records[fund, metric][role].append(value)
    drafts = _drafts(records, order, ctx)
    reading.drafts.extend(d for d, _ in drafts)
    _assign_parents(drafts)
    reading.sums.extend(_sums(grid.table, data_rows, data_cols, row_keys, col_keys, group_keys, values,
                              lambda r, c: (r, c) in grid.cells))


def _column_keys(grid: Grid, header: list[int], data_cols: list[int], vocab: Vocabulary) -> dict[int, Key]:
    keys = {c: EMPTY for c in data_cols}
    for depth, h in enumerate(header):
        carried: Cell | None = None
        for c in data_cols:
            cell = grid.cells.get((h, c))
            if cell is None and depth < len(header) - 1:
                cell = carried                          # a merged header cell spans this column
            else:
                carried = cell
            if cell is not None:
                keys[c] = keys[c].merged(parse_label(cell.text, vocab))
    return keys


def _row_keys(grid: Grid, body: list[int], label_cols: list[int], data_cols: list[int],
              vocab: Vocabulary) -> tuple[dict[int, Key], dict[int, Key]]:
    """Keys of the rows that hold data, and for each the group row (a label row without numbers) above it."""
    keys: dict[int, Key] = {}
    groups: dict[int, Key] = {}
    outer: dict[int, Cell | None] = {c: None for c in label_cols[:-1]}
    group = EMPTY
    for r in body:
        for c in outer:
            if (r, c) in grid.cells:
                outer[c] = grid.cells[r, c]
        key = EMPTY
        for c in label_cols:
            cell = grid.cells.get((r, c)) if c == label_cols[-1] else outer.get(c)
            if cell is not None:
                key = key.merged(parse_label(cell.text, vocab))
        has_data = any((r, c) in grid.cells for c in data_cols)
        if not has_data:
            if key is not EMPTY and (key.fund or key.metric):
                group = key
            continue
        keys[r] = key
        groups[r] = group
    return keys, groups


def _fill_items(lines: list[int], keys: dict[int, Key]) -> None:
    """Unknown labels among the parts of an income or spending total are its `.other` items."""
    family = None
    for line in lines:
        key = keys[line]
        if key.metric:
            fam, _, item = key.metric.partition(".")
            family = fam if item == "total" and fam in ("income", "expenditure") else (
                family if fam == family else None)
        elif family and not key.total and not key.subtotal and not key.index and key.text and not key.fund \
                and not key.unit_column and not key.role:
            keys[line] = Key(metric=f"{family}.other", kind="money", part=True, unit=key.unit, text=key.text,
                             label=key.text)


def _figure_key(rk: Key, ck: Key, group: Key, ctx: Context, funds_on_rows: bool):
    """(fund, metric, sign, role, label) of a cell, or None when its lines do not name one figure."""
    if rk.subtotal or ck.subtotal or rk.index or ck.index or rk.unit_column or ck.unit_column:
        return None
    if not rk.known or not ck.known:
        return None
    row_fund = "all" if rk.total and funds_on_rows else rk.fund
    col_fund = "all" if ck.total and not funds_on_rows else ck.fund
    if (rk.total and not funds_on_rows) or (ck.total and funds_on_rows):
        return None                                     # a 合计 over metrics: a sum, not a figure
    if row_fund and col_fund and row_fund != col_fund:
        return None
    if rk.metric and ck.metric and rk.metric != ck.metric:
        return None
    fund = row_fund or col_fund or group.fund or ctx.fund
    metric = rk.metric or ck.metric or group.metric or ctx.metric
    if not fund or not metric:
        return None
    sign = rk.sign if rk.metric else ck.sign if ck.metric else 1
    role = ck.role or rk.role or "stated"          # stated: no column says whether actual or budget
    label = (rk if rk.metric else ck).label if (rk.metric or ck.metric) else (group.label or ctx.metric_label)
    return fund, metric, sign, role, label


def _cell_value(grid: Grid, r: int, c: int, rk: Key, ck: Key, ctx: Context, vocab: Vocabulary) -> CellValue | None:
    cell = grid.cells.get((r, c))
    if cell is None:
        return None
    parsed = _number(cell.text, vocab)
    if parsed is None:
        return None
    block = cell.block
    kind, payload = parsed
    norm = payload if kind == "nil" else payload[1]
    paragraph = Paragraph(block=block, norm=norm, section=ctx.section.section if ctx.section else (), heading=None,
                          fund=None, budget_section=False, sentences=[(0, len(norm.text))])
    ref = (block.cell.table, block.cell.row, block.cell.col)
    role = ck.role or rk.role
    metric_kind = rk.kind or ck.kind or "money"
    if kind == "nil":
        unit = "%" if role in PCT_ROLES else {"money": "万元", "visits": "人次", "months": "个月"}.get(metric_kind, "人")
        return CellValue(paragraph, 0, len(norm.text), ref, Decimal(0), unit, "", nil=True)
    m, _ = payload
    num = parse_number_at(m)
    value = num.value if kind == "num" else -num.value
    if role in PCT_ROLES:
        # a rate column of a 参保人数（人） row: the row's unit is the figure's, not the rate's
        if num.stated_unit not in ("", "%"):
            return None
        return CellValue(paragraph, m.start("num"), m.end("num"), ref, value, "%", num.stated_unit)
    stated = num.stated_unit or rk.unit or ck.unit
    if metric_kind == "money" or (not rk.kind and not ck.kind):
        stated = stated or ctx.unit or "万元"
        if stated not in MONEY_UNITS:
            return None
        raw = Decimal(m.group("digits")) * (-1 if (m.group("neg") or kind == "paren") else 1)
        return CellValue(paragraph, m.start("num"), m.end("num"), ref, raw.scaleb(MONEY_UNITS[stated]), "万元", stated)
    stated = stated or {"visits": "人次", "months": "个月"}.get(metric_kind, "人")
    if stated not in COUNT_UNITS:
        return None
    unit, power = COUNT_UNITS[stated]
    raw = Decimal(m.group("digits")) * (-1 if (m.group("neg") or kind == "paren") else 1)
    return CellValue(paragraph, m.start("num"), m.end("num"), ref, raw.scaleb(power), unit, stated)


def _drafts(records, order, ctx: Context) -> list[tuple[Draft, tuple]]:
    """One figure per actual cell (a budget cell when the line has no actual), with the budget,
    completion, change and growth cells of the same fund and metric as its attributes."""
    drafts: list[tuple[Draft, tuple]] = []
    for fund, metric in order:
        roles = records[fund, metric]
        actuals, budgets = roles.get("actual", []), roles.get("budget", [])
        if ctx.budget and not actuals:
            budgets = budgets + roles.get("stated", [])     # a budget table's plain figures are budgets
        else:
            actuals = actuals + roles.get("stated", [])
        main = actuals or budgets
        basis = "actual" if actuals else "budget"
        for i, value in enumerate(main):
            if value.unit == "%":
                continue
            draft = Draft(fund, metric, basis, value.value, value.unit, value.stated_unit, value.label,
                          value.paragraph, value.start, value.end)
            draft.cell = value.cell
            if actuals:
                draft.budget = _nth(budgets, i, value.unit)
            draft.completion_pct = _nth(roles.get("completion", []), i, "%")
            draft.change = _nth(roles.get("change", []), i, value.unit)
            draft.growth_pct = _nth(roles.get("growth", []), i, "%")
            value.draft = draft
            drafts.append((draft, (fund, basis) + value.line))
    return drafts


def _nth(values: list[CellValue], i: int, unit: str) -> Decimal | None:
    if i < len(values) and values[i].unit == unit:
        return values[i].value
    return None


def _assign_parents(drafts: list[tuple[Draft, tuple]]) -> None:
    """Part lines after (or right before) the total line of their family take it as parent."""
    lines: dict[tuple, list[tuple[int, Draft]]] = defaultdict(list)
    for d, (fund, basis, cross, position) in drafts:
        lines[fund, basis, cross].append((position, d))
    for group in lines.values():
        group.sort(key=lambda x: x[0])
        total: dict[str, Draft] = {}
        waiting: list[Draft] = []
        family = None
        for _, d in group:
            fam, _, item = d.metric.partition(".")
            if fam not in ("income", "expenditure") or d.unit != "万元":
                family, waiting = None, []
                continue
            if item == "total":
                for w in waiting:
                    if w.metric.startswith(fam + "."):
                        w.parent = d
                total[fam], family, waiting = d, fam, []
            elif family == fam and fam in total:
                d.parent = total[fam]
            else:
                family = None
                waiting.append(d)


def freeze_sums(sums: list[SumDraft], ids: dict[int, str]) -> list[TableSum]:
    """The sums as records, each cell pointing at its place and at the figure it also is."""
    def cell(label: str, v: CellValue) -> TableCell:
        return TableCell(value=v.value, unit=v.unit, label=label, nil=v.nil,
                         figure=ids.get(id(v.draft)) if v.draft is not None else None, source=source_of(v))

    return [TableSum(table=s.table, axis=s.axis, label=s.label, across=s.across, total=cell(s.label, s.total),
                     parts=[cell(label, v) for label, v in s.parts]) for s in sums]


def _sums(table: int, data_rows: list[int], data_cols: list[int], row_keys: dict[int, Key],
          col_keys: dict[int, Key], group_keys: dict[int, Key], values: dict[tuple[int, int], CellValue | None],
          present) -> list[SumDraft]:
    """Each 合计/小计 line against the lines it adds up, one cross line at a time."""
    out: list[SumDraft] = []
    axes = (("row", data_rows, row_keys, data_cols, col_keys, lambda line, x: (line, x), lambda r: id(group_keys[r])),
            ("column", data_cols, col_keys, data_rows, row_keys, lambda line, x: (x, line), lambda c: 0))
    for axis, lines, keys, crosses, cross_keys, at, group_of in axes:
        for i, line in enumerate(lines):
            key = keys[line]
            if not (key.total or key.subtotal):
                continue
            members = [m for m in _members(i, lines, keys, group_of)
                       if not keys[m].index and not keys[m].unit_column and keys[m].role == key.role]
            if len(members) < 2:
                continue
            for x in crosses:
                xk = cross_keys[x]
                if xk.index or xk.unit_column or xk.role in PCT_ROLES:
                    continue
                total = values.get(at(line, x))
                if total is None or total.nil or total.unit == "%":
                    continue
                parts = []
                for m in members:
                    if not present(*at(m, x)):
                        continue                        # a blank cell: nil
                    v = values.get(at(m, x))
                    if v is None or (not v.nil and v.unit != total.unit):
                        parts = None
                        break
                    parts.append((keys[m].text, v))
                if parts and len(parts) >= 2:
                    out.append(SumDraft(table, axis, key.text, xk.text, total, parts))
    return out


def _members(i: int, lines: list[int], keys: dict[int, Key], group_of) -> list[int]:
    """The lines a 小计 adds up (the run right before it, else right after it) or a 合计 adds up
    (every line of its group, a 小计 standing for the lines it adds up)."""
    line = lines[i]
    is_sum = lambda m: keys[m].total or keys[m].subtotal  # noqa: E731
    if keys[line].subtotal:
        before = []
        for m in reversed(lines[:i]):
            if is_sum(m) or group_of(m) != group_of(line):
                break
            before.insert(0, m)
        if before:
            return before
        after = []
        for m in lines[i + 1:]:
            if is_sum(m) or group_of(m) != group_of(line):
                break
            after.append(m)
        return after
    scope = [m for m in lines if m != line and group_of(m) == group_of(line) and not keys[m].total]
    covered: set[int] = set()
    for j, m in enumerate(lines):
        if m in scope and keys[m].subtotal:
            covered.update(_members(j, lines, keys, group_of))
    return [m for m in scope if m not in covered]
