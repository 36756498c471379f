"""Fetch documents for agent tools by URL.

Tools receive URLs from the model; in this deployment only ``file://`` URLs
pointing into the shared workspace are allowed, which :func:`check_url`
enforces before anything is opened.
"""

from __future__ import annotations

import json
import shutil
import urllib.parse
import urllib.request
from os import PathLike
from pathlib import Path
from typing import Any

StrPath = str | PathLike[str]

ALLOWED_SCHEMES = frozenset({"file"})
DEFAULT_LIMIT = 10 * 1024 * 1024


class FetchError(ValueError):
    """The URL is not allowed or the response is unusable."""


def check_url(url: str) -> str:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(f"scheme {scheme!r} is not allowed")
    return url


def path_to_url(path: StrPath) -> str:
    return Path(path).resolve().as_uri()


def fetch_bytes(url: str, *, timeout: float = 5.0, limit: int = DEFAULT_LIMIT) -> bytes:
    """Return the body of ``url``, refusing bodies over ``limit`` bytes."""
    with urllib.request.urlopen(check_url(url), timeout=timeout) as resp:
        body = resp.read(limit + 1)
        if len(body) > limit:
            raise FetchError(f"{url}: body exceeds {limit} bytes")
        return body


def fetch_text(url: str, *, timeout: float = 5.0) -> str:
    with urllib.request.urlopen(check_url(url), timeout=timeout) as resp:
        charset = resp.headers.get_content_charset() or "utf-8"
        return resp.read().decode(charset)


def fetch_json(url: str, *, timeout: float = 5.0) -> Any:
    with urllib.request.urlopen(check_url(url), timeout=timeout) as resp:
        return json.load(resp)


def content_info(url: str) -> dict[str, Any]:
    """Type and length as reported by the handler, without reading the body."""
    with urllib.request.urlopen(check_url(url)) as resp:
        return {
            "url": resp.geturl(),
            "content_type": resp.headers.get_content_type(),
            "length": int(resp.headers.get("Content-Length", -1)),
        }


def download(url: str, dest: StrPath, *, limit: int = DEFAULT_LIMIT) -> int:
    """Copy ``url`` to ``dest``; returns the number of bytes written."""
    with urllib.request.urlopen(check_url(url)) as resp, open(dest, "wb") as out:
        declared = int(resp.headers.get("Content-Length", -1))
        if declared > limit:
            raise FetchError(f"{url}: declared length {declared} exceeds {limit}")
        shutil.copyfileobj(resp, out)
        return out.tell()
