"""A static locator map for each article that lists ``places``, drawn at build time.

The country outlines (GeoJSON polygons) are projected, simplified to display
scale, clipped to the map frame and labelled once per build. Each article then
gets its own places on top: the front matter names them (``places: [{name,
description, in_article, label}]``) and their coordinates are looked up by name
in the points file, so a second article can mark other places on the same map.

The result is inline SVG with a title and a description, styled only through
CSS classes (light and dark mode come from the stylesheet's tokens), with no
script and no request to another host. Templates read ``article.locator_map``:

- ``svg``: the markup, safe to insert;
- ``places``: each place with its label, description, coordinates and whether
  the article names it, for the text alternative under the map;
- ``credits``: the credit lines the data licences ask for.

Settings (paths relative to ``PATH``): ``LOCATOR_MAP_OUTLINES``,
``LOCATOR_MAP_POINTS``, ``LOCATOR_MAP_CREDITS``, ``LOCATOR_MAP_BOUNDS`` (west,
south, east, north in degrees), ``LOCATOR_MAP_WIDTH`` (viewBox units),
``LOCATOR_MAP_TOLERANCE`` (simplification, in viewBox units) and
``LOCATOR_MAP_LABEL_SIZE`` (font size of place labels, in viewBox units).
"""

import functools
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from markupsafe import Markup
from pelican import signals

log = logging.getLogger(__name__)

DEFAULTS = {
    "LOCATOR_MAP_OUTLINES": "data/geo/mali-map.geojson",
    "LOCATOR_MAP_POINTS": "data/geo/mali-places.json",
    "LOCATOR_MAP_CREDITS": "data/geo/credits.yaml",
    # Mali and enough of each neighbour to name it; the far north of Algeria
    # and the east of Niger are cut so that the map stays legible on a phone.
    "LOCATOR_MAP_BOUNDS": (-17.8, 6.0, 9.0, 25.6),
    "LOCATOR_MAP_WIDTH": 640,
    "LOCATOR_MAP_TOLERANCE": 0.7,
    # Sized for a 320 px screen, where the map is drawn at about 0.45 of its
    # viewBox; the stylesheet makes labels smaller where the map is wider.
    "LOCATOR_MAP_LABEL_SIZE": 26,
}

# Average advance of a character in a sans-serif face, in ems: an estimate,
# kept generous so that estimated label boxes are never smaller than the text.
CHAR_WIDTH = 0.6
MARKER_RADIUS = 6
COUNTRY_LABEL_SCALE = 0.85


# -- Projection -------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Lambert cylindrical equal-area, true to scale at the frame's middle latitude.

    Areas keep their proportions (the Sahara is not inflated), and between 6°
    and 26° north shapes stay close to what readers know from atlases.
    """

    west: float
    south: float
    east: float
    north: float
    width: float

    @property
    def parallel(self):
        return math.radians((self.south + self.north) / 2)

    @property
    def scale(self):
        return self.width / (math.radians(self.east - self.west) * math.cos(self.parallel))

    def _y(self, lat):
        return math.sin(math.radians(lat)) / math.cos(self.parallel) * self.scale

    @property
    def height(self):
        return self._y(self.north) - self._y(self.south)

    def __call__(self, lon, lat):
        x = math.radians(lon - self.west) * math.cos(self.parallel) * self.scale
        return x, self._y(self.north) - self._y(lat)


# -- Geometry helpers (pure) ----------------------------------------------------


def rings_of(geometry):
    """The rings (outer and holes) of a Polygon or MultiPolygon, as lon/lat lists."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"not a polygon: {geometry['type']}")


def segment_distance(point, start, end):
    """Distance from ``point`` to the segment from ``start`` to ``end``."""
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify(points, tolerance):
    """Douglas-Peucker: drop vertices closer than ``tolerance`` to the simplified line."""
    if len(points) < 3:
        return list(points)
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            d = segment_distance(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep.add(farthest)
            stack += [(first, farthest), (farthest, last)]
    return [points[index] for index in sorted(keep)]


def clip(ring, width, height):
    """Sutherland-Hodgman: the part of a closed ring inside the frame 0…width × 0…height."""
    edges = [
        (lambda p: p[0] >= 0, lambda a, b: _cross_x(a, b, 0)),
        (lambda p: p[0] <= width, lambda a, b: _cross_x(a, b, width)),
        (lambda p: p[1] >= 0, lambda a, b: _cross_y(a, b, 0)),
        (lambda p: p[1] <= height, lambda a, b: _cross_y(a, b, height)),
    ]
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for inside, crossing in edges:
        if not points:
            break
        clipped = []
        for index, current in enumerate(points):
            previous = points[index - 1]
            if inside(current):
                if not inside(previous):
                    clipped.append(crossing(previous, current))
                clipped.append(current)
            elif inside(previous):
                clipped.append(crossing(previous, current))
        points = clipped
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def path_data(rings):
    """SVG path data with relative moves, one decimal: small and gzip-friendly."""
    parts = []
    for ring in rings:
        rounded = [(round(x * 10), round(y * 10)) for x, y in ring]
        deduplicated = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        if len(deduplicated) < 3:
            continue
        (x0, y0), steps = deduplicated[0], []
        for (ax, ay), (bx, by) in zip(deduplicated, deduplicated[1:]):
            steps.append(f"{_number(bx - ax)} {_number(by - ay)}")
        parts.append(f"M{_number(x0)} {_number(y0)}l" + " ".join(steps) + "z")
    return "".join(parts)


def _number(tenths):
    """Tenths as the shortest decimal text: 15 → 1.5, -3 → -.3, 20 → 2."""
    sign, tenths = ("-" if tenths < 0 else ""), abs(tenths)
    whole, fraction = divmod(tenths, 10)
    text = (str(whole) if whole else "") + (f".{fraction}" if fraction else "")
    return sign + (text or "0")


def edges_of(rings):
    """Every edge (start, end) of the closed rings, listed once for the many tests on them."""
    return [(a, b) for ring in rings for a, b in zip(ring, ring[1:] + ring[:1])]


def inside(point, edges):
    """Even-odd rule over the edges of all rings, so holes count as outside."""
    x, y = point
    result = False
    for (ax, ay), (bx, by) in edges:
        if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
            result = not result
    return result


def boundary_distance(point, edges, to_beat=-1.0):
    """The distance from ``point`` to the nearest edge.

    Stops as soon as it is no more than ``to_beat``, the distance a point must
    exceed to win: the value returned is then at most ``to_beat``, and the
    point loses exactly as it would have with the full minimum.
    """
    nearest = math.inf
    for a, b in edges:
        distance = segment_distance(point, a, b)
        if distance < nearest:
            nearest = distance
            if nearest <= to_beat:
                break
    return nearest


def label_box(x, y, text, size, anchor="middle"):
    """The estimated box (left, top, right, bottom) of a one-line label at x, y (baseline)."""
    width = len(text) * size * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, y - size * 0.8, left + width, y + size * 0.25


def overlap(box, other):
    """Area shared by two boxes."""
    width = min(box[2], other[2]) - max(box[0], other[0])
    height = min(box[3], other[3]) - max(box[1], other[1])
    return max(0.0, width) * max(0.0, height)


def country_label_position(rings, text, size, step):
    """Where a country's name fits best: inside it, as far as possible from its edges.

    A grid search for the point deepest inside the visible outline, preferring
    points where the whole estimated label box lies inside.
    """
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    edges = edges_of(rings)
    # (label fits inside, distance from the edges), compared in that order.
    best, best_score = None, (False, -1.0)
    y = min(ys) + step / 2
    while y < max(ys):
        x = min(xs) + step / 2
        while x < max(xs):
            if inside((x, y), edges):
                box = label_box(x, y + size * 0.3, text, size)
                corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
                fits = all(inside(corner, edges) for corner in corners)
                # Once a label fits, a point where it does not can never win:
                # skip measuring its distance, the costly part. A point of the
                # same kind as the best must be farther from the edges to win.
                if fits or not best_score[0]:
                    to_beat = best_score[1] if fits == best_score[0] else -1.0
                    score = (fits, boundary_distance((x, y), edges, to_beat))
                    if score > best_score:
                        best, best_score = (x, y + size * 0.3), score
            x += step
        y += step
    return best


# Where a place label may go, tried in this order: (dx, dy of the baseline in
# units of the font size, text-anchor).
LABEL_SLOTS = [
    (0.45, 0.35, "start"),
    (-0.45, 0.35, "end"),
    (0.35, -0.35, "start"),
    (-0.35, -0.35, "end"),
    (0.35, 1.0, "start"),
    (-0.35, 1.0, "end"),
    (0.0, -0.55, "middle"),
    (0.0, 1.25, "middle"),
]


def place_label(x, y, text, size, obstacles, frame):
    """The first label slot beside (x, y) that overlaps nothing, else the least bad one."""
    best = None
    for dx, dy, anchor in LABEL_SLOTS:
        lx, ly = x + dx * size, y + dy * size
        box = label_box(lx, ly, text, size, anchor)
        outside = box[0] < 0 or box[1] < 0 or box[2] > frame[0] or box[3] > frame[1]
        cost = sum(overlap(box, other) for other in obstacles) + (1e6 if outside else 0)
        if best is None or cost < best[0]:
            best = (cost, lx, ly, anchor, box)
        if cost == 0:
            break
    return best[1:]


def labels_with_halos(labels):
    """SVG text for (class, x, y, size, anchor, text) labels, each drawn twice:
    first as a halo in the page colour (stylesheet: .locator-map__halo) so that
    borders and markers never run through a label, then as the label itself."""
    texts = "".join(
        f'<text class="{cls}" x="{x:.0f}" y="{y:.0f}" font-size="{size:.0f}" text-anchor="{anchor}">{escape(text)}</text>'
        for cls, x, y, size, anchor, text in labels
    )
    return f'<g class="locator-map__halo">{texts}</g>{texts}' if texts else ""


def format_coordinates(lon, lat):
    """``16.27° N, 0.04° W``."""
    return f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"


def spoken_list(names):
    """``A``, ``A and B``, ``A, B and C``."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# -- The base map: countries, once per build ----------------------------------------


@dataclass(frozen=True)
class BaseMap:
    projection: Projection
    svg: str  # the country layers and labels, as SVG elements
    label_boxes: tuple  # boxes that place labels must avoid
    focus: str
    neighbours: tuple


@functools.lru_cache(maxsize=4)
def base_map(outlines_path, mtime, bounds, width, tolerance, label_size):
    """Project, simplify, clip and label the outlines (cached: once per build)."""
    projection = Projection(*bounds, width)
    frame = (projection.width, projection.height)
    features = json.loads(Path(outlines_path).read_text(encoding="utf-8"))["features"]
    layers, labels, boxes = {"neighbour": [], "focus": []}, [], []
    focus, neighbours = None, []
    for feature in features:
        name, role = feature["properties"]["name"], feature["properties"]["role"]
        rings = []
        for ring in rings_of(feature["geometry"]):
            projected = simplify([projection(lon, lat) for lon, lat in ring], tolerance)
            clipped = clip(projected, *frame)
            if len(clipped) >= 3:
                rings.append(clipped)
        if not rings:
            continue
        layers[role].append(path_data(rings))
        if role == "focus":
            focus = name
        else:
            neighbours.append(name)
        size = label_size * (1.15 if role == "focus" else COUNTRY_LABEL_SCALE)
        position = country_label_position(rings, name, size, step=label_size / 3)
        if position:
            x, y = position
            boxes.append(label_box(x, y, name, size))
            labels.append((f"locator-map__country locator-map__country--{role}", x, y, size, "middle", name))
    svg = (
        f'<rect class="locator-map__sea" width="{frame[0]:.0f}" height="{frame[1]:.0f}"/>'
        f'<path class="locator-map__land" d="{"".join(layers["neighbour"])}"/>'
        f'<path class="locator-map__land locator-map__land--focus" d="{"".join(layers["focus"])}"/>'
        + labels_with_halos(labels)
    )
    return BaseMap(projection, svg, tuple(boxes), focus, tuple(neighbours))


# -- Places and the finished map -------------------------------------------------------


@dataclass(frozen=True)
class LocatorMap:
    # The SVG in pieces, the base map's shared by every article, and joined
    # only when the page is written: a thousand maps held whole would cost
    # a thousand copies of the base map, about 8 MB at 1,000 articles.
    svg_parts: tuple
    places: list
    credits: list

    @property
    def svg(self):
        return Markup("".join(self.svg_parts))


def find_point(points, name):
    """The point whose name, French name or id matches ``name`` (any case)."""
    wanted = name.casefold()
    for point in points:
        properties = point["properties"]
        if wanted in {str(properties.get(key, "")).casefold() for key in ("name", "name_fr", "id")}:
            return point
    return None


def credit_for(point, credits):
    dataset = point["properties"].get("source_dataset", "")
    return next((entry["credit"] for entry in credits["points"] if dataset.startswith(entry["source"])), None)


def resolve_places(places, points, credits, where):
    """The article's places joined with their coordinates and credit; logs what is missing."""
    resolved = []
    for place in places:
        point = find_point(points, place["name"])
        if point is None:
            log.warning("locator_map: %s: no coordinates for place %r", where, place["name"])
            continue
        credit = credit_for(point, credits)
        if credit is None:
            log.warning("locator_map: %s: no credit line for the source of %r", where, place["name"])
            continue
        lon, lat = point["geometry"]["coordinates"]
        resolved.append(
            {
                "name": place["name"],
                "label": place.get("label") or place["name"],
                "description": place.get("description", ""),
                "in_article": bool(place.get("in_article")),
                "capital": point["properties"].get("kind") == "capital",
                "lon": lon,
                "lat": lat,
                "coordinates": format_coordinates(lon, lat),
                "credit": credit,
            }
        )
    return resolved


def draw(base, places, label_size, credits):
    """The whole SVG for one article's places, and the credit lines that go with it."""
    projection = base.projection
    frame = (projection.width, projection.height)
    obstacles = list(base.label_boxes)
    spots = []
    for place in places:
        x, y = projection(place["lon"], place["lat"])
        spots.append((x, y))
        r = MARKER_RADIUS + 2
        obstacles.append((x - r, y - r, x + r, y + r))
    markers, texts = [], []
    for place, (x, y) in zip(places, spots):
        kind = "named" if place["in_article"] else "context"
        if place["capital"]:
            side = MARKER_RADIUS * 1.6
            markers.append(
                f'<rect class="locator-map__marker locator-map__marker--{kind}" '
                f'x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" height="{side:.1f}"/>'
            )
        else:
            markers.append(
                f'<circle class="locator-map__marker locator-map__marker--{kind}" cx="{x:.1f}" cy="{y:.1f}" r="{MARKER_RADIUS}"/>'
            )
        lx, ly, anchor, box = place_label(x, y, place["label"], label_size, obstacles, frame)
        obstacles.append(box)
        texts.append((f"locator-map__place locator-map__place--{kind}", lx, ly, label_size, anchor, place["label"]))
    title = f"Map of {base.focus} and its neighbours"
    description = (
        f"{base.focus}, shaded, with its neighbours {spoken_list(base.neighbours)}; other countries are not drawn. "
        f"Marked: {spoken_list(place['label'] for place in places)}. The list under the map says where each place lies."
    )
    svg_parts = (
        f'<svg class="locator-map__svg" viewBox="0 0 {frame[0]:.0f} {frame[1]:.0f}" role="img" '
        f'aria-labelledby="locator-map-title locator-map-desc">'
        f'<title id="locator-map-title">{escape(title)}</title><desc id="locator-map-desc">{escape(description)}</desc>',
        base.svg,
        "".join(markers)
        + labels_with_halos(texts)
        + f'<rect class="locator-map__frame" width="{frame[0]:.0f}" height="{frame[1]:.0f}"/></svg>',
    )
    lines = [credits["outlines"]]
    for credit in dict.fromkeys(place["credit"] for place in places):
        named = [place["name"] for place in places if place["credit"] == credit]
        lines.append(f"{credit} ({', '.join(named)}).")
    return LocatorMap(svg_parts, places, lines)


# -- Signal handlers ----------------------------------------------------------------------


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def add_locator_maps(generator):
    """Give every article that lists places its ``locator_map``."""
    settings = generator.settings
    content = Path(settings["PATH"])
    outlines = content / setting(settings, "LOCATOR_MAP_OUTLINES")
    label_size = setting(settings, "LOCATOR_MAP_LABEL_SIZE")
    base = None
    for article in generator.articles + generator.drafts:
        for item in [article, *article.translations]:
            places = getattr(item, "places", None)
            if not places:
                continue
            if base is None:
                base = base_map(
                    str(outlines),
                    outlines.stat().st_mtime,
                    tuple(setting(settings, "LOCATOR_MAP_BOUNDS")),
                    setting(settings, "LOCATOR_MAP_WIDTH"),
                    setting(settings, "LOCATOR_MAP_TOLERANCE"),
                    label_size,
                )
                points = json.loads((content / setting(settings, "LOCATOR_MAP_POINTS")).read_text(encoding="utf-8"))
                credits = yaml.safe_load((content / setting(settings, "LOCATOR_MAP_CREDITS")).read_text(encoding="utf-8"))
            resolved = resolve_places(places, points["features"], credits, item.source_path)
            if resolved:
                item.locator_map = draw(base, resolved, label_size, credits)


def register():
    signals.article_generator_finalized.connect(add_locator_maps)
