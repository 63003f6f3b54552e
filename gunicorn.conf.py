"""gunicorn's settings beyond the command line of `make run` (read from the working directory).

The command line (Makefile) keeps bind, workers and threads, which the bench copies from it; this file
keeps what every gunicorn of the project shares: the time zone of its log lines and where its
control socket lives.
"""

import os
import time

from dangvu.settings import DATA_DIR, TIME_ZONE

# The master logs before any worker has loaded Django (which sets TZ from TIME_ZONE), so without this
# its lines ("Starting gunicorn", "Handling signal") are in UTC and the workers' in Vietnam's time.
os.environ["TZ"] = TIME_ZONE
time.tzset()

# gunicorn 27 opens a control socket, by default in ~/.gunicorn/: keep it with the project's other
# run-time files. A Unix socket path is limited to 107 bytes; past that, run without one.
_socket = DATA_DIR / "gunicorn.ctl"
if len(os.fsencode(_socket)) < 100:
    control_socket = str(_socket)
else:
    control_socket_disable = True
