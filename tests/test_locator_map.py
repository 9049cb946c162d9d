"""The locator-map plugin's geometry, one helper at a time, on small made-up shapes."""

import gzip
import json
import logging

import pytest
import yaml

from locator_map import locator_map as lm
from support import ROOT

GEO = ROOT / "content" / "data" / "geo"
BOUNDS = lm.DEFAULTS["LOCATOR_MAP_BOUNDS"]


def test_projection_maps_the_bounds_onto_the_frame():
    projection = lm.Projection(*BOUNDS, 640)
    west, south, east, north = BOUNDS
    assert projection(west, north) == pytest.approx((0, 0))
    assert projection(east, south) == pytest.approx((640, projection.height))
    # Equal-area: a degree of latitude is shorter near the top than near the bottom.
    assert projection(0, north - 1)[1] - projection(0, north)[1] < projection(0, south)[1] - projection(0, south + 1)[1]


def test_simplify_keeps_the_ends_and_drops_what_does_not_show():
    wiggly = [(0, 0), (1, 0.1), (2, -0.1), (3, 0.05), (4, 0)]
    assert lm.simplify(wiggly, tolerance=0.5) == [(0, 0), (4, 0)]
    corner = [(0, 0), (5, 0), (5, 5)]
    assert lm.simplify(corner, tolerance=0.5) == corner


def test_clip_keeps_only_what_lies_in_the_frame():
    square = [(-5, -5), (5, -5), (5, 5), (-5, 5), (-5, -5)]
    clipped = lm.clip(square, 10, 10)
    assert all(0 <= x <= 10 and 0 <= y <= 10 for x, y in clipped)
    assert sorted(set(clipped)) == [(0, 0), (0, 5), (5, 0), (5, 5)]
    assert lm.clip([(20, 20), (30, 20), (30, 30), (20, 20)], 10, 10) == []


def test_path_data_is_relative_and_short():
    assert lm.path_data([[(0, 0), (1.5, 0), (1.5, -0.3)]]) == "M0 0l1.5 0 0 -.3z"
    assert lm.path_data([[(0, 0), (0.01, 0)]]) == "", "rings that round away are dropped"


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
