"""The published body is the seed text, word for word, but for declared corrections."""

import hashlib

from support import ROOT, SOURCE, articles, read_front_matter

SEED = ROOT / "tests" / "reference" / "seed.txt"


def corrected_seed(corrections):
    text = SEED.read_text(encoding="utf-8")
    for fix in corrections:
        assert text.count(fix["original"]) == 1, f"correction not found once: {fix['original']!r}"
        text = text.replace(fix["original"], fix["corrected"])
    return [line for line in text.split("\n") if line.strip()]


def published_blocks(pages, title):
    [tree] = [
        tree for tree in pages.values() if tree.css_first("article h1") and tree.css_first("article h1").text() == title
    ]
    return [node.text() for node in tree.css(".article-body > *")]


# SHA-256 of the report as received (the newsroom's seed 000_8cdfb7b7e9f87abe.txt),
# recorded when it was copied: the suite reads nothing outside the repository.
SEED_SHA256 = "0e760936503941b9cb3e5816f6dc1b827fcff863ab2b28a69fec8c01f2155df0"


def test_seed_is_the_text_as_received():
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256
    assert SEED.read_text(encoding="utf-8").startswith("Dhe Malian Foreign Minister")


def test_body_equals_seed_except_declared_corrections(pages):
    meta = articles()[SOURCE]
    assert published_blocks(pages, meta["title"]) == corrected_seed(meta["corrections"])


def test_only_two_corrections_are_declared():
    assert len(articles()[SOURCE]["corrections"]) == 2


def test_seed_headings_are_markdown_headings():
    _, body = read_front_matter(ROOT / "content" / "articles" / SOURCE)
    headings = [line[3:] for line in body.splitlines() if line.startswith("## ")]
    assert headings == ["Military relies on Russia", "Serious human rights violations", "Bad security situation"]
