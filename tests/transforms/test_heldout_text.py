"""Held-out cases for issue 13's encoding and title rules.

Written before the rules were tuned and not used to tune them: other languages and
outlets than the development cases in test_decode.py / test_parse_clean.py. They measure
the rules; when one fails, report it rather than bend the rule to this file.
"""

import pytest

from transforms.decode import decode_bytes
from transforms.parse import parse_plain_text

ENCODED = [
    # (text, encoding): the decoded text must equal `text` exactly.
    ("Le Monde : Françoise Nyssen a présenté jeudi le « plan théâtre » à Besançon.", "cp1252"),
    ("Der Spiegel: Jürgen Klopp über die Saison – „Wir müssen uns steigern“, sagte er.", "cp1252"),
    ("El País: José Luis Rodríguez Zapatero visitó Logroño el miércoles.", "cp1252"),
    ("Público: O ministro João Galamba chegou a Évora às 10h, disse a agência Lusa.", "cp1252"),
    ("La Stampa: il sindaco di Forlì ha detto che «la città è pronta» per l’estate.", "cp1252"),
    ("Dagens Nyheter: Åsa Björklund säger att Göteborgs hamn öppnar igen på måndag.", "cp1252"),
    ("Irish Times: Seán Ó Fearghaíl said the Dáil would sit on Tuesday.", "cp1252"),
    ("AFP: L’ONU s’inquiète du sort des réfugiés à Gaza, a déclaré un porte-parole.", "cp1252"),
    ("Reuters: Nestlé’s chief executive said Zürich “remains our home”.", "cp1252"),
    ("Corriere: Niccolò Fabi in concerto a Cefalù, ingresso 25 €.", "cp1252"),
    ("Le Soir: Bruxelles-Capitale prévoit une hausse de 3 % à l'été.", "latin-1"),
    ("NZZ: Die Gemeinde Küsnacht erhöht die Steuern für Familien nicht.", "latin-1"),
    ("Rzeczpospolita: Minister Zbigniew Ziobro powiedział, że sąd w Łodzi orzekł źle.", "cp1250"),
    ("Lidové noviny: Předseda vlády Petr Fiala přiletěl do Brna ve čtvrtek večer.", "cp1250"),
    ("Népszabadság: Orbán Viktor szerint a költségvetés még ősszel módosul.", "cp1250"),
    ("SME: Predseda parlamentu Boris Kollár odmietol kritiku opozície v piatok.", "cp1250"),
    ("Коммерсантъ: Министр финансов Антон Силуанов заявил, что бюджет будет исполнен.", "cp1251"),
    ("Українська правда: Президент Зеленський провів зустріч у Києві в четвер.", "cp1251"),
    ("Дневник: Премиерът Денков обяви, че София ще получи нови автобуси.", "cp1251"),
    ("Helsingin Sanomat: Pääministeri Sanna Marin vieraili Jyväskylässä.", "utf-8"),
    ("Gazeta Wyborcza: Wałęsa spotkał się z Tuskiem w Gdańsku — „to ważny dzień”.", "utf-8"),
]


@pytest.mark.parametrize(("text", "encoding"), ENCODED, ids=[f"{e}-{t[:18]}" for t, e in ENCODED])
def test_heldout_decodes_whole_text(text, encoding):
    assert decode_bytes(text.encode(encoding)).text == text


TITLED = [
    # (file text, title, first body line)
    (
        "\u201cWe will not back down,\u201d the union leader told strikers in Lyon on Tuesday, as the dispute entered its third week.\n\nTalks resume on Friday.\n",
        None,
        "\u201cWe will not back down,\u201d the union leader told strikers in Lyon on Tuesday, as the dispute entered its third week.",
    ),
    (
        "Flood warnings lifted across Bavaria\n\nMunich authorities lifted the last flood warnings on Sunday.\n",
        "Flood warnings lifted across Bavaria",
        "Munich authorities lifted the last flood warnings on Sunday.",
    ),
    (
        "The central bank raised rates by 0.5 percentage points on 3 May 2023, to 4.25%.\n\nEconomists had expected the move.\n",
        None,
        "The central bank raised rates by 0.5 percentage points on 3 May 2023, to 4.25%.",
    ),
    (
        "« Nous ne céderons pas », a déclaré le ministre.\n\nLe texte sera voté mardi.\n",
        None,
        "« Nous ne céderons pas », a déclaré le ministre.",
    ),
    (
        "\u201eWir schaffen das\u201c, sagte die Kanzlerin\n\nDie Debatte dauert an.\n",
        None,
        "\u201eWir schaffen das\u201c, sagte die Kanzlerin",
    ),
    (
        "Police arrest 12 after Madrid protest\n\nTwelve people were arrested late on Saturday.\n",
        "Police arrest 12 after Madrid protest",
        "Twelve people were arrested late on Saturday.",
    ),
    (
        "Shares in Tokyo closed 1.2% higher on Monday, led by exporters, while the yen weakened against the dollar.\n\nThe Nikkei gained 340 points.\n",
        None,
        "Shares in Tokyo closed 1.2% higher on Monday, led by exporters, while the yen weakened against the dollar.",
    ),
    (
        "Lisbon tram fares to rise in January\n\nCarris said on Thursday that a single ticket would cost €3.20.\n",
        "Lisbon tram fares to rise in January",
        "Carris said on Thursday that a single ticket would cost €3.20.",
    ),
]


@pytest.mark.parametrize(("text", "title", "first"), TITLED, ids=[t[:24] for t, _, _ in TITLED])
def test_heldout_title_or_body(text, title, first):
    parsed = parse_plain_text(text)
    assert (parsed.header.title, parsed.body[0].text if parsed.body else None) == (title, first)
