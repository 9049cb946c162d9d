"""The rules behind the content checks, on their own: which names count as one."""

import pytest

from content_checks.whole_site import near
from support import articles

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


def test_no_two_published_sections_or_topics_are_near_duplicates():
    names = sorted({name for meta in articles().values() for name in meta["categories"] + meta["tags"]})
    assert [(a, b) for a in names for b in names if near(a, b)] == []
