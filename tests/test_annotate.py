"""Annotated copies of the seed: a Word file with a comment (批注) per finding on the run holding
the number, checked with python-docx and LibreOffice, and a PDF with a highlight per finding on
the figure's page, checked with pypdf and pdfium's own text layer."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from extractor.anchors import NUMBER, finding_anchor
from extractor.models import DocumentInfo, Figure, Finding, Report, Source

FIXTURES = Path(__file__).parent / "fixtures"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _analyse(path: Path):
    from extract_rules.engine import run_checks

    from extractor.pipeline import analyse
    from extractor.readers import read_document

    return analyse(path, *run_checks()), read_document(path)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _commented_text(docx_path: Path) -> dict[str, str]:
    """Comment id -> the text between its commentRangeStart and commentRangeEnd, in document order."""
    import zipfile

    root = etree.fromstring(zipfile.ZipFile(docx_path).read("word/document.xml"))
    open_ranges: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for element in root.iter():
        if element.tag == f"{W}commentRangeStart":
            open_ranges[element.get(f"{W}id")] = []
        elif element.tag == f"{W}commentRangeEnd":
            cid = element.get(f"{W}id")
            done[cid] = "".join(open_ranges.pop(cid))
        elif element.tag == f"{W}t":
            for parts in open_ranges.values():
                parts.append(element.text or "")
    assert not open_ranges, "every comment range is closed"
    return done


@pytest.fixture(scope="module")
def seed_docx():
    return _analyse(FIXTURES / "qitai-2019.docx")


@pytest.fixture(scope="module")
def annotated_docx(seed_docx, tmp_path_factory):
    from extractor.annotate_docx import annotate_docx

    report, document = seed_docx
    src = FIXTURES / "qitai-2019.docx"
    before = _sha(src)
    dst = tmp_path_factory.mktemp("docx") / "qitai-2019.annotated.docx"
    placements = annotate_docx(src, dst, report)
    assert _sha(src) == before, "the original file is never modified"
    return dst, placements


def test_docx_one_comment_per_finding_on_the_number(seed_docx, annotated_docx):
    import docx

    report, document = seed_docx
    dst, placements = annotated_docx
    word = docx.Document(str(dst))
    comments = list(word.comments)
    assert report.findings and len(comments) == len(report.findings)
    covered = _commented_text(dst)
    by_id = {f.id: f for f in report.figures}
    for finding, comment, placement in zip(report.findings, comments, placements):
        assert placement.exact, finding.code
        text = comment.text
        assert text.startswith(finding.code) and finding.message in text
        if finding.expected is not None:
            assert "期望值" in text
        anchor = finding_anchor(finding, report, document)
        assert covered[str(comment.comment_id)] == anchor.text == placement.text
        if anchor.figure is not None:
            # The comment sits on the figure's number, and on nothing else.
            figure = by_id[anchor.figure]
            assert NUMBER.fullmatch(anchor.text), anchor.text
            assert anchor.text in figure.source.text
        else:
            assert anchor.text == finding.location.text
    assert {c.author for c in comments} == {"extract"}


def test_docx_annotated_copy_reads_the_same(seed_docx, annotated_docx):
    report, document = seed_docx
    again, document_again = _analyse(annotated_docx[0])
    assert [b.text for b in document_again.blocks] == [b.text for b in document.blocks]
    assert [(f.id, f.value, f.source.text) for f in again.figures] == [(f.id, f.value, f.source.text) for f in report.figures]


def test_docx_opens_in_libreoffice(seed_docx, annotated_docx, tmp_path):
    from pypdf import PdfReader

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is needed in CI: apt-get install libreoffice-writer")
        pytest.skip("LibreOffice is not installed")
    report, _ = seed_docx
    profile = tmp_path / "lo-profile"
    # Comments exported as PDF notes, so the PDF shows what LibreOffice made of them.
    target = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(tmp_path), str(annotated_docx[0])],
        capture_output=True, text=True, timeout=240)
    pdf = tmp_path / (annotated_docx[0].stem + ".pdf")
    assert pdf.exists(), result.stdout + result.stderr
    notes = [annot.get_object() for page in PdfReader(pdf).pages for annot in (page.get("/Annots") or [])
             if annot.get_object().get("/Subtype") == "/Text"]
    assert len(notes) == len(report.findings)
    assert sorted(str(n["/Contents"]).split(" ", 1)[0] for n in notes) == sorted(f.code for f in report.findings)


def test_docx_split_runs_keep_their_formatting(tmp_path):
    """The number straddles three runs of different formatting, in the second paragraph of a cell."""
    import docx
    from docx.shared import RGBColor

    from extractor.annotate_docx import annotate_docx
    from extractor.readers import read_document

    src = tmp_path / "runs.docx"
    word = docx.Document()
    word.add_paragraph("一、基金收入情况")
    cell = word.add_table(rows=1, cols=2).cell(0, 1)
    cell.paragraphs[0].add_run("机关养老保险")
    second = cell.add_paragraph()
    for text, bold, italic in (("收入25", True, False), ("44", False, True), ("8万元，其中", False, False)):
        run = second.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    word.save(src)
    document = read_document(src)
    block = document.blocks[1]
    assert block.text == "机关养老保险\n收入25448万元，其中"
    start = block.text.index("收入")
    end = block.text.index("，")
    figure = Figure(id="f1", fund="public_pension", metric="income.total", value=Decimal("25448"), unit="万元",
                    stated_unit="万元", decimals=0, label="收入",
                    source=Source(block=1, start=start, end=end, text=block.text[start:end]))
    finding = Finding(code="FS01", name="parts-sum-mismatch", severity="error", message="收入25448万元与分项合计不符",
                      figures=["f1"], stated=Decimal("25448"), expected=Decimal("25437"), location=figure.source)
    report = Report(document=DocumentInfo(path=str(src), format="docx"), figures=[figure], findings=[finding])

    dst = tmp_path / "runs.annotated.docx"
    placements = annotate_docx(src, dst, report, document)
    assert [p.text for p in placements] == ["25448"]
    assert list(_commented_text(dst).values()) == ["25448"]
    annotated = docx.Document(str(dst))
    paragraph = annotated.tables[0].cell(0, 1).paragraphs[1]
    assert paragraph.text == "收入25448万元，其中"
    runs = [(r.text, r.bold, r.italic, r.font.color.rgb) for r in paragraph.runs if r.text]
    colour = RGBColor(0x12, 0x34, 0x56)
    assert runs == [("收入", True, False, colour), ("25", True, False, colour), ("44", False, True, colour),
                    ("8", False, False, colour), ("万元，其中", False, False, colour)]
    assert "期望值：25437" in list(annotated.comments)[0].text


def test_annotating_never_overwrites_the_source(tmp_path, seed_docx):
    from extractor.annotate_docx import annotate_docx

    src = tmp_path / "copy.docx"
    shutil.copy(FIXTURES / "qitai-2019.docx", src)
    with pytest.raises(ValueError):
        annotate_docx(src, src, seed_docx[0])


def test_docx_refuses_a_report_of_another_file(tmp_path, seed_docx):
    import docx

    from extractor.annotate_docx import annotate_docx

    other = tmp_path / "other.docx"
    word = docx.Document()
    word.add_paragraph("另一份文件")
    word.save(other)
    with pytest.raises(ValueError):
        annotate_docx(other, tmp_path / "out.docx", seed_docx[0])


# -- PDF -----------------------------------------------------------------------------------------------

def test_pdf_one_highlight_per_finding_on_the_figure_page(tmp_path):
    import pypdfium2
    from pypdf import PdfReader

    from extractor.annotate_pdf import annotate_pdf

    src = FIXTURES / "qitai-2019.pdf"
    report, document = _analyse(src)
    before = _sha(src)
    dst = tmp_path / "qitai-2019.annotated.pdf"
    placements = annotate_pdf(src, dst, report, document)
    assert _sha(src) == before, "the original file is never modified"

    reader = PdfReader(dst)
    annotations = {}
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            annotations[str(annot["/NM"])] = (number, annot)
    assert report.findings and len(annotations) == len(report.findings)

    pdfium = pypdfium2.PdfDocument(str(dst))
    for index, (finding, placement) in enumerate(zip(report.findings, placements)):
        page, annot = annotations[f"extract-{index + 1}-{finding.code}"]
        anchor = finding_anchor(finding, report, document)
        assert placement.kind == "highlight", finding.code
        assert annot["/Subtype"] == "/Highlight"
        assert page == placement.page == document.blocks[anchor.block].page_at(anchor.start)
        if anchor.figure is not None:
            figure = next(f for f in report.figures if f.id == anchor.figure)
            assert page == document.blocks[figure.source.block].page_at(anchor.start)
        note = str(annot["/Contents"])
        assert note.startswith(finding.code) and finding.message in note
        # What pdfium finds under the highlight is the anchored text (a PDF export adds spaces).
        textpage = pdfium[page - 1].get_textpage()
        under = "".join(textpage.get_text_bounded(*quad) for quad in placement.quads)
        squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
        assert squeeze(anchor.text) in squeeze(under), (finding.code, anchor.text, under)
    pdfium.close()


# -- what --html and --annotate write for a run ---------------------------------------------------------

def test_review_outputs_for_a_batch(tmp_path):
    import docx
    from pypdf import PdfReader

    from extractor.review import write_annotated, write_html

    reports = [_analyse(FIXTURES / f"qitai-2019.{fmt}")[0] for fmt in ("docx", "pdf", "txt")]
    pages = write_html(reports, tmp_path / "html")
    assert [p.name for p in pages] == ["qitai-2019.docx.html", "qitai-2019.pdf.html", "qitai-2019.txt.html", "index.html"]
    index = pages[-1].read_text(encoding="utf-8")
    assert all(f'href="{p.name}"' in index for p in pages[:-1])

    notes = write_annotated(reports, tmp_path / "annotated")
    assert len(notes) == 1 and "txt" in notes[0]
    assert len(docx.Document(str(tmp_path / "annotated" / "qitai-2019.annotated.docx")).comments) == len(reports[0].findings)
    pdf = PdfReader(tmp_path / "annotated" / "qitai-2019.annotated.pdf")
    assert sum(len(page.get("/Annots") or []) for page in pdf.pages) == len(reports[1].findings)


def test_review_outputs_for_one_file(tmp_path):
    import docx

    from extractor.review import write_annotated, write_html

    report = _analyse(FIXTURES / "qitai-2019.docx")[0]
    assert write_html([report], tmp_path / "one.html") == [tmp_path / "one.html"]
    assert write_annotated([report], tmp_path / "one.docx") == []
    assert len(docx.Document(str(tmp_path / "one.docx")).comments) == len(report.findings)


def test_review_output_names_are_unique():
    from extractor.review import _unique_names

    reports = [Report(document=DocumentInfo(path=p, format=p.rsplit(".", 1)[1]))
               for p in ("a/x.docx", "b/x.docx", "c/x.pdf", "y.pdf")]
    assert _unique_names(reports, [".html"] * 4) == ["x.docx.html", "002-x.docx.html", "x.pdf.html", "y.html"]
