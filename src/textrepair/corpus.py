"""Corpus mode: many documents, streamed, optionally across worker processes.

A document is a file (plain text, any of the encodings textio reads) or one
record of a JSON Lines file.  Documents are repaired independently, so the
result of a document never depends on the mode: one process or many, one
file or a directory, text or JSON Lines.  Memory stays flat because input
is read and written a window of documents at a time; only a window is ever
held, never the corpus.
"""
from __future__ import annotations

import fnmatch
import glob
import json
import os
import re
import sys
from collections import deque
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Callable, Deque, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .textio import InputError, read, write_atomic

if TYPE_CHECKING:  # imported where used, in a worker
    from multiprocessing.pool import Pool

    from .pipeline import Repairer

WINDOW_PER_JOB = 64   # documents in flight per worker process


@dataclass(frozen=True)
class Settings:
    glossaries: Tuple[str, ...] = ()
    builtin: bool = True
    min_confidence: float = 0.5
    to_simplified: bool = False
    field: str = "text"
    annotate: bool = False          # JSON Lines: add spin score and repairs to each record
    output_encoding: Optional[str] = None
    input_encoding: Optional[str] = None
    thesaurus: Union[bool, str] = True  # as Repairer's ``thesaurus``


@dataclass
class Summary:
    documents: int = 0
    characters: int = 0
    repairs: int = 0
    spun: int = 0
    skipped: int = 0                # records passed through: no text field to repair

    def add(self, other: "Summary") -> None:
        self.documents += other.documents
        self.characters += other.characters
        self.repairs += other.repairs
        self.spun += other.spun
        self.skipped += other.skipped

    def line(self) -> str:
        skipped = f", {_count(self.skipped, 'record')} without a text field passed through" if self.skipped else ""
        return (f"textrepair: {_count(self.documents, 'document')}, {_count(self.characters, 'character')}, "
                f"{_count(self.repairs, 'repair')}, {_count(self.spun, 'spun document')}{skipped}")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


# -- one worker's state ----------------------------------------------------------
# Set by init_worker, which Runner runs in each process before the functions
# below: declared without a placeholder None, as nothing reads them before.
_repairer: Repairer
_settings: Settings


def init_worker(settings: Settings) -> None:
    """Load the data once per process (from the disk cache: well under a second)."""
    global _repairer, _settings
    from .pipeline import Repairer
    _settings = settings
    _repairer = Repairer(list(settings.glossaries) or None, builtin=settings.builtin,
                         min_confidence=settings.min_confidence, thesaurus=settings.thesaurus)


def repair_document(text: str):
    """(repaired text, summary, result) for one document, in this process."""
    from .pipeline import SPUN_THRESHOLD
    result = _repairer.repair(text, to_simplified=_settings.to_simplified)
    summary = Summary(1, len(text), len(result.repairs), int(result.spin_score >= SPUN_THRESHOLD))
    return result.text, summary, result


def repair_record(line: str) -> Tuple[str, Summary]:
    """One JSON Lines record: its text field repaired, everything else kept
    byte for byte.  A record with nothing to repair (and no annotation asked
    for) comes back exactly as it was; otherwise only the field's value is
    rewritten (and the annotation added before the closing brace), so other
    fields keep their own spelling: key order, spacing, escapes, numbers
    such as 1.10 or 1e400 that a JSON round trip would change."""
    if not line.strip():
        return line, Summary()
    bom = "\ufeff" if line.startswith("\ufeff") else ""  # (a file's BOM, on its first line)
    body = line[len(bom):]
    record = json.loads(body)
    value = record.get(_settings.field) if isinstance(record, dict) else None
    if not isinstance(value, str):
        return line, Summary(skipped=1)
    text, summary, result = repair_document(value)
    if not result.repairs and not _settings.annotate:
        return line, summary
    if _settings.annotate and "textrepair" in record:
        raise ValueError("the record has a 'textrepair' field already; --annotate would overwrite it")
    (start, end), close = _value_span(body, _settings.field)
    if _settings.annotate:
        note = {"spin_score": result.spin_score, "spun": bool(summary.spun),
                "profile": result.profile if summary.spun else None,
                "repairs": [r.as_dict() for r in result.repairs]}
        body = f'{body[:close]}, "textrepair": {_dumps(note)}{body[close:]}'
    return f"{bom}{body[:start]}{_dumps(text) if result.repairs else body[start:end]}{body[end:]}", summary


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _value_span(record: str, key: str) -> Tuple[Tuple[int, int], int]:
    """In the text of a JSON object (already known to parse, holding ``key``):
    the span of ``key``'s value (the last one, as json.loads keeps it) and
    the offset of the object's closing brace."""
    def skip(i: int) -> int:
        m = _WHITESPACE.match(record, i)
        return m.end() if m else i
    i = skip(skip(0) + 1)  # past '{'
    span = (0, 0)
    while record[i] != "}":
        name, i = json.decoder.scanstring(record, i + 1)   # type: ignore[attr-defined]
        i = skip(skip(i) + 1)                               # past ':'
        _, end = _DECODER.raw_decode(record, i)
        if name == key:
            span = (i, end)
        i = skip(end)
        if record[i] == ",":
            i = skip(i + 1)
    return span, i


def _dumps(value) -> str:
    """JSON as UTF-8 text, with \\u escapes only where a string holds a lone
    surrogate (which UTF-8 cannot write)."""
    out = json.dumps(value, ensure_ascii=False)
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:
        out = json.dumps(value)
    return out


def repair_file(job: Tuple[str, str, bool, Optional[str]]) -> Summary:
    """A text file repaired to ``out`` (or in place); returns its summary."""
    src, out, in_place, backup = job
    tf = read(src, _settings.input_encoding)
    text, summary, _ = repair_document(tf.text)
    data = tf.render(text, _settings.output_encoding)
    if in_place:
        if data != tf.raw:
            if backup:
                write_atomic(src + backup, tf.raw, like=src)
            write_atomic(src, data)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        write_atomic(out, data, like=src)
    return summary


# -- reading and running -----------------------------------------------------------
def expand_paths(paths: Sequence[str], pattern: str) -> List[Tuple[str, Optional[str]]]:
    """(file, path relative to its directory argument or None) for each input.

    A directory is walked recursively for files matching ``pattern`` (at any
    depth; hidden files and directories are skipped unless the pattern
    starts with '.'; symbolic links to directories are not followed, so a
    link loop cannot repeat a file); a path with wildcards that does not
    exist is expanded as a glob.  A file reached twice (named and found in
    a directory, or through a link) is taken once."""
    parts = _pattern_parts(pattern)
    out: List[Tuple[str, Optional[str]]] = []
    seen = set()

    def add(f: str, rel: Optional[str]) -> None:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            out.append((f, rel))

    for p in paths:
        if p == "-":
            out.append((p, None))
        elif os.path.isfile(p):
            add(p, None)
        elif os.path.isdir(p):
            for f in sorted(_walk(p, parts)):
                add(f, os.path.relpath(f, p))
        elif any(c in p for c in "*?["):
            found = sorted(f for f in glob.glob(p, recursive=True) if os.path.isfile(f))
            if not found:
                raise InputError(f"{p}: no file matches")
            for f in found:
                add(f, None)
        else:
            raise InputError(f"{p}: no such file or directory")
    return out


def _pattern_parts(pattern: str) -> List[str]:
    """The --glob pattern as path components, checked to stay inside the
    directory it is applied to (an output tree mirrors what it matches)."""
    parts = [q for q in pattern.replace(os.sep, "/").split("/") if q not in ("", ".")]
    if os.path.isabs(pattern) or ".." in parts:
        raise InputError(f"--glob {pattern}: must match files inside the directory (no '..', not absolute)")
    while parts and parts[0] == "**":  # (every depth is searched anyway)
        parts.pop(0)
    if not parts or "**" in parts:
        raise InputError(f"--glob {pattern}: name files, e.g. '*.txt' or 'news/*.txt'")
    return parts


def _walk(top: str, parts: Sequence[str]) -> Iterator[str]:
    """Files below ``top`` whose last path components match ``parts``."""
    hidden = parts[-1].startswith(".")
    for root, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") and not hidden:
                continue
            path = os.path.join(root, name)
            comps = os.path.relpath(path, top).split(os.sep)
            if len(comps) >= len(parts) and all(
                    fnmatch.fnmatchcase(c, q) for c, q in zip(comps[len(comps) - len(parts):], parts)):
                if os.path.isfile(path):  # (not a dangling link)
                    yield path


def _jsonl_lines(path: str) -> Iterator[Tuple[int, str, str]]:
    """(line number, line without its end, the line end) of a UTF-8 JSON Lines
    input, streamed."""
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")
    try:
        for lineno, raw in enumerate(stream, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{path}:{lineno}: JSON Lines must be UTF-8") from None
            body = line.rstrip("\r\n")
            yield lineno, body, line[len(body):]
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _record_or_error(line: str, path: str, lineno: int) -> Tuple[str, Summary]:
    try:
        return repair_record(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError(f"{path}:{lineno}: JSON nested too deep to read") from None
    except ValueError as exc:  # (an integer of over 4,300 digits; a field --annotate would overwrite)
        raise InputError(f"{path}:{lineno}: {exc}") from None


def _record_job(item: Tuple[str, int, str]) -> Tuple[str, Summary]:
    path, lineno, line = item
    return _record_or_error(line, path, lineno)


class Runner:
    """Maps a function over documents in order, in this process or in a pool
    of ``jobs`` worker processes, a bounded window at a time."""

    def __init__(self, settings: Settings, jobs: int = 1, progress: bool = False, total: Optional[int] = None,
                 unit: str = "doc"):
        self.settings = settings
        self.jobs = max(1, jobs)
        self.pool: Optional[Pool] = None
        self.bar = None
        if progress:
            try:
                from tqdm import tqdm
                self.bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True)
            except ImportError:  # pragma: no cover - tqdm is a dependency
                self.bar = None

    def __enter__(self) -> "Runner":
        if self.jobs > 1:
            import multiprocessing
            self.pool = multiprocessing.get_context().Pool(self.jobs, init_worker, (self.settings,))
        else:
            init_worker(self.settings)
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            if exc[0] is None:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()
        if self.bar is not None:
            self.bar.close()

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        items = iter(items)
        window = WINDOW_PER_JOB * self.jobs
        if self.pool is None:
            while True:
                batch = list(islice(items, window))
                if not batch:
                    return
                results = [fn(x) for x in batch]
                if self.bar is not None:
                    self.bar.update(len(batch))
                yield from results
        # Two windows in flight: the workers start on the next window while
        # this process writes out the last one, so they do not wait at each
        # window's end (memory stays bounded: at most two windows are held).
        pending: Deque[Tuple[int, Any]] = deque()
        pool = self.pool  # (not None: the loop above returned)

        def submit() -> bool:
            batch = list(islice(items, window))
            if batch:
                chunk = max(1, len(batch) // (4 * self.jobs))
                pending.append((len(batch), pool.map_async(fn, batch, chunksize=chunk)))
            return bool(batch)

        submit()
        submit()
        while pending:
            size, job = pending.popleft()
            results = job.get()
            submit()
            if self.bar is not None:
                self.bar.update(size)
            yield from results


def jsonl_records(paths: Sequence[str]) -> Iterator[Tuple[str, int, str, str]]:
    """(path, line number, line, line end) of every record of the inputs.
    A file's last record without a line end gets one when more records
    follow, so that two files never run together on one output line."""
    held = None  # the last record seen, yielded once it is known whether more follow
    for path in paths:
        for lineno, line, end in _jsonl_lines(path):
            if held is not None:
                yield held[0], held[1], held[2], held[3] or "\n"
            held = (path, lineno, line, end)
    if held is not None:
        yield held


def run_jsonl_stream(paths: Sequence[str], out, runner: Runner) -> Summary:
    """Records of ``paths`` repaired to the text stream ``out``, in order."""
    total = Summary()
    ends: Deque[str] = deque()

    def items():
        for path, lineno, line, end in jsonl_records(paths):
            ends.append(end)
            yield path, lineno, line

    for repaired, summary in runner.map(_record_job, items()):
        out.write(repaired + ends.popleft())
        total.add(summary)
    return total
