"""Finds English words in text a user reads.

A word passes when it carries Vietnamese letters (ă â đ ê ô ơ ư or a tone mark), when, written
without them, it is one Vietnamese syllable (onset, one to three vowels, a final consonant), or
when it is a name or unit of the allowlist. English words are almost never a single Vietnamese
syllable ("file", "Drag", "estimate", "reported", "allowed", "demo"); the few that are ("the",
"to", "not") slip through, which a scan of whole pages tolerates.
"""

from __future__ import annotations

import re
import unicodedata

ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x"
SYLLABLE = re.compile(rf"(?:{ONSET})?[aeiouy]{{1,3}}(?:ch|nh|ng|c|m|n|p|t)?")
# Names, units and formats a Vietnamese user reads as they are.
ALLOWED = {
    "excel", "powerpoint", "libreoffice", "pdf", "png", "svg", "url", "grdp", "usd", "csv",
    "xlsx", "xlsm", "xls", "ods", "pptx", "docx", "vietnamplus", "cafef", "thidua", "duckdb", "mb",
    "sheet", "email", "zalo", "chromium", "noto", "sans", "font", "online", "internet",
    "streamlit", "plotly", "kaleido", "python", "windows", "macos", "tp", "ct", "tu", "qd",
    "ubnd", "hdnd", "ktxh", "kt", "xh", "dvt", "kh", "vnd", "ha", "km",
}  # fmt: skip
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]")
MARKUP = re.compile(r"<[^>]+>|&[a-z]+;")  # plotly markup and entities, taken out first
NOISE = re.compile(
    r"https?://\S+"  # links
    r"|\S+\.(?:xlsx|xlsm|xls|ods|csv|pdf|pptx|docx|png|svg|duckdb|json|sql)\b"  # file names
    r"|\S*[_/\\]\S*"  # identifiers and paths
    r"|:material/[a-z_]+:"  # Streamlit icons
    r"|:[a-z]+(?:-badge|-background)?\[|\*\*"  # Markdown colour directives, bold
    r"|%\{[^}]*\}"  # plotly placeholders
)


def _is_vietnamese(word: str) -> bool:
    if VIETNAMESE_LETTERS.search(word):
        return True
    decomposed = unicodedata.normalize("NFD", word)
    if any(unicodedata.combining(c) for c in decomposed):
        return True
    return SYLLABLE.fullmatch(word.lower()) is not None


def english_words(text: str) -> set[str]:
    """The words of ``text`` that are neither Vietnamese nor allowed."""
    text = NOISE.sub(" ", MARKUP.sub(" ", unicodedata.normalize("NFC", text)))
    found = set()
    for word in re.findall(r"[^\W\d_]+", text):
        if word.lower() in ALLOWED or _is_vietnamese(word):
            continue
        if len(word) == 1 or (word.isupper() and len(word) <= 5):  # a, b; UBND, CSDL, QĐ
            continue
        found.add(word)
    return found


def decimal_points(text: str) -> set[str]:
    """Numbers written with a decimal point ("3.15") where Vietnamese writes a comma."""
    text = NOISE.sub(" ", MARKUP.sub(" ", text))
    return set(re.findall(r"(?<![\d.,/])\d+\.\d{1,2}(?![\d.])", text))
