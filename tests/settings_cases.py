"""Two tests run in this order, in one process, by ``test_isolation.py`` (this file is not
collected by the suite itself): the first changes the shared app's settings and leaves
them so, the second must not see it."""

from __future__ import annotations

from config import TestingConfig


def test_leaves_settings_changed(app):
    app.config["ANONYMOUS_COMMENT_RATE_LIMIT"] = "1 per 10 minutes"  # as the proxy test once did
    app.config["EXPORT_DIR"] = "/nonexistent/not-a-directory"
    del app.config["INVITATION_MAX_AGE"]
    app.config["LEFT_BEHIND"] = True


def test_gets_the_settings_back(app):
    assert app.config["ANONYMOUS_COMMENT_RATE_LIMIT"] == TestingConfig.ANONYMOUS_COMMENT_RATE_LIMIT
    assert app.config["EXPORT_DIR"] == TestingConfig.EXPORT_DIR
    assert app.config["INVITATION_MAX_AGE"] == TestingConfig.INVITATION_MAX_AGE
    assert "LEFT_BEHIND" not in app.config
