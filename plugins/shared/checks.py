"""``data_checked``: sent by the content checks with ``read(file)``, the data of a data file that passed its
schema (None if not); each receiver checks its own plugin's data and returns [(file, line, field, message)].
"""

from blinker import signal

data_checked = signal("sahel-desk-data-checked")
