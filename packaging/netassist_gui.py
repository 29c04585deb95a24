"""PyInstaller entry for the windowed app (netassist)."""

import sys

from netassist.cli import main

if __name__ == "__main__":
    sys.exit(main())
