"""A sitemap past the protocol's limit becomes an index of parts, tested on the
plugin's function with a small limit: every URL once, in order, in parts no
larger than the limit, each part named by the index with its newest date."""

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
import sitemap_index
from support import PUBLIC_SITEURL

NS = {"s": sitemap_index.NAMESPACE}
BASE = PUBLIC_SITEURL


def sitemap(count):
    urls = "".join(
        f"<url><loc>{BASE}/{n}.html</loc><lastmod>2024-01-{n % 28 + 1:02d}</lastmod></url>\n" for n in range(count)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{sitemap_index.NAMESPACE}">\n'
        f"{urls}<url><loc>{BASE}/about.html</loc></url>\n</urlset>\n"
    )


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_the_parts_list_every_url_once_in_order_within_the_limit(limit):
    text = sitemap(10)
    files = sitemap_index.split_sitemap(text, limit, BASE)
    index = ET.fromstring(files.pop("sitemap.xml"))
    assert index.tag == f"{{{sitemap_index.NAMESPACE}}}sitemapindex"
    listed = [loc.text.removeprefix(BASE + "/") for loc in index.findall("s:sitemap/s:loc", NS)]
    assert listed == list(files)
    found = []
    for name in listed:
        part = ET.fromstring(files[name])
        urls = part.findall("s:url", NS)
        assert 0 < len(urls) <= limit
        found += [url.find("s:loc", NS).text for url in urls]
        dates = [url.find("s:lastmod", NS).text for url in urls if url.find("s:lastmod", NS) is not None]
        entry = next(e for e in index.findall("s:sitemap", NS) if e.find("s:loc", NS).text.endswith(name))
        assert (entry.find("s:lastmod", NS).text if dates else None) == (max(dates) if dates else None)
    assert found == [loc.text for loc in ET.fromstring(text).findall("s:url/s:loc", NS)]


def test_a_sitemap_within_the_limit_is_left_as_it_is(tmp_path, monkeypatch):
    (tmp_path / "sitemap.xml").write_text(sitemap(10), encoding="utf-8")
    pelican = SimpleNamespace(output_path=str(tmp_path), settings={"SITEMAP_SAVE_AS": "sitemap.xml", "SITEURL": BASE})
    monkeypatch.setattr(sitemap_index, "MAX_URLS", 11)
    sitemap_index.write_sitemap_index(pelican)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sitemap.xml"]
    assert (tmp_path / "sitemap.xml").read_text(encoding="utf-8") == sitemap(10)
    monkeypatch.setattr(sitemap_index, "MAX_URLS", 10)
    sitemap_index.write_sitemap_index(pelican)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
