"""`receiptdesk` and `python -m receiptdesk`: what the arguments ask for.

receiptdesk                 the window
receiptdesk FILE...         the window, importing the files ("Open with" runs this); when a
                            window is open on the same library already, it gets them instead
receiptdesk COMMAND ...     the command line (cli.py), without a window
receiptdesk --help | --version
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from receiptdesk import APP_NAME, __version__


def _commands() -> dict[str, str]:
    """The command line's verbs and what each does, from its own parser (one list)."""
    from receiptdesk.cli import build_parser

    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            return {name: helps.get(name, "") for name in action.choices}
    return {}


def usage(commands: dict[str, str]) -> str:
    width = max(map(len, commands), default=0)
    lines = "\n".join(f"  {name.ljust(width)}  {what}" for name, what in commands.items())
    return f"""usage: receiptdesk [FILE...]
       receiptdesk COMMAND [ARGUMENTS...]
       receiptdesk --help | --version

{APP_NAME} {__version__}: receipts and invoices, read and checked on your own computer.

Without arguments, opens the window. With files (photos, scans, PDFs, or folders of them), opens
the window and imports them; if ReceiptDesk is already open on the same library, that window
imports them instead.

commands (no window; `receiptdesk COMMAND --help` for each one's options):
{lines}

The library is in the platform's data folder, or in RECEIPTDESK_DATA_DIR when that is set.
"""


def as_path(arg: str) -> Path:
    """A path as given, or a file:// URL as some file managers pass, made absolute."""
    if arg.startswith("file:"):
        arg = unquote(urlparse(arg).path)
    return Path(arg).expanduser().absolute()


def files_to_open(args: list[str], commands: dict[str, str]) -> tuple[list[Path], str | None]:
    """The files to open in the window, or what is wrong with the arguments."""
    if args[:1] == ["--"]:
        args = args[1:]
    elif args and args[0].startswith("-"):
        return [], f"unknown option {args[0]} (see receiptdesk --help)"
    files = [as_path(a) for a in args]
    missing = [a for a, f in zip(args, files, strict=True) if not f.exists()]
    if missing:
        return [], (
            f"no such file or command: {', '.join(missing)}\ncommands: {', '.join(commands)} (see receiptdesk --help)"
        )
    return files, None


def main(argv: list[str] | None = None) -> int:
    # macOS gives apps started from the Finder a process serial number argument; it is no file.
    args = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-psn_")]
    if args[:1] in (["-h"], ["--help"]):
        print(usage(_commands()), end="")
        return 0
    if args[:1] in (["-V"], ["--version"]):
        print(f"{APP_NAME} {__version__}")
        return 0
    commands = _commands() if args else {}
    if args and args[0] in commands:
        from receiptdesk.cli import main as cli

        return cli(args)
    files, problem = files_to_open(args, commands)
    if problem:
        print(f"receiptdesk: {problem}", file=sys.stderr)
        return 2
    from receiptdesk.app import main as window

    return window(files)


if __name__ == "__main__":
    sys.exit(main())
