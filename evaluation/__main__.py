"""``python -m evaluation geoparsing|ukraine [--corpora DIR] [--limit N]``."""

import sys

from evaluation.evaluate import main

sys.exit(main())
