"""`python -m etl.sources.aijobs FILE`: job families and the Other bucket of a salaries CSV."""

import sys

from etl.sources.aijobs.source import main

sys.exit(main(sys.argv[1:]))
