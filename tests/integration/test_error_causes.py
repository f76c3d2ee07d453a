"""A re-raised error keeps its cause for the log, unless the cause would print a secret."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from airecruiter.config_parsing import parse_networks
from airecruiter.db.connectivity import wait_for_database
from airecruiter.errors import ConfigurationError


async def test_a_database_that_refuses_us_is_a_configuration_error_caused_by_the_drivers(server_url: str) -> None:
    url = make_url(server_url).set(database="airecruiter_no_such_database").render_as_string(hide_password=False)
    with pytest.raises(ConfigurationError, match="refused the connection") as raised:
        await wait_for_database(url, connect_timeout=5)
    assert raised.value.__cause__ is not None
    assert "no_such_database" in str(raised.value.__cause__)


async def test_a_malformed_database_url_hides_the_parsers_error_which_may_quote_the_password() -> None:
    with pytest.raises(ConfigurationError, match="not a valid PostgreSQL URL") as raised:
        await wait_for_database("postgresql://user:s3cret@host:notaport/db")
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert "s3cret" not in str(raised.value)


def test_an_unreadable_proxy_address_keeps_the_parsers_error_as_its_cause() -> None:
    with pytest.raises(ValueError, match="comma-separated IP addresses") as raised:
        parse_networks("10.0.0.0/8, not-an-address")
    assert isinstance(raised.value.__cause__, ValueError)
