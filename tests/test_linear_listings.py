"""plugins/linear_listings: Pelican's listings, the same articles in the same order, without a scan per article."""

import copy
import datetime
import functools
import pickle
from types import SimpleNamespace

import linear_listings
from linear_listings import Listing
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG


class Counted:
    """An article that counts the comparisons made with it, as Content would if it had ``==``."""

    compared = 0

    def __init__(self, day):
        self.date = datetime.datetime(2023, 1, 1) + datetime.timedelta(days=day)

    def __eq__(self, other):
        Counted.compared += 1
        return self is other

    __hash__ = object.__hash__


def test_in_finds_members_and_only_them_without_comparing():
    articles = [Counted(day) for day in range(200)]
    listing, stranger = Listing(articles[::2]), Counted(0)
    Counted.compared = 0
    assert [article in listing for article in articles] == [day % 2 == 0 for day in range(200)]
    assert stranger not in listing
    assert Counted.compared == 0
    assert stranger not in list(listing) and Counted.compared > 0, "a list compares: the test could fail"


def test_in_sees_an_article_added_later():
    listing, late = Listing([Counted(1)]), Counted(2)
    assert late not in listing
    listing.append(late)
    assert late in listing


def test_in_sees_a_replaced_article_and_survives_a_copy():
    listing, other = Listing([Counted(1), Counted(2)]), Counted(3)
    assert other not in listing
    listing[0] = other
    assert other in listing
    for copied in (pickle.loads(pickle.dumps(listing)), copy.deepcopy(listing)):
        assert type(copied) is Listing and all(article in copied for article in copied)


def test_date_archives_are_pelicans_own():
    settings = {**DEFAULT_CONFIG, "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html"}
    settings["MONTH_ARCHIVE_SAVE_AS"] = "{date:%Y}/{date:%m}/index.html"
    articles = [Counted(day) for day in range(0, 800, 7)]
    dates = sorted(articles, key=lambda article: article.date)
    pelicans = functools.partial(ArticlesGenerator._build_period_archives, None)
    generator = SimpleNamespace(_build_period_archives=pelicans)
    linear_listings.archives_in_linear_time(generator)
    ours = generator._build_period_archives(dates, articles, settings)
    assert ours == pelicans(dates, articles, settings)
    assert [len(archive["articles"]) for archive in ours["year"]] == [53, 52, 10]


def test_every_section_topic_and_author_listing_keeps_its_articles_in_order():
    articles = [Counted(day) for day in range(9)]
    generator = SimpleNamespace(
        tags={"mali": articles[:4], "un": articles[3:]},
        categories=[("mali", articles[::2]), ("un", articles[1::2])],
        authors=[("dpa", articles)],
        context={},
    )
    linear_listings.use_listings(generator)
    for name, expected in (
        ("tags", [("mali", articles[:4]), ("un", articles[3:])]),
        ("categories", [("mali", articles[::2]), ("un", articles[1::2])]),
        ("authors", [("dpa", articles)]),
    ):
        assert generator.context[name] == expected
        assert all(type(listing) is Listing for _, listing in generator.context[name])
    assert all(type(listing) is Listing for listing in generator.tags.values())


def test_a_template_page_sees_a_listing_as_a_list_of_what_it_may_read():
    from content_checks.template_pages import plain

    assert plain([("mali", Listing(["an article", Counted(1)]))]) == [("mali", ["an article", ...])]
