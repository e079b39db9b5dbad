import pytest

from eraati.core.sanitize import clean_rich, render_plain


def test_rich_text_keeps_allowed_tags_and_drops_scripts():
    html = '<p>Hei <strong>kaikki</strong><script>alert(1)</script><a href="javascript:x">x</a></p>'
    out = clean_rich(html)
    assert "<strong>kaikki</strong>" in out
    assert "<script" not in out and "javascript:" not in out


def test_plain_text_is_escaped_paragraphed_and_linked():
    out = str(render_plain("Eka <b>rivi</b>\ntoka\n\nLisää: https://iisalmi.fi/kaava"))
    assert "&lt;b&gt;rivi&lt;/b&gt;" in out
    assert out.count("<p>") == 2 and "<br>" in out
    assert '<a href="https://iisalmi.fi/kaava" rel="nofollow noopener ugc">' in out


def test_plain_text_does_not_link_javascript():
    out = str(render_plain("javascript:alert(1) ja www.example.fi"))
    assert 'href="javascript' not in out


@pytest.mark.parametrize(
    "pasted",
    [
        "<p>Teksti.</p><script>alert(1)</script>",
        "<style>p.MsoNormal { margin: 0 }</style><p>Teksti.</p>",
        "<p>Teksti.</p><SCRIPT type='text/javascript'>var x = '</p>';</SCRIPT >",
        "<p>Teksti.</p><style>unclosed { color: red }",
    ],
)
def test_scripts_and_style_sheets_go_with_their_content(pasted):
    # strip=True keeps the text of removed tags: "alert(1)" or a Word style sheet would
    # otherwise show on the public page.
    assert clean_rich(pasted) == "<p>Teksti.</p>"
