"""Search that knows Finnish and Swedish inflection: "pysäkki" finds "pysäkit", "koulu"
finds "koulujen", "hållplats" finds "hållplatsen".

Both databases search the same thing, a copy of each text as lemmas (``index.py``:
``search_text`` on comments and topic texts, written in Python whenever the text is);
the index over that copy lives outside the SQLAlchemy models, in DDL per database
(``schema.py``): FTS5 on SQLite, a ``tsvector`` column with a GIN index on PostgreSQL,
in the text's own language (the ``finnish``, ``swedish`` and ``english`` configurations).

Why lemmas on PostgreSQL too: its snowball stemmers alone miss the issue's own example
("hållplats" -> 'hållplat', "hållplatsen" -> 'hållplats') and Finnish consonant gradation
("katu"/"kadun", "tupa"/"tuvan", "lehti"/"lehden", "pato"/"padon", "mäki"/"mäen");
simplemma's dictionaries know them, and the stemmer, run over the lemmas, still joins
forms of the words simplemma does not know (place names).
"""
