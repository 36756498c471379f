#!/usr/bin/env python3
"""Driver for agentkit/intake.py: the loaders driver calls every intake check."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import drive_loaders  # noqa: E402

if __name__ == "__main__":
    sys.exit(drive_loaders.main())
