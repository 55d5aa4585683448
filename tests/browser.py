"""Headless Chromium for the browser tests: where it is, and how a test starts it."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def headless_flags(profile: Path) -> list[str]:
    """Headless, with a fresh profile, console messages on standard error, and none of Chromium's
    background connections (this machine's closed network refuses them, many at a time)."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
    ]
