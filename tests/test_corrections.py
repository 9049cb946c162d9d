"""plugins/shared/corrections.py: one sentence for the page and the JSON-LD, escaped on the page."""

from markupsafe import Markup
from shared.corrections import our_correction, translation_correction

HOSTILE = '<b>"&'


def test_our_correction_quotes_each_wording_and_escapes_the_rest():
    fix = {"date": "2026-12-01", "where": "the timeline", "said": ["a", HOSTILE, "c"], "now": HOSTILE}
    page = our_correction(fix, lambda day: Markup("<time>{}</time>").format(day))
    assert page == (
        "Corrected <time>2026-12-01</time>: the timeline said “<del>a</del>”, “<del>&lt;b&gt;&#34;&amp;</del>”"
        " and “<del>c</del>”; &lt;b&gt;&#34;&amp;."
    )
    assert page.striptags() == f"Corrected 2026-12-01: the timeline said “a”, “{HOSTILE}” and “c”; {HOSTILE}."
    assert our_correction({**fix, "said": []}, str).striptags() == f"Corrected 2026-12-01: in the timeline, {HOSTILE}."


def test_translation_correction_takes_the_reason_as_the_page_marks_it_up():
    fix = {"original": HOSTILE, "corrected": "b", "reason": "why"}
    assert translation_correction(fix) == "“<del>&lt;b&gt;&#34;&amp;</del>” now reads “<ins>b</ins>”: why."
    assert translation_correction(fix, Markup('<span lang="fr">why</span>')).endswith(': <span lang="fr">why</span>.')
    assert translation_correction({**fix, "reason": None}).striptags() == f"“{HOSTILE}” now reads “b”."
