"""Print the URL-parameter table of docs/dashboard.md (`python -m dashboard.filters`)."""

from dashboard.filters.docs import block

print(block())
