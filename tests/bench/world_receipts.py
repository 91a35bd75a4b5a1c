"""Receipts of the Americas and Europe for the probe battery (tests/bench/world_probes.py), written by hand.

Each line as pages.receipt takes it: " | " puts the amount flush right. The expected values are what the
receipt itself says; a field the receipt does not print is None and not scored. Tax numbers carry valid
check digits (made up, not any real firm's), as real ones do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Probe:
    country: str
    name: str
    lines: tuple[str, ...]
    total: str
    date: date | None
    currency: str | None
    subtotal: str | None = None
    tax: str | None = None

    def expected(self, field: str) -> object:
        if field == "date":
            return self.date
        if field == "currency":
            return self.currency
        raw = {"total": self.total, "subtotal": self.subtotal, "tax": self.tax}[field]
        return None if raw is None else Decimal(raw)


def P(country: str, name: str, *lines: str, **want: object) -> Probe:
    return Probe(country, name, lines, **want)  # type: ignore[arg-type]


# fmt: off
AMERICAS = [
    P("US", "diner, card slip, tip", "THE CORNER BISTRO", "331 W 4th St", "New York, NY 10014", "(212) 242-9502",
      "Server: Maria | Table 12", "Chk 4512 | Gst 2", "03/14/2024 7:42 PM", "1 Burger Deluxe | 18.50",
      "1 Caesar Salad | 14.00", "2 Draft Beer | 16.00", "Subtotal | 48.50", "Tax | 4.30", "Total | 52.80",
      "VISA XXXXXXXXXXXX1234", "Auth: 012345", "Amount: | $52.80", "Tip: | 10.00", "Total: | $62.80",
      "Signature ____________", total="62.80", date=date(2024, 3, 14), currency="USD", subtotal="48.50", tax="4.30"),
    P("US", "diner, blank tip line", "JOE'S PIZZA", "7 Carmine St", "New York NY 10014", "Tel (212) 366-1182",
      "Date: 03/09/24 | Time: 12:31", "2 SLICE CHEESE | 7.00", "1 SODA | 2.50", "SUBTOTAL | 9.50",
      "SALES TAX 8.875% | 0.84", "TOTAL | 10.34", "MASTERCARD ****5521", "TIP ____________",
      "TOTAL ____________", total="10.34", date=date(2024, 3, 9), currency="USD", subtotal="9.50", tax="0.84"),
    P("US", "grocery, taxed items", "SAFEWAY", "Store 1234 Dir Jane Doe", "2020 Market St", "San Francisco CA 94114",
      "Main: (415) 861-7660", "ORGANIC BANANAS | 1.98 S", "CHOBANI YOGURT | 5.49 S", "PAPER TOWELS | 8.99 T",
      "TAX | 0.78", "**** BALANCE | 17.24", "VISA | 17.24", "CHANGE | 0.00", "03/14/24 18:22 1234 07 0123 456",
      total="17.24", date=date(2024, 3, 14), currency="USD", tax="0.78"),
    P("CA", "Ontario coffee, HST", "TIM HORTONS #2345", "100 King St W", "Toronto, ON M5X 1A9", "HST# 029715778 RT0001",
      "2024/03/14 08:12", "1 MED ORIG | 2.19", "1 BAGEL TOASTED | 1.89", "SUBTOTAL | 4.08", "HST 13% | 0.53",
      "TOTAL | 4.61", "DEBIT | 4.61", total="4.61", date=date(2024, 3, 14), currency="CAD", subtotal="4.08",
      tax="0.53"),
    P("CA", "Quebec epicerie, TPS/TVQ", "METRO PLUS", "1500 rue Sainte-Catherine O", "Montreal, QC H3G 1S1",
      "14/03/2024 17:05", "SAVON DOVE | 6,99", "CHIPS LAYS | 4,49", "SOUS-TOTAL | 11,48", "TPS 5% | 0,57",
      "TVQ 9,975% | 1,15", "TOTAL | 13,20", "INTERAC | 13,20", "TPS: 029715778 RT0001", "TVQ: 1234567890 TQ0001",
      total="13.20", date=date(2024, 3, 14), currency="CAD", subtotal="11.48", tax="1.72"),
    P("BR", "supermercado, CNPJ", "SUPERMERCADO BOM PRECO LTDA", "CNPJ: 51.254.472/0001-01",
      "Av. Paulista, 1000 - Sao Paulo - SP", "CUPOM FISCAL", "001 ARROZ 5KG | 24,90", "002 FEIJAO 1KG | 8,49",
      "003 CAFE 500G | 17,90", "TOTAL R$ | 51,29", "Dinheiro | 60,00", "Troco | 8,71", "14/03/2024 10:22:31",
      total="51.29", date=date(2024, 3, 14), currency="BRL"),
    P("BR", "restaurante, taxa de servico", "RESTAURANTE SABOR CASEIRO", "CNPJ 51.254.472/0001-01",
      "Rua Augusta 500, Sao Paulo", "Data: 09/03/2024 13:10", "PRATO FEITO | 32,00", "SUCO LARANJA | 9,00",
      "SUBTOTAL | 41,00", "TAXA DE SERVICO 10% | 4,10", "VALOR TOTAL R$ | 45,10", "Cartao de Credito | 45,10",
      total="45.10", date=date(2024, 3, 9), currency="BRL", subtotal="41.00"),
    P("MX", "tienda, IVA", "OXXO", "CADENA COMERCIAL OXXO SA DE CV", "RFC: NWM9709244W4", "Av. Reforma 100, CDMX",
      "14/03/2024 09:15", "COCA COLA 600ML | $18.00", "SABRITAS | $17.50", "SUBTOTAL | $30.60", "IVA 16% | $4.90",
      "TOTAL | $35.50", "EFECTIVO | $50.00", "CAMBIO | $14.50", total="35.50", date=date(2024, 3, 14), currency="MXN",
      subtotal="30.60", tax="4.90"),
    P("MX", "restaurante, propina", "RESTAURANTE EL FAROLITO", "RFC NWM9709244W4", "Insurgentes Sur 1200, CDMX",
      "Fecha: 09/03/2024", "2 TACOS PASTOR | 90.00", "1 AGUA HORCHATA | 35.00", "SUBTOTAL | 107.76",
      "IVA | 17.24", "TOTAL | 125.00", "PROPINA | 15.00", "TOTAL A PAGAR | 140.00", total="140.00",
      date=date(2024, 3, 9), currency="MXN", subtotal="107.76", tax="17.24"),
]

EUROPE = [
    P("GB", "supermarket, VAT", "TESCO", "Tesco Stores Ltd", "45 High Street, London SW1A 1AA",
      "VAT Number: GB876469855", "MILK 2 PINTS | £1.45", "BREAD WHITE | £1.10", "BANANAS LOOSE | £0.92",
      "TOTAL | £3.47", "CASH | £5.00", "CHANGE DUE | £1.53", "14/03/24 15:32 2345 012", total="3.47",
      date=date(2024, 3, 14), currency="GBP"),
    P("GB", "pub, VAT breakdown", "THE RED LION", "48 Parliament St, London SW1A 2NH", "VAT Reg No 876 4698 55",
      "Date: 09/03/2024 Time: 20:15", "2 x Pint Lager | 13.60", "1 x Fish & Chips | 16.50", "Total | £30.10",
      "Card | £30.10", "VAT 20% | 5.02", "Net | 25.08", total="30.10", date=date(2024, 3, 9), currency="GBP",
      subtotal="25.08", tax="5.02"),
    P("IE", "shop, VAT", "CENTRA", "12 Grafton Street, Dublin 2", "VAT No: IE0194014W", "14/03/2024 11:02",
      "Chicken Fillet Roll | €4.95", "Coffee Regular | €3.20", "TOTAL | €8.15", "Visa Contactless | €8.15",
      "VAT 13.5% | 0.97", total="8.15", date=date(2024, 3, 14), currency="EUR", tax="0.97"),
    P("IE", "pub", "O'DONOGHUE'S BAR", "15 Merrion Row, Dublin", "VAT Reg IE0194014W", "09-03-2024 21:40",
      "2 Guinness | 13.00", "1 Crisps | 2.00", "Total EUR | 15.00", "Cash | 20.00", "Change | 5.00",
      total="15.00", date=date(2024, 3, 9), currency="EUR"),
    P("DE", "Supermarkt, MwSt 7%/19%", "REWE Markt GmbH", "Hauptstr. 12", "10115 Berlin", "UID Nr.: DE342366712",
      "EUR", "Vollmilch 3,5% | 1,19 B", "Bananen | 1,29 B", "Spuelmittel | 2,49 A", "SUMME | EUR 4,97",
      "Geg. BAR | EUR 10,00", "Rueckgeld BAR | EUR 5,03", "Steuer % | Netto | Steuer | Brutto",
      "A= 19,0% | 2,09 | 0,40 | 2,49", "B= 7,0% | 2,32 | 0,16 | 2,48", "Gesamtbetrag | 4,41 | 0,56 | 4,97",
      "Datum: 14.03.2024 Uhrzeit: 18:22:05", total="4.97", date=date(2024, 3, 14), currency="EUR", tax="0.56"),
    P("DE", "Baeckerei, Kartenzahlung", "Baeckerei Schmidt", "Marktplatz 3, 80331 Muenchen",
      "St.-Nr. 143/123/45678", "2 x Brezel | 1,80", "1 x Kaffee | 2,90", "Summe | 4,70", "Gegeben Karte | 4,70",
      "MwSt 7% | 0,31", "Datum 09.03.24 08:15", total="4.70", date=date(2024, 3, 9), currency="EUR", tax="0.31"),
    P("AT", "Billa, Bon", "BILLA AG", "Mariahilfer Str. 1, 1060 Wien", "UID: ATU98347887", "Semmel | 0,49",
      "Milch 1L | 1,39", "Summe EUR | 1,88", "Bar | 5,00", "Rueckgeld | 3,12", "MWST 10% | 0,17",
      "14.03.2024 07:55", total="1.88", date=date(2024, 3, 14), currency="EUR", tax="0.17"),
    P("AT", "Gasthaus", "Gasthaus Zum Hirschen", "Hauptplatz 5, 8010 Graz", "UID ATU98347887",
      "Tisch 4 | 09.03.2024 19:30", "1 Wiener Schnitzel | 18,90", "2 Bier 0,5 | 9,80", "Gesamt | 28,70",
      "inkl. MwSt 20% | 3,65", "inkl. MwSt 10% | 1,72", "Bezahlt Bankomat | 28,70", total="28.70",
      date=date(2024, 3, 9), currency="EUR", tax="5.37"),
    P("CH", "Migros, 5-Rappen-Rundung", "MIGROS", "Bahnhofstrasse 10, 8001 Zuerich", "CHE-061.788.191 MWST",
      "Brot | 3.40", "Milch | 1.65", "Kaese | 7.33", "Total CHF | 12.38", "Rundung | 0.02",
      "Zu bezahlen CHF | 12.40", "Bar | 20.00",
      "Rueckgeld | 7.60", "MWST 2.6% incl. | 0.31", "14.03.2024 12:01", total="12.40", date=date(2024, 3, 14),
      currency="CHF", tax="0.31"),
    P("CH", "Restaurant, apostrophe thousands", "Restaurant Kronenhalle", "Raemistrasse 4, 8001 Zuerich",
      "MWST-Nr. CHE-061.788.191", "09.03.2024 21:14", "Wein 2019 Flasche | 1'180.00", "Menu | 98.00",
      "Total | CHF 1'278.00", "inkl. 8.1% MWST | 95.83", "Visa | 1'278.00", total="1278.00", date=date(2024, 3, 9),
      currency="CHF", tax="95.83"),
    P("FR", "supermarche, TVA", "CARREFOUR MARKET", "12 rue de Rivoli 75004 Paris", "TVA FR25064285364",
      "BAGUETTE | 1,10", "LAIT DEMI ECR. | 1,05", "POULET ROTI | 8,99", "TOTAL TTC | 11,14", "ESPECES | 20,00",
      "RENDU | 8,86", "TVA 5,5% | 0,58", "14/03/2024 18:42", total="11.14", date=date(2024, 3, 14), currency="EUR",
      tax="0.58"),
    P("FR", "brasserie, HT/TVA/TTC", "BRASSERIE LIPP", "151 Bd Saint-Germain 75006 Paris", "SIRET 924 515 448 00018",
      "Table 7 Couverts 2", "Le 09/03/2024 a 20:31", "2 Choucroute | 52,00", "1 Bouteille Vin | 38,00",
      "Total HT | 77,27", "TVA 10% | 5,45", "TVA 20% | 7,28", "Total TTC | 90,00", "CB | 90,00",
      total="90.00", date=date(2024, 3, 9), currency="EUR", subtotal="77.27", tax="12.73"),
    P("BE", "supermarche, BTW/TVA", "DELHAIZE", "Rue Neuve 111, 1000 Bruxelles", "TVA BE0337687682",
      "PAIN GRIS | 2,35", "BIERE 6X25CL | 6,89", "TOTAL A PAYER | 9,24", "BANCONTACT | 9,24",
      "TVA 6% | 0,13", "TVA 21% | 1,20", "14/03/2024 10:05", total="9.24", date=date(2024, 3, 14), currency="EUR",
      tax="1.33"),
    P("BE", "frituur, Nederlands", "FRITUUR 'T PLEINTJE", "Grote Markt 2, 2000 Antwerpen", "BTW BE0337687682",
      "Friet groot | 4,20", "Stoofvleessaus | 2,50", "Totaal | 6,70", "Contant | 10,00", "Wisselgeld | 3,30",
      "09/03/2024 19:22", total="6.70", date=date(2024, 3, 9), currency="EUR"),
    P("NL", "supermarkt, BTW, PIN", "Albert Heijn", "Damstraat 12, 1012 JM Amsterdam", "BTW NL335511417B01",
      "HALFVOLLE MELK | 1,19", "KAAS JONG | 4,59", "TOTAAL | 5,78", "PINNEN | 5,78", "BTW 9% | Over 5,30 | 0,48",
      "14-03-2024 16:44", total="5.78", date=date(2024, 3, 14), currency="EUR", tax="0.48"),
    P("NL", "cafe, te betalen", "Cafe De Jaren", "Nieuwe Doelenstraat 20, Amsterdam", "Datum: 09-03-2024 15:10",
      "2 Cappuccino | 7,60", "1 Appeltaart | 4,90", "Subtotaal | 12,50", "Te betalen | 12,50",
      "Pin | 12,50", "BTW 9% | 1,03", total="12.50", date=date(2024, 3, 9), currency="EUR", subtotal="12.50",
      tax="1.03"),
    P("ES", "supermercado, IVA", "MERCADONA S.A.", "C/ Gran Via 40, 28013 Madrid", "NIF A-46103834",
      "14/03/2024 19:32", "1 LECHE ENTERA | 0,89", "1 PAN BARRA | 0,55", "1 ACEITE OLIVA | 8,95", "TOTAL (EUR) | 10,39",
      "EFECTIVO | 20,00", "CAMBIO | 9,61", "IVA | BASE IMPONIBLE | CUOTA", "4% | 1,39 | 0,05",
      "10% | 8,14 | 0,81", "TOTAL | 9,53 | 0,86", total="10.39", date=date(2024, 3, 14), currency="EUR", tax="0.86"),
    P("ES", "bar, factura simplificada", "BAR CASA PACO", "CIF: B60562873", "Calle Mayor 5, Madrid",
      "Factura simplificada 2024/0345", "Fecha: 09/03/2024", "2 CANAS | 5,00", "1 RACION CALAMARES | 12,00",
      "Base Imponible | 15,45", "IVA 10% | 1,55", "TOTAL | 17,00 EUR", "Tarjeta | 17,00", total="17.00",
      date=date(2024, 3, 9), currency="EUR", subtotal="15.45", tax="1.55"),
    P("IT", "supermercato, scontrino", "ESSELUNGA S.P.A.", "Via Vittor Pisani 20, Milano", "P.IVA 68946060339",
      "DOCUMENTO COMMERCIALE", "di vendita o prestazione", "DESCRIZIONE | IVA | Prezzo(EUR)",
      "PASTA BARILLA | 4% | 1,29", "POMODORI PELATI | 4% | 0,99", "DETERSIVO | 22% | 3,49",
      "TOTALE COMPLESSIVO | 5,77", "di cui IVA | 0,72", "Pagamento contante | 10,00", "Resto | 4,23",
      "14-03-2024 18:21", total="5.77", date=date(2024, 3, 14), currency="EUR", tax="0.72"),
    P("IT", "trattoria, coperto", "TRATTORIA DA MARIO", "Via della Scala 10, Firenze", "P.IVA IT68946060339",
      "09/03/2024 13:40", "COPERTO X2 | 4,00", "BISTECCA | 45,00", "VINO ROSSO | 15,00", "TOTALE EURO | 64,00",
      "PAGAMENTO ELETTRONICO | 64,00", total="64.00", date=date(2024, 3, 9), currency="EUR"),
    P("PT", "supermercado, IVA", "PINGO DOCE", "Av. da Liberdade 100, Lisboa", "NIF PT508329701",
      "FATURA SIMPLIFICADA", "PAO | 0,89", "LEITE | 0,79", "VINHO TINTO | 4,99", "TOTAL | 6,67", "Numerario | 10,00",
      "Troco | 3,33", "IVA 6% | 0,38", "IVA 23% | 0,93", "Data: 2024-03-14 10:11", total="6.67",
      date=date(2024, 3, 14), currency="EUR", tax="1.31"),
    P("PT", "cafe", "PASTELARIA BELEM", "Rua de Belem 84, Lisboa", "Contribuinte 508329701", "14-03-2024",
      "6 Pasteis de Nata | 7,20", "2 Galao | 3,00", "Total a pagar | 10,20", "Multibanco | 10,20",
      total="10.20", date=date(2024, 3, 14), currency="EUR"),
    P("PL", "paragon fiskalny, PTU", "BIEDRONKA JMP S.A.", "ul. Marszalkowska 10, 00-590 Warszawa",
      "NIP 551-451-80-89", "2024-03-14 | nr wydr. 123456", "PARAGON FISKALNY", "Chleb 1 x3,49 | 3,49C",
      "Mleko 2 x2,99 | 5,98C", "Piwo 1 x4,99 | 4,99A", "Sprzed. opod. PTU A | 4,99", "Kwota A 23,00% | 0,93",
      "Sprzed. opod. PTU C | 9,47", "Kwota C 5,00% | 0,45", "Podatek PTU | 1,38", "SUMA PLN | 14,46",
      "Gotowka | 20,00", "Reszta | 5,54", total="14.46", date=date(2024, 3, 14), currency="PLN", tax="1.38"),
    P("PL", "restauracja, karta", "RESTAURACJA POD ANIOLAMI", "ul. Grodzka 35, Krakow", "NIP 5514518089",
      "09.03.2024 19:45", "PARAGON FISKALNY", "Pierogi ruskie | 32,00B", "Zurek | 24,00B", "SUMA PLN | 56,00",
      "Karta | 56,00", "PTU B 8% | 4,15", total="56.00", date=date(2024, 3, 9), currency="PLN", tax="4.15"),
    P("CZ", "supermarket, DPH", "ALBERT", "Vaclavske nam. 21, 110 00 Praha 1", "DIC: CZ30953219",
      "Rohlik | 2,90", "Mleko | 24,90", "Pivo Pilsner | 32,90", "Celkem Kc | 60,70", "Hotove | 100,00",
      "Vraceno | 39,30", "DPH 12% | 6,50", "Datum: 14.03.2024 17:12", total="60.70", date=date(2024, 3, 14),
      currency="CZK", tax="6.50"),
    P("CZ", "hospoda, k uhrade", "U FLEKU", "Kremencova 11, Praha", "14.3.2024 20:10", "2x Tmave pivo 0,4 | 178,00",
      "1x Gulas | 245,00", "Celkem k uhrade: | 423 Kč", "Karta | 423,00", total="423.00", date=date(2024, 3, 14),
      currency="CZK"),
]
# fmt: on
