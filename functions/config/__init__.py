"""Configuration: the settings file, the units and roster files, and the plan data of forms/.

`load(path)` reads and validates everything before anything else happens; on failure it raises
`ConfigError` whose `problems` name the file, row and column of each mistake.
"""

from functions.config.deployment import Deployment, context, load
from functions.config.errors import ConfigError, Problem
from functions.config.settings import (
    Agency,
    Notifications,
    ResponderKind,
    Responders,
    Schedule,
    Settings,
    Storage,
)

__all__ = [
    "Agency",
    "ConfigError",
    "Deployment",
    "Notifications",
    "Problem",
    "ResponderKind",
    "Responders",
    "Schedule",
    "Settings",
    "Storage",
    "context",
    "load",
]
