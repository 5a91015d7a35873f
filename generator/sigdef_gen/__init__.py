"""sigdef_gen: schemas -> typed IR -> Jinja2 templates -> the `sigdef` package, its tests and docs."""

__version__ = "0.1.0"
