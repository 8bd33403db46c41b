"""The Japanese catalogues: complete, not fuzzy, placeholders kept, compiled, and holding every
string the code marks for translation.

One catalogue per app that has a `locale/` directory; the project catalogue
(`src/kyoten/locale`) holds the rest (core, api, the shared templates), as `makemessages` files
them. Parsed here by a small reader, so the suite needs neither polib nor the gettext tools.
"""

from __future__ import annotations

import ast
import functools
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]  # src/kyoten
PROJECT_LOCALE = ROOT / "locale"
CATALOGUES = sorted(ROOT.glob("**/locale/ja/LC_MESSAGES/django.po"))


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def _unquote(text: str, path: Path, number: int) -> str:
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise AssertionError(f"{path}:{number}: not a quoted string: {text}")
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file (obsolete `#~` entries are left out), header first."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def close() -> None:
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                close()
            if line.startswith("#,"):
                current = current or Entry(number)
                current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                raise AssertionError(f"{path}:{number}: a continuation line without a keyword")
            name, index = target
            value = _unquote(line, path, number)
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        if keyword in {"msgctxt", "msgid"} and current is not None and current.msgstr:
            close()
        current = current or Entry(number)
        value = _unquote(rest, path, number)
        if keyword == "msgctxt":
            current.context, target = value, ("context", 0)
        elif keyword == "msgid":
            current.msgid, target = value, ("msgid", 0)
        elif keyword == "msgid_plural":
            current.plural, target = value, ("plural", 0)
        elif m := re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword):
            index = int(m.group(1) or 0)
            current.msgstr[index], target = value, ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{number}: unknown keyword {keyword}")
    close()
    return entries


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{\w*\}"
)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def test_there_are_catalogues():
    names = {_name(p) for p in CATALOGUES}
    assert {
        "locale/ja/LC_MESSAGES/django.po",
        "proposals/locale/ja/LC_MESSAGES/django.po",
        "allocation/locale/ja/LC_MESSAGES/django.po",
        "network/locale/ja/LC_MESSAGES/django.po",
    } <= names


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_every_entry_is_translated_and_not_fuzzy(path):
    entries = read_po(path)
    header, messages = entries[0], entries[1:]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert [(e.line, e.msgid) for e in messages if "fuzzy" in e.flags] == []
    untranslated = [
        (e.line, e.msgid) for e in messages if not e.msgstr or not all(e.msgstr.values())
    ]
    assert untranslated == []
    # Japanese has one plural form: a second msgstr[n] would never be used.
    assert [(e.line, e.msgid) for e in messages if e.plural and set(e.msgstr) != {0}] == []
    assert len({e.key for e in messages}) == len(messages), "a message appears twice"


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_placeholders_are_kept(path):
    changed = [
        (e.line, e.msgid)
        for e in read_po(path)[1:]
        for translation in e.msgstr.values()
        if placeholders(e.plural or e.msgid) != placeholders(translation)
    ]
    assert changed == []


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_compiled_catalogue_matches_the_po_file(path):
    """The .mo is what Django reads: it must be compiled from the .po as committed."""
    expected: dict = {}
    for e in read_po(path)[1:]:
        key = e.msgid if e.context is None else f"{e.context}\x04{e.msgid}"
        if e.plural is None:
            expected[key] = e.msgstr[0]
        else:
            expected.update({(key, n): text for n, text in e.msgstr.items()})
    with path.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert {k: v for k, v in compiled.items() if expected.get(k) != v} == {}
    assert [k for k in expected if k not in compiled] == []


# --- every string marked in the code is in its catalogue ---------------------------------------

PY_KEYWORDS = {
    # name: (index of the context or None, index of the message)
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
TEMPLATE_CALL = re.compile(r"(?<![\w.])(npgettext|pgettext|ngettext|gettext|_)\(")
STRING = re.compile(r"\s*u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?")


def _python_messages(path: Path) -> set[tuple[str | None, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in PY_KEYWORDS:
            continue
        ctx_at, msg_at = PY_KEYWORDS[name]
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if len(args) > msg_at and isinstance(args[msg_at], str):
            context = args[ctx_at] if ctx_at is not None else None
            if ctx_at is None or isinstance(context, str):
                found.add((context, args[msg_at]))
    return found


def _template_messages(path: Path) -> set[tuple[str | None, str]]:
    found = set()
    for line in templatize(path.read_text(encoding="utf-8")).splitlines():
        for call in TEMPLATE_CALL.finditer(line):
            literals, rest = [], line[call.end() :]
            while (m := STRING.match(rest)) and len(literals) < 3:
                literals.append(ast.literal_eval(m.group(1)))
                rest = rest[m.end() :]
            if call.group(1).startswith(("p", "np")):
                if len(literals) >= 2:
                    found.add((literals[0], literals[1]))
            elif literals:
                found.add((None, literals[0]))
    return found


def _owner(path: Path) -> Path:
    """The locale directory makemessages files a source file under."""
    for parent in path.parents:
        if parent == ROOT:
            break
        if (parent / "locale").is_dir() and parent.parent == ROOT:
            return parent / "locale"
    return PROJECT_LOCALE


@functools.cache
def marked_messages() -> dict[Path, set[tuple[str | None, str]]]:
    by_catalogue: dict[Path, set] = {}
    for path in sorted(ROOT.rglob("*")):
        if "locale" in path.parts or "__pycache__" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            found = _python_messages(path)
        elif path.suffix in {".html", ".txt"}:
            found = _template_messages(path)
        else:
            continue
        by_catalogue.setdefault(_owner(path), set()).update(found)
    return by_catalogue


def test_the_extractor_finds_what_makemessages_finds():
    """Guards the reader above: known strings of each kind of call are found."""
    marked = marked_messages()
    assert {
        (None, "Rules checklist"),  # {% translate %}
        ("funding plan", "Cost"),  # {% translate … context … %}
        (None, "%(n)s rule finding blocks submission"),  # {% blocktranslate count %}
        (None, "Saved at %(time)s"),  # _() in a view
    } <= marked[ROOT / "proposals" / "locale"]
    assert ("company need", "Open") in marked[ROOT / "network" / "locale"]  # pgettext_lazy
    assert (None, "Welcome, %(name)s") in marked[PROJECT_LOCALE]  # blocktranslate with a var


@pytest.mark.parametrize(
    "locale", sorted(marked_messages(), key=str), ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_marked_string_is_in_its_catalogue(locale):
    catalogue = {e.key for e in read_po(locale / "ja" / "LC_MESSAGES" / "django.po")[1:]}
    missing = sorted(marked_messages()[locale] - catalogue, key=str)
    assert missing == [], "run makemessages in the app and translate the new strings"
