"""Shared pytest configuration: report which backend the run imports."""

import importlib.util


def pytest_report_header(config):
    for name in ("cloaca_postgres", "cloaca_sqlite"):
        if importlib.util.find_spec(name) is not None:
            return f"cloaca backend: {name}"
    return "cloaca backend: none installed"
