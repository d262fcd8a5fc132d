"""Run one command as a child of this small process; print its wall seconds and peak RSS as JSON.

Linux keeps `ru_maxrss` across `exec`, so a child started straight from a big process (the bench,
holding decompressed files) would report the parent's size as its own peak. Started from here,
a process of a few MiB, the figure is the command's own.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: become the command
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"seconds": seconds, "peak_rss_mib": usage.ru_maxrss / 1024, "code": code}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
