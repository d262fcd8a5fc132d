"""One module per public source; each exposes a `SOURCE` object registered in `etl.registry`."""
