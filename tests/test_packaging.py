"""An installed wheel (not an editable install) carries and finds the samples and styles."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO, SEEDS


def _registry_allowed() -> dict[str, str]:
    """pip may reach the package registry (for the build backend); nothing else may."""
    blocked = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
    return {k: v for k, v in os.environ.items() if k not in blocked}


def test_wheel_carries_samples_and_styles_and_finds_them(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        env=_registry_allowed(),
    )
    (wheel,) = tmp_path.glob("nieuwslezer-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for seed in SEEDS.glob("*.txt"):
        assert f"reader/_data/seeds/{seed.name}" in names
    assert any(n.startswith("reader/_data/styles/") and n.endswith(".tcss") for n in names)

    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import reader.resources as r;"
        "print(r.seeds_dir()); print(len(list(r.seeds_dir().glob('*.txt'))));"
        "print(len(list(r.styles_dir().glob('*.tcss'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=True,
    )
    seeds, count, styles = result.stdout.split()
    assert seeds.startswith(str(site)), "the installed copy's own samples"
    assert int(count) == 5 and int(styles) >= 1
    for seed in SEEDS.glob("*.txt"):
        assert (Path(seeds) / seed.name).read_bytes() == seed.read_bytes()
