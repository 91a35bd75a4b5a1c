"""Azure's field names (every generation, invoice and receipt) -> canonical names.

From DESIGN.md's table, completed from the 2024-11-30 field schemas
(data/responses/azure/docs) and the v2.x names seen in real responses
(receipt Tax and Items.*.Name before the 2022 renames). Names not listed
here are kept under `extra` with Azure's own name.
"""

from __future__ import annotations

FIELDS: dict[str, str] = {
    "VendorName": "vendor_name",
    "MerchantName": "vendor_name",
    "VendorAddress": "vendor_address",
    "MerchantAddress": "vendor_address",
    "MerchantPhoneNumber": "vendor_phone",
    "VendorTaxId": "vendor_tax_id",
    "CustomerName": "customer_name",
    "CustomerAddress": "customer_address",
    "BillingAddress": "billing_address",
    "ShippingAddress": "shipping_address",
    "InvoiceId": "invoice_id",
    "PurchaseOrder": "purchase_order",
    "InvoiceDate": "date",
    "TransactionDate": "date",
    "DueDate": "due_date",
    "TransactionTime": "time",
    "SubTotal": "subtotal",
    "Subtotal": "subtotal",
    "TotalTax": "total_tax",
    "Tax": "total_tax",  # v2.x receipts
    "Tip": "tip",
    "TotalDiscount": "discount",
    "InvoiceTotal": "total",
    "Total": "total",
    "AmountDue": "amount_due",
    "PreviousUnpaidBalance": "previous_balance",
    "PaymentTerm": "payment_terms",
    "ServiceStartDate": "service_start_date",
    "ServiceEndDate": "service_end_date",
}

LINE_ITEM_FIELDS: dict[str, str] = {
    "Description": "description",
    "Name": "description",  # v2.x receipts
    "Quantity": "quantity",
    "Unit": "unit",
    "QuantityUnit": "unit",
    "UnitPrice": "unit_price",
    "Price": "unit_price",
    "Amount": "amount",
    "TotalPrice": "amount",
    "ProductCode": "product_code",
    "Date": "date",
    "Tax": "tax",
}

ITEMS = "Items"
