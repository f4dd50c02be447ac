#!/usr/bin/env python
"""Check that the Traditional Chinese catalogue is complete and the compiled catalogues are current.

    .venv/bin/python scripts/check_translations.py

1. Runs `makemessages -l zh_Hant` over the rdec package (same options as `make messages`), so strings
   that are new in the code or templates show up in rdec/locale/zh_Hant/LC_MESSAGES/django.po.
2. Fails, listing each msgid, if any zh_Hant entry is untranslated or fuzzy.
3. Compiles every rdec/locale/*/LC_MESSAGES/django.po to a temporary .mo and fails if the committed
   django.mo is missing or its entries differ (run `rdec compilemessages` from rdec/ to fix).
4. Finds strings makemessages cannot see (rdec/core/i18n_lint.py): gettext inside an f-string's
   braces or with a non-literal message (chart legends were lost that way), and English text in
   the module scripts (rdec/*/static/*/*.js; words come from the page), less the allow-list
   scripts/translation_allowlist.txt. PDFs and charts are drawn from gettext'd strings, so 1–4
   cover them; rdec/analytics/tests/test_report_jobs.py reads a zh-Hant report PDF back and
   fails on any English word.

When makemessages changes nothing but the POT-Creation-Date header or the source references (#:),
the .po file is restored byte for byte, so a complete catalogue leaves the working tree clean. When
it finds new or changed strings, the updated .po is kept so they can be translated right away.

Exit status: 0 all complete, 1 something to fix (listed), 2 the check itself could not run.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rdec"
LOCALE = PACKAGE / "locale"
PRIMARY = "zh_Hant"
MAKEMESSAGES_OPTIONS = {"no_obsolete": True, "ignore_patterns": ["static/vendor/*"], "verbosity": 0}


def run_makemessages(locale: str) -> None:
    """makemessages for one locale, run from inside the package like `make messages` does."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rdec.settings")
    import django
    from django.core.management import call_command

    django.setup()
    cwd = Path.cwd()
    os.chdir(PACKAGE)
    try:
        with redirect_stdout(io.StringIO()):
            call_command("makemessages", locale=[locale], **MAKEMESSAGES_OPTIONS)
    finally:
        os.chdir(cwd)


def nplurals(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def semantic(po: polib.POFile) -> tuple:
    """What matters in a catalogue: its entries and its header, less dates and source references."""
    header = tuple(
        sorted((k, v) for k, v in po.metadata.items() if k not in {"POT-Creation-Date", "PO-Revision-Date"})
    )
    entries = tuple(
        sorted(
            (
                e.msgctxt or "",
                e.msgid,
                e.msgid_plural or "",
                e.msgstr,
                tuple(sorted(e.msgstr_plural.items())),
                tuple(sorted(e.flags)),
                e.obsolete,
            )
            for e in po
        )
    )
    return header, entries


def label(entry: polib.POEntry) -> str:
    text = entry.msgid if not entry.msgctxt else f"[{entry.msgctxt}] {entry.msgid}"
    return text.replace("\n", "\\n")


def incomplete(po: polib.POFile) -> tuple[list[str], list[str]]:
    """(untranslated, fuzzy) msgids of the live entries."""
    n = nplurals(po)
    untranslated, fuzzy = [], []
    for e in po:
        if e.obsolete:
            continue
        if "fuzzy" in e.flags:
            fuzzy.append(label(e))
        elif e.msgid_plural:
            if not all(e.msgstr_plural.get(i) for i in range(n)):
                untranslated.append(label(e))
        elif not e.msgstr:
            untranslated.append(label(e))
    return untranslated, fuzzy


def mo_entries(path: Path) -> dict:
    mo = polib.mofile(str(path))
    entries = {
        (e.msgctxt or "", e.msgid): (e.msgid_plural or "", e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in mo
    }
    header = {k: mo.metadata.get(k, "") for k in ("Content-Type", "Language", "Plural-Forms")}
    return {"entries": entries, "header": header}


def compile_to(po_path: Path, mo_path: Path) -> str | None:
    """Compile like `compilemessages` does (msgfmt --check-format); polib if gettext is missing."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        done = subprocess.run(  # noqa: S603 - fixed arguments, our own files
            [msgfmt, "--check-format", "-o", str(mo_path), str(po_path)], capture_output=True, text=True
        )
        return None if done.returncode == 0 else done.stderr.strip() or "msgfmt failed"
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return None


def check_mo(po_path: Path) -> list[str]:
    mo_path = po_path.with_suffix(".mo")
    rel = mo_path.relative_to(ROOT)
    if not mo_path.exists():
        return [f"{rel} is missing: run `../.venv/bin/rdec compilemessages --ignore=.venv` in rdec/."]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        error = compile_to(po_path, fresh)
        if error:
            return [f"{po_path.relative_to(ROOT)} does not compile:\n{error}"]
        want, have = mo_entries(fresh), mo_entries(mo_path)
    problems = []
    if want["header"] != have["header"]:
        problems.append(f"{rel}: header differs from the .po ({have['header']} vs {want['header']}).")
    changed = sorted(
        {
            key
            for key in want["entries"].keys() | have["entries"].keys()
            if want["entries"].get(key) != have["entries"].get(key)
        }
    )
    if changed:
        problems.append(
            f"{rel} is out of date with the .po ({len(changed)} entries differ); run "
            "`../.venv/bin/rdec compilemessages --ignore=.venv` in rdec/:"
        )
        problems += [f"    {msgid!r}" for _ctx, msgid in changed]
    return problems


def check_sources() -> list[str]:
    """Strings the catalogue can never hold: gettext misused in Python, English in the scripts."""
    sys.path.insert(0, str(ROOT))
    from rdec.core import i18n_lint

    problems = []
    sources = i18n_lint.python_sources(PACKAGE)
    misuse = i18n_lint.gettext_misuse(sources, ROOT) + i18n_lint.eager_gettext(sources, ROOT)
    if misuse:
        problems.append(f"{len(misuse)} gettext calls makemessages cannot extract, or made at import:")
        problems += [f"    {m}" for m in misuse]
    allowed = i18n_lint.read_allowlist(ROOT / "scripts" / "translation_allowlist.txt")
    english = i18n_lint.english_in_javascript(i18n_lint.module_scripts(PACKAGE), ROOT, allowed)
    if english:
        problems.append(
            f"{len(english)} English strings in JavaScript (give the words from the page, e.g. a data-* "
            "attribute written with {% translate %}, or add a line to scripts/translation_allowlist.txt):"
        )
        problems += [f"    {m}" for m in english]
    return problems


def main() -> int:
    po_path = LOCALE / PRIMARY / "LC_MESSAGES" / "django.po"
    original = po_path.read_bytes() if po_path.exists() else None
    try:
        run_makemessages(PRIMARY)
    except Exception as exc:  # noqa: BLE001 - any failure here means the check could not run
        print(f"makemessages failed: {exc}", file=sys.stderr)
        if original is not None:
            po_path.write_bytes(original)
        return 2

    po = polib.pofile(str(po_path))
    if original is not None and semantic(polib.pofile(original.decode("utf-8"))) == semantic(po):
        po_path.write_bytes(original)  # only dates or references moved: keep the tree clean
    elif original is not None:
        print(f"{po_path.relative_to(ROOT)} was updated by makemessages (new or changed strings).")

    problems: list[str] = []
    untranslated, fuzzy = incomplete(po)
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated {PRIMARY} entries:")
        problems += [f"    {m!r}" for m in untranslated]
    if fuzzy:
        problems.append(
            f"{len(fuzzy)} fuzzy {PRIMARY} entries (check the translation, then remove the flag):"
        )
        problems += [f"    {m!r}" for m in fuzzy]
    for catalogue in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        problems += check_mo(catalogue)
    problems += check_sources()

    if problems:
        print("\n".join(problems))
        print(
            "Translation check failed. Translate and compile as described in docs/i18n/glossary-zh-hant.md."
        )
        return 1
    total = len([e for e in po if not e.obsolete])
    print(f"Translations complete: {total} {PRIMARY} entries, compiled catalogues up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
