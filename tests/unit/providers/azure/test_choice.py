"""The automatic model choice looks only at the file, and always says why."""

from __future__ import annotations

from pathlib import Path

from receiptdesk.providers.azure import choose_model
from receiptdesk.providers.source import Source
from tests.unit.providers.azure import files


def test_photos_and_till_rolls_are_receipts(azure_data: Path) -> None:
    photo = choose_model(Source.open(azure_data / "contoso-allinone.jpg"))  # EXIF: Sony G8342
    assert (photo.kind, photo.reason, photo.automatic) == ("receipt", "a photo", True)
    four_three = choose_model(Source.open(azure_data / "receipt.png"))  # 2448 × 3264, no camera data
    assert four_three.kind == "receipt"
    long = choose_model(Source.open(azure_data / "contoso-receipt.png"))  # 1688 × 3000
    assert (long.kind, long.reason) == ("receipt", "long and narrow like a till receipt")


def test_pdfs_of_letter_pages_are_invoices(azure_data: Path) -> None:
    choice = choose_model(Source.open(azure_data / "Invoice_1.pdf"))
    assert (choice.kind, choice.reason) == ("invoice", "a PDF of a letter or A4 page")
    assert choice.note() == (
        "Read as an invoice (chosen automatically: the file is a PDF of a letter or A4 page). "
        "If it is a receipt, read it again as a receipt."
    )


def test_a_pdf_of_a_till_roll_is_a_receipt(tmp_path: Path) -> None:
    roll = files.pdf(tmp_path / "roll.pdf", 1, width_pt=80 / 25.4 * 72, height_pt=250 / 25.4 * 72)
    assert choose_model(roll).kind == "receipt"


def test_scans_are_judged_by_their_size_on_paper(tmp_path: Path) -> None:
    a4 = files.image(tmp_path / "a4.png", 1240, 1754, dpi=150)
    assert (choose_model(a4).kind, choose_model(a4).reason) == ("invoice", "a scan of a letter or A4 page")
    slip = files.image(tmp_path / "slip.png", 900, 1200, dpi=300)  # 3 inches wide
    assert choose_model(slip).kind == "receipt"
    letter_render = files.image(tmp_path / "letter.png", 850, 1100)  # no resolution, exactly letter-shaped
    assert choose_model(letter_render).kind == "invoice"
    thumbnail = files.image(tmp_path / "small.png", 340, 440)  # letter-shaped but too small for a page scan
    assert choose_model(thumbnail).kind == "receipt"


def test_a_model_set_in_settings_is_not_automatic(azure_data: Path) -> None:
    choice = choose_model(Source.open(azure_data / "contoso-allinone.jpg"), "invoice")
    assert (choice.kind, choice.automatic) == ("invoice", False)
