"""How the site finds and lists words: the language filters and the checks, the map and the share cards."""

import re


def whole_words(words):
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)")


def spoken_list(names):
    """``A``, ``A and B``, ``A, B and C``; nothing for no names."""
    names = list(names)
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
