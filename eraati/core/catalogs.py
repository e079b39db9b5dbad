"""Translation catalogs: one per domain package, merged by Flask-Babel at run time.

    python -m eraati.core.catalogs update [DOMAIN]  # extract strings, add new ones to fi/sv .po
    python -m eraati.core.catalogs compile   # .po -> .mo (make does this)
    python -m eraati.core.catalogs check     # list strings without a fi or sv translation
    python -m eraati.core.catalogs fill DOMAIN FILE.json
        # FILE.json: {"English source": {"fi": "...", "sv": "..."}}; plural ids as "one|other"
        # with lists of two strings

A domain's strings come from ``eraati/<domain>/`` and ``templates/<domain>/``;
``core`` also owns ``eraati/*.py`` and the shared templates (base, macros, errors).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "eraati"
TEMPLATES = ROOT / "templates"
LOCALES = ("fi", "sv")  # English is the source language
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
JINJA_OPTIONS = {"silent": "false", "trimmed": "true"}


def domains() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def _sources(domain: str) -> Iterator[Path]:
    yield from sorted((PACKAGE / domain).rglob("*.py"))
    yield from sorted((TEMPLATES / domain).rglob("*.html")) if (TEMPLATES / domain).exists() else ()
    yield from sorted((TEMPLATES / domain).rglob("*.txt")) if (TEMPLATES / domain).exists() else ()
    if domain == "core":
        yield from sorted(PACKAGE.glob("*.py"))
        yield from sorted(TEMPLATES.glob("*.html"))
        for shared in ("_macros", "errors"):
            yield from sorted((TEMPLATES / shared).rglob("*.html"))


def extract(domain: str) -> Catalog:
    catalog = Catalog(project="eRaati", charset="utf-8")
    for path in _sources(domain):
        method = "python" if path.suffix == ".py" else "jinja2"
        options = {} if method == "python" else JINJA_OPTIONS
        for lineno, msg, comments, context in _extract(method, path, options):
            catalog.add(
                msg,
                None,
                [(str(path.relative_to(ROOT)), lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def _extract(method: str, path: Path, options: dict):
    yield from extract_from_file(method, str(path), keywords=KEYWORDS, options=options)


def po_path(domain: str, locale: str) -> Path:
    return PACKAGE / domain / "translations" / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(domain: str, locale: str) -> Catalog | None:
    path = po_path(domain, locale)
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def update(only: str | None = None) -> None:
    for domain in [only] if only else domains():
        template = extract(domain)
        if not len(template) and not po_path(domain, "fi").exists():
            continue
        for locale in LOCALES:
            catalog = read_catalog(domain, locale) or Catalog(locale=locale, project="eRaati")
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            path = po_path(domain, locale)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                write_po(fh, catalog, width=100, sort_by_file=False, omit_header=False)


def compile_all() -> None:
    for domain in domains():
        for locale in LOCALES:
            catalog = read_catalog(domain, locale)
            if catalog is None:
                continue
            with po_path(domain, locale).with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)


def missing() -> list[tuple[str, str, str]]:
    """(domain, locale, msgid) for every source string without a usable translation."""
    gaps = []
    for domain in domains():
        template = extract(domain)
        for locale in LOCALES:
            catalog = read_catalog(domain, locale)
            for message in template:
                if not message.id:
                    continue
                found = catalog.get(message.id, context=message.context) if catalog else None
                strings = found.string if found else None
                ok = all(strings) if isinstance(strings, (list, tuple)) else bool(strings)
                if not found or not ok or found.fuzzy:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    gaps.append((domain, locale, msgid))
    return gaps


def fill(domain: str, json_path: str) -> int:
    """Write translations from a JSON file into the domain's catalogs (after ``update``)."""
    import json

    data = json.loads(Path(json_path).read_text(encoding="utf-8"))
    unknown = 0
    for locale in LOCALES:
        catalog = read_catalog(domain, locale)
        if catalog is None:
            raise SystemExit(f"no catalog for {domain}/{locale}: run update first")
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else "|".join(message.id)
            entry = data.get(key)
            if entry and entry.get(locale):
                value = entry[locale]
                message.string = tuple(value) if isinstance(value, list) else value
                message.flags.discard("fuzzy")
        with po_path(domain, locale).open("wb") as fh:
            write_po(fh, catalog, width=100, sort_by_file=False)
    known = {m.id if isinstance(m.id, str) else "|".join(m.id) for m in extract(domain) if m.id}
    for key in data:
        if key not in known:
            unknown += 1
            print(f"not in sources (ignored): {key}")
    return 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "update":
        update(argv[2] if len(argv) > 2 else None)
    elif command == "compile":
        compile_all()
    elif command == "fill":
        return fill(argv[2], argv[3])
    elif command == "check":
        gaps = missing()
        for domain, locale, msgid in gaps:
            print(f"{domain} [{locale}] {msgid}")
        print(f"{len(gaps)} missing")
        return 1 if gaps else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
