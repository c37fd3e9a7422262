"""Reading and writing text files without losing a byte.

Input is decoded as UTF-8 (a BOM is remembered and written back); line
endings are never translated, so CRLF, lone CR and a missing final newline
come back exactly as they were.
"""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass

BOM = "\ufeff"


class InputError(Exception):
    """A file cannot be used as input; the message is one line for the user."""


@dataclass
class TextFile:
    path: str
    text: str          # without the BOM
    bom: bool = False
    raw: bytes = b""   # the bytes as read

    def render(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")


def decode(data: bytes, path: str) -> TextFile:
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file (NUL bytes); not repaired")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte {exc.start}); not repaired") from None
    bom = text.startswith(BOM)
    return TextFile(path, text[1:] if bom else text, bom, data)


def read(path: str) -> TextFile:
    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode(data, path)


def write_atomic(path: str, data: bytes, like: str = "") -> None:
    """Replace ``path`` with ``data``: a temporary file in the same directory,
    flushed, given the old file's permissions (or those of ``like``), then
    renamed over it, so a failure at any point leaves the old file whole."""
    directory = os.path.dirname(os.path.abspath(path))
    mode = None
    for source in (path, like):
        try:
            mode = os.stat(source).st_mode & 0o7777 if source else None
        except FileNotFoundError:
            continue
        if mode is not None:
            break
    fd, tmp = tempfile.mkstemp(prefix=".textrepair-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
