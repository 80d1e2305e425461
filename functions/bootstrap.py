"""Wiring for the cloud entry points: configuration and ports, built once per instance.

Read lazily on the first call (never at import): ``GUONGMAU_CONFIG`` names the settings file
deployed with the source (default ``guongmau.yaml``); ``GUONGMAU_EMULATOR`` points the
clients at the local emulator instead of Google.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

from functions.adapters import clients as client_factory
from functions.adapters.pacing import Limiter
from functions.adapters.retry import Gate
from functions.config import load
from functions.config.deployment import Deployment
from functions.services import emulator_setup
from functions.services.workspace import Workspace, connect, limiter_for


@functools.cache
def _deployment() -> Deployment:
    environ = os.environ
    deployment = load(Path(environ.get("GUONGMAU_CONFIG", "guongmau.yaml")))
    emulator_url = environ.get("GUONGMAU_EMULATOR")
    if emulator_url:
        deployment = emulator_setup.prepare(emulator_url, deployment)
    return deployment


@functools.cache
def _limiter() -> Limiter | None:
    """One quota limiter per instance: its threads act as the same identity, one quota."""
    return limiter_for(_deployment().settings.pacing)


class _Context:
    """``context()``: the deployment (read once) and the ports of the calling thread.

    The ports are per thread: an instance serving several requests at once (Cloud Run
    concurrency, a threaded local server) must not share httplib2 connections, which are not
    thread-safe. ``context.cache_clear()`` forgets both (tests).
    """

    def __init__(self) -> None:
        self.local = threading.local()
        self.generation = 0

    def __call__(self) -> tuple[Deployment, Workspace]:
        deployment = _deployment()
        found = getattr(self.local, "ports", None)
        if found is None or found[0] != self.generation:
            clients = client_factory.for_environment(os.environ)
            gate = Gate(pacer=_limiter())  # the thread's own gate (deadline), shared pacing
            found = (self.generation, connect(clients, deployment.settings, gate=gate))
            self.local.ports = found
        return deployment, found[1]

    def cache_clear(self) -> None:
        _deployment.cache_clear()
        _limiter.cache_clear()
        self.generation += 1


context = _Context()

