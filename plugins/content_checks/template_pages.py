"""TEMPLATE_PAGES (the host files in ``content/extra/``) checked, and rendered in an immutable Jinja sandbox.

Whoever may write in ``content/`` may not run code: docs/trust-and-limits.md says what the sandbox allows.
Every page renders once before anything is written, in a fresh small process that forks a child bounded
in CPU time and memory for each (a fork of the build itself would copy it at its largest); Pelican's own
render takes that text while the template, and the plain data it reads, are the same.
"""

import functools
import hashlib
import json
import marshal
import operator
import os
import resource
import signal
import subprocess
import sys
from importlib.metadata import version

import jinja2
import jinja2.meta
import jinja2.nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

PLAIN = (str, int, float, bool, type(None), dict, list, tuple, set, frozenset)
MAX_TEMPLATE_CHARACTERS = 64 * 1024
MAX_LOOP_DEPTH = 2
# The largest text or list ``*`` may make, and the largest power ``**``.
MAX_PRODUCT = 100_000
# What rendering one template page may cost: a real one takes milliseconds and kilobytes.
MAX_RENDER_SECONDS = 5
MAX_RENDER_BYTES = 256 * 2**20
# Deeper data reaches a template page as ``...``, like anything that is not plain data.
MAX_DATA_DEPTH = 32
FEW = " expected a host file of a few lines"


def limit_this_process(seconds, memory):
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (address_space() + memory,) * 2)


class BoundedTemplate(jinja2.Template):
    """Pelican's render of a template page: the trial's text, or a render bounded as the trial's,
    whatever the template tells apart between the two."""

    def render(self, *args, **kwargs):
        [(text, problems)] = render_all([(self.name, self.source, dict(*args, **kwargs))], self.environment.options)
        if problems:
            raise SecurityError(f"{self.name or 'a template page'}: {problems[0][2]}")
        return text


# Code compiled outside the sandbox (unchecked) and the theme's extensions (for its HTML templates).
THEME_ONLY_OPTIONS = ("bytecode_cache", "extensions")


class HostFileSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})
    template_class = BoundedTemplate

    def __init__(self, **options):
        for name in THEME_ONLY_OPTIONS:
            options.pop(name, None)
        super().__init__(**options)
        # What the renderer's process needs to make this sandbox again.
        self.options = {name: value for name, value in options.items() if name != "loader"}

    def from_string(self, source, *args, **kwargs):
        template = super().from_string(source, *args, **kwargs)
        template.source = source
        return template

    def get_template(self, name, *args, **kwargs):
        template = super().get_template(name, *args, **kwargs)
        template.source = self.loader.get_source(self, template.name)[0]
        return template

    def getattr(self, obj, attribute):
        if obj is ...:  # what a template page gets for anything but plain data (plain())
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

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
    """A sandbox with the loader of ``environment``: Pelican finds the template pages through it."""
    return HostFileSandbox(loader=environment.loader, **jinja_options)


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
        tree = HostFileSandbox(**jinja_options).parse(text)
    except jinja2.TemplateSyntaxError as error:
        return [(error.lineno, "file", f"not a valid template: {error.message}")]
    if loop_depth(tree) > MAX_LOOP_DEPTH:
        return [(1, "file", f"found loops nested {loop_depth(tree)} deep; expected at most {MAX_LOOP_DEPTH}")]
    return []


def sandbox_template_pages(generator):
    """On generator_init: the generator of TEMPLATE_PAGES renders in the sandbox."""
    from pelican.generators import TemplatePagesGenerator  # here: the renderer's process does without Pelican

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


def render_here(options, source, context, memory=MAX_RENDER_BYTES):
    """(text, []) or (None, [(line, field, message)]): the render in this process, already bounded."""
    try:
        return jinja2.Template.render(HostFileSandbox(**options).from_string(source), context), []
    except SecurityError as error:
        found = [(error_line(error, "<template>"), "file", f"{error}; a template page reads only the settings")]
    except MemoryError:
        found = [(None, "file", f"the template needs more than {memory // 2**20} MB to render;" + FEW)]
    except RecursionError:
        found = [(None, "file", "the template calls itself too deep (macros);" + FEW)]
    except Exception as error:  # noqa: BLE001 - any error is the template's, and is reported as one line
        found = [(error_line(error, "<template>"), "file", f"the template fails: {type(error).__name__}: {error}")]
    return None, found


def address_space():
    """The bytes this process has mapped now (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as file:
        return int(file.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def bounded_render(limits, options, source, context):
    """(text or None, problems) of one render in a forked child limited in CPU time and memory
    (no bound on single loops, macros or filters holds for every template)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, report, and leave without running anything of the parent's
        try:
            os.close(read)
            limit_this_process(*limits)
            os.write(write, marshal.dumps(render_here(options, source, context, limits[1])))
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        return None, [(None, "file", f"the template takes more than {limits[0]} s of CPU time to render;" + FEW)]
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None, [
            (None, "file", f"the template could not be rendered (the trial ended with status {status});" + FEW)
        ]


def serve(stdin, stdout):
    """The renderer's process: [(text or None, problems)] for the (limits, options, [(name, source, data)]) it reads."""
    limits, options, jobs = marshal.load(stdin)
    stdout.write(marshal.dumps([bounded_render(limits, options, source, data) for _, source, data in jobs]))


def plain(value, depth=0):
    """``value`` with whatever is not plain data replaced by ``...``, which a template can neither read nor call."""
    if depth > MAX_DATA_DEPTH:
        return ...
    if type(value) is dict:
        return {plain(key, depth + 1): plain(item, depth + 1) for key, item in value.items()}
    if type(value) in (list, tuple, set, frozenset):
        return type(value)(plain(item, depth + 1) for item in value)
    if isinstance(value, list):
        return [plain(item, depth + 1) for item in value]
    return value if type(value) in PLAIN else ...


@functools.lru_cache(maxsize=64)
def names_read(source, options):
    """The names a template page reads from its context (``options`` marshalled), once per source."""
    return sorted(jinja2.meta.find_undeclared_variables(HostFileSandbox(**marshal.loads(options)).parse(source)))


def data_read(source, options, context):
    """The plain data of the names a template page reads from ``context``: all it can see of it."""
    return {name: plain(context[name]) for name in names_read(source, marshal.dumps(options)) if name in context}


# {what was rendered: (text or None, problems)}: Pelican's render and later builds (in CACHE_PATH) reuse the trial's.
RENDERED = {}
KEPT_RENDERS = 64


def render_all(pages, jinja_options):
    """[(text or None, problems)] for [(name, source, context)], each rendered once for the data it reads."""
    options = plain({name: value for name, value in jinja_options.items() if name not in THEME_ONLY_OPTIONS})
    limits = (MAX_RENDER_SECONDS, MAX_RENDER_BYTES)
    jobs = [(name, source, data_read(source, options, context)) for name, source, context in pages]
    keys = [hashlib.sha256(marshal.dumps((limits, options, job[1:]))).digest() for job in jobs]
    todo = {key: job for key, job in zip(keys, jobs, strict=True) if key not in RENDERED}
    if todo:
        # A new process, started without copying this one (vfork and exec), renders them.
        done = subprocess.run(
            [sys.executable, "-I", __file__],
            input=marshal.dumps((limits, options, list(todo.values()))),
            capture_output=True,
        )
        if done.returncode:
            raise RuntimeError(f"the template pages' renderer failed: {done.stderr.decode(errors='replace')[-2000:]}")
        RENDERED.update(zip(todo, marshal.loads(done.stdout), strict=True))
        for key in list(RENDERED)[:-KEPT_RENDERS]:
            if key not in keys:
                del RENDERED[key]
    return [RENDERED[key] for key in keys]


def render_problems(text, name, jinja_options, context):
    """[(line, field, message)] if the template page fails in the sandbox with ``context``."""
    return render_all([(name, text, context)], jinja_options)[0][1]


def kept_renders(cache_path):
    """The file where renders outlive the process, named after what decides them: this module's code,
    Jinja, MarkupSafe and Python."""
    code = open(__file__, "rb").read() + f"{version('jinja2')} {version('markupsafe')} {sys.version}".encode()
    return os.path.join(cache_path, f"template-pages-{hashlib.sha256(code).hexdigest()[:16]}.json")


def load_renders(path):
    if RENDERED or not os.path.exists(path):
        return
    try:
        # JSON: a damaged file fails at once (a damaged marshal file may not).
        kept = json.loads(open(path, encoding="utf-8").read())
        RENDERED.update(
            {bytes.fromhex(key): (text, [tuple(found) for found in problems]) for key, (text, problems) in kept.items()}
        )
    except (OSError, ValueError, TypeError, AttributeError):
        RENDERED.clear()  # a damaged cache file is rendered again


def save_renders(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".new", "w", encoding="utf-8") as file:
        json.dump({key.hex(): value for key, value in RENDERED.items()}, file)
    os.replace(path + ".new", path)


def tried_template_pages(generator, sources):
    """{file: problems} for the template pages {file: source}, rendered with the context Pelican's
    writer gives each (Writer.write_file), before anything is written."""
    from pelican.utils import get_relative_path, path_to_url

    pages = []
    for file, output in generator.settings.get("TEMPLATE_PAGES", {}).items():
        context = {**generator.context, "output_file": output, "url": ""}
        if generator.settings["RELATIVE_URLS"]:
            context["SITEURL"] = context["localsiteurl"] = path_to_url(get_relative_path(output))
        pages.append((file, sources[file], context))
    kept = kept_renders(generator.settings["CACHE_PATH"])
    load_renders(kept)
    before = set(RENDERED)
    found = render_all(pages, generator.settings["JINJA_ENVIRONMENT"])
    if set(RENDERED) != before:
        save_renders(kept)
    return {file: problems for (file, _, _), (_, problems) in zip(pages, found, strict=True)}


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
