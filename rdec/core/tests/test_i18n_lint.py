"""The translation check's source scans (rdec.core.i18n_lint, run by scripts/check_translations.py):
gettext that makemessages cannot extract, and English text in the module scripts."""

from __future__ import annotations

from pathlib import Path

from rdec.core import i18n_lint

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "rdec"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_gettext_inside_an_f_string_or_without_a_literal_is_reported(tmp_path):
    source = _write(
        tmp_path,
        "charts.py",
        "from django.utils.translation import gettext as _, pgettext\n"
        "legend = f'<text>{_(\"this period\")}</text>'\n"
        "word = _(name)\n"
        "fine = _('Cases per month')\n"
        "also_fine = pgettext('inspection', 'Score')\n"
        "wrong_context = pgettext('inspection', label)\n",
    )
    problems = i18n_lint.gettext_misuse([source], tmp_path)
    assert [p.split(":")[1] for p in problems] == ["2", "3", "6"]
    assert "inside an f-string" in problems[0]


def test_gettext_at_import_time_is_reported(tmp_path):
    source = _write(
        tmp_path,
        "views.py",
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        "LABELS = {'a': _('Agency group')}\n"
        "class F:\n"
        "    label = _('From')\n"
        "    lazy = gettext_lazy('To')\n"
        "def view():\n"
        "    return _('Fine at request time')\n",
    )
    problems = i18n_lint.eager_gettext([source], tmp_path)
    assert [p.split(":")[1] for p in problems] == ["2", "4"]


def test_javascript_literals_skip_comments_and_regular_expressions():
    src = (
        "// Never shown: a comment\n"
        "const esc = (s) => s.replace(/[&<>\"']/g, (c) => `&#${c.charCodeAt(0)};`);\n"
        "/* Another comment */ el.textContent = 'Choose a file';\n"
        "const url = `${base}/resolve?lat=${lat}`;\n"
        'const ratio = a / b / 2; const name = "x y";\n'
    )
    texts = [text for _line, text in i18n_lint.js_literals(src)]
    assert "Choose a file" in texts and "x y" in texts
    assert not any("comment" in t for t in texts)
    assert "/resolve?lat=" in texts


def test_english_words_are_told_from_code():
    for code in [
        "button button-secondary",
        "#console-form textarea",
        "htmx:afterSwap",
        "maxZoom",
        "OPTGROUP",
        "",
    ]:
        assert not i18n_lint.looks_english(code), code
    for words in ["Cancel", "OK", "No file chosen", "Choose files", "Loading…"]:
        assert i18n_lint.looks_english(words), words


def test_english_in_a_script_is_reported_unless_allow_listed(tmp_path):
    script = _write(tmp_path, "map.js", "status.textContent = 'Pin placed';\nif (e.key === 'Escape') {}\n")
    problems = i18n_lint.english_in_javascript([script], tmp_path, {("map.js", "Escape")})
    assert len(problems) == 1 and "'Pin placed'" in problems[0] and problems[0].startswith("map.js:1:")


def test_the_code_base_passes_its_own_check():
    """Regression: the charts' legends were English because their gettext sat inside f-strings."""
    assert i18n_lint.gettext_misuse(i18n_lint.python_sources(PACKAGE), ROOT) == []
    assert i18n_lint.eager_gettext(i18n_lint.python_sources(PACKAGE), ROOT) == []
    allowed = i18n_lint.read_allowlist(ROOT / "scripts" / "translation_allowlist.txt")
    assert i18n_lint.english_in_javascript(i18n_lint.module_scripts(PACKAGE), ROOT, allowed) == []
