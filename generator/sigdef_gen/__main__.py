"""`python -m sigdef_gen` = `sigdef-gen`."""

import sys

from .entry import main

sys.exit(main())
