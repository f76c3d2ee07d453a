"""The composition root: the one place that turns Settings into connected adapters and a complete application.

    application = await build(settings)            # everything: Workday connected, the pipeline registered
    application = await build(settings, Wiring(workday=False, run_pipeline=False))   # a CLI command
    ...
    await application.aclose()

`build` returns a frozen `Application`; nothing is added to it afterwards. Only this package
names `airecruiter.adapters` (an import-linter contract): everything else sees ports.
"""

from __future__ import annotations

from airecruiter.bootstrap.adapters import Adapters, build_adapters, contact_email
from airecruiter.bootstrap.application import Activity, Application
from airecruiter.bootstrap.assembly import Wiring, assemble, build
from airecruiter.bootstrap.database import Database, open_database
from airecruiter.bootstrap.workday import WorkdayConnection, check_workday

__all__ = [
    "Activity",
    "Adapters",
    "Application",
    "Database",
    "Wiring",
    "WorkdayConnection",
    "assemble",
    "build",
    "build_adapters",
    "check_workday",
    "contact_email",
    "open_database",
]
