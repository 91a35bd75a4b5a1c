"""What the user chose for Azure Form Recognizer, checked once when it is built.

The key is not here: it lives in the OS keyring and is handed to the
provider separately, so settings can be shown, logged and saved freely.
Limits and prices are the service's published ones; each says where from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.source import BMP, HEIC, JPEG, PDF, PNG, TIFF

V3 = "2023-07-31"  # DocumentAnalysisClient (Form Recognizer 3.1 / Document Intelligence)
V21 = "2.1"  # FormRecognizerClient, for resources and saved results of the older generation
API_VERSIONS = (V3, V21)
MODELS = ("auto", "invoice", "receipt")
TIERS = ("standard", "free")

# Published prebuilt (invoice, receipt) price of the S0 tier, pay as you go, first
# million pages: USD 10 per 1,000 pages (azure.microsoft.com/pricing/details/
# ai-document-intelligence). The free tier (F0) costs nothing for its monthly pages.
DEFAULT_PRICE_PER_PAGE = Decimal("0.01")

# Azure writes its size limits in MB; read as decimal megabytes, the stricter reading.
MB = 1_000_000


@dataclass(frozen=True, slots=True)
class ServiceLimits:
    """What one API generation and tier accepts (Azure "input requirements" and "service limits")."""

    media_types: frozenset[str]
    max_bytes: int
    max_pages: int
    pages_read: int | None  # the free tier reads only the first pages and bills those
    min_side_px: int = 50
    max_side_px: int = 10_000


_V3_TYPES = frozenset({PDF, JPEG, PNG, BMP, TIFF, HEIC})  # HEIF from v3 on
_V21_TYPES = frozenset({PDF, JPEG, PNG, TIFF})


def limits_for(api_version: str, tier: str) -> ServiceLimits:
    types = _V3_TYPES if api_version == V3 else _V21_TYPES
    if tier == "free":
        return ServiceLimits(types, 4 * MB, 2_000, pages_read=2)
    return ServiceLimits(types, (500 if api_version == V3 else 50) * MB, 2_000, pages_read=None)


# Locales the models publish. v2.1 is strict (its own error message lists the receipt
# locales: errors/fr-v2.1_400_UnsupportedLocale.json; the invoice model read en-US only).
V21_LOCALES = {
    "receipt": frozenset({"en-US", "en-AU", "en-CA", "en-GB", "en-IN"}),
    "invoice": frozenset({"en-US"}),
}
# What API 2023-07-31 (v3.1) reads, by language: the invoice model's 27 languages of the v3.1
# update (MicrosoftDocs/azure-docs commit a491431, concept-invoice.md, July 2023: "supports invoices
# in 27 languages"; language-support-prebuilt.md), and the receipt model's languages for thermal
# receipts (the 2024-11-30 page in data/responses/azure/docs lists the same, plus Chinese from v3.1).
V3_INVOICE_LANGUAGES = frozenset(
    "en es de fr it pt nl cs da et fi hr hu is ja ko lt lv ms nb no pl ro sk sl sq sr sv zh".split()
)
V3_RECEIPT_LANGUAGES = frozenset(
    "en lt af lb ak mk sq mg ar ms az mt bm mi eu mr be yua bho mn bs ne bg no ca ny ceb om co ps hr fa cs prs da "
    "pl nl pt et pa fo qu fj ro fil ru fi sm fr sa gl gd lg sr-cyrl de sr-latn el st gn nso ht sn haw sk he sl hi "
    "so-latn mww es hu su is sv ig ty ilo tg id ta ga tt xh tt-latn zu th it to ja tr jv tk kk uk kk-latn hsb rw "
    "ug sw ug-arab ko uz ku uz-latn ku-latn vi ky cy la fy lv ts ln zh zh-hans zh-hant".split()
)
# A page list as Azure takes it: "1-3,5,7-9".
PAGES = re.compile(r"^\s*\d+(?:\s*-\s*\d+)?(?:\s*,\s*\d+(?:\s*-\s*\d+)?)*\s*$")


def selected_pages(spec: str, total: int) -> list[int]:
    """The page numbers of `spec` ("1-3,5") that the file has; every page when `spec` is empty."""
    if not spec.strip():
        return list(range(1, total + 1))
    chosen: set[int] = set()
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        lo, hi = int(first), int(last or first)
        chosen.update(range(max(1, lo), min(total, hi) + 1))
    return sorted(chosen)


_LOCALE = re.compile(r"^(?P<lang>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|\d{3}))?$", re.I)
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def normalise_locale(locale: str) -> str:
    """ "en-us" -> "en-US", "sr-latn" -> "sr-Latn"; raises SETTINGS for what is not a locale at all."""
    m = _LOCALE.match(locale.strip())
    if not m:
        raise ReceiptDeskError(
            ErrorKind.SETTINGS, f"“{locale}” is not a locale. Write it like en-US, de-DE or fr (language-REGION)."
        )
    out = m["lang"].lower()
    if m["script"]:
        out += "-" + m["script"].title()
    if m["region"]:
        out += "-" + m["region"].upper()
    return out


def locale_problem(locale: str, api_version: str, model: str) -> tuple[bool, str] | None:
    """(refuse, message) when `model` is not published for `locale`; None when it is.

    v2.1's lists are exact, so those refuse; v3's are the newest published ones,
    so an unlisted locale only warns (the service answers for itself).
    """
    if not locale:
        return None
    if api_version == V21:
        allowed = V21_LOCALES[model]
        if locale not in allowed:
            return True, (
                f"The Azure v2.1 {model} model reads only {', '.join(sorted(allowed))} documents, not {locale}. "
                f"Choose one of those locales, or API version {V3}."
            )
        return None
    lang = locale.split("-")[0].lower()
    if model == "invoice" and lang not in V3_INVOICE_LANGUAGES:
        return False, f"Azure does not list {locale} among the invoice model's languages; it may refuse the hint."
    if model == "receipt" and lang not in V3_RECEIPT_LANGUAGES and locale.lower() not in V3_RECEIPT_LANGUAGES:
        return False, f"Azure does not list {locale} among the receipt model's languages; it may refuse the hint."
    return None


@dataclass(frozen=True, slots=True)
class AzureSettings:
    endpoint: str  # https://<resource>.cognitiveservices.azure.com/
    api_version: str = V3
    model: str = "auto"  # auto | invoice | receipt
    locale: str = "en-US"  # "" sends no hint
    tier: str = "standard"  # standard (S0) | free (F0)
    price_per_page: Decimal = DEFAULT_PRICE_PER_PAGE
    currency: str = "USD"
    # Seconds between polls when the service names no Retry-After (it usually asks 1-5 s).
    polling_interval: float = 1.0
    # azure-core's retry policy: 429 (honouring Retry-After), 408, 5xx on reads, dropped connections.
    retry_total: int = 3
    retry_backoff_factor: float = 0.8
    retry_backoff_max: float = 60.0
    timeout: float = 120.0  # seconds for one HTTP exchange (uploads of large PDFs take a while)
    # How long one run waits for an analysis; past it the analysis is kept and looked at again later.
    poll_timeout: float = 10 * 60.0
    # Which pages of long files to read ("1-3,5"; empty: all): Azure reads and bills only those.
    pages: str = ""

    def __post_init__(self) -> None:
        def bad(message: str) -> ReceiptDeskError:
            return ReceiptDeskError(ErrorKind.SETTINGS, message)

        url = urlsplit(self.endpoint.strip())
        if url.scheme not in ("https", "http") or not url.hostname:
            raise bad(
                "The Azure endpoint must be a URL like https://<resource>.cognitiveservices.azure.com/ "
                "(Azure portal > your resource > Keys and Endpoint)."
            )
        if url.scheme == "http" and url.hostname not in _LOOPBACK:
            raise bad("The Azure endpoint must start with https:// so the key is not sent in the clear.")
        if self.api_version not in API_VERSIONS:
            raise bad(
                f"Azure API version {self.api_version!r} is not one ReceiptDesk speaks ({' or '.join(API_VERSIONS)})."
            )
        if self.model not in MODELS:
            raise bad(f"The Azure model must be one of {', '.join(MODELS)}, not {self.model!r}.")
        if self.tier not in TIERS:
            raise bad(f"The Azure pricing tier must be standard or free, not {self.tier!r}.")
        if self.price_per_page < 0:
            raise bad("The price per page cannot be negative.")
        if self.pages and not PAGES.match(self.pages):
            raise bad(f"“{self.pages}” is not a list of pages. Write it like 1-3,5 (or leave it empty for all pages).")
        if self.poll_timeout <= 0:
            raise bad("The time to wait for Azure must be a positive number of seconds.")
        if self.polling_interval < 0 or self.retry_total < 0 or self.retry_backoff_factor < 0 or self.timeout <= 0:
            raise bad("Azure polling, retry and timeout settings must be positive numbers.")
        if self.locale:
            object.__setattr__(self, "locale", normalise_locale(self.locale))
            if self.api_version == V21:
                allowed = V21_LOCALES["receipt"] | V21_LOCALES["invoice"]
                if self.locale not in allowed:
                    problem = locale_problem(self.locale, V21, "receipt")
                    raise bad(problem[1] if problem else f"Azure v2.1 does not read {self.locale} documents.")

    @property
    def host(self) -> str:
        return urlsplit(self.endpoint.strip()).hostname or self.endpoint

    @property
    def generation(self) -> str:
        """What the user sees: "API 2023-07-31" or "API v2.1"."""
        return f"API {self.api_version}" if self.api_version == V3 else "API v2.1"
