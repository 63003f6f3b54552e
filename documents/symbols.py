"""Document numbers and symbols: "Số 25-KH/ĐU" ⇄ (25, "KH", "ĐU") (rules.md §6, rules-2026.md §7b).

Parsing is tolerant of what officers type: "Số", "số:", spaces around the dashes, a lower-case type, "QD"
for "QĐ" and "DU" for "ĐU" when the đ was lost on a keyboard without it.
"""

import re
from dataclasses import dataclass

from documents.rules import MIN_DIGITS, DocType

_SYMBOL = re.compile(r"^\s*(?:s[ốo]\s*:?\s*)?(\d{1,6})\s*-\s*([A-Za-zĐđ]+)\s*/\s*([A-Za-zĐđ0-9\-]+)\s*$", re.IGNORECASE)
_TYPES = {t.value.upper(): t.value for t in DocType}
_TYPES.update({"QD": DocType.QD.value, "QDI": DocType.QDI.value, "CTHD": DocType.CTHD.value, "DA": DocType.DA.value})


@dataclass(frozen=True)
class Symbol:
    number: int
    doc_type: str
    issuer: str

    def __str__(self) -> str:
        return format_symbol(self.number, self.doc_type, self.issuer)


def format_symbol(number: int, doc_type: str, issuer: str) -> str:
    return f"{number:0{MIN_DIGITS}d}-{doc_type}/{issuer}"


def number_line(number: int, doc_type: str, issuer: str) -> str:
    return f"Số {format_symbol(number, doc_type, issuer)}"


def parse(text: str) -> Symbol | None:
    """The parts of a document's number, or None if `text` is not one ("21-KL/TW", "Số 05-CT/TW")."""
    m = _SYMBOL.match(text or "")
    if not m:
        return None
    raw_type = m.group(2)
    doc_type = _TYPES.get(raw_type.upper())
    if doc_type is None:
        return None
    issuer = m.group(3).upper()
    if issuer.endswith("DU"):  # "DU", "BTCDU" typed for "ĐU", "BTCĐU"
        issuer = issuer[:-2] + "ĐU"
    return Symbol(int(m.group(1)), doc_type, issuer)


def symbol_error(text: str) -> str:
    """Why `text` is not a symbol, and how to write one."""
    if "-" in text and "/" not in text:
        return (f"“{text}” thiếu ký hiệu cơ quan ban hành sau dấu “/”; hãy ghi đủ dạng số-loại/cơ quan, "
                "ví dụ 25-KH/ĐU.")
    return f"“{text}” không phải số, ký hiệu văn bản; hãy ghi dạng số-loại/cơ quan, ví dụ 25-KH/ĐU hoặc 21-KL/TW."
