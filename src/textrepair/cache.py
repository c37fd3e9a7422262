"""A disk cache for data derived at load time (the tokenizer's dictionary
with the glossary's words added, the collocation index, the bigram table).

Building them takes seconds; unpickling takes a fraction of one.  Entries are
keyed by a hash of everything they are derived from, so an edited glossary
or a new jieba simply builds a new entry.  The cache lives in
$TEXTREPAIR_CACHE, else $XDG_CACHE_HOME/textrepair, else ~/.cache/textrepair;
if it cannot be written, the data is built every time and nothing fails.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from . import __version__

T = TypeVar("T")


def cache_dir() -> Path:
    env = os.environ.get("TEXTREPAIR_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "textrepair"


def key_of(parts: Iterable) -> str:
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


def file_fingerprint(path) -> tuple:
    st = os.stat(path)
    return (os.fspath(path), st.st_size, st.st_mtime_ns)


def cached(name: str, parts: Iterable, build: Callable[[], T]) -> T:
    """``build()``'s result, from the cache when an entry for ``parts`` exists."""
    if os.environ.get("TEXTREPAIR_NO_CACHE"):
        return build()
    path = cache_dir() / f"{name}-{key_of(parts)}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home is no reason to fail
    return value
