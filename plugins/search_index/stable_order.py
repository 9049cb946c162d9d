"""Put Pagefind's filter indexes in a stable order, so that builds are reproducible.

Pagefind 1.5.2 writes the values of each filter, and the list of filters, in
the order of a Rust hash map, which is seeded afresh in every process. Two
builds of the same pages then differ in ``pagefind/filter/*.pf_filter``, in the
``pagefind.*.pf_meta`` file that names them (file names are hashes of the
contents) and in ``pagefind-entry.json``, which names the meta file. Pagefind
itself sorts them after 1.5.2 (upstream commit 0b56369, "completion of
deterministic output"), but no release with that change is on PyPI yet.

``sort_filter_indexes()`` sorts them after Pagefind has run: filters by name,
values by value, as the upstream change does. It writes every filter file and
the meta file anew (even one that happened to be in order, so that the bytes
never depend on which order Pagefind chose) and names them with Pagefind's own
hashing scheme. Once a Pagefind release that sorts for itself is pinned, this
step can go.

The files are gzip-compressed CBOR behind a ``pagefind_dcd`` signature. Only
the CBOR that Pagefind writes is read (unsigned integers, strings and
definite-length arrays), and every file read must re-encode to exactly its own
bytes, so a change of format fails the build rather than corrupt the index.
"""

import gzip
import hashlib
import json

SIGNATURE = b"pagefind_dcd"
# Positions in the meta file's top-level array (MetaIndex in Pagefind's source).
META_FILTERS = 3
META_SORTS = 4

# -- CBOR: the subset Pagefind writes --------------------------------------------
UNSIGNED, BYTES, TEXT, ARRAY = 0, 2, 3, 4


def _head(major, argument):
    """A CBOR item head in its shortest form, as Pagefind's encoder writes it."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | extra]) + argument.to_bytes(size, "big")
    raise ValueError(f"CBOR argument too large: {argument}")


def cbor_encode(value):
    if isinstance(value, bool) or not isinstance(value, (int, str, bytes, list)):
        raise TypeError(f"not in the CBOR subset Pagefind writes: {value!r}")
    if isinstance(value, int):
        return _head(UNSIGNED, value)
    if isinstance(value, bytes):
        return _head(BYTES, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(TEXT, len(data)) + data
    return _head(ARRAY, len(value)) + b"".join(cbor_encode(item) for item in value)


def _decode_at(data, offset):
    """The item at ``offset`` and the offset after it."""
    major, extra = data[offset] >> 5, data[offset] & 31
    offset += 1
    if extra < 24:
        argument = extra
    elif extra <= 27:
        size = 1 << (extra - 24)
        argument = int.from_bytes(data[offset : offset + size], "big")
        offset += size
    else:
        raise ValueError(f"unsupported CBOR head {data[offset - 1]:#x} at {offset - 1}")
    if major == UNSIGNED:
        return argument, offset
    if major in (BYTES, TEXT):
        raw = data[offset : offset + argument]
        return (raw if major == BYTES else raw.decode("utf-8")), offset + argument
    if major == ARRAY:
        items = []
        for _ in range(argument):
            item, offset = _decode_at(data, offset)
            items.append(item)
        return items, offset
    raise ValueError(f"unsupported CBOR major type {major} at {offset - 1}")


def cbor_decode(data):
    value, end = _decode_at(data, 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the CBOR item")
    return value


# -- Pagefind's bundle files --------------------------------------------------------


def pagefind_hash(data):
    """SHA-1 in hex as Pagefind spells it: each byte without a leading zero."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def read_bundle_file(path):
    """The CBOR value in a ``.pf_meta`` or ``.pf_filter`` file."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind index file")
    value = cbor_decode(data[len(SIGNATURE) :])
    if cbor_encode(value) != data[len(SIGNATURE) :]:
        raise ValueError(f"{path}: written in a form this code would not reproduce")
    return value


def write_bundle_file(path, encoded):
    # mtime=0: no timestamp in the gzip header.
    path.write_bytes(gzip.compress(SIGNATURE + encoded, compresslevel=9, mtime=0))


def _sorted_filter_files(bundle, language, filters):
    """Read and remove the filter files named in ``filters`` ([name, hash]
    pairs); returns {new hash: (name, sorted index as CBOR)} by filter name."""
    written = {}
    for _, file_hash in sorted(filters):
        path = bundle / "filter" / f"{file_hash}.pf_filter"
        name, values = read_bundle_file(path)
        path.unlink()
        encoded = cbor_encode([name, sorted(values, key=lambda value: value[0])])
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
        encoded = cbor_encode(meta)
        # The meta file's name: the language, "_" and len(language) + 8 hex digits.
        details["hash"] = f"{language}_{pagefind_hash(encoded)[: len(language) + 8]}"
        meta_path.unlink()
        write_bundle_file(bundle / f"pagefind.{details['hash']}.pf_meta", encoded)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
