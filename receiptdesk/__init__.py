"""ReceiptDesk: receipts and invoices, read and checked on your own computer."""

__version__ = "0.1.0"
APP_NAME = "ReceiptDesk"
APP_ID = "receiptdesk"
