"""`python -m bot <command>`: the project's own command line."""
import argparse
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the action server and the Rasa server")
    commands.add_parser("shell", help="chat in the terminal, with the action server")
    args = parser.parse_args(argv)

    from bot import launcher  # imported late: `--help` stays instant

    if args.command == "run":
        return launcher.run()
    return launcher.shell()


if __name__ == "__main__":
    sys.exit(main())
