"""Vietnamese text: diacritic folding for search, and numbers and dates as Vietnamese write them."""

import unicodedata
from datetime import date


def fold(text: str) -> str:
    """"Nguyễn Văn Đức" -> "nguyen van duc": lower case, no tone or vowel marks, đ -> d."""
    text = (text or "").replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(bare.lower().split())


def vn_number(n: int | float, decimals: int = 0) -> str:
    """60137 -> "60.137"; 3.756 with 2 decimals -> "3,76"."""
    s = f"{n:,.{decimals}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def vn_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""
