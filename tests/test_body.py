"""The published body is the seed text, word for word, but for declared corrections."""

from support import ROOT, articles, read_front_matter

SEED = ROOT / "tests" / "reference" / "seed.txt"
ARTICLE = "2023-06-16-mali-demands-withdrawal-of-minusma.md"


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


def test_seed_is_the_text_as_received():
    shared = ROOT.parent / "shared" / "seed" / "000_8cdfb7b7e9f87abe.txt"
    if shared.is_file():  # the reference copy sits beside the project where it exists
        assert SEED.read_bytes() == shared.read_bytes()
    assert SEED.read_text(encoding="utf-8").startswith("Dhe Malian Foreign Minister")


def test_body_equals_seed_except_declared_corrections(pages):
    meta = articles()[ARTICLE]
    assert published_blocks(pages, meta["title"]) == corrected_seed(meta["corrections"])


def test_only_two_corrections_are_declared():
    assert len(articles()[ARTICLE]["corrections"]) == 2


def test_seed_headings_are_markdown_headings():
    _, body = read_front_matter(ROOT / "content" / "articles" / ARTICLE)
    headings = [line[3:] for line in body.splitlines() if line.startswith("## ")]
    assert headings == ["Military relies on Russia", "Serious human rights violations", "Bad security situation"]
