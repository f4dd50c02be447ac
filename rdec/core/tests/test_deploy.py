"""Django's deployment checklist: `rdec check --deploy` is clean with the production settings that
docs/operations.md documents (HSTS, HTTPS redirect, secure cookies, …), read from that document."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
OPERATIONS = REPO / "docs" / "operations.md"


def documented_environment() -> dict[str, str]:
    """The variables of the environment file shown in docs/operations.md."""
    text = OPERATIONS.read_text(encoding="utf-8")
    block = text.split("Environment file", 1)[1].split("```", 2)[1]
    pairs = re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", block, flags=re.MULTILINE)
    assert pairs, "docs/operations.md shows no environment file"
    return dict(pairs)


def check_deploy(tmp_path, **overrides) -> subprocess.CompletedProcess:
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY"))}
    env.update(documented_environment())
    env.update(SECRET_KEY_FILE=str(secret), RDEC_DATA_DIR=str(tmp_path / "data"), **overrides)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage module
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "DJANGO_SETTINGS_MODULE": "rdec.settings"},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "warning"),
    [({"BEHIND_TLS_PROXY": "false"}, "security.W004"), ({"SECURE_COOKIES": "false"}, "security.W012")],
)
def test_check_deploy_warns_without_tls_settings(tmp_path, override, warning):
    """The check above can fail: without TLS there is no HSTS, without secure cookies a warning."""
    result = check_deploy(tmp_path, **override)
    assert result.returncode != 0 and warning in result.stdout + result.stderr


def test_the_documented_settings_trust_the_local_proxy():
    env = documented_environment()
    assert env["BEHIND_TLS_PROXY"] == "true" and env["TRUSTED_PROXIES"]
