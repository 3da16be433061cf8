"""``python -m ladder``: see :mod:`ladder.cli`."""

import sys

from ladder.cli import main

sys.exit(main())
