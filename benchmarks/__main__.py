"""``python -m benchmarks [--quick] [--only NAME] [--db sqlite|postgresql|both]``."""

import sys

from benchmarks.cli import main

sys.exit(main())
