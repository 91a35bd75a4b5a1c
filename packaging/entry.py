"""What the frozen app runs: the same entry point as `receiptdesk` and `python -m receiptdesk`."""

import sys

from receiptdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
