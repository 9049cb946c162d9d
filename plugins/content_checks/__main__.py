"""Write the front matter reference in a Markdown file anew from the schemas.

    PYTHONPATH=plugins python -m content_checks docs/front-matter.md    (make reference)

Each block between ``<!-- generated from content/schema/NAME.schema.json ... -->`` and
``<!-- end of generated text -->`` is replaced by the tables of that schema.
"""

import sys
from pathlib import Path

from .front_matter import with_references

for name in sys.argv[1:]:
    path = Path(name)
    path.write_text(with_references(path.read_text(encoding="utf-8"), Path.cwd()), encoding="utf-8")
