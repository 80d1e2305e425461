"""Fixtures shared by the end-to-end tests."""

from tests.e2e.browser_helpers import browser  # noqa: F401  (a fixture, for pytest to find)
