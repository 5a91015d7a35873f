"""sigdef benchmarks: `python -m bench [--quick] [--only NAME]` (writes BENCHMARKS.md)."""
