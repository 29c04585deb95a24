"""PyInstaller entry for the console tool (netassist-cli)."""

import multiprocessing
import sys

from netassist.cli import main

if __name__ == "__main__":
    # a big file is parsed in a child process (netassist/importers/apart.py): in the bundle
    # that child is this program started again, and freeze_support() makes it the parser
    multiprocessing.freeze_support()
    sys.exit(main())
