"""Settings from the environment, and the installed `rdec` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from rdec.settings import envbool, envint, envsecret

RDEC = str(Path(sys.executable).with_name("rdec"))


def run_rdec(*args, env_extra: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(env_extra or {})
    return subprocess.run([RDEC, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_without_secret_key_one_is_generated_once_and_kept_in_the_data_dir(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_rdec("shell", "-c", code, env_extra={"RDEC_DATA_DIR": str(tmp_path)})
    second = run_rdec("shell", "-c", code, env_extra={"RDEC_DATA_DIR": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert len(key) >= 50 and key == second.stdout.strip().splitlines()[-1]
    assert (tmp_path / "secret_key").read_text().strip() == key
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_the_rdec_command_runs_management_commands_on_sqlite_by_default(tmp_path):
    result = run_rdec("migrate", "--check", env_extra={"RDEC_DATA_DIR": str(tmp_path)})
    # a fresh data dir has unapplied migrations: migrate --check says so with exit code 1
    assert result.returncode == 1
    assert run_rdec("check", env_extra={"RDEC_DATA_DIR": str(tmp_path)}).returncode == 0


def test_typed_readers_refuse_bad_values(monkeypatch, tmp_path):
    monkeypatch.setenv("X_BOOL", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        envbool("X_BOOL")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured):
        envint("X_INT", "1")
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert envsecret("X_SECRET") == "s3cret"
