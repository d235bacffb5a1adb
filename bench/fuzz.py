"""The long fuzz run of issue 5: mutated reports through the real worker pool.

    python bench/fuzz.py [--inputs 10000] [--jobs 2] [--timeout 30] [--seed 1]

Mutations of the seed (txt, docx, pdf), the corpus and the bad-input fixtures: random byte flips,
truncations, inserted junk, and for .docx a mutated document.xml inside an intact zip (so the XML
parser and the extractor see damaged content, not only a damaged zip). Every input goes through
`extractor.batch.run_batch` with a per-file timeout, exactly as the CLI runs it. The run fails if any
input ends as `internal-error` (an exception the readers did not turn into a stable code) or
`timeout`; it prints the counts of each outcome.
"""
from __future__ import annotations

import io
import random
import sys
import tempfile
import time
import zipfile
from collections import Counter
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CHUNK = 400


def sources() -> list[Path]:
    files = [FIXTURES / f"qitai-2019.{ext}" for ext in ("txt", "docx", "pdf")]
    files += sorted(p for p in (FIXTURES / "corpus").iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
    files += sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_file() and p.stat().st_size < 2_000_000)
    return files


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(max(1, len(data)))]


def insert_junk(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 200)) + data[at:]


def mutate_docx_xml(data: bytes, rng: random.Random) -> bytes:
    """Damage word/document.xml inside a well-formed zip."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        xml = source.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        return flip_bytes(data, rng)
    xml = rng.choice([flip_bytes, truncate, insert_junk])(xml, rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == "word/document.xml" else source.read(item.filename))
    return out.getvalue()


def mutated(source: Path, rng: random.Random) -> bytes:
    data = source.read_bytes()
    strategies = [flip_bytes, truncate, insert_junk]
    if source.suffix == ".docx":
        strategies += [mutate_docx_xml, mutate_docx_xml]
    return rng.choice(strategies)(data, rng)


def main(argv: list[str]) -> int:
    def arg(name: str, default: str) -> str:
        return argv[argv.index(name) + 1] if name in argv else default

    total, jobs = int(arg("--inputs", "10000")), int(arg("--jobs", "2"))
    timeout, rng = float(arg("--timeout", "30")), random.Random(int(arg("--seed", "1")))
    from extract_rules.engine import run_checks

    from extractor.batch import BatchOptions, run_batch

    options = BatchOptions(factory=partial(run_checks), timeout=timeout)
    pool = sources()
    outcomes: Counter[str] = Counter()
    bad: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for chunk_start in range(0, total, CHUNK):
            paths = []
            for i in range(chunk_start, min(total, chunk_start + CHUNK)):
                source = rng.choice(pool)
                path = Path(tmp) / f"{i:05d}{source.suffix}"
                path.write_bytes(mutated(source, rng))
                paths.append(path)
            for index, report in run_batch(paths, jobs, options):
                code = report.document.error["code"] if report.document.error else "read"
                outcomes[code] += 1
                if code in ("internal-error", "timeout"):
                    keep = ROOT / "bench" / "out" / "fuzz-failures"
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / paths[index].name).write_bytes(paths[index].read_bytes())
                    bad.append(f"{paths[index].name}: {report.document.error['message']}")
            for path in paths:
                path.unlink()
            print(f"{min(total, chunk_start + CHUNK)}/{total} inputs, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"{total} mutated inputs in {elapsed:.0f} s ({total / elapsed:.1f}/s, -j {jobs}, timeout {timeout:g} s)")
    for code, count in outcomes.most_common():
        print(f"  {code:20} {count}")
    print(f"uncaught exceptions (internal-error): {outcomes['internal-error']}; over the timeout: {outcomes['timeout']}")
    for line in bad[:20]:
        print("  ", line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
