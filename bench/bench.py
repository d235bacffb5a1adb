"""Benchmark the pipeline against the bare parsers, stage by stage (issue 9).

    python bench/bench.py [--runs 9]

Prints, for the seed docx, the seed pdf, a 10-page and a 100-page PDF built by repeating the seed:
median wall time of each stage (read, normalise+segment, extract, check, render) and end to end,
peak memory, the same file read by the bare libraries (python-docx paragraphs and tables;
pdfplumber extract_text of every page; pypdfium2 text of every page) and the ratios (end to end and
the bare reads are timed in turns, each call with the collection of its own garbage: see `paired`); then the
start-up time of `extract --help` / `extract --version` and jieba's initialisation.
Each file is measured in a fresh child process so peak memory is that file's own.
"""
from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures"
OUT = ROOT / "bench" / "out"


def timed(fn, runs: int) -> float:
    """Median wall time of `fn`, each call followed by the collection of the garbage it left,
    counted as its own (see `paired`)."""
    return paired({"fn": fn}, runs)["fn"]


def paired(fns: dict, runs: int) -> dict[str, float]:
    """Median time of each function, the functions taking turns run by run so that a slower or
    faster spell of the machine falls on all of them alike.

    Each call is timed together with the full collection that follows it, which frees what the
    call left behind, so every contender pays for its own garbage and for no one else's. It
    matters for python-docx: its documents are reference cycles that only a collection frees
    (about 1 ms on the seed), where the pipeline's records are freed as they go. The long-lived
    objects (modules, vocabulary, patterns) were frozen after the warm-up (`extractor.batch.settle`)
    and are not walked. Without the collection, the cycles were charged to whichever call came
    next; before each call instead, to nobody. The call alone is kept as well, as "<name>_call"."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    calls: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            called = time.perf_counter()
            gc.collect()
            samples[name].append(time.perf_counter() - start)
            calls[name].append(called - start)
    result = {name: statistics.median(values) for name, values in samples.items()}
    result.update({f"{name}_call": statistics.median(values) for name, values in calls.items()})
    return result


def bare_docx(path: Path) -> None:
    import docx

    document = docx.Document(str(path))
    [p.text for p in document.paragraphs]
    [c.text for t in document.tables for r in t.rows for c in r.cells]


def bare_pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        [page.extract_text() for page in pdf.pages]


def bare_pdfium(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def measure_file(path: Path, runs: int) -> dict:
    """Runs in the child: every stage of the pipeline and the bare readers, median of `runs`. The
    cache of stated values is emptied before each timed check and end-to-end run: the same report
    run again would find all its values there, a new report finds few."""
    from extractor.batch import settle          # the long-lived objects frozen, as a batch worker does
    from extractor.interval import forget_stated
    from extract_rules.engine import run_checks

    from extractor.models import Report
    from extractor.pipeline import Extraction, analyse, document_info, extract_segmented
    from extractor.readers import read_document
    from extractor.reporters import json as json_reporter
    from extractor.segment import segment

    vocab, checks, finalize = run_checks()
    analyse(path, vocab, checks, finalize)            # warm-up: imports and compiled patterns
    document = read_document(path)
    paragraphs = segment(document.blocks, vocab)
    extraction = extract_segmented(document, paragraphs, vocab)

    def check(prefix: str = ""):
        # a new Extraction each time: what the rules build once per extraction is paid every run
        forget_stated()
        fresh = Extraction(document, paragraphs, extraction.meta, extraction.figures, vocab,
                           table_sums=extraction.table_sums, indicators=extraction.indicators)
        found = []
        for rule in checks:
            if rule.code.startswith(prefix):
                found.extend(rule(fresh))
        return finalize(fresh, found)

    findings = check()
    # the peak of the pipeline's warm-up run over the file, before the bare readers run in this process
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bare_docx(path) if path.suffix == ".docx" else (bare_pdfplumber(path), bare_pdfium(path))   # warm-up
    report = Report(document=document_info(document), meta=extraction.meta, figures=extraction.figures,
                    findings=findings)
    settle()
    result = {
        "file": path.name,
        "pages": document.pages,
        "read": timed(lambda: read_document(path), runs),
        "segment": timed(lambda: segment(document.blocks, vocab), runs),
        "extract": timed(lambda: extract_segmented(document, paragraphs, vocab), runs),
        "check": timed(check, runs),
        "check_relations": timed(lambda: check("F"), runs),     # the number checks of issue 3
        "check_lint": timed(lambda: check("L"), runs),
        "render": timed(lambda: json_reporter.render(report), runs),
    }
    result["peak_mb"] = peak_mb
    # end to end and the bare readers in turns, each paying for its own garbage (see `paired`)
    def end_to_end():
        forget_stated()
        return analyse(path, vocab, checks, finalize)

    contenders = {"end_to_end": end_to_end}
    if path.suffix == ".docx":
        contenders["bare_docx"] = lambda: bare_docx(path)
    else:
        contenders["bare_pdfplumber"] = lambda: bare_pdfplumber(path)
        contenders["bare_pdfium"] = lambda: bare_pdfium(path)
    result.update(paired(contenders, runs))
    return result


def build_repeated_pdf(pages: int) -> Path:
    import pypdfium2 as pdfium

    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"seed-{pages}p.pdf"
    if target.exists():
        return target
    seed = pdfium.PdfDocument(str(SEED / "qitai-2019.pdf"))
    merged = pdfium.PdfDocument.new()
    while len(merged) < pages:
        take = min(len(seed), pages - len(merged))
        merged.import_pages(seed, list(range(take)))
    merged.save(str(target))
    return target


def in_child(path: Path, runs: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(path), str(runs)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def startup(args: list[str], runs: int) -> float:
    exe = Path(sys.executable).with_name("extract")
    return timed(lambda: subprocess.run([str(exe), *args], capture_output=True, check=True), runs)


def jieba_init() -> float | None:
    """Importing jieba and building the tokenizer over the project's small dictionary, in a fresh
    process (the vocabulary, which the pipeline loads anyway, is loaded first and not counted)."""
    code = ("import time; from extract_rules import vocabulary; from extract_rules.lint.common import tokenizer; "
            "words = vocabulary().jieba_words; t = time.perf_counter(); tokenizer(words).lcut('基金总收入'); "
            "print(time.perf_counter() - t)")
    samples = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if out.returncode != 0:
            return None
        samples.append(float(out.stdout))
    return statistics.median(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--child":
        print(json.dumps(measure_file(Path(argv[1]), int(argv[2]))))
        return
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 9
    files = [SEED / "qitai-2019.docx", SEED / "qitai-2019.pdf", build_repeated_pdf(10), build_repeated_pdf(100)]
    rows = [in_child(f, runs if f.stat().st_size < 1_000_000 else max(1, runs // 2)) for f in files]
    print(f"median of {runs} runs, milliseconds (peak memory in MB); ratio = e2e / bare read "
          f"(python-docx for .docx, pdfplumber extract_text and pypdfium2 text for .pdf)\n")
    print(f"{'file':18}{'pages':>6}{'read':>9}{'segment':>9}{'extract':>9}{'check':>9}{'render':>9}"
          f"{'e2e':>9}{'bare':>9}{'ratio':>7}{'pdfium':>9}{'ratio':>7}{'peakMB':>8}")
    for r in rows:
        bare = r.get("bare_docx") or r["bare_pdfplumber"]
        pdfium = r.get("bare_pdfium")
        pdfium_cells = f"{ms(pdfium)} {r['end_to_end'] / pdfium:6.2f}" if pdfium else f"{'-':>8} {'-':>6}"
        print(f"{r['file']:18}{r['pages'] or '-':>6}{ms(r['read'])} {ms(r['segment'])} {ms(r['extract'])} "
              f"{ms(r['check'])} {ms(r['render'])} {ms(r['end_to_end'])} {ms(bare)} "
              f"{r['end_to_end'] / bare:6.2f} {pdfium_cells} {r['peak_mb']:7.0f}")
    docx, pdf = rows[0], rows[1]
    print(f"\nseed docx: e2e {docx['end_to_end'] * 1000:.1f} ms = {docx['end_to_end'] / docx['bare_docx']:.2f} x "
          f"bare python-docx ({docx['bare_docx'] * 1000:.1f} ms), each with the collection of its own garbage; "
          f"the calls alone {docx['end_to_end_call'] * 1000:.1f} / {docx['bare_docx_call'] * 1000:.1f} ms = "
          f"{docx['end_to_end_call'] / docx['bare_docx_call']:.2f} x")
    print(f"seed pdf:  e2e {pdf['end_to_end'] * 1000:.1f} ms = {pdf['end_to_end'] / pdf['bare_pdfplumber']:.2f} x "
          f"bare pdfplumber extract_text ({pdf['bare_pdfplumber'] * 1000:.1f} ms), "
          f"{pdf['end_to_end'] / pdf['bare_pdfium']:.2f} x bare pypdfium2 text ({pdf['bare_pdfium'] * 1000:.1f} ms); "
          f"the calls alone {pdf['end_to_end_call'] / pdf['bare_pdfplumber_call']:.2f} x pdfplumber")
    print("check stage, relation checks (F rules) / lint (L rules): " + ", ".join(
        f"{r['file']} {r['check_relations'] * 1000:.1f} / {r['check_lint'] * 1000:.1f} ms" for r in rows[:2]))
    ten, hundred = rows[2], rows[3]
    per_page_10 = ten["end_to_end"] / ten["pages"]
    per_page_100 = hundred["end_to_end"] / hundred["pages"]
    print(f"per page: 10-page {per_page_10 * 1000:.1f} ms, 100-page {per_page_100 * 1000:.1f} ms "
          f"(ratio {per_page_100 / per_page_10:.2f}); 100-page peak memory {hundred['peak_mb']:.0f} MB")
    print(f"extract --help {startup(['--help'], runs) * 1000:.0f} ms, "
          f"extract --version {startup(['--version'], runs) * 1000:.0f} ms")
    init = jieba_init()
    print(f"jieba import + tokenizer on the project dictionary {init * 1000:.0f} ms" if init is not None
          else "jieba init: n/a")


if __name__ == "__main__":
    main(sys.argv[1:])
