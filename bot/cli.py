"""`python -m bot <command>`: the project's own command line."""
import argparse
import os
import sys
import warnings
from pathlib import Path
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the action server and the Rasa server")
    commands.add_parser("shell", help="chat in the terminal, with the action server")
    ask = commands.add_parser("ask", help="what the bot understands of a question, and its answer")
    ask.add_argument("question")
    check = commands.add_parser("check", help="check a file of questions (question<TAB>expected intent)")
    check.add_argument("file", type=Path)
    purge = commands.add_parser("purge", help="delete conversations idle longer than the retention period")
    purge.add_argument("--days", type=float, help="default: privacy.retention_days in data/settings.yml")
    purge.add_argument("--database-url", help="default: $DATABASE_URL, else the SQLite file $TRACKER_DB")
    cluster = commands.add_parser("cluster", help="the production profile: N Rasa servers behind nginx")
    cluster.add_argument("action", choices=["start", "stop"])
    args = parser.parse_args(argv)
    # Vietnamese must print right even where the terminal's locale is not UTF-8.
    sys.stdout.reconfigure(encoding="utf-8")

    # Imported late: `--help` stays instant.
    if args.command in ("ask", "check"):
        warnings.simplefilter("ignore")  # staff see answers, not library warnings
        from bot import staff_tools

        return staff_tools.ask(args.question) if args.command == "ask" else staff_tools.check(args.file)
    if args.command == "purge":
        from bot.privacy import purge as purge_old
        from bot.settings import load_settings

        days = args.days if args.days is not None else load_settings().retention_days
        url = args.database_url or os.environ.get("DATABASE_URL") or \
            f"sqlite:///{os.environ.get('TRACKER_DB', 'var/tracker.db')}"
        print(f"Deleted {purge_old(url, days)} conversations idle for more than {days:g} days.")
        return 0
    if args.command == "cluster":
        from bot import cluster as production

        profile = production.Cluster.from_env()
        if args.action == "stop":
            production.stop(profile)
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
