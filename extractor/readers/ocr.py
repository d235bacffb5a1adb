"""OCR for PDFs without a usable text layer (`--ocr`): every page rendered with pdfium (which
pdfplumber already brings) and read by the tesseract command with its Simplified Chinese model.

The blocks are tesseract's paragraphs, marked `ocr=True` so that every figure read from them
says so, with each character's page and (approximate: its word's box, shared out) box.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from extractor.blocks import BBox, Block, Document
from extractor.errors import ReadError
from extractor.readers.external import ToolTimeout, run_tool

LANGUAGE = "chi_sim"
DPI = 300
# A page rendered larger than this (a poster-sized or hostile MediaBox) is rendered at a lower
# resolution instead: 300 dpi A3 is 17.4 million pixels.
MAX_PIXELS = 40_000_000
PAGE_TIMEOUT = 120.0       # seconds tesseract gets for one page
INSTALL_HINT = "请安装 tesseract（Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim）"


@dataclass(slots=True)
class _Paragraph:
    chars: list[str] = field(default_factory=list)
    boxes: list[BBox | None] = field(default_factory=list)

    def add(self, text: str, box: BBox | None) -> None:
        if box is None or not text:
            self.chars.extend(text)
            self.boxes.extend([None] * len(text))
            return
        # A word's box shared out evenly among its characters: exact for the one-character
        # "words" tesseract makes of Chinese, close enough for numbers.
        x0, top, x1, bottom = box
        step = (x1 - x0) / len(text)
        for i, character in enumerate(text):
            self.chars.append(character)
            self.boxes.append((x0 + i * step, top, x0 + (i + 1) * step, bottom))


def tesseract_problem() -> str | None:
    """Why OCR cannot run here, or None when tesseract with the Chinese model is installed."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return f"未安装 tesseract，{INSTALL_HINT}"
    try:
        listing = run_tool([tesseract, "--list-langs"], 30)
    except (ToolTimeout, OSError):
        return f"tesseract 无法运行，{INSTALL_HINT}"
    languages = (listing.stdout + listing.stderr).decode("utf-8", "replace").split()
    if LANGUAGE not in languages:
        return "tesseract 缺少简体中文模型，请安装 tesseract-ocr-chi-sim"
    return None


def ocr_pdf(data: bytes, path: str = "", *, password: str | None = None, max_pages: int | None = None,
            reason: str = "PDF 没有文字层（扫描件）") -> Document:
    """Render and OCR every page. `reason` says why OCR is used, for the messages."""
    import pypdfium2 as pdfium

    problem = tesseract_problem()
    if problem is not None:
        raise ReadError("no-text-layer", f"{reason}，无法使用 --ocr：{problem}")
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError:
        raise ReadError("corrupt-pdf", "PDF 文件无法渲染，无法进行 OCR") from None
    try:
        if max_pages is not None and len(pdf) > max_pages:
            raise ReadError("too-large", f"PDF 共 {len(pdf)} 页，超过上限 {max_pages} 页（可用 --max-pages 调整）")
        blocks: list[Block] = []
        with tempfile.TemporaryDirectory(prefix="extract-ocr-") as workdir:
            for number in range(1, len(pdf) + 1):
                image, points_per_pixel = _render(pdf, number - 1, Path(workdir))
                for paragraph in _ocr_page(image, points_per_pixel):
                    blocks.append(Block(index=len(blocks), text="".join(paragraph.chars), page=number,
                                        char_pages=(number,) * len(paragraph.chars),
                                        char_boxes=tuple(paragraph.boxes), ocr=True))
        if not blocks:
            raise ReadError("no-text-layer", f"{reason}，OCR 也没有识别出文字（页面可能是空白或图片质量过低）")
        return Document(path=path, format="pdf", blocks=tuple(blocks), pages=len(pdf))
    finally:
        pdf.close()


def _render(pdf, index: int, workdir: Path) -> tuple[Path, float]:
    page = pdf[index]
    try:
        width, height = page.get_size()  # points
        scale = DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        image = workdir / f"page-{index + 1}.png"
        bitmap.to_pil().save(image)
        return image, 1 / scale
    finally:
        page.close()


def _ocr_page(image: Path, points_per_pixel: float) -> list[_Paragraph]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one thread: several times faster on a busy machine
    try:
        result = run_tool([shutil.which("tesseract") or "tesseract", str(image), "stdout", "-l", LANGUAGE, "tsv"],
                          PAGE_TIMEOUT, env=env)
    except ToolTimeout:
        raise ReadError("timeout", f"OCR 识别一页超过 {PAGE_TIMEOUT:g} 秒，已终止") from None
    if result.returncode != 0:
        raise ReadError("no-text-layer", "PDF 没有文字层，OCR（tesseract）运行失败："
                        + _first_line(result.stderr))
    return paragraphs_from_tsv(result.stdout.decode("utf-8", "replace"), points_per_pixel)


def paragraphs_from_tsv(tsv: str, points_per_pixel: float) -> list[_Paragraph]:
    """Tesseract's words grouped into its paragraphs. Words, and the lines of a paragraph, are
    joined by a space only between two Latin words or numbers: tesseract cuts Chinese text into
    "words" anywhere, and a line of a Chinese paragraph runs straight on into the next."""
    paragraphs: dict[tuple[int, int], list[list[tuple[str, BBox]]]] = {}
    last_line: dict[tuple[int, int], int] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        key = (int(row["block_num"]), int(row["par_num"]))
        line = int(row["line_num"])
        lines = paragraphs.setdefault(key, [])
        if last_line.get(key) != line:
            lines.append([])
            last_line[key] = line
        left, top = int(row["left"]) * points_per_pixel, int(row["top"]) * points_per_pixel
        box = (left, top, left + int(row["width"]) * points_per_pixel, top + int(row["height"]) * points_per_pixel)
        lines[-1].append((text, box))
    result = []
    for lines in paragraphs.values():
        paragraph = _Paragraph()
        for words in lines:
            for text, box in words:
                if paragraph.chars and _needs_space(paragraph.chars[-1], text[0]):
                    paragraph.add(" ", None)
                paragraph.add(text, box)
        if "".join(paragraph.chars).strip():
            result.append(paragraph)
    return result


def _needs_space(before: str, after: str) -> bool:
    return not (_wide(before) or _wide(after))


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def _first_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[0][:200] if lines else "未知错误"
