"""python -m netassist → the GUI (or a subcommand when arguments are given)."""

import sys

from netassist.cli import main

# guarded: a spawned child process (importers/apart.py) imports this module too
if __name__ == "__main__":
    sys.exit(main())
