"""The HTML review page: built from the seed in all three formats and driven in a real headless
Chromium (Debian's chromium + chromium-driver, through Selenium; nothing is downloaded).

Without the browser the test skips on a developer's machine and fails in CI (CI=true), so a missing
package can never turn the browser test green by skipping it. Screenshots go to out/test-html/.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.anchors import is_located
from extractor.blocks import Block, Document
from extractor.models import DocumentInfo, Figure, Finding, Report, Source
from extractor.reporters import html as html_reporter

FIXTURES = Path(__file__).parent / "fixtures"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "out" / "test-html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def seed():
    from extract_rules.engine import run_checks

    from extractor.pipeline import analyse
    from extractor.readers import read_document

    checks = run_checks()
    out = {}
    for fmt in ("txt", "docx", "pdf"):
        path = FIXTURES / f"qitai-2019.{fmt}"
        out[fmt] = (analyse(path, *checks), read_document(path))
    return out


def _no_browser(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {reason} (apt-get install chromium chromium-driver; "
                    "pip install selenium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _no_browser("selenium is not installed")
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not (Path(binary).exists() or shutil.which(binary)):
            _no_browser(f"{binary} is missing")
    profile = tempfile.mkdtemp(prefix="extract-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                     f"--user-data-dir={profile}", "--window-size=1400,1000", "--lang=zh-CN"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: Selenium Manager is never asked to download a driver or a browser.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _load(driver, page: str, tmp_path: Path, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    return path


def _console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _classes(element) -> set[str]:
    return set((element.get_attribute("class") or "").split())


# -- in the browser ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_seed_page_in_browser(fmt, seed, browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    report, document = seed[fmt]
    page = html_reporter.render(report, document)
    _load(browser, page, tmp_path)
    assert _console_errors(browser) == []

    located = {f.id for f in report.figures if is_located(f, document)}
    assert located, "the seed's figures must be located in its text"
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.fig:not(.cont)")
    assert len(marks) == len(located)
    assert {m.get_attribute("data-fig") for m in marks} == located
    unlocated = browser.find_elements(By.CSS_SELECTOR, "li.unloc")
    assert len(unlocated) == len(report.figures) - len(located)
    # What is highlighted is the figure's own text (a figure crossing another is in two pieces).
    by_id = {f.id: f for f in report.figures}
    shown = browser.execute_script("""
        var out = {};
        document.querySelectorAll("mark.fig").forEach(function (m) {
          out[m.dataset.fig] = (out[m.dataset.fig] || "") + m.textContent; });
        return out;""")
    assert shown == {i: by_id[i].source.text for i in located}

    # Clicking a finding highlights exactly its located figures and the number it is about.
    findings = browser.find_elements(By.CSS_SELECTOR, "li.finding")
    assert len(findings) == len(report.findings)
    for index, finding in enumerate(report.findings):
        item = browser.find_element(By.CSS_SELECTOR, f'li.finding[data-index="{index}"] .finding-link')
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
        item.click()
        lit = {m.get_attribute("data-fig") for m in browser.find_elements(By.CSS_SELECTOR, "mark.fig.hl")}
        wanted = (set(finding.figures) | ({finding.suspect} if finding.suspect else set())) & located
        assert lit == wanted, finding.code
        assert browser.find_elements(By.CSS_SELECTOR, f'.num.hl[data-finding="{index}"]'), finding.code
        assert "active" in _classes(browser.find_element(By.CSS_SELECTOR, f'li.finding[data-index="{index}"]'))

    # Hovering a figure shows its fund, metric, attributes and relations.
    first = report.findings[0]
    target = browser.find_element(By.ID, f"fig-{first.figures[0]}")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    ActionChains(browser).move_to_element(target).perform()
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed()
    tip_text = tip.text
    figure = by_id[first.figures[0]]
    assert figure.metric in tip_text and figure.fund in tip_text
    assert first.code in tip_text and "所涉关系" in tip_text

    # Screenshots for people to look at: a finding selected, then a figure's details pinned.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.find_element(By.ID, "clear").click()
    assert not tip.is_displayed()
    findings[0].find_element(By.CSS_SELECTOR, ".finding-link").click()
    shot = SCREENSHOTS / f"qitai-2019-{fmt}.png"
    assert browser.save_screenshot(str(shot))
    target = browser.find_element(By.ID, f"fig-{first.figures[0]}")
    target.click()
    assert tip.is_displayed() and first.code in tip.text
    detail = SCREENSHOTS / f"qitai-2019-{fmt}-figure.png"
    assert browser.save_screenshot(str(detail))
    print(f"\nscreenshots: {shot} {detail}")

    # Filters: by fund, then by severity.
    Select(browser.find_element(By.ID, "fund-filter")).select_by_value("maternity")
    for mark in browser.find_elements(By.CSS_SELECTOR, "mark.fig:not(.cont)"):
        assert ("dim" in _classes(mark)) == (mark.get_attribute("data-fund") != "maternity")
    visible = [li for li in browser.find_elements(By.CSS_SELECTOR, "li.finding") if li.is_displayed()]
    assert visible and all("maternity" in li.get_attribute("data-funds").split() for li in visible)
    Select(browser.find_element(By.ID, "fund-filter")).select_by_value("")
    browser.find_element(By.CSS_SELECTOR, 'input[name="severity"][value="error"]').click()
    for li in browser.find_elements(By.CSS_SELECTOR, "li.finding"):
        assert li.is_displayed() == (li.get_attribute("data-severity") != "error")
    assert all("off" in _classes(m) for m in browser.find_elements(By.CSS_SELECTOR, 'mark.fig[data-status="error"]'))
    assert _console_errors(browser) == []


def test_hostile_text_stays_text_in_browser(browser, tmp_path):
    from selenium.webdriver.common.by import By

    report, document = _hostile()
    _load(browser, html_reporter.render(report, document), tmp_path)
    assert _console_errors(browser) == []
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_element(By.ID, "b0").get_attribute("textContent") == document.blocks[0].text
    assert len(browser.find_elements(By.CSS_SELECTOR, "mark.fig:not(.cont)")) == 2
    assert [li.get_attribute("data-fig") for li in browser.find_elements(By.CSS_SELECTOR, "li.unloc")] == ["f3"]
    browser.find_element(By.CSS_SELECTOR, "li.finding .finding-link").click()
    assert {m.get_attribute("data-fig") for m in browser.find_elements(By.CSS_SELECTOR, "mark.fig.hl")} == {"f1", "f2"}


def test_index_page_in_browser(seed, browser, tmp_path):
    from selenium.webdriver.common.by import By

    entries = [(seed[fmt][0], f"qitai-2019-{fmt}.html") for fmt in ("txt", "docx", "pdf")]
    _load(browser, html_reporter.render_index(entries), tmp_path, "index.html")
    assert _console_errors(browser) == []
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "td a")]
    assert [link.rsplit("/", 1)[-1] for link in links] == [href for _, href in entries]


# -- without a browser ----------------------------------------------------------------------------

def test_page_is_self_contained_and_deterministic(seed):
    report, document = seed["docx"]
    page = html_reporter.render(report, document)
    assert page == html_reporter.render(report, document)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert len(re.findall(r'<mark class="fig [^"]*" id="fig-', page)) == len(report.figures)
    for finding in report.findings:
        assert finding.message in page


def test_unreadable_report_page():
    report = Report(document=DocumentInfo(path="坏.pdf", format="pdf", error={"code": "corrupt-pdf", "message": "PDF 文件已损坏"}))
    page = html_reporter.render(report, None)
    assert "PDF 文件已损坏" in page and "corrupt-pdf" in page


def test_hostile_text_is_escaped():
    report, document = _hostile()
    page = html_reporter.render(report, document)
    assert "<script>window.__pwned" not in page
    assert "</script><b>" not in page
    assert "&lt;script&gt;window.__pwned" in page


def _hostile() -> tuple[Report, Document]:
    text = '<script>window.__pwned=1</script>收入100万元，其中"保费收入"<b>60万元&amp;'
    document = Document(path="x.txt", format="txt", blocks=(Block(0, text),))
    start = text.index("收入100万元")
    inner = text.index('"保费收入"')

    def figure(fid: str, label: str, value: str, a: int, b: int, parent=None, source_text=None) -> Figure:
        return Figure(id=fid, fund="all", metric="income.total", value=Decimal(value), unit="万元", stated_unit="万元",
                      decimals=0, label=label, parent=parent,
                      source=Source(block=0, start=a, end=b, text=source_text or text[a:b]))

    figures = [
        figure("f1", "收入</script><b>", "100", start, len(text)),
        figure("f2", "保费收入", "60", inner, len(text) - len("&amp;"), parent="f1"),
        figure("f3", "其他收入", "40", 0, 5, parent="f1", source_text="其他收入40万元"),  # does not point at its text
    ]
    finding = Finding(code="FS01", name="parts-sum-mismatch", severity="error",
                      message='分项合计<img src=x onerror="window.__pwned=1">与总数不符', figures=["f1", "f2"],
                      stated=Decimal("100"), expected=Decimal("60"), location=figures[0].source)
    return (Report(document=DocumentInfo(path="<x>.txt", format="txt"), figures=figures, findings=[finding]),
            document)
