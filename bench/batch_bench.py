"""Batch throughput (issue 6): 200 reports — copies of the seed docx and pdf and of the corpus —
checked with -j 1 and -j 2; reports per second and the speed-up.

    python bench/batch_bench.py [--reports 200] [--repeat 3]

A run of a few seconds on a shared machine varies by a tenth either way: each configuration is run
`--repeat` times, in turns (-j 1, -j 2, -j 1, …), and the medians are compared.
"""
from __future__ import annotations

import shutil
import statistics
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
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    times: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        build(folder, count)
        for _ in range(repeat):
            for jobs in times:
                times[jobs].append(timed_run(folder, jobs))
    one, two = statistics.median(times[1]), statistics.median(times[2])
    print(f"{count} reports ({len(SOURCES)} distinct: seed docx and pdf, the corpus), median of {repeat} runs "
          f"(-j 1: {', '.join(f'{t:.1f}' for t in times[1])} s; -j 2: {', '.join(f'{t:.1f}' for t in times[2])} s)")
    print(f"-j 1: {one:6.1f} s  {count / one:6.1f} reports/s")
    print(f"-j 2: {two:6.1f} s  {count / two:6.1f} reports/s")
    print(f"speed-up with 2 workers: {one / two:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
