"""Text that people write, made safe for HTML.

Organisations write rich text (a small set of tags kept by bleach); residents write
plain text, shown with paragraphs and safe, ``nofollow`` links.
"""

from __future__ import annotations

import re

import bleach
from bleach.linkifier import Linker
from markupsafe import Markup, escape

RICH_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "a",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "abbr",
    }
)
RICH_ATTRIBUTES = {"a": ["href", "title", "hreflang"], "abbr": ["title"]}
PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _link_attrs(attrs: dict, new: bool = False) -> dict:
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http:", "https:", "mailto:", "tel:")):
        return None  # drop the link, keep its text
    attrs[(None, "rel")] = "nofollow noopener ugc"
    return attrs


_linker = Linker(callbacks=[_link_attrs], skip_tags={"pre", "code"}, parse_email=False)


def clean_text(text: str) -> str:
    """Normalise what a resident typed: no control characters, Unix newlines, trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


# Elements whose content is not text for the reader (a script, the style sheet a word
# processor pastes along): removed with their content, where ``strip`` would keep it.
# bleach first writes them as well-formed elements (whatever tricks the input tried), so
# that the pattern below finds exactly them.
_NOT_TEXT_TAGS = {"script", "style", "template", "noscript"}
_NOT_TEXT = re.compile(
    r"<(script|style|template|noscript)\b[^>]*>.*?(</\1>|\Z)", re.IGNORECASE | re.DOTALL
)


def clean_rich(html: str) -> str:
    """Organisation-written HTML, reduced to the allowed tags and safe links."""
    options = {"attributes": RICH_ATTRIBUTES, "protocols": PROTOCOLS, "strip": True}
    html = html or ""
    if _NOT_TEXT.search(html):
        html = _NOT_TEXT.sub(
            "", bleach.clean(html, tags=set(RICH_TAGS) | _NOT_TEXT_TAGS, **options)
        )
    cleaned = bleach.clean(html, tags=RICH_TAGS, **options)
    return bleach.linkify(cleaned, callbacks=[_link_attrs], parse_email=False)


def render_rich(html: str) -> Markup:
    return Markup(clean_rich(html))  # noqa: S704 - bleach output


# Anything linkify could turn into a link has a scheme, "www." or a dot between a name and
# a top-level domain; text without any of these is left as it is.
_MAYBE_LINK = re.compile(r"://|www\.|[\w-]\.[a-z]{2,}", re.IGNORECASE)


def render_plain(text: str) -> Markup:
    """Plain text to paragraphs with line breaks and auto-links; everything else escaped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", clean_text(text)) if p.strip()]
    out = []
    for para in paragraphs:
        escaped = str(escape(para)).replace("\n", "<br>\n")
        if _MAYBE_LINK.search(escaped):  # bleach's parser is slow: only when there may be work
            escaped = _linker.linkify(escaped)
        out.append(f"<p>{escaped}</p>")
    return Markup("\n".join(out))  # noqa: S704 - escaped, then linkified by bleach
