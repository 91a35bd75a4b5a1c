import json
from datetime import date, datetime
from decimal import Decimal

from receiptdesk.core.document import Document, DocumentKind, Field, LineItem, Page, Provenance
from receiptdesk.core.geometry import Box


def test_json_round_trip_keeps_types_and_shape() -> None:
    doc = Document(
        Provenance("local", "parser 1", datetime(2026, 1, 2, 3, 4, 5)),
        kind=DocumentKind.INVOICE,
        currency="EUR",
        pages=[Page(1, 800, 1200)],
        fields={
            "total": Field(Decimal("193"), "193,00 €", 0.92, 1, Box(0.6, 0.8, 0.9, 0.82), label="Total"),
            "date": Field(date(2024, 3, 4), "04.03.2024", 0.8, 1, None),
            "vendor_name": Field("Café Zur Post", "CAFÉ ZUR POST", 0.7, 1, Box(0.1, 0.0, 0.9, 0.05)),
        },
        line_items=[
            LineItem({"description": Field("Tea"), "amount": Field(Decimal("3.5"))}, extra={"OTHER": Field("x")})
        ],
        extra={"VENDOR_URL": Field("www.example.com")},
        text="CAFÉ ZUR POST\nTotal 193,00 €",
    )
    data = json.loads(json.dumps(doc.to_json()))
    assert data["fields"]["total"]["value"] == "193.00"
    assert data["fields"]["date"]["value"] == "2024-03-04"
    assert data["fields"]["total"]["box"] == [0.6, 0.8, 0.9, 0.82]
    assert data["line_items"][0]["amount"]["value"] == "3.50"
    back = Document.from_json(data)
    assert back.value("total") == Decimal("193.00")
    assert back.value("date") == date(2024, 3, 4)
    assert back.fields["total"].box == Box(0.6, 0.8, 0.9, 0.82)
    assert back.line_items[0].extra["OTHER"].value == "x"
    assert back.to_json() == data


def test_box_conversions_normalise_every_unit() -> None:
    # Azure gives inches on an 8.5 x 11 page
    b = Box.from_polygon([1.0, 1.0, 4.4, 1.0, 4.4, 2.2, 1.0, 2.2], 8.5, 11)
    assert b.to_json() == [0.11765, 0.09091, 0.51765, 0.2]
    assert Box.from_ltwh(0.1, 0.2, 0.3, 0.4).to_json() == [0.1, 0.2, 0.4, 0.6]
    # points a little outside the page are clamped, never outside 0..1
    assert Box.from_points([-3, 50], [0, 120], 100, 100).is_inside_page()
