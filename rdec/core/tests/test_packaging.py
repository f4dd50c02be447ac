"""The front end travels with the package (issue 14, item 12).

From a copy of the checkout without its git-ignored files (so rdec/core/static/vendor/, git-ignored, is absent, as in a
fresh clone): `pip wheel .` vendors the npm assets through setup.py's build hook and the wheel carries them
with their licences; the sdist carries them too, and a wheel built from the sdist with no npm on PATH has
them all; installed from that wheel, rdec serves them from its own package. About 30 s (two wheels, one
sdist, each in pip's isolated build environment with setuptools from the configured index).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
VENDOR = "rdec/core/static/vendor/"

# what the pages load (templates: htmx, Leaflet and the images leaflet.css points at, Swagger UI)
ASSETS = [
    "htmx.min.js",
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/images/layers.png",
    "leaflet/images/layers-2x.png",
    "leaflet/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png",
    "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui-standalone-preset.js",
    "swagger-ui-dist/swagger-ui.css",
]
LICENCES = [
    "licenses/htmx.org/LICENSE",
    "licenses/leaflet/LICENSE",
    "licenses/swagger-ui-dist/LICENSE",
    "licenses/swagger-ui-dist/NOTICE",
]


def _load_setup_module():
    spec = importlib.util.spec_from_file_location("rdec_setup", REPO / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # setup() runs only under __main__
    return module


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def _run(args: list[str], cwd: Path, **env: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and pip
        args, cwd=cwd, env=_env(**env), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, (
        f"{' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return result.stdout + result.stderr


def _pip_wheel(source: Path, out: Path, **env: str) -> Path:
    _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(out)], out.parent, **env)
    (wheel,) = out.glob("rdec-*.whl")
    return wheel


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A checkout copy, its wheel, its sdist, and a wheel built from the sdist without npm."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout of rdec")
    if not (REPO / "node_modules" / "htmx.org").is_dir():
        pytest.skip("node_modules is missing: run `make setup` (npm ci) first")
    root = tmp_path_factory.mktemp("packaging")
    src = root / "src"
    tracked = (
        subprocess.run(
            # tracked and new files, not the ignored ones: the tree as it would be committed
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        if (REPO / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, src / name)
    # npm ci would need the registry: the copy uses the checkout's node_modules, as `make setup` left it
    (src / "node_modules").symlink_to(REPO / "node_modules")
    assert not (src / VENDOR).exists(), "the vendored assets must not be tracked by git"

    wheel = _pip_wheel(src, root / "wheel")
    _run([sys.executable, "-m", "build", "--sdist", "-o", str(root / "sdist"), str(src)], root)
    (sdist,) = (root / "sdist").glob("rdec-*.tar.gz")
    empty_bin = root / "no-npm-bin"
    empty_bin.mkdir()
    wheel_from_sdist = _pip_wheel(sdist, root / "wheel-from-sdist", PATH=str(empty_bin))
    return {"root": root, "src": src, "wheel": wheel, "sdist": sdist, "wheel_from_sdist": wheel_from_sdist}


def _wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def _assert_carries_front_end(names: set[str], prefix: str = "") -> None:
    missing = [name for name in ASSETS + LICENCES + ["VENDORED.json"] if prefix + VENDOR + name not in names]
    assert not missing, f"missing from the package: {missing}"


@pytest.mark.packaging
def test_wheel_from_a_checkout_vendors_and_carries_the_front_end(built):
    names = _wheel_names(built["wheel"])
    _assert_carries_front_end(names)
    # the hook vendored into the copy, with the versions package-lock.json pins
    record = json.loads((built["src"] / VENDOR / "VENDORED.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, meta in record["packages"].items():
        assert meta["version"] == lock[f"node_modules/{name}"]["version"]
        assert meta["license"]
    assert set(record["packages"]) == {"htmx.org", "leaflet", "swagger-ui-dist"}
    # NOTICE.md (attributions, the vendored versions) in the wheel's licence files
    (notice,) = [n for n in names if n.endswith(".dist-info/licenses/NOTICE.md")]
    with zipfile.ZipFile(built["wheel"]) as zf:
        text = zf.read(notice).decode("utf-8")
    for name, meta in record["packages"].items():
        assert f"{name}` {meta['version']}" in text, f"NOTICE.md does not name {name} {meta['version']}"


@pytest.mark.packaging
def test_sdist_carries_the_front_end_and_builds_a_wheel_without_npm(built):
    with tarfile.open(built["sdist"]) as tf:
        names = {member.name for member in tf.getmembers()}
    _assert_carries_front_end(names, prefix=built["sdist"].name.removesuffix(".tar.gz") + "/")
    assert not any(name.endswith("/node_modules") or "/node_modules/" in name for name in names)
    _assert_carries_front_end(_wheel_names(built["wheel_from_sdist"]))


@pytest.mark.packaging
def test_build_without_npm_and_without_assets_stops_and_says_why(built):
    """A source tree with neither the vendored assets nor npm: no wheel without its front end."""
    bare = built["root"] / "bare"
    with tarfile.open(built["sdist"]) as tf:
        tf.extractall(bare, filter="data")
    (tree,) = bare.iterdir()
    shutil.rmtree(tree / VENDOR)
    empty_bin = built["root"] / "no-npm-bin"
    result = subprocess.run(  # noqa: S603 - our own interpreter and pip
        [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-w", str(bare / "out")],
        env=_env(PATH=str(empty_bin)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "front-end assets in rdec/core/static/vendor/ cannot be packaged" in result.stdout + result.stderr
    assert "npm" in result.stdout + result.stderr
    assert not list(bare.glob("out/*.whl"))


@pytest.mark.packaging
def test_installed_wheel_serves_the_front_end_from_its_own_package(built):
    site = built["root"] / "site"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--target",
            str(site),
            str(built["wheel_from_sdist"]),
        ],
        built["root"],
    )
    elsewhere = built["root"] / "elsewhere"  # not the checkout: nothing found through the working directory
    elsewhere.mkdir()
    env = {
        "PYTHONPATH": str(site),
        "RDEC_DATA_DIR": str(elsewhere / "var"),
        "DJANGO_SETTINGS_MODULE": "rdec.settings",
    }
    found = _run(
        [sys.executable, "-m", "rdec.cli", "findstatic", "--first", "vendor/htmx.min.js"], elsewhere, **env
    )
    assert str(site / VENDOR / "htmx.min.js") in found
    served = _run(
        [
            sys.executable,
            "-c",
            "import django, rdec; django.setup(); print(rdec.__file__)\n"
            "from django.test import Client\n"
            f"for name in {ASSETS!r}:\n"
            "    r = Client().get('/static/vendor/' + name, HTTP_HOST='127.0.0.1')\n"
            "    print(name, r.status_code, r['Content-Type'])",
        ],
        elsewhere,
        **env,
    )
    assert f"{site}/rdec/__init__.py" in served
    for name in ASSETS:
        assert f"{name} 200 " in served, served


# --- the freshness check of setup.py, on small trees --------------------------------------------------


def _vendored_tree(root: Path, *, lock: str | None = '{"packages": {}}') -> Path:
    vendor = root / VENDOR
    vendor.mkdir(parents=True)
    (vendor / "htmx.min.js").write_text("/* htmx */")
    (root / "scripts").mkdir()
    (root / "scripts" / "vendor.sh").write_text("# vendor\n")
    record = {"packages": {}, "files": ["htmx.min.js"]}
    record["scripts/vendor.sh"] = hashlib.sha256(b"# vendor\n").hexdigest()
    if lock is not None:
        (root / "package-lock.json").write_text(lock)
        record["package-lock.json"] = hashlib.sha256(lock.encode()).hexdigest()
    (vendor / "VENDORED.json").write_text(json.dumps(record))
    return vendor


def test_vendor_check_accepts_current_copies_and_an_sdist(tmp_path):
    setup_module = _load_setup_module()
    _vendored_tree(tmp_path / "checkout")
    assert setup_module.vendor_problem(tmp_path / "checkout") is None
    sdist = tmp_path / "sdist"
    _vendored_tree(sdist)
    (sdist / "package-lock.json").unlink()  # an sdist has no lock file: its copies are taken as they are
    assert setup_module.vendor_problem(sdist) is None


def test_vendor_check_finds_missing_and_stale_copies(tmp_path):
    setup_module = _load_setup_module()
    assert "never vendored" in setup_module.vendor_problem(tmp_path)
    _vendored_tree(tmp_path / "stale")
    (tmp_path / "stale" / "package-lock.json").write_text('{"packages": {"node_modules/leaflet": {}}}')
    assert "package-lock.json changed" in setup_module.vendor_problem(tmp_path / "stale")
    vendor = _vendored_tree(tmp_path / "gone")
    (vendor / "htmx.min.js").unlink()
    assert "htmx.min.js" in setup_module.vendor_problem(tmp_path / "gone")
