#!/usr/bin/env python3
"""Driver for agentkit/workflows.py: the endpoints driver calls every workflow step."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import drive_endpoints  # noqa: E402

if __name__ == "__main__":
    sys.exit(drive_endpoints.main())
