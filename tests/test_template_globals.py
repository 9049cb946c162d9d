"""plugins/template_globals.py, on its functions: what templates would otherwise work out on every page."""

from types import SimpleNamespace

from pelican.settings import read_settings
from support import ROOT
from template_globals import featured_sections, later_pages, once

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))


def test_later_pages_are_pelicans_own_from_page_2():
    pages = later_pages(SETTINGS, "tag/mali.html", "tag/mali.html", list(range(2 * SETTINGS["DEFAULT_PAGINATION"] + 1)))
    assert [page.url for page in pages] == ["tag/mali/page/2.html", "tag/mali/page/3.html"]
    assert [len(page.object_list) for page in pages] == [SETTINGS["DEFAULT_PAGINATION"], 1]
    assert [page.url for page in later_pages(SETTINGS, "index.html", "index.html", list(range(11)))] == ["page/2.html"]
    assert later_pages({**SETTINGS, "DEFAULT_PAGINATION": False}, "index.html", "index.html", list(range(11))) == []


def test_once_draws_each_key_once_per_article():
    calls = []

    def macro(article, level):
        calls.append((article.title, level))
        return f"<h{level}>{article.title}</h{level}>"

    first, second = SimpleNamespace(title="A"), SimpleNamespace(title="B")
    drawn = [
        once(first, ("teaser", 2), macro, 2),
        once(first, ("teaser", 2), macro, 2),
        once(first, ("teaser", 3), macro, 3),
    ]
    drawn.append(once(second, ("teaser", 2), macro, 2))
    assert drawn == ["<h2>A</h2>", "<h2>A</h2>", "<h3>A</h3>", "<h2>B</h2>"]
    assert calls == [("A", 2), ("A", 3), ("B", 2)]


def test_featured_sections_follow_the_data_files_order_and_leave_out_sections_without_articles():
    mali, un = SimpleNamespace(slug="mali", name="Mali"), SimpleNamespace(slug="un", name="UN")
    context = {
        "CATEGORY_URL": "category/{slug}.html",
        "categories": [(mali, []), (un, [])],
        "DATA_SECTIONS": {"un": {"nav": True}, "empty": {"nav": True}, "mali": {"nav": True}, "other": {}},
    }
    assert featured_sections(context) == [("category/un.html", "UN"), ("category/mali.html", "Mali")]
