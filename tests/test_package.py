"""convdoc as it would be published: the sdist and the wheel, built and installed where nothing else is.

``uv build`` (hatchling, pyproject.toml) writes both into a temporary directory; the
wheel must hold the package and the metadata PyPI shows (name, the version of
``convdoc.__version__``, numpy as the only requirement, the ``convdoc`` command), the
sdist what a rebuild needs; then the wheel is installed into a fresh virtual
environment, where ``import convdoc`` and the ``convdoc`` command must work
(.github/workflows/release.yml publishes these files on a ``v*`` tag).
"""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import convdoc

ROOT = Path(__file__).resolve().parents[1]
UV = shutil.which("uv")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    if UV is None:
        pytest.fail("uv is not on PATH (README: pip install uv)")
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([UV, "build", "--out-dir", str(out), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out


def one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"{pattern}: {found}"
    return found[0]


def test_the_wheel_holds_the_package_and_its_metadata(dist):
    wheel = one(dist, f"convdoc-{convdoc.__version__}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        info = f"convdoc-{convdoc.__version__}.dist-info"
        metadata = email.message_from_bytes(z.read(f"{info}/METADATA"))
        entry_points = z.read(f"{info}/entry_points.txt").decode()
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "convdoc").rglob("*.py")}
    assert modules <= set(names), f"missing from the wheel: {sorted(modules - set(names))}"
    assert not [n for n in names if n.startswith(("tests/", "docs/", "hooks/"))], names
    assert metadata["Name"] == "convdoc"
    assert metadata["Version"] == convdoc.__version__
    assert [r.split(";")[0].replace(" ", "") for r in metadata.get_all("Requires-Dist")] == ["numpy>=1.26"]
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["License-Expression"] == "MIT"
    assert "convdoc = convdoc.cli:main" in entry_points
    assert "bilingual" in metadata.get_payload(), "the README is not the long description"


def test_the_sdist_can_be_built_again(dist):
    sdist = one(dist, f"convdoc-{convdoc.__version__}.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "convdoc/__init__.py", "convdoc/cli.py"} <= names


def test_the_wheel_installs_and_imports_in_a_fresh_environment(dist, tmp_path):
    wheel = one(dist, "convdoc-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run([UV, "pip", "install", "--quiet", "--python", str(python), str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-4000:]
    code = "import convdoc; print(convdoc.__version__, convdoc.__file__, convdoc.param_count(3, 2, 3))"
    proc = subprocess.run([str(python), "-I", "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    version, where, params = proc.stdout.split()
    assert version == convdoc.__version__ and params == "56"
    assert Path(where).is_relative_to(venv), f"imported from {where}, not from the installed wheel"
    command = subprocess.run([str(venv / "bin" / "convdoc"), "params", "3", "2", "3"], capture_output=True, text=True)
    assert command.returncode == 0 and "56" in command.stdout, command
