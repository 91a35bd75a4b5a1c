"""The words receipts and invoices print beside their amounts, in common languages.

OCR often drops the spaces between words ("TOTALAMOUNT", "CASHTENDERED",
"NETTOTAL"), so a run of letters is split back into known words before a
line is classified. Only general vocabulary lives here: the words for
total, tax, change and so on, never anything taken from a particular shop.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein


class Label(StrEnum):
    TOTAL = "total"
    SUBTOTAL = "subtotal"
    TAX = "total_tax"
    TIP = "tip"
    DISCOUNT = "discount"
    ROUNDING = "rounding"
    PAID = "paid"
    CHANGE = "change"
    COUNT = "count"
    SERVICE = "service"
    TAX_ID = "tax_id"
    NONE = "none"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TOTAL_WORDS = _words(
    "TOTAL TOTALE TOTAAL TOTALT TOTALS TTL TOT GESAMT GESAMTBETRAG ENDBETRAG SUMME SUMA SUMMA RAZEM UKUPNO "
    "JUMLAH YHTEENSA NALEZNOSC TOTAUX SOMME SALDO CELKEM TOPLAM IALT SOMMA OSSZESEN TONG "
    "ИТОГ ИТОГО ВСЕГО СУМА РАЗОМ УКУПНО ΣΥΝΟΛΟ"
)
WEAK_TOTAL_WORDS = _words("AMOUNT AMT BALANCE BAL MONTANT BETRAG IMPORTE SUM BEDRAG VALOR IMPORTO BELOB BELOP СУММА")
# Words that make a total the final one. ("NET TOTAL" is the final total on Malaysian tills but the
# total before VAT in Britain, so NET does not count either way.)
STRONG_WORDS = _words(
    "GRAND DUE PAYABLE ROUNDED TTC ZAHLEN PAY PAGAR PAYER BETALEN ZAPLATY FINAL GENEL COMPLESSIVO MAKSETTAVA "
    "UHRADE BEZAHLEN BETALA BETALE FIZETENDO ОПЛАТЕ СПЛАТИ ΠΛΗΡΩΤΕΟ"
)
SUBTOTAL_WORDS = _words(
    "SUBTOTAL SUBTTL SUBTOT ZWISCHENSUMME SOUSTOTAL SUBTOTAAL SUBTOTALE ZWISCHENSUME MEZISOUCET DELSUMMA "
    "VALISUMMA PODSUMA ARATOPLAM RESZOSSZEG ПОДЫТОГ"
)
SUB_WORDS = _words("SUB SOUS ARA ΜΕΡΙΚΟ")
TAX_WORDS = _words(
    "TAX TAXES GST VAT HST PST QST SST MWST UST TVA IVA BTW MOMS ALV IMPUESTO IMPUESTOS STEUER PPN DPH DDV PDV "
    "KDV IGV ITBIS GCT MVA TPS TVQ TVH CGST SGST IGST UTGST PTU PODATEK AFA THUE НДС ПДВ ДДС ΦΠΑ"
)
QUALIFIERS = _words(
    "INCL INCLUSIVE INC INCLUDING INKL INKLUSIVE INCLUSIEF INCLUS INCLUIDO INCLUIDOS INCLUSO COMPRIS EXCL EXCLUSIVE "
    "EXCLUDING EXC EX EXKL EXCLUSIEF EXKLUSIVE OHNE BEFORE AFTER WITHOUT WITH W PLUS SANS HORS SIN CON ZONDER MET"
)
EXCLUDING = _words("EXCL EXCLUSIVE EXCLUDING EXC EX EXKL EXCLUSIEF EXKLUSIVE OHNE BEFORE WITHOUT SANS HORS SIN ZONDER")
# The amount a tax is reckoned on ("Base imponible", "VATable sales", "Sprzed. opod. PTU A", "MVA-grunnlag").
# (Not "Taxable": US tills print it as an item's tax mark too, and WildReceipt's line items lost a row by it.)
BASE_WORDS = _words("IMPONIBLE IMPONIBILE VATABLE OPOD OPODAT OPODATKOWANA GRUNDLAG GRUNNLAG ZAKLAD BASIS")
NET_WORDS = _words("NETTO HT NETTOBETRAG NET NETT VEROTON")
TIP_WORDS = _words("TIP TIPS GRATUITY TRINKGELD POURBOIRE PROPINA MANCIA FOOI")
DISCOUNT_WORDS = _words(
    "DISCOUNT DISCOUNTS DISC SAVINGS SAVING SAVED SAVE PROMO PROMOTION COUPON RABATT REMISE DESCUENTO DESCONTO "
    "SCONTO KORTING RABAT VOUCHER LESS REDUCTION MARKDOWN KEDVEZMENY СКИДКА ЗНИЖКА ΕΚΠΤΩΣΗ"
)
ROUNDING_WORDS = _words("ROUNDING ROUND RND RNDG RUNDUNG ARRONDI ARRONDIS REDONDEO ARROTONDAMENTO AFRONDING ADJUSTMENT")
ADJ_WORDS = _words("ADJ ADJUST")
PAID_WORDS = _words(
    "CASH TENDER TENDERED TEND PAID PAYMENT PAYMENTS CARD VISA MASTERCARD MASTER AMEX CREDIT DEBIT EFTPOS BAR "
    "GEGEBEN ESPECES EFECTIVO CONTANTI CONTANT CONTANTE TARJETA KARTE GOTOWKA KARTA RECEIVED TUNAI KREDIT MAESTRO "
    "DINERS DISCOVER NETS ALIPAY WECHAT PAYPAL JCB UNIONPAY GIROCARD ACCEPTED INSERTED GEG KARTENZAHLUNG BANKOMAT "
    "CARTE CB PIN PINNEN BANCONTACT PAGAMENTO ENTREGADO NUMERARIO DINHEIRO MULTIBANCO CARTAO KATEINEN "
    "HOTOVE HOTOVOST KONTANT KONTANTER DANKORT NAKIT KARTI KARTU INTERAC KESZPENZ BANKKARTYA NUMERAR "
    "GOTOVINA KARTICA НАЛИЧНЫМИ НАЛИЧНЫЕ БЕЗНАЛИЧНЫМИ КАРТОЙ ГОТІВКА КАРТКА ΜΕΤΡΗΤΑ ΚΑΡΤΑ"
)
CHANGE_WORDS = _words(
    "CHANGE KEMBALI BAKI RUCKGELD RUECKGELD WECHSELGELD RENDU MONNAIE CAMBIO VUELTO RESTO TROCO RESZTA WISSELGELD "
    "TAKAISIN VAIHTORAHA VRACENO VRATIT BYTTEPENGE VEKSEL VAXEL USTU ZURUCK TERUG VISSZAJARO REST POVRAT THOI "
    "THUA СДАЧА РЕШТА РЕСТО ΡΕΣΤΑ"
)
COUNT_WORDS = _words("QTY QUANTITY ITEMS ITEM PCS ARTIKEL ANZAHL ARTICLES UNITS COUNT PIECES STUCK")
SERVICE_WORDS = _words("SERVICE SVC SERV SERVIS BEDIENUNG SERVIZIO COPERTO SERVICO SERVICIO")
CHARGE_WORDS = _words("CHARGE CHARGES CHG CHRG TAXA CARGO")
ID_WORDS = _words("ID NO NR REG NUMBER REGISTRATION IDNR NUM")
TAX_ID_WORDS = _words("ABN NIP TIN GSTIN NPWP KVK SIRET SIREN UID ROC NIF CIF RFC")
OTHER = _words(
    "RM USD EUR GBP SGD MYR AUD CAD INR AT OF FOR ON AND PER TO THE ZU A DO TE DUE SALES SALE BILL PURCHASE VALUE "
    "PRICE ORDER INVOICE RECEIPT SUMMARY THIS AFTER TOP ATT"
)

_VOCAB = (
    TOTAL_WORDS
    | WEAK_TOTAL_WORDS
    | STRONG_WORDS
    | SUBTOTAL_WORDS
    | SUB_WORDS
    | TAX_WORDS
    | BASE_WORDS
    | QUALIFIERS
    | NET_WORDS
    | TIP_WORDS
    | DISCOUNT_WORDS
    | ROUNDING_WORDS
    | ADJ_WORDS
    | PAID_WORDS
    | CHANGE_WORDS
    | COUNT_WORDS
    | SERVICE_WORDS
    | CHARGE_WORDS
    | OTHER
)
# Pieces a glued run may be split into: short ones ("EX", "TO") would split
# ordinary words ("EXCHANGE" is not "EX CHANGE").
_PIECES = frozenset(w for w in _VOCAB if len(w) >= 3)
# Short currency words printed glued to a label ("UKUPNOkn", "TOTALRM").
_TRAILING = ("RM", "KN", "KR", "ZL", "FT", "KC", "LEI", "EUR", "USD", "SGD", "CHF", "PLN", "GBP")
# Long words OCR misspells by a letter ("ROUNDLNG"): matched within one edit.
_LONG = tuple(sorted(w for w in _VOCAB if len(w) >= 6))
# Label words a glued run may start or end with ("TOTALSALESRM", "TAKEOUTTOTAL").
_LONG_FIRST = tuple(
    sorted(TOTAL_WORDS | SUBTOTAL_WORDS | {"AMOUNT", "CHANGE", "ROUNDING", "DISCOUNT"}, key=len, reverse=True)
)


def fold(text: str) -> str:
    """Upper case without accents, so "Należność" and "NALEZNOSC" compare equal."""
    text = text.replace("ß", "SS").replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def compare_key(text: str) -> str:
    """Letters and digits only, upper case, as the scorer compares: two readings of one name compare equal."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", text).upper())


def letters(text: str) -> int:
    """How many letters a text has (a name, a description needs a few; codes and marks have none)."""
    return sum(c.isalpha() for c in text)


@lru_cache(maxsize=4096)
def _split(run: str) -> tuple[str, ...]:
    """A glued run of letters as known words ("TOTALAMOUNT" -> TOTAL AMOUNT), or itself."""
    if run in _VOCAB or len(run) < 4:
        return (run,)
    if len(run) == 4:
        return (_near_word(run) or run,)
    n = len(run)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        prefix = best[i]
        if prefix is None:
            continue
        for j in range(i + 3, n + 1):
            piece = run[i:j]
            if piece in _PIECES:
                cand = (*prefix, piece)
                current = best[j]
                if current is None or len(cand) < len(current):
                    best[j] = cand
    found = best[n]
    if found:
        return found
    for tail in _TRAILING:
        head = run[: -len(tail)]
        if run.endswith(tail) and len(head) >= 3 and (head in _VOCAB or _split(head) != (head,)):
            return (*_split(head), tail)
    for w in _LONG_FIRST:
        if run.startswith(w) and len(run) - len(w) >= 2:
            return (w, *_split(run[len(w) :]))
    for w in _LONG_FIRST:
        if run.endswith(w) and len(run) - len(w) >= 2:
            return (*_split(run[: -len(w)]), w)
    near = _near_word(run)
    return (near,) if near else (run,)


def _near_word(run: str) -> str | None:
    """A long label word OCR got one letter wrong ("ROUNDLNG"); for short runs, only TOTAL ("TOTRL", "TOTA")."""
    if len(run) >= 6:
        found = process.extractOne(run, _LONG, scorer=Levenshtein.distance, score_cutoff=1)
        return str(found[0]) if found else None
    if len(run) >= 4 and Levenshtein.distance(run, "TOTAL", score_cutoff=1) <= 1:
        return "TOTAL"
    return None


_LETTER_RUN = re.compile(r"[^\W\d_]+")
_DIGIT_AS_LETTER = str.maketrans("015", "OIS")


def _as_letters(m: re.Match[str]) -> str:
    digits = m.group(0)
    return digits.translate(_DIGIT_AS_LETTER) if len(digits) == 1 else digits


# Chinese, Japanese and Korean labels, written without spaces, as the Latin words they mean
# (longest first: 総合計 before 合計, 内消費税 before 消費税).
_CJK_LABELS = {
    "総合計": " GRAND TOTAL ",
    "合計": " TOTAL ",
    "合计": " TOTAL ",
    "總計": " TOTAL ",
    "总计": " TOTAL ",
    "합계": " TOTAL ",
    "총액": " TOTAL ",
    "小計": " SUBTOTAL ",
    "小计": " SUBTOTAL ",
    "소계": " SUBTOTAL ",
    "内消費税": " INCL TAX ",
    "ご請求額": " AMOUNT DUE ",
    "請求額": " AMOUNT DUE ",
    "消費税": " TAX ",
    "税额": " TAX ",
    "稅額": " TAX ",
    "부가세": " TAX ",
    "お預かり": " CASH ",
    "お預り": " CASH ",
    "預り": " CASH ",
    "实收": " CASH ",
    "받은금액": " CASH ",
    "お会計": " TOTAL ",
    "消费金额": " AMOUNT ",
    "应付金额": " AMOUNT DUE ",
    "应收金额": " AMOUNT DUE ",
    "應付金額": " AMOUNT DUE ",
    "应付": " DUE ",
    "应收": " DUE ",
    "总额": " TOTAL ",
    "總額": " TOTAL ",
    "결제금액": " TOTAL ",
    "받을금액": " AMOUNT DUE ",
    "공급가액": " SUBTOTAL ",
    "과세물품가액": " SUBTOTAL ",
    "부가가치세": " TAX ",
    "外税": " TAX ",
    "内税": " INCL TAX ",
    "实付": " PAID ",
    "實付": " PAID ",
    "现金": " CASH ",
    "現金": " CASH ",
    "현금": " CASH ",
    "신용카드": " CARD ",
    "카드": " CARD ",
    "クレジット": " CARD ",
    "优惠": " DISCOUNT ",
    "優惠": " DISCOUNT ",
    "折扣": " DISCOUNT ",
    "할인": " DISCOUNT ",
    "お釣り": " CHANGE ",
    "お釣": " CHANGE ",
    "釣銭": " CHANGE ",
    "找零": " CHANGE ",
    "거스름돈": " CHANGE ",
    "잔돈": " CHANGE ",
    # Thai, also written without spaces
    "รวมทั้งสิ้น": " GRAND TOTAL ",
    "ยอดสุทธิ": " GRAND TOTAL ",
    "ยอดรวม": " TOTAL ",
    "รวมเงิน": " TOTAL ",
    "รวม": " TOTAL ",
    "ภาษีมูลค่าเพิ่ม": " VAT ",
    "เงินสด": " CASH ",
    "เงินทอน": " CHANGE ",
    "ทอน": " CHANGE ",
    "ส่วนลด": " DISCOUNT ",
    # Hebrew, whose abbreviations carry a gershayim ("סה״כ" is total, "מע״מ" VAT)
    'סה"כ': " TOTAL ",
    "סה״כ": " TOTAL ",
    "סך הכל": " TOTAL ",
    "לתשלום": " DUE ",
    'מע"מ': " VAT ",
    "מע״מ": " VAT ",
    "מזומן": " CASH ",
    "אשראי": " CARD ",
    "עודף": " CHANGE ",
    "הנחה": " DISCOUNT ",
}
_CJK_RE = re.compile("|".join(sorted(_CJK_LABELS, key=len, reverse=True)))
# Korean and Japanese tills space a short label out to the width of a longer one ("합 계", "부 가 세", "合　計").
_CJK_CHAR = r"[\u3041-\u30ff\u4e00-\u9fff\uac00-\ud7a3]"
_SPACED_OUT = re.compile(rf"(?<!{_CJK_CHAR}){_CJK_CHAR}(?:[ \u3000]{_CJK_CHAR})+(?!{_CJK_CHAR})")


def tokens(text: str) -> list[str]:
    """The words of a label, glued runs split, in order ("I.V.A." is IVA)."""
    text = _SPACED_OUT.sub(lambda m: re.sub(r"[ \u3000]", "", m.group(0)), text)
    text = _CJK_RE.sub(lambda m: _CJK_LABELS[m.group(0)], text)
    # digits OCR put in a word ("T0TAL", "5UBTOTAL") read as the letters they look like
    folded = re.sub(r"(?<=[A-Z])[0-9](?=[A-Z])|\b[05](?=[A-Z]{3})", _as_letters, fold(text))
    runs = [m.group(0) for m in _LETTER_RUN.finditer(folded)]
    joined: list[str] = []
    letters = ""
    for r in runs:
        if len(r) == 1:
            letters += r
            continue
        if letters:
            joined.append(letters)
            letters = ""
        joined.append(r)
    if letters:
        joined.append(letters)
    out: list[str] = []
    for r in joined:
        out.extend(_split(r))
    return out


@dataclass(frozen=True, slots=True)
class Classified:
    label: Label
    strength: int  # 0 none, 1 weak ("AMOUNT"), 2 plain ("TOTAL"), 3 strong ("GRAND TOTAL", "AMOUNT DUE")


# Labels of an amount with or without the tax, not of the tax: "Gross incl. VAT", "Brutto inkl. MwSt".
_NOT_THE_TAX = frozenset(
    "INVOICE RECEIPT SUMMARY PRICE PRICES SALES GROSS BRUTTO NET NETTO SUMME BASE GRUNDLAG BASIS VALUE".split()
)


_PAY_VERBS = frozenset({"PAY", "PAYER", "PAGAR", "ZAHLEN", "BEZAHLEN", "BETALEN", "BETALA", "BETALE", "UHRADE"})


def _follows(toks: list[str], first: str, second: str) -> bool:
    return any(a == first and b == second for a, b in pairwise(toks))


def _near(toks: list[str], i: int, group: frozenset[str], before: int = 2) -> bool:
    return any(t in group for t in toks[max(0, i - before) : i])


def classify(text: str) -> Classified:
    """What the amounts printed after this label are."""
    toks = tokens(text)
    if not toks:
        return Classified(Label.NONE, 0)
    has = set(toks)
    total_word = bool(has & TOTAL_WORDS) or _follows(toks, "I", "ALT")  # Danish "I ALT"
    tax_at = [i for i, t in enumerate(toks) if t in TAX_WORDS]
    if (tax_at and any(i + 1 < len(toks) and toks[i + 1] in ID_WORDS for i in tax_at)) or has & TAX_ID_WORDS:
        return Classified(Label.TAX_ID, 2)
    if has & COUNT_WORDS and (total_word or len(toks) <= 3) and not has & (TAX_WORDS | SUBTOTAL_WORDS):
        return Classified(Label.COUNT, 2)
    if has & CHANGE_WORDS and not tax_at:
        return Classified(Label.CHANGE, 2)
    if total_word and has & ROUNDING_WORDS and has & {"AFTER", "ROUNDED"}:
        return Classified(Label.TOTAL, 3)  # "Total after rounding"
    if has & ROUNDING_WORDS or (has & ADJ_WORDS and not total_word):
        return Classified(Label.ROUNDING, 2)
    if has & TIP_WORDS:
        return Classified(Label.TIP, 2)
    if has & DISCOUNT_WORDS:
        return Classified(Label.DISCOUNT, 2)
    if (has & PAID_WORDS or _follows(toks, "TIEN", "MAT")) and not has & STRONG_WORDS:  # Vietnamese "tiền mặt"
        return Classified(Label.PAID, 2)
    if has & _PAY_VERBS and has & {"TO", "A", "ZU", "TE", "THIS", "ATT", "AT", "K"}:
        return Classified(Label.TOTAL, 3)  # "To pay", "A payer", "Zu zahlen", "Att betala", "K úhradě"
    if toks == ["PAY"]:
        return Classified(Label.PAID, 2)
    if has & SERVICE_WORDS and has & CHARGE_WORDS and not tax_at:
        return Classified(Label.SERVICE, 2)
    subtotal = (
        bool(has & SUBTOTAL_WORDS)
        or {"NET", "SALES"} <= has
        or any(t in SUB_WORDS and i + 1 < len(toks) and toks[i + 1] in TOTAL_WORDS for i, t in enumerate(toks))
    )
    if subtotal:
        return Classified(Label.SUBTOTAL, 2)
    if has & BASE_WORDS:  # what a tax is reckoned on: one rate's base beside its tax, else the sum before tax
        return Classified(Label.NONE, 0) if tax_at else Classified(Label.SUBTOTAL, 1)
    excluding = bool(has & EXCLUDING)
    if (total_word or has & WEAK_TOTAL_WORDS) and (excluding or has & {"NETTO", "HT", "NETTOBETRAG"}):
        return Classified(Label.SUBTOTAL, 2)
    if tax_at and not all(_near(toks, i, QUALIFIERS) for i in tax_at) and not has & {"INVOICE", "RECEIPT", "SUMMARY"}:
        return Classified(Label.TAX, 2)
    if tax_at and not total_word and not has & (WEAK_TOTAL_WORDS | _NOT_THE_TAX):
        # "Incl. VAT (20%) 22.82" alone is the tax the total includes; "Excl. VAT 114.13" the sum before it
        return Classified(Label.SUBTOTAL if excluding else Label.TAX, 2)
    if total_word:
        return Classified(Label.TOTAL, 3 if has & STRONG_WORDS else 2)
    if has & {"DUE", "PAYABLE", "MAKSETTAVA", "UHRADE"}:
        return Classified(Label.TOTAL, 3)
    if has & WEAK_TOTAL_WORDS:
        return Classified(Label.TOTAL, 1)
    if has & {"NETTO", "NETTOBETRAG", "VEROTON"}:
        return Classified(Label.SUBTOTAL, 1)
    return Classified(Label.NONE, 0)
