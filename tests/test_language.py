"""How the text is read aloud: words in another language carry their `lang`
(WCAG 3.1.2), and abbreviations are expanded at their first use (3.1.4),
in our own text and in the report's body, whose words stay the report's."""

import datetime
import re

import pytest
import yaml
from content_checks.content_checks import load_schema
from content_checks.front_matter import problems_in_file, schema_validator
from language_markup import abbreviate, lang_parts
from markupsafe import Markup
from support import ROOT, SOURCE, article_path, articles, extra_articles, read_front_matter

import pelicanconf

GLOSSARY = yaml.safe_load((ROOT / "content" / "data" / "abbreviations.yaml").read_text(encoding="utf-8"))
LANGUAGES = {"German": "de", "French": "fr"}
PAGE_LANG = "en"


def article_page(pages, title):
    [path] = [
        path
        for path, tree in pages.items()
        if tree.css_first("article h1") and tree.css_first("article h1").text() == title
    ]
    return pages[path]


def lang_of(node):
    """The language a node's text is read in: its own or its nearest ancestor's lang."""
    while node is not None and node.tag != "-undef":
        if "lang" in (node.attributes or {}):
            return node.attributes["lang"]
        node = node.parent
    return None


def text_nodes(node):
    """Every text node under ``node``, in document order."""
    return [child for child in node.traverse(include_text=True) if child.tag == "-text"]


def nodes_with(tree, words, root="main"):
    """The text nodes under ``root`` that hold ``words`` as whole words."""
    pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)")
    return [node for node in text_nodes(tree.css_first(root)) if pattern.search(node.text_content or "")]


# -- The filters ---------------------------------------------------------------------


def test_lang_parts_marks_whole_words_and_escapes_the_rest():
    marked = lang_parts("the German “Der” <b>, not Derby", [{"words": "Der", "lang": "de"}])
    assert isinstance(marked, Markup)
    assert marked == 'the German “<span lang="de">Der</span>” &lt;b&gt;, not Derby'


def test_lang_parts_prefers_the_longer_words_where_two_overlap():
    parts = [{"words": "am", "lang": "de"}, {"words": "am Freitag", "lang": "de-DE"}]
    assert lang_parts("am Freitag, am", parts) == '<span lang="de-DE">am Freitag</span>, <span lang="de">am</span>'


def test_lang_parts_without_parts_only_escapes():
    assert lang_parts("a < b", None) == "a &lt; b"


def test_abbreviate_expands_the_first_use_only_and_escapes_the_expansion():
    glossary = {"UN": 'United "Nations" <x>', "IS": "Islamic State"}
    assert abbreviate("UN, UN’s UNITED; IS is", glossary) == (
        '<abbr title="United &#34;Nations&#34; &lt;x&gt;">UN</abbr>, UN’s UNITED; '
        '<abbr title="Islamic State">IS</abbr> is'
    )


PUBLISHED = ROOT / "content" / "articles" / SOURCE


def lang_parts_problems(tmp_path, *changes):
    """The lang_parts problems the front matter checks find in the published article, changed."""
    text = PUBLISHED.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / PUBLISHED.name
    path.write_text(text, encoding="utf-8")
    validator = schema_validator(load_schema(pelicanconf.CONTENT_CHECKS_SCHEMAS["ARTICLE"]))
    now = datetime.datetime.now(datetime.UTC)
    return [problem for problem in problems_in_file(path, validator, now) if "lang_parts" in problem[1]], text


def line_with(text, words):
    [number] = [number for number, line in enumerate(text.splitlines(), 1) if words in line]
    return number


def test_the_published_words_in_another_language_are_in_their_text(tmp_path):
    assert lang_parts_problems(tmp_path)[0] == []


def test_words_their_text_lacks_are_reported_with_their_line_and_field(tmp_path):
    problems, text = lang_parts_problems(
        tmp_path,
        ('{words: "Mehrländerprogramm Sahel, Leitung: Ulf Laessing", lang: de}', "{words: Mehrländer, lang: de}"),
        ("{words: am Freitag, lang: de}", "{words: am Freitagabend, lang: de}"),
    )
    meta = articles()[SOURCE]
    reason = meta["corrections"][1]["reason"]
    source = meta["sources"][5]
    assert problems == [
        (
            line_with(text, "{words: am Freitagabend"),
            "corrections, item 2, lang_parts, item 1, words",
            f'"am Freitagabend" is not in the reason "{reason}"; expected words of it, as written',
        ),
        (
            line_with(text, "{words: Mehrländer,"),
            "sources, item 6, lang_parts, item 1, words",
            f'"Mehrländer" is not in the name or note or kind '
            f'"{source["name"]} / {source["note"]} / {source["kind"]}"; expected words of it, as written',
        ),
    ]


def test_a_lang_parts_problem_comes_with_the_files_other_problems(tmp_path):
    problems, _ = lang_parts_problems(tmp_path, ("{words: Der, lang: de}", "{words: Die}"))
    fields = [field for _, field, _ in problems]
    assert "corrections, item 1, lang_parts, item 1, words" in fields
    assert "corrections, item 1, lang_parts, item 1, lang" in fields


# -- Language of parts on the published pages ------------------------------------------


@pytest.mark.parametrize("source", sorted(articles()))
def test_a_sources_language_matches_the_language_its_kind_names(source):
    """The brief's kinds say "(German)" or "French": the lang field must agree."""
    offenders = []
    for item in articles()[source].get("sources", []):
        named = [code for language, code in LANGUAGES.items() if language in item["kind"]]
        if named and item["lang"] != named[0]:
            offenders.append((item["name"], item["lang"], named[0]))
    assert offenders == []


def test_every_title_and_word_in_another_language_carries_its_lang(extra_pages):
    """On every article of the extra build (the published ones among them)."""
    checked, offenders = 0, []
    for source, meta in extra_articles().items():
        tree = extra_pages[article_path(meta)]
        wanted = [(item["name"], item["lang"]) for item in meta.get("sources", []) if item["lang"] != PAGE_LANG]
        for entry in meta.get("sources", []) + meta.get("corrections", []):
            wanted += [(part["words"], part["lang"]) for part in entry.get("lang_parts", [])]
        checked += len(wanted)
        for words, lang in wanted:
            found = nodes_with(tree, words)
            if not found or any(lang_of(node) != lang for node in found):
                offenders.append((source, words, lang, [lang_of(node) for node in found]))
    assert checked, "no source or words in another language: nothing checked"
    assert offenders == []


def test_the_german_words_in_the_editors_note_are_read_in_german(pages):
    """The two corrections quote the German original: "Der" and "am Freitag"."""
    meta = articles()[SOURCE]
    note = article_page(pages, meta["title"]).css_first("aside.note")
    for words in ("Der", "am Freitag"):
        found = nodes_with(note, words, root="ul")
        assert found and all(lang_of(node) == "de" for node in found), words


@pytest.mark.parametrize("source", sorted(extra_articles()))
def test_links_to_sources_in_another_language_say_so(extra_pages, source):
    meta = extra_articles()[source]
    links = {a.attributes["href"]: a for a in extra_pages[article_path(meta)].css(".sources a")}
    offenders = [
        (item["url"], links[item["url"]].attributes.get("hreflang"))
        for item in meta.get("sources", [])
        if "url" in item
        and links[item["url"]].attributes.get("hreflang") != (None if item["lang"] == PAGE_LANG else item["lang"])
    ]
    assert offenders == []


# -- Abbreviations ---------------------------------------------------------------------


def first_uses(nodes, glossary):
    """{expansion: the text node of its first use} among ``nodes``; one
    abbreviation may be spelled two ways (MINUSMA, the report's Minusma)."""
    found = {}
    for node in nodes:
        for short, expansion in glossary.items():
            if expansion not in found and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", node.text_content or ""):
                found[expansion] = node
    return found


def expansion_of(node):
    """The title of the <abbr> a text node sits in, if any."""
    parent = node.parent
    return parent.attributes.get("title") if parent is not None and parent.tag == "abbr" else None


def not_this_articles_text(node):
    """Whether a text node is read as a label (a link named by its aria-label,
    in the breadcrumbs and the terms), is another article's (the related
    articles, the older and newer one), which expands its own on its page, or
    is the title of a cited work, quoted as its publisher wrote it."""
    node = node.parent
    while node is not None and node.tag != "-undef":
        labelled = node.tag in ("a", "button") and "aria-label" in node.attributes
        elsewhere = {"related", "article-nav"} & set((node.attributes.get("class") or "").split())
        if labelled or elsewhere or node.tag == "cite":
            return True
        node = node.parent
    return False


@pytest.mark.parametrize("source", sorted(extra_articles()))
def test_the_first_use_of_each_abbreviation_is_expanded(extra_pages, source):
    """Counted apart in our own text (the headline and the boxes around the
    report) and in the body, which the feeds show alone: the published report
    marks its own; a body whose abbreviation our text before it has already
    expanded may leave it short. Text a label stands in for is left out."""
    tree = extra_pages[article_path(extra_articles()[source])]
    main = [node for node in text_nodes(tree.css_first("main")) if not not_this_articles_text(node)]
    body = set(text_nodes(tree.css_first(".article-body")))
    ours = [node for node in main if node not in body]
    expanded_before = {
        expansion for expansion, node in first_uses(ours, GLOSSARY).items() if expansion_of(node) == expansion
    }
    offenders = []
    for where, nodes in (("our text", ours), ("the body", [node for node in main if node in body])):
        uses = first_uses(nodes, GLOSSARY)
        offenders += [
            (where, node.text_content, expansion_of(node))
            for expansion, node in uses.items()
            if expansion_of(node) != expansion and not (where == "the body" and expansion in expanded_before)
        ]
    assert offenders == []


def test_the_body_expands_abbreviations_in_the_glossarys_words():
    """One home for each expansion: a body's raw <abbr title> repeats the glossary."""
    marked = []
    for name in articles():
        _, body = read_front_matter(ROOT / "content" / "articles" / name)
        found = re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', body)
        assert body.count("<abbr") == len(found), f"{name}: an <abbr> not of the form <abbr title=…>"
        marked += found
    assert marked and all(GLOSSARY.get(short) == title for title, short in marked), marked
