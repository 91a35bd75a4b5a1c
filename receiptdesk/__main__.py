"""`receiptdesk` and `python -m receiptdesk`: the window without arguments, the command line with them."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        from receiptdesk.app import main as window

        return window()
    from receiptdesk.cli import main as cli

    return cli(args)


if __name__ == "__main__":
    sys.exit(main())
