"""TEMPLATE_PAGES (the host files in ``content/extra/``) checked, and rendered in an immutable Jinja sandbox.

Whoever may write in ``content/`` may not run code: docs/trust-and-limits.md says what the sandbox allows.
"""

import json
import operator
import os
import resource
import signal

import jinja2
import jinja2.nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pelican.generators import TemplatePagesGenerator

PLAIN = (str, int, float, bool, type(None), dict, list, tuple, set, frozenset)
MAX_TEMPLATE_CHARACTERS = 64 * 1024
MAX_LOOP_DEPTH = 2
# The largest text or list ``*`` may make, and the largest power ``**``.
MAX_PRODUCT = 100_000
# What rendering one template page may cost: a real one takes milliseconds and kilobytes.
MAX_RENDER_SECONDS = 5
MAX_RENDER_BYTES = 256 * 2**20


def limit_this_process():
    resource.setrlimit(resource.RLIMIT_CPU, (MAX_RENDER_SECONDS, MAX_RENDER_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (address_space() + MAX_RENDER_BYTES,) * 2)


class BoundedTemplate(jinja2.Template):
    """A template that renders in a forked copy of the build limited in CPU time and
    memory, so that Pelican's own render holds to the bounds the trial checked, whatever
    the template tells apart between the two (the trial cannot see Pelican's context)."""

    def render(self, *args, **kwargs):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: render, hand over the text, and leave
            status = 1
            try:
                os.close(read)
                limit_this_process()
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(super().render(*args, **kwargs).encode("utf-8"))
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            raise SecurityError(
                f"{self.name or 'a template page'}: the render failed or went past {MAX_RENDER_SECONDS} s of CPU"
                f" or {MAX_RENDER_BYTES // 2**20} MB; expected a host file of a few lines"
            )
        return data.decode("utf-8")


class HostFileSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})
    template_class = BoundedTemplate

    def is_safe_attribute(self, obj, attr, value):
        return isinstance(obj, PLAIN) and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**":
            if not all(isinstance(value, (int, float)) and abs(value) <= 64 for value in (left, right)):
                raise SecurityError(f"{left} ** {right}; expected numbers of at most 64")
            return operator.pow(left, right)
        for sequence, count in ((left, right), (right, left)):
            if (
                isinstance(sequence, (str, list, tuple))
                and isinstance(count, int)
                and len(sequence) * count > MAX_PRODUCT
            ):
                raise SecurityError(
                    f"text or a list of {len(sequence) * count:,} items; expected at most {MAX_PRODUCT:,}"
                )
        return operator.mul(left, right)


def sandbox_like(environment, jinja_options):
    """A sandbox with the loader, filters, tests and globals of ``environment``."""
    # Not the theme's bytecode cache: code compiled outside the sandbox would not be checked.
    options = {name: value for name, value in jinja_options.items() if name != "bytecode_cache"}
    sandbox = HostFileSandbox(loader=environment.loader, **options)
    sandbox.filters.update(environment.filters)
    sandbox.tests.update(environment.tests)
    sandbox.globals.update(environment.globals)
    return sandbox


def loop_depth(node, depth=0):
    """How many ``for`` loops lie inside each other in a parsed template."""
    deepest = depth
    for child in node.iter_child_nodes():
        deepest = max(deepest, loop_depth(child, depth + isinstance(child, jinja2.nodes.For)))
    return deepest


def template_problems(text, jinja_options):
    """[(line, field, message)] for the source of one template page."""
    if len(text) > MAX_TEMPLATE_CHARACTERS:
        return [(1, "file", f"found {len(text):,} characters; expected at most {MAX_TEMPLATE_CHARACTERS:,}")]
    try:
        tree = HostFileSandbox(
            **{name: value for name, value in jinja_options.items() if name != "bytecode_cache"}
        ).parse(text)
    except jinja2.TemplateSyntaxError as error:
        return [(error.lineno, "file", f"not a valid template: {error.message}")]
    if loop_depth(tree) > MAX_LOOP_DEPTH:
        return [(1, "file", f"found loops nested {loop_depth(tree)} deep; expected at most {MAX_LOOP_DEPTH}")]
    return []


def sandbox_template_pages(generator):
    """On generator_init: the generator of TEMPLATE_PAGES renders in the sandbox."""
    if isinstance(generator, TemplatePagesGenerator):
        generator.env = sandbox_like(generator.env, generator.settings["JINJA_ENVIRONMENT"])


def error_line(error, name):
    """The line of the template ``name`` where ``error`` was raised (Jinja gives its frames the template's lines)."""
    line, traceback = getattr(error, "lineno", None), error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == name:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def sandbox_problems(text, environment, jinja_options, context):
    try:
        # Already in a bounded fork: render here, not in another.
        jinja2.Template.render(sandbox_like(environment, jinja_options).from_string(text), context)
    except SecurityError as error:
        return [(error_line(error, "<template>"), "file", f"{error}; a template page reads only the settings")]
    except MemoryError:
        return [
            (
                None,
                "file",
                f"the template needs more than {MAX_RENDER_BYTES // 2**20} MB to render;"
                " expected a host file of a few lines",
            )
        ]
    except RecursionError:
        return [(None, "file", "the template calls itself too deep (macros); expected a host file of a few lines")]
    except Exception as error:  # noqa: BLE001 - any error is the template's, and is reported as one line
        return [(error_line(error, "<template>"), "file", f"the template fails: {type(error).__name__}: {error}")]
    return []


def address_space():
    """The bytes this process has mapped now (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as file:
        return int(file.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def render_problems(text, name, environment, jinja_options, context):
    """[(line, field, message)] if the template page fails in the sandbox with the build's context.

    Tried before anything is written, in a forked copy of the build limited in CPU time and memory (no
    bound on single loops, macros or filters holds for every template).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, report, and leave without running anything of the parent's
        try:
            os.close(read)
            limit_this_process()
            found = sandbox_problems(text, environment, jinja_options, context)
            os.write(write, json.dumps(found).encode("utf-8")[:60_000])
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        return [
            (
                None,
                "file",
                f"the template takes more than {MAX_RENDER_SECONDS} s of CPU time to render;"
                " expected a host file of a few lines",
            )
        ]
    try:
        return [tuple(problem) for problem in json.loads(data)]
    except ValueError:
        return [
            (
                None,
                "file",
                f"the template could not be rendered (the trial ended with status {status});"
                " expected a host file of a few lines",
            )
        ]
