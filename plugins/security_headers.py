"""Write the one security policy out as text: a ``<meta>`` tag for pages, headers for hosts.
Why so: docs/architecture.md, "The stylesheets and the policy".

Settings read: ``CONTENT_SECURITY_POLICY``, ``CSP_HEADER_ONLY``, ``SECURITY_HEADERS``,
``TEMPLATE_PAGES``. Written into the context: ``CONTENT_SECURITY_POLICY_META``,
``SECURITY_HEADERS`` and ``HOST_FILES_PATTERN``.
"""

import re

from markupsafe import Markup, escape
from pelican import signals


def policy_text(policy, leave_out=()):
    return "; ".join(f"{name} {value}" for name, value in policy.items() if name not in leave_out)


def host_files_pattern(names):
    # The servers answer 404 for these; their PCRE reads re.escape's backslashes as Python does.
    return "|".join(re.escape(name) for name in names)


def write_policies(generator):
    context, settings = generator.context, generator.settings
    if "CONTENT_SECURITY_POLICY_META" in context:
        return
    policy, header_only = settings["CONTENT_SECURITY_POLICY"], settings.get("CSP_HEADER_ONLY", ())
    meta = str(escape(policy_text(policy, header_only)))
    context["CONTENT_SECURITY_POLICY_META"] = Markup(meta.replace("&#39;", "'"))
    context["SECURITY_HEADERS"] = {
        "Content-Security-Policy": policy_text(policy),
        **{name: value for name, value in settings["SECURITY_HEADERS"].items() if name != "Content-Security-Policy"},
    }
    context["HOST_FILES_PATTERN"] = host_files_pattern(settings.get("TEMPLATE_PAGES", {}).values())


def register():
    signals.generator_init.connect(write_policies)
