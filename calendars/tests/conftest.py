import pytest

from calendars import workdays


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test starts with an empty calendar cache: a test's rows are rolled back, its readings are not."""
    workdays.changed()
    yield
    workdays.changed()
