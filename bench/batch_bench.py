"""Batch throughput (issue 6): 200 reports — copies of the seed docx and pdf and of the corpus —
checked with -j 1 and -j 2; reports per second and the speed-up.

    python bench/batch_bench.py [--reports 200]
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "tests/fixtures/qitai-2019.docx", ROOT / "tests/fixtures/qitai-2019.pdf",
           *sorted(p for p in (ROOT / "tests/fixtures/corpus").iterdir() if p.suffix in (".txt", ".docx", ".pdf"))]


def build(folder: Path, count: int) -> None:
    for i in range(count):
        source = SOURCES[i % len(SOURCES)]
        shutil.copy(source, folder / f"{i:03d}-{source.name}")


def timed_run(folder: Path, jobs: int) -> float:
    exe = Path(sys.executable).with_name("extract")
    start = time.perf_counter()
    subprocess.run([str(exe), str(folder), "--json", "-o", str(folder.parent / f"out-{jobs}.jsonl"), "-q",
                    "-j", str(jobs)], check=False, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    count = int(argv[argv.index("--reports") + 1]) if "--reports" in argv else 200
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        build(folder, count)
        one = timed_run(folder, 1)
        two = timed_run(folder, 2)
    print(f"{count} reports ({len(SOURCES)} distinct: seed docx and pdf, the corpus)")
    print(f"-j 1: {one:6.1f} s  {count / one:6.1f} reports/s")
    print(f"-j 2: {two:6.1f} s  {count / two:6.1f} reports/s")
    print(f"speed-up with 2 workers: {one / two:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
