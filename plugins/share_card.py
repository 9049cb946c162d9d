"""A share card for every article, and one for the site: the image a link preview shows.

Drawn from what the article has (headline, date, byline, map or place names) by
Pillow and resvg in the project's fonts, the same bytes on every machine; cached
under ``CACHE_PATH`` by what it is made of; drawn only if ``SITEURL_IS_PUBLIC``.
Templates read ``article.share_card`` and ``SHARE_CARD``.

No settings: the card's size, fonts and colours are the theme's (docs/share-cards.md).
"""

import functools
import hashlib
import io
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
import PIL
import resvg_py
from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator
from PIL import Image, ImageDraw, ImageFont
from shared.share_cards import card_beside
from shared.words import spoken_list

logger = logging.getLogger(__name__)

# Relative to THEME: the map layer's template, the only fonts the card sees, the colour tokens.
TEMPLATE = "share_card.svg"
FONTS = ("fonts/SourceSansPro-Regular.ttf", "fonts/SourceSansPro-Bold.ttf")
TOKENS = "static/css/site.css"
SAVE_AS = "share-card.png"
# 600 × 315 (1.91:1) is what previews show; text is drawn at the size a reader sees there.
WIDTH, HEIGHT = 600, 315
MARGIN = 30
HEADER = 50
SITE_NAME_SIZE = 22
HEADLINE_SIZES = (30, 26, 23)
LINE_HEIGHT = 1.15
META_SIZE = 15
CREDIT_SIZE = 8
MAP_BOX = (340, HEADER + 15, 230, 175)  # x, y, width, height
MAP_LAYER = (MAP_BOX[0], MAP_BOX[1], MAP_BOX[2], HEIGHT - MAP_BOX[1])
COLOURS = 16
DEFLATE_LEVEL = 9
ELLIPSIS = "…"


class Font:
    def __init__(self, family, units, advance):
        self.family, self.units, self.advance = family, units, advance

    def width(self, text, size):
        # Kerning is left out: it narrows a line far more often than it widens it.
        return sum(map(self.advance.get, text, repeat(self.units))) * size / self.units

    def missing(self, text):
        return sorted(char for char in set(text) if char not in self.advance and not char.isspace())


def fit_lines(text, width_of, max_width, max_lines):
    """(lines, whether shortened): what does not fit is dropped at a word boundary, with an ellipsis."""
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
    block = css[css.index(":root") : css.index("}", css.index(":root"))]
    return dict(re.findall(r"--color-([\w-]+):\s*(#[0-9a-fA-F]{3,8})\s*;", block))


def place_names(article):
    names = [place.get("label") or place.get("name") for place in getattr(article, "places", None) or []]
    return [name for name in names if name] or ([article.place] if getattr(article, "place", None) else [])


def map_place_names(locator_map):
    return [place["label"] for place in locator_map.places]


class Drawing:
    """What a card or a map layer is made of, named by its digest: a warm build finds the name in the cache."""

    def __init__(self, made_by, fields, template=None):
        self.fields, self.template = fields, template
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
    layer: Drawing | None = None


class CardDesigner:
    def __init__(self, settings, env):
        self.settings = settings
        self.template = env.get_template(TEMPLATE)
        self.fonts = {
            weight: load_font(path, card_cache(settings))
            for weight, path in zip(("regular", "bold"), font_files(settings), strict=True)
        }
        self.colours = tokens(Path(settings["THEME"], TOKENS).read_text(encoding="utf-8"))
        # The page's own macros: the card says the date and byline in the page's words.
        self.dates = env.get_template("macros/dates.html").make_module(settings)
        self.lists = env.get_template("macros/articles.html").make_module(settings)
        self.made_by = f"{renderer_id(font_files(settings))}; template {file_digest(self.template.filename)}"
        self.laid_out, self.map_layers = {}, {}

    def lines(self, text, weight, size, width, max_lines):
        key = (text, weight, size, width, max_lines)
        if key not in self.laid_out:
            font = self.fonts[weight]
            self.laid_out[key] = fit_lines(text, lambda line: font.width(line, size), width, max_lines)
        return self.laid_out[key]

    def headline(self, text, width, height):
        text = " ".join(text.split())
        for size in HEADLINE_SIZES:
            max_lines = int(height // (size * LINE_HEIGHT))
            lines, shortened = self.lines(text, "bold", size, width, max_lines)
            if not shortened:
                break
        return {"size": size, "line_height": round(size * LINE_HEIGHT), "lines": lines}

    def map_layer(self, locator_map):
        key = (str(locator_map.svg), tuple(locator_map.credits))
        if key not in self.map_layers:
            credits = self.lines(" ".join(locator_map.credits), "regular", CREDIT_SIZE, MAP_BOX[2], 6)[0]
            fields = {
                "colour": self.colours,
                "font_family": self.fonts["regular"].family,
                "width": MAP_LAYER[2],
                "height": MAP_LAYER[3],
                "map_svg": placed(locator_map.svg, (0, 0, *MAP_BOX[2:])),
                "map_box": (0, 0, *MAP_BOX[2:]),
                "credits": {"size": CREDIT_SIZE, "lines": credits},
            }
            self.map_layers[key] = Drawing(self.made_by, fields, self.template)
        return self.map_layers[key]

    def card(self, headline, meta, save_as, url, alt_tail, locator_map=None, places=()):
        text_width = MAP_BOX[0] - 2 * MARGIN if locator_map or places else WIDTH - 2 * MARGIN
        meta = [self.lines(text, "regular", META_SIZE, text_width, 2)[0] for text in meta]
        meta_lines = [line for lines in meta for line in lines]
        headline_height = HEIGHT - HEADER - 20 - MARGIN - len(meta_lines) * round(META_SIZE * LINE_HEIGHT) - 10
        title = self.headline(headline, text_width, headline_height)
        alt = self.alt_text(title, meta, alt_tail)
        layer = self.map_layer(locator_map) if locator_map else None
        fields = {
            "colour": self.colours,
            "site_name": self.settings["SITENAME"],
            "headline": title,
            "meta": {"size": META_SIZE, "line_height": round(META_SIZE * LINE_HEIGHT), "lines": meta_lines},
            "map_image": layer.file if layer else None,
            "places": list(places),
        }
        return ShareCard(Drawing(self.made_by, fields), alt=alt, save_as=save_as, url=url, layer=layer)

    def alt_text(self, title, meta, tail):
        sentences = [f"{self.settings['SITENAME']}: “{' '.join(title['lines'])}”", *(" ".join(lines) for lines in meta)]
        return ". ".join(sentence.rstrip(".") for sentence in [*sentences, tail] if sentence) + "."

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
        return self.card(
            article.title, meta, card_beside(article.save_as), card_beside(article.url), tail, locator_map, places
        )

    def for_site(self):
        settings = self.settings
        meta = [settings["SITE_DESCRIPTION"]] if settings.get("SITE_DESCRIPTION") else []
        return self.card(settings.get("SITESUBTITLE", ""), meta, SAVE_AS, SAVE_AS, "")


def placed(svg, box):
    return Markup(str(svg).replace("<svg", '<svg x="{}" y="{}" width="{}" height="{}"'.format(*box), 1))


@functools.cache
def load_font(path, cache_dir):
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
    # Another build reading the cache never sees half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


@functools.cache
def file_digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def missing_glyphs(article, fonts):
    fields = {
        "title": article.title,
        "author": str(getattr(article, "author", "") or ""),
        "translated_from": getattr(article, "translated_from", "") or "",
    }
    found = {field: fonts["bold" if field == "title" else "regular"].missing(text) for field, text in fields.items()}
    return {field: chars for field, chars in found.items() if chars}


def rasterize(svg, font_files, family):
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=list(font_files),
            font_family=family,
            sans_serif_family=family,
        )
    )


@functools.cache
def pillow_font(path, size):
    # Pillow's own layout: raqm's would depend on the machine's FriBiDi.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.cache
def layer_image(path):
    return Image.open(path).convert("RGB")


def draw(fields, font_files, layer_dir):
    colour, (regular, bold) = fields["colour"], font_files
    image = Image.new("RGB", (WIDTH, HEIGHT), colour["bg"])
    pen = ImageDraw.Draw(image)

    def text(x, y, line, weight, size, fill):
        pen.text((x, y), line, font=pillow_font(weight, size), fill=colour[fill], anchor="ls")

    pen.rectangle((0, 0, WIDTH - 1, HEADER - 1), fill=colour["surface"])
    pen.rectangle((0, HEADER - 3, WIDTH - 1, HEADER - 1), fill=colour["accent"])
    text(MARGIN, HEADER - 16, fields["site_name"], bold, SITE_NAME_SIZE, "text")
    headline, meta = fields["headline"], fields["meta"]
    for number, line in enumerate(headline["lines"]):
        y = HEADER + 20 + headline["size"] + number * headline["line_height"]
        text(MARGIN, y, line, bold, headline["size"], "text")
    for number, line in enumerate(reversed(meta["lines"])):
        text(MARGIN, HEIGHT - MARGIN - number * meta["line_height"], line, regular, meta["size"], "muted")
    if fields["map_image"]:
        image.paste(layer_image(Path(layer_dir, fields["map_image"])), MAP_LAYER[:2])
    elif fields["places"]:
        y = HEADER + 20 + META_SIZE
        text(MAP_BOX[0], y, "Places", bold, META_SIZE, "accent")
        for number, name in enumerate(fields["places"], 1):
            text(MAP_BOX[0], y + number * meta["line_height"], name, regular, META_SIZE, "text")
    return image.quantize(COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def compress(image):
    """PNG bytes of a palette image: Pillow writes its rows, oxipng deflates them unfiltered (flat colours)."""
    written = io.BytesIO()
    image.save(written, "PNG", compress_level=0)
    return oxipng.optimize_from_memory(
        written.getvalue(),
        level=0,
        filter=[oxipng.RowFilter.NoOp],
        deflate=oxipng.Deflaters.libdeflater(DEFLATE_LEVEL),
    )


def render(fields, font_files, layer_dir):
    return compress(draw(fields, font_files, layer_dir))


@functools.cache
def renderer_id(font_files):
    """What the bytes depend on besides the fields: this module, the renderers' versions, the fonts."""
    fonts = " ".join(file_digest(path) for path in font_files)
    return (
        f"share_card {file_digest(__file__)}; Pillow {PIL.__version__}; resvg-py {resvg_py.__version__}; "
        f"pyoxipng {version('pyoxipng')}; {fonts}"
    )


def cache_key(made_of, made_by):
    return hashlib.sha256(f"{made_by}\n{made_of}".encode()).hexdigest()


def card_cache(settings):
    return str(Path(settings["CACHE_PATH"], "share_cards"))


def font_files(settings):
    return tuple(str(Path(settings["THEME"], path)) for path in FONTS)


def design_site_card(generator):
    # Now, not with the articles' cards: the whole-site checks foresee where it goes.
    if generator.settings.get("SITEURL_IS_PUBLIC"):
        generator.context["SHARE_CARD"] = CardDesigner(generator.settings, generator.env).for_site()


def design_cards(generators):
    # Once every plugin has finished with the articles, whatever their order in PLUGINS: their maps are drawn.
    for generator in generators:
        if isinstance(generator, ArticlesGenerator) and generator.settings.get("SITEURL_IS_PUBLIC"):
            designer = CardDesigner(generator.settings, generator.env)
            for article in generator.articles + generator.hidden_articles:
                for item in [article, *article.translations]:
                    if item.save_as:
                        item.share_card = designer.for_article(item)


def all_cards(generator):
    cards = [generator.context["SHARE_CARD"]]
    for article in generator.articles + generator.hidden_articles:
        cards += [item.share_card for item in [article, *article.translations] if getattr(item, "share_card", None)]
    return cards


def cached_card(card, files, family, cache_dir):
    """The card's file in the cache, drawn there (with its map layer) if missing."""
    cached = cache_dir / card.drawing.file
    if not cached.exists():
        layer = card.layer and cache_dir / card.layer.file
        if layer and not layer.exists():
            write_atomically(layer, rasterize(card.layer.svg, files, family))
        write_atomically(cached, render(card.drawing.fields, files, cache_dir))
    return cached


def write_cards(generator, writer):
    if "SHARE_CARD" not in generator.context:
        return
    files = font_files(generator.settings)
    cache_dir = Path(card_cache(generator.settings))
    family = load_font(files[0], str(cache_dir)).family
    for card in all_cards(generator):
        cached = cached_card(card, files, family, cache_dir)
        target = Path(generator.output_path, card.save_as)
        if target.exists() and target.read_bytes() == cached.read_bytes():
            continue  # A devserver rebuild keeps the output folder: an unchanged card is left alone.
        target.parent.mkdir(parents=True, exist_ok=True)
        # A copy, not a link: a later edit to the output cannot reach into the cache.
        shutil.copyfile(cached, target)


def register():
    signals.article_generator_finalized.connect(design_site_card)
    signals.all_generators_finalized.connect(design_cards)
    signals.article_writer_finalized.connect(write_cards)
