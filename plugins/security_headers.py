"""Write the site's one security policy out as text, for pages and for hosts.

Pages carry ``CONTENT_SECURITY_POLICY`` in a ``<meta>`` tag, without the
directives a ``<meta>`` policy may not hold; the headers hosts send (the files
in ``content/extra/``) carry all of it. Pages link their stylesheet and hold no
inline style, so both say the same and no plugin must run before this one.

Settings read: ``CONTENT_SECURITY_POLICY`` ({directive: sources}),
``CSP_HEADER_ONLY`` (directives a ``<meta>`` policy may not carry),
``SECURITY_HEADERS``, ``TEMPLATE_PAGES``. Written into the context:
``CONTENT_SECURITY_POLICY_META``, ``SECURITY_HEADERS``
(the policy first) and ``HOST_FILES_PATTERN`` (the files written for hosts).
"""

import re

from pelican import signals


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
    context["CONTENT_SECURITY_POLICY_META"] = policy_text(policy, header_only)
    context["SECURITY_HEADERS"] = {
        "Content-Security-Policy": policy_text(policy),
        **{name: value for name, value in settings["SECURITY_HEADERS"].items() if name != "Content-Security-Policy"},
    }
    context["HOST_FILES_PATTERN"] = host_files_pattern(settings.get("TEMPLATE_PAGES", {}).values())


def register():
    signals.generator_init.connect(write_policies)
