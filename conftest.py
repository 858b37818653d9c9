"""What `make test` asks of nbval's run of the learner notebooks, beyond "no cell raises".

Each check cell of a learner notebook must report its exercise as "not attempted": a checker
that fails or passes the placeholder would mislead every learner who runs the notebook.
"""

from __future__ import annotations

import pytest

from mlcourse.exercises import MIME_TYPE, NOT_ATTEMPTED


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    outputs = getattr(item, "test_outputs", None)
    if call.when != "call" or not report.passed or not outputs:
        return
    for output in outputs:
        bundle = (output.get("data") or {}).get(MIME_TYPE) if hasattr(output, "get") else None
        if bundle and bundle.get("status") != NOT_ATTEMPTED:
            report.outcome = "failed"
            report.longrepr = (f"Exercise {bundle.get('id')} reports {bundle.get('status')!r} "
                               f"on the unanswered notebook, not {NOT_ATTEMPTED!r}: "
                               f"{bundle.get('message')}")
