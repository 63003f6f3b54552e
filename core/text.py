"""Vietnamese text: diacritic folding for search, and numbers and dates as Vietnamese write them."""

import re
import unicodedata
from collections import defaultdict
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


# --- Vietnamese alphabetical order ---------------------------------------------------------------
# The alphabet in dictionary order (f, j, w, z only in foreign names), and the tones in dictionary
# order: ngang, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ).
ALPHABET_VI = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn (per base below)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_MODIFIED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
             ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}


def _letters_and_tones(word: str) -> tuple[str, str]:
    """Split a word into Vietnamese letters and the tone of each syllable."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFD", word.lower().replace("đ", "\x00")):
        if ch == "\x00":
            letters.append("đ")
        elif ch in _TONES:
            tones.append(_TONES[ch])
        elif unicodedata.category(ch) == "Mn":
            if letters and (letters[-1], ch) in _MODIFIED:
                letters[-1] = _MODIFIED[(letters[-1], ch)]
        else:
            letters.append(ch)
    return "".join(letters), "".join(str(t) for t in tones) or "0"


def _encode(letters: str) -> str:
    # Each Vietnamese letter becomes one byte-ordered character; anything else sorts after them.
    return "".join(chr(0x30 + ALPHABET_VI.index(c)) if c in ALPHABET_VI else chr(0x60) + c for c in letters)


def name_sort_key(full_name: str) -> str:
    """A byte-comparable key that orders names the Vietnamese way.

    Given name first, then middle names, then family name ("Nguyễn Văn An" sorts by "An", then
    "Văn", then "Nguyễn"); letters in Vietnamese alphabet order (a < ă < â < b … d < đ); tones only
    break ties. Store it in a C-collated column and ORDER BY it on either database.
    """
    words = full_name.split()
    if not words:
        return ""
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    parts = [_letters_and_tones(w) for w in ordered]
    primary = "\x21".join(_encode(letters) for letters, _ in parts)
    secondary = "".join(tones for _, tones in parts)
    return f"{primary}\x20{secondary}"


# --- diacritic-insensitive matching in the database ------------------------------------------------


def _fold_variants() -> dict[str, str]:
    """Every letter that `fold` turns into each ASCII letter: "d" -> "DdĐđ", "a" -> "AaÀÁ…ặ"."""
    groups: dict[str, set[str]] = defaultdict(set)
    # ASCII letters, Latin-1 to Latin Extended-B, and Latin Extended Additional (ạ ả ấ … ỹ).
    for code in (*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250), *range(0x1EA0, 0x1F00)):
        folded = fold(chr(code))
        if len(folded) == 1 and folded.isascii() and folded.isalpha():
            groups[folded].add(chr(code))
    return {letter: "".join(sorted(chars)) for letter, chars in groups.items()}


FOLD_VARIANTS = _fold_variants()


def folded_regex(q: str) -> str:
    """A regular expression matching `q` whatever the diacritics and case: "an hoa" -> "[Aaà…][Nn…]…".

    For tables without a folded column (units): `name__iregex=folded_regex(q)` is the same full
    scan of the visible rows that `icontains` would do, but "an hoa", "AN HÒA" and "An Hòa" all
    find "Đảng bộ xã An Hòa" (REGEXP on SQLite, ~* on PostgreSQL).
    """
    parts = []
    for char in fold(q):
        if char in FOLD_VARIANTS:
            parts.append(f"[{FOLD_VARIANTS[char]}]")
        elif char == " ":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    return "".join(parts)
