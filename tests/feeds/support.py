"""Reading Atom feeds in tests: parsed, and validated against RFC 4287's schema."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("atom.rng"))))


def valid_feed(response) -> etree._Element:
    """The feed of ``response``, after checking it is a valid Atom document: the RFC's
    RELAX NG schema, and the Schematron rules of its Appendix B that the schema leaves out
    (every entry with an author, as the feed has none; an alternate link, as none has
    content)."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/atom+xml"
    root = etree.fromstring(response.get_data())
    assert _SCHEMA.validate(root), _SCHEMA.error_log
    for entry in root.iterfind(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
        links = entry.findall(f"{ATOM}link")
        assert any(link.get("rel", "alternate") == "alternate" for link in links)
    return root


def entries(root: etree._Element) -> list[dict]:
    out = []
    for entry in root.iterfind(f"{ATOM}entry"):
        out.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "summary": entry.findtext(f"{ATOM}summary") or "",
                "link": entry.find(f"{ATOM}link").get("href"),
                "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
                "updated": entry.findtext(f"{ATOM}updated"),
                "published": entry.findtext(f"{ATOM}published"),
                "lang": entry.get(XML_LANG),
            }
        )
    return out
