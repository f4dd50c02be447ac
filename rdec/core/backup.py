"""Backup and restore of an installation: the database, the uploaded files and the keys (issue 13).

`rdec backup DIR` writes into a new directory DIR:

- `database.sqlite3` (SQLite, copied page by page with SQLite's online backup API while the site
  keeps running) or `database.dump` (PostgreSQL, `pg_dump --format=custom`);
- `media.tar` — every file under MEDIA_ROOT (uploads, attachments, resource files);
- `keys/secret_key` — the SECRET_KEY. Tracking links and verification codes already mailed to
  petitioners are signed with it (HMAC), so a restore without it breaks every one of them;
- `manifest.json` — format, rdec version, time, database engine, and each file's size and SHA-256.

`rdec restore DIR` checks the manifest first and refuses, changing nothing, a directory that is not
a backup, a file whose checksum does not match (a damaged or altered backup), a format it does not
know, or a backup of the other database engine. Then it replaces the database (SQLite: the online
backup API into the configured file; PostgreSQL: `pg_restore --clean --if-exists`), the files under
MEDIA_ROOT and the data dir's `secret_key`. Stop the web and worker processes first, and run
`rdec migrate` after restoring a backup of an older version.

The backup holds personal data and the key: the directory is created readable by its owner only.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar"
KEY_FILE = "keys/secret_key"  # the SECRET_KEY, as the data dir keeps it
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}


class BackupError(Exception):
    """A backup that cannot be made, or a directory that must not be restored (the reason)."""


def engine() -> str:
    name = settings.DATABASES["default"]["ENGINE"]
    if name not in ENGINES:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": name})
    return ENGINES[name]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env() -> tuple[dict, str]:
    """libpq's environment for the client tools, from the configured database (no password on the
    command line, where `ps` would show it)."""
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env, db["NAME"]


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - fixed tools
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": command[0], "error": result.stderr.strip()[-2000:]}
        )


# --- backup ------------------------------------------------------------------------------------------


def backup(target: Path) -> dict:
    """Write a backup into `target` (a new or empty directory); returns the manifest."""
    kind = engine()
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(_("%(dir)s is not empty; back up into a new directory.") % {"dir": target})
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.chmod(0o700)
    database = target / DATABASE_FILES[kind]
    if kind == "sqlite":
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        copy = sqlite3.connect(database)
        try:
            with copy:
                source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
            source.close()
    else:
        env, name = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={database}", name], env)
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA, "w") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
    key = target / KEY_FILE
    key.parent.mkdir(mode=0o700)
    key.write_text(settings.SECRET_KEY, encoding="utf-8")
    key.chmod(0o600)
    files = [database.name, MEDIA, KEY_FILE]
    manifest = {
        "format": FORMAT,
        "application": "rdec",
        "version": metadata.version("rdec"),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": kind,
        "database": database.name,
        "files": {
            name: {"size": (target / name).stat().st_size, "sha256": _sha256(target / name)} for name in files
        },
    }
    (target / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for name in [*files, MANIFEST]:
        (target / name).chmod(0o600)
    return manifest


# --- restore -----------------------------------------------------------------------------------------


def verify(source: Path) -> dict:
    """The manifest of a complete, undamaged backup made for this database engine (BackupError with
    the reason otherwise)."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            _("%(dir)s is not an rdec backup: its manifest.json is missing or unreadable.") % {"dir": source}
        ) from None
    if not isinstance(manifest, dict) or manifest.get("application") != "rdec":
        raise BackupError(_("%(dir)s is not an rdec backup.") % {"dir": source})
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("The backup's format %(found)s is not the one this version reads (%(known)s).")
            % {"found": manifest.get("format"), "known": FORMAT}
        )
    kind = engine()
    if manifest.get("engine") != kind:
        raise BackupError(
            _(
                "The backup is of a %(backup)s database, but this installation uses %(here)s; nothing was restored."
            )
            % {"backup": manifest.get("engine"), "here": kind}
        )
    expected = {DATABASE_FILES[kind], MEDIA, KEY_FILE}
    files = manifest.get("files") or {}
    if set(files) != expected or manifest.get("database") != DATABASE_FILES[kind]:
        raise BackupError(
            _("The backup's manifest does not list the files a backup holds; nothing was restored.")
        )
    for name, facts in sorted(files.items()):
        path = source / name
        if not path.is_file():
            raise BackupError(
                _("The backup is incomplete: %(file)s is missing; nothing was restored.") % {"file": name}
            )
        if path.stat().st_size != facts.get("size") or _sha256(path) != facts.get("sha256"):
            raise BackupError(
                _("The backup is damaged: %(file)s does not match its checksum; nothing was restored.")
                % {"file": name}
            )
    return manifest


def restore(source: Path) -> dict:
    """Replace the database, the media files and the secret key with a verified backup's."""
    source = Path(source)
    manifest = verify(source)
    for conn in connections.all():
        conn.close()
    database = source / manifest["database"]
    if manifest["engine"] == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        backup_copy = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        live = sqlite3.connect(target)
        try:
            with live:
                backup_copy.backup(live)
        finally:
            live.close()
            backup_copy.close()
    else:
        env, name = _pg_env()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={name}",
                str(database),
            ],
            env,
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA) as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, links out or devices
    key = (source / KEY_FILE).read_text(encoding="utf-8").strip()
    keyfile = Path(settings.DATA_DIR) / "secret_key"
    keyfile.write_text(key, encoding="utf-8")
    keyfile.chmod(0o600)
    return manifest


def secret_key_overridden(source: Path) -> bool:
    """True when SECRET_KEY comes from the environment and differs from the backup's: the restored
    key file is then ignored, and links mailed before the backup fail until the variable is set
    to the backup's key."""
    key = (Path(source) / KEY_FILE).read_text(encoding="utf-8").strip()
    return settings.SECRET_KEY_FROM_ENVIRONMENT and settings.SECRET_KEY != key
