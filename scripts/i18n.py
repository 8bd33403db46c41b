"""Keep the Japanese catalogues current.

    python scripts/i18n.py update [NEWAPP ...] makemessages for every app (NEWAPP: make its
                                              locale/ first), fill
                                              empty entries from every other catalogue, compile,
                                              and list what is still untranslated
    (either with --ref=GITREF: also take translations from the catalogues at that commit)
    python scripts/i18n.py fill FILE.json     add translations {"msgid": "訳", ...} (or
                                              {"context\\x04msgid": ...}) where empty, compile

Needs GNU gettext (xgettext, msgmerge, msgfmt). Run from the project root with the venv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "kyoten"
PY = sys.executable


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("**/locale/ja/LC_MESSAGES/django.po"))


def load(path: Path):
    sys.path.insert(0, str(ROOT.parent))
    from kyoten.core.tests.test_catalogues import read_po

    return read_po(path)


def memory(refs: list[str]) -> dict[tuple, str]:
    """Every translation in the catalogues of the work tree and of the git `refs` (after a
    merge, the other side's catalogues)."""
    import tempfile

    known: dict[tuple, str] = {}
    sources = list(catalogues())
    tmp = Path(tempfile.mkdtemp())
    for ref in refs:
        names = subprocess.run(
            ["git", "ls-tree", "-r", "--name-only", ref, "src/kyoten"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        for n, name in enumerate(x for x in names if x.endswith("LC_MESSAGES/django.po")):
            text = subprocess.run(
                ["git", "show", f"{ref}:{name}"], capture_output=True, text=True, check=True
            ).stdout
            path = tmp / f"{n}.po"
            path.write_text(text, encoding="utf-8")
            sources.append(path)
    for po in sources:
        for e in load(po):
            if e.msgid and e.msgstr.get(0) and "fuzzy" not in e.flags:
                known.setdefault((e.context, e.msgid), e.msgstr[0])
    return known


def fill(po: Path, known: dict[tuple, str]) -> list[str]:
    """Write translations into empty msgstr entries (single forms only); unfuzz filled ones."""
    lines = po.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    missing: list[str] = []
    block: list[str] = []

    def flush(block: list[str]) -> list[str]:
        has_plural = any(b.startswith("msgid_plural") for b in block)
        cur = None
        parts: dict[str, str] = {}
        for b in block:
            for key in ("msgctxt", "msgid", "msgstr"):
                if b.startswith(key + " "):
                    cur = key
                    parts[key] = json.loads(b[len(key) + 1 :])
                    break
            else:
                if b.startswith('"') and cur:
                    parts[cur] += json.loads(b)
                elif not b.startswith('"'):
                    cur = None if not b.startswith("msgstr[") else "plural"
        ctx, msgid, msgstr = parts.get("msgctxt"), parts.get("msgid"), parts.get("msgstr")
        if not msgid or has_plural:
            if any(b.strip() == 'msgstr[0] ""' for b in block):
                missing.append(msgid or "")  # plural forms are translated by hand
            return block
        fuzzy = any(b.startswith("#,") and "fuzzy" in b for b in block)
        if msgstr and not fuzzy:
            return block
        value = known.get((ctx, msgid))
        if value is None:
            missing.append(msgid)
            return block
        new = []
        skip = False
        for b in block:
            if b.startswith("#,") and "fuzzy" in b:
                flags = [f.strip() for f in b[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
                if flags:
                    new.append("#, " + ", ".join(flags))
                continue
            if b.startswith("#|"):
                continue
            if b.startswith("msgstr "):
                new.append("msgstr " + json.dumps(value, ensure_ascii=False))
                skip = True
                continue
            if skip and b.startswith('"'):
                continue
            skip = False
            new.append(b)
        return new

    for line in lines + [""]:
        if line.strip() == "":
            if block:
                out.extend(flush(block))
                block = []
            out.append(line)
        else:
            block.append(line)
    po.write_text("\n".join(out[:-1]), encoding="utf-8")
    return missing


def makemessages(app_dir: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kyoten.settings"}
    subprocess.run(
        [PY, "-m", "django", "makemessages", "-l", "ja", "--no-obsolete", "--no-location"],
        cwd=app_dir,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def compile_all() -> None:
    for po in catalogues():
        subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"update", "fill"}:
        print(__doc__)
        return 2
    refs = [a.split("=", 1)[1] for a in argv if a.startswith("--ref=")]
    argv = [a for a in argv if not a.startswith("--ref=")]
    known = memory(refs)
    if argv[0] == "fill":
        for key, value in json.loads(Path(argv[1]).read_text(encoding="utf-8")).items():
            ctx, _, msgid = key.rpartition("\x04")
            known[(ctx or None, msgid)] = value
        targets = catalogues()
    else:
        # One run from src/kyoten files each app's strings under the app's own locale/.
        for app in argv[1:]:
            (ROOT / app / "locale" / "ja" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        makemessages(ROOT)
        targets = catalogues()
    status = 0
    for po in targets:
        missing = fill(po, known)
        for m in missing:
            print(f"{po.relative_to(ROOT)}: {m!r}")
            status = 1
    compile_all()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
