"""`airecruiter users …`: the operator makes the first admin, then signs in with it."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.services.users import authenticate
from tests.integration.processes import ROOT


def _cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "200", "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "airecruiter", "users", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_users_create_makes_an_admin_who_can_sign_in_with_the_printed_password(
    db: AsyncEngine,
    database_url: str,
) -> None:
    made = _cli(database_url, "create", "ada", "--generate")
    assert made.returncode == 0, made.stderr
    assert "Created admin ada" in made.stdout
    password = made.stdout.split("Password (shown once): ")[1].split()[0]
    user = await authenticate(db, username="ada", password=password)
    assert user is not None and user.role == "admin"
    async with db.connect() as conn:
        logged = await conn.scalar(text("SELECT details FROM activities WHERE action = 'user_created'"))
    assert logged == {"username": "ada", "role": "admin"}  # the password never reaches the log


async def test_a_typed_password_is_asked_twice_and_must_be_long_enough(db: AsyncEngine, database_url: str) -> None:
    short = _cli(database_url, "create", "rita", "--role", "recruiter", stdin="short\nshort\n")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    typed = "a long enough passphrase"
    made = _cli(database_url, "create", "rita", "--role", "recruiter", stdin=f"{typed}\n{typed}\n")
    assert made.returncode == 0, made.stderr
    user = await authenticate(db, username="rita", password=typed)
    assert user is not None and user.role == "recruiter"


async def test_a_taken_username_or_unknown_role_is_refused_with_a_sentence(db: AsyncEngine, database_url: str) -> None:
    assert _cli(database_url, "create", "ada", "--generate").returncode == 0
    again = _cli(database_url, "create", "ada", "--generate")
    assert again.returncode == 1 and "A user named 'ada' already exists." in again.stderr
    odd = _cli(database_url, "create", "bob", "--role", "owner", "--generate")
    assert odd.returncode == 1 and "Unknown role 'owner'" in odd.stderr
    bad = _cli(database_url, "create", "bob smith", "--generate")
    assert bad.returncode == 1 and "not a valid username" in bad.stderr


async def test_set_password_replaces_the_old_one(db: AsyncEngine, database_url: str) -> None:
    made = _cli(database_url, "create", "ada", "--generate")
    assert made.returncode == 0, made.stderr
    old = made.stdout.split("Password (shown once): ")[1].split()[0]
    reset = _cli(database_url, "set-password", "ada", "--generate")
    assert reset.returncode == 0, reset.stderr
    new = reset.stdout.split("Password (shown once): ")[1].split()[0]
    assert await authenticate(db, username="ada", password=old) is None
    assert await authenticate(db, username="ada", password=new) is not None
    listed = _cli(database_url, "list")
    assert listed.stdout.split()[:3] == ["ada", "admin", "active"]


async def test_deactivate_stops_sign_ins_and_set_password_never_reactivates(db: AsyncEngine, database_url: str) -> None:
    made = _cli(database_url, "create", "ada", "--generate")
    password = made.stdout.split("Password (shown once): ")[1].split()[0]
    async with db.begin() as conn:  # a session the deactivation must end
        await conn.execute(
            text(
                "INSERT INTO console_sessions (token_hash, user_id, csrf_token, expires_at)"
                " SELECT 'h', id, 'c', now() + interval '1 hour' FROM users WHERE username = 'ada'"
            )
        )
    gone = _cli(database_url, "deactivate", "ada")
    assert gone.returncode == 0, gone.stderr
    assert "Deactivated ada" in gone.stdout
    assert await authenticate(db, username="ada", password=password) is None
    async with db.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM console_sessions")) == 0
    reset = _cli(database_url, "set-password", "ada", "--generate")
    assert reset.returncode == 0, reset.stderr
    new = reset.stdout.split("Password (shown once): ")[1].split()[0]
    assert await authenticate(db, username="ada", password=new) is None  # still deactivated
    assert _cli(database_url, "list").stdout.split()[:3] == ["ada", "admin", "inactive"]
    back = _cli(database_url, "activate", "ada")
    assert back.returncode == 0, back.stderr
    assert await authenticate(db, username="ada", password=new) is not None
    missing = _cli(database_url, "deactivate", "nobody")
    assert missing.returncode == 1 and "There is no user named 'nobody'" in missing.stderr


async def test_set_role_changes_the_role_and_ends_the_users_sessions(db: AsyncEngine, database_url: str) -> None:
    assert _cli(database_url, "create", "ada", "--generate").returncode == 0
    async with db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO console_sessions (token_hash, user_id, csrf_token, expires_at)"
                " SELECT 'h', id, 'c', now() + interval '1 hour' FROM users WHERE username = 'ada'"
            )
        )
    changed = _cli(database_url, "set-role", "ada", "recruiter")
    assert changed.returncode == 0, changed.stderr
    assert _cli(database_url, "list").stdout.split()[:2] == ["ada", "recruiter"]
    async with db.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM console_sessions")) == 0
        ended = await conn.scalar(text("SELECT details FROM activities WHERE action = 'session_ended'"))
    assert ended == {"username": "ada", "reason": "role_changed", "sessions": 1}
    odd = _cli(database_url, "set-role", "ada", "owner")
    assert odd.returncode == 1 and "Unknown role 'owner'" in odd.stderr
