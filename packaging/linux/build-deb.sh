#!/usr/bin/env bash
# Wrap dist/receiptdesk (from packaging/build.sh) in a .deb: /opt/receiptdesk, a launcher in
# /usr/bin, a desktop entry and icons. Double-click the .deb (or `sudo apt install ./file.deb`).
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=$(python -c "import receiptdesk; print(receiptdesk.__version__)")
ARCH=$(dpkg --print-architecture)
PKG=build/deb/receiptdesk_${VERSION}_${ARCH}
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications"
cp -a dist/receiptdesk "$PKG/opt/receiptdesk"
ln -s /opt/receiptdesk/receiptdesk "$PKG/usr/bin/receiptdesk"
install -m 644 packaging/linux/receiptdesk.desktop "$PKG/usr/share/applications/"
for size in 16 32 48 64 128 256 512; do
    dir="$PKG/usr/share/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    install -m 644 "resources/icons/receiptdesk-${size}.png" "$dir/receiptdesk.png"
done
mkdir -p "$PKG/usr/share/icons/hicolor/scalable/apps"
install -m 644 resources/icons/receiptdesk.svg "$PKG/usr/share/icons/hicolor/scalable/apps/"
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: receiptdesk
Version: ${VERSION}
Architecture: ${ARCH}
Maintainer: ReceiptDesk <team@receiptdesk.invalid>
Depends: libegl1, libgl1, libfontconfig1, libdbus-1-3, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0
Recommends: gnome-keyring | kwalletmanager
Section: office
Priority: optional
Description: Read, check and keep receipts and invoices on your own computer
 ReceiptDesk reads vendor, date, totals, tax and line items from photos, scans
 and PDFs with a bundled offline OCR engine (or, if you choose, Amazon Textract
 or Azure Form Recognizer), shows each value beside the document, and keeps a
 searchable library on your computer.
CONTROL
dpkg-deb --root-owner-group -Zzstd --build "$PKG" build/deb/ >/dev/null
echo "built $(ls build/deb/*.deb)"
