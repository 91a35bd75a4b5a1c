"""ReceiptDesk: receipts and invoices, read and checked on your own computer."""

__version__ = "0.1.0"
APP_NAME = "ReceiptDesk"
APP_ID = "org.receiptdesk.ReceiptDesk"  # the desktop entry, AppStream id and macOS bundle id
