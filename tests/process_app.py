"""The app as a separate process sees it in tests (gunicorn, `flask scheduler run`): the
production settings from the environment, plus a fixed clock at TEST_CLOCK (ISO 8601), so a
test can file complaints "today" and sweep them weeks later.

    gunicorn 'tests.process_app:create()'
    flask --app 'tests.process_app:create()' scheduler run
"""
import os
from datetime import datetime

from supervision.app import create_app
from supervision.clock import FixedClock


def create():
    return create_app({"CLOCK": FixedClock(datetime.fromisoformat(os.environ["TEST_CLOCK"]))})
