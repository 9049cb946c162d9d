"""Where an article's share card is written: the share cards and the checks of what an attachment overwrites."""

import posixpath


def card_beside(path):
    """``2023/06/slug.html`` gives ``2023/06/slug.png``."""
    return posixpath.splitext(path)[0] + ".png"
