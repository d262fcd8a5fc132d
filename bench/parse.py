"""The floor of a refresh: pyarrow.csv parsing files that are already decompressed, in a fresh
process (as a refresh runs), timing the parse alone. Prints seconds and rows per file as JSON."""

from __future__ import annotations

import json
import sys
import time

import pyarrow.csv as pacsv


def main(argv: list[str]) -> int:
    out = []
    for spec in json.loads(argv[0]):
        tab = spec["separator"] == "\t"
        options = pacsv.ParseOptions(delimiter=spec["separator"], quote_char=not tab and '"')
        started = time.perf_counter()
        rows = pacsv.read_csv(spec["path"], parse_options=options).num_rows
        out.append({"name": spec["name"], "seconds": time.perf_counter() - started, "rows": rows})
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
