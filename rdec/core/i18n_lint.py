"""Static checks behind scripts/check_translations.py for strings makemessages cannot see.

1. Python: a gettext call inside an f-string's braces, or with a non-literal message, is never
   extracted (xgettext reads neither), so its text stays English in every language. Found by
   reading the syntax tree: `gettext_misuse()`. `eager_gettext()`: gettext (not lazy) at module
   level or in a class body, fixed in the language of the first import.
2. JavaScript: the module scripts (rdec/*/static/*/*.js, not vendor/) must not carry English text
   shown to people; they take their words from the page (data-* attributes or json_script written
   by a template with {% translate %}). `english_in_javascript()` reads every string and template
   literal (comments and regular expressions skipped) and reports those that look like English
   words; identifiers, CSS classes, selectors and event names pass. What remains and is not
   shown to people (a key name such as "Escape") goes into the allow-list
   (scripts/translation_allowlist.txt: `path<TAB>literal<TAB>why`).

Both return "path:line: message" strings; empty means clean."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
_CONTEXT_FIRST = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def gettext_misuse(files: Iterable[Path], root: Path) -> list[str]:
    problems = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        inside_fstring: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                inside_fstring |= {id(sub) for sub in ast.walk(node) if isinstance(sub, ast.Call)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) not in GETTEXT_NAMES or not node.args:
                continue
            where = f"{path.relative_to(root)}:{node.lineno}"
            if id(node) in inside_fstring:
                problems.append(f"{where}: {ast.unparse(node)[:70]} sits inside an f-string (not extracted)")
                continue
            message = (
                node.args[1] if _call_name(node) in _CONTEXT_FIRST and len(node.args) > 1 else node.args[0]
            )
            if not (isinstance(message, ast.Constant) and isinstance(message.value, str)):
                problems.append(f"{where}: {ast.unparse(node)[:70]} has no literal message (not extracted)")
    return sorted(problems, key=lambda p: (p.split(":")[0], int(p.split(":")[1])))


_EAGER = {"gettext", "pgettext", "ngettext", "npgettext"}


def eager_gettext(files: Iterable[Path], root: Path) -> list[str]:
    """gettext (not gettext_lazy) called at import time, at module level or in a class body: the text
    is fixed in the language active when the module was first imported, whatever the page's
    language (a form's label, a dict of labels). Management commands' help texts are exempt."""
    problems = []
    for path in files:
        if "commands" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
            for alias in node.names
            if alias.name in _EAGER
        }
        if not names:
            continue
        stack = list(ast.iter_child_nodes(tree))
        while stack:  # module level and class bodies; function bodies run at request time
            node = stack.pop()
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
                problems.append(
                    f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)[:60]} runs at import "
                    "(use gettext_lazy)"
                )
            stack.extend(ast.iter_child_nodes(node))
    return sorted(problems, key=lambda p: (p.split(":")[0], int(p.split(":")[1])))


# --- JavaScript ---------------------------------------------------------------------------------

_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {
    "",
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
}


def js_literals(src: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal and template-literal chunk of JavaScript source."""
    out: list[tuple[int, str]] = []
    n = len(src)

    def line_of(pos: int) -> int:
        return src.count("\n", 0, pos) + 1

    def template(i: int) -> int:
        start = i
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
            elif c == "`":
                out.append((line_of(start), src[start:i]))
                return i + 1
            elif src.startswith("${", i):
                out.append((line_of(start), src[start:i]))
                i = code(i + 2, nested=True)
                start = i
            else:
                i += 1
        return i

    def code(i: int, nested: bool = False) -> int:
        last, depth = "", 0
        while i < n:
            c = src[i]
            if c.isspace():
                i += 1
            elif src.startswith("//", i):
                j = src.find("\n", i)
                i = n if j < 0 else j
            elif src.startswith("/*", i):
                j = src.find("*/", i + 2)
                i = n if j < 0 else j + 2
            elif c in "'\"":
                j = i + 1
                while j < n and src[j] not in (c, "\n"):
                    j += 2 if src[j] == "\\" else 1
                out.append((line_of(i), src[i + 1 : j]))
                i, last = j + 1, "str"
            elif c == "`":
                i, last = template(i + 1), "str"
            elif c == "/" and last in _REGEX_AFTER:
                j, in_class = i + 1, False
                while j < n and src[j] != "\n":
                    if src[j] == "\\":
                        j += 2
                        continue
                    if src[j] == "/" and not in_class:
                        break
                    in_class = (in_class or src[j] == "[") and src[j] != "]"
                    j += 1
                i = j + 1
                while i < n and src[i].isalpha():
                    i += 1
                last = "re"
            else:
                if nested and c == "{":
                    depth += 1
                elif nested and c == "}":
                    if depth == 0:
                        return i + 1
                    depth -= 1
                word = re.match(r"[A-Za-z_$][\w$]*|\d[\w.]*", src[i:])
                if word:
                    last, i = word.group(0), i + word.end()
                else:
                    last, i = c, i + 1
        return i

    code(0)
    return out


# Text that is code, not words: CSS classes and selectors, identifiers, event names, MIME types, URLs.
_CODE_LIKE = re.compile(r"^[a-z0-9_\-\s.#:\[\]=>*\"'(),/?&%+@^$|~!{};]*$")
_IDENTIFIER = re.compile(r"^(?:[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z0-9_]{3,}|[a-z]+:[A-Za-z:]+)$")


def looks_english(text: str) -> bool:
    if not re.search(r"[A-Za-z]{2,}", text):
        return False
    return not (_CODE_LIKE.match(text) or _IDENTIFIER.match(text))


def read_allowlist(path: Path) -> set[tuple[str, str]]:
    allowed = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                parts = line.split("\t")
                allowed.add((parts[0], parts[1] if len(parts) > 1 else ""))
    return allowed


def english_in_javascript(files: Iterable[Path], root: Path, allowed: set[tuple[str, str]]) -> list[str]:
    problems = []
    for path in files:
        rel = str(path.relative_to(root))
        for line, text in js_literals(path.read_text(encoding="utf-8")):
            if looks_english(text) and (rel, text) not in allowed:
                problems.append(
                    f"{rel}:{line}: English text {text[:60]!r} (take it from the page, or allow-list it)"
                )
    return problems


def module_scripts(package: Path) -> list[Path]:
    return sorted(p for p in package.glob("*/static/*/*.js") if "vendor" not in p.parts)


def python_sources(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts)
