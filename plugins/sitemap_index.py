"""Past the protocol's 50,000 URLs, ``sitemap.xml`` is cut into ``sitemap-1.xml``,
``sitemap-2.xml``… and becomes a ``<sitemapindex>`` of them, each with its newest
``lastmod``, at the address robots.txt names. Below the limit nothing changes.
"""

import re
from pathlib import Path

from pelican import signals

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
URL = re.compile(r"<url>.*?</url>", re.S)
LASTMOD = re.compile(r"<lastmod>([^<]*)</lastmod>")
HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


def split_sitemap(text, limit, base_url, name="sitemap.xml"):
    """{file name: text} of the parts and the index that replace ``text``, or
    {} when it lists no more than ``limit`` URLs."""
    urls = URL.findall(text)
    if len(urls) <= limit:
        return {}
    stem, dot, suffix = name.rpartition(".")
    files, entries = {}, []
    for number, start in enumerate(range(0, len(urls), limit), 1):
        part = urls[start : start + limit]
        part_name = f"{stem}-{number}{dot}{suffix}"
        files[part_name] = f'{HEAD}<urlset xmlns="{NAMESPACE}">\n' + "\n".join(part) + "\n</urlset>\n"
        # ISO dates of one form compare as text.
        dates = [found for url in part for found in LASTMOD.findall(url)]
        lastmod = f"<lastmod>{max(dates)}</lastmod>" if dates else ""
        entries.append(f"<sitemap><loc>{base_url}/{part_name}</loc>{lastmod}</sitemap>")
    files[name] = f'{HEAD}<sitemapindex xmlns="{NAMESPACE}">\n' + "\n".join(entries) + "\n</sitemapindex>\n"
    return files


def write_sitemap_index(pelican):
    settings = pelican.settings
    name = settings.get("SITEMAP_SAVE_AS")
    sitemap = Path(pelican.output_path, name or "")
    if not name or not sitemap.is_file():
        return
    base_url = settings.get("SITEURL_ABSOLUTE") or settings["SITEURL"]
    files = split_sitemap(sitemap.read_text(encoding="utf-8"), MAX_URLS, base_url, name)
    for file_name, text in files.items():
        Path(pelican.output_path, file_name).write_text(text, encoding="utf-8")


def register():
    signals.finalized.connect(write_sitemap_index)
