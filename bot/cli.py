"""`python -m bot <command>`: the project's own command line."""

import argparse
import sys
import warnings
from datetime import date, datetime
from pathlib import Path
from typing import List, Optional


def _day(text: str) -> date:
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"'{text}' không phải ngày: viết YYYY-MM-DD hoặc DD/MM/YYYY, ví dụ 01/03/2021")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the action server and the Rasa server")
    commands.add_parser("shell", help="chat in the terminal, with the action server")
    commands.add_parser("train", help="train the model if data, config or lexicon changed (make train)")
    ask = commands.add_parser("ask", help="what the bot understands of a question, and its answer")
    ask.add_argument("question")
    check = commands.add_parser(
        "check", help="check a file of questions (question<TAB>expected intent, or an NLU .yml)"
    )
    check.add_argument("file", type=Path)
    purge = commands.add_parser("purge", help="delete conversations idle longer than the retention period")
    purge.add_argument("--days", type=float, help="default: privacy.retention_days in data/settings.yml")
    purge.add_argument(
        "--database-url", help="default: $DATABASE_URL, else $DB_HOST..., else the SQLite file $TRACKER_DB"
    )
    report = commands.add_parser("report", help="the staff report (HTML, Vietnamese) from the conversation store")
    report.add_argument("--out", type=Path, default=Path("report.html"), help="default: report.html")
    missed = commands.add_parser(
        "export-missed", help="the questions the bot could not answer, as an NLU file to label"
    )
    missed.add_argument("--out", type=Path, default=Path("missed.yml"), help="default: missed.yml")
    missed.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    for reader in (report, missed):
        reader.add_argument("--since", type=_day, help="first day, YYYY-MM-DD or DD/MM/YYYY (default: all)")
        reader.add_argument("--database-url", help="default: as purge")
    cluster = commands.add_parser("cluster", help="the production profile: N Rasa servers behind nginx")
    cluster.add_argument(
        "action",
        choices=["start", "stop", "rollout"],
        help="rollout: restart the Rasa servers one at a time onto the newest model",
    )
    args = parser.parse_args(argv)
    # Vietnamese must print right even where the terminal's locale is not UTF-8.
    sys.stdout.reconfigure(encoding="utf-8")

    # Imported late: `--help` stays instant.
    from bot.settings import tracker_database_url

    if args.command in ("ask", "check"):
        # Staff see answers, not library warnings; libraries add filters of
        # their own when imported, so showing is turned off, not just filtered.
        warnings.simplefilter("ignore")
        warnings.showwarning = lambda *args, **kwargs: None
        from bot import staff_tools

        return staff_tools.ask(args.question) if args.command == "ask" else staff_tools.check(args.file)
    if args.command == "train":
        from bot.training import train

        return train()
    if args.command == "purge":
        from bot.privacy import purge as purge_old
        from bot.settings import load_settings

        days = args.days if args.days is not None else load_settings().retention_days
        url = args.database_url or tracker_database_url()
        print(f"Deleted {purge_old(url, days)} conversations idle for more than {days:g} days.")
        return 0
    if args.command in ("report", "export-missed"):
        from bot import staff_reports

        url = args.database_url or tracker_database_url()
        if args.command == "report":
            return staff_reports.write_report(url, args.since, args.out)
        return staff_reports.export_missed(url, args.since, args.out, force=args.force)
    if args.command == "cluster":
        from bot import cluster as production

        profile = production.Cluster.from_env()
        if args.action == "stop":
            production.stop(profile)
            return 0
        if args.action == "rollout":
            production.rollout(profile)
            print(f"Every Rasa server now runs the newest model in {profile.model}.")
            return 0
        production.start(profile)
        print(production.banner(profile), flush=True)
        return 0
    from bot import launcher

    if args.command == "run":
        return launcher.run()
    return launcher.shell()


if __name__ == "__main__":
    sys.exit(main())
