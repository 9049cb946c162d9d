"""A static locator map for each article that lists ``places``, drawn at build time.

Country outlines are projected, simplified, clipped and labelled with shapely once
per build; each article's places go on top, markers pushed apart and labels where
they cover nothing. The sea and the land are one hashed file per colour scheme,
shared by every page. Templates read ``article.locator_map``: ``overlay``, ``base``,
``places`` and ``credits``; ``svg`` is the whole map, for the share cards.

Settings: ``LOCATOR_MAP_OUTLINES``, ``LOCATOR_MAP_POINTS``, ``LOCATOR_MAP_CREDITS``
(relative to ``PATH``); ``THEME`` and ``THEME_STATIC_DIR``.
"""

import functools
import hashlib
import itertools
import json
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import shapely
import yaml
from markupsafe import Markup
from pelican import signals
from shapely.affinity import scale
from shapely.ops import polylabel
from shared.checks import data_checked
from shared.places import find_point
from shared.words import spoken_list

log = logging.getLogger(__name__)

# West, south, east, north: Mali and enough of each neighbour to name it, legible on a phone.
BOUNDS = (-17.8, 6.0, 9.0, 25.6)
# Lengths below are in viewBox units.
WIDTH = 640
TOLERANCE = 0.7
# At 320 px the map is drawn at about 0.45 of its viewBox; wider, the stylesheet shrinks labels.
LABEL_SIZE = 26
# A generous estimate in ems, so that a label's estimated box is never smaller than its text.
CHAR_WIDTH = 0.6
MARKER_RADIUS = 6
CAPITAL_HALF_SIDE = MARKER_RADIUS * 0.8  # a capital's square looks as large as a circle
# In the SVG, not the stylesheet, so the area a marker covers can be read from the map.
MARKER_STROKE = 3
MARKER_GAP = 3
COUNTRY_LABEL_SCALE = 0.85


@dataclass(frozen=True)
class Projection:
    """Lambert cylindrical equal-area, true to scale at the frame's middle latitude: the Sahara
    is not inflated. pyproj would add PROJ's database for two lines of trigonometry."""

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
        return np.sin(np.radians(lat)) / math.cos(self.parallel) * self.scale

    @property
    def height(self):
        return float(self._y(self.north) - self._y(self.south))

    def __call__(self, lon, lat):
        x = np.radians(np.subtract(lon, self.west)) * math.cos(self.parallel) * self.scale
        return x, self._y(self.north) - self._y(lat)

    def geometry(self, geometry):
        return shapely.transform(geometry, lambda lonlat: np.column_stack(self(lonlat[:, 0], lonlat[:, 1])))


def visible_outline(geometry, projection, tolerance):
    simplified = shapely.simplify(projection.geometry(geometry), tolerance)
    return shapely.clip_by_rect(simplified, 0, 0, projection.width, projection.height)


def path_data(geometries):
    parts = []
    for polygon in shapely.get_parts(list(geometries)):
        for ring in [polygon.exterior, *polygon.interiors]:
            # Shapely repeats the first point at the end; "z" closes the ring.
            rounded = [(round(x * 10), round(y * 10)) for x, y in ring.coords[:-1]]
            deduplicated = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
            if len(deduplicated) < 3:
                continue
            (x0, y0), steps = deduplicated[0], []
            for (ax, ay), (bx, by) in zip(deduplicated, deduplicated[1:], strict=False):
                steps.append(f"{_number(bx - ax)} {_number(by - ay)}")
            parts.append(f"M{_number(x0)} {_number(y0)}l" + " ".join(steps) + "z")
    return "".join(parts)


def _number(tenths):
    """Tenths as the shortest decimal text: 15 → 1.5, -3 → -.3, 20 → 2."""
    sign, tenths = ("-" if tenths < 0 else ""), abs(tenths)
    whole, fraction = divmod(tenths, 10)
    text = (str(whole) if whole else "") + (f".{fraction}" if fraction else "")
    return sign + (text or "0")


def country_label_position(outline, text, size):
    """The baseline of a country's name, deep inside the largest part of the outline.

    Where the wide label does not fit around polylabel's point, polylabel runs again
    on the outline squeezed by the label's aspect ratio: its circle is then an ellipse."""
    largest = max(shapely.get_parts(outline), key=lambda part: part.area)
    left, top, right, bottom = label_box(0, 0, text, size)
    squeeze = (bottom - top) / (right - left)
    candidates = []
    for factor in (1, squeeze):
        centre = polylabel(scale(largest, xfact=factor, yfact=1, origin=(0, 0)), tolerance=0.5)
        x, y = centre.x / factor, centre.y - (top + bottom) / 2
        if outline.contains(shapely.box(*label_box(x, y, text, size))):
            return x, y
        candidates.append((x, y))
    return candidates[0]


def label_box(x, y, text, size, anchor="middle"):
    width = len(text) * size * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, y - size * 0.8, left + width, y + size * 0.25


def overlap(box, other):
    width = min(box[2], other[2]) - max(box[0], other[0])
    height = min(box[3], other[3]) - max(box[1], other[1])
    return max(0.0, width) * max(0.0, height)


# Where a place label may go, in this order: (dx, dy of the baseline in font sizes, text-anchor).
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


def labels_with_halos(labels, copies=True):
    """SVG text for (class, x, y, size, anchor, text) labels with a halo in the page colour;
    ``copies`` draws each twice, halo first, for renderers without paint-order. Hidden
    from assistive technology: the list under the map says the same, once."""
    if not labels:
        return ""
    if copies:
        texts = "".join(
            f'<text class="{cls}" x="{x:.0f}" y="{y:.0f}" font-size="{size:.0f}" '
            f'text-anchor="{anchor}">{escape(text)}</text>'
            for cls, x, y, size, anchor, text in labels
        )
        return f'<g aria-hidden="true"><g class="locator-map__halo">{texts}</g>{texts}</g>'
    return f'<g aria-hidden="true" class="locator-map__labels" paint-order="stroke">{grouped_texts(labels)}</g>'


def grouped_texts(labels):
    """The page's labels, what they share said once on a group: they are on every article page."""
    groups = {}
    for cls, x, y, size, anchor, text in labels:
        groups.setdefault((cls, size), []).append((x, y, anchor, text))
    parts = []
    for (cls, size), texts in groups.items():
        anchors = {anchor for _, _, anchor, _ in texts}
        shared = f' text-anchor="{anchors.pop()}"' if len(anchors) == 1 else ""
        parts.append(f'<g class="{cls}" font-size="{size:.0f}"{shared}>')
        for x, y, anchor, text in texts:
            own = "" if shared or anchor == "start" else f' text-anchor="{anchor}"'
            parts.append(f'<text x="{x:.0f}" y="{y:.0f}"{own}>{escape(text)}</text>')
        parts.append("</g>")
    return "".join(parts)


def marker_shape(x, y, capital):
    if capital:
        half = CAPITAL_HALF_SIDE
        return shapely.box(x - half, y - half, x + half, y + half).buffer(MARKER_STROKE / 2, join_style="mitre")
    return shapely.Point(x, y).buffer(MARKER_RADIUS + MARKER_STROKE / 2)


def spread_markers(spots, capitals, frame):
    """Marker centres pushed apart until no two strokes are closer than ``MARKER_GAP``."""
    edge = MARKER_RADIUS + MARKER_STROKE

    def within_frame(x, y):
        return min(max(x, edge), frame[0] - edge), min(max(y, edge), frame[1] - edge)

    spots = [within_frame(*spot) for spot in spots]
    for _ in range(100):
        moved = False
        for i, j in itertools.combinations(range(len(spots)), 2):
            gap = marker_shape(*spots[i], capitals[i]).distance(marker_shape(*spots[j], capitals[j]))
            if gap >= MARKER_GAP:
                continue
            dx, dy = spots[j][0] - spots[i][0], spots[j][1] - spots[i][1]
            length = math.hypot(dx, dy)
            # Markers on the very same spot go apart sideways, the first to the left.
            ux, uy = (dx / length, dy / length) if length else (1.0, 0.0)
            push = (MARKER_GAP - gap) / 2 + 0.1
            spots[i] = within_frame(spots[i][0] - ux * push, spots[i][1] - uy * push)
            spots[j] = within_frame(spots[j][0] + ux * push, spots[j][1] + uy * push)
            moved = True
        if not moved:
            break
    return spots


def format_coordinates(lon, lat):
    return f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"


@dataclass(frozen=True)
class BaseMap:
    projection: Projection
    land_svg: str  # the sea and the countries, as SVG elements
    neighbour_path: str
    focus_path: str
    countries: tuple  # (class, name, font size, visible outline, label baseline)
    focus: str
    neighbours: tuple


class OutlineError(ValueError):
    def __init__(self, index, name, error):
        super().__init__(f"{name}: {type(error).__name__}: {error}")
        self.index, self.name, self.error = index, name, error


@functools.lru_cache(maxsize=4)
def base_map(outlines_path, mtime, bounds, width, tolerance, label_size):
    projection = Projection(*bounds, width)
    frame = (projection.width, projection.height)
    features = json.loads(Path(outlines_path).read_text(encoding="utf-8"))["features"]
    layers, countries = {"neighbour": [], "focus": []}, []
    focus, neighbours = None, []
    for index, feature in enumerate(features):
        name, role = feature["properties"]["name"], feature["properties"]["role"]
        size = label_size * (1.15 if role == "focus" else COUNTRY_LABEL_SCALE)
        try:
            outline = visible_outline(shapely.geometry.shape(feature["geometry"]), projection, tolerance)
            position = None if outline.is_empty else country_label_position(outline, name, size)
        except (shapely.errors.GEOSException, ValueError, TypeError) as error:
            raise OutlineError(index, name, error) from error
        if position is None:
            continue
        layers[role].append(outline)
        if role == "focus":
            focus = name
        else:
            neighbours.append(name)
        cls = f"locator-map__country locator-map__country--{role}"
        countries.append((cls, name, size, outline, position))
    paths = path_data(layers["neighbour"]), path_data(layers["focus"])
    land_svg = (
        f'<rect class="locator-map__sea" width="{frame[0]:.0f}" height="{frame[1]:.0f}"/>'
        f'<path class="locator-map__land" d="{paths[0]}"/>'
        f'<path class="locator-map__land locator-map__land--focus" d="{paths[1]}"/>'
    )
    return BaseMap(projection, land_svg, *paths, tuple(countries), focus, tuple(neighbours))


def country_labels(base, markers):
    """Country labels; one that would cover a marker moves to its country's deepest point away from them."""
    labels = []
    for cls, name, size, outline, (x, y) in base.countries:
        clear = (
            outline.difference(markers.buffer(size / 2))
            if shapely.box(*label_box(x, y, name, size)).intersects(markers)
            else None
        )
        # A country the markers cover whole keeps its label where it was.
        if clear is not None and not clear.is_empty:
            x, y = country_label_position(clear, name, size)
        labels.append((cls, x, y, size, "middle", name))
    boxes = [label_box(x, y, name, size) for _, x, y, size, _, name in labels]
    return labels, boxes


def scheme_colours(css):
    """({token: colour} of the light scheme, the same of the dark one) from the stylesheet."""
    light_block = css[css.index(":root") :].split("}", 1)[0]
    dark_block = css[css.index("prefers-color-scheme: dark") :].split("}", 1)[0]
    light = dict(re.findall(r"--color-([\w-]+):\s*([^;]+);", light_block))
    return light, {**light, **dict(re.findall(r"--color-([\w-]+):\s*([^;]+);", dark_block))}


def base_layer(base, colours):
    # Coloured by attributes: an <img> uses no stylesheet, and the policy allows no inline style.
    width, height = base.projection.width, base.projection.height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}">'
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="{colours["bg"]}"/>'
        f'<g stroke-linejoin="round"><path class="land" fill="{colours["map-land"]}" stroke="{colours["map-border"]}" '
        f'd="{base.neighbour_path}"/><path class="land focus" fill="{colours["map-focus"]}" '
        f'stroke="{colours["text"]}" stroke-width="2" d="{base.focus_path}"/></g></svg>'
    )


def base_layer_files(base, css, folder):
    files = {}
    for scheme, colours in zip(("light", "dark"), scheme_colours(css), strict=True):
        text = base_layer(base, colours)
        files[scheme] = (f"{folder}/map-{scheme}.{hashlib.sha256(text.encode()).hexdigest()[:12]}.svg", text)
    return files


@dataclass(frozen=True)
class LocatorMap:
    svg_parts: tuple
    places: list
    credits: list
    base: dict = None
    frame: tuple = ()

    @property
    def svg(self):
        return Markup("".join(self.svg_parts[:3]))

    @property
    def overlay(self):
        return Markup(self.svg_parts[0] + self.svg_parts[3])


def credit_for(point, credits):
    dataset = point["properties"]["source_dataset"]
    return next((entry["credit"] for entry in credits["points"] if dataset.startswith(entry["source"])), None)


def resolve_places(places, points, credits, where):
    resolved = []
    for place in places:
        point = find_point(points, place["name"])
        if point is None:
            log.warning("locator_map: %s: no coordinates for place %r", where, place["name"])
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
                "credit": credit_for(point, credits),
            }
        )
    return resolved


def marker_svg(x, y, capital, kind):
    if capital:
        half = CAPITAL_HALF_SIDE
        return (
            f'<rect class="locator-map__marker locator-map__marker--{kind}" '
            f'x="{x - half:.1f}" y="{y - half:.1f}" width="{2 * half:.1f}" height="{2 * half:.1f}"/>'
        )
    return (
        f'<circle class="locator-map__marker locator-map__marker--{kind}" '
        f'cx="{x:.1f}" cy="{y:.1f}" r="{MARKER_RADIUS}"/>'
    )


def marked_places(places, spots, label_size, obstacles, frame):
    """(markers, label texts) of the places, each label placed clear of the obstacles and earlier labels."""
    markers, texts = [], []
    for place, (x, y) in zip(places, spots, strict=True):
        kind = "named" if place["in_article"] else "context"
        markers.append(marker_svg(x, y, place["capital"], kind))
        lx, ly, anchor, box = place_label(x, y, place["label"], label_size, obstacles, frame)
        obstacles.append(box)
        texts.append((f"locator-map__place locator-map__place--{kind}", lx, ly, label_size, anchor, place["label"]))
    return markers, texts


def map_svg(base, frame, countries, markers, texts):
    # The list under the map (aria-details) names the places, so a screen reader hears each once.
    title = f"Map of {base.focus} and its neighbours"
    description = (
        f"{base.focus}, shaded, with its neighbours {spoken_list(base.neighbours)}; other countries are not drawn. "
        "The places marked are listed under the map."
    )
    return (
        f'<svg class="locator-map__svg" viewBox="0 0 {frame[0]:.0f} {frame[1]:.0f}" role="img" '
        f'aria-labelledby="locator-map-title" aria-describedby="locator-map-desc" aria-details="locator-map-key">'
        f'<title id="locator-map-title">{escape(title)}</title>'
        f'<desc id="locator-map-desc">{escape(description)}</desc>',
        base.land_svg,
        *(
            labels_with_halos(countries, copies)
            + f'<g stroke-width="{MARKER_STROKE}">'
            + "".join(markers)
            + "</g>"
            + labels_with_halos(texts, copies)
            + f'<rect class="locator-map__frame" width="{frame[0]:.0f}" height="{frame[1]:.0f}"/></svg>'
            for copies in (True, False)
        ),
    )


def credit_lines(places, credits):
    lines = [credits["outlines"]]
    for credit in dict.fromkeys(place["credit"] for place in places):
        named = [place["name"] for place in places if place["credit"] == credit]
        lines.append(f"{credit} ({', '.join(named)}).")
    return lines


def draw(base, places, label_size, credits, base_files=None):
    projection = base.projection
    frame = (projection.width, projection.height)
    capitals = [place["capital"] for place in places]
    spots = spread_markers([projection(place["lon"], place["lat"]) for place in places], capitals, frame)
    shapes = [marker_shape(*spot, capital) for spot, capital in zip(spots, capitals, strict=True)]
    countries, boxes = country_labels(base, shapely.union_all(shapes))
    # Place labels keep clear of every marker, not just their own.
    obstacles = [*boxes, *(shape.bounds for shape in shapes)]
    markers, texts = marked_places(places, spots, label_size, obstacles, frame)
    svg_parts = map_svg(base, frame, countries, markers, texts)
    lines = credit_lines(places, credits)
    return LocatorMap(svg_parts, places, lines, base_files, tuple(round(side) for side in frame))


# The published outlines have about 2,600 points in 8 outlines.
MAX_OUTLINE_POINTS = 100_000


def count_points(coordinates):
    if coordinates and isinstance(coordinates[0], (int, float)):
        return 1
    return sum(count_points(part) for part in coordinates or [] if isinstance(part, list))


def outline_problems(data, draw):
    """(line, field, message) for outlines too large to draw in good time, or that GEOS cannot draw."""
    points = sum(count_points(feature["geometry"].get("coordinates")) for feature in data["features"])
    if points > MAX_OUTLINE_POINTS:
        return [
            (
                None,
                "features",
                f"found {points:,} points; expected at most {MAX_OUTLINE_POINTS:,} (simplify the outlines)",
            )
        ]
    try:
        draw()
    except ValueError as error:
        index, name, cause = getattr(error, "index", 0), getattr(error, "name", "?"), getattr(error, "error", error)
        message = (
            f"found an outline of {name} that the map cannot draw ({type(cause).__name__}: {cause});"
            " expected a valid polygon"
        )
        return [(None, f"features, item {index + 1}, geometry", message)]
    return []


def check_own_data(settings, read):
    """On the content checks' ``data_checked``: a credit line for every point, and outlines the map can draw."""
    points_file, outlines_file = settings.get("LOCATOR_MAP_POINTS"), settings.get("LOCATOR_MAP_OUTLINES")
    credits_file = settings.get("LOCATOR_MAP_CREDITS")
    problems = []
    points, credits, outlines = read(points_file), read(credits_file), read(outlines_file)
    if points and credits:
        for index, point in enumerate(points["features"]):
            if credit_for(point, credits) is None:
                name = point["properties"]["name"]
                message = f"found the place {name}, which no credit line covers; expected its source in {credits_file}"
                problems.append((points_file, None, f"features, item {index + 1}, properties, source_dataset", message))
    if outlines:
        found = outline_problems(outlines, lambda: base_map_for(settings))
        problems += [(outlines_file, line, field, message) for line, field, message in found]
    return problems


def base_map_for(settings):
    outlines = Path(settings["PATH"], settings["LOCATOR_MAP_OUTLINES"])
    return base_map(
        str(outlines),
        outlines.stat().st_mtime,
        BOUNDS,
        WIDTH,
        TOLERANCE,
        LABEL_SIZE,
    )


def add_locator_maps(generator):
    settings = generator.settings
    content = Path(settings["PATH"])
    base = None
    # A thousand articles come down to a few dozen distinct maps: each is drawn once.
    drawn = {}
    for article in generator.articles + generator.drafts:
        for item in [article, *article.translations]:
            places = getattr(item, "places", None)
            if not places:
                continue
            if base is None:
                base = base_map_for(settings)
                points = json.loads((content / settings["LOCATOR_MAP_POINTS"]).read_text(encoding="utf-8"))
                credits = yaml.safe_load((content / settings["LOCATOR_MAP_CREDITS"]).read_text(encoding="utf-8"))
                css = Path(settings["THEME"], "static", "css", "site.css").read_text(encoding="utf-8")
                files = base_layer_files(base, css, f"{settings['THEME_STATIC_DIR']}/map")
                generator.context["LOCATOR_MAP_FILES"] = files
                generator.context.setdefault("HASHED_FOLDERS", []).append(f"{settings['THEME_STATIC_DIR']}/map")
                paths = {scheme: path for scheme, (path, _) in files.items()}
            resolved = resolve_places(places, points["features"], credits, item.source_path)
            if resolved:
                key = tuple(tuple(place.items()) for place in resolved)
                if key not in drawn:
                    drawn[key] = draw(base, resolved, LABEL_SIZE, credits, paths)
                item.locator_map = drawn[key]


class BaseLayerWriter:
    """Writes the shared base layers once the output folder is clean (Pelican empties it after reading)."""

    def __init__(self, context, output_path, **kwargs):
        self.context, self.output_path = context, Path(output_path)

    def generate_output(self, writer):
        for path, text in self.context.get("LOCATOR_MAP_FILES", {}).values():
            target = self.output_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def get_generators(pelican):
    return BaseLayerWriter


def register():
    signals.article_generator_finalized.connect(add_locator_maps)
    data_checked.connect(check_own_data)
    signals.get_generators.connect(get_generators)
