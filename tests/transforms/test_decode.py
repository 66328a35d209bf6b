import codecs

import pytest

from transforms.decode import DecodeError, decode_bytes


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Price: £5 – “ok”".encode("utf-8"), "Price: £5 – “ok”", "utf-8"),
        (codecs.BOM_UTF8 + "Café".encode("utf-8"), "Café", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Kyiv – Київ".encode("utf-16-le"), "Kyiv – Київ", "utf-16"),
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
