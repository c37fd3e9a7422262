"""The glossary: spinner pairs as data, validated on load.

A glossary file is UTF-8 TSV with this header row (lines starting with ``#``
and blank lines are ignored)::

    spun	canonical	kind	weight	profile	note

* ``spun``      the text the spinner wrote (never empty).
* ``canonical`` the text it replaced; empty for ``spam`` rows (removal).
* ``kind``      ``word``   – ``spun`` is matched as a whole token of the
                              tokenizer (so 疾 in 残疾 is never touched);
                ``phrase`` – ``spun`` is matched anywhere as a string: the
                              spinner's wrong-split artefacts (和安全全) and
                              multi-word spins;
                ``spam``   – injected text, removed.
* ``weight``    a number in [0, 1].  For word and phrase rows: the channel
                probability, how often the spinner writes ``spun`` where the
                original had ``canonical``.  For spam rows: how likely an
                occurrence is injected.  0 switches a row off (useful in a
                user file to override a built-in row).
* ``profile``   the spinner (word map) the row belongs to; ``any`` for rows
                that hold whatever the spinner (the spam list).  ``thesaurus``
                is reserved for the built-in random-synonym spinner.
* ``note``      free text: provenance and evidence (may be left off).

Rows are keyed by (spun, canonical, profile).  A key may appear once per
file; a later file overrides an earlier one (user files override the
built-in glossary).  Swapped pairs (体系→系统 and 系统→体系) are legal: real
spinners do this, and the document model decodes them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple, Union

HEADER = ("spun", "canonical", "kind", "weight", "profile", "note")
_WEIGHT = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")  # plain ASCII decimals (float() takes ０.５ and nan too)
# the thesaurus spinner's profile (thesaurus.PROFILE), which the pipeline adds
# itself: a glossary profile of that name would be mistaken for it
RESERVED_PROFILE = "thesaurus"
KINDS = ("word", "phrase", "spam")

PathLike = Union[str, "os.PathLike[str]"]


class GlossaryError(ValueError):
    """A glossary file is malformed; the message starts with ``path:line:``."""


@dataclass(frozen=True)
class GlossaryRow:
    spun: str
    canonical: str
    kind: str
    weight: float
    profile: str
    note: str = ""
    source: str = ""  # "path:line" the row was read from

    @property
    def key(self) -> Tuple[str, str, str]:
        return (self.spun, self.canonical, self.profile)


def _fail(path: str, lineno: int, msg: str) -> GlossaryError:
    return GlossaryError(f"{path}:{lineno}: {msg}")


def parse_rows(text: str, path: str = "<glossary>") -> List[GlossaryRow]:
    """Parse and validate glossary text; raise GlossaryError naming path:line."""
    rows: List[GlossaryRow] = []
    seen: Dict[Tuple[str, str, str], int] = {}
    header_seen = False
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if lineno == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(f.strip() for f in fields) != HEADER:
                raise _fail(path, lineno, "expected the header row '" + "\\t".join(HEADER) + "'")
            header_seen = True
            continue
        if len(fields) == len(HEADER) - 1:
            fields.append("")  # the note may be left off, trailing tab and all
        if len(fields) != len(HEADER):
            raise _fail(path, lineno, f"expected {len(HEADER)} tab-separated fields, found {len(fields)}")
        spun, canonical, kind, weight_s, profile, note = fields
        if not spun:
            raise _fail(path, lineno, "empty 'spun' field")
        if spun != spun.strip() or canonical != canonical.strip():
            raise _fail(path, lineno, "leading or trailing whitespace in 'spun' or 'canonical'")
        if kind not in KINDS:
            raise _fail(path, lineno, f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        if kind == "spam" and canonical:
            raise _fail(path, lineno, "a spam row must have an empty 'canonical' (spam is removed)")
        if kind != "spam" and not canonical:
            raise _fail(path, lineno, f"empty 'canonical' field in a {kind} row")
        if spun == canonical:
            raise _fail(path, lineno, "'spun' and 'canonical' are the same")
        if not _WEIGHT.fullmatch(weight_s):
            raise _fail(path, lineno, f"weight {weight_s!r} is not a number such as 0.9")
        weight = float(weight_s)
        if not 0.0 <= weight <= 1.0:
            raise _fail(path, lineno, f"weight {weight_s} is outside [0, 1]")
        problem = profile_problem(profile)
        if problem:
            raise _fail(path, lineno, problem)
        row = GlossaryRow(spun, canonical, kind, weight, profile, note, f"{path}:{lineno}")
        if row.key in seen:
            raise _fail(path, lineno, f"duplicate row {spun}→{canonical} ({profile}); first at line {seen[row.key]}")
        seen[row.key] = lineno
        rows.append(row)
    if not header_seen:
        raise _fail(path, 1, "no header row; a glossary starts with '" + "\\t".join(HEADER) + "'")
    return rows


def data_rows(path: PathLike, header: Tuple[str, ...], optional_last: bool = False):
    """(path, line number, fields) of each row of one of our TSV data files.

    Blank lines and lines starting with ``#`` are skipped; the first other
    line must be ``header``; every row must have as many fields (the last may
    be left off when ``optional_last``).  Errors name path:line.
    """
    p = os.fspath(path)
    try:
        fh = open(p, encoding="utf-8")
    except OSError as exc:
        raise GlossaryError(f"{p}: cannot read: {exc.strerror or exc}") from None
    with fh:
        seen_header = False
        try:
            for lineno, line in enumerate(fh, start=1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.split("\t")
                if not seen_header:
                    if tuple(fields) != header:
                        raise GlossaryError(f"{p}:{lineno}: expected the header row '" + "\\t".join(header) + "'")
                    seen_header = True
                    continue
                if optional_last and len(fields) == len(header) - 1:
                    fields.append("")
                if len(fields) != len(header):
                    raise GlossaryError(f"{p}:{lineno}: expected {len(header)} tab-separated fields, "
                                        f"found {len(fields)}")
                yield p, lineno, fields
        except UnicodeDecodeError:
            raise GlossaryError(f"{p}: not valid UTF-8") from None


def profile_problem(profile: str) -> Optional[str]:
    """Why ``profile`` cannot name a word map in a glossary, or None."""
    if not profile:
        return "empty 'profile' field"
    if profile == RESERVED_PROFILE:
        return f"profile {profile!r} is reserved for the thesaurus spinner; name yours otherwise"
    if profile != profile.strip() or any(c in profile for c in "\t\r\n"):
        return f"profile {profile!r} has a tab, a line break or surrounding spaces"
    return None


def read_file(path: PathLike) -> List[GlossaryRow]:
    p = os.fspath(path)
    try:
        with open(p, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise GlossaryError(f"{p}: cannot read glossary: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError(f"{p}:{line}: glossary is not valid UTF-8") from None
    return parse_rows(text, p)


def data_path(name: str) -> Path:
    """Path of a file shipped in the package's data directory.

    In a wheel the repository's ``data/`` is installed as ``textrepair/data``;
    in a source checkout (editable install, tests) it is found at the top.
    """
    try:
        packaged = resources.files("textrepair") / "data" / name
        if packaged.is_file():
            return Path(str(packaged))
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        pass
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "data" / name
        if candidate.is_file() and (parent / "pyproject.toml").is_file():
            return candidate
    raise FileNotFoundError(f"textrepair data file {name!r} not found")


BUILTIN_FILES = ("glossary.tsv", "spinner-b.tsv", "spam.tsv")
ANY_PROFILE = "any"  # rows of this profile (spam) belong to every profile


def builtin_paths() -> List[Path]:
    return [data_path(name) for name in BUILTIN_FILES]


class Glossary:
    """Merged rows of one or more glossary files, indexed for lookup.

    Immutable after construction, so one instance is shared across threads.
    """

    def __init__(self, rows: Iterable[GlossaryRow]):
        merged: Dict[Tuple[str, str, str], GlossaryRow] = {}
        for row in rows:
            merged[row.key] = row  # later files override earlier ones
        self.rows: Tuple[GlossaryRow, ...] = tuple(r for r in merged.values() if r.weight > 0)
        by_spun: Dict[str, List[GlossaryRow]] = {}
        by_canonical: Dict[str, List[GlossaryRow]] = {}
        for r in self.rows:
            by_spun.setdefault(r.spun, []).append(r)
            if r.canonical:
                by_canonical.setdefault(r.canonical, []).append(r)
        self.by_spun = {k: tuple(v) for k, v in by_spun.items()}
        self.by_canonical = {k: tuple(v) for k, v in by_canonical.items()}
        self.profiles = tuple(sorted({r.profile for r in self.rows if r.profile != ANY_PROFILE}))

    @classmethod
    def load(cls, paths: Optional[Iterable[PathLike]] = None, *, builtin: bool = True) -> "Glossary":
        rows: List[GlossaryRow] = []
        if builtin:
            for path in builtin_paths():
                rows.extend(read_file(path))
        for p in paths or ():
            rows.extend(read_file(p))
        return cls(rows)

    def __len__(self) -> int:
        return len(self.rows)
