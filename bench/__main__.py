"""`python -m bench --rows N`: the scale benchmark (bench/scale.py)."""

import sys

from bench.scale import main

sys.exit(main())
