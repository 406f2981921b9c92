"""Text normalisation and matching for Vietnamese spreadsheet content.

Every text read from a workbook goes through `nfc` before it is compared or
stored, so that names typed with different keyboard settings (NFC or NFD
Unicode, non-breaking spaces, line breaks inside a cell) compare equal.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable

_SPACE_RUN = re.compile(r"\s+")
# Zero-width characters survive copy-paste from web pages and Word but are
# invisible to the clerk, so they must not make two names differ.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def nfc(s: str) -> str:
    """Unicode NFC with every whitespace run (NBSP, tabs, line breaks...) collapsed."""
    s = unicodedata.normalize("NFC", s.translate(_INVISIBLE))
    return _SPACE_RUN.sub(" ", s).strip()


# Characters a clerk cannot tell from an ASCII hyphen or apostrophe (Word's autocorrect, copies
# from web pages): "Phòng Tổ chức – Cán bộ" is "Phòng Tổ chức - Cán bộ", "B’Lao" is "B'Lao".
_LOOKALIKE = str.maketrans(
    {
        **dict.fromkeys(map(ord, "‐‑‒–—―−﹣－"), "-"),
        **dict.fromkeys(map(ord, "’‘‛`´ʼʹ′＇"), "'"),
    }
)


def lookalike(s: str) -> str:
    """`s` with look-alike dashes and apostrophes made ASCII; for comparing, not for storing."""
    return s.translate(_LOOKALIKE)


def fold(s: str) -> str:
    """Matching key for unit and cluster names: case-insensitive, diacritics kept, look-alike
    dashes and apostrophes made ASCII."""
    # casefold() can decompose some letters, so compose again.
    return unicodedata.normalize("NFC", lookalike(nfc(s)).casefold())


def strip_diacritics(s: str) -> str:
    """Remove Vietnamese tone and vowel marks; đ/Đ become d/D."""
    decomposed = unicodedata.normalize("NFD", s)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).replace("đ", "d").replace("Đ", "D")


_HEADER_EDGE = ":.;,* \"'“”‘’«»`´"
_QUOTES = dict.fromkeys(map(ord, "\"'“”‘’«»`´"))
# An edge "(*)" or "(%)" is a footnote or unit marker, not part of the name.
_EDGE_GROUP = re.compile(r"^\(\W*\)|\(\W*\)$")


def fold_header(s: str) -> str:
    """Matching key for column headers: no diacritics, lower case, no edge punctuation."""
    key = _SPACE_RUN.sub(" ", lookalike(strip_diacritics(nfc(s))).lower().translate(_QUOTES))
    while True:
        previous = key
        key = _EDGE_GROUP.sub("", key.strip(_HEADER_EDGE))
        # Only an unbalanced parenthesis is stray: "diem thuong (cong)" keeps its pair.
        if key.endswith(")") and key.count(")") > key.count("("):
            key = key[:-1]
        if key.startswith("(") and key.count("(") > key.count(")"):
            key = key[1:]
        if key[:1] == "(" and key[-1:] == ")" and not set("()") & set(key[1:-1]):
            key = key[1:-1]
        if key == previous:
            return key


_ROMAN = re.compile(r"(X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def roman_to_int(s: str) -> int | None:
    """Value of a Roman numeral from I to XXXIX, or None."""
    text = s.strip().upper()
    if not text or not _ROMAN.fullmatch(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


# Matched on the diacritic-free, lower-cased text. Roman numerals only count
# after "thi đua" or "số": after a bare "cụm" they would catch ordinary words
# ("cụm vi phạm").
_CLUSTER = re.compile(
    r"\b(?P<kind>cum|khoi)\b"
    r"(?:(?:\s+(?:thi\s*dua|td))?\s+so\s*[:.]?\s*(?P<num1>\d+|[ivx]+)"
    r"|\s+(?:thi\s*dua|td)\s*[:.]?\s*(?P<num2>\d+|[ivx]+)"
    r"|\s*[:.]?\s*(?P<num3>\d+))"
    r"\b"
)


def canonical_cluster(s: str) -> str | None:
    """'Cụm thi đua số N' or 'Khối thi đua số N' named anywhere in `s`, or None."""
    key = strip_diacritics(nfc(s)).lower()
    for match in _CLUSTER.finditer(key):
        token = match.group("num1") or match.group("num2") or match.group("num3")
        number = int(token) if token.isdigit() else roman_to_int(token)
        if number:
            word = "Cụm" if match.group("kind") == "cum" else "Khối"
            return f"{word} thi đua số {number}"
    return None


# --- Legacy encodings -------------------------------------------------------
#
# Before Unicode, Vietnamese offices typed with 8-bit fonts. Excel keeps the
# bytes as Latin-1 characters, so the text arrives as mojibake such as
# "Së Tµi chÝnh" (TCVN3/ABC) or "Sôû Taøi chính" (VNI). A word counts as
# evidence for an encoding when it holds characters Unicode Vietnamese never
# uses and, decoded with that encoding, becomes a well-formed Vietnamese
# syllable; words of other languages ("Müller", "año") fail the second test.

_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc huyền hỏi ngã nặng
_VOWELS = "aăâeêioôơuưy"


def _vietnamese_letters() -> frozenset[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    for vowel in _VOWELS:
        for tone in _TONES:
            letters.add(unicodedata.normalize("NFC", vowel + tone))
    return frozenset(letters | {ch.upper() for ch in letters})


_VIETNAMESE = _vietnamese_letters()

_TCVN3 = dict(
    zip(
        "¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ",
        "ĂÂÊÔƠƯĐăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ",
        strict=True,
    )
)


def _vni_table() -> dict[str, str]:
    plain = "ùøûõï"  # marks in the order of _TONES[1:]
    circumflex = "âáàåãä"
    breve = "êéèúüë"
    table: dict[str, str] = {}

    def add(code: str, letter: str) -> None:
        letter = unicodedata.normalize("NFC", letter)
        table[code] = letter
        table[code.upper()] = letter.upper()
        # Title case: capital base letter, lower-case mark ("Ñaûng", "AÙnh" both occur).
        table[code[0].upper() + code[1:]] = letter.upper()

    for base in "aeouy":
        for mark, tone in zip(plain, _TONES[1:], strict=True):
            add(base + mark, base + tone)
    for base in "aeo":
        for mark, tone in zip(circumflex, _TONES, strict=True):
            add(base + mark, base + "\u0302" + tone)
    for mark, tone in zip(breve, _TONES, strict=True):
        add("a" + mark, "a\u0306" + tone)
    for code, base in (("ô", "o"), ("ö", "u")):
        add(code, base + "\u031b")
        for mark, tone in zip(plain, _TONES[1:], strict=True):
            add(code + mark, base + "\u031b" + tone)
    for code, tone in zip("íìæóò", _TONES[1:], strict=True):
        add(code, "i" + tone)
    add("î", "y\u0323")
    add("ñ", "đ")
    return table


_VNI = _vni_table()
_LEGACY_CHARS = frozenset(_TCVN3) | frozenset("".join(_VNI))
# Any letter belongs to the word, so that a Unicode word holding one odd
# character ("ÐẢNG" typed with the Icelandic eth) fails to decode as a whole.
_WORD = re.compile(r"(?:[^\W\d_]|[" + re.escape("".join(sorted(_LEGACY_CHARS))) + "])+")

_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
    r"(?:iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu"
    r"|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ"
    r"|ưa|ưi|ươ|ưu|uy|yê|[aăâeêioôơuưy])"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_TONE_MARKS = frozenset(_TONES[1:])


def _is_syllable(word: str | None) -> bool:
    if not word:
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONE_MARKS for ch in decomposed) > 1:
        return False
    toneless = unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    )
    return _SYLLABLE.fullmatch(toneless) is not None


def _decode_tcvn3(word: str) -> str | None:
    if any(not ch.isascii() and ch not in _TCVN3 for ch in word):
        return None
    return "".join(_TCVN3.get(ch, ch) for ch in word)


def _decode_vni(word: str) -> str | None:
    out = []
    i = 0
    while i < len(word):
        if word[i : i + 2] in _VNI:
            out.append(_VNI[word[i : i + 2]])
            i += 2
        elif word[i] in _VNI:
            out.append(_VNI[word[i]])
            i += 1
        elif word[i].isascii():
            out.append(word[i])
            i += 1
        else:
            return None
    return "".join(out)


_DECODERS = (("TCVN3", _decode_tcvn3), ("VNI", _decode_vni))


def legacy_encoding(s: str) -> str | None:
    """'TCVN3' or 'VNI' when `s` looks typed in that legacy font encoding, else None."""
    text = nfc(s)
    markers = 0
    evidence = {"TCVN3": 0, "VNI": 0}
    evidence_markers = {"TCVN3": 0, "VNI": 0}
    # Words such as "céng" (TCVN3 for "cộng") use only letters Unicode
    # Vietnamese also uses, so they cannot prove anything alone, but they back
    # up a single marker in a short line like "Tæng céng".
    support = {"TCVN3": 0, "VNI": 0}
    for word in _WORD.findall(text):
        # A lone symbol ("·" as a separator, "§ 3") is punctuation, not a letter.
        if len(word) == 1 and not word.isalpha():
            continue
        count = sum(ch in _LEGACY_CHARS and ch not in _VIETNAMESE for ch in word)
        markers += count
        for name, decode in _DECODERS:
            decoded = decode(word)
            if not _is_syllable(decoded):
                continue
            if count:
                evidence[name] += 1
                evidence_markers[name] += count
            elif decoded != word:
                support[name] += 1
    score = {name: evidence[name] + support[name] for name in evidence}
    best = max(score, key=lambda name: score[name])
    other = "VNI" if best == "TCVN3" else "TCVN3"
    # Legacy text never holds letters beyond Latin-1, while Unicode Vietnamese
    # of any length nearly always does (ư, ơ, đ, ạ, ế...).
    latin1_only = all(ord(ch) <= 0xFF for ch in text if ch.isalpha())
    enough = evidence_markers[best] >= 2 or (
        evidence_markers[best] == 1 and support[best] >= 1 and latin1_only
    )
    if score[best] > score[other] and enough and 2 * evidence_markers[best] >= markers:
        return best
    return None


# --- Suggestions ------------------------------------------------------------

_SUGGEST_CUTOFF = 0.6


def _tokens(s: str) -> list[str]:
    return re.findall(r"\w+", strip_diacritics(fold(s)))


def _token_matches(query: list[str], candidate: list[str]) -> tuple[list[bool], list[bool]]:
    """Which words of each name match a word of the other, counting abbreviations.

    "tc" matches "to chuc" by initials and "cong" matches "cong" exactly, so
    "Ban TC Cong an tinh" still finds "Ban Tổ chức Đảng ủy Công an tỉnh". Exact words are
    matched first, or abbreviations first ("UBKT Tỉnh ủy": the first "ủy" of "Ủy ban Kiểm tra
    Tỉnh ủy" belongs to "UBKT"), whichever covers more.
    """
    best: tuple[list[bool], list[bool]] | None = None
    for exact_first in (True, False):
        got = _match_words(query, candidate, exact_first)
        if best is None or sum(got[0]) + sum(got[1]) > sum(best[0]) + sum(best[1]):
            best = got
    assert best is not None
    return best


def _match_words(
    query: list[str], candidate: list[str], exact_first: bool
) -> tuple[list[bool], list[bool]]:
    used = [False] * len(candidate)
    matched = [False] * len(query)

    def take(qi: int, start: int, length: int) -> None:
        matched[qi] = True
        for k in range(start, start + length):
            used[k] = True

    def exact() -> None:
        for qi, word in enumerate(query):
            if matched[qi]:
                continue
            for ci, other in enumerate(candidate):
                if not used[ci] and other == word:
                    take(qi, ci, 1)
                    break

    def loose() -> None:
        for qi, word in enumerate(query):
            if matched[qi]:
                continue
            for ci in range(len(candidate)):
                run = candidate[ci : ci + len(word)]
                if (
                    len(word) >= 2
                    and len(run) == len(word)
                    and not any(used[ci : ci + len(word)])
                    and "".join(w[0] for w in run) == word
                    and word not in candidate
                ):
                    take(qi, ci, len(word))
                    break
                other = candidate[ci]
                # A typo inside a longer word ("Chánh" for "chính"); short words ("la", "lao")
                # differ in a letter and are different places.
                if (
                    not used[ci]
                    and len(word) >= 3
                    and (
                        other.startswith(word)
                        or (
                            min(len(word), len(other)) >= 4
                            and difflib.SequenceMatcher(None, word, other).ratio() >= 0.8
                        )
                    )
                ):
                    take(qi, ci, 1)
                    break

    for step in (exact, loose) if exact_first else (loose, exact):
        step()
    return matched, used


def closest(
    name: str, candidates: Iterable[str], n: int = 3, cutoff: float = _SUGGEST_CUTOFF
) -> list[str]:
    """Up to `n` known names close to `name`, best first, for a 'có phải...?' hint.

    Only really close names are offered. Words most known names share ("Ban Xây dựng Đảng Đảng
    ủy phường") weigh little, the words that tell units apart (the place, the field) weigh much,
    and both names must be mostly covered by the other: "Ban XD Đảng phường B Lao" finds "…
    phường B'Lao" and not "… phường La Gi"; "Ban Dân vận Tỉnh ủy" finds nothing in a list of
    other boards.
    """
    query = _tokens(name)
    known: dict[str, list[str]] = {}
    for candidate in candidates:
        if candidate not in known and (words := _tokens(candidate)):
            known[candidate] = words
    if not query or not known:
        return []
    # How many known names hold each word: a word in every name tells none apart.
    df: dict[str, int] = {}
    for words in known.values():
        for w in set(words):
            df[w] = df.get(w, 0) + 1

    def weight(w: str) -> float:
        return math.log(1 + len(known) / df.get(w, 1))

    scored: list[tuple[float, str]] = []
    for candidate, words in known.items():
        matched, used = _token_matches(query, words)
        q_total = sum(weight(w) for w in query)
        q_hit = sum(weight(w) for w, hit in zip(query, matched, strict=True) if hit)
        c_weights = [weight(w) for w in words]
        c_hit = sum(x for x, hit in zip(c_weights, used, strict=True) if hit)
        score = min(q_hit / q_total, c_hit / sum(c_weights))
        if score >= cutoff:
            scored.append((score, candidate))
    scored.sort(key=lambda item: -item[0])
    return [candidate for _, candidate in scored[:n]]


def from_legacy(text: str, encoding: str, pure: bool = False) -> tuple[str, bool]:
    """``text`` typed in a legacy encoding ('TCVN3' or 'VNI'), in Unicode, and whether every
    word that shows the encoding's marks decoded to a Vietnamese syllable.

    Word by word: a word that decodes to no Vietnamese syllable is kept as it is (a name in
    another language, a unit symbol), and so is a word with a letter beyond Latin-1 (Unicode).
    A text whose other words read as Unicode Vietnamese (well-formed syllables, no mark Unicode
    never uses) is left alone, since sheets mix legacy text with Unicode headers ("Ghi chú"
    would decode to "Ghi chỳ"). A ``pure`` sheet (no Unicode letter beyond Latin-1 anywhere)
    has no such headers: there every word that decodes to a syllable is decoded.
    """
    decode = dict(_DECODERS)[encoding]
    if not pure and not any(
        not word.isascii() and all(ord(ch) <= 0xFF for ch in word) and not _plausible_unicode(word)
        for word in _WORD.findall(text)
    ):
        return text, True
    sure = True

    def one(m: re.Match[str]) -> str:
        nonlocal sure
        word = m.group(0)
        if word.isascii() or any(ord(ch) > 0xFF for ch in word):
            return word
        decoded = _decode_word(word, decode)
        if decoded is not None:
            return decoded
        if any(ch in _LEGACY_CHARS and ch not in _VIETNAMESE for ch in word):
            sure = False
        return word

    return _WORD.sub(one, text), sure


def _plausible_unicode(word: str) -> bool:
    """A word that reads as Unicode Vietnamese: no legacy mark, a syllable, ordinary case."""
    if any(ch in _LEGACY_CHARS and ch not in _VIETNAMESE for ch in word):
        return False
    return _is_syllable(word) and (word.islower() or word.isupper() or word.istitle())


def _abbreviation(word: str) -> bool:
    """An upper-case abbreviation of Vietnamese words: "ĐVT", "HĐND", "GCNQSDĐ"."""
    return (
        word.isupper() and len(word) <= 12 and all(ch.isascii() or ch in _VIETNAMESE for ch in word)
    )


# Words typed without the space between them: "huyÖnC¨n" is "huyện" then "Căn".
_RUN_ON = re.compile(r"(?<=.)(?<![A-Z])(?=[A-Z])")


def _decode_word(word: str, decode) -> str | None:
    """A legacy word decoded, when it (or each of its run-on parts) is a Vietnamese syllable or
    an abbreviation; else None."""
    decoded = decode(word)
    if decoded is not None and (_is_syllable(decoded) or _abbreviation(decoded)):
        return decoded
    parts = _RUN_ON.split(word)
    if len(parts) < 2:
        return None
    out = [decode(part) for part in parts]
    if all(d is not None and (_is_syllable(d) or _abbreviation(d)) for d in out):
        return "".join(d for d in out if d is not None)
    return None
