"""`rdec backup DIR` and `rdec restore DIR` (issue 13, item 12): the documented backup left out the
secret key, so a restore broke every tracking link and verification code already mailed to
petitioners. The round trip here runs the commands as an operator would, as subprocesses on their
own data dirs: a case is filed and its receipt mailed; the installation is backed up, restored into
a fresh data dir (a new machine, whose first start made a key of its own), and the mailed link and
code still open the case there, with the uploaded files back. On SQLite, and on PostgreSQL when
DATABASE_URL is set (throwaway databases). A damaged backup and one of the other engine are refused,
changing nothing."""

from __future__ import annotations

import contextlib
import json
import os
import re

import pytest

from rdec.core.tests.installations import ENGINES, environment, run_rdec, throwaway_database

FILE_A_CASE = """
import json, re
from django.conf import settings
from django.core import mail
from pathlib import Path
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
mail.outbox = []
from rdec.core.services import create_api_key
from rdec.petitions import services
from rdec.petitions.models import Case, Category
key, _raw = create_api_key(name="backup-test", agency=None, actor=None)
case, code = services.file_case(
    actor=key.user, channel=Case.Channel.OPEN311, category=Category.objects.get(code="pothole"),
    subject="路面坑洞", description="臺灣大道路面坑洞", lat=24.1615, lon=120.6469,
    petitioner_name="王小明", petitioner_email="xiaoming@example.com",
)
link = re.search(r"https?://\\S+/track/\\S+/", mail.outbox[0].body).group(0)
upload = Path(settings.MEDIA_ROOT) / "opendata" / "人口.csv"
upload.parent.mkdir(parents=True, exist_ok=True)
upload.write_text("區域,人口數\\n北屯區,297000\\n", encoding="utf-8")
print(json.dumps({"number": case.number, "code": code, "link": link}))
"""

OPEN_THE_LINK = """
import json, sys
from urllib.parse import urlsplit
from django.test import Client
from rdec.petitions.models import Case
from rdec.petitions.tracking import check_tracking_code
mailed = json.loads(open(%(path)r, encoding="utf-8").read())
page = Client().get(urlsplit(mailed["link"]).path)
case = Case.objects.get(number=mailed["number"])
print(json.dumps({
    "status": page.status_code,
    "shows_number": mailed["number"] in page.content.decode(),
    "code_ok": check_tracking_code(case, mailed["code"]),
}))
"""


LOAD_REFERENCE = (
    "from rdec.core import reference; from rdec.petitions.reference import load_categories; "
    "reference.load_bundled('66000'); load_categories()"
)


_run = run_rdec


@pytest.fixture(params=ENGINES)
def installations(request, tmp_path):
    """Two installations' environments: the one backed up, and a fresh one to restore into."""
    with contextlib.ExitStack() as stack:
        envs = {}
        for which in ("old", "new"):
            env = environment(tmp_path / which, drop=("MEDIA_ROOT",))
            if request.param == "postgresql":
                env["DATABASE_URL"] = stack.enter_context(
                    throwaway_database(f"rdec_backup_{which}_{os.getpid()}")
                )
            envs[which] = env
        yield envs


def test_a_mailed_tracking_link_still_works_after_backup_and_restore(installations, tmp_path):
    old, new = installations["old"], installations["new"]
    _run(old, "migrate", "--noinput")
    _run(old, "shell", "-c", LOAD_REFERENCE)
    mailed = json.loads(_run(old, "shell", "-c", FILE_A_CASE).stdout.strip().splitlines()[-1])
    (tmp_path / "mailed.json").write_text(json.dumps(mailed), encoding="utf-8")

    backup_dir = tmp_path / "backup"
    _run(old, "backup", str(backup_dir))
    manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == ("sqlite" if "DATABASE_URL" not in old else "postgresql")
    assert set(manifest["files"]) == {manifest["database"], "media.tar", "keys/secret_key"}
    assert oct(backup_dir.stat().st_mode & 0o777) == "0o700"

    # the new machine: its first command makes a key of its own, which the restore replaces
    _run(new, "check")
    assert (tmp_path / "new" / "secret_key").read_text() != (tmp_path / "old" / "secret_key").read_text()
    _run(new, "restore", "--noinput", str(backup_dir))
    opened = json.loads(
        _run(new, "shell", "-c", OPEN_THE_LINK % {"path": str(tmp_path / "mailed.json")})
        .stdout.strip()
        .splitlines()[-1]
    )
    assert opened == {"status": 200, "shows_number": True, "code_ok": True}
    restored = tmp_path / "new" / "media" / "opendata" / "人口.csv"
    assert restored.read_text(encoding="utf-8") == "區域,人口數\n北屯區,297000\n"


def test_a_damaged_backup_and_one_of_another_engine_are_refused(installations, tmp_path):
    old, new = installations["old"], installations["new"]
    backup_dir = tmp_path / "backup"
    _run(old, "backup", str(backup_dir))  # of an empty database: what is refused is the backup
    manifest_path = backup_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))

    database = backup_dir / manifest["database"]
    original = database.read_bytes()
    damaged = bytearray(original)
    damaged[len(damaged) // 2] ^= 0xFF
    database.write_bytes(bytes(damaged))
    refused = _run(new, "restore", "--noinput", str(backup_dir), check=False)
    assert refused.returncode != 0
    assert manifest["database"] in refused.stderr and re.search(r"damaged|損毀", refused.stderr)
    key_before = (tmp_path / "new" / "secret_key").read_text()  # made by that first start
    database.write_bytes(original)

    other = {**manifest, "engine": "postgresql" if manifest["engine"] == "sqlite" else "sqlite"}
    manifest_path.write_text(json.dumps(other), encoding="utf-8")
    refused = _run(new, "restore", "--noinput", str(backup_dir), check=False)
    assert refused.returncode != 0
    assert other["engine"] in refused.stderr
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    (backup_dir / "keys" / "secret_key").unlink()
    refused = _run(new, "restore", "--noinput", str(backup_dir), check=False)
    assert refused.returncode != 0 and "keys/secret_key" in refused.stderr
    refused = _run(new, "restore", "--noinput", str(tmp_path / "nowhere"), check=False)
    assert refused.returncode != 0 and "manifest.json" in refused.stderr

    assert (tmp_path / "new" / "secret_key").read_text() == key_before  # nothing was changed
