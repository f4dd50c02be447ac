"""The Traditional Chinese catalogue is complete, keeps every placeholder, and is compiled.

Reads the files only (polib): no database, no gettext tools.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ZH_PO = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"

# %(name)s, %(seconds).1f, ... and the unnamed %s / %d; "%%" is a literal percent sign.
PRINTF = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?[diouxXeEfFgGcrsa%]"
)
# {{ name }} as written in a template, e.g. a string that is rendered again later.
TEMPLATE_VAR = re.compile(r"\{\{\s*(.*?)\s*\}\}")


def placeholders(text: str) -> Counter:
    found = Counter(m.group(0) for m in PRINTF.finditer(text) if m.group(0) != "%%")
    found.update("{{ " + " ".join(m.group(1).split()) + " }}" for m in TEMPLATE_VAR.finditer(text))
    return found


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    assert ZH_PO.exists(), f"{ZH_PO} is missing: run makemessages (see docs/i18n/glossary-zh-hant.md)"
    return polib.pofile(str(ZH_PO))


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def test_header(catalogue):
    assert catalogue.metadata.get("Language") == "zh_Hant"
    assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")
    assert catalogue.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    assert not catalogue.metadata_is_fuzzy, "a fuzzy header is left out of the .mo (and its Plural-Forms)"


def test_no_untranslated_entries(catalogue):
    missing = [
        e.msgid for e in live(catalogue) if not (e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr)
    ]
    assert not missing, "untranslated zh_Hant entries:\n" + "\n".join(missing)


def test_no_fuzzy_entries(catalogue):
    fuzzy = [e.msgid for e in live(catalogue) if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy zh_Hant entries:\n" + "\n".join(fuzzy)


def test_placeholders_kept(catalogue):
    wrong = []
    for e in live(catalogue):
        allowed = [placeholders(e.msgid)]
        if e.msgid_plural:
            allowed.append(placeholders(e.msgid_plural))
            translations = [s for s in e.msgstr_plural.values() if s]
        else:
            translations = [e.msgstr] if e.msgstr else []
        for text in translations:
            if placeholders(text) not in allowed:
                wrong.append(f"{e.msgid!r} -> {text!r}")
    assert not wrong, "translations that lose or change placeholders:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", ["zh_Hant", "en"])
def test_compiled_catalogue_matches(language):
    """The committed .mo (shipped in the package) has exactly the .po's translations."""
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    assert po_path.exists(), f"{po_path} is missing"
    assert mo_path.exists(), f"{mo_path} is missing: run `rdec compilemessages` in rdec/"

    def entries(catalogue):
        return {
            (e.msgctxt or "", e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if not e.obsolete and "fuzzy" not in e.flags and (e.msgstr or any(e.msgstr_plural.values()))
        }

    po, mo = polib.pofile(str(po_path)), polib.mofile(str(mo_path))
    assert entries(mo) == entries(po), f"{mo_path} is out of date: run `rdec compilemessages` in rdec/"
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")
