"""Build hook: a wheel or sdist of rdec carries the npm front-end assets it serves.

The assets (htmx, Leaflet, Swagger UI, with their licences) are copied from node_modules/ into
rdec/core/static/vendor/ by scripts/vendor.sh, which also writes VENDORED.json: the packages, versions,
licences and files copied, and the hashes of package-lock.json and vendor.sh. Everything else about the
package is in pyproject.toml; this file only adds that step to `build_py` (wheels, `pip install .`) and
`sdist`:

- the copies are present and match package-lock.json and vendor.sh: nothing to do;
- missing or stale, with npm: `npm ci` (only when node_modules does not already match the lock), then
  scripts/vendor.sh;
- missing or stale, without npm: the build fails and says what to do (an editable install only warns).

An sdist holds the copies and VENDORED.json but not package-lock.json, so a wheel built from it needs no npm.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
VENDOR = ROOT / "rdec" / "core" / "static" / "vendor"
RECORD = VENDOR / "VENDORED.json"
HASHED = ("package-lock.json", "scripts/vendor.sh")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor_problem(root: Path = ROOT) -> str | None:
    """Why rdec/core/static/vendor/ under `root` cannot be packaged as it is, or None when it can."""
    vendor = root / "rdec" / "core" / "static" / "vendor"
    record_path = vendor / "VENDORED.json"
    if not record_path.is_file():
        return f"{record_path.relative_to(root)} is missing (the front-end assets were never vendored)"
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return f"{record_path.relative_to(root)} is not valid JSON ({exc})"
    missing = [name for name in record.get("files", []) if not (vendor / name).is_file()]
    if missing or not record.get("files"):
        return "vendored files are missing: " + (", ".join(missing[:5]) or "all")
    for name in HASHED:
        source = root / name
        # An sdist has no package-lock.json: its copies are the ones it was made with.
        if source.is_file() and record.get(name) != _sha256(source):
            return f"{name} changed since the assets were vendored"
    return None


def _node_modules_match_lock(root: Path) -> bool:
    """Whether node_modules/ already holds the versions package-lock.json pins (then `npm ci` is not needed)."""
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    for key, meta in lock.get("packages", {}).items():
        if not key.startswith("node_modules/") or key.count("node_modules/") != 1:
            continue
        installed = root / key / "package.json"
        if not installed.is_file():
            return False
        if json.loads(installed.read_text(encoding="utf-8")).get("version") != meta.get("version"):
            return False
    return True


def ensure_vendored(*, strict: bool = True, log=print) -> None:
    problem = vendor_problem()
    if problem is None:
        return
    npm, node = shutil.which("npm"), shutil.which("node")
    if not (
        npm and node and (ROOT / "package-lock.json").is_file() and (ROOT / "scripts/vendor.sh").is_file()
    ):
        message = (
            f"rdec: the front-end assets in rdec/core/static/vendor/ cannot be packaged: {problem}. "
            "Vendoring them needs Node.js and npm (Debian: apt-get install nodejs npm) and a source checkout "
            "with package.json, package-lock.json and scripts/vendor.sh; then run `make setup` (or "
            "`npm ci && bash scripts/vendor.sh`) and build again. A wheel built from rdec's sdist needs none of this."
        )
        if strict:
            raise SystemExit(message)
        log("WARNING: " + message)
        return
    log(f"rdec: vendoring the front-end assets ({problem})")
    if not _node_modules_match_lock(ROOT):
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(["bash", str(ROOT / "scripts" / "vendor.sh")], cwd=ROOT, check=True)  # noqa: S603, S607
    problem = vendor_problem()
    if problem is not None:
        raise SystemExit(f"rdec: scripts/vendor.sh ran but the assets are still not right: {problem}")


class BuildPyWithVendor(build_py):
    def run(self):
        ensure_vendored(strict=not getattr(self, "editable_mode", False))
        self.__dict__.pop(
            "data_files", None
        )  # computed lazily: look for package data again, vendor/ included
        super().run()


class SdistWithVendor(sdist):
    def run(self):
        ensure_vendored()
        super().run()


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildPyWithVendor, "sdist": SdistWithVendor})
