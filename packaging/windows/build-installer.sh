#!/usr/bin/env bash
# Compile the Windows installer with NSIS's makensis (on Windows in Git Bash, or anywhere NSIS is).
#   packaging/windows/build-installer.sh [--stand-in] [BUNDLE [OUT]]   (default dist/receiptdesk)
# --stand-in: CI on Linux compiles the script over the Linux bundle, stored uncompressed, so a broken
# script fails there; what it makes is no Windows installer and is deleted.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STAND_IN=""
if [ "${1:-}" = "--stand-in" ]; then STAND_IN=1; shift; fi
BUNDLE=$(cd "${1:-$ROOT/dist/receiptdesk}" && pwd)
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/receiptdesk/__init__.py")
OUT=${2:-$ROOT/dist/ReceiptDesk-$VERSION-setup.exe}
if [ -n "$STAND_IN" ]; then OUT=$(mktemp -d)/stand-in-setup.exe; fi
if command -v cygpath >/dev/null; then  # Git Bash on Windows: makensis.exe wants Windows paths
    BUNDLE=$(cygpath -w "$BUNDLE")
    OUT=$(cygpath -w "$OUT")
fi
args=(-V2 -WX "-DVERSION=$VERSION" "-DBUNDLE=$BUNDLE" "-DOUTFILE=$OUT")
[ -z "$STAND_IN" ] || args+=(-DSTAND_IN)
cd "$ROOT/packaging/windows"
"${MAKENSIS:-makensis}" "${args[@]}" receiptdesk.nsi
if [ -n "$STAND_IN" ]; then
    echo "the installer script compiles ($(du -h "$OUT" | cut -f1) over the stand-in payload $BUNDLE)"
    rm -rf "$(dirname "$OUT")"
else
    echo "built $OUT ($(du -h "$OUT" | cut -f1))"
fi
