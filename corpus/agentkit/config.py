"""Configuration loading for agent services.

Settings come from three places, later ones overriding earlier ones:

1. ``agent.toml`` (structured settings),
2. ``agent.ini`` (legacy deployments),
3. ``.env`` (secrets and per-host overrides, ``KEY=value`` lines).

Files holding secrets are written with mode 0600 from the start, which is why
those writers go through :func:`os.open` and :func:`os.fdopen` instead of
plain ``open``.
"""

from __future__ import annotations

import configparser
import io
import json
import os
import re
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Mapping

StrPath = str | PathLike[str]

_ENV_KEY = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_PRIVATE = 0o600


class ConfigError(ValueError):
    """A configuration file is malformed."""


@dataclass
class Settings:
    model: str = "local-energy-v1"
    workers: int = 2
    log_dir: str = "logs"
    env: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_toml(path: StrPath) -> dict[str, Any]:
    with Path(path).open("rb") as f:
        return tomllib.load(f)


def load_ini(path: StrPath) -> dict[str, dict[str, str]]:
    """Load an INI file into plain nested dicts (``DEFAULT`` values folded in)."""
    parser = configparser.ConfigParser(interpolation=None)
    with io.open(path, encoding="utf-8") as f:
        parser.read_file(f, source=str(path))
    return {section: dict(parser[section]) for section in parser.sections()}


def load_env_file(path: StrPath) -> dict[str, str]:
    """Parse ``KEY=value`` lines; blank lines and ``#`` comments are ignored."""
    values: dict[str, str] = {}
    with io.open(path, "r", encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, value = line.partition("=")
            key = key.strip()
            if not sep or not _ENV_KEY.match(key):
                raise ConfigError(f"{path}:{lineno}: expected KEY=value")
            values[key] = value.strip().strip('"')
    return values


def write_env_file(path: StrPath, values: Mapping[str, str]) -> None:
    """Write ``values`` as a private ``.env`` file (mode 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _PRIVATE)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for key in sorted(values):
            if not _ENV_KEY.match(key):
                raise ConfigError(f"invalid key {key!r}")
            value = values[key]
            if "\n" in value:
                raise ConfigError(f"value of {key} spans lines")
            f.write(f"{key}={value}\n")


def write_secret(path: StrPath, token: bytes) -> None:
    """Store an API token readable only by the service user."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE)
    with os.fdopen(fd, "wb") as f:
        f.write(token)


def read_secret(path: StrPath) -> bytes:
    """Read a token written by :func:`write_secret`, refusing group/world-readable files."""
    mode = os.stat(path).st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"{path}: permissions {oct(mode)} are too open")
    with open(path, "rb") as f:
        data = f.read()
    return data.strip()


def save_settings(path: StrPath, settings: Settings) -> None:
    """Atomically write ``settings`` as JSON (used for the resolved snapshot)."""
    target = Path(path)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, suffix=".tmp", delete=False
    ) as tmp:
        try:
            json.dump(settings.to_dict(), tmp, indent=2, sort_keys=True)
        except BaseException:
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, target)


def load_settings(directory: StrPath) -> Settings:
    """Resolve settings from the files present in ``directory``."""
    root = Path(directory)
    merged: dict[str, Any] = {}
    if (root / "agent.toml").exists():
        merged.update(load_toml(root / "agent.toml").get("agent", {}))
    if (root / "agent.ini").exists():
        merged.update(load_ini(root / "agent.ini").get("agent", {}))
    settings = Settings()
    for name in ("model", "log_dir"):
        if name in merged:
            setattr(settings, name, str(merged[name]))
    if "workers" in merged:
        try:
            settings.workers = int(merged["workers"])
        except ValueError as exc:
            raise ConfigError(f"workers must be an integer, not {merged['workers']!r}") from exc
    if (root / ".env").exists():
        settings.env = load_env_file(root / ".env")
    return settings
