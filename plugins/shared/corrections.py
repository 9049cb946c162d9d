"""The sentences that tell of a correction (brief §8), one home for the page and its JSON-LD:
each returns the page's markup, and the JSON-LD takes its ``striptags()``."""

from markupsafe import Markup

from shared.words import spoken_list


def our_correction(fix, date):
    """Corrected 6 December 2026: the timeline said “<del>First coup</del>”; now …, or
    Corrected …: in the editor’s note, … where no wrong words are quoted. ``date`` writes the date."""
    said = [fix["said"]] if isinstance(fix.get("said"), str) else fix.get("said") or []
    if said:
        # Each quoted wording is escaped markup already, so the list of them is too.
        listed = Markup(spoken_list(str(Markup("“<del>{}</del>”").format(words)) for words in said))
        told = Markup("{} said {}; {}").format(fix["where"], listed, fix["now"])
    else:
        told = Markup("in {}, {}").format(fix["where"], fix["now"])
    return Markup("Corrected {}: {}.").format(date(fix["date"]), told)


def translation_correction(fix, reason=None):
    """“<del>original</del>” now reads “<ins>corrected</ins>”: reason. ``reason``: the fix's
    reason as the page marks it up, if not as written."""
    text = Markup("“<del>{}</del>” now reads “<ins>{}</ins>”").format(fix["original"], fix["corrected"])
    return Markup("{}: {}.").format(text, reason or fix["reason"]) if fix.get("reason") else text + "."
