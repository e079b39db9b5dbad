"""eRaati: participatory e-consultation for Finnish municipalities."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, g, has_request_context, request
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, INSTANCE_DIR, ProductionConfig
from eraati.core import links

ROOT = Path(__file__).resolve().parent.parent
# Domain packages, each with (as needed) ``models``, a ``cli`` module and ``views.bp``.
DOMAINS = (
    "accounts",
    "organisations",
    "consultations",
    "parts",
    "events",
    "places",
    "notifications",
    "moderation",
    "curation",
    "analysis",
    "manage",
    "audit",
    "exports",
    "results",
    "feeds",
    "jobs",
    "api",
    "retention",
    "backup",
)


def _normalise_db_url(url: str) -> str:
    """Accept the usual ``postgres://`` forms and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_app(config: type | str | None = None, **overrides) -> Flask:
    """The only app builder. ``config`` is a class (tests) or a name; else ``ERAATI_ENV``,
    which defaults to production: a server started without it refuses to run on defaults."""
    if config is None:
        config = os.environ.get("ERAATI_ENV", "production")
    config_cls = CONFIGS[config] if isinstance(config, str) else config

    app = links.App(  # absolute addresses at the public address (eraati/core/links.py)
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=True,
    )
    app.config.from_object(config_cls)
    if not app.testing:  # tests pass their class directly: the shell can't leak in
        for env_name, key in (
            ("SECRET_KEY", "SECRET_KEY"),
            ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
        ):
            if os.environ.get(env_name):
                app.config[key] = os.environ[env_name]
        app.config.from_prefixed_env("ERAATI")
    app.config.update(overrides)
    if issubclass(config_cls, ProductionConfig):
        config_cls.check(app.config)
        # Requests for any other host are refused (400): the site's own pages and API, too,
        # never make addresses from a Host header the sender chose.
        app.config["TRUSTED_HOSTS"] = links.trusted_hosts(app.config)
        links.refuse_other_ports(app)  # ... and only at its port
    elif app.config.get("PUBLIC_URL") and (problem := links.problem(app.config["PUBLIC_URL"])):
        raise RuntimeError(problem)
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _postgresql_options(
            app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        )
    os.makedirs(app.instance_path, exist_ok=True)

    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:  # the client's address and scheme as the trusted proxies saw them
        # Not X-Forwarded-Host: the host is the one nginx passes (its server_name), and
        # links in e-mails come from PUBLIC_URL whatever a request says.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    _init_extensions(app)
    _register_blueprints(app)
    _init_templates(app)
    return app


def _init_extensions(app: Flask) -> None:
    from eraati.core import errors, hyphens, i18n, logs, metrics, security
    from eraati.core.i18n import select_locale, translation_directories
    from eraati.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from eraati.jobs import metrics as job_metrics

    # First: the request's id and clock start before any other hook can log or refuse.
    logs.init_app(app)
    metrics.init_app(app)
    metrics.on_scrape(app, job_metrics.collect)
    db.init_app(app)
    # The search index: search_text written with each text, and its DDL per database.
    importlib.import_module("eraati.analysis.search.index")
    importlib.import_module("eraati.analysis.search.schema")
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=";".join(translation_directories()),
    )
    # Templates find the catalogue once per request, WTForms its own once per process.
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    security.init_app(app)
    hyphens.init_app(app)  # soft hyphens in headings' long words
    errors.init_app(app)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)
            sa.event.listen(db.engine, "begin", _sqlite_begin)


def _postgresql_options(options: dict) -> dict:
    """PostgreSQL's JIT compiler costs 0.7-1.8 s on the export queries (it plans for
    millions of rows) and never pays off for eRaati's short statements: it is off."""
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = (connect_args.get("options", "") + " -c jit=off").strip()
    return {**options, "connect_args": connect_args}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL keeps the database consistent on a crash and skips an fsync per
    # commit (a power cut may lose the last commits, never corrupt the file).
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(connection) -> None:
    """A request that may write takes SQLite's write lock when its transaction begins.

    A deferred transaction that has read and then writes cannot wait for another
    writer: SQLite answers "database is locked" at once (its snapshot is stale), so
    two residents sending at the same moment got a 503. ``BEGIN IMMEDIATE`` waits
    (``busy_timeout``) instead. Everything else keeps the driver's own transactions,
    which begin at the first write (reading pages and commands read the newest rows
    beside a writer, as WAL allows)."""
    if (
        has_request_context()
        and request.method not in ("GET", "HEAD", "OPTIONS")
        and not g.get("worker_transactions")  # a job run inline (``jobs.queue.call``)
    ):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _register_blueprints(app: Flask) -> None:
    from eraati.cli import eraati_cli
    from eraati.core import views as core_views

    app.register_blueprint(core_views.bp)
    for name in DOMAINS:
        for optional in ("models", "cli", "views"):
            try:
                module = importlib.import_module(f"eraati.{name}.{optional}")
            except ModuleNotFoundError as exc:
                if exc.name != f"eraati.{name}.{optional}":
                    raise
                continue
            if optional == "views":
                app.register_blueprint(module.bp)
    app.cli.add_command(eraati_cli)
    if app.config.get("BENCHMARK_ROUTES"):
        from eraati.core import bench

        app.register_blueprint(bench.bp)


def _init_templates(app: Flask) -> None:
    from eraati.core import i18n
    from eraati.core.focus import focus_attrs
    from eraati.core.i18n import LANGUAGE_NAMES, LANGUAGES
    from eraati.core.sanitize import render_plain, render_rich
    from eraati.permissions import can, staff_organisations

    app.add_template_global(can)
    app.add_template_global(staff_organisations)
    app.add_template_global(focus_attrs)
    app.add_template_global(links.site_host)
    app.jinja_env.filters["rich"] = render_rich
    app.jinja_env.filters["plain"] = render_plain
    app.jinja_env.filters["datetime"] = i18n.format_moment
    app.jinja_env.filters["date"] = i18n.format_day
    app.jinja_env.filters["number"] = i18n.format_count  # "20 000", "20,000"
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def languages():
        return {
            "LANGUAGES": LANGUAGES,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "current_locale": str(get_locale() or "fi"),
        }
