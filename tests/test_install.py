"""A non-editable install into a fresh virtualenv gives a working `extract` from any directory."""
from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_install_finds_its_vocabulary(tmp_path):
    env_dir = tmp_path / "venv"
    # the dependencies come from the running environment; the project itself is built and installed
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    site = subprocess.run([python, "-c", "import extractor, extract_rules; print(extractor.__file__, "
                                         "extract_rules.VOCAB_DIR)"],
                          check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    assert str(ROOT) not in site, site       # really the installed copy, not the checkout
    result = subprocess.run([env_dir / "bin" / "extract", FIXTURES / "qitai-2019.txt", "--json"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert json.loads(result.stdout)["meta"]["region"] == "奇台县", result.stderr
    names = subprocess.run([python, "-c", "import importlib.util as u; print([n for n in ('rules', 'cli') "
                                          "if u.find_spec(n)])"], capture_output=True, text=True, cwd=tmp_path).stdout
    assert names.strip() == "[]"   # no generic top-level names claimed
