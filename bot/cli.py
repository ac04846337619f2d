"""`python -m bot <command>`: the project's own command line."""
import argparse
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
    args = parser.parse_args(argv)
    # Vietnamese must print right even where the terminal's locale is not UTF-8.
    sys.stdout.reconfigure(encoding="utf-8")

    # Imported late: `--help` stays instant.
    if args.command in ("ask", "check"):
        warnings.simplefilter("ignore")  # staff see answers, not library warnings
        from bot import staff_tools

        return staff_tools.ask(args.question) if args.command == "ask" else staff_tools.check(args.file)
    from bot import launcher

    if args.command == "run":
        return launcher.run()
    return launcher.shell()


if __name__ == "__main__":
    sys.exit(main())
