#!/usr/bin/env python3
"""Driver for agentkit/config.py: every loader and writer, with malformed inputs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import gc
import json
import os
import stat
import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import config  # noqa: E402
from agentkit.config import ConfigError, Settings  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


@contextlib.contextmanager
def raises(exc: type[BaseException]) -> Iterator[None]:
    """Require the block to raise ``exc``; the exception is discarded."""
    try:
        yield
    except exc:
        return
    raise AssertionError(f"the block did not raise {exc.__name__}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-config-") as tmp:
        root = Path(tmp)
        (root / "agent.toml").write_text('[agent]\nmodel = "local-energy-fast"\nworkers = 4\n', encoding="utf-8")
        (root / "agent.ini").write_text("[agent]\nlog_dir = /var/log/agent\n", encoding="utf-8")

        assert config.load_toml(root / "agent.toml") == {"agent": {"model": "local-energy-fast", "workers": 4}}
        (root / "bad.toml").write_text("[agent\n", encoding="utf-8")
        with raises(tomllib.TOMLDecodeError):
            config.load_toml(root / "bad.toml")

        assert config.load_ini(root / "agent.ini") == {"agent": {"log_dir": "/var/log/agent"}}
        (root / "bad.ini").write_text("no section header\n", encoding="utf-8")
        expect(config.configparser.MissingSectionHeaderError, config.load_ini, root / "bad.ini")

        env = root / ".env"
        config.write_env_file(env, {"API_TOKEN": "abc", "REGION": "local"})
        assert stat.S_IMODE(env.stat().st_mode) == 0o600
        assert config.load_env_file(env) == {"API_TOKEN": "abc", "REGION": "local"}
        expect(ConfigError, config.write_env_file, root / "bad.env", {"lower": "x"})
        expect(ConfigError, config.write_env_file, root / "bad.env", {"MULTI": "a\nb"})
        (root / "bad.env").write_text("# comment\n\nGOOD=1\nnot a pair\n", encoding="utf-8")
        expect(ConfigError, config.load_env_file, root / "bad.env")

        secret = root / "token"
        config.write_secret(secret, b"s3cr3t\n")
        assert config.read_secret(secret) == b"s3cr3t"
        expect(FileExistsError, config.write_secret, secret, b"again")
        expect(TypeError, config.write_secret, root / "token2", "not bytes")
        os.chmod(secret, 0o644)
        expect(ConfigError, config.read_secret, secret)
        # A private file that opens but fails to read: /proc/self/mem is mode 0600 and
        # reading it from offset 0 (unmapped) raises EIO inside the with block.
        expect(OSError, config.read_secret, "/proc/self/mem")

        settings = config.load_settings(root)
        assert settings.model == "local-energy-fast" and settings.workers == 4
        assert settings.log_dir == "/var/log/agent" and settings.env["REGION"] == "local"
        snapshot = root / "resolved.json"
        config.save_settings(snapshot, settings)
        assert json.loads(snapshot.read_text(encoding="utf-8")) == settings.to_dict()
        expect(TypeError, config.save_settings, snapshot, Settings(env={"X": {1, 2}}))
        assert not list(root.glob("*.tmp"))
        (root / "empty").mkdir()
        assert config.load_settings(root / "empty") == Settings()
        (root / "agent.ini").write_text("[agent]\nworkers = many\n", encoding="utf-8")
        expect(ConfigError, config.load_settings, root)
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
