#!/usr/bin/env bash
# Check a built .deb as a user gets it: its desktop entry and AppStream metainfo validate; then
# (with --install, as root on a throwaway machine: CI) install it with apt, open a receipt with
# /usr/bin/receiptdesk under Xvfb until the window has read it (packaging/smoke_test.py --display),
# remove it and check nothing it installed is left in /opt or /usr.
#   packaging/linux/check-deb.sh [--install] [DEB]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INSTALL=""
if [ "${1:-}" = "--install" ]; then INSTALL=1; shift; fi
DEB=$(realpath "${1:-$(ls "$ROOT"/dist/receiptdesk_*.deb | tail -1)}")
PY=${PYTHON:-python3}
APP_ID=org.receiptdesk.ReceiptDesk
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

dpkg-deb -x "$DEB" "$WORK/root"
desktop-file-validate "$WORK/root/usr/share/applications/$APP_ID.desktop"
appstreamcli validate --no-net "$WORK/root/usr/share/metainfo/$APP_ID.metainfo.xml"
echo "desktop entry and metainfo valid: $(basename "$DEB")"
[ -n "$INSTALL" ] || exit 0

snapshot() { find /opt /usr -xdev \( -path /usr/local -prune \) -o -print 2>/dev/null | sort; }
snapshot > "$WORK/before"
$SUDO apt-get install -y -q "$DEB" > "$WORK/apt.log" || { cat "$WORK/apt.log"; exit 1; }
echo "installed: $(du -sh /opt/receiptdesk | cut -f1) in /opt/receiptdesk, the .deb is $(du -h "$DEB" | cut -f1)"
test "$(readlink -f /usr/bin/receiptdesk)" = /opt/receiptdesk/receiptdesk
# The smoke test runs the installed launcher from a folder of its own, under a real X server.
xvfb-run -a -s "-screen 0 1400x900x24" "$PY" "$ROOT/packaging/smoke_test.py" --display /usr/bin/receiptdesk
$SUDO apt-get remove -y -q receiptdesk > "$WORK/apt.log" || { cat "$WORK/apt.log"; exit 1; }
snapshot > "$WORK/after"
# Caches that desktop-file-utils and the icon theme rebuild on every install and removal may appear.
left=$(comm -13 "$WORK/before" "$WORK/after" | grep -v -E '/(mimeinfo|icon-theme)\.cache$' || true)
if [ -n "$left" ] || [ -e /opt/receiptdesk ] || grep -rl receiptdesk /usr/share/applications/mimeinfo.cache 2>/dev/null; then
    echo "apt-get remove left files behind:" >&2
    echo "$left" >&2
    exit 1
fi
echo "removed: nothing left in /opt or /usr"
