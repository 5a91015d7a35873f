"""`python -m sigdef` = `sigdef`."""

import sys

from .cli import main

sys.exit(main())
