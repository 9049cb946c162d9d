"""Each article's word count and reading time, for the byline and JSON-LD.

``article.word_count`` counts the words a reader sees in the body;
``article.reading_minutes`` rounds that up at ``WORDS_PER_MINUTE`` words a
minute, and is at least 1.

pelican-statistics gives the same two figures, but parses every article
with BeautifulSoup and also computes readability indexes and a count of
every distinct word, which the site never shows: about a tenth of a
1,000-article build, and most of its memory above stock Pelican's.

Settings: none.
"""

import html as html_module

from pelican import signals

WORDS_PER_MINUTE = 250
# Punctuation is not a word: "—" between spaces does not count.
PUNCTUATION = str.maketrans("", "", ".,?!@#$%^&*()_+-=\\|/[]{}`~:;'\"‘’—…“”")  # noqa: RUF001


def without(text, start, end):
    """``text`` with every span from ``start`` to the next ``end`` dropped; one pass.

    Markup.striptags() does the same but rebuilds the string for every tag,
    which takes time quadratic in the length of the body.
    """
    pieces, position = [], 0
    while (found := text.find(start, position)) != -1 and (close := text.find(end, found + len(start))) != -1:
        pieces.append(text[position:found])
        position = close + len(end)
    pieces.append(text[position:])
    return "".join(pieces)


def count_words(html):
    """Words in the text of ``html``: comments and tags dropped, then entities decoded."""
    text = html_module.unescape(without(without(html, "<!--", "-->"), "<", ">"))
    return len(text.translate(PUNCTUATION).split())


def reading_minutes(word_count):
    return max(1, -(-word_count // WORDS_PER_MINUTE))


def add_reading_time(generator):
    for article in generator.articles:
        article.word_count = count_words(article._content or "")
        article.reading_minutes = reading_minutes(article.word_count)


def register():
    signals.article_generator_finalized.connect(add_reading_time)
