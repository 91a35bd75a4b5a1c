"""The receipt and invoice parser of the offline provider, one concern per module.

`layout` rebuilds printed lines from word boxes; `labels` knows the words
receipts use for total, tax, change...; `amounts`, `dates`, `vendor` and
`items` each find their fields on those lines; `evidence` turns what was
found into canonical `Field`s with boxes and confidence. The entry point is
`receiptdesk.providers.local.parser.parse`.
"""
