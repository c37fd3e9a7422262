"""A bounded fuzz target: arbitrary bytes through the whole file path
(decode → repair → encode), as `textrepair fix` runs it.  Every input either
comes back repaired with the line structure intact, or is refused with an
InputError (a one-line message, exit 2 in the CLI); nothing else escapes.

CI runs it for TEXTREPAIR_FUZZ_EXAMPLES inputs (default 400)."""
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textrepair.textio import InputError, decode

EXAMPLES = int(os.environ.get("TEXTREPAIR_FUZZ_EXAMPLES", "400"))

chinese = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=30)
encoded = st.tuples(chinese, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])).map(
    lambda t: t[0].encode(t[1], errors="ignore"))
inputs = st.one_of(st.binary(max_size=300), encoded,
                   st.lists(st.one_of(encoded, st.binary(max_size=8), st.sampled_from([b"\n", b"\r\n", b"\r"])),
                            max_size=12).map(b"".join))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs)
def test_bytes_in_repaired_or_refused(repairer, data):
    try:
        tf = decode(data, "fuzz")
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz")
        return
    result = repairer.repair(tf.text)
    for sep in ("\r\n", "\n", "\r"):
        assert result.text.count(sep) == tf.text.count(sep)
    try:
        out = tf.render(result.text)
    except InputError as exc:  # a replacement the input's encoding cannot hold: refused, not mangled
        assert "cannot be written" in str(exc)
        return
    if not result.repairs:
        assert out == data  # byte for byte when nothing changed, whatever the encoding
