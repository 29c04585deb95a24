"""PyInstaller entry for the console tool (netassist-cli)."""

import sys

from netassist.cli import main

if __name__ == "__main__":
    sys.exit(main())
