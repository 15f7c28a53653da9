"""``python -m evaluation geoparsing|ukraine|multilingual|claims|parallel|villages [options]``."""

import sys

from evaluation.evaluate import main

sys.exit(main())
