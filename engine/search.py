"""Vietnamese text as the inbox's search compares it: without accents, đ as d, in lower case, one space between
words, so that "nguyen van an" finds "Nguyễn Văn An"."""
import re
import unicodedata

# What a dossier's search text holds at most: its name and its subjects' names (a list of a few hundred households).
MAX_SEARCH_TEXT = 20_000


def fold(text: str) -> str:
    """The text without accents (đ as d), in lower case, its words separated by one space."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def search_text(data: dict) -> str:
    """What a dossier is found by: its name and the names of the subjects it proposes (households, clans, villages,
    a citizen), folded."""
    names = [data.get("name"), data.get("full_name"),
             *(item.get("name") for item in data.get("candidates") or () if isinstance(item, dict))]
    return fold(" | ".join(name for name in names if isinstance(name, str)))[:MAX_SEARCH_TEXT]


# A dossier's number as typed: "37", or as the pages show it, "Số 37" (folded "so 37"), or "#37"; up to 18 digits
# (a BIGINT's), ASCII only ("²" is a digit to str.isdigit, not to int()).
_NUMBER = re.compile(r"(so ?|#)?([0-9]{1,18})")


def dossier_number(folded: str) -> tuple[int, bool] | None:
    """The dossier number a folded search names, if any, and whether it was marked as one ("số", "#"): then it is
    only a number, not also words to find in names."""
    match = _NUMBER.fullmatch(folded)
    return (int(match.group(2)), match.group(1) is not None) if match else None
