"""`python -m sigdef_gen` = `sigdef-gen`."""

import sys

from .cli import main

sys.exit(main())
