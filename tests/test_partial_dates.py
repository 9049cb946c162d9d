"""plugins/partial_dates on its own: dates shown and published at the precision given."""

import datetime

import pytest
from content_checks.front_matter import read_front
from partial_dates import date_range, iso_date, partial_date
from selectolax.lexbor import LexborHTMLParser
from shared.dates import is_day_alone


@pytest.mark.parametrize(
    ("value", "shown", "datetime"),
    [("2013", "2013", "2013"), ("2023-06", "June 2023", "2023-06"), ("2023-06-16", "16 June 2023", "2023-06-16")],
)
def test_a_partial_date_shows_what_is_known(value, shown, datetime):
    node = LexborHTMLParser(partial_date(value)).css_first("time")
    assert (node.text(), node.attributes["datetime"]) == (shown, datetime)


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2022-03-27", "2022-03-31", "27–31 March 2022"),
        ("2022-03-27", "2022-04-02", "27 March – 2 April 2022"),
        ("2022-12-30", "2023-01-02", "30 December 2022 – 2 January 2023"),
        ("2013", "2023", "2013–2023"),
    ],
)
def test_a_span_of_dates_says_what_they_share_once(start, end, shown):
    tree = LexborHTMLParser(date_range(start, end))
    assert tree.body.text() == shown
    assert [node.attributes["datetime"] for node in tree.css("time")] == [iso_date(start), iso_date(end)]


@pytest.mark.parametrize(
    ("front", "is_day"),
    [
        ("date: 2023-06-16", True),
        ('date: "2023-06-16"', True),
        ("date: 2023-06-16  # the time is unknown", True),
        ("date: 2023-06-16T00:00:00+02:00", False),
        ("modified: 2023-06-16", False),
        ("timeline:\n  - date: 2023-06-16\n    event: x\n    kind: article", False),
    ],
)
def test_a_day_alone_is_told_from_a_date_and_time(front, is_day):
    # As the content checks parse the front matter, where a date stays as written.
    parsed, problems = read_front(f"---\ntitle: A\n{front}\n---\n\ndate: 2023-06-16\n")
    assert problems == []
    assert is_day_alone(parsed.data.get("date")) is is_day


def test_a_partial_date_kept_for_reuse_tells_apart_what_only_looks_equal():
    late = datetime.datetime(2023, 6, 5, 23, 30, tzinfo=datetime.UTC)
    shown = [partial_date(value) for value in (late, late.astimezone(datetime.timezone(datetime.timedelta(hours=2))))]
    assert [LexborHTMLParser(html).css_first("time").text() for html in shown] == ["5 June 2023", "6 June 2023"]
    assert partial_date("2023-06") == partial_date("2023-06") == '<time datetime="2023-06">June 2023</time>'
