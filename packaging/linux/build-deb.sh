#!/usr/bin/env bash
# Wrap a one-folder bundle (dist/receiptdesk from packaging/build.sh) in a .deb: the bundle in
# /opt/receiptdesk, `receiptdesk` in /usr/bin, the desktop entry (with the file types it opens),
# the AppStream metainfo software centres show, and the icons in every hicolor size.
#   packaging/linux/build-deb.sh [BUNDLE [OUT_DIR]]     (default dist/receiptdesk, dist)
# Install with a double-click (the software installer) or `sudo apt install ./receiptdesk_*.deb`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUNDLE=$(realpath "${1:-$ROOT/dist/receiptdesk}")
OUT=$(realpath -m "${2:-$ROOT/dist}")
APP_ID=org.receiptdesk.ReceiptDesk
[ -x "$BUNDLE/receiptdesk" ] || { echo "no bundle at $BUNDLE: run packaging/build.sh first" >&2; exit 1; }
cd "$ROOT"
# The one version source; the release date from the changelog's entry for it.
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' receiptdesk/__init__.py)
DATE=$(sed -n "s/^## \[${VERSION//./\\.}\] - \([0-9-]*\)$/\1/p" CHANGELOG.md)
[ -n "$DATE" ] || { echo "CHANGELOG.md has no '## [$VERSION] - DATE' entry" >&2; exit 1; }
ARCH=$(dpkg --print-architecture)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
PKG=$STAGE/receiptdesk
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/metainfo" \
    "$PKG/usr/share/doc/receiptdesk"
cp -a "$BUNDLE" "$PKG/opt/receiptdesk"
ln -s /opt/receiptdesk/receiptdesk "$PKG/usr/bin/receiptdesk"
DESKTOP=packaging/linux/$APP_ID.desktop
install -m 644 "$DESKTOP" "$PKG/usr/share/applications/"
# The metainfo lists the same file types as the desktop entry (one list).
MEDIATYPES=$(sed -n 's/^MimeType=//p' "$DESKTOP" | tr ';' '\n' | sed '/^$/d; s|.*|    <mediatype>&</mediatype>|')
python3 - "packaging/linux/$APP_ID.metainfo.xml.in" "$VERSION" "$DATE" "$MEDIATYPES" \
    > "$PKG/usr/share/metainfo/$APP_ID.metainfo.xml" <<'PY'
import sys
template, version, date, mediatypes = sys.argv[1:]
text = open(template, encoding="utf-8").read()
sys.stdout.write(text.replace("@VERSION@", version).replace("@DATE@", date).replace("@MEDIATYPES@", mediatypes))
PY
for png in resources/icons/receiptdesk-*.png; do
    size=${png##*-}; size=${size%.png}
    install -D -m 644 "$png" "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/receiptdesk.png"
done
install -D -m 644 resources/icons/receiptdesk.svg "$PKG/usr/share/icons/hicolor/scalable/apps/receiptdesk.svg"
install -m 644 LICENSE "$PKG/usr/share/doc/receiptdesk/copyright"
gzip -9n < CHANGELOG.md > "$PKG/usr/share/doc/receiptdesk/changelog.gz"
chmod -R u+rwX,go+rX,go-w "$PKG"
INSTALLED_KB=$(du -sk --apparent-size "$PKG" | cut -f1)
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: receiptdesk
Version: ${VERSION}
Architecture: ${ARCH}
Maintainer: ReceiptDesk <team@receiptdesk.invalid>
Installed-Size: ${INSTALLED_KB}
Depends: libc6 (>= 2.36), libegl1, libgl1, libfontconfig1, libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0
Recommends: gnome-keyring | kwalletmanager
Section: office
Priority: optional
Description: Read, check and keep receipts and invoices on your own computer
 ReceiptDesk reads vendor, date, totals, tax and line items from photos, scans
 and PDFs with a bundled offline OCR engine (or, if you choose, Amazon Textract
 or Azure Form Recognizer), shows each value beside the document, and keeps a
 searchable library on your computer.
CONTROL
mkdir -p "$OUT"
DEB=$OUT/receiptdesk_${VERSION}_${ARCH}.deb
dpkg-deb --root-owner-group -Zzstd --build "$PKG" "$DEB" >/dev/null
echo "built $DEB ($(du -h "$DEB" | cut -f1); $((INSTALLED_KB / 1024)) MB installed)"
