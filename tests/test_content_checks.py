"""The rules behind the content checks, on their own: which names count as one,
and what a bad glossary is told."""

import pytest
import yaml
from content_checks.content_checks import load_schema, section_names, slug_maker
from content_checks.data_files import problems_in_data_file
from content_checks.front_matter import (
    abbreviation_growth,
    as_loaded,
    messages,
    read_front,
    read_text,
    schema_validator,
    unknown_sections,
)
from content_checks.whole_site import near
from pelican.settings import DEFAULT_CONFIG
from support import ROOT, articles, settings_of

import pelicanconf

# (a name, another, whether an editor surely meant the same)
NAMES = [
    ("UN", "Un", True),
    ("Human rights", "human-Rights", True),
    ("Goïta", "Goita", True),
    ("Wagner Group", "WagnerGroup", True),
    ("Peacekeeping", "Peacekeping", True),
    ("Bundeswehr", "Bundesweher", True),
    ("UN Security Council", "UN Secuirty Council", True),
    # Letters of another script that look the same (UTS #39), or transliterate the same
    ("Mali", "\u041c\u0430li", True),
    ("UN", "U\u039d", True),
    ("MINUSMA", "\u041c\u0418\u041d\u0423\u0421\u041c\u0410", True),
    ("Bundeswehr", "Bundesweh\u0433", True),
    ("Mali", "\u041c\u0430\u043b\u0438", True),
    ("UN", "UN", False),
    ("Mali", "Mari", False),
    ("Russia", "Prussia", False),
    ("UN", "UN Security Council", False),
    ("Moura", "Mopti", False),
    ("Peacekeeping", "Peacekeepers", False),
    ("Resolution 2100", "Resolution 2101", False),
]


@pytest.mark.parametrize(("name", "other", "same"), NAMES)
def test_near_duplicate_names(name, other, same):
    assert near(name, other) is same
    assert near(other, name) is same


def test_an_unknown_section_is_told_the_names_the_site_already_uses():
    """Following the message builds: each name it offers gives its section's slug,
    and is the name the published articles write for it, so no look-alike."""
    settings = {**DEFAULT_CONFIG, **settings_of(pelicanconf), "PATH": str(ROOT / "content")}
    slug_of = slug_maker(settings)
    (file, names), _ = section_names(settings, slug_of, [])
    assert file.endswith("content/data/sections.yaml")
    used = {slug_of("categories", name): name for meta in articles().values() for name in meta["categories"]}
    assert [
        (slug, name)
        for slug, name in names.items()
        if slug_of("categories", name) != slug or used.get(slug, name) != name
    ] == []
    new = "Section " + " ".join(sorted(names))  # described by no key
    [(path, message)] = unknown_sections({"categories": [*names.values(), new]}, slug_of, (file, names))
    assert path == ["categories", len(names)]
    assert message.endswith(
        f"describe it in {file} ({slug_of('categories', new)}: with a title and a description) "
        f"or name one of: {', '.join(sorted(names.values()))}"
    )


def test_no_two_published_sections_or_topics_are_near_duplicates():
    names = sorted({name for meta in articles().values() for name in meta["categories"] + meta["tags"]})
    assert [(a, b) for a in names for b in names if near(a, b)] == []


GLOSSARY = "data/abbreviations.yaml"
GLOSSARY_SCHEMA = pelicanconf.CONTENT_CHECKS_DATA[GLOSSARY]


def glossary_problems(path):
    return problems_in_data_file(path, schema_validator(load_schema(GLOSSARY_SCHEMA)), GLOSSARY_SCHEMA)


def test_the_published_glossary_passes():
    assert glossary_problems(ROOT / "content" / GLOSSARY) == []


# (a glossary, the line, the field and words of the one message it gets)
BAD_GLOSSARIES = [
    ("UN: United Nations\nKAS:\n", 2, "KAS", "found null"),
    ("UN: United Nations\nIS: 2014\n", 2, "IS", "put it in quotes"),
    ("UN: United Nations\n' KAS': Konrad Adenauer Foundation\n", 2, " KAS", "found the key"),
    ("- UN\n- KAS\n", 1, "front matter", "found"),
    ("UN: [United, Nations\n", 2, "file", "not valid YAML"),
]


@pytest.mark.parametrize(("text", "line", "field", "shows"), BAD_GLOSSARIES)
def test_a_bad_glossary_is_told_where_and_what(text, line, field, shows, tmp_path):
    path = tmp_path / "abbreviations.yaml"
    path.write_text(text, encoding="utf-8")
    problems = glossary_problems(path)
    assert len(problems) == 1 and problems[0][:2] == (line, field) and shows in problems[0][2], problems


def test_abbreviations_that_would_multiply_the_body_are_refused_and_ordinary_ones_pass():
    """The abbr extension writes the whole expansion into every use: a 2,000-character
    expansion used 40,000 times turns a 122 KB body into an 80 MB page."""
    long_expansion = "*[QZ]: " + "x" * 2000 + "\n\n" + ("QZ " * 4000 + "\n\n") * 10
    [(line, field, message)] = abbreviation_growth(long_expansion, 12)
    assert (line, field) == (12, "body") and "expected at most 1,000,000" in message
    # Many short ones, each used often, as a real text uses them.
    ordinary = (
        "".join(f"*[A{n}]: Agency number {n}\n" for n in range(100))
        + "\n"
        + " ".join(f"A{n % 100}" for n in range(5000))
    )
    assert abbreviation_growth(ordinary, 1) == []
    # A use inside a longer word is not a use (whole words, as the extension reads them).
    assert abbreviation_growth("*[QZ]: " + "x" * 2000 + "\n\n" + "QZQ " * 100_000, 1) == []


# Values at the edges of the schemas' formats and patterns, where jsonschema-rs
# (the verdict) and jsonschema (the messages) could part.
EDGES = (
    [
        ("date", value)
        for value in (
            "0999-06-16T00:00:00+00:00",
            "2023-02-30",
            "2023-06-16T00:00:00",
            "2023-06-16T24:00:00+00:00",
            "2023-06-16T00:00:00+00:00\n",
            "2023-06-16\n",
            "\u0661\u0662\u0663\u0664-06-16",
            "10000-01-01",
        )
    ]
    + [("title", value) for value in ("", " ", "\u3000", "\x1c", "\x85", "\ufeff", "x\n", 12, None, ["a"])]
    + [("slug", value) for value in ("a-b", "a--b", "A", "ab\n", "\u0661\u0662", "a" * 101)]
)


@pytest.mark.parametrize(("field", "value"), EDGES)
def test_the_fast_verdict_is_jsonschemas(field, value):
    validator = schema_validator(load_schema(pelicanconf.CONTENT_CHECKS_SCHEMAS["ARTICLE"]))
    first = sorted((ROOT / "content" / "articles").glob("*.md"))[0]
    data = {**read_front(read_text(first)[0])[0].data, field: value}
    said = [message for error in validator.iter_errors(data) for _, message in messages(error, validator.schema)]
    wanted = [
        message for error in validator.errors.iter_errors(data) for _, message in messages(error, validator.schema)
    ]
    assert said == wanted


FRONT_MATTER_FILES = sorted(
    path
    for folder in ("content", "tests/content_extra", "tests/search_content")
    for path in (ROOT / folder).rglob("*.md")
    if path.read_text(encoding="utf-8").startswith("---")
)


def loaded_once(text):
    front, problems = read_front(text)
    assert problems == []
    return front, as_loaded(front)


def test_most_files_are_read_once():
    kept = [path for path in FRONT_MATTER_FILES if loaded_once(path.read_text(encoding="utf-8"))[1] is not None]
    assert len(FRONT_MATTER_FILES) > 5 and len(kept) >= len(FRONT_MATTER_FILES) - 1


@pytest.mark.parametrize("path", FRONT_MATTER_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_the_reader_gets_what_safe_load_would_give(path):
    """Pelican's reader takes the checks' parse of a clean file: it must be yaml.safe_load's, types and all."""
    front, data = loaded_once(path.read_text(encoding="utf-8"))
    assert data is None or repr(data) == repr(yaml.safe_load(front.text))


@pytest.mark.parametrize(
    "yaml_text",
    [
        "date: 2023-06-16\nmodified: 2023-06-16T14:30:00+02:00\n",
        "date: '2023-06-16'\nwhen: \"2023-06-16 10:00\"\n",
        "sources:\n  - date: 2023-06\n    at: 2023-06-16 10:00:00\n",
        "a: !!str 2023-06-16\n",
        "a: !!timestamp '2023-06-16'\n",
        "2023-06-16: key\n",
        "title: Alert!\ndate: 2023-06-16\n",
    ],
)
def test_the_parse_kept_for_the_reader_is_safe_loads_or_none(yaml_text):
    front, data = loaded_once(f"---\n{yaml_text}---\n\nBody.\n")
    assert data is None or repr(data) == repr(yaml.safe_load(front.text))
