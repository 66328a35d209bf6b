import codecs

import pytest

from transforms.decode import DecodeError, decode_bytes


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Price: £5 – “ok”".encode(), "Price: £5 – “ok”", "utf-8"),
        (codecs.BOM_UTF8 + "Café".encode(), "Café", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Kyiv – Київ".encode("utf-16-le"), "Kyiv – Київ", "utf-16"),
        ("Ski lift bookings – Graubünden".encode("utf-16-le"), "Ski lift bookings – Graubünden", "utf-16-le"),
        ("Ski lift bookings – Graubünden".encode("utf-16-be"), "Ski lift bookings – Graubünden", "utf-16-be"),
        (
            b"Cost \xa3250 and \x93quoted\x94 \x96 caf\xe9 in the budget of the council today",
            "Cost £250 and “quoted” – café in the budget of the council today",
            "cp1252",
        ),
    ],
)
def test_decodes_each_encoding(data, text, encoding):
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_repairs_mojibake_but_keeps_typographic_quotes():
    decoded = decode_bytes("Russiaâ€™s â€œAllied Resolveâ€\x9d drills".encode())
    assert decoded.text == "Russia’s “Allied Resolve” drills"
    assert decoded.mojibake_repaired


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_rejects_non_text(data, reason):
    with pytest.raises(DecodeError) as err:
        decode_bytes(data)
    assert err.value.reason == reason


def test_a_declared_charset_is_used_when_the_bytes_are_not_utf8():
    data = "Минск: цены на хлеб выросли".encode("cp1251")
    assert (decode_bytes(data, declared="windows-1251").text, decode_bytes(data, declared="windows-1251").encoding) == (
        "Минск: цены на хлеб выросли",
        "cp1251",
    )
    # Latin-1 is read as browsers read it (cp1252); a UTF-16 label on bytes without a BOM is ignored.
    latin = "Caf\xe9 owners say the \x93new rules\x94 will cost them \xa3250 a month \x96 or more.".encode("latin-1")
    assert decode_bytes(latin, declared="iso-8859-1") == decode_bytes(latin, declared="utf-16") == decode_bytes(latin)
    assert (
        decode_bytes(latin, declared="iso-8859-1").text
        == "Café owners say the “new rules” will cost them £250 a month – or more."
    )


# Short wire-style texts with accented names and curly quotes, in the encodings archives
# arrive in. The bytes are made here from the known text; the whole decoded text must
# come back. (Issue 13: cp1252 read as cp1250 gave `Hélčne`, `Săo Paulo`, `ŕ la carte`,
# `Peńa`, and as DOS code pages `Gandhiĺs`, `OPECÆs`.)
SHORT_TEXTS = [
    ("PARIS – Hélène Carrère d’Encausse was re-elected on Thursday.", "cp1252"),
    ("Talks in São Paulo ended without a deal, officials said.", "cp1252"),
    ("The menu is à la carte, the chef said.", "cp1252"),
    ("Enrique Peña Nieto met the delegation in Mexico City.", "cp1252"),
    ("NEW DELHI (Reuters) – Gandhi’s party won the vote.", "cp1252"),
    ("VIENNA – OPEC’s output rose in March, the group said.", "cp1252"),
    ("“We will not accept it,” said Søren Kierkegaard’s biographer.", "cp1252"),
    ("Zürich-based Nestlé said profit rose 4% – its best year.", "cp1252"),
    ("The Côte d’Ivoire striker joined Besiktaş’s rivals.", "utf-8"),
    ("Mário Centeno, Portugal’s finance minister, spoke in Brussels.", "cp1252"),
    ("François Hollande’s aide denied the report on Monday.", "cp1252"),
    ("Ørsted shares fell 3% in Copenhagen on Tuesday.", "cp1252"),
    ("Cristina Fernández de Kirchner’s lawyers appealed.", "cp1252"),
    ("Björn Borg’s son won in Malmö, the agency reported.", "cp1252"),
    ("Crédit Agricole SA cut 1,200 jobs, the bank said.", "latin-1"),
    ("Ángel Gurría, head of the OECD, spoke in Paris.", "latin-1"),
    ("José Mourinho said Benfica’s coach was “excellent”.", "cp1252"),
    ("Île-de-France trains were cancelled; Señor Ruiz complained.", "cp1252"),
    ("Strauss-Kahn’s lawyer said the case was “closed”.", "cp1252"),
    ("Müller said the Bundesbank’s forecast was £2bn too low.", "cp1252"),
    ("Fiat’s chief Sergio Marchionne visited Turin’s plant.", "cp1252"),
    ("Peña and Muñoz, both 54, denied the charges in Cádiz.", "latin-1"),
    ("Minister Radosław Sikorski spotkał się z ambasadorem w Łodzi.", "cp1250"),
    ("Prezydent Wałęsa powiedział, że Gdańsk jest gotowy.", "cp1250"),
    ("Premiér Andrej Babiš přijel do Plzně ve středu večer.", "cp1250"),
    ("Václav Havel’s widow Dagmar Havlová opened the exhibition in Brno.", "cp1250"),
    ("Ministr zahraničí řekl, že Česká republika podpoří Ukrajinu.", "cp1250"),
    ("Żaneta Kołodziej została wybrana na burmistrza Świdnicy.", "cp1250"),
    ("Москва: президент Путин провёл совещание с правительством.", "cp1251"),
    ("Київ: Верховна Рада ухвалила бюджет на наступний рік.", "cp1251"),
    ("Минск: Лукашенко заявил, что армия готова к учениям.", "cp1251"),
    ("Kraków – „Nie zgodzimy się”, powiedział Jarosław Kaczyński.", "utf-8"),
    ("Hélène Dupont’s “à la carte” plan for São Paulo – Peña agreed.", "utf-8"),
]


@pytest.mark.parametrize(("text", "encoding"), SHORT_TEXTS, ids=[f"{e}-{t[:20]}" for t, e in SHORT_TEXTS])
def test_short_texts_decode_whole(text, encoding):
    decoded = decode_bytes(text.encode(encoding))
    assert (decoded.text, decoded.mojibake_repaired) == (text, False)


# Western text whose units and ordinals put a symbol after a letter (`km²`, `nº`, `n°`,
# `m³`, `2ª`): the symbol is not a Central European letter in disguise, so the text stays
# cp1252 (it decoded as cp1250: `km˛ … Hélčne`, `nş … Espańa`, `Săo Paulo … ŕ`, `Genčve`).
WESTERN_UNITS_AND_ORDINALS = [
    "The 50 km² zone near Hélène's farm was closed on Monday.",
    "El decreto nº 45 de España fue firmado por el señor ministro.",
    "O decreto nº 45 de São Paulo foi enviado à imprensa na terça-feira.",
    "Le décret n° 12 a été publié à Genève mardi.",
    "Le décret Nº 7 de la mairie à Genève prévoit 30 m³ d'eau par foyer.",
    "La 2ª edición del festival en Cádiz reunió a 300 niños, dijo el señor Muñoz.",
    "Der Neubau umfasst 1.200 m² Fläche in Köln, sagte Jürgen Müller.",
    "A 3ª reunião em Brasília começou às 10h, disse o ministro João Gonçalves.",
    "Die Anlage in Zürich fördert 40 m³ Wasser pro Stunde, heißt es aus dem Rathaus.",
    "Le lac d'Annecy couvre 27 km² ; la préfète a interdit la baignade à Sévrier.",
]


@pytest.mark.parametrize("text", WESTERN_UNITS_AND_ORDINALS, ids=[t[:24] for t in WESTERN_UNITS_AND_ORDINALS])
def test_western_units_and_ordinals_stay_cp1252(text):
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding, decoded.mojibake_repaired) == (text, "cp1252", False)


def test_decoding_and_format_errors_are_one_kind_of_reject():
    """Both steps raise the one RejectError (reason + detail) that `prepare` turns into a reject."""
    from transforms.errors import RejectError
    from transforms.formats import unwrap

    caught = []
    for step in (lambda: decode_bytes(b""), lambda: unwrap(b"not gzip", "a.txt.gz")):
        with pytest.raises(RejectError) as err:
            step()
        caught.append((type(err.value).__name__, err.value.reason, err.value.detail))
    assert caught == [
        ("DecodeError", "empty", "file is empty (0 bytes)"),
        ("FormatError", "bad_compression", "file ends in .gz but is not gzip data"),
    ]
