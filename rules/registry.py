"""Every rule, in one explicit table. Codes are stable and never reused; a test checks uniqueness
and that each rule has passing and failing fixtures in tests/fixtures/rules/<CODE>.yaml."""
from __future__ import annotations

from .base import Rule
from .checks.balance import balance_identity_mismatch, cumulative_balance_mismatch
from .checks.budgets import budget_quote_mismatch, budget_restated_differently
from .checks.coverage import coverage_months_mismatch
from .checks.duplicates import duplicate_value_conflict, duplicate_within_rounding
from .checks.funds import fund_sum_mismatch
from .checks.parts import count_parts_mismatch, parts_sum_mismatch
from .checks.rates import completion_rate_mismatch, growth_rate_mismatch
from .checks.selfeval import (indicator_disagrees_with_prose, score_exceeds_weight, scores_sum_mismatch,
                              target_score_inconsistent, weights_sum_mismatch)
from .checks.tables import table_total_mismatch
from .lint import LINT_RULES

RULES: tuple[Rule, ...] = (
    Rule("FS01", "parts-sum-mismatch", "其中所列分项与总数不符", "error", parts_sum_mismatch),
    Rule("FS02", "count-parts-mismatch", "人数、人次的分组之和与总数不符", "error", count_parts_mismatch),
    Rule("FB01", "balance-identity-mismatch", "当期结余不等于收入减支出", "error", balance_identity_mismatch),
    Rule("FB02", "cumulative-balance-mismatch", "年末累计结余不等于年初累计结余加当期结余", "error",
         cumulative_balance_mismatch),
    Rule("FG01", "growth-rate-mismatch", "增长率与增减额不符", "error", growth_rate_mismatch),
    Rule("FC01", "completion-rate-mismatch", "预算完成率与实际数÷预算数不符", "error", completion_rate_mismatch),
    Rule("FD01", "duplicate-value-conflict", "同一数据在不同位置数值不一致", "error", duplicate_value_conflict),
    Rule("FD02", "duplicate-within-rounding", "同一数据先后写法仅在四舍五入范围内一致", "info",
         duplicate_within_rounding),
    Rule("FA01", "fund-sum-mismatch", "各基金之和与全部基金合计不符", "error", fund_sum_mismatch),
    Rule("FQ01", "budget-quote-mismatch", "所引预算数不在预算目标部分", "warning", budget_quote_mismatch),
    Rule("FQ02", "budget-restated-differently", "同一预算数在预算目标部分与执行部分不一致", "error",
         budget_restated_differently),
    Rule("FM01", "coverage-months-mismatch", "可支付月数与累计结余÷月均支出不符", "error",
         coverage_months_mismatch),
    Rule("FT01", "table-total-mismatch", "表格合计、小计与所加各行（列）之和不符", "error", table_total_mismatch),
    Rule("FE01", "weights-sum-mismatch", "自评表各指标分值之和与总分值不符", "error", weights_sum_mismatch),
    Rule("FE02", "score-exceeds-weight", "自评表指标得分超过其分值", "error", score_exceeds_weight),
    Rule("FE03", "scores-sum-mismatch", "自评表各指标得分之和与总得分不符", "error", scores_sum_mismatch),
    Rule("FE04", "target-score-inconsistent", "自评表指标完成情况与得分不一致（达标扣分或未达标满分）", "warning",
         target_score_inconsistent),
    Rule("FE05", "indicator-disagrees-with-prose", "自评表实际完成值与正文或基金数据不符", "error",
         indicator_disagrees_with_prose),
    *LINT_RULES,
)

