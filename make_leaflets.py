#!/usr/bin/env python3
"""Build the leaflets and manage their translations: `python make_leaflets.py --help`."""

import sys

from leafletpress.cli import main

if __name__ == "__main__":
    sys.exit(main())
