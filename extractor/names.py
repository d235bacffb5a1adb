"""Chinese names for the ids the records speak, shared by every message and every reporter."""
from __future__ import annotations

FUND_ORDER = ("all", "enterprise_pension", "public_pension", "resident_pension", "employee_medical",
              "resident_medical", "work_injury", "maternity", "unemployment", "medical_assistance")
FUND_NAMES = {
    "enterprise_pension": "企业职工基本养老保险基金", "public_pension": "机关事业单位基本养老保险基金",
    "resident_pension": "城乡居民基本养老保险基金", "employee_medical": "职工基本医疗保险基金",
    "resident_medical": "城乡居民基本医疗保险基金", "work_injury": "工伤保险基金", "maternity": "生育保险基金",
    "unemployment": "失业保险基金", "medical_assistance": "医疗救助基金", "all": "各项社会保险基金",
}
FUND_SHORT = {"all": "合计", "enterprise_pension": "企业养老", "public_pension": "机关养老",
              "resident_pension": "居民养老", "employee_medical": "职工医保", "resident_medical": "居民医保",
              "work_injury": "工伤", "maternity": "生育", "unemployment": "失业", "medical_assistance": "医疗救助"}
METRIC_NAMES = {
    "income.total": "基金收入", "income.contributions": "保险费收入", "income.fiscal_subsidy": "财政补贴收入",
    "income.interest": "利息收入", "income.transfer_in": "转移收入", "income.higher_subsidy": "上级补助收入",
    "income.other": "其他收入", "expenditure.total": "基金支出", "expenditure.benefits": "待遇支出",
    "expenditure.basic_pension": "基本养老金支出", "expenditure.base_pension": "基础养老金支出",
    "expenditure.account_pension": "个人账户养老金支出", "expenditure.funeral": "丧葬抚恤补助支出",
    "expenditure.maternity_medical": "生育医疗费支出", "expenditure.maternity_allowance": "生育津贴支出",
    "expenditure.medical_for_unemployed": "代缴医疗保险费支出", "expenditure.assessment": "劳动能力鉴定费支出",
    "expenditure.transfer_out": "转移支出", "expenditure.remit_higher": "上解上级支出",
    "expenditure.other": "其他支出", "balance.current": "当期结余", "balance.cumulative": "累计结余",
    "balance.opening": "年初累计结余", "balance.pooled": "统筹基金结余", "balance.individual": "个人账户结余",
    "coverage.months": "可支付月数", "people.insured": "参保人数", "people.retirees": "离退休人数",
    "people.deceased": "死亡人数", "people.beneficiaries": "享受待遇人数", "visits.inpatient": "住院人次",
    "visits.outpatient": "门诊人次",
}
ATTRIBUTE_NAMES = {"value": "数值", "change": "增减额", "growth_pct": "增长率", "budget": "预算数",
                   "completion_pct": "完成率"}
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


def fund_name(fund: str) -> str:
    return FUND_NAMES.get(fund, fund)


def metric_name(metric: str) -> str:
    return METRIC_NAMES.get(metric, metric)
