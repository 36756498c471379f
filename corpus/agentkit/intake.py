"""Intake checks run before a job starts: policies, exports, bundles, peers."""

from __future__ import annotations

import json
import os
from pathlib import Path

from agentkit import loaders
from agentkit.loaders import read_bz2_lines, load_policy, read_xz_bytes, scratch_device, tar_names


def allowed_tools(policy_path: Path) -> list[str]:
    policy = load_policy(policy_path)
    return sorted(policy.get("tools", []))


def export_word_count(path: Path) -> int:
    text = loaders.read_bz2_text(path)
    return len(text.split())


def export_users(path: Path) -> set[str]:
    lines = read_bz2_lines(path)
    return {json.loads(line)["user"] for line in lines if line}


def log_error_count(path: Path) -> int:
    text = loaders.read_gz_text(path)
    return text.count(" ERROR ")


def snapshot_digest(path: Path) -> int:
    blob = read_xz_bytes(path)
    return sum(blob) % 65521


def snapshot_keys(path: Path) -> list[str]:
    data = loaders.load_xz_json(path)
    return sorted(data)


def bundle_has(path: Path, name: str) -> bool:
    names = tar_names(path)
    return name in names


def bundle_bytes(path: Path) -> int:
    members = loaders.tar_members(path)
    return sum(m.size for m in members if m.isfile())


def plugin_modules(path: Path) -> list[str]:
    names = loaders.zip_names(path)
    return sorted(n for n in names if n.endswith(".py"))


def plugin_footprint(path: Path) -> int:
    infos = loaders.zip_infos(path)
    return sum(i.file_size for i in infos)


def remote_settings(url: str) -> dict:
    settings = loaders.fetch_json(url)
    return dict(settings)


def same_filesystem(directory: str, target: str) -> bool:
    dev = scratch_device(directory)
    return dev == os.stat(target).st_dev


def scratch_has_room(directory: str, blocks: int) -> bool:
    free = loaders.scratch_free_blocks(directory)
    return free >= blocks


def copy_chunk_size(directory: str) -> int:
    size = loaders.scratch_block_size(directory)
    return max(size, 4096)


def peer_banner(addr: tuple[str, int]) -> str:
    banner = loaders.read_banner(addr)
    return banner.decode("ascii").strip()


def peer_version(addr: tuple[str, int]) -> str:
    hello = loaders.load_hello(addr)
    return hello["version"]


def outbound_ip(addr: tuple[str, int]) -> str:
    ip = loaders.local_address(addr)
    return ip
