import codecs

import pytest

from transforms.decode import DecodeError, decode_bytes


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Price: £5 – “ok”".encode("utf-8"), "Price: £5 – “ok”", "utf-8"),
        (codecs.BOM_UTF8 + "Café".encode("utf-8"), "Café", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Kyiv – Київ".encode("utf-16-le"), "Kyiv – Київ", "utf-16"),
        ("Ski lift bookings – Graubünden".encode("utf-16-le"), "Ski lift bookings – Graubünden", "utf-16-le"),
        ("Ski lift bookings – Graubünden".encode("utf-16-be"), "Ski lift bookings – Graubünden", "utf-16-be"),
        (b"Cost \xa3250 and \x93quoted\x94 \x96 caf\xe9 in the budget of the council today", "Cost £250 and “quoted” – café in the budget of the council today", "cp1252"),
    ],
)
def test_decodes_each_encoding(data, text, encoding):
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_repairs_mojibake_but_keeps_typographic_quotes():
    decoded = decode_bytes("Russiaâ€™s â€œAllied Resolveâ€\x9d drills".encode("utf-8"))
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
    assert decode_bytes(latin, declared="iso-8859-1").text == "Café owners say the “new rules” will cost them £250 a month – or more."
