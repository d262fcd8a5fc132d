"""Benchmarks (`make bench`), the load test (`make loadtest`) and the browser harness."""
