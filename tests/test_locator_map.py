"""The locator map: its geometry on small made-up shapes, then markers that never
overlap and a map that a screen reader hears once, on the built article."""

import gzip
import json
import logging
from types import SimpleNamespace

import locator_map as lm
import pytest
import shapely
import yaml
from in_browser import WIDTHS, open_page, script, visit
from selectolax.lexbor import LexborHTMLParser
from support import ARTICLE, ROOT, SOURCE, articles, settings_of

import pelicanconf

GEO = ROOT / "content" / "geo"
BOUNDS = lm.BOUNDS


def test_projection_maps_the_bounds_onto_the_frame():
    projection = lm.Projection(*BOUNDS, 640)
    west, south, east, north = BOUNDS
    assert projection(west, north) == pytest.approx((0, 0))
    assert projection(east, south) == pytest.approx((640, projection.height))
    # Equal-area: a degree of latitude is shorter near the top than near the bottom.
    assert projection(0, north - 1)[1] - projection(0, north)[1] < projection(0, south)[1] - projection(0, south + 1)[1]


def test_outlines_are_simplified_and_clipped_to_the_frame():
    projection = lm.Projection(0, 0, 10, 10, 100)
    # A square reaching past the east edge, with a wiggle far below the tolerance.
    square = shapely.Polygon([(5, 2), (12, 2), (12, 8), (8.5, 8), (8.49, 8.001), (5, 8)])
    outline = lm.visible_outline(square, projection, tolerance=0.5)
    left, top, right, bottom = outline.bounds
    assert right == pytest.approx(projection.width) and left > 0 and top > 0
    assert len(outline.exterior.coords) == 5, "four corners and the closing point"
    assert lm.visible_outline(shapely.box(20, 20, 30, 30), projection, 0.5).is_empty


def test_path_data_is_relative_and_short():
    assert lm.path_data([shapely.Polygon([(0, 0), (1.5, 0), (1.5, -0.3)])]) == "M0 0l1.5 0 0 -.3z"
    assert lm.path_data([shapely.Polygon([(0, 0), (0.01, 0), (0, 0.01)])]) == "", "rings that round away are dropped"


def test_a_country_name_goes_where_the_whole_label_fits():
    # A small square, deepest inside, beside a wide band where a long name fits.
    outline = shapely.union(shapely.box(0, 0, 60, 60), shapely.box(60, 10, 460, 50))
    name, size = "A rather long country name", 10
    x, y = lm.country_label_position(outline, name, size)
    assert outline.contains(shapely.box(*lm.label_box(x, y, name, size)))
    # Where it fits around the deepest point, it goes there.
    x, y = lm.country_label_position(outline, "Short", size)
    assert shapely.box(0, 0, 60, 60).contains(shapely.Point(x, y))


def test_labels_avoid_what_is_already_there():
    frame = (200, 100)
    x, y, anchor, box = lm.place_label(100, 50, "Gao", 10, obstacles=[], frame=frame)
    assert anchor == "start" and box[0] > 100
    blocked_right = [(101, 0, 200, 100)]
    x, y, anchor, box = lm.place_label(100, 50, "Gao", 10, obstacles=blocked_right, frame=frame)
    assert anchor == "end" and box[2] < 100


def test_coordinates_read_as_degrees_and_hemispheres():
    assert lm.format_coordinates(-0.0447, 16.2717) == "16.27° N, 0.04° W"
    assert lm.format_coordinates(1.4092, 18.4435) == "18.44° N, 1.41° E"


def load_points_and_credits():
    points = json.loads((GEO / "mali-places.json").read_text(encoding="utf-8"))["features"]
    credits = yaml.safe_load((GEO / "credits.yaml").read_text(encoding="utf-8"))
    return points, credits


def test_an_unknown_place_is_reported_not_drawn(caplog):
    points, credits = load_points_and_credits()
    with caplog.at_level(logging.WARNING):
        resolved = lm.resolve_places([{"name": "Atlantis"}, {"name": "gao"}], points, credits, "test.md")
    assert [place["name"] for place in resolved] == ["gao"]
    assert "Atlantis" in caplog.text


def test_a_credit_line_covers_the_points_whose_source_it_begins():
    credits = {"points": [{"source": "GeoNames", "credit": "Place coordinates: GeoNames"}]}
    assert (
        lm.credit_for({"properties": {"source_dataset": "GeoNames cities15000"}}, credits)
        == "Place coordinates: GeoNames"
    )
    assert lm.credit_for({"properties": {"source_dataset": "Natural Earth, GeoNames"}}, credits) is None


def test_every_point_has_a_credit_line():
    points, credits = load_points_and_credits()
    assert [p["properties"]["name"] for p in points if lm.credit_for(p, credits) is None] == []


def test_the_whole_map_fits_the_budget_with_every_point():
    """Even with all six points of the data the map stays under 8 KB gzipped."""
    points, credits = load_points_and_credits()
    places = [{"name": p["properties"]["name"], "in_article": True} for p in points]
    base = lm.base_map(str(GEO / "mali-map.geojson"), 0, BOUNDS, 640, 0.7, 26)
    drawn = lm.draw(base, lm.resolve_places(places, points, credits, "test"), 26, credits)
    assert len(gzip.compress(str(drawn.svg).encode())) <= 8 * 1024
    assert len(drawn.places) == len(points)
    assert "GeoNames (geonames.org), CC BY 4.0" in " ".join(drawn.credits)


# -- Markers that never overlap ----------------------------------------------------------


def marker_shapes(svg):
    """The area each marker covers, stroke included, computed from the SVG alone."""
    shapes = []
    for node in svg.css(".locator-map__marker"):
        stroke = float(node.parent.attributes["stroke-width"])
        a = {
            key: float(value)
            for key, value in node.attributes.items()
            if key in {"cx", "cy", "r", "x", "y", "width", "height"}
        }
        if node.tag == "circle":
            shapes.append(shapely.Point(a["cx"], a["cy"]).buffer(a["r"] + stroke / 2))
        else:
            box = shapely.box(a["x"], a["y"], a["x"] + a["width"], a["y"] + a["height"])
            shapes.append(box.buffer(stroke / 2, join_style="mitre"))
    return shapes


def overlapping(shapes):
    return [(i, j) for i in range(len(shapes)) for j in range(i + 1, len(shapes)) if shapes[i].intersects(shapes[j])]


def test_no_two_markers_overlap_on_the_article_map(pages):
    svg = pages[ARTICLE].css_first("svg.locator-map__svg")
    shapes = marker_shapes(svg)
    assert len(shapes) == len(articles()[SOURCE]["places"])
    assert overlapping(shapes) == []


def base():
    return lm.base_map(str(GEO / "mali-map.geojson"), 0, BOUNDS, 640, 0.7, 26)


def made_up_place(name, lon, lat, capital=False):
    return {"name": name, "label": name, "in_article": True, "capital": capital, "lon": lon, "lat": lat, "credit": "c"}


@pytest.mark.parametrize(
    "spots",
    [
        [(-4.0, 14.0), (-4.0, 14.0)],  # the very same spot
        [(-4.0, 14.0, True), (-4.0, 14.0), (-4.05, 14.02)],  # a capital among them
        [(-4.0 + 0.1 * (i % 3), 14.0 + 0.1 * (i // 3)) for i in range(9)],  # a tight cluster
        [(-17.7, 25.5), (-17.7, 25.5)],  # in a corner of the frame
    ],
)
def test_no_two_markers_overlap_wherever_the_places_lie(spots):
    places = [made_up_place(f"P{i}", *spot) for i, spot in enumerate(spots)]
    svg = LexborHTMLParser(str(lm.draw(base(), places, 26, {"outlines": ""}).svg)).css_first("svg")
    shapes = marker_shapes(svg)
    assert len(shapes) == len(spots)
    assert overlapping(shapes) == []
    _, _, width, height = map(float, svg.attributes["viewBox"].split())
    assert all(shapely.box(0, 0, width, height).contains(shape) for shape in shapes)


def test_markers_far_apart_stay_where_they_are():
    places = [made_up_place("A", -4.0, 14.0), made_up_place("B", 0.0, 16.0)]
    svg = LexborHTMLParser(str(lm.draw(base(), places, 26, {"outlines": ""}).svg)).css_first("svg")
    projection = base().projection
    for node, place in zip(svg.css("circle.locator-map__marker"), places, strict=True):
        x, y = projection(place["lon"], place["lat"])
        assert (float(node.attributes["cx"]), float(node.attributes["cy"])) == (round(x, 1), round(y, 1))


# Each label as Chromium lays it out, against every marker's box with its stroke.
LABELS_OVER_MARKERS = script("""
const svg = document.querySelector("svg.locator-map__svg");
const markers = [...svg.querySelectorAll(".locator-map__marker")].map((m) => {
  const box = m.getBBox(), half = parseFloat(getComputedStyle(m).strokeWidth) / 2;
  return {left: box.x - half, top: box.y - half, right: box.x + box.width + half, bottom: box.y + box.height + half};
});
const offenders = [];
for (const label of svg.querySelectorAll("text")) {
  if (label.closest(".locator-map__halo")) continue;
  const b = label.getBBox();
  for (const m of markers) {
    const overlaps = b.x < m.right && b.x + b.width > m.left && b.y < m.bottom && b.y + b.height > m.top;
    if (overlaps) offenders.push(label.textContent);
  }
}
return {labels: svg.querySelectorAll("text").length, markers: markers.length, offenders};
""")


@pytest.mark.parametrize("width", WIDTHS.values())
def test_no_label_covers_a_marker(browser, server, width):
    with open_page(browser, width=width) as page:
        visit(page, server + ARTICLE)
        found = page.evaluate(LABELS_OVER_MARKERS)
    assert found["markers"] == len(articles()[SOURCE]["places"]) and found["labels"]
    assert found["offenders"] == []


def test_a_country_name_makes_way_for_a_marker_put_under_it(browser):
    countries = {name: (x, y) for _, name, _, _, (x, y) in base().countries}
    projection = base().projection
    # Made-up places right under the names of Mali and Niger, as lon/lat.
    under = [[], []]
    for index, name in enumerate(("Mali", "Niger")):
        x, y = countries[name]
        lon = BOUNDS[0] + (BOUNDS[2] - BOUNDS[0]) * x / projection.width
        lat = next(lat / 100 for lat in range(600, 2560) if projection(lon, lat / 100)[1] <= y - 8)
        under[index] = made_up_place(name + " town", lon, lat)
    svg = str(lm.draw(base(), under, 26, {"outlines": ""}).svg)
    with open_page(browser, width=1280) as page:
        page.set_content(f"<!doctype html><title>map</title><body style='margin:0;width:1280px'>{svg}</body>")
        found = page.evaluate(LABELS_OVER_MARKERS)
    assert found["markers"] == 2
    assert found["offenders"] == []


# -- What a screen reader hears -----------------------------------------------------------


def test_label_copies_are_hidden_from_assistive_technology(pages):
    svg = pages[ARTICLE].css_first("svg.locator-map__svg")
    offenders = []
    for node in svg.css("text"):
        ancestor = node
        while ancestor is not None and ancestor.attributes.get("aria-hidden") != "true":
            ancestor = ancestor.parent
        if ancestor is None:
            offenders.append(node.text())
    assert svg.css("text"), "the map has no labels: the test proves nothing"
    assert offenders == []


def accessibility_tree(page):
    """Chromium's own accessibility tree of the page, as its CDP nodes by id."""
    session = page.context.new_cdp_session(page)
    return {node["nodeId"]: node for node in session.send("Accessibility.getFullAXTree")["nodes"]}


def value(node, key):
    return (node.get(key) or {}).get("value", "")


def subtree(tree, node):
    """The node and all below it that Chromium does not ignore, text boxes aside."""
    found, stack = [], [node]
    while stack:
        node = stack.pop()
        stack += [tree[child] for child in reversed(node.get("childIds", [])) if child in tree]
        if not node.get("ignored") and value(node, "role") != "InlineTextBox":
            found.append(node)
    return found


def test_chromium_names_the_map_shortly_and_each_place_once(browser, server):
    with open_page(browser) as page:
        visit(page, server + ARTICLE)
        tree = accessibility_tree(page)
    region = next(
        n for n in tree.values() if value(n, "role") == "region" and value(n, "name") == "Places in the report"
    )
    [image] = [n for n in subtree(tree, region) if value(n, "role") == "image"]
    [key] = [n for n in subtree(tree, region) if value(n, "role") == "list"]
    assert value(image, "name") == "Map of Mali and its neighbours"
    assert value(image, "description") and value(image, "name") not in value(image, "description")
    # What is read out for the map and its key: the image's name and
    # description, and every piece of text inside either.
    heard = [value(image, "name"), value(image, "description")]
    heard += [value(n, "name") for n in subtree(tree, image) + subtree(tree, key) if value(n, "role") == "StaticText"]
    for place in articles()[SOURCE]["places"]:
        label = place.get("label", place["name"])
        times = sum(text == label for text in heard[2:]) + heard[0].count(label) + heard[1].count(label)
        assert times == 1, f"{label!r} is heard {times} times: {heard}"


def test_articles_listing_the_same_places_share_one_drawing(monkeypatch):
    """A map is drawn once per distinct set of places, not once per article."""
    drawn = []
    draw = lm.draw
    monkeypatch.setattr(lm, "draw", lambda *args: drawn.append(args) or draw(*args))
    settings = {
        "PATH": str(ROOT / "content"),
        "THEME": str(ROOT / "theme"),
        "THEME_STATIC_DIR": "theme",
        **{k: v for k, v in settings_of(pelicanconf).items() if k.startswith("LOCATOR_MAP_")},
    }

    def article(*names):
        places = [{"name": name, "in_article": True} for name in names]
        return SimpleNamespace(places=places, translations=[], source_path="test.md")

    same, again, other = article("Gao", "Bamako"), article("Gao", "Bamako"), article("Gao")
    generator = SimpleNamespace(settings=settings, articles=[same, again, other], drafts=[], context={})
    lm.add_locator_maps(generator)
    assert len(drawn) == 2
    assert set(generator.context["LOCATOR_MAP_FILES"]) == {"light", "dark"}
    assert same.locator_map is again.locator_map
    assert other.locator_map.places != same.locator_map.places
