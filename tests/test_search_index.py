"""Pagefind's batches, and its filter indexes put in a stable order, on small hand-made bundles."""

import gzip
import json

import pytest
from search_index import search_index, stable_order

# CBOR written out by hand from RFC 8949, so that the test does not lean on
# the encoder it checks: array(2) ["topic", array(2) [["b", [0]], ["a", [1]]]].
UNSORTED_FILTER = b"\x82\x65topic\x82\x82\x61b\x81\x00\x82\x61a\x81\x01"
SORTED_FILTER = b"\x82\x65topic\x82\x82\x61a\x81\x01\x82\x61b\x81\x00"


@pytest.mark.parametrize("count", [0, 1, 4, 5, 6, 11])
def test_batches_hold_every_page_once_oldest_first_and_none_more_than_the_size(count):
    paths = [f"page-{number:02}" for number in range(count)]
    bundles = search_index.batches(paths, 5)
    assert [path for name in sorted(bundles, key=lambda name: (name == "", name)) for path in bundles[name]] == paths
    assert max(len(batch) for batch in bundles.values()) <= 5
    assert "" in bundles and all(len(batch) == 5 for name, batch in bundles.items() if name)


def test_an_added_page_leaves_the_older_batches_as_they_were():
    paths = [f"page-{number:02}" for number in range(12)]
    before, after = search_index.batches(paths[:-1], 5), search_index.batches(paths, 5)
    assert {name: batch for name, batch in after.items() if name} == {
        name: batch for name, batch in before.items() if name
    }


def write(path, cbor):
    path.write_bytes(gzip.compress(stable_order.SIGNATURE + cbor, mtime=0))


def read(path):
    return gzip.decompress(path.read_bytes())[len(stable_order.SIGNATURE) :]


def bundle_with_filter(tmp_path, filter_cbor):
    (tmp_path / "filter").mkdir()
    write(tmp_path / "filter" / "en_1234567.pf_filter", filter_cbor)
    # ["1.5.2", [], [], [["topic", "en_1234567"]], []]
    meta = b"\x85\x651.5.2\x80\x80\x81\x82\x65topic\x6aen_1234567\x80"
    write(tmp_path / "pagefind.en_0000000000.pf_meta", meta)
    entry = {"version": "1.5.2", "languages": {"en": {"hash": "en_0000000000", "wasm": "en", "page_count": 2}}}
    (tmp_path / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    return tmp_path


def test_filter_values_come_out_sorted_under_the_hash_of_their_bytes(tmp_path):
    bundle = bundle_with_filter(tmp_path, UNSORTED_FILTER)
    stable_order.sort_filter_indexes(bundle)
    [written] = (bundle / "filter").iterdir()
    assert read(written) == SORTED_FILTER
    assert written.name == f"en_{stable_order.pagefind_hash(SORTED_FILTER)[:7]}.pf_filter"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = read(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert written.stem.encode() in meta, "the meta file names the new filter file"


def test_the_order_pagefind_chose_does_not_change_the_bytes(tmp_path):
    one, other = tmp_path / "one", tmp_path / "other"
    one.mkdir(), other.mkdir()
    stable_order.sort_filter_indexes(bundle_with_filter(one, UNSORTED_FILTER))
    stable_order.sort_filter_indexes(bundle_with_filter(other, SORTED_FILTER))
    files = [sorted(path.relative_to(root) for path in root.rglob("*")) for root in (one, other)]
    assert files[0] == files[1]
    assert all((one / p).read_bytes() == (other / p).read_bytes() for p in files[0] if (one / p).is_file())


def test_a_file_in_a_form_that_would_not_be_written_back_the_same_stops(tmp_path):
    # The 0 of the first value's page list in a two-byte head (0x18 0x00),
    # which is valid CBOR but not the shortest form an encoder writes.
    longhand = UNSORTED_FILTER.replace(b"\x81\x00", b"\x81\x18\x00")
    with pytest.raises(ValueError, match="would not reproduce"):
        stable_order.sort_filter_indexes(bundle_with_filter(tmp_path, longhand))
