"""Write the site's one security policy out as text, for pages and for hosts.

Each page's ``<meta>`` policy is ``CONTENT_SECURITY_POLICY`` with the SHA-256
hash of the stylesheet the page inlines (plugins/inline_css) added to
``style-src``. The headers hosts send (the files in ``content/extra/``) carry
``'unsafe-inline'`` there instead: a browser enforces both policies, so each
page still allows only its own stylesheet, and the header files do not change
when a stylesheet does (docs/architecture.md). Runs after plugins/inline_css.

Settings read: ``CONTENT_SECURITY_POLICY`` ({directive: sources}),
``CSP_HEADER_ONLY`` (directives a ``<meta>`` policy may not carry),
``SECURITY_HEADERS``, ``TEMPLATE_PAGES``. Written into the context:
``CONTENT_SECURITY_POLICY_META`` ({stylesheet name: policy}), ``SECURITY_HEADERS``
(the policy first) and ``HOST_FILES_PATTERN`` (the files written for hosts).
"""

import base64
import hashlib
import re

from pelican import signals

# What the headers allow in place of the hashes, which only the pages carry.
HEADER_STYLE_SOURCE = "'unsafe-inline'"


def source_hash(text):
    """The CSP source that allows a ``<style>`` element holding exactly ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def with_sources(policy, directive, sources):
    """``policy`` with ``sources`` added to ``directive`` (which starts from ``default-src``)."""
    present = policy.get(directive, policy.get("default-src", "")).split()
    return {**policy, directive: " ".join([*present, *(source for source in sources if source not in present)])}


def policy_text(policy, leave_out=()):
    """The policy as a header or a ``<meta>`` tag writes it, without the directives in ``leave_out``."""
    return "; ".join(f"{name} {value}" for name, value in policy.items() if name not in leave_out)


def host_files_pattern(names):
    """The host files as one regular expression, for the servers to answer 404: they are not pages."""
    # nginx and Apache read it as PCRE, where a backslash before a character
    # other than a letter or digit means that character, as in Python's re.
    return "|".join(re.escape(name) for name in names)


def write_policies(generator):
    context, settings = generator.context, generator.settings
    if "CONTENT_SECURITY_POLICY_META" in context:
        return
    policy, header_only = settings["CONTENT_SECURITY_POLICY"], settings.get("CSP_HEADER_ONLY", ())
    context["CONTENT_SECURITY_POLICY_META"] = {
        name: policy_text(with_sources(policy, "style-src", [source_hash(str(text))]), header_only)
        for name, text in context["INLINE_CSS"].items()
    }
    context["SECURITY_HEADERS"] = {
        "Content-Security-Policy": policy_text(with_sources(policy, "style-src", [HEADER_STYLE_SOURCE])),
        **{name: value for name, value in settings["SECURITY_HEADERS"].items() if name != "Content-Security-Policy"},
    }
    context["HOST_FILES_PATTERN"] = host_files_pattern(settings.get("TEMPLATE_PAGES", {}).values())


def register():
    signals.generator_init.connect(write_policies)
