"""The ``accr-graph`` command line: database, sample data, imports, serving, schema export,
matching."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from accr_graph.cli_accounts import add_account_commands
from accr_graph.cli_common import CliError, run_service
from accr_graph.cli_matching import add_matching_commands
from accr_graph.importers.errors import DataFileError
from accr_graph.settings import get_settings, reset_settings_cache


def _say(message: str) -> None:
    print(message, flush=True)


# --- db -----------------------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    from accr_graph import migrate

    migrate.upgrade(args.revision)
    _say(f"database at {args.revision}: {_redacted(get_settings().database_url)}")


def cmd_db_downgrade(args: argparse.Namespace) -> None:
    from accr_graph import migrate

    migrate.downgrade(args.revision)
    _say(f"database downgraded to {args.revision}")


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# --- data ---------------------------------------------------------------------------------------


def cmd_load_sample(args: argparse.Namespace) -> None:
    from accr_graph.services.imports import IfNotEmpty, load_sample_network

    mode = IfNotEmpty.REPLACE if args.replace else IfNotEmpty.REFUSE
    mode = IfNotEmpty.SKIP if args.if_empty else mode
    _say("loading the sample network (illustrative data, not real member records) ...")
    loaded = run_service(load_sample_network, mode)
    counts = loaded.counts
    if counts is None:
        _say("the database already holds data; sample not loaded")
        return
    if loaded.replaced:
        _say("deleting the existing data ... done")
    _say(
        f"loaded {counts.centres} centres, {counts.themes} themes, "
        f"{counts.competencies} competencies, {counts.proposals} proposals, "
        f"{counts.interests} interests, {counts.partnerships} partnerships, "
        f"{counts.users} users, {loaded.meetings} meetings, {loaded.resources} hub resources, "
        f"{loaded.fairs} Project Fair edition"
    )


def cmd_search_reindex(args: argparse.Namespace) -> None:
    from accr_graph.services.imports import reindex_search

    _say(f"indexed {run_service(reindex_search)} documents")


def cmd_import_keep_eu(args: argparse.Namespace) -> None:
    from accr_graph.importers.keep_eu import parse_keep_eu
    from accr_graph.services.imports import import_keep_eu

    directory = Path(args.dir)
    if not directory.is_dir():
        raise CliError(f"{directory}: no such directory")
    _say(f"reading {directory} ...")
    dataset = parse_keep_eu(directory)
    _say(
        f"read {len(dataset.projects)} projects ({dataset.repeated_project_rows} repeated rows "
        f"imported once) and {len(dataset.organisations)} organisations after name normalisation"
    )
    report = run_service(import_keep_eu, dataset, progress=_say)
    _say(
        f"imported: {report.centres_added} new centres ({report.centres_existing} already "
        f"there), {report.partnerships_added} new partnerships "
        f"({report.partnerships_existing} already there), {report.themes_added} new themes, "
        f"{report.memberships_added} memberships"
    )
    for reason in report.skipped:
        _say(f"skipped: {reason}")


# --- serving and schema -------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        "accr_graph.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        workers=None if args.reload else args.workers,
        log_level=get_settings().log_level.lower(),
        # The app reads X-Forwarded-For itself, from ACCR_TRUSTED_PROXIES only.
        proxy_headers=False,
    )


def cmd_worker(args: argparse.Namespace) -> None:
    """Deliver notifications until stopped (or, with --once, until nothing is due)."""
    import asyncio

    from accr_graph.notifications.worker import main as worker_main

    done = asyncio.run(worker_main(get_settings(), once=args.once))
    if args.once:
        _say(f"delivered {done} events and deliveries")


def cmd_notify_matches(args: argparse.Namespace) -> None:
    """Announce new open proposals fitting centres now (the worker does it once a day)."""
    import asyncio

    from accr_graph.notifications.worker import scan_once

    found = asyncio.run(scan_once(get_settings()))
    _say(f"announced {found} new proposal matches")


def cmd_export_schema(args: argparse.Namespace) -> None:
    from schema.export import export_sdl

    sdl = export_sdl()
    if args.output:
        Path(args.output).write_text(sdl, encoding="utf-8")
        _say(f"wrote {args.output}")
    else:
        sys.stdout.write(sdl)


# --- parser -------------------------------------------------------------------------------------


def _add_db(sub: Any) -> None:
    db = sub.add_parser("db", help="database migrations (Alembic)")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    up = db_sub.add_parser("upgrade", help="migrate to the newest revision (or REVISION)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=cmd_db_upgrade)
    down = db_sub.add_parser("downgrade", help="migrate down to REVISION ('base' empties it)")
    down.add_argument("revision")
    down.set_defaults(func=cmd_db_downgrade)


def _add_data(sub: Any) -> None:
    load = sub.add_parser("load-sample", help="load the illustrative sample network")
    load.add_argument("--replace", action="store_true", help="delete all existing data first")
    load.add_argument(
        "--if-empty", action="store_true", help="load only into an empty database, else do nothing"
    )
    load.set_defaults(func=cmd_load_sample)
    reindex = sub.add_parser("search-reindex", help="rebuild the full-text search index")
    reindex.set_defaults(func=cmd_search_reindex)
    imp = sub.add_parser("import", help="import an outside data set")
    imp_sub = imp.add_subparsers(dest="import_command", required=True, metavar="SOURCE")
    keep = imp_sub.add_parser(
        "keep-eu", help="Interreg projects from keep.eu (projects.csv, partners.csv)"
    )
    keep.add_argument("--dir", required=True, help="folder holding projects.csv and partners.csv")
    keep.set_defaults(func=cmd_import_keep_eu)


def _add_serve(sub: Any) -> None:
    serve = sub.add_parser("serve", help="run the web service with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="deliver notifications (inbox, e-mail, webhooks)")
    worker.add_argument("--once", action="store_true", help="stop when nothing is due")
    worker.set_defaults(func=cmd_worker)
    matches = sub.add_parser(
        "notify-matches", help="announce new open proposals that fit centres (proposal.matched)"
    )
    matches.set_defaults(func=cmd_notify_matches)
    export = sub.add_parser("export-schema", help="print the GraphQL SDL (schema/schema.graphql)")
    export.add_argument("--output", "-o", help="write to this file instead of standard output")
    export.set_defaults(func=cmd_export_schema)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accr-graph", description="ACCR Graph: the collaboration platform of the ACCR network."
    )
    parser.add_argument("--database-url", help="overrides ACCR_DATABASE_URL for this command")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_db(sub)
    _add_data(sub)
    _add_serve(sub)
    add_account_commands(sub)
    add_matching_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.database_url:
        os.environ["ACCR_DATABASE_URL"] = args.database_url
        reset_settings_cache()
    try:
        args.func(args)
    except (CliError, DataFileError) as error:
        print(f"accr-graph: error: {error}", file=sys.stderr)
        return 1
    except (OperationalError, ProgrammingError, DBAPIError, OSError) as error:
        print(f"accr-graph: error: database: {_first_line(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


if __name__ == "__main__":
    raise SystemExit(main())
