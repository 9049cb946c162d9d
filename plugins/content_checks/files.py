"""What may be in the content folder: the type and name of every entry, static files, the data folder.

Looked at before anything opens a file; why each rule: docs/trust-and-limits.md. Pure helpers,
each returning ``[(path relative to the content folder, field, message)]``.
"""

import fnmatch
import os
import re
import stat
from pathlib import Path

# Bytes that start each kind of static file; the suffix must agree.
STATIC_TYPES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
MAX_STATIC_BYTES = 10 * 1024 * 1024
# A file name a URL, a shell and every host take as it is.
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# Any character below U+0020, DEL and the C1 controls, in any name.
CONTROL_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
KINDS = {
    stat.S_ISFIFO: "a FIFO (named pipe)",
    stat.S_ISSOCK: "a socket",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
}


def kind_of(mode):
    return next((name for test, name in KINDS.items() if test(mode)), "not a regular file")


def shown_name(relative):
    """The path with control characters written as escapes, so that a message stays on one line."""
    return CONTROL_IN_NAME.sub(lambda found: f"\\u{ord(found.group()):04x}", relative)


def link_problem(root, path):
    """A message for a symbolic link that does not lead to a regular file inside ``root``, or None."""
    target = os.readlink(path)
    try:
        followed = path.stat()
    except FileNotFoundError:
        return f"a symbolic link to {target}, which does not exist; copy the file in instead"
    except OSError:
        return f"a symbolic link to {target}, which leads round in a loop; copy the file in instead"
    if not path.resolve().is_relative_to(root):
        return f"a symbolic link to {target}, outside the content folder; copy the file in instead"
    if stat.S_ISDIR(followed.st_mode):
        return (
            f"a symbolic link to the folder {target}, which Pelican would read twice (or forever, in a loop);"
            " copy the files in instead"
        )
    if not stat.S_ISREG(followed.st_mode):
        return f"a symbolic link to {kind_of(followed.st_mode)}, {target}; expected only files and folders"
    return None


def entry_problem(root, path):
    """A message for one entry of the content folder, or None if it may be read."""
    info = path.lstat()
    if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
        # It may be any file of the machine, /etc/passwd; git stores none, so a checkout holds none.
        return (
            f"a hard link (one of {info.st_nlink} names of one file, which may lie outside the content folder);"
            " copy the file in instead"
        )
    if stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode):
        return None
    if not stat.S_ISLNK(info.st_mode):
        return f"{kind_of(info.st_mode)}, not a file; expected only files and folders"
    return link_problem(root, path)


def file_types(root, ignores=()):
    """Every entry under ``root`` that is not a folder, a regular file or a link to one inside ``root``,
    or whose name matches ``IGNORE_FILES`` (which Pelican would drop without a word). Follows no link.
    """
    root = Path(root).resolve()
    problems = []
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder, name)
            if CONTROL_IN_NAME.search(name):
                found = ord(CONTROL_IN_NAME.search(name).group())
                problems.append(
                    (
                        shown_name(path.relative_to(root).as_posix()),
                        "file",
                        f"the name holds the control character U+{found:04X}; expected a name a reader can see",
                    )
                )
                continue
            ignored = next((pattern for pattern in ignores if fnmatch.fnmatch(name, pattern)), None)
            message = entry_problem(root, path) or (
                ignored and f"a name Pelican ignores (IGNORE_FILES: {ignored}), so it would not be published; rename it"
            )
            if message:
                problems.append((path.relative_to(root).as_posix(), "file", message))
    return problems


def files_under(root, folder):
    """(path relative to ``root``, path) of every file under ``root/folder``, links included."""
    base = Path(root, folder)
    for current, _, files in os.walk(base):
        for name in sorted(files):
            path = Path(current, name)
            yield path.relative_to(root).as_posix(), path


def static_file_problem(relative, folder, path):
    """A message for one static file that is not a plainly named image, or None."""
    suffix = path.suffix
    if not all(PLAIN_NAME.fullmatch(part) for part in Path(relative).relative_to(folder).parts):
        return "a static file's name has characters other than letters, digits, '.', '-' and '_'; rename it"
    if suffix not in STATIC_TYPES:
        hint = f"; write the suffix in lower case, {suffix.lower()}" if suffix.lower() in STATIC_TYPES else ""
        return f"found a static file of type {suffix or '(none)'}; expected an image: {', '.join(STATIC_TYPES)}{hint}"
    if path.stat().st_size > MAX_STATIC_BYTES:
        return f"found {path.stat().st_size:,} bytes; expected at most {MAX_STATIC_BYTES:,} for a static file"
    with path.open("rb") as file:
        start = file.read(16)
    if not start.startswith(STATIC_TYPES[suffix]) or (suffix == ".webp" and start[8:12] != b"WEBP"):
        return f"its bytes are not a {suffix} image; expected the image its suffix names"
    return None


def static_problems(root, static_paths):
    """Each static file that is not a plainly named image, recognised by its first bytes."""
    found = (
        (relative, static_file_problem(relative, folder, path))
        for folder in static_paths
        for relative, path in files_under(root, folder)
    )
    return [(relative, "file", message) for relative, message in found if message]


def data_name(relative):
    """The template variable pelican-data-files gives a file: ``data/sections.json`` → ``DATA_SECTIONS``."""
    return "DATA_" + re.sub("[^0-9a-zA-Z]+", "_", str(Path(relative).with_suffix(""))).upper()


def unchecked_data_files(root, data_dir, checked):
    """Files in ``data_dir`` that are not among the ``checked`` ones (paths relative to ``root``).

    pelican-data-files loads every file there, and for one name the newest
    wins, so a ``sections.json`` would stand in for the checked ``sections.yaml``.
    """
    known = sorted(name for name in checked if Path(name).parts[:1] == Path(data_dir).parts)
    problems = []
    for relative, _ in files_under(root, data_dir):
        if relative not in checked:
            name = data_name(Path(relative).relative_to(data_dir))
            message = (
                f"a data file no schema checks, which the templates would read as {name};"
                f" expected only: {', '.join(known)}"
            )
            problems.append((relative, "file", message))
    return problems
