"""Before a call: refuse what Azure would refuse, say what the call will cost.

Every refusal names the limit, so the user knows what to change (scan at a
lower resolution, split the PDF, switch tier) without paying for a call
that fails.
"""

from __future__ import annotations

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError, bad_document
from receiptdesk.providers.azure.choice import ModelChoice, choose_model, image_facts
from receiptdesk.providers.azure.settings import AzureSettings, limits_for, locale_problem, selected_pages
from receiptdesk.providers.base import Estimate, Limits, check_limits
from receiptdesk.providers.source import Source


def model_id(kind: str) -> str:
    return f"prebuilt-{kind}"


def service_name(settings: AzureSettings) -> str:
    tier = "'s free tier" if settings.tier == "free" else ""
    return f"Azure Form Recognizer{tier} ({settings.generation})"


def check_source(source: Source, settings: AzureSettings) -> list[str]:
    """Raise bad_document for what the service refuses; return warnings for what it trims."""
    limits = limits_for(settings.api_version, settings.tier)
    service = service_name(settings)
    check_limits(source, Limits(limits.media_types, limits.max_bytes, limits.max_pages), service)
    facts = image_facts(source)
    if facts is not None:
        small, large = min(facts.width, facts.height), max(facts.width, facts.height)
        if small < limits.min_side_px:
            raise bad_document(
                f"The image is {facts.width} × {facts.height} pixels; {service} needs at least "
                f"{limits.min_side_px} × {limits.min_side_px}. Scan or photograph it at a higher resolution."
            )
        if large > limits.max_side_px:
            raise bad_document(
                f"The image is {facts.width} × {facts.height} pixels; {service} reads at most "
                f"{limits.max_side_px:,} × {limits.max_side_px:,}. Save a smaller copy (scale it down) and try again."
            )
    if settings.pages and not selected_pages(settings.pages, source.pages):
        raise bad_document(
            f"The file has {source.pages} page{'s' if source.pages != 1 else ''}; none of the pages set to read "
            f"({settings.pages}) is in it. Change the pages in Tools > Settings > Azure Form Recognizer."
        )
    return trimmed(source, settings)


def trimmed(source: Source, settings: AzureSettings) -> list[str]:
    """What the reading will leave out, said on every document it gives (so it is never taken as whole)."""
    warnings = []
    chosen = selected_pages(settings.pages, source.pages)
    if len(chosen) < source.pages:
        warnings.append(
            f"Only pages {settings.pages} of the {source.pages} were read (the pages set in Tools > Settings > "
            "Azure Form Recognizer); the rest is missing."
        )
    limits = limits_for(settings.api_version, settings.tier)
    if limits.pages_read is not None and len(chosen) > limits.pages_read:
        warnings.append(
            f"The free tier reads only the first {limits.pages_read} of the {len(chosen)} pages; "
            "the rest will be missing. A standard (S0) resource reads them all."
        )
    return warnings


def check_locale(settings: AzureSettings, kind: str) -> list[str]:
    problem = locale_problem(settings.locale, settings.api_version, kind)
    if problem is None:
        return []
    refuse, message = problem
    if refuse:
        raise ReceiptDeskError(ErrorKind.SETTINGS, message)
    return [message]


def pages_billed(source: Source, settings: AzureSettings) -> int:
    read = limits_for(settings.api_version, settings.tier).pages_read
    chosen = len(selected_pages(settings.pages, source.pages))
    return min(chosen, read) if read is not None else chosen


def estimate(source: Source, settings: AzureSettings) -> tuple[Estimate, ModelChoice]:
    choice = choose_model(source, settings.model)
    warnings = check_source(source, settings)
    warnings += check_locale(settings, choice.kind)
    if choice.automatic:
        warnings.insert(0, choice.note())
    billed = pages_billed(source, settings)
    price = settings.price_per_page * billed if settings.tier == "standard" else settings.price_per_page * 0
    route = f"{model_id(choice.kind)}, {settings.generation}" + (" (chosen automatically)" if choice.automatic else "")
    return Estimate(billed, price, settings.currency, route, tuple(warnings)), choice
