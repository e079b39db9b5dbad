"""One splitting of a part's text into numbered paragraphs, for the page and the quotes."""

from eraati.parts.paragraphs import split


def test_blocks_are_numbered_in_order_and_headings_are_not():
    text = split(
        "<h2>Tausta</h2><p>Eka <strong>kappale</strong>.</p>"
        "<ul><li>Yksi</li><li>Kaksi</li></ul><blockquote>Lainaus</blockquote>"
        "<h3>Lisää</h3><ol><li>Kolme</li></ol>"
    )
    assert [(p.number, p.tag, p.text) for p in text.paragraphs] == [
        (1, "p", "Eka kappale."),
        (2, "li", "Yksi"),
        (3, "li", "Kaksi"),
        (4, "blockquote", "Lainaus"),
        (5, "li", "Kolme"),
    ]
    assert [b.kind for b in text.blocks] == [
        "heading",
        "paragraph",
        "list",
        "paragraph",
        "heading",
        "list",
    ]
    assert [p.anchor for p in text.paragraphs][:2] == ["p-1", "p-2"]
    assert str(text.paragraphs[0].html) == "Eka <strong>kappale</strong>."


def test_the_text_is_sanitised_first():
    text = split(
        '<p onclick="x()">Hyvä<script>alert(1)</script></p><p><a href="javascript:x">Linkki</a></p>'
    )
    assert [p.text for p in text.paragraphs] == ["Hyvä", "Linkki"]
    assert "script" not in str(text.paragraphs[0].html)
    assert "onclick" not in str(text.paragraphs[0].html)
    assert "javascript" not in str(text.paragraphs[1].html)


def test_loose_text_is_split_at_empty_lines_and_empty_blocks_are_skipped():
    text = split("Ensimmäinen rivi\n\nToinen <em>rivi</em><p>   </p><p>Kolmas</p>")
    assert [p.text for p in text.paragraphs] == ["Ensimmäinen rivi", "Toinen rivi", "Kolmas"]


def test_the_numbers_depend_only_on_the_text():
    body = "<p>A</p><ul><li>B</li></ul><p>C &amp; D</p>"
    assert split(body) == split(body)
    assert split(body).get(3).text == "C & D"
    assert split(body).get(0) is None and split(body).get(4) is None


def test_an_empty_text_has_no_paragraphs():
    assert split("").paragraphs == () and split(None).blocks == ()
