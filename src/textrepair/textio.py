"""Reading and writing text files without losing a byte.

Encodings: UTF-8 (with or without BOM) is tried first and strictly; a file
that is not UTF-8 is tried, strictly, as GB18030 (which contains GBK and
GB2312) and as Big5.  Either can "succeed" on the other's bytes, so the
candidates are judged by how much of their Han text is common Chinese (the
3,755 first-level GB2312 characters, Traditional ones mapped to Simplified
first); a file that reads as neither is refused rather than guessed.  We do
this instead of a general detector (charset-normalizer, chardet) because
only these three encodings matter here, the decision is deterministic and
explainable, and a short Chinese file is exactly where statistical
detectors guess wrong.  The output is written in the input's encoding (BOM
kept) unless told otherwise.  Line endings are never translated, so CRLF,
lone CR and a missing final newline come back exactly as they were.
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass
from typing import IO, Iterator, Optional

BOM = "\ufeff"


class InputError(Exception):
    """A file cannot be used as input; the message is one line for the user."""


class OutputError(Exception):
    """Output cannot be written where asked; the message is one line for the user."""


@dataclass
class TextFile:
    path: str
    text: str          # without the BOM
    bom: bool = False
    raw: bytes = b""   # the bytes as read
    encoding: str = "utf-8"

    def render(self, text: str, encoding: Optional[str] = None) -> bytes:
        enc = encoding or self.encoding
        with_bom = enc.replace("_", "-").lower() in ("utf-8", "utf8", "utf-16-le", "utf-16-be")
        body = (BOM if self.bom and with_bom else "") + text
        try:
            return body.encode(enc)
        except UnicodeEncodeError as exc:
            line = text.count("\n", 0, max(0, exc.start - (1 if self.bom else 0))) + 1
            raise InputError(f"{self.path}:{line}: {exc.object[exc.start:exc.end]!r} cannot be written "
                             f"in {enc}; use --encoding utf-8") from None
        except LookupError:
            raise InputError(f"unknown encoding {enc!r}") from None


ENCODINGS = ("gb18030", "big5")
COMMON_SHARE = 0.6   # share of common characters a GB18030/Big5 reading needs


def _common_share(text: str) -> float:
    from .normalize import _char_t2s, _is_han
    han = [c for c in text[:20000] if _is_han(c)]
    if not han:
        return 0.0
    common = 0
    for c in han:
        try:
            b = _char_t2s(c).encode("gb2312")
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and 0xB0 <= b[0] <= 0xD7:  # first-level: the 3,755 most common
            common += 1
    return common / len(han)


def decode(data: bytes, path: str, encoding: Optional[str] = None) -> TextFile:
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(f"{path}:{line}: not valid {encoding} (byte {exc.start}); not repaired") from None
        bom = text.startswith(BOM)
        return TextFile(path, text[1:] if bom else text, bom, data, encoding)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            return TextFile(path, data[2:].decode(enc), True, data, enc)
        except UnicodeDecodeError:
            raise InputError(f"{path}: has a UTF-16 byte-order mark but is not valid UTF-16") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file (NUL bytes); not repaired")
    try:
        text = data.decode("utf-8")
        bom = text.startswith(BOM)
        return TextFile(path, text[1:] if bom else text, bom, data, "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    readings = []
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        readings.append((_common_share(text), enc, text))
    readings.sort(reverse=True)
    if readings and readings[0][0] >= COMMON_SHARE:
        _share, enc, text = readings[0]
        return TextFile(path, text, False, data, enc)
    line = data[: utf8_error.start].count(b"\n") + 1
    raise InputError(f"{path}:{line}: not valid UTF-8 (byte {utf8_error.start}) and not plausible "
                     f"GB18030 or Big5 Chinese; not repaired (name the encoding with --input-encoding)")


def read(path: str, encoding: Optional[str] = None) -> TextFile:
    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>", encoding)
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode(data, path, encoding)


def new_file_mode() -> int:
    """The permissions open() would give a new file under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def file_mode(*paths) -> int:
    """The permissions of the first of ``paths`` that exists, else those of a new file."""
    for path in paths:
        if path:
            try:
                return os.stat(path).st_mode & 0o7777
            except FileNotFoundError:
                continue
    return new_file_mode()


def write_atomic(path: str, data: bytes, like: str = "") -> None:
    """Replace ``path`` with ``data`` (``atomic_output``)."""
    with atomic_output(path, like) as fh:
        fh.write(data)


@contextlib.contextmanager
def atomic_output(path: str, like: str = "") -> Iterator[IO[bytes]]:
    """A binary file to write that becomes ``path`` when the block ends
    without an error: a temporary file in the same directory, flushed, given
    the old file's permissions (or those of ``like``, or for a new file what
    the umask gives, not mkstemp's private 0600), then renamed over it, so a
    failure at any point leaves the old file whole.  A symbolic link is
    written through: its target is replaced, the link stays.  A path that
    cannot be written is an OutputError naming it."""
    if os.path.islink(path):
        path = os.path.realpath(path)
    if os.path.isdir(path):
        raise OutputError(f"{path}: is a directory")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OutputError(f"{path}: no such directory {directory}")
    mode = file_mode(path, like)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".textrepair-", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
