"""The build's own cache: work whose result only depends on its input, kept between builds (issue 17).

A second ``mkdocs build`` with nothing changed, and every rebuild of ``mkdocs serve``,
would otherwise redo the same work: typeset every formula in V8 (hooks/mathml.py),
cut the math font with fontTools, index every page for Material's search (an HTML
parser and jieba), compile the theme's and mkdocstrings' Jinja templates
(hooks/convdoc_site.py). Each result is stored under a key that covers everything it depends on
(the input, the hooks' source, the versions of the packages that compute it), so a
change of any of them is a miss, never a stale result.

* Where: ``$CONVDOC_BUILD_CACHE`` if set, else ``$XDG_CACHE_HOME/convdoc/build``,
  by default ``~/.cache/convdoc/build``: outside the working tree, beside the
  notebook cache (hooks/notebooks.py). Deleting it is always safe.
* When it is not read: under ``CI`` (any value), every build computes everything;
  ``CONVDOC_REFRESH_BUILD_CACHE=1`` does the same anywhere and writes the results
  again. A directory that cannot be written is skipped, with a warning.
* A damaged entry is not used: each entry ends with the SHA-256 of its key and
  its bytes; an entry that does not match (truncated, altered, another key's) is
  a miss and is written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import logging
import os
import sys
from pathlib import Path

import jinja2
import jinja2.bccache

log = logging.getLogger("mkdocs.hooks.build_cache")

FORMAT = "1"  # bump when the way entries are stored changes
DIGEST = 32  # bytes of SHA-256 at the end of each entry


def cache_dir(kind: str = "build", variable: str = "CONVDOC_BUILD_CACHE") -> Path:
    """``$<variable>`` if set, else ``$XDG_CACHE_HOME/convdoc/<kind>``, else ``~/.cache/convdoc/<kind>``
    (the notebooks' cache too: ``cache_dir("notebooks", "CONVDOC_NOTEBOOK_CACHE")``)."""
    explicit = os.environ.get(variable)
    if explicit:
        return Path(explicit).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or "~/.cache").expanduser() / "convdoc" / kind


def bypassed(switch: str = "CONVDOC_REFRESH_BUILD_CACHE") -> str | None:
    """Why a cache must not be read (None: it may be): ``CI`` is set, or ``switch`` is 1."""
    if os.environ.get("CI"):
        return "CI is set"
    if os.environ.get(switch, "").strip().lower() in {"1", "true", "yes"}:
        return f"{switch} is set"
    return None


def fingerprint(*parts: str | bytes | Path) -> str:
    """A key over ``parts``: strings, bytes, and files by their contents."""
    digest = hashlib.sha256(FORMAT.encode() + sys.version.encode())
    for part in parts:
        if isinstance(part, Path):
            part = part.read_bytes()
        elif isinstance(part, str):
            part = part.encode()
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()


def versions(*distributions: str) -> str:
    return " ".join(f"{name}=={importlib.metadata.version(name)}" for name in distributions)


def _seal(key: str, data: bytes) -> bytes:
    return hashlib.sha256(key.encode() + b"\0" + data).digest()


class Store:
    """Bytes by key, in files ``<kind>-<key>`` of :func:`cache_dir` (or ``directory``); with ``keep``,
    only that many entries of the kind, the most recently used, are kept."""

    def __init__(self, kind: str, directory: Path | None = None, keep: int | None = 4):
        self.kind, self.keep = kind, keep
        self.directory = directory or cache_dir()
        self.reason = bypassed()

    def path(self, key: str) -> Path:
        return self.directory / f"{self.kind}-{key}"

    def get(self, key: str) -> bytes | None:
        """The bytes stored for ``key``; None when missing, damaged, or not to be read."""
        if self.reason is not None:
            return None
        try:
            raw = self.path(key).read_bytes()
        except OSError:
            return None
        data, seal = raw[:-DIGEST], raw[-DIGEST:]
        if len(raw) < DIGEST or seal != _seal(key, data):
            log.debug(f"build cache: damaged entry {self.path(key)} ignored")
            return None
        if self.keep is not None:
            with contextlib.suppress(OSError):
                os.utime(self.path(key))  # recently used: evicted last
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` (atomically: a reader sees the old entry or the new one, never half of one)."""
        target = self.path(key)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data + _seal(key, data))
            os.replace(tmp, target)
        except OSError as exc:
            log.warning(f"build cache {self.directory} is not writable ({exc}): the result is not kept")
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        if self.keep is not None:
            self._prune()

    def _prune(self) -> None:
        def used(path: Path) -> float:
            try:
                return path.stat().st_mtime
            except OSError:  # removed meanwhile by another build
                return 0.0

        entries = [p for p in self.directory.glob(f"{self.kind}-*") if not p.name.endswith(".tmp")]
        entries.sort(key=used, reverse=True)
        for stale in entries[self.keep :]:
            with contextlib.suppress(OSError):
                stale.unlink()


class JinjaBytecode(jinja2.BytecodeCache):
    """Compiled Jinja templates in a :class:`Store`: the theme's and mkdocstrings' templates are compiled
    once, not by every build. Jinja itself checks that an entry was compiled from the same template
    source, by the same Jinja bytecode format and Python; the Store, that its bytes are intact."""

    def __init__(self, store: Store | None = None):
        self.store = store or Store("jinja", keep=None)  # one entry per template, replaced when it changes
        self.prefix = f"{jinja2.__version__}-"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(self.prefix + bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.put(self.prefix + bucket.key, bucket.bytecode_to_string())
