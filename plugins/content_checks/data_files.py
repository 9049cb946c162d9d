"""Check the data files the build reads, before any plugin reads them.

Each file is checked against its JSON Schema, whether it is missing, cannot
be parsed or has the wrong shape, with the limits front matter has. Pure
helpers: ``problems_in_data_file(path, validator)`` returns a list of
``(line or None, field, message)``.
"""

import functools
import json

import yaml

from .front_matter import (
    MAX_YAML_DEPTH,
    SafeLoader,
    TooLarge,
    field_name,
    messages,
    node_line,
    parse_front_matter,
    read_text,
)

MAX_DATA_FILE = 8 * 1024 * 1024  # characters
# A file gone wrong throughout (every coordinate swapped) needs a few lines, not thousands.
MAX_PROBLEMS = 20
YAML_SUFFIXES = (".yaml", ".yml")


class NotJSON(ValueError):
    pass


def no_constant(name):
    raise NotJSON(f"{name} is not a number JSON allows; expected a finite number")


def nesting_depth(data):
    """How many lists and mappings lie inside each other in ``data``, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


def parse(text, name):
    """(data, function giving the line of a path): YAML or JSON by the file's suffix."""
    if name.endswith(YAML_SUFFIXES):
        data, tree = parse_front_matter(text)
        return data, lambda path: node_line(tree, path) + 1
    data = json.loads(text, parse_constant=no_constant)
    if nesting_depth(data) > MAX_YAML_DEPTH:
        raise TooLarge(f"lists and fields nested more than {MAX_YAML_DEPTH} deep", 0)

    @functools.cache
    def tree():
        # JSON is YAML too: its node tree gives the lines, composed only when needed.
        try:
            return yaml.compose(text, Loader=SafeLoader)
        except yaml.YAMLError:
            return None

    def line(path):
        return node_line(tree(), path) + 1 if tree() is not None else None

    return data, line


def parsed(text, name, what):
    """(data, function giving the line of a path, None), or (None, None, the problem that stops reading it)."""
    try:
        return *parse(text, name), None
    except TooLarge as error:
        return None, None, (error.line + 1, "file", f"found {error}; expected the {what}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or error
        return None, None, (mark.line + 1 if mark else 1, "file", f"not valid YAML: {problem}")
    except json.JSONDecodeError as error:
        return None, None, (error.lineno, "file", f"not valid JSON: {error.msg}")
    except (NotJSON, RecursionError) as error:
        why = error if isinstance(error, NotJSON) else "nested too deeply"
        return None, None, (None, "file", f"not valid JSON: {why}")
    except (ValueError, OverflowError) as error:
        # A value that cannot be built, such as an integer of 5,000 digits.
        return None, None, (None, "file", f"not valid: {error}")


def problems_in_data_file(path, validator, schema_path):
    """Every problem in the data file at ``path``: [(line or None, field, message)].

    ``schema_path``, the schema's file, is named when the file is missing.
    """
    what = validator.schema.get("title", "data").lower()
    if not path.is_file():
        return [(None, "file", f"missing; expected the {what}, as {schema_path} describes")]
    text, problem = read_text(path)
    if problem:
        return [problem]
    if len(text) > MAX_DATA_FILE:
        return [(1, "file", f"found {len(text):,} characters; expected at most {MAX_DATA_FILE:,}")]
    data, line_of, problem = parsed(text, path.name, what)
    if problem:
        return [problem]
    problems = []
    for error in validator.iter_errors(data):
        problems += [
            (line_of(error_path), field_name(error_path), message)
            for error_path, message in messages(error, validator.schema)
        ]
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


def read_data(path):
    """The data of a file that ``problems_in_data_file()`` found clean."""
    text, _ = read_text(path)
    return parse(text, path.name)[0]
