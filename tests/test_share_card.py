"""Share cards: the PNG a link preview shows, and the head tags that name it.

The text layout, the map layer's SVG and the drawing are tested on the plugin's
functions; the builds (without and with SITEURL) show what reaches the site.
"""

import datetime
import io
import json
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
import share_card
from PIL import Image, ImageChops
from support import ARTICLE, HOSTILE, PUBLIC_SITEURL, ROOT, SOURCE, articles, settings_of, theme_environment

import pelicanconf

# A deployed article stays within 40 KB all-in: its card takes at most this much of it.
MAX_BYTES = 16 * 1024


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return {
        **settings_of(pelicanconf),
        "THEME": str(ROOT / "theme"),
        "CACHE_PATH": str(tmp_path_factory.mktemp("cache")),
    }


@pytest.fixture(scope="module")
def designer(settings):
    return share_card.CardDesigner(settings, theme_environment(settings))


def fake_article(title, source_path="article.md", **fields):
    return SimpleNamespace(
        title=title,
        author="dpa",
        date=datetime.datetime(2023, 6, 16),
        save_as="2023/06/a.html",
        url="2023/06/a.html",
        source_path=str(source_path),
        **fields,
    )


def texts(card, part):
    """The lines the card draws for ``part``: "headline", "meta" or "places"."""
    fields = card.drawing.fields
    return fields["places"] if part == "places" else fields[part]["lines"]


def render(settings, card):
    """The card's PNG as a build writes it: its map layer rendered first, into the cache."""
    files, cache = share_card.font_files(settings), Path(share_card.card_cache(settings))
    family = share_card.load_font(files[0], str(cache)).family
    if card.layer:
        (cache / card.layer.file).write_bytes(share_card.rasterize(card.layer.svg, files, family))
    return share_card.render(card.drawing.fields, files, str(cache))


def dark_pixels(png, box):
    """How many pixels in ``box`` are darker than the card's background by far."""
    return sum(Image.open(io.BytesIO(png)).convert("L").crop(box).histogram()[:128])


# -- Text layout, on the functions ---------------------------------------------------------------


def test_a_long_headline_is_shortened_at_a_word_boundary_and_never_overflows(designer):
    words = ("Security Council hears Mali's demand that the peacekeeping mission leave at once " * 6).split()
    title = designer.headline(" ".join(words), 280, 150)
    lines = title["lines"]
    font = designer.fonts["bold"]
    assert all(font.width(line, title["size"]) <= 280 for line in lines)
    assert len(lines) * title["size"] * share_card.LINE_HEIGHT <= 150
    assert lines[-1].endswith("…")
    drawn = " ".join(lines)[:-1].split()
    assert drawn == words[: len(drawn)], "a word was cut or changed"


def test_a_headline_that_fits_is_drawn_whole_at_the_largest_size(designer):
    title = designer.headline("Mali demands withdrawal", 280, 150)
    assert title["lines"] == ["Mali demands", "withdrawal"] or title["lines"] == ["Mali demands withdrawal"]
    assert title["size"] == max(share_card.HEADLINE_SIZES)


def test_a_word_wider_than_the_card_is_dropped_not_cut():
    lines, shortened = share_card.fit_lines("Mali Supercalifragilisticexpialidocious", len, 10, 2)
    assert shortened and lines == ["Mali…"]


def test_the_card_says_the_date_and_byline_in_the_words_of_the_page_macros(settings):
    """Change the theme's macros and the card follows: its only word of its own is "By", as on the page."""
    macros = jinja2.DictLoader(
        {
            "macros/dates.html": "{% macro time(date) %}<time>{{ date.strftime('%B %Y') }}</time>{% endmacro %}",
            "macros/articles.html": "{% macro byline(article) %}<b>{{ article.author }}</b> (by machine, from"
            " {{ article.translated_from }}){% endmacro %}",
        }
    )
    card = share_card.CardDesigner(settings, theme_environment(settings, macros)).for_article(
        fake_article("Mali", translated_from="German")
    )
    assert texts(card, "meta") == ["June 2023", "By dpa (by machine, from German)"]
    assert "“Mali”. June 2023. By dpa (by machine, from German)." in card.alt


def test_colours_come_from_the_site_tokens():
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    colours = share_card.tokens(css)
    assert colours["bg"] == "#fdfcf9" and colours["accent"] == "#8a3b12"
    # The light scheme's, not the dark one's that comes later in the file.
    assert colours["text"] == "#1d1b18"


# -- The PNG ----------------------------------------------------------------------------


def test_a_headline_full_of_markup_characters_is_drawn_as_text(designer, settings):
    card = designer.for_article(fake_article(HOSTILE, translated_from="German"))
    assert " ".join(texts(card, "headline")) == HOSTILE
    assert "By dpa, machine-translated from German" in " ".join(texts(card, "meta"))
    image = Image.open(io.BytesIO(render(settings, card)))
    assert image.format == "PNG" and image.size == (share_card.WIDTH, share_card.HEIGHT)


def test_the_alt_text_says_what_the_card_shows(designer):
    card = designer.for_article(
        fake_article("Mali demands withdrawal", places=[{"name": "Gao"}, {"name": "Mopti", "label": "Mopti (town)"}])
    )
    assert texts(card, "places") == ["Gao", "Mopti (town)"]
    shown = [" ".join(texts(card, "headline")), *texts(card, "meta"), *texts(card, "places")]
    assert shown == ["Mali demands withdrawal", "16 June 2023", "By dpa", "Gao", "Mopti (town)"]
    assert card.alt == "Sahel Desk: “Mali demands withdrawal”. 16 June 2023. By dpa. Places: Gao and Mopti (town)."


def test_the_headline_is_drawn_in_the_project_font(designer, settings):
    """Pixels, not markup: with no font the renderer would draw no text and say nothing."""
    top = share_card.HEADER + 20
    headline_box = (share_card.MARGIN, top, share_card.WIDTH // 2, top + 2 * max(share_card.HEADLINE_SIZES))
    drawn = render(settings, designer.for_article(fake_article("Mali demands withdrawal")))
    blank = render(settings, designer.for_article(fake_article("")))
    assert dark_pixels(drawn, headline_box) > 500
    assert dark_pixels(blank, headline_box) == 0


def page_map(site, credits=1):
    """The article page's locator map, as the plugin gets it."""
    html = (site / ARTICLE).read_text(encoding="utf-8")
    svg = html[html.index('<svg class="locator-map__svg"') :]
    return SimpleNamespace(
        svg=svg[: svg.index("</svg>") + 6],
        places=[{"label": "Gao"}, {"label": "Mopti (town)"}],
        credits=["Country outlines: Natural Earth, public domain. Made with Natural Earth."] * credits,
    )


def difference(image, other):
    """The mean difference of two RGB images' pixels, 0 to 255."""
    histogram = ImageChops.difference(image, other).convert("L").histogram()
    return sum(level * count for level, count in enumerate(histogram)) / (image.width * image.height)


def test_the_map_is_pasted_into_the_card_where_it_belongs_never_resampled(designer, settings, site):
    """Rendered once per map, it must come out as if drawn with the card, but for the card's palette."""
    card = designer.for_article(fake_article("Mali demands withdrawal", locator_map=page_map(site)))
    png = Image.open(io.BytesIO(render(settings, card))).convert("RGB")
    layer = Image.open(Path(share_card.card_cache(settings), card.layer.file)).convert("RGB")
    x, y, width, height = share_card.MAP_LAYER
    assert layer.size == (width, height)
    # What is left is the card's palette of 16 colours; one pixel off, outlines and labels no longer line up.
    pasted = difference(png.crop((x, y, x + width, y + height)), layer)
    assert pasted < 3.5
    assert difference(png.crop((x + 1, y, x + 1 + width, y + height)), layer) > 2 * pasted
    # Mali's name, the places and the credit lines are dark (438 pixels on this map).
    assert sum(layer.convert("L").histogram()[:128]) > 250, "the map layer is blank"


def test_a_card_with_the_most_text_and_a_map_stays_within_its_bytes(designer, settings, site):
    locator_map = page_map(site, credits=3)
    card = designer.for_article(
        fake_article(
            "Mali demands that the peacekeeping mission leave at once " * 5,
            translated_from="German",
            locator_map=locator_map,
        )
    )
    assert texts(card, "headline")[-1].endswith("…")
    assert len(render(settings, card)) <= MAX_BYTES


def test_the_same_card_renders_to_the_same_bytes(designer, settings):
    card = designer.for_article(fake_article("Mali demands withdrawal"))
    assert render(settings, card) == render(settings, card)


def test_a_card_rendered_here_has_the_bytes_committed_from_another_machine(settings, tmp_path):
    """The article's card for https://example.org, designed once and kept as its fields and its map layer's SVG:
    only the renderers are tested."""
    reference = ROOT / "tests" / "reference"
    files = share_card.font_files(settings)
    family = share_card.load_font(files[0], share_card.card_cache(settings)).family
    fields = json.loads((reference / "share-card.json").read_text(encoding="utf-8"))
    layer_svg = (reference / "share-card-map.svg").read_text(encoding="utf-8")
    (tmp_path / fields["map_image"]).write_bytes(share_card.rasterize(layer_svg, files, family))
    png = share_card.render(fields, files, str(tmp_path))
    (tmp_path / "share-card.png").write_bytes(png)
    assert png == (reference / "share-card.png").read_bytes(), (
        f"Pillow, resvg-py, pyoxipng or the font now give other bytes than the ones that made "
        f"tests/reference/share-card.png. If that change was meant (an upgrade), look at {tmp_path / 'share-card.png'} "
        "and, if it looks right, copy it over the reference; if not, pin the versions back."
    )


def test_a_headline_the_font_cannot_draw_gets_the_site_card(designer):
    assert designer.for_article(fake_article("Mali 马里")) is None
    assert designer.for_article(fake_article("Mali, Gao and Moura")) is not None


# -- What the builds write ----------------------------------------------------------------------------


def test_without_siteurl_no_card_is_drawn(site):
    assert sorted(site.rglob("*.png")) == []


def test_every_card_is_a_palette_png_of_the_card_size_within_its_bytes(extra_build):
    site = extra_build[0]
    cards = sorted(site.rglob("*.png"))
    articles = {path.with_suffix(".png") for path in site.glob("20*/*/*.html") if path.name != "index.html"}
    assert articles and articles | {site / "share-card.png"} <= set(cards)
    offenders = []
    for card in cards:
        image = Image.open(card)
        colours = len(image.getcolors(share_card.COLOURS) or ()) if image.mode == "P" else 0
        if (image.format, image.size) != ("PNG", (share_card.WIDTH, share_card.HEIGHT)) or not colours:
            offenders.append(card)
        elif card.stat().st_size > MAX_BYTES:
            offenders.append(card)
    assert offenders == []


def test_a_card_in_the_output_is_a_copy_not_a_link_into_the_cache(extra_build):
    """A later edit to the published file cannot change the cached one."""
    assert [card for card in extra_build[0].rglob("*.png") if card.stat().st_nlink != 1] == []


def test_the_built_card_is_what_the_renderer_draws_from_its_svg(extra_build, designer, settings):
    """The cache hands out the bytes a fresh render gives."""
    assert (extra_build[0] / "share-card.png").read_bytes() == render(settings, designer.for_site())


def test_without_siteurl_no_page_names_an_image(pages):
    offenders = [
        path
        for path, tree in pages.items()
        if tree.css('meta[property^="og:image"]')
        or tree.css_first('meta[name="twitter:card"]').attributes["content"] != "summary"
    ]
    assert offenders == []
    assert all(
        '"image"' not in node.text()
        for tree in pages.values()
        for node in tree.css('script[type="application/ld+json"]')
    )


def meta(tree, key):
    node = tree.css_first(f'meta[property="{key}"]') or tree.css_first(f'meta[name="{key}"]')
    return node.attributes["content"] if node else None


def test_with_siteurl_every_page_names_a_card_that_exists(extra_build, extra_pages):
    site = extra_build[0]
    offenders = []
    for path, tree in extra_pages.items():
        url = meta(tree, "og:image") or ""
        target = site / url.removeprefix(PUBLIC_SITEURL + "/")
        if not (
            url.startswith(PUBLIC_SITEURL + "/")
            and target.is_file()
            and Image.open(target).size == (int(meta(tree, "og:image:width")), int(meta(tree, "og:image:height")))
            and meta(tree, "og:image:alt")
            and meta(tree, "twitter:card") == "summary_large_image"
        ):
            offenders.append(path)
    assert offenders == []


def test_an_article_names_its_own_card_and_other_pages_the_site_card(extra_pages):
    article = extra_pages[ARTICLE]
    assert meta(article, "og:image") == f"{PUBLIC_SITEURL}/{ARTICLE.removesuffix('.html')}.png"
    alt = meta(article, "og:image:alt")
    for shown in (
        "Sahel Desk",
        articles()[SOURCE]["title"],
        "16 June 2023",
        "dpa",
        "Gao",
        "Moura",
        "Bamako",
    ):
        assert shown in alt
    others = {meta(tree, "og:image") for tree in extra_pages.values() if '"NewsArticle"' not in tree.html}
    assert others == {f"{PUBLIC_SITEURL}/share-card.png"}


def test_the_card_says_the_date_and_byline_as_the_page_does(extra_pages):
    tree = extra_pages[ARTICLE]
    # "By " and the byline search results show (its data-pagefind-meta element).
    byline = tree.css_first('.byline [data-pagefind-meta="byline"]').parent.text(deep=True)
    date = tree.css_first(".byline time").text()
    assert byline.startswith("By dpa") and date
    assert f". {date}. {byline}. " in meta(tree, "og:image:alt")


def test_the_newsarticle_image_is_the_card(extra_pages):
    tree = extra_pages[ARTICLE]
    data = next(
        block
        for block in map(json.loads, (node.text() for node in tree.css('script[type="application/ld+json"]')))
        if block["@type"] == "NewsArticle"
    )
    size = {"width": share_card.WIDTH, "height": share_card.HEIGHT}
    assert data["image"] == {"@type": "ImageObject", "url": meta(tree, "og:image"), **size}
