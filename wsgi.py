"""WSGI entry point: ``gunicorn wsgi:app`` (ERAATI_ENV=production in production)."""

from eraati import create_app

app = create_app()
