"""A local Workday tenant: SOAP Recruiting over real HTTP on 127.0.0.1, seeded data, fault switches.

`SandboxServer` serves it; `seed_tenant` builds the data; `Chaos` holds the switches. The demo,
the tests and a developer without a tenant point the real Workday client at it.
"""

from airecruiter.sandbox.chaos import Chaos
from airecruiter.sandbox.seed import scale_tenant, seed_tenant
from airecruiter.sandbox.server import SandboxServer
from airecruiter.sandbox.tenant import Tenant

__all__ = ["Chaos", "SandboxServer", "Tenant", "scale_tenant", "seed_tenant"]
