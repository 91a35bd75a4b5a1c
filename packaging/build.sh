#!/usr/bin/env bash
# Build the one-folder bundle dist/receiptdesk with PyInstaller (run from anywhere).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/receiptdesk.spec
echo "built dist/receiptdesk ($(du -sh dist/receiptdesk | cut -f1))"
