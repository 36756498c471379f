#!/usr/bin/env python3
"""Driver for agentkit/sessions.py: the owners driver calls every session function."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import drive_owners  # noqa: E402

if __name__ == "__main__":
    sys.exit(drive_owners.main())
