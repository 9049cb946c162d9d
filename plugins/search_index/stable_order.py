"""Pagefind 1.5.2 writes its filter indexes in a hash map's random order; this
sorts them (filters by name, values by value, as Pagefind 1.6.0's commit
0b56369 does) and rewrites them under Pagefind's hashed names, so that builds
are reproducible. Drop it when PyPI ships ``pagefind[bin]`` 1.6 or later (1.6.0
is on npm only). A file that does not re-encode to its own bytes stops the
build, so a change of format cannot corrupt the index.
"""

import gzip
import hashlib
import json

import cbor2

SIGNATURE = b"pagefind_dcd"
# Positions in the meta file's top-level array (MetaIndex in Pagefind's source).
META_FILTERS = 3
META_SORTS = 4


def pagefind_hash(data):
    """SHA-1 in hex as Pagefind spells it: each byte without a leading zero."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def read_bundle_file(path):
    """The CBOR value in a ``.pf_meta`` or ``.pf_filter`` file."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind index file")
    value = cbor2.loads(data[len(SIGNATURE) :])
    if cbor2.dumps(value) != data[len(SIGNATURE) :]:
        raise ValueError(f"{path}: written in a form this code would not reproduce")
    return value


def write_bundle_file(path, encoded):
    # mtime=0: no timestamp in the gzip header.
    path.write_bytes(gzip.compress(SIGNATURE + encoded, compresslevel=9, mtime=0))


def _sorted_filter_files(bundle, language, filters):
    """{new hash: (name, sorted CBOR)} for the filter files named in ``filters``, which are removed."""
    written = {}
    for _, file_hash in sorted(filters):
        path = bundle / "filter" / f"{file_hash}.pf_filter"
        name, values = read_bundle_file(path)
        path.unlink()
        encoded = cbor2.dumps([name, sorted(values, key=lambda value: value[0])])
        # Pagefind's short name: the language, "_" and 7 hex digits of the hash.
        new_hash = f"{language}_{pagefind_hash(encoded)}"[: len(language) + 8]
        if new_hash in written:
            raise ValueError(f"two filter indexes would both be named {new_hash}")
        written[new_hash] = (name, encoded)
    return written


def sort_filter_indexes(bundle):
    """Sort the filter indexes of every language in the Pagefind ``bundle`` folder."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in entry["languages"].items():
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = read_bundle_file(meta_path)
        filter_files = _sorted_filter_files(bundle, language, meta[META_FILTERS])
        for file_hash, (_, encoded) in filter_files.items():
            write_bundle_file(bundle / "filter" / f"{file_hash}.pf_filter", encoded)
        meta[META_FILTERS] = [[name, file_hash] for file_hash, (name, _) in filter_files.items()]
        meta[META_SORTS] = sorted(meta[META_SORTS], key=lambda sort: sort[0])
        encoded = cbor2.dumps(meta)
        # The meta file's name: the language, "_" and len(language) + 8 hex digits.
        details["hash"] = f"{language}_{pagefind_hash(encoded)[: len(language) + 8]}"
        meta_path.unlink()
        write_bundle_file(bundle / f"pagefind.{details['hash']}.pf_meta", encoded)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
