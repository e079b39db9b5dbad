"""The council report of a topic, as DOCX (python-docx) and PDF (HTML + WeasyPrint)."""
