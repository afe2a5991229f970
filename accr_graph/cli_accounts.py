"""`accr-graph users ...` and `accr-graph tokens ...`: first setup on a new deployment."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from accr_graph.cli_common import CliError, run_service
from accr_graph.db import models as m
from accr_graph.db.base import utcnow

T = TypeVar("T")


def _days(raw: str) -> int:
    """0 (never expires) to ten years."""
    if not raw.isdigit() or int(raw) > 3650:
        raise argparse.ArgumentTypeError(f"{raw!r}: give 0 (never expires) to 3650 days")
    return int(raw)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CliError("no terminal to ask for the password: use --password-stdin")
    try:
        first = getpass.getpass("Password: ")
        again = getpass.getpass("Repeat: ")
    except EOFError:
        raise CliError("no password given (no terminal): use --password-stdin") from None
    if again != first:
        raise CliError("the passwords differ")
    return first


def cmd_users_create(args: argparse.Namespace) -> None:
    from accr_graph.services import auth

    password = _password(args)
    role = m.UserRole(args.role)
    user = run_service(auth.create_user, args.email, role, args.centre, password)
    print(f"created {user.role.value} {user.email}")


def cmd_users_set_password(args: argparse.Namespace) -> None:
    from accr_graph.services import auth

    password = _password(args)
    user = run_service(auth.set_password, args.email, password)
    print(f"password changed for {user.email}")


def cmd_tokens_create(args: argparse.Namespace) -> None:
    from accr_graph.services import auth

    scopes = [s for s in args.scopes.split(",") if s]
    expires = utcnow() + timedelta(days=args.days) if args.days else None
    issued = run_service(auth.create_token_for, args.user, args.name, scopes, expires)
    print(f"token {issued.token.prefix}… for {args.user}, scopes {','.join(issued.token.scopes)}")
    print("secret (shown once, store it now):")
    print(issued.secret)


def _tokens(run: Callable[[Any], Awaitable[T]]) -> T:
    """Run a service call with the configured database; its refusal is a one-line error."""
    from accr_graph.db.session import create_engine, create_sessionmaker
    from accr_graph.services.errors import ServiceFailure
    from accr_graph.settings import get_settings

    async def go() -> T:
        engine = create_engine(get_settings())
        try:
            return await run(create_sessionmaker(engine))
        except ServiceFailure as failure:
            raise CliError(getattr(failure.failure, "message", str(failure))) from None
        finally:
            await engine.dispose()

    return asyncio.run(go())


def cmd_tokens_list(args: argparse.Namespace) -> None:
    from accr_graph.services import account

    rows = _tokens(lambda db: account.all_tokens(db, args.user))
    print(f"{'id':>5}  {'prefix':<14} {'owner':<40} {'scopes':<22} {'state':<8} name")
    for token, owner in rows:
        state = "revoked" if token.revoked_at else "active"
        scopes = ",".join(token.scopes)
        prefix = token.prefix + "…"
        print(f"{token.id:>5}  {prefix:<14} {owner:<40} {scopes:<22} {state:<8} {token.name}")


def cmd_tokens_revoke(args: argparse.Namespace) -> None:
    from accr_graph.services import account

    token = _tokens(lambda db: account.revoke_token_as_operator(db, args.id))
    print(f"token {token.id} ({token.prefix}…) revoked")


def _token_id(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= 10 and int(raw) < 2**31):
        raise argparse.ArgumentTypeError(f"{raw!r}: give a token id (see `tokens list`)")
    return int(raw)


def add_account_commands(sub: Any) -> None:
    users = sub.add_parser("users", help="user accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="COMMAND")
    create = users_sub.add_parser("create", help="create a user (asks for the password)")
    create.add_argument("--email", required=True)
    create.add_argument("--role", choices=[r.value for r in m.UserRole], default="member")
    create.add_argument("--centre", help="slug of the member's centre")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )
    create.set_defaults(func=cmd_users_create)
    setpw = users_sub.add_parser("set-password", help="set a user's password")
    setpw.add_argument("--email", required=True)
    setpw.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    setpw.set_defaults(func=cmd_users_set_password)
    tokens = sub.add_parser("tokens", help="API tokens")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", required=True, metavar="COMMAND")
    tcreate = tokens_sub.add_parser("create", help="create an API token and print its secret once")
    tcreate.add_argument("--user", required=True, help="e-mail of the token's owner")
    tcreate.add_argument("--scopes", default="read", help="comma-separated: read,write,fair,admin")
    tcreate.add_argument("--name", default="cli", help="what the token is for")
    tcreate.add_argument("--days", type=_days, default=0, help="expires after N days (0: never)")
    tcreate.set_defaults(func=cmd_tokens_create)
    tlist = tokens_sub.add_parser("list", help="list API tokens (never their secrets)")
    tlist.add_argument("--user", help="only this user's tokens (e-mail)")
    tlist.set_defaults(func=cmd_tokens_list)
    trevoke = tokens_sub.add_parser("revoke", help="revoke an API token by its id")
    trevoke.add_argument("id", type=_token_id, help="the token's id, from `tokens list`")
    trevoke.set_defaults(func=cmd_tokens_revoke)
