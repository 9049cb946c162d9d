"""Screenshots of the main kinds of page, on a phone and a desktop, light and
dark, for a person to look at. The folder is printed at the end of the run
(tests/conftest.py; set SCREENSHOTS to write elsewhere)."""

import struct

import pytest
from in_browser import SCHEMES, WIDTHS, open_page, visit
from support import ARTICLE

SHOTS = {
    "home": "index.html",
    "article": ARTICLE,
    "category": "category/mali.html",
    "tag": "tag/minusma.html",
}


def png_width(path):
    """The width in pixels recorded in a PNG's header."""
    return struct.unpack(">I", path.read_bytes()[16:20])[0]


@pytest.mark.parametrize("device", WIDTHS)
def test_screenshots_of_each_kind_of_page(browser, server, pages, screenshots, device):
    width = WIDTHS[device]
    offenders = []
    with open_page(browser, width, is_mobile=device == "mobile", has_touch=device == "mobile") as page:
        for name, path in SHOTS.items():
            assert path in pages, f"{path} was not built"
            visit(page, server + path)
            files = {}
            # One load for both schemes: the dark one is a media query.
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                files[scheme] = screenshots / f"{name}-{device}-{scheme}.png"
                page.screenshot(path=files[scheme], full_page=True)
                if png_width(files[scheme]) != width:
                    offenders.append(f"{files[scheme].name}: {png_width(files[scheme])} px wide, not {width}")
            if files["light"].read_bytes() == files["dark"].read_bytes():
                offenders.append(f"{name} ({path}) looks the same in the dark scheme")
    assert offenders == [], "\n".join(offenders)
