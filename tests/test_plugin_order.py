"""PLUGINS keeps the order its comments state ("first", "last", "after X: why"),
and share_card needs no place: it lays out its cards once every plugin is done."""

import re

import pytest
from support import PUBLIC_SITEURL, ROOT, parse_pages, run_pelican

import pelicanconf

PLACE = re.compile(r'^\s*"([\w.]+)",\s*#\s*(first|last|after ([\w.]+)):', re.MULTILINE)


def stated_places(text):
    """(plugin, "first" / "last" / "after", the plugin it follows or None) from the PLUGINS list's comments."""
    listed = text[text.index("\nPLUGINS = [") : text.index("\n]", text.index("\nPLUGINS = ["))]
    return [(name, place.split()[0], after) for name, place, after in PLACE.findall(listed)]


def misplaced(plugins, places):
    position = {name: index for index, name in enumerate(plugins)}
    wrong = {
        "first": lambda name, _: position.get(name) != 0,
        "last": lambda name, _: position.get(name) != len(plugins) - 1,
        "after": lambda name, after: position.get(after, len(plugins)) > position.get(name, -1),
    }
    return [f"{name}: {place} {after or ''}".strip() for name, place, after in places if wrong[place](name, after)]


STATED = stated_places((ROOT / "pelicanconf.py").read_text(encoding="utf-8"))


def test_the_dependences_known_are_stated_where_plugins_are_listed():
    assert {
        ("content_checks", "first", ""),
        ("search_index", "last", ""),
    } <= set(STATED)


def test_plugins_come_in_the_order_their_comments_state():
    assert misplaced(pelicanconf.PLUGINS, STATED) == []


@pytest.mark.parametrize(
    ("plugins", "found"),
    [
        (["a", "b", "d", "c"], []),
        (["b", "a", "d", "c"], ["a: first", "b: after a"]),
        (["a", "b", "c", "d"], ["c: last"]),
        (["a", "d", "c"], ["b: after a"]),
    ],
)
def test_the_order_rule_sees_a_plugin_out_of_place(plugins, found):
    text = '\nPLUGINS = [\n    "a",  # first: why\n    "b",  # after a: why\n    "d",\n    "c",  # last: why\n]\n'
    places = stated_places(text)
    assert places == [("a", "first", ""), ("b", "after", "a"), ("c", "last", "")]
    assert misplaced(plugins, places) == found


def test_a_card_shows_the_map_even_when_share_card_comes_before_locator_map(tmp_path):
    plugins = [name for name in pelicanconf.PLUGINS if name != "share_card"]
    plugins.insert(plugins.index("locator_map"), "share_card")
    settings = {"PLUGINS": plugins, "CACHE_PATH": str(tmp_path / "cache")}
    result = run_pelican(tmp_path / "site", env={"SITEURL": PUBLIC_SITEURL}, extra_settings=settings)
    assert result.returncode == 0, result.stdout + result.stderr
    with_maps = {
        path: tree.css_first('meta[property="og:image:alt"]').attributes["content"]
        for path, tree in parse_pages(tmp_path / "site").items()
        if tree.css_first(".locator-map")
    }
    assert with_maps
    assert {path: alt for path, alt in with_maps.items() if "Locator map marking" not in alt} == {}
