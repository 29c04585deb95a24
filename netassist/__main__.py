"""python -m netassist → the GUI (or a subcommand when arguments are given)."""

import sys

from netassist.cli import main

sys.exit(main())
