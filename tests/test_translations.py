"""Every user-visible string has a Finnish and a Swedish translation."""

from eraati.core.catalogs import extract, missing


def test_every_ui_string_is_translated_to_finnish_and_swedish():
    gaps = missing()
    listing = "\n".join(f"{d} [{loc}] {msgid}" for d, loc, msgid in gaps[:50])
    assert not gaps, (
        f"{len(gaps)} untranslated strings (run `make messages`, then translate):\n{listing}"
    )


def test_extraction_finds_template_and_python_strings():
    # The check above is only meaningful if extraction sees the sources.
    core = {m.id for m in extract("core")}
    assert "Skip to content" in core  # templates/base.html
    assert "Page not found" in core  # templates/errors/404.html


def test_a_string_in_several_catalogs_reads_the_same_in_each():
    """Flask-Babel merges the domain catalogs: when two domains translate the same English
    string differently, which one a page shows depends on the merge order. Give the string
    one translation, or different English (for different meanings)."""
    from eraati.core.catalogs import LOCALES, domains, read_catalog

    seen: dict[tuple[str, str, str | None], dict[str, str]] = {}
    for locale in LOCALES:
        for domain in domains():
            catalog = read_catalog(domain, locale)
            for message in catalog or ():
                if message.id:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    key = (locale, msgid, message.context)
                    seen.setdefault(key, {})[domain] = str(message.string)
    clashes = [f"{k[0]} {k[1]!r}: {v}" for k, v in seen.items() if len(set(v.values())) > 1]
    assert not clashes, "\n".join(clashes)
