"""How a plugin checks its own data files within the content checks, so that every problem is reported at once.

``data_checked`` is sent once the data files have passed their schemas, with
``read(file)``: the parsed data of a file named as in ``CONTENT_CHECKS_DATA``,
or None if it has problems. Each receiver returns [(file, line or None, field, message)].
"""

from blinker import signal

data_checked = signal("sahel-desk-data-checked")
