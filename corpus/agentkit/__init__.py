"""agentkit: small building blocks for long-running agent services.

The package collects the plumbing an agent runtime tends to grow: tool
implementations (audio transcription against a local speech client), caches,
log capture, health checks, a task store, loopback networking helpers,
subprocess and worker-pool runners, scratch files, archives, thread-safe
counters, URL fetching and configuration loading.

Submodules are deliberately independent and are imported on demand, e.g.
``from agentkit.cache import load_json``; importing the package itself has no
side effects.
"""

__all__ = [
    "apiclient",
    "archives",
    "cache",
    "config",
    "counter",
    "fetch",
    "health",
    "healthcheck_cli",
    "logcapture",
    "netclient",
    "runners",
    "store",
    "tempfiles",
    "transcribe",
]

__version__ = "0.4.2"
