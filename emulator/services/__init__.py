"""Handlers of the emulated REST methods, registered by discovery method id."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emulator.core import Call

Handler = Callable[["Call"], Any]
HANDLERS: dict[str, Handler] = {}


def handles(*method_ids: str) -> Callable[[Handler], Handler]:
    """Registers a handler for one or more discovery method ids."""

    def register(handler: Handler) -> Handler:
        for method_id in method_ids:
            if method_id in HANDLERS:
                raise RuntimeError(f"two handlers for {method_id}")
            HANDLERS[method_id] = handler
        return handler

    return register


def load_all() -> None:
    """Imports every service module so that its handlers register."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
