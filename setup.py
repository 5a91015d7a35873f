"""Package layout (metadata is in pyproject.toml).

The `sigdef` package comes from generated/, the generator from generator/. The generator's
bundled sources, the top-level schemas/, templates/ and runtime/, are mapped into the wheel
as package data under sigdef_gen/bundled/ (sigdef_gen.resources finds them there); the
repository keeps one copy of each.
"""

from setuptools import find_packages, setup

BUNDLED = {f"sigdef_gen.bundled.{name}": name for name in ("schemas", "templates", "runtime")}
CODE = {"sigdef": "generated/sigdef", "sigdef_gen": "generator/sigdef_gen"}

setup(
    packages=[*find_packages("generated", include=["sigdef", "sigdef.*"]), *find_packages("generator", include=["sigdef_gen", "sigdef_gen.*"]), *BUNDLED],
    package_dir={**CODE, **BUNDLED},
    package_data={
        "*": ["py.typed", "*.pyi"],
        "sigdef_gen.bundled.schemas": ["**/*.json", "**/*.proto"],
        "sigdef_gen.bundled.templates": ["**/*.jinja"],
        "sigdef_gen.bundled.runtime": ["**/*.py"],
    },
    include_package_data=False,  # exactly the package_data above, whatever MANIFEST.in adds to the sdist
)
