"""Encode text into Windows-1258 and TCVN3 (ABC), independently of the
plugin's tables, for the tests that feed clean.normalize legacy files.

Each encoder returns (bytes, text): the bytes, and the text those bytes
really hold. Characters an encoding cannot hold become '?' (TCVN3 has no
capital toned vowels: typists used its lower-case codes with a capitals
font, so those come back in lower case).
"""
import unicodedata

TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text):
    data, same = bytearray(), []
    for ch in text:
        try:
            data += ch.encode("cp1258")
            same.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
        marks = "".join(c for c in d if c in TONES)
        try:
            data += (base + marks).encode("cp1258")
            same.append(ch)
        except UnicodeEncodeError:
            data += b"?"
            same.append("?")
    return bytes(data), "".join(same)


# TCVN3 (VN3) from 0xA1 to 0xFE; '.' marks codes only the full TCVN 5712 uses.
VN3 = ("ĂÂÊÔƠƯĐăâêôơưđ" "." "....." "àảãáạ" "." "ằẳẵắ" "......." "ặầẩẫấậè" "."
       "ẻẽéẹềểễếệìỉ" "..." "ĩíịò" "." "ỏõóọồổỗốộờởỡớợù" "." "ủũúụừửữứựỳỷỹýỵ")
assert len(VN3) == 0xFE - 0xA1 + 1
TCVN = {c: 0xA1 + i for i, c in enumerate(VN3) if c != "."}
TCVN["\u00a0"] = 0xA0


def tcvn3(text):
    data, same = bytearray(), []
    for ch in text:
        if ord(ch) < 0x80:
            data.append(ord(ch))
            same.append(ch)
        elif ch in TCVN:
            data.append(TCVN[ch])
            same.append(ch)
        elif ch.lower() in TCVN and ch.lower() not in "ăâêôơưđ":
            data.append(TCVN[ch.lower()])
            same.append(ch.lower())
        else:
            data.append(ord("?"))
            same.append("?")
    return bytes(data), "".join(same)


ENCODERS = {"cp1258": cp1258, "tcvn3": tcvn3}
