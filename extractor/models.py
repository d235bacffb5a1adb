"""The records the tool speaks: figures, findings and the report that holds them.

Frozen pydantic models with `extra="forbid"`. Amounts are `Decimal` whose exponent is the stated
precision (``Decimal("283.19")`` stands for [283.185, 283.195]); they are written to JSON as numbers.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _decimal_to_json(value: Decimal | None) -> int | float | None:
    """Whole numbers as JSON integers, others as floats: the same JSON whether a value was read from
    the document (Decimal('141.00')) or back from JSON (141), so a resumed run writes what a fresh one
    does. The stated precision travels in `decimals`."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


Amount = Annotated[Decimal, PlainSerializer(_decimal_to_json, return_type=int | float, when_used="json")]


_FIELD_NAMES: dict[type, frozenset[str]] = {}


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def trusted(cls, **fields):
        """A record from values that already have the field types (a `Draft`'s), not validated.

        For the records the pipeline builds by the hundred per report: validation would only
        re-check what the types say (3 µs a figure, a third of the figures' cost), and pydantic's
        own `model_construct`, which skips it, is slower in Python than validating. It sets what
        `model_construct` sets. Every field must be given. tests/test_prefilters.py compares the
        records with validated ones over every fixture report."""
        names = _FIELD_NAMES.get(cls) or _FIELD_NAMES.setdefault(cls, frozenset(cls.model_fields))
        if fields.keys() != names:
            raise TypeError(f"{cls.__name__}.trusted needs every field: {sorted(names ^ set(fields))}")
        record = cls.__new__(cls)
        object.__setattr__(record, "__dict__", fields)
        object.__setattr__(record, "__pydantic_fields_set__", set(fields))
        object.__setattr__(record, "__pydantic_extra__", None)
        object.__setattr__(record, "__pydantic_private__", None)
        return record


class CellLocation(Record):
    table: int
    row: int
    col: int


class Source(Record):
    """Where a figure or finding sits: block index, page (PDF), span into the block's original text."""

    block: int
    page: int | None = None
    start: int
    end: int
    text: str = Field(description="the original text of the span, as the document writes it")
    cell: CellLocation | None = None
    section: str | None = Field(default=None, description="heading path, e.g. 二、/（三）")


class Figure(Record):
    @model_validator(mode="before")
    @classmethod
    def _stated_precision(cls, data):
        """Read back from JSON, a value regains the precision `decimals` says it was stated with."""
        if isinstance(data, dict) and isinstance(data.get("value"), (int, float, str)) and "decimals" in data:
            data = {**data, "value": Decimal(str(data["value"])).quantize(Decimal(1).scaleb(-int(data["decimals"])))}
        return data

    id: str
    fund: str
    metric: str
    basis: Literal["actual", "budget"] = "actual"
    value: Amount
    unit: str = Field(description="万元 for money (normalised), 人, 人次, 户, 个月, %")
    stated_unit: str = Field(description="the unit as written: 亿元, 元, 万人, ... ('' when missing)")
    decimals: int = Field(description="decimals of the stated number; 15000万元 stated as 1.5亿元 has -3")
    label: str
    change: Amount | None = None
    growth_pct: Amount | None = None
    budget: Amount | None = None
    completion_pct: Amount | None = None
    parent: str | None = None
    included: bool = Field(default=False, description="a (含…) sub-part of `parent`: included in it, not one of "
                                                        "a list of its parts")
    ocr: bool = False
    source: Source


class Finding(Record):
    code: str
    name: str
    severity: Severity
    message: str
    figures: list[str] = Field(default_factory=list, description="ids of the figures involved")
    stated: Amount | None = None
    expected: Amount | None = None
    expected_low: Amount | None = None
    expected_high: Amount | None = None
    fund: str | None = None
    implied: dict[str, Amount] = Field(
        default_factory=dict, description="figure id -> the value that figure would need for this relation to hold")
    hint: str | None = Field(default=None, description="which figure is most likely wrong, and why")
    suspect: str | None = Field(default=None, description="id of the figure the hint names")
    suspect_attr: str | None = Field(default=None, description="value | change | growth_pct | budget | completion_pct")
    suspect_value: Amount | None = Field(default=None, description="the value that would mend the relations")
    suggestion: str | None = None
    location: Source | None = None


class DocumentInfo(Record):
    path: str
    format: str
    sha256: str = ""
    pages: int | None = None
    blocks: int = 0
    encoding: str | None = None
    error: dict[str, str] | None = Field(default=None, description="{code, message} when unreadable")
    fingerprints: list[str] = Field(
        default_factory=list, description="'block:sha1' of long paragraphs holding figures, for cross-report checks")


class Meta(Record):
    region: str | None = None
    level: Literal["province", "city", "county", "district", None] = None
    year: int | None = None
    title: str | None = None
    period: str | None = Field(default=None, description="year | 1-9月 | 截至2025年3月31日 | 第二季度 ...")
    months: int | None = Field(default=None, description="months the period covers (12 for a year)")


class TableCell(Record):
    """One number of a table line that adds up others (a 合计/小计 and the cells it sums)."""

    value: Amount = Field(description="normalised like figures: money in 万元, nil cells 0")
    unit: str
    label: str = Field(description="the line's label (row or column header)")
    figure: str | None = Field(default=None, description="id of the figure the cell also is, if any")
    nil: bool = Field(default=False, description="a nil cell (—, -, /, 无): exactly 0")
    source: Source


class TableSum(Record):
    """A 合计 or 小计 line of a table and, for one cross line, the cells it adds up."""

    table: int
    axis: Literal["row", "column"] = Field(description="row: a 合计 row sums rows; column: a 合计 column sums columns")
    label: str = Field(description="the total line's label (合计, 养老保险小计)")
    across: str = Field(description="the label of the line the cells share (基金支出)")
    total: TableCell
    parts: list[TableCell]


TargetOp = Literal[">=", "<=", ">", "<", "="]


class Indicator(Record):
    """One row of a performance self-evaluation table (绩效自评表)."""

    id: str
    kind: Literal["indicator", "funds", "total"] = Field(
        default="indicator", description="indicator: a 三级指标 row; funds: the 资金/预算执行率 row; total: the 总分 row")
    level1: str | None = Field(default=None, description="一级指标 (产出指标, 效益指标, 满意度指标)")
    level2: str | None = Field(default=None, description="二级指标 (数量指标, 质量指标, …)")
    name: str = Field(description="三级指标")
    fund: str | None = Field(default=None, description="the fund the table evaluates, when its caption names one")
    target_text: str | None = None
    target_op: TargetOp | None = Field(default=None, description="how the actual value must compare with the target")
    target_value: Amount | None = None
    target_unit: str | None = None
    actual_text: str | None = None
    actual_value: Amount | None = None
    actual_unit: str | None = None
    weight: Amount | None = Field(default=None, description="分值")
    score: Amount | None = Field(default=None, description="得分")
    budget: Amount | None = Field(default=None, description="funds row: 全年预算数 (万元)")
    executed: Amount | None = Field(default=None, description="funds row: 全年执行数 (万元)")
    reason: str | None = Field(default=None, description="偏差原因分析及改进措施")
    source: Source = Field(description="the indicator's name cell")
    cells: dict[str, Source] = Field(default_factory=dict, description="target/actual/weight/score cell -> where")


class Report(Record):
    document: DocumentInfo
    meta: Meta = Meta()
    figures: list[Figure] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list, description="rows of the 绩效自评表, if any")
