"""A share card for every article, and one for the site: the image a link preview shows.

We have no photographs, so a card is drawn from what the article has: the
site's name, the headline, the date, the byline with its disclosure and the
locator map (or the place names). Text is measured with the font's advance
widths, wrapped, and shortened at a word boundary if too long; the theme's SVG
template draws it. resvg renders it with the project's font and no other, and
oxipng compresses it losslessly: every machine writes the same bytes. Cards are
kept under ``CACHE_PATH``, keyed on the SVG, and drawn only when
``SITEURL_IS_PUBLIC``: only then can a page name them. A headline its font
cannot draw gets the site's card. Templates read ``article.share_card`` and
``SHARE_CARD`` (``url``, ``width``, ``height``, ``alt``). See docs/share-cards.md.

Settings: ``SHARE_CARD_TEMPLATE`` (in the theme), ``SHARE_CARD_FONTS`` (regular
and bold files, relative to ``THEME``), ``SHARE_CARD_TOKENS`` (the stylesheet
whose ``:root`` colours it uses), ``SHARE_CARD_SAVE_AS`` (the site's card),
``SHARE_CARD_PNG_LEVEL`` (oxipng's effort, 0 to 6).
"""
import filecmp
import functools
import hashlib
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from importlib.metadata import version
from itertools import repeat
from pathlib import Path

import oxipng
import resvg_py
from markupsafe import Markup
from pelican import signals

from locator_map import spoken_list

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SHARE_CARD_TEMPLATE": "share_card.svg",
    "SHARE_CARD_FONTS": {"regular": "fonts/SourceSansPro-Regular.ttf", "bold": "fonts/SourceSansPro-Bold.ttf"},
    "SHARE_CARD_TOKENS": "static/css/site.css",
    "SHARE_CARD_SAVE_AS": "share-card.png",
    "SHARE_CARD_PNG_LEVEL": 2,
}
WIDTH, HEIGHT = 1200, 630
# Text sizes are twice what a reader should see: previews show the card at
# about 600 px wide, where 30 px reads as the site's 15 px small print.
MARGIN = 60
HEADER = 100
HEADLINE_SIZES = (60, 52, 46)
LINE_HEIGHT = 1.15
META_SIZE = 30
CREDIT_SIZE = 16
MAP_BOX = (680, HEADER + 30, 460, 350)  # x, y, width, height
ELLIPSIS = "…"


# -- Text: measured with the font, wrapped, shortened ----------------------------------


class Font:
    """Advance widths of a font, to measure a line before it is drawn."""

    def __init__(self, family, units, advance):
        self.family, self.units, self.advance = family, units, advance

    def width(self, text, size):
        # Kerning is left out: it narrows a line far more often than it widens it.
        return sum(map(self.advance.get, text, repeat(self.units))) * size / self.units

    def missing(self, text):
        return sorted(char for char in set(text) - self.advance.keys() if not char.isspace())


def fit_lines(text, width_of, max_width, max_lines):
    """``text`` wrapped into at most ``max_lines`` lines no wider than ``max_width``.

    What does not fit is dropped at a word boundary and the last line ends in
    an ellipsis; a word is never cut. Returns (lines, whether it was shortened).
    """
    space = width_of(" ")
    lines, widths = [], []
    for word in text.split():
        width = width_of(word)
        if lines and widths[-1] + space + width <= max_width:
            lines[-1] += f" {word}"
            widths[-1] += space + width
        elif len(lines) < max_lines and width <= max_width:
            lines.append(word)
            widths.append(width)
        else:
            last = lines.pop().split() if lines else []
            while last and width_of(" ".join(last).rstrip(",;:–—-") + ELLIPSIS) > max_width:
                last.pop()
            return [*lines, " ".join(last).rstrip(",;:–—-") + ELLIPSIS], True
    return lines, False


def tokens(css):
    """The colour tokens of the first ``:root`` block: {"bg": "#fdfcf9", …}."""
    block = css[css.index(":root") : css.index("}", css.index(":root"))]
    return dict(re.findall(r"--color-([\w-]+):\s*(#[0-9a-fA-F]{3,8})\s*;", block))


def byline(article):
    """The author and, for a machine translation, the disclosure the page shows."""
    author = str(getattr(article, "author", "") or "")
    source_language = getattr(article, "translated_from", None)
    return f"{author}, machine-translated from {source_language}" if author and source_language else author


def place_names(article):
    """The names the card shows when an article has no map."""
    names = [place.get("label") or place.get("name") for place in getattr(article, "places", None) or []]
    return [name for name in names if name] or ([article.place] if getattr(article, "place", None) else [])


def map_place_names(locator_map):
    return [place["label"] for place in locator_map.places]


# -- The card: laid out here, drawn by the template, rendered by resvg -------------------


@dataclass
class ShareCard:
    svg: str
    alt: str
    save_as: str
    url: str
    width: int = WIDTH
    height: int = HEIGHT


class CardDesigner:
    """Lays out cards for one build; the template draws them."""

    def __init__(self, settings, env):
        self.settings = settings
        self.template = env.get_template(setting(settings, "SHARE_CARD_TEMPLATE"))
        self.fonts = {weight: load_font(path, card_cache(settings)) for weight, path in zip(("regular", "bold"), font_files(settings))}
        css = Path(settings["THEME"], setting(settings, "SHARE_CARD_TOKENS")).read_text(encoding="utf-8")
        self.colours = tokens(css)
        self.laid_out = {}

    def lines(self, text, weight, size, width, max_lines):
        """``fit_lines`` in this card's font, remembered: dates, bylines and credits recur."""
        key = (text, weight, size, width, max_lines)
        if key not in self.laid_out:
            font = self.fonts[weight]
            self.laid_out[key] = fit_lines(text, lambda line: font.width(line, size), width, max_lines)
        return self.laid_out[key]

    def headline(self, text, width, height):
        """The largest size at which the whole headline fits, else the smallest, shortened."""
        text = " ".join(text.split())
        for size in HEADLINE_SIZES:
            max_lines = int(height // (size * LINE_HEIGHT))
            lines, shortened = self.lines(text, "bold", size, width, max_lines)
            if not shortened:
                break
        return {"size": size, "line_height": round(size * LINE_HEIGHT), "lines": lines}

    def card(self, headline, meta, save_as, url, alt_tail, locator_map=None, places=()):
        text_width = MAP_BOX[0] - 2 * MARGIN if locator_map or places else WIDTH - 2 * MARGIN
        meta = [self.lines(text, "regular", META_SIZE, text_width, 2)[0] for text in meta]
        meta_lines = [line for lines in meta for line in lines]
        headline_height = HEIGHT - HEADER - 40 - MARGIN - len(meta_lines) * round(META_SIZE * LINE_HEIGHT) - 20
        title = self.headline(headline, text_width, headline_height)
        credits = []
        if locator_map:
            credits = self.lines(" ".join(locator_map.credits), "regular", CREDIT_SIZE, MAP_BOX[2], 6)[0]
        # The alt text says what the card shows, shortened where the card is.
        sentences = [f"{self.settings['SITENAME']}: “{' '.join(title['lines'])}”", *(" ".join(lines) for lines in meta), alt_tail]
        alt = ". ".join(sentence.rstrip(".") for sentence in sentences if sentence) + "."
        svg = self.template.render(
            width=WIDTH,
            height=HEIGHT,
            margin=MARGIN,
            header=HEADER,
            colour=self.colours,
            font_family=self.fonts["regular"].family,
            site_name=self.settings["SITENAME"],
            headline=title,
            meta={"size": META_SIZE, "line_height": round(META_SIZE * LINE_HEIGHT), "lines": meta_lines},
            map_svg=placed(locator_map.svg, MAP_BOX) if locator_map else None,
            map_box=MAP_BOX,
            credits={"size": CREDIT_SIZE, "lines": credits},
            places=places,
        )
        return ShareCard(svg=svg, alt=alt, save_as=save_as, url=url)

    def for_article(self, article):
        """The article's card, or None where its font lacks a character: the page then names the site's."""
        missing = missing_glyphs(article, self.fonts)
        if missing:
            logger.info("Share card: %s gets the site's card; its font has no %s", article.source_path, missing)
            return None
        date = shown_date(article.date.date(), self.settings["DEFAULT_DATE_FORMAT"])
        by = byline(article)
        meta = [date, f"By {by}"] if by else [date]
        locator_map = getattr(article, "locator_map", None)
        places = [] if locator_map else place_names(article)
        if locator_map:
            tail = f"Locator map marking {spoken_list(map_place_names(locator_map))}"
        else:
            tail = f"Places: {spoken_list(places)}" if places else ""
        png = (os.path.splitext(path)[0] + ".png" for path in (article.save_as, article.url))
        return self.card(article.title, meta, *png, tail, locator_map, places)

    def for_site(self):
        settings = self.settings
        save_as = setting(settings, "SHARE_CARD_SAVE_AS")
        meta = [settings["SITE_DESCRIPTION"]] if settings.get("SITE_DESCRIPTION") else []
        return self.card(settings.get("SITESUBTITLE", ""), meta, save_as, save_as, "")


def placed(svg, box):
    """The map's own ``<svg>`` element, given the box it is drawn in (its viewBox keeps its shape)."""
    return Markup(str(svg).replace("<svg", '<svg x="{}" y="{}" width="{}" height="{}"'.format(*box), 1))


@functools.cache
def shown_date(date, date_format):
    return date.strftime(date_format)


@functools.cache
def load_font(path, cache_dir):
    """The font's family name and advance widths, kept in the cache beside the cards."""
    cached = Path(cache_dir, f"font-{file_digest(path)}.json")
    if cached.exists():
        return Font(**json.loads(cached.read_text(encoding="utf-8")))
    # Imported here only: fontTools takes longer to import than a warm build's cards.
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    fields = {
        "family": font["name"].getDebugName(1),
        "units": font["head"].unitsPerEm,
        "advance": {chr(code): metrics[glyph][0] for code, glyph in font.getBestCmap().items()},
    }
    write_atomically(cached, json.dumps(fields).encode("utf-8"))
    return Font(**fields)


def write_atomically(path, data):
    """Another build reading the cache never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


@functools.cache
def file_digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def missing_glyphs(article, fonts):
    """{field: characters} the card would draw but its font lacks."""
    fields = {"title": article.title, "author": str(getattr(article, "author", "") or ""),
              "translated_from": getattr(article, "translated_from", "") or ""}
    found = {field: fonts["bold" if field == "title" else "regular"].missing(text) for field, text in fields.items()}
    return {field: chars for field, chars in found.items() if chars}


def render(svg, font_files, family, level):
    """PNG bytes of ``svg``, drawn with ``font_files`` only, compressed losslessly."""
    png = resvg_py.svg_to_bytes(
        svg_string=svg, skip_system_fonts=True, font_files=list(font_files), font_family=family, sans_serif_family=family
    )
    return oxipng.optimize_from_memory(bytes(png), level=level)


def cache_key(svg, font_files, level):
    """What the rendered bytes depend on: the SVG, the fonts and the renderers' versions."""
    renderer = f"resvg-py {resvg_py.__version__}; pyoxipng {version('pyoxipng')} level {level}; " + " ".join(file_digest(path) for path in font_files)
    return hashlib.sha256(f"{renderer}\n{svg}".encode("utf-8")).hexdigest()


def write_card(card, font_files, level, cache_dir, output_path):
    """Write ``card``'s PNG into the output, rendering it only if the cache lacks it."""
    cached = Path(cache_dir, cache_key(card.svg, font_files, level) + ".png")
    if not cached.exists():
        family = load_font(font_files[0], cache_dir).family
        write_atomically(cached, render(card.svg, font_files, family, level))
    target = Path(output_path, card.save_as)
    # A devserver rebuild keeps the output folder: an unchanged card is left alone.
    if target.exists() and filecmp.cmp(cached, target, shallow=False):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)


# -- Signal handlers ----------------------------------------------------------------------


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def card_cache(settings):
    return str(Path(settings["CACHE_PATH"], "share_cards"))


def font_files(settings):
    """[regular, bold]: the only fonts the renderer sees."""
    fonts = setting(settings, "SHARE_CARD_FONTS")
    return [str(Path(settings["THEME"], fonts[weight])) for weight in ("regular", "bold")]


def design_cards(generator):
    """Give every article its ``share_card``, and the site its ``SHARE_CARD``."""
    if not generator.settings.get("SITEURL_IS_PUBLIC"):
        return  # No page names a card without an absolute address.
    designer = CardDesigner(generator.settings, generator.env)
    for article in generator.articles + generator.hidden_articles:
        for item in [article, *article.translations]:
            if item.save_as:
                item.share_card = designer.for_article(item)
    generator.context["SHARE_CARD"] = designer.for_site()


def write_cards(generator, writer):
    settings = generator.settings
    if "SHARE_CARD" not in generator.context:
        return  # None was designed (no SITEURL).
    files = font_files(settings)
    level = setting(settings, "SHARE_CARD_PNG_LEVEL")
    cache_dir = card_cache(settings)
    cards = [generator.context["SHARE_CARD"]]
    for article in generator.articles + generator.hidden_articles:
        cards += [item.share_card for item in [article, *article.translations] if getattr(item, "share_card", None)]
    for card in cards:
        write_card(card, files, level, cache_dir, generator.output_path)


def register():
    signals.article_generator_finalized.connect(design_cards)
    signals.article_writer_finalized.connect(write_cards)
