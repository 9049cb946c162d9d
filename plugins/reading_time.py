"""Each article's ``word_count`` (words a reader sees) and ``reading_minutes`` (at least 1),
for the byline and JSON-LD. Why not pelican-statistics: docs/architecture.md. Settings: none.
"""

import hashlib
import html as html_module

from pelican import signals

WORDS_PER_MINUTE = 250
PUNCTUATION = str.maketrans("", "", ".,?!@#$%^&*()_+-=\\|/[]{}`~:;'\"‘’—…“”")  # noqa: RUF001


def without(text, start, end):
    # Markup.striptags() rebuilds the string for every tag: quadratic in the body's length.
    pieces, position = [], 0
    while (found := text.find(start, position)) != -1 and (close := text.find(end, found + len(start))) != -1:
        pieces.append(text[position:found])
        position = close + len(end)
    pieces.append(text[position:])
    return "".join(pieces)


def count_words(html):
    text = html_module.unescape(without(without(html, "<!--", "-->"), "<", ">"))
    return len(text.translate(PUNCTUATION).split())


def reading_minutes(word_count):
    return max(1, -(-word_count // WORDS_PER_MINUTE))


# {digest of a body: its word count} of the last build: make devserver's rebuild reads the same bodies again.
COUNTS = {}


def add_reading_time(generator):
    counts = {}
    for article in generator.articles:
        text = article._content or ""
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        if digest not in counts:
            counts[digest] = COUNTS[digest] if digest in COUNTS else count_words(text)
        article.word_count = counts[digest]
        article.reading_minutes = reading_minutes(article.word_count)
    COUNTS.clear()
    COUNTS.update(counts)


def register():
    signals.article_generator_finalized.connect(add_reading_time)
