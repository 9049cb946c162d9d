"""A share card for every article, and one for the site: the image a link preview shows.

We have no photographs, so a card is drawn from what the article has: the site's
name, the headline, the date and byline (the theme's macros, as on the page) and
the locator map or the place names. Text is measured with the font's advance
widths and shortened at a word boundary; the theme's SVG template draws it.
resvg renders it with the project's font only and oxipng compresses it
losslessly: the same bytes on every machine. A map and its credits are rendered
once and drawn into each card as an image. Cards are kept under ``CACHE_PATH``,
keyed on what their SVG is made of, rendered in parallel processes, and drawn
only if ``SITEURL_IS_PUBLIC``. Templates read ``article.share_card``, ``SHARE_CARD``.

Settings: ``SHARE_CARD_TEMPLATE``, ``SHARE_CARD_FONTS`` (relative to ``THEME``),
``SHARE_CARD_TOKENS`` (the stylesheet of its colours), ``SHARE_CARD_SAVE_AS``,
``SHARE_CARD_DEFLATE_LEVEL`` (1 to 12), ``SHARE_CARD_WORKERS`` (default: cores).
"""

import filecmp
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from itertools import repeat
from pathlib import Path

import oxipng
import resvg_py
from markupsafe import Markup
from pelican import signals
from shared.words import spoken_list

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SHARE_CARD_TEMPLATE": "share_card.svg",
    "SHARE_CARD_FONTS": {"regular": "fonts/SourceSansPro-Regular.ttf", "bold": "fonts/SourceSansPro-Bold.ttf"},
    "SHARE_CARD_TOKENS": "static/css/site.css",
    "SHARE_CARD_SAVE_AS": "share-card.png",
    "SHARE_CARD_DEFLATE_LEVEL": 6,
    "SHARE_CARD_WORKERS": None,
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
# The map and its credits, drawn once per map: from the map's top to the card's foot.
MAP_LAYER = (MAP_BOX[0], MAP_BOX[1], MAP_BOX[2], HEIGHT - MAP_BOX[1])
# Fewer cards than this are rendered in this process: starting workers costs about a second.
POOL_FROM = 8
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
        return sorted(char for char in set(text) if char not in self.advance and not char.isspace())


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


def place_names(article):
    """The names the card shows when an article has no map."""
    names = [place.get("label") or place.get("name") for place in getattr(article, "places", None) or []]
    return [name for name in names if name] or ([article.place] if getattr(article, "place", None) else [])


def map_place_names(locator_map):
    return [place["label"] for place in locator_map.places]


# -- The card: laid out here, drawn by the template, rendered by resvg -------------------


class Drawing:
    """An SVG the template draws from ``fields``, named by a digest of what it is made of.

    A warm build finds the name in the cache and never draws the SVG.
    """

    def __init__(self, template, made_by, fields):
        self.template, self.fields = template, fields
        self.key = cache_key(json.dumps(fields, ensure_ascii=False), made_by)

    @functools.cached_property
    def svg(self):
        return self.template.render(**self.fields)

    @property
    def file(self):
        return f"{self.key}.png"


@dataclass
class ShareCard:
    drawing: Drawing
    alt: str
    save_as: str
    url: str
    width: int = WIDTH
    height: int = HEIGHT
    # The map layer the card's SVG draws in as an image, rendered before it.
    layer: Drawing | None = None

    @property
    def svg(self):
        return self.drawing.svg


class CardDesigner:
    """Lays out cards for one build; the template draws them."""

    def __init__(self, settings, env):
        self.settings = settings
        self.template = env.get_template(setting(settings, "SHARE_CARD_TEMPLATE"))
        self.fonts = {
            weight: load_font(path, card_cache(settings))
            for weight, path in zip(("regular", "bold"), font_files(settings))
        }
        css = Path(settings["THEME"], setting(settings, "SHARE_CARD_TOKENS")).read_text(encoding="utf-8")
        self.colours = tokens(css)
        # The page's own macros: the card says the date and byline in the page's words.
        self.dates = env.get_template("macros/dates.html").make_module(settings)
        self.lists = env.get_template("macros/articles.html").make_module(settings)
        renderer = renderer_id(font_files(settings), setting(settings, "SHARE_CARD_DEFLATE_LEVEL"))
        self.made_by = f"{renderer}; template {file_digest(self.template.filename)}"
        self.laid_out, self.map_layers = {}, {}

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

    def map_layer(self, locator_map):
        """The Drawing of the map and its credits, designed once per map."""
        key = (str(locator_map.svg), tuple(locator_map.credits))
        if key not in self.map_layers:
            credits = self.lines(" ".join(locator_map.credits), "regular", CREDIT_SIZE, MAP_BOX[2], 6)[0]
            drawing = self.drawing(
                layer=True,
                width=MAP_LAYER[2],
                height=MAP_LAYER[3],
                map_svg=placed(locator_map.svg, (0, 0, *MAP_BOX[2:])),
                map_box=(0, 0, *MAP_BOX[2:]),
                credits={"size": CREDIT_SIZE, "lines": credits},
            )
            self.map_layers[key] = drawing
        return self.map_layers[key]

    def drawing(self, **fields):
        return Drawing(
            self.template, self.made_by, {"colour": self.colours, "font_family": self.fonts["regular"].family, **fields}
        )

    def card(self, headline, meta, save_as, url, alt_tail, locator_map=None, places=()):
        text_width = MAP_BOX[0] - 2 * MARGIN if locator_map or places else WIDTH - 2 * MARGIN
        meta = [self.lines(text, "regular", META_SIZE, text_width, 2)[0] for text in meta]
        meta_lines = [line for lines in meta for line in lines]
        headline_height = HEIGHT - HEADER - 40 - MARGIN - len(meta_lines) * round(META_SIZE * LINE_HEIGHT) - 20
        title = self.headline(headline, text_width, headline_height)
        # The alt text says what the card shows, shortened where the card is.
        sentences = [
            f"{self.settings['SITENAME']}: “{' '.join(title['lines'])}”",
            *(" ".join(lines) for lines in meta),
            alt_tail,
        ]
        alt = ". ".join(sentence.rstrip(".") for sentence in sentences if sentence) + "."
        layer = self.map_layer(locator_map) if locator_map else None
        drawing = self.drawing(
            width=WIDTH,
            height=HEIGHT,
            margin=MARGIN,
            header=HEADER,
            site_name=self.settings["SITENAME"],
            headline=title,
            meta={"size": META_SIZE, "line_height": round(META_SIZE * LINE_HEIGHT), "lines": meta_lines},
            map_image=layer.file if layer else None,
            map_layer=MAP_LAYER,
            map_box=MAP_BOX,
            places=places,
        )
        return ShareCard(drawing=drawing, alt=alt, save_as=save_as, url=url, layer=layer)

    def for_article(self, article):
        """The article's card, or None where its font lacks a character: the page then names the site's."""
        missing = missing_glyphs(article, self.fonts)
        if missing:
            logger.info("Share card: %s gets the site's card; its font has no %s", article.source_path, missing)
            return None
        date = Markup(self.dates.time(article.date)).striptags()
        by = Markup(self.lists.byline(article)).striptags() if getattr(article, "author", None) else ""
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
    fields = {
        "title": article.title,
        "author": str(getattr(article, "author", "") or ""),
        "translated_from": getattr(article, "translated_from", "") or "",
    }
    found = {field: fonts["bold" if field == "title" else "regular"].missing(text) for field, text in fields.items()}
    return {field: chars for field, chars in found.items() if chars}


# -- Rendering: resvg, then oxipng ----------------------------------------------------------


def rasterize(svg, font_files, family, resources_dir=None):
    """resvg's PNG of ``svg``, drawn with ``font_files`` only; its images are files in ``resources_dir``."""
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=list(font_files),
            font_family=family,
            sans_serif_family=family,
            resources_dir=resources_dir,
        )
    )


def compress(png, deflate_level):
    """``png`` compressed losslessly."""
    # Unfiltered rows at a middle deflate level: flat colours and anti-aliased text come
    # out about 11 % larger than after oxipng's filter trials, in a tenth of the time.
    return oxipng.optimize_from_memory(
        png, level=0, filter=[oxipng.RowFilter.NoOp], deflate=oxipng.Deflaters.libdeflater(deflate_level)
    )


def render(svg, font_files, family, deflate_level, resources_dir=None):
    """PNG bytes of ``svg``, compressed losslessly."""
    return compress(rasterize(svg, font_files, family, resources_dir), deflate_level)


def render_to(path, svg, font_files, family, deflate_level):
    """Write the PNG of ``svg`` to ``path``: a card, or with ``deflate_level`` None a layer, as resvg wrote it."""
    path = Path(path)
    png = rasterize(svg, font_files, family, str(path.parent))
    write_atomically(path, png if deflate_level is None else compress(png, deflate_level))


@functools.cache
def renderer_id(font_files, deflate_level):
    """What the bytes depend on besides the SVG: the renderers' versions, the fonts, the level."""
    fonts = " ".join(file_digest(path) for path in font_files)
    return f"resvg-py {resvg_py.__version__}; pyoxipng {version('pyoxipng')} deflate {deflate_level}; {fonts}"


def cache_key(made_of, made_by):
    return hashlib.sha256(f"{made_by}\n{made_of}".encode()).hexdigest()


def render_all(phases, font_files, family, workers):
    """Run ``render_to`` for each (path, svg, deflate_level) of each phase in turn
    (layers before the cards that draw them), across ``workers`` processes.

    Each file depends only on its own SVG: the bytes are the same for any number of workers.
    """
    if workers < 2 or sum(map(len, phases)) < POOL_FROM:
        for path, svg, level in (job for jobs in phases for job in jobs):
            render_to(path, svg, font_files, family, level)
        return
    # Spawned, not forked: oxipng's thread pool, once started here, would hang a forked child.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, max(map(len, phases))), mp_context=context) as pool:
        for jobs in filter(None, phases):
            paths, svgs, levels = zip(*jobs)
            list(pool.map(render_to, paths, svgs, repeat(font_files), repeat(family), levels))


# -- Signal handlers ----------------------------------------------------------------------


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def card_cache(settings):
    return str(Path(settings["CACHE_PATH"], "share_cards"))


def font_files(settings):
    """(regular, bold): the only fonts the renderer sees."""
    fonts = setting(settings, "SHARE_CARD_FONTS")
    return tuple(str(Path(settings["THEME"], fonts[weight])) for weight in ("regular", "bold"))


def workers(settings):
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return setting(settings, "SHARE_CARD_WORKERS") or cores or 1


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
    """Render the cards the cache lacks (their map layers first), then put every card in the output."""
    settings = generator.settings
    if "SHARE_CARD" not in generator.context:
        return  # None was designed (no SITEURL).
    files = font_files(settings)
    level = setting(settings, "SHARE_CARD_DEFLATE_LEVEL")
    cache_dir = Path(card_cache(settings))
    cards = [generator.context["SHARE_CARD"]]
    for article in generator.articles + generator.hidden_articles:
        cards += [item.share_card for item in [article, *article.translations] if getattr(item, "share_card", None)]
    cached = [cache_dir / card.drawing.file for card in cards]
    missing = {path: card for path, card in zip(cached, cards) if not path.exists()}
    layers = {cache_dir / card.layer.file: card.layer for card in missing.values() if card.layer}
    family = load_font(files[0], str(cache_dir)).family
    phases = [
        [(path, layer.svg, None) for path, layer in layers.items() if not path.exists()],
        [(path, card.svg, level) for path, card in missing.items()],
    ]
    render_all(phases, files, family, workers(settings))
    for card, path in zip(cards, cached):
        target = Path(generator.output_path, card.save_as)
        if target.exists():
            # A devserver rebuild keeps the output folder: an unchanged card is left alone.
            if os.path.samefile(path, target) or filecmp.cmp(path, target, shallow=False):
                continue
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # No bytes copied. Safe: a cached file is only ever replaced, never written into.
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)


def register():
    signals.article_generator_finalized.connect(design_cards)
    signals.article_writer_finalized.connect(write_cards)
