"""A service whose life ends by an error (a failing test, a crash in the serving code)
still stops its broker: its consumers do not go on answering commands meant for others.
(A failed test's intake once acknowledged the next tests' privacy commands with nothing.)"""

import pytest

from entraide.intake.app import create_app as intake_app
from tests.support import serving

pytestmark = [pytest.mark.kafka, pytest.mark.store]


class FailedError(Exception):
    pass


async def _fail_while_serving(app) -> None:
    async with serving(app):
        assert app.state.broker.running
        raise FailedError


async def test_an_error_in_the_app_s_life_stops_its_broker(intake_settings) -> None:
    app = intake_app(intake_settings)
    with pytest.raises(FailedError):
        await _fail_while_serving(app)
    assert not app.state.broker.running
