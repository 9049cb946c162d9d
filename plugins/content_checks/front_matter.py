"""Each content file's front matter read as written (dates stay text), checked against its JSON Schema.

Within limits of size, depth and alias expansion; each problem names the line, the field, what was
found and what was expected. ``problems_in_file(path, schema_validator(schema), now)`` returns
``[(line, field, message)]``; ``with_references(readme, root)`` writes the schemas into the README.
"""

import datetime
import difflib
import functools
import json
import re
from pathlib import Path
from typing import NamedTuple

import jsonschema_rs
import yaml
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE, YAMLMetadataReader
from shared.words import whole_words

# Markdown files are the only content the schema can check.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# The one form of date and time Pelican, the feeds and the sitemap all read:
# no ISO week dates, no ordinal dates, no year outside FIRST_YEAR to 9999.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
FIRST_YEAR = 1000

# Limits that no real article reaches, so that a hostile file fails in
# seconds and a few MB rather than exhausting the machine.
MAX_FRONT_MATTER = 64 * 1024  # characters
MAX_BODY = 4 * 1024 * 1024  # characters
MAX_YAML_NODES = 10_000  # values, counting each alias as the values it repeats
MAX_YAML_DEPTH = 20  # lists and mappings inside each other
# Lists and quotes inside each other in the body: Python-Markdown recurses
# once for each, and takes seconds by 200 levels.
MAX_BODY_DEPTH = 20
# Quote marks and list markers at the start of a line: "> > x" and "1. 1. x"
# nest as deep as a line that many levels in.
BLOCK_MARKS = re.compile(r"(?:>[ \t]?|(?:[*+-]|\d{1,9}\.)[ \t]+)+")
BLOCK_MARK = re.compile(r">|[*+-](?=[ \t])|\d{1,9}\.(?=[ \t])")
# Counts in a body past which Python-Markdown, its extensions or the checks
# slow down (measured in docs/limits.md): each a hundred times what an article needs.
BODY_LIMITS = (
    # Python-Markdown matches each [ against the ones after it: quadratic.
    ("[", re.compile(r"\["), 1_000, "brackets [ (links, images, footnotes)"),
    # The abbr extension runs one pattern per definition over the text: quadratic.
    ("*[", re.compile(r"^ {0,3}\*\[", re.MULTILINE), 100, "abbreviation definitions *[…]:"),
    ("#", re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)|^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE), 300, "headings"),
    # Unclosed tags cost Python-Markdown's HTML pass more the more there are.
    ("<", re.compile(r"<[A-Za-z/!?]"), 2_000, "HTML tags"),
    # Each definition of a definition list re-reads the ones before it: quadratic.
    (":", re.compile(r"^ {0,3}:[ \t]", re.MULTILINE), 300, "definitions (lines that start with :)"),
)
BACKTICKS = re.compile(r"`+")
# The abbr extension writes an abbreviation's whole expansion into every use:
# a long expansion used often multiplies the body. What the expansions add, all told.
ABBREVIATION = re.compile(r"^ {0,3}\*\[([^\]\n]+)\]:[ \t]*(.*)$", re.MULTILINE)
MAX_EXPANDED_CHARACTERS = 1_000_000
# An article uses one to four (`code`, ``code with ` ``, ``` fences).
MAX_BACKTICK_LENGTHS = 16
# C0 and C1 controls (tab and newline apart), lone surrogates and the two
# non-characters XML 1.0 forbids, which a feed cannot carry; and bidirectional
# overrides and isolates, which make text read otherwise than it is stored.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


# {format: (check, the errors that mean False)}, as jsonschema's FormatChecker.checkers.
FORMATS = {}


def format_check(name, raises):
    def register(check):
        FORMATS[name] = (check, raises)
        return check

    return register


@format_check("date-time", raises=(ValueError, OverflowError))
def is_date_time_with_offset(value):
    """``2023-06-16T00:00:00+02:00``: a real date and time, with its offset from UTC."""
    if not isinstance(value, str):
        return True  # the type is checked on its own
    if not DATE_TIME.match(value):
        return False
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    moment.astimezone(datetime.UTC)  # raises OverflowError at the calendar's ends
    return FIRST_YEAR <= moment.year


@format_check("partial-date", raises=ValueError)
def is_partial_date(value):
    """``2013``, ``2023-06`` or ``2023-06-16``, and a date that exists."""
    text = str(value)
    if not PARTIAL_DATE.match(text):
        return False
    year, month, day = (text.split("-") + ["01", "01"])[:3]
    datetime.date(int(year), int(month), int(day))
    return FIRST_YEAR <= int(year)


# libyaml's parser (in PyYAML's wheel) is about ten times faster than the pure
# Python one; the constructor, and so the rules below, are Python in both.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterLoader(SafeLoader):
    """Safe YAML in which dates stay text and a key given twice is an error."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.MarkedYAMLError(
                    "while reading the front matter",
                    node.start_mark,
                    "a key must be a plain name, such as title",
                    key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.MarkedYAMLError(
                    "while reading the front matter",
                    seen[key],
                    f"{key!r} is given twice",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}


class TooLarge(ValueError):
    """YAML past the limits; ``line`` is where the limit was passed (counted from 0)."""

    def __init__(self, message, line):
        super().__init__(message)
        self.line = line


def check_bounds(text):
    """Raise TooLarge if ``text`` nests too deeply or expands too far: an alias counts as every value it repeats."""
    sizes, open_nodes, count = {}, [], 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            count += sizes.get(event.anchor, 1)
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            count += 1
            if isinstance(event, yaml.ScalarEvent):
                sizes[event.anchor] = 1
            else:
                open_nodes.append((event.anchor, count))
                if len(open_nodes) > MAX_YAML_DEPTH:
                    raise TooLarge(f"lists and fields nested more than {MAX_YAML_DEPTH} deep", event.start_mark.line)
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start = open_nodes.pop()
            sizes[anchor] = count - start + 1
        if count > MAX_YAML_NODES:
            raise TooLarge(
                f"more than {MAX_YAML_NODES:,} values, counting what aliases (*name) repeat", event.start_mark.line
            )


def parse_front_matter(front):
    """(data, node tree) from one parse: the tree gives line numbers when a problem needs one."""
    check_bounds(front)
    loader = FrontMatterLoader(front)
    try:
        tree = loader.get_single_node()
        return (loader.construct_document(tree) if tree is not None else None), tree
    finally:
        loader.dispose()


def split_front_matter(text):
    """(front matter, line it starts on, body) as the YAML reader splits them, or None."""
    match = HEADER_RE.fullmatch(text)
    if not match:
        return None
    first_line = text[: match.start("metadata")].count("\n") + 1
    return match.group("metadata"), first_line, match.group("content")


def node_line(node, path):
    """The line (counted from 0 in the YAML) where the value at ``path`` is written."""
    if node is None:
        return 0
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = [value for key, value in node.value if key.value == part]
            if not found:
                break
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return node.start_mark.line


def resolve(schema, root):
    """``schema`` with its ``$ref`` (local to ``root``) merged in."""
    while "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def describe(schema, root):
    """What a value must be, in words: ``text``, ``list of text``, ``one of a, b``."""
    schema = resolve(schema, root)
    if "title" in schema:
        return schema["title"]
    if "enum" in schema:
        return "one of " + ", ".join(f"`{value}`" for value in schema["enum"])
    if schema.get("type") == "array":
        return "list of " + describe(schema["items"], root)
    if schema.get("type") == "object":
        return "`{" + ", ".join(schema["properties"]) + "}`"
    return str(schema.get("type"))


def expected(schema, root):
    """``describe()`` for a terminal, without the Markdown."""
    return describe(schema, root).replace("`", "")


def field_name(path):
    """``sources, item 2, url``: where a value sits, counting items from 1."""
    return ", ".join(f"item {part + 1}" if isinstance(part, int) else str(part) for part in path) or "front matter"


def shown(value):
    """A value as the editor would recognise it, shortened if long."""
    if isinstance(value, str) and not value.strip():
        return "nothing (empty)"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


def schema_at(root, path):
    """The part of the schema that describes the value at ``path``."""
    schema = root
    for part in path:
        schema = resolve(schema, root)
        if isinstance(part, int):
            schema = schema["items"]
        else:
            schema = schema.get("properties", {}).get(part) or schema["additionalProperties"]
    return schema


# Each (error, its path, its schema resolved, the root schema) -> (path, message) for each problem.
def missing_fields(error, path, schema, root):
    # A field required by another's value ("then") says why, in the schema's words.
    why = f"{error.schema['description']}; " if "then" in error.schema_path and "description" in error.schema else ""
    for key in error.validator_value:
        if key not in error.instance:
            yield path + [key], f"missing; {why}expected {expected(schema['properties'][key], root)}"


def unknown_fields(error, path, schema, root):
    known = list(schema["properties"])
    for key in error.instance:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            yield path + [key], f"not a field here; {hint}the fields are {', '.join(known)}"


def matching_items(error, path, schema, root):
    from jsonschema import Draft202012Validator  # only to word a problem: see SchemaValidator

    matching = sum(1 for item in error.instance if Draft202012Validator(schema["contains"]).is_valid(item))
    yield path, f"found {matching}; expected {expected(schema, root)}"


def repeated_items(error, path, schema, root):
    yield path, f"found {shown(error.instance)}; expected no item twice"


def empty_list(error, path, schema, root):
    yield path, "found an empty list; expected at least one item"


def too_many_items(error, path, schema, root):
    yield path, f"found {len(error.instance)} items; expected at most {error.validator_value}"


def too_long(error, path, schema, root):
    yield path, f"found {len(error.instance)} characters; expected at most {error.validator_value}"


def key_unknown(error, path, schema, root):
    yield path + [error.instance], f"found the key {shown(error.instance)}; expected {expected(error.schema, root)}"


def value_unexpected(error, path, schema, root):
    try:
        wanted = schema_at(root, path)
    except (KeyError, IndexError, TypeError):
        wanted = error.schema
    message = f"found {shown(error.instance)}; expected {expected(wanted, root)}"
    if resolve(wanted, root).get("type") == "string" and isinstance(error.instance, (bool, int, float)):
        # YAML reads yes, 12 or 1.5 as something else than text.
        message += "; put it in quotes to keep it as text"
    yield path, message


MESSAGES = {
    "required": missing_fields,
    "additionalProperties": unknown_fields,
    "contains": matching_items,
    "minContains": matching_items,
    "maxContains": matching_items,
    "uniqueItems": repeated_items,
    "minItems": empty_list,
    "maxItems": too_many_items,
    "maxLength": too_long,
}


def messages(error, root):
    """(path, message) for one validation error."""
    words = MESSAGES.get(error.validator) or (key_unknown if "propertyNames" in error.schema_path else value_unexpected)
    return words(error, list(error.absolute_path), resolve(error.schema, root), root)


def with_refs_inlined(schema, root=None):
    """``schema`` with every local ``$ref`` replaced by its target (no cycles): jsonschema looks each up anew."""
    root = schema if root is None else root
    if isinstance(schema, list):
        return [with_refs_inlined(item, root) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {key: with_refs_inlined(value, root) for key, value in resolve(schema, root).items()}


def as_verdict(check, raises):
    """A format check as jsonschema-rs calls it: True or False, where jsonschema takes ``raises`` for False."""

    def verdict(value):
        try:
            return bool(check(value))
        except raises:
            return False

    return verdict


class SchemaValidator:
    """jsonschema-rs says whether data is valid, twenty times faster; jsonschema words what is wrong, and decides
    alone for a key that is not text and for text with a control character (their ``\\s`` differ there)."""

    def __init__(self, schema):
        self.schema = with_refs_inlined(schema)
        formats = {name: as_verdict(*checker) for name, checker in FORMATS.items()}
        self.fast = jsonschema_rs.validator_for(self.schema, formats=formats, validate_formats=True)

    @functools.cached_property
    def errors(self):
        # Imported only when a file fails: jsonschema costs a build of valid files 56 ms of CPU and 4 MB.
        from jsonschema import Draft202012Validator, FormatChecker

        checker = FormatChecker(formats=())
        for name, (check, raises) in FORMATS.items():
            checker.checks(name, raises)(check)
        return Draft202012Validator(self.schema, format_checker=checker)

    def iter_errors(self, data):
        try:
            if self.fast.is_valid(data) and not any(CONTROL.search(text) for _, text in strings_with_paths(data)):
                return iter(())
        except ValueError:
            pass
        return self.errors.iter_errors(data)


def schema_validator(schema):
    """One validator per schema, built once and used for every file."""
    return SchemaValidator(schema)


# No file the checks read is larger: a bigger one is refused unread.
MAX_FILE_BYTES = 32 * 1024 * 1024


def read_text(path):
    """(text, None) with Windows line endings made plain, or (None, problem) if too large or not UTF-8."""
    with path.open("rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return None, (1, "file", f"found more than {MAX_FILE_BYTES:,} bytes; expected at most {MAX_FILE_BYTES:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, (line, "file", f"not UTF-8 text (byte {error.object[error.start]:#04x}); save it as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def control_characters(text, first_line, field):
    """A problem for the first control character in ``text``, which starts on ``first_line``."""
    found = CONTROL.search(text)
    if not found:
        return []
    line = first_line + text.count("\n", 0, found.start())
    return [(line, field, f"found the control character U+{ord(found.group()):04X}; expected text a reader can see")]


def body_nesting(body, first_line):
    """The first line of ``body`` nested deeper than MAX_BODY_DEPTH (four columns or one ``>`` a level)."""
    for number, line in enumerate(body.split("\n")):
        stripped = line.expandtabs(4).lstrip(" ")
        marks = BLOCK_MARKS.match(stripped)
        depth = (len(line.expandtabs(4)) - len(stripped)) // 4 + (
            len(BLOCK_MARK.findall(marks.group())) if marks else 0
        )
        if depth > MAX_BODY_DEPTH:
            return [
                (
                    first_line + number,
                    "body",
                    f"found lists or quotes nested {depth} deep; expected at most {MAX_BODY_DEPTH}",
                )
            ]
    return []


def body_bounds(body, first_line):
    """A problem for each kind of markup the body holds more of than BODY_LIMITS allow."""
    problems = []
    for _, pattern, limit, what in BODY_LIMITS:
        count = 0
        for found in pattern.finditer(body):
            count += 1
            if count > limit:
                line = first_line + body.count("\n", 0, found.start())
                problems.append((line, "body", f"found more than {limit:,} {what}; expected at most {limit:,}"))
                break
    # Python-Markdown looks for the closing run of each code span's length
    # through the rest of the text, anew for each length: cubic in the lengths.
    lengths = set()
    for found in BACKTICKS.finditer(body):
        lengths.add(len(found.group()))
        if len(lengths) > MAX_BACKTICK_LENGTHS:
            line = first_line + body.count("\n", 0, found.start())
            problems.append(
                (
                    line,
                    "body",
                    f"found runs of backticks (`code`) of more than {MAX_BACKTICK_LENGTHS} different lengths;"
                    f" expected at most {MAX_BACKTICK_LENGTHS}",
                )
            )
            break
    problems += abbreviation_growth(body, first_line)
    return problems


def abbreviation_growth(body, first_line):
    """A problem if the abbreviations' expansions, written into every use, add more than MAX_EXPANDED_CHARACTERS."""
    definitions = {}
    for found in ABBREVIATION.finditer(body):
        definitions.setdefault(found.group(1).strip(), (len(found.group(2)), found.start()))
    if not definitions:
        return []
    # One pass over the body for all of them, as whole words (the extension's rule).
    uses = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(definitions, key=len, reverse=True))) + r")\b")
    added = sum(definitions[word][0] for word in map(re.Match.group, uses.finditer(body)) if word in definitions)
    if added <= MAX_EXPANDED_CHARACTERS:
        return []
    line = first_line + body.count("\n", 0, min(start for _, start in definitions.values()))
    return [
        (
            line,
            "body",
            f"found abbreviations whose expansions add {added:,} characters where they are used;"
            f" expected at most {MAX_EXPANDED_CHARACTERS:,} (shorter expansions, or fewer uses)",
        )
    ]


def strings_with_paths(data, path=()):
    """(path, text) for every key and text value in ``data``."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield path, str(key)
            yield from strings_with_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings_with_paths(value, (*path, index))


TIMESTAMP = next(
    regexp
    for regexps in SafeLoader.yaml_implicit_resolvers.values()
    for tag, regexp in regexps
    if tag.endswith(":timestamp")
)


def reads_as_date(node):
    """An unquoted scalar that YAML would read as a date (libyaml gives it the style "", PyYAML None)."""
    return isinstance(node, yaml.ScalarNode) and not node.style and TIMESTAMP.match(node.value) is not None


def plain_dates(tree):
    """(path, node) for every unquoted scalar that YAML would read as a date; a key's path is None."""
    found, waiting = [], [((), tree)]
    while waiting:
        path, node = waiting.pop()
        if isinstance(node, yaml.MappingNode):
            found += [(None, key) for key, _ in node.value if reads_as_date(key)]
            waiting += [((*path, key.value), value) for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            waiting += [((*path, index), value) for index, value in enumerate(node.value)]
        elif reads_as_date(node):
            found.append((path, node))
    return found


def read_as_dates(dates, schema):
    """(path, node) of the ``plain_dates()`` in text fields, which Pelican's reader would turn into a date."""
    for path, node in dates:
        try:
            wanted = resolve(schema_at(schema, path), schema)
        except (KeyError, IndexError, TypeError):
            continue
        # Text, not a field whose format (or choice of formats) wants a date.
        if wanted.get("type") == "string" and not {"format", "anyOf", "oneOf"} & wanted.keys():
            yield path, node


def moment(value):
    """A day alone (``2023-06-16``) as a date; a date and time as a datetime."""
    value = value.replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(value) if "T" in value else datetime.date.fromisoformat(value)


def later(first, second):
    """True if ``first`` is after ``second``; where either is a day alone, as days."""
    if isinstance(first, datetime.datetime) and isinstance(second, datetime.datetime):
        return first > second
    day = lambda value: value.date() if isinstance(value, datetime.datetime) else value  # noqa: E731
    return day(first) > day(second)


def date_order(data, now):
    """(path, message) for dates out of order: ``modified`` and each timeline span."""
    date, modified = data.get("date"), data.get("modified")
    if isinstance(date, str) and isinstance(modified, str):
        first, last = moment(date), moment(modified)
        if later(first, last):
            yield ["modified"], f"found {shown(modified)}, before the date {shown(date)}; expected the same or later"
        elif later(last, now):
            yield ["modified"], f"found {shown(modified)}, which is in the future; expected the time of the last change"
    for index, entry in enumerate(data.get("timeline") or []):
        start, end = str(entry.get("date", "")), str(entry.get("end", ""))
        common = min(len(start), len(end))
        if end and start and end[:common] < start[:common]:
            yield (
                ["timeline", index, "end"],
                f"found {shown(end)}, before the date {shown(start)}; expected the same or later",
            )


def source_references(data):
    """(path, message) for a timeline entry citing a source the list does not have."""
    count = len(data.get("sources") or [])
    for index, entry in enumerate(data.get("timeline") or []):
        number = entry.get("source")
        if isinstance(number, int) and number > count:
            yield (
                ["timeline", index, "source"],
                f"found {number}, but there are {count} sources; expected a number from 1 to {count}",
            )


# The fields whose text each list's lang_parts mark (theme/templates apply lang_parts to them).
MARKED_FIELDS = {"sources": ("name", "note", "kind"), "corrections": ("reason",)}


def items(value):
    """(index, record) for each record in a list, whatever the value is."""
    return (
        [(index, item) for index, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []
    )


def words_missing(entry, text_fields):
    """(index in lang_parts, message) for each part of ``entry`` whose words its text lacks."""
    present = [field for field in text_fields if entry.get(field)] or list(text_fields[:1])
    text = " / ".join(str(entry.get(field) or "") for field in present)
    for number, part in items(entry.get("lang_parts")):
        words = part.get("words")
        if isinstance(words, str) and words.strip() and not whole_words([words]).search(text):
            yield number, f'"{words}" is not in the {" or ".join(present)} "{text}"; expected words of it, as written'


def missing_lang_parts(data):
    """(path, message) for each lang_parts entry whose words its text lacks as whole words."""
    for key, text_fields in MARKED_FIELDS.items():
        for number, entry in items(data.get(key)):
            for part_number, message in words_missing(entry, text_fields):
                yield [key, number, "lang_parts", part_number, "words"], message


def second_front_matter(body):
    """True if the body starts with another block of front matter."""
    return split_front_matter(body.lstrip("\n")) is not None and body.lstrip("\n").startswith("---\n")


def slug_problems(data, slug_of, max_length):
    """(path, message) for a title, section or topic whose slug (``slug_of(field, text)``) is empty or too long."""
    names = [(["title"], "title", data.get("title"))] if "slug" not in data else []
    for field in ("categories", "tags"):
        values = data.get(field)
        names += [
            ([field, index], field, value) for index, value in enumerate(values if isinstance(values, list) else [])
        ]
    for path, field, text in names:
        if not isinstance(text, str) or not text.strip():
            continue
        slug = slug_of(field, text)
        if not slug:
            yield path, f"found {shown(text)}, which gives an empty slug; expected letters or digits in it"
        elif len(slug) > max_length:
            yield (
                path,
                f"found {shown(text)}, which gives a slug of {len(slug)} characters; expected at most {max_length}",
            )


def unknown_places(data, place_known):
    """(path, message) for each place of the locator map that the points file lacks."""
    for index, place in items(data.get("places")):
        name = place.get("name")
        if isinstance(name, str) and not place_known(name):
            yield (
                ["places", index, "name"],
                f"found {shown(name)}, which the map's points file does not name;"
                " expected a place it names (content/geo/)",
            )


def unknown_sections(data, slug_of, sections):
    """(path, message) for each section named that ``sections`` (file, {slug: name}) does not describe."""
    file, names = sections
    values = data.get("categories")
    for index, name in enumerate(values if isinstance(values, list) else []):
        if isinstance(name, str) and (slug := slug_of("categories", name)) and slug not in names:
            yield (
                ["categories", index],
                (
                    f"found {shown(name)}, which is not a section;"
                    f" describe it in {file} ({slug}: with a title and a description)"
                    f" or name one of: {', '.join(sorted(names.values()))}"
                ),
            )


class Front:
    """A file's front matter as parsed once: its data, node tree and where it and the body start."""

    def __init__(self, text, data, tree, first_line, body, body_line):
        self.text, self.data, self.tree = text, data, tree
        self.first_line, self.body, self.body_line = first_line, body, body_line
        self.dates = plain_dates(tree)

    def at(self, path, message, field=None):
        """The problem ``message`` at the value ``path`` names, with the line it is written on."""
        return (self.first_line + node_line(self.tree, list(path)), field or field_name(path), message)


class Given(NamedTuple):
    """What a check may need besides the file: a ``date`` after ``now`` needs ``scheduled``; ``slug_of(field, text)``
    makes slugs, which ``sections`` must describe; ``place_known(name)`` looks a place up on the map.
    """

    validator: object
    now: datetime.datetime
    slug_of: object = None
    place_known: object = None
    sections: object = None


def read_front(text):
    """(Front, []) for a file's ``text``, or (None, [the one problem that stops reading it])."""
    parts = split_front_matter(text)
    if parts is None:
        return None, [
            (1, "front matter", "missing; the file must start with YAML front matter between two lines of ---")
        ]
    front, first_line, body = parts
    body_line = first_line + front.count("\n") + 1
    if len(front) > MAX_FRONT_MATTER:
        return None, [
            (first_line, "front matter", f"found {len(front):,} characters; expected at most {MAX_FRONT_MATTER:,}")
        ]
    if len(body) > MAX_BODY:
        return None, [(body_line, "body", f"found {len(body):,} characters; expected at most {MAX_BODY:,}")]
    try:
        data, tree = parse_front_matter(front)
    except TooLarge as error:
        return None, [(first_line + error.line, "front matter", f"found {error}; expected a few fields, one per line")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        return None, [(line, "front matter", f"not valid YAML: {getattr(error, 'problem', None) or error}")]
    except (ValueError, OverflowError) as error:
        # A value YAML cannot build, such as an integer of 5,000 digits.
        return None, [(first_line, "front matter", f"not valid YAML: {error}")]
    if not isinstance(data, dict):
        return None, [
            (first_line, "front matter", f"found {shown(data)}; expected fields, one per line, such as title: …")
        ]
    return Front(front, data, tree, first_line, body, body_line), []


def body_text(front, given):
    body, line = front.body, front.body_line
    return control_characters(body, line, "body") + body_nesting(body, line) + body_bounds(body, line)


def controls_in_fields(front, given):
    # A value holds a control character only if the text does, or writes one as an escape.
    if "\\" not in front.text and not CONTROL.search(front.text):
        return
    for field_path, value in strings_with_paths(front.data):
        if found := CONTROL.search(value):
            message = f"found the control character U+{ord(found.group()):04X}; expected text a reader can see"
            yield front.at(field_path, message)


def schema(front, given):
    for error in given.validator.iter_errors(front.data):
        for error_path, message in messages(error, given.validator.schema):
            yield front.at(error_path, message)


def lang_parts(front, given):
    for field_path, message in missing_lang_parts(front.data):
        yield front.at(field_path, message)


def dates_as_text(front, given):
    for field_path, node in read_as_dates(front.dates, given.validator.schema):
        message = f"found {node.value}, which YAML reads as a date; expected text: put it in quotes"
        yield front.first_line + node.start_mark.line, field_name(field_path), message


def slugs(front, given):
    if given.slug_of:
        max_length = given.validator.schema.get("$defs", {}).get("slug", {}).get("maxLength", 100)
        for field_path, message in slug_problems(front.data, given.slug_of, max_length):
            yield front.at(field_path, message)


def sections_described(front, given):
    if given.slug_of and given.sections:
        for field_path, message in unknown_sections(front.data, given.slug_of, given.sections):
            yield front.at(field_path, message, "categories")


def places_known(front, given):
    if given.place_known:
        for field_path, message in unknown_places(front.data, given.place_known):
            yield front.at(field_path, message)


def date_not_in_future(front, given):
    date = front.data.get("date")
    if date and front.data.get("scheduled") is not True and later(moment(date), given.now):
        yield front.at(["date"], f"found {shown(date)}, which is in the future; set scheduled: true to publish it then")


def dates_in_order(front, given):
    for field_path, message in [*date_order(front.data, given.now), *source_references(front.data)]:
        yield front.at(field_path, message)


def body_start(front, given):
    if second_front_matter(front.body):
        message = (
            "starts with a second block of front matter;"
            " put every field in the first, or begin the text with something else"
        )
        yield front.body_line, "body", message
    elif not front.body.strip():
        yield front.body_line, "body", "empty; the text goes below the front matter"


# Each runs on every file; then each of the next, in turn, only while none has found a problem
# (a date is compared, or a place looked up, only once the fields have the right type).
CHECKS = (body_text, controls_in_fields, schema, lang_parts, dates_as_text, slugs, sections_described)
CHECKS_ONCE_VALID = (places_known, date_not_in_future, dates_in_order)


def check_file(path, given):
    """(every problem in the file at ``path`` as [(line, field, message)], sorted by line; its Front or None)."""
    text, problem = read_text(path)
    if problem:
        return [problem], None
    front, problems = read_front(text)
    if front is None:
        return problems, None
    problems = [problem for check in CHECKS for problem in check(front, given)]
    for check in CHECKS_ONCE_VALID:
        if not problems:
            problems = list(check(front, given))
    problems += body_start(front, given)
    return sorted(set(problems)), front


def problems_in_file(path, validator, now, slug_of=None, place_known=None, sections=None):
    """Every problem in the file at ``path``: [(line, field, message)], sorted by line; see ``Given``."""
    return check_file(path, Given(validator, now, slug_of, place_known, sections))[0]


# {(absolute path, front matter text): its data as yaml.safe_load gives it}, for
# the files of this build that the checks found clean; the reader takes each.
PARSED = {}
TIMESTAMPS = yaml.constructor.SafeConstructor()


def as_loaded(front):
    """The data as Pelican's reader loads it (text YAML reads as a date, a date), or None to let it parse."""
    if "<<" in front.text or "!" in front.text or any(path is None for path, _ in front.dates):
        return None  # merge keys, tags and keys that read as dates: rare, and the reader's own parse is exact
    for path, node in front.dates:
        *parents, last = path
        container = front.data
        for part in parents:
            container = container[part]
        container[last] = TIMESTAMPS.construct_yaml_timestamp(node)
    return front.data


@functools.cache
def reading_parsed(reader_class):
    """``reader_class`` (pelican-yaml-metadata's reader, or one extending it), taking the checks' parse."""

    def _load_yaml_metadata(self, text, source_path):
        data = PARSED.pop((source_path, text), None)
        if data is None:
            return reader_class._load_yaml_metadata(self, text, source_path)
        return self._parse_yaml_metadata(data, source_path)

    # Under the same name: Pelican gives each article its reader's name as ``reader``.
    return type(reader_class.__name__, (reader_class,), {"_load_yaml_metadata": _load_yaml_metadata})


def use_parsed(readers):
    """On readers_init, after every plugin's own receiver (see ``content_checks.register``)."""
    for extension, reader_class in readers.reader_classes.items():
        if reader_class and issubclass(reader_class, YAMLMetadataReader):
            readers.reader_classes[extension] = reading_parsed(reader_class)


def reference_tables(schema):
    """The schema as Markdown: one table of fields, and one for each list of records."""
    tables = [table(schema, schema)]
    for name, field in schema["properties"].items():
        items = resolve(field, schema).get("items", {})
        if resolve(items, schema).get("type") == "object":
            tables.append(f"Each item of `{name}`:\n\n" + table(resolve(items, schema), schema))
    return "\n\n".join(tables) + "\n"


def table(record, root):
    required = set(record.get("required", ()))
    rows = ["| field | required | type | meaning |", "| --- | --- | --- | --- |"]
    for name, field in record["properties"].items():
        meaning = resolve(field, root).get("description", "")
        rows.append(f"| `{name}` | {'yes' if name in required else 'no'} | {describe(field, root)} | {meaning} |")
    return "\n".join(rows)


GENERATED_FROM = "<!-- generated from "
END_GENERATED = "<!-- end of generated text -->"


def with_references(readme, project_root):
    """``readme`` with each block after ``<!-- generated from content/schema/x.json -->`` written anew."""
    parts = readme.split(GENERATED_FROM)
    for index, part in enumerate(parts[1:], start=1):
        marker, rest = part.split(" -->\n", 1)
        _, after = rest.split(END_GENERATED, 1)
        schema = json.loads(Path(project_root, marker.split()[0]).read_text(encoding="utf-8"))
        parts[index] = f"{marker} -->\n\n{reference_tables(schema)}\n{END_GENERATED}{after}"
    return GENERATED_FROM.join(parts)
