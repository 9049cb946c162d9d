"""plugins/template_globals.py, on its functions: what templates would otherwise work out on every page."""

import contextlib
import datetime
import urllib.parse
from types import SimpleNamespace

from pelican.settings import read_settings
from pelican.utils import SafeDatetime
from support import ROOT
from template_globals import date_format, featured_sections, list_page, once, period_parts, svg_data_url

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))


def dated(*days):
    """Articles as Pelican gives them: ``modified`` only where the front matter has it."""
    return [SimpleNamespace(date=datetime.date.fromisoformat(day)) for day in days]


def test_a_list_page_is_pelicans_first_page_with_the_latest_day_on_it():
    per_page = SETTINGS["DEFAULT_PAGINATION"]
    articles = dated(*[f"2024-01-{day:02}" for day in range(per_page, 0, -1)], "2024-01-31")
    # The newest article, the 31st, is the one on page 2: page 1's day is that of its own articles,
    # or a later one of the days given.
    articles.insert(per_page, articles.pop())
    assert list_page(SETTINGS, "tag", "tag/mali.html", "tag/mali.html", articles) == (
        "tag/mali.html",
        f"2024-01-{per_page:02}",
    )
    assert list_page(SETTINGS, "tag", "tag/mali.html", "tag/mali.html", articles, ["2024-02-01"]) == (
        "tag/mali.html",
        "2024-02-01",
    )
    archives = list_page(SETTINGS, "archives", "archives.html", "archives.html", articles)
    assert archives == ("archives.html", "2024-01-31")


def test_a_list_page_follows_orphans_and_per_template_pagination():
    # The last article, on page 1 when one orphan is allowed, is the newest.
    articles = dated(*["2024-01-01"] * SETTINGS["DEFAULT_PAGINATION"], "2024-03-01")
    assert list_page(SETTINGS, "index", "index.html", "index.html", articles) == ("index.html", "2024-01-01")
    assert list_page({**SETTINGS, "DEFAULT_ORPHANS": 1}, "index", "index.html", "index.html", articles) == (
        "index.html",
        "2024-03-01",
    )
    per_template = {**SETTINGS, "PAGINATED_TEMPLATES": {**SETTINGS["PAGINATED_TEMPLATES"], "tag": 2}}
    newest_third = dated("2024-01-01", "2024-01-02", "2024-01-03")
    assert list_page(per_template, "tag", "tag/a.html", "tag/a.html", newest_third) == ("tag/a.html", "2024-01-02")


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


def test_period_parts_give_a_years_months_and_the_periods_above_a_page():
    def archive(*period):
        number = tuple({"June": 6, "July": 7}.get(part, part) for part in period)
        return {"period": period, "period_num": number, "url": "/".join(map(str, number)) + "/"}

    june_23, july_23, june_24 = archive(2023, "June"), archive(2023, "July"), archive(2024, "June")
    archives = {
        "year": [archive(2023), archive(2024)],
        "month": [june_23, july_23, june_24],
        "day": [archive(2023, "June", 16)],
    }
    assert period_parts(archives, (2023,)) == ([june_23, july_23], [])
    assert period_parts(archives, (2023, 6)) == ([], [("2023", "2023/", None)])
    assert period_parts(archives, (2023, 6, 16)) == ([], [("2023", "2023/", None), ("June 2023", "2023/6/", None)])


def test_the_favicon_url_is_the_theme_file_itself_safe_in_a_double_quoted_attribute():
    svg = (ROOT / "theme" / "static" / "icons" / "favicon.svg").read_text("utf-8").strip()
    url = svg_data_url(ROOT / "theme" / "static" / "icons" / "favicon.svg")
    assert SETTINGS["JINJA_GLOBALS"]["FAVICON_URL"] == url
    assert url.startswith("data:image/svg+xml,")
    assert urllib.parse.unquote(url.removeprefix("data:image/svg+xml,")) == svg.replace('"', "'")
    assert not set('"<>&# ') & set(url)


def test_date_format_gives_pelicans_strftime_once_per_date_and_tells_zones_apart():
    fmt = SETTINGS["DEFAULT_DATE_FORMAT"]
    day = SafeDatetime(2023, 6, 5, 23, 30, tzinfo=datetime.UTC)
    same_instant = day.astimezone(datetime.timezone(datetime.timedelta(hours=2)))
    assert date_format(day, fmt) == day.strftime(fmt) == "5 June 2023"
    assert date_format(same_instant, fmt) == "6 June 2023"
    assert date_format(datetime.date(2023, 6, 5), "%Y-%m-%d") == "2023-06-05"


def test_the_date_macros_find_the_date_format_among_the_globals_of_every_build():
    """macros/dates.html is imported without the page's context: the global must be the setting."""
    for conf in ("pelicanconf.py", "publishconf.py", "devserverconf.py"):
        with contextlib.chdir(ROOT):
            settings = read_settings(str(ROOT / conf))
        assert settings["JINJA_GLOBALS"]["DEFAULT_DATE_FORMAT"] == settings["DEFAULT_DATE_FORMAT"], conf
