"""Jinja filters that add the only markup plain front matter needs, escaping the rest:
``text|lang_parts(parts)`` (``<span lang>``, WCAG 3.1.2) and ``text|abbreviate``
(``<abbr title>`` from ``DATA_ABBREVIATIONS``, WCAG 3.1.4). Settings: none.
"""

from functools import lru_cache

from jinja2 import pass_context
from markupsafe import Markup, escape
from shared.words import whole_words

# Pages ask again and again for the same few words: each pattern is built once.
pattern_of = lru_cache(maxsize=1024)(lambda words: whole_words(words))


def marked(text, wrappers, first_only=False):
    """``text`` escaped, whole-word uses of each key of ``wrappers`` wrapped in its
    ``(element, attribute, value)``; the longest wins where two overlap."""
    text = str(text)
    if not wrappers:
        return escape(text)
    pattern = pattern_of(tuple(sorted(wrappers, key=len, reverse=True)))
    pieces, start, done = [], 0, set()
    for match in pattern.finditer(text):
        found = match.group(1)
        if first_only and found in done:
            continue
        done.add(found)
        element, attribute, value = wrappers[found]
        pieces += [
            escape(text[start : match.start()]),
            Markup('<{0} {1}="{2}">{3}</{0}>').format(Markup(element), Markup(attribute), value, found),
        ]
        start = match.end()
    pieces.append(escape(text[start:]))
    return Markup("").join(pieces)


def lang_parts(text, parts):
    return marked(text, {part["words"]: ("span", "lang", part["lang"]) for part in parts or []})


def abbreviate(text, glossary):
    return marked(
        text,
        {short: ("abbr", "title", expansion) for short, expansion in (glossary or {}).items()},
        first_only=True,
    )


@pass_context
def abbreviate_filter(context, text, after=""):
    """``after``: text shown before this one, whose abbreviations are expanded there."""
    glossary = context.get("DATA_ABBREVIATIONS") or {}
    return abbreviate(
        text, {short: long for short, long in glossary.items() if not (after and pattern_of((short,)).search(after))}
    )
