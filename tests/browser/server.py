"""The app in a real server process for the browser tests, with the demo data loaded.

``python -m tests.browser.server`` serves the test app (CSRF on, e-mail sent to an SMTP
server on 127.0.0.1 with ``--smtp-port``, else written to files, generous rate limits) on
a free port of 127.0.0.1 and prints ``READY <url>`` when it answers; the browser suite
starts one per xdist worker (``conftest.live_server``), with a ``MailSink`` of its own.
Run it by hand to look at the same site: ``python -m tests.browser.server --port 5001``.

The database is a SQLite file in a temporary folder unless ``--database-url`` names one
(the suite passes a PostgreSQL database of its own when ``ERAATI_TEST_DATABASE_URL`` is
set). Its tables are created and ``eraati.consultations.demo.seed()`` fills them.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from werkzeug.serving import make_server

from config import TestingConfig
from eraati import create_app
from eraati.consultations import demo
from eraati.extensions import db
from eraati.organisations.models import Organisation

HOST = "127.0.0.1"
# High enough that a whole session of journeys from one address never meets them; the
# limits stay switched on, so the limiter's code runs as in production.
# (The residents' writing limits are the test configuration's, as high.)
TEST_LIMITS = {
    "LOGIN_DEVICE_LIMIT": "1000 per minute",
    "LOGIN_ACCOUNT_LIMIT": "1000 per minute",
    "LOGIN_ADDRESS_LIMIT": "1000 per minute",
    "LOGIN_RATE_LIMIT": "1000 per minute",
    "REGISTER_RATE_LIMIT": "1000 per minute",
    "MAIL_RATE_LIMIT": "1000 per minute",
    "ANONYMOUS_COMMENT_RATE_LIMIT": "1000 per minute",
    "ANONYMOUS_COMMENT_ADDRESS_LIMIT": "1000 per minute",
}


def build_app(database_url: str, mail_dir: str, smtp_port: int | None = None):
    """The test app as a browser meets it: CSRF checked, links to this host, mail sent to
    the SMTP server on ``smtp_port`` of 127.0.0.1 (the suite's ``MailSink``), or written
    to files in ``mail_dir`` without one."""
    mail = (
        {"MAIL_BACKEND": "smtp", "MAIL_SERVER": HOST, "MAIL_PORT": smtp_port}
        if smtp_port
        else {"MAIL_BACKEND": "file", "MAIL_FILE_PATH": mail_dir}
    )
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_RECORD_QUERIES=False,
        WTF_CSRF_ENABLED=True,
        SERVER_NAME=None,  # pages answer for any host, as in development
        **mail,
        RATELIMIT_ENABLED=True,
        # Topic maps may load tiles from a stub on 127.0.0.1 over http (tests/browser/test_map.py).
        MAP_TILES_LOOPBACK_HTTP=True,
        **TEST_LIMITS,
    )
    with app.app_context():
        db.create_all()
        demo.seed()
        # Nothing in the tests reaches outside 127.0.0.1: the demo's tile server (Iisalmi's
        # OpenStreetMap tiles) is forgotten; test_map.py points Iisalmi at its local stub.
        db.session.execute(sa.update(Organisation).values(map_tile_url=None))
        db.session.commit()
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 (default): any free port")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--mail-dir", help="where e-mails are written; default: a temporary one")
    parser.add_argument(
        "--smtp-port", type=int, help="send e-mail to this SMTP server of 127.0.0.1 instead"
    )
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="eraati-browser-"))
    database_url = args.database_url or f"sqlite:///{scratch / 'browser.sqlite3'}"
    mail_dir = args.mail_dir or str(scratch / "mail")
    app = build_app(database_url, mail_dir, args.smtp_port)

    server = make_server(HOST, args.port, app, threaded=True)
    # Links in e-mails point at the public address: this server's, once it has a port.
    app.config["PUBLIC_URL"] = f"http://{HOST}:{server.server_port}/"
    # SIGTERM from the suite ends serve_forever() cleanly (closing the database pool).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    mail = f"smtp://{HOST}:{args.smtp_port}" if args.smtp_port else mail_dir
    print(f"READY http://{HOST}:{server.server_port}  mail: {mail}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
