from __future__ import annotations

import threading

import pytest
from django.db import connection

from reminders.locks import single_run


@pytest.mark.django_db(transaction=True)
def test_a_second_planner_pass_skips_while_one_runs():
    seen: list[bool] = []

    def other_process():
        try:
            with single_run("reminders.plan") as mine:
                seen.append(mine)
        finally:
            connection.close()

    with single_run("reminders.plan") as first:
        thread = threading.Thread(target=other_process)
        thread.start()
        thread.join(timeout=10)
    assert first is True
    assert seen == [False]

    thread = threading.Thread(target=other_process)
    thread.start()
    thread.join(timeout=10)
    assert seen == [False, True]  # released when the first pass ended
