from tests.manage.conftest import browser  # noqa: F401 - the staff pages' test browser
