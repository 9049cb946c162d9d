"""Read a content file's YAML front matter as written, and check it against a JSON Schema.

Pelican's YAML reader turns dates into datetime objects, drops empty values
and logs (then skips) a file whose YAML does not parse. Here the file is read
again, before Pelican reads it, exactly as the editor wrote it: dates stay
text, so that ``2023-13-45`` or a date without an offset reaches the schema
and gets a message that names the file, the line, the field, what was found
and what was expected.

Pure helpers: ``problems_in_file(path, schema_validator(schema), now)`` returns a list of
``(line, field, message)``; ``reference_tables(schema)`` writes the schema as
Markdown tables, and ``with_references(readme, root)`` puts them in the README.
"""

import datetime
import difflib
import json
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE

# Markdown files are the only content the schema can check.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# -- Formats the schemas use -------------------------------------------------------

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time_with_offset(value):
    """``2023-06-16T00:00:00+02:00``: a real date and time, with its offset from UTC."""
    if not isinstance(value, str):
        return True  # the type is checked on its own
    return "T" in value and datetime.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("partial-date", raises=ValueError)
def is_partial_date(value):
    """``2013``, ``2023-06`` or ``2023-06-16``, and a date that exists."""
    text = str(value)
    if not PARTIAL_DATE.match(text):
        return False
    year, month, day = (text.split("-") + ["01", "01"])[:3]
    datetime.date(int(year), int(month), int(day))
    return True


# -- Reading the front matter as written -------------------------------------------


# libyaml's parser (in PyYAML's wheel) is about ten times faster than the pure
# Python one; the constructor, and so the rules below, are Python in both.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterLoader(SafeLoader):
    """Safe YAML in which dates stay text and a key given twice is an error."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
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


def parse_front_matter(front):
    """(data, node tree) from one parse: the tree gives line numbers when a problem needs one."""
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


# -- Messages -----------------------------------------------------------------------


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
        schema = schema["items"] if isinstance(part, int) else schema["properties"][part]
    return schema


def messages(error, root):
    """(path, message) for one validation error."""
    path = list(error.absolute_path)
    schema = resolve(error.schema, root)
    if error.validator == "required":
        for key in error.validator_value:
            if key not in error.instance:
                yield path + [key], f"missing; expected {expected(schema['properties'][key], root)}"
    elif error.validator == "additionalProperties":
        known = list(schema["properties"])
        for key in error.instance:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                yield path + [key], f"not a field here; {hint}the fields are {', '.join(known)}"
    elif error.validator == "uniqueItems":
        yield path, f"found {shown(error.instance)}; expected no item twice"
    elif error.validator == "minItems":
        yield path, "found an empty list; expected at least one item"
    else:
        yield path, f"found {shown(error.instance)}; expected {expected(schema_at(root, path), root)}"


def with_refs_inlined(schema, root=None):
    """``schema`` with every local ``$ref`` replaced by what it points to (the schemas have no cycles).

    jsonschema looks a reference up again each time it meets one, which was
    most of the cost of validating a file.
    """
    root = schema if root is None else root
    if isinstance(schema, list):
        return [with_refs_inlined(item, root) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {key: with_refs_inlined(value, root) for key, value in resolve(schema, root).items()}


def schema_validator(schema):
    """One validator per schema, built once and used for every file."""
    return Draft202012Validator(with_refs_inlined(schema), format_checker=FORMATS)


def problems_in_file(path, validator, now):
    """Every problem in the file at ``path``: [(line, field, message)], sorted by line.

    ``validator`` comes from ``schema_validator()``. A ``date`` after ``now`` is
    a problem unless ``scheduled`` is true.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return [(line, "file", f"not UTF-8 text (byte {error.object[error.start]:#04x}); save it as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = split_front_matter(text)
    if parts is None:
        return [(1, "front matter", "missing; the file must start with YAML front matter between two lines of ---")]
    front, first_line, body = parts
    try:
        data, tree = parse_front_matter(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        return [(line, "front matter", f"not valid YAML: {getattr(error, 'problem', None) or error}")]
    if not isinstance(data, dict):
        return [(first_line, "front matter", f"found {shown(data)}; expected fields, one per line, such as title: …")]
    problems = []
    schema = validator.schema
    for error in validator.iter_errors(data):
        for error_path, message in messages(error, schema):
            problems.append((first_line + node_line(tree, error_path), field_name(error_path), message))
    date = data.get("date")
    if not problems and date and data.get("scheduled") is not True:
        # A day alone (no time, no offset) is compared with today, as a day.
        future = datetime.date.fromisoformat(date) > now.date() if "T" not in date else datetime.datetime.fromisoformat(date) > now
    else:
        future = False
    if future:
        line = first_line + node_line(tree, ["date"])
        problems.append((line, "date", f"found {shown(date)}, which is in the future; set scheduled: true to publish it then"))
    if not body.strip():
        problems.append((first_line + front.count("\n") + 1, "body", "empty; the text goes below the front matter"))
    return sorted(set(problems))


# -- The README's front matter reference -----------------------------------------


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
