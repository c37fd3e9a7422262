/* textrepair._route – the tokenizer's best-route search in C (optional), and
 * the scans for glossary strings and terms (candidates.Matcher, TermLexicon.find,
 * propose_terms).
 *
 * tokenizer.Tokenizer._route_py is the reference: jieba's get_DAG and calc in
 * one backward pass.  This is the same loop, operation for operation, so the
 * routes are identical: the scores are the same double-precision sums of the
 * same libm log values, and ties go to the longer word in the same way.  What
 * differs is the lookup.  The Python loop slices and hashes a new string for
 * every probe of jieba's dictionary; here the dictionary is copied once into
 * a hash table of code points, and a probe extends a rolling hash by one
 * character.  On clean text the route was about 40% of a repair.
 *
 * Without a compiler the package uses the Python loop, with the same results
 * (tests/test_stages.py compares the two on every shipped text).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "_table.h"

#define TABLE_FORMAT 1              /* of the pickled buffers; part of the cache key */

/* A read-only {str: int} mapping, jieba's FREQ, kept as three buffers (bytes
 * objects, so that pickling it is writing them): the entries in the dict's
 * order, an open-addressing index of them, and the keys' code points (see
 * _table.h).  A fifth of the memory of the dict it copies, which can then be
 * dropped. */
typedef struct {
    PyObject_HEAD
    PyObject *entries_buf, *slots_buf, *chars_buf;
    TableView view;
} Table;

static const Entry *find(const Table *t, uint64_t h, const Py_UCS4 *s, Py_ssize_t len)
{
    return view_find(&t->view, h, s, len);
}

/* The entry of a str key, or NULL (no error set) when it is not in the table. */
static const Entry *find_key(const Table *t, PyObject *key)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(key);
    Py_UCS4 stack[32];
    Py_UCS4 *s = len <= 32 ? stack : PyMem_Malloc((size_t)len * sizeof(Py_UCS4));
    if (s == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    uint64_t h = HASH_SEED;
    for (Py_ssize_t j = 0; j < len; j++) {
        s[j] = PyUnicode_READ(kind, data, j);
        h = extend(h, s[j]);
    }
    const Entry *e = find(t, h, s, len);
    if (s != stack)
        PyMem_Free(s);
    return e;
}

static PyTypeObject TableType;

static int table_set_buffers(Table *t, PyObject *entries, PyObject *slots, PyObject *chars)
{
    if (view_set(&t->view, entries, slots, chars) < 0) {
        PyErr_SetString(PyExc_ValueError, "not a textrepair._route.Table");
        return -1;
    }
    Py_INCREF(entries);
    Py_INCREF(slots);
    Py_INCREF(chars);
    t->entries_buf = entries;
    t->slots_buf = slots;
    t->chars_buf = chars;
    return 0;
}

static void table_dealloc(Table *t)
{
    Py_XDECREF(t->entries_buf);
    Py_XDECREF(t->slots_buf);
    Py_XDECREF(t->chars_buf);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

/* Table(freq): a copy of a {str: int} dict (for the tokenizer, every word and
 * every prefix of one; the values are frequencies, 0 for a prefix only).
 * Values must be ints in [0, 2**32). */
static PyObject *table_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *freq;
    static char *kwlist[] = {"freq", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!", kwlist, &PyDict_Type, &freq))
        return NULL;
    Py_ssize_t n = PyDict_GET_SIZE(freq), total = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(freq, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyLong_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "a Table holds str keys and int values");
            return NULL;
        }
        total += PyUnicode_GET_LENGTH(key);
    }
    if (n >= (Py_ssize_t)(UINT32_MAX / 4) || total >= (Py_ssize_t)UINT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "dictionary too large for a Table");
        return NULL;
    }
    uint64_t capacity = 16;
    while (capacity < (uint64_t)n * 2)
        capacity <<= 1;
    PyObject *entries_buf = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof(Entry) * n);
    PyObject *slots_buf = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(sizeof(uint32_t) * capacity));
    PyObject *chars_buf = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof(Py_UCS4) * total);
    Table *t = NULL;
    if (entries_buf == NULL || slots_buf == NULL || chars_buf == NULL)
        goto fail;
    Entry *entries = (Entry *)PyBytes_AS_STRING(entries_buf);
    uint32_t *slots = (uint32_t *)PyBytes_AS_STRING(slots_buf);
    Py_UCS4 *chars = (Py_UCS4 *)PyBytes_AS_STRING(chars_buf);
    memset(slots, 0, sizeof(uint32_t) * capacity);
    uint32_t n_chars = 0, k = 0;
    pos = 0;
    while (PyDict_Next(freq, &pos, &key, &value)) {
        unsigned long long v = PyLong_AsUnsignedLongLong(value);
        if (PyErr_Occurred() || v > UINT32_MAX) {
            PyErr_Clear();
            PyErr_SetString(PyExc_OverflowError, "a Table's values are ints in [0, 2**32)");
            goto fail;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        if (PyUnicode_AsUCS4(key, chars + n_chars, len, 0) == NULL)
            goto fail;
        uint64_t h = HASH_SEED;
        for (Py_ssize_t j = 0; j < len; j++)
            h = extend(h, chars[n_chars + j]);
        entries[k] = (Entry){(uint32_t)(h >> 32), n_chars, (uint32_t)len, (uint32_t)v};
        uint64_t i = slot_of(h) & (capacity - 1);
        while (slots[i] != 0)
            i = (i + 1) & (capacity - 1);  /* dict keys are distinct: no duplicate to find */
        slots[i] = k + 1;
        k++;
        n_chars += (uint32_t)len;
    }
    t = (Table *)type->tp_alloc(type, 0);
    if (t == NULL || table_set_buffers(t, entries_buf, slots_buf, chars_buf) < 0)
        goto fail;
    Py_DECREF(entries_buf);
    Py_DECREF(slots_buf);
    Py_DECREF(chars_buf);
    return (PyObject *)t;
fail:
    Py_XDECREF(t);
    Py_XDECREF(entries_buf);
    Py_XDECREF(slots_buf);
    Py_XDECREF(chars_buf);
    return NULL;
}

/* _restore(format, entries, slots, chars): a pickled Table. */
static PyObject *table_restore(PyObject *Py_UNUSED(self), PyObject *args)
{
    int format;
    PyObject *entries, *slots, *chars;
    if (!PyArg_ParseTuple(args, "iSSS", &format, &entries, &slots, &chars))
        return NULL;
    if (format != TABLE_FORMAT) {
        PyErr_SetString(PyExc_ValueError, "a Table pickled by another version of textrepair._route");
        return NULL;
    }
    Table *t = (Table *)TableType.tp_alloc(&TableType, 0);
    if (t == NULL)
        return NULL;
    if (table_set_buffers(t, entries, slots, chars) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    return (PyObject *)t;
}

static PyObject *restore_function;  /* the module's _restore, for __reduce__ */

static PyObject *table_reduce(Table *t, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("O(iOOO)", restore_function, TABLE_FORMAT, t->entries_buf, t->slots_buf, t->chars_buf);
}

static PyObject *entry_key(const Table *t, const Entry *e)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, t->view.chars + e->offset, e->length);
}

static Py_ssize_t table_length(Table *t)
{
    return t->view.n_entries;
}

static PyObject *table_subscript(Table *t, PyObject *key)
{
    const Entry *e = PyUnicode_Check(key) ? find_key(t, key) : NULL;
    if (e == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, key);
        return NULL;
    }
    return PyLong_FromUnsignedLong(e->value);
}

static int table_contains(Table *t, PyObject *key)
{
    if (!PyUnicode_Check(key))
        return 0;
    const Entry *e = find_key(t, key);
    if (e == NULL && PyErr_Occurred())
        return -1;
    return e != NULL;
}

static PyObject *table_get(Table *t, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "get(key, default=None)");
        return NULL;
    }
    const Entry *e = PyUnicode_Check(args[0]) ? find_key(t, args[0]) : NULL;
    if (e != NULL)
        return PyLong_FromUnsignedLong(e->value);
    if (PyErr_Occurred())
        return NULL;
    return Py_NewRef(nargs == 2 ? args[1] : Py_None);
}

/* keys() and items(): lists, in the order of the dict the table was made from */
static PyObject *table_list(Table *t, int items)
{
    PyObject *out = PyList_New(t->view.n_entries);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < t->view.n_entries; k++) {
        const Entry *e = &t->view.entries[k];
        PyObject *key = entry_key(t, e), *item = key;
        if (key != NULL && items) {
            item = Py_BuildValue("(Nk)", key, (unsigned long)e->value);
        }
        if (item == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k, item);
    }
    return out;
}

static PyObject *table_keys(Table *t, PyObject *Py_UNUSED(ignored))
{
    return table_list(t, 0);
}

static PyObject *table_items(Table *t, PyObject *Py_UNUSED(ignored))
{
    return table_list(t, 1);
}

static PyObject *table_iter(Table *t)
{
    PyObject *keys = table_list(t, 0);
    if (keys == NULL)
        return NULL;
    PyObject *it = PyObject_GetIter(keys);
    Py_DECREF(keys);
    return it;
}

/* The best route over the n code points s: fills score[0..n] and ends[0..n].
 * (The values are ints >= 0, so math.log never fails here: no error path.) */
static void search(const Table *table, const Py_UCS4 *s, Py_ssize_t n, double logtotal,
                  double *score, Py_ssize_t *ends)
{
    for (Py_ssize_t k = n - 1; k >= 0; k--) {
        int found = 0;
        double best = 0.0, lf;
        Py_ssize_t end = k;
        uint64_t h = HASH_SEED;
        for (Py_ssize_t i = k; i < n; i++) {
            h = extend(h, s[i]);
            const Entry *e = find(table, h, s + k, i - k + 1);
            if (e == NULL)
                break;  /* no word starts with s[k..i]: no longer one either */
            if (e->value != 0) {
                lf = log((double)e->value);
                double sc = lf - logtotal + score[i + 1];
                if (!found || sc >= best) {
                    best = sc;
                    end = i;
                    found = 1;
                }
            }
        }
        if (!found) {
            /* log(freq.get(sentence[k]) or 1) - logtotal + score[k + 1] */
            const Entry *e = find(table, extend(HASH_SEED, s[k]), s + k, 1);
            lf = e != NULL && e->value != 0 ? log((double)e->value) : 0.0;
            best = lf - logtotal + score[k + 1];
            end = k;
        }
        score[k] = best;
        ends[k] = end;
    }
}

/* The sentence's code points and two arrays of n + 1 for the search, or -1. */
static int prepare(PyObject *sentence, Py_UCS4 **s, double **score, Py_ssize_t **ends)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    *s = PyUnicode_AsUCS4Copy(sentence);
    *score = PyMem_Calloc((size_t)n + 1, sizeof(double));
    *ends = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    if (*s == NULL || *score == NULL || *ends == NULL) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* route(sentence, table, logtotal) -> (scores, ends), as Tokenizer._route_py. */
static PyObject *route(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *sentence;
    Table *table;
    double logtotal;
    if (!PyArg_ParseTuple(args, "UO!d", &sentence, &TableType, &table, &logtotal))
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    Py_UCS4 *s = NULL;
    double *score = NULL;
    Py_ssize_t *ends = NULL;
    PyObject *scores = NULL, *end_list = NULL, *result = NULL;
    if (prepare(sentence, &s, &score, &ends) < 0)
        goto done;
    search(table, s, n, logtotal, score, ends);
    scores = PyList_New(n + 1);
    end_list = PyList_New(n + 1);
    if (scores == NULL || end_list == NULL)
        goto done;
    for (Py_ssize_t k = 0; k <= n; k++) {
        /* the Python version leaves the int 0 after the last character */
        PyObject *sc = k == n ? PyLong_FromLong(0) : PyFloat_FromDouble(score[k]);
        PyObject *e = PyLong_FromSsize_t(ends[k]);
        if (sc == NULL || e == NULL) {
            Py_XDECREF(sc);
            Py_XDECREF(e);
            goto done;
        }
        PyList_SET_ITEM(scores, k, sc);
        PyList_SET_ITEM(end_list, k, e);
    }
    result = PyTuple_Pack(2, scores, end_list);
done:
    Py_XDECREF(scores);
    Py_XDECREF(end_list);
    PyMem_Free(s);
    PyMem_Free(score);
    PyMem_Free(ends);
    return result;
}

static int is_ascii_alnum(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A new token_type(start, end, text): token_type is a tuple subclass with no
 * fields of its own (tokenizer.Token, a NamedTuple), so it is allocated and
 * filled as tuple.__new__ would, without calling its Python __new__. */
static PyObject *new_token(PyTypeObject *token_type, Py_ssize_t start, Py_ssize_t end, PyObject *text)
{
    PyObject *a = PyLong_FromSsize_t(start), *b = PyLong_FromSsize_t(end);
    PyObject *token = NULL;
    if (a != NULL && b != NULL)
        token = token_type->tp_alloc(token_type, 3);
    if (token == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    Py_INCREF(text);
    PyTuple_SET_ITEM(token, 0, a);
    PyTuple_SET_ITEM(token, 1, b);
    PyTuple_SET_ITEM(token, 2, text);
    return token;
}

/* Append token_type(start, end, text[start:end]) to out. */
static int append_token(PyObject *out, PyTypeObject *token_type, PyObject *text, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *word = PyUnicode_Substring(text, start, end);
    if (word == NULL)
        return -1;
    PyObject *token = new_token(token_type, start, end, word);
    Py_DECREF(word);
    if (token == NULL)
        return -1;
    int rc = PyList_Append(out, token);
    Py_DECREF(token);
    return rc;
}

static int is_han_block_char(Py_UCS4 c)
{
    /* jieba's re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-] */
    return (c >= 0x4E00 && c <= 0x9FD5) || is_ascii_alnum(c) || c == '+' || c == '#' || c == '&' ||
           c == '.' || c == '_' || c == '%' || c == '-';
}

/* Append the route's words of text[start:end] (a block of jieba's
 * re_han_default) as tokens. */
static int block_tokens(PyObject *text, const Py_UCS4 *chars, Py_ssize_t start, Py_ssize_t end,
                        const Table *table, double logtotal, PyObject *out, PyTypeObject *token_type)
{
    Py_ssize_t n = end - start;
    const Py_UCS4 *s = chars + start;
    double *score = PyMem_Calloc((size_t)n + 1, sizeof(double));
    Py_ssize_t *ends = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    int rc = -1;
    if (score == NULL || ends == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    search(table, s, n, logtotal, score, ends);
    Py_ssize_t x = 0, buf = -1;  /* buf: start of a run of single ASCII letters and digits */
    while (x < n) {
        Py_ssize_t y = ends[x] + 1;
        if (y - x == 1 && is_ascii_alnum(s[x])) {
            if (buf < 0)
                buf = x;
        } else {
            if (buf >= 0 && append_token(out, token_type, text, start + buf, start + x) < 0)
                goto done;
            buf = -1;
            if (append_token(out, token_type, text, start + x, start + y) < 0)
                goto done;
        }
        x = y;
    }
    if (buf >= 0 && append_token(out, token_type, text, start + buf, end) < 0)
        goto done;
    rc = 0;
done:
    PyMem_Free(score);
    PyMem_Free(ends);
    return rc;
}

/* The code points of text and an empty list for the results, or -1 with an
 * error set; close_scan frees them, and hands the list back if ok. */
static int open_scan(PyObject *text, Py_UCS4 **s, PyObject **out)
{
    *s = PyUnicode_AsUCS4Copy(text);
    *out = *s != NULL ? PyList_New(0) : NULL;
    return *out != NULL ? 0 : -1;
}

static PyObject *close_scan(Py_UCS4 *s, PyObject *out, int ok)
{
    PyMem_Free(s);
    if (!ok) {
        Py_XDECREF(out);
        return NULL;
    }
    return out;
}

/* tokenize(text, table, logtotal, token_type) -> [token_type(start, end, word)]:
 * Tokenizer.tokenize_py, that is jieba's cut(text, HMM=False) with spans.
 * Blocks of re_han_default are cut by the best route; between them, each
 * character is a token, but for "\r\n" (jieba's re_skip_default splits
 * the rest on (\r\n|\s), which leaves one character per piece). */
static PyObject *tokenize(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    Table *table;
    double logtotal;
    PyTypeObject *token_type;
    if (!PyArg_ParseTuple(args, "UO!dO!", &text, &TableType, &table, &logtotal, &PyType_Type, &token_type))
        return NULL;
    if (!PyType_IsSubtype(token_type, &PyTuple_Type) || token_type->tp_basicsize != PyTuple_Type.tp_basicsize ||
        token_type->tp_dictoffset != 0) {
        PyErr_SetString(PyExc_TypeError, "token_type must be a tuple subclass without fields of its own");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_UCS4 *s;
    PyObject *out;
    if (open_scan(text, &s, &out) < 0)
        goto fail;
    Py_ssize_t i = 0;
    while (i < n) {
        if (is_han_block_char(s[i])) {
            Py_ssize_t j = i + 1;
            while (j < n && is_han_block_char(s[j]))
                j++;
            if (block_tokens(text, s, i, j, table, logtotal, out, token_type) < 0)
                goto fail;
            i = j;
        } else {
            Py_ssize_t j = (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ? i + 2 : i + 1;
            if (append_token(out, token_type, text, i, j) < 0)
                goto fail;
            i = j;
        }
    }
    return close_scan(s, out, 1);
fail:
    return close_scan(s, out, 0);
}

/* A text read in place, with room for the key being probed. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n, cap;
    Py_UCS4 *key, stack[64];
} Scan;

static void scan_open(Scan *sc, PyObject *text)
{
    sc->kind = PyUnicode_KIND(text);
    sc->data = PyUnicode_DATA(text);
    sc->n = PyUnicode_GET_LENGTH(text);
    sc->key = sc->stack;
    sc->cap = 64;
}

static void scan_close(Scan *sc)
{
    if (sc->key != sc->stack)
        PyMem_Free(sc->key);
}

/* The end of the longest key of the table with a true value that starts at
 * ``pos``, or 0 (-1 when out of memory); the table holds those keys and
 * every prefix of one (value 0), so the probe stops where nothing starts. */
static Py_ssize_t longest_key(const Table *table, Scan *sc, Py_ssize_t pos)
{
    Py_ssize_t end = 0;
    uint64_t h = HASH_SEED;
    for (Py_ssize_t k = pos; k < sc->n; k++) {
        if (k - pos >= sc->cap) {  /* a key longer than the room: more room */
            Py_UCS4 *bigger = PyMem_Malloc((size_t)sc->cap * 2 * sizeof(Py_UCS4));
            if (bigger == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            memcpy(bigger, sc->key, (size_t)sc->cap * sizeof(Py_UCS4));
            scan_close(sc);
            sc->key = bigger;
            sc->cap *= 2;
        }
        sc->key[k - pos] = PyUnicode_READ(sc->kind, sc->data, k);
        h = extend(h, sc->key[k - pos]);
        const Entry *e = find(table, h, sc->key, k - pos + 1);
        if (e == NULL)
            break;
        if (e->value != 0)
            end = k + 1;
    }
    return end;
}

static int append_span(PyObject *out, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *span = Py_BuildValue("(nn)", start, end);
    int rc = span == NULL ? -1 : PyList_Append(out, span);
    Py_XDECREF(span);
    return rc;
}

/* The spans of longest_key at every position in [lo, hi), or, ``skip``, at
 * each position after the last span (leftmost-longest, not overlapping). */
static PyObject *longest_spans(PyObject *text, Py_ssize_t lo, Py_ssize_t hi, Table *table, int skip)
{
    Scan sc;
    scan_open(&sc, text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t pos = lo > 0 ? lo : 0; pos < (hi < sc.n ? hi : sc.n);) {
        Py_ssize_t end = longest_key(table, &sc, pos);
        if (end < 0 || (end && append_span(out, pos, end) < 0)) {
            Py_CLEAR(out);
            break;
        }
        pos = skip && end ? end : pos + 1;
    }
    scan_close(&sc);
    return out;
}

/* longest_matches(text, table) -> [(start, end), ...]: at each position the
 * longest key of the table with a true value that starts there, scanning on
 * after it.  As terms.TermLexicon.find_py. */
static PyObject *longest_matches(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    Table *table;
    if (!PyArg_ParseTuple(args, "UO!", &text, &TableType, &table))
        return NULL;
    return longest_spans(text, 0, PyUnicode_GET_LENGTH(text), table, 1);
}

/* longest_at_each(text, lo, hi, table) -> [(start, end), ...]: the same at
 * every position in [lo, hi) (overlapping; a match may end past hi).  As
 * candidates.Matcher.find_all_py, a regex alternation of the keys, longest
 * first, searched again from each match's start + 1. */
static PyObject *longest_at_each(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    Py_ssize_t lo, hi;
    Table *table;
    if (!PyArg_ParseTuple(args, "UnnO!", &text, &lo, &hi, &TableType, &table))
        return NULL;
    return longest_spans(text, lo, hi, table, 0);
}

/* One key of up to 16 code points: its entry in the table, or NULL. */
static const Entry *find_points(const Table *t, const Py_UCS4 *key, Py_ssize_t len)
{
    return view_get(&t->view, key, len);
}

/* swap_windows(text, lo, hi, chars, slots, guards, index) -> [(start, end, i, found), ...]
 * The windows one spinner swap from a term, as terms.propose_terms scans
 * them (see there): for each position k in [lo, hi) whose character c the
 * spinner writes, each (length, i, guard_at) place of the swap, in order,
 * whose guard character passes and whose wildcarded window is a key of the
 * index.  ``chars`` maps c to its place in ``ranges`` (first slot, count);
 * ``slots`` holds (length, i, guard_at) triples and ``guards`` the keys
 * c + chr(length) + chr(i) + guard character; ``found`` is the index's value. */
static PyObject *swap_windows(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *ranges, *slots;
    Py_ssize_t lo, hi;
    Table *chars, *guards, *index;
    if (!PyArg_ParseTuple(args, "UnnO!SSO!O!", &text, &lo, &hi, &TableType, &chars, &ranges, &slots,
                          &TableType, &guards, &TableType, &index))
        return NULL;
    /* (read in place: the pipeline scans a block's text line by line) */
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const uint32_t *range = (const uint32_t *)PyBytes_AS_STRING(ranges);
    const uint32_t *slot = (const uint32_t *)PyBytes_AS_STRING(slots);
    Py_ssize_t n_ranges = PyBytes_GET_SIZE(ranges) / (Py_ssize_t)(2 * sizeof(uint32_t));
    Py_ssize_t n_slots = PyBytes_GET_SIZE(slots) / (Py_ssize_t)(3 * sizeof(uint32_t));
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    if (lo < 0)
        lo = 0;
    if (hi > n)
        hi = n;
    for (Py_ssize_t k = lo; k < hi; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        const Entry *e = find_points(chars, &c, 1);
        if (e == NULL)
            continue;
        if ((Py_ssize_t)e->value >= n_ranges) {
            PyErr_SetString(PyExc_ValueError, "swap_windows: a character's slots are out of range");
            goto fail;
        }
        uint32_t first = range[2 * e->value], count = range[2 * e->value + 1];
        for (uint32_t j = first; j < first + count; j++) {
            if ((Py_ssize_t)j >= n_slots) {
                PyErr_SetString(PyExc_ValueError, "swap_windows: a slot is out of range");
                goto fail;
            }
            Py_ssize_t length = slot[3 * j], i = slot[3 * j + 1], guard_at = slot[3 * j + 2];
            Py_ssize_t start = k - i;
            if (start < 0 || start + length > n || length > 16 || guard_at >= length || i >= length)
                continue;
            Py_UCS4 key[16] = {c, (Py_UCS4)length, (Py_UCS4)i, PyUnicode_READ(kind, data, start + guard_at)};
            if (find_points(guards, key, 4) == NULL)
                continue;
            for (Py_ssize_t x = 0; x < length; x++)
                key[x] = x == i ? 0 : PyUnicode_READ(kind, data, start + x);
            const Entry *hit = find_points(index, key, length);
            if (hit == NULL)
                continue;
            PyObject *item = Py_BuildValue("(nnnk)", start, start + length, i, (unsigned long)hit->value);
            if (item == NULL || PyList_Append(out, item) < 0) {
                Py_XDECREF(item);
                goto fail;
            }
            Py_DECREF(item);
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef table_methods[] = {
    {"get", (PyCFunction)(void (*)(void))table_get, METH_FASTCALL, "get(key, default=None)"},
    {"keys", (PyCFunction)table_keys, METH_NOARGS, "keys($self, /)\n--\n\nthe keys, as a list"},
    {"items", (PyCFunction)table_items, METH_NOARGS, "items($self, /)\n--\n\nthe (key, value) pairs, as a list"},
    {"__reduce__", (PyCFunction)table_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMappingMethods table_as_mapping = {
    .mp_length = (lenfunc)table_length,
    .mp_subscript = (binaryfunc)table_subscript,
};

static PySequenceMethods table_as_sequence = {
    .sq_contains = (objobjproc)table_contains,
};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "textrepair._route.Table",
    .tp_basicsize = sizeof(Table),
    .tp_dealloc = (destructor)table_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Table(freq)\n--\n\na read-only copy of a {str: int} dict (jieba's FREQ) for the route search.",
    .tp_new = table_new,
    .tp_methods = table_methods,
    .tp_as_mapping = &table_as_mapping,
    .tp_as_sequence = &table_as_sequence,
    .tp_iter = (getiterfunc)table_iter,
};

static PyMethodDef methods[] = {
    {"_restore", table_restore, METH_VARARGS, "_restore($module, format, entries, slots, chars, /)\n--\n\na pickled Table."},
    {"route", route, METH_VARARGS,
     "route($module, sentence, table, logtotal, /)\n--\n\n(scores, ends): jieba's best route, as Tokenizer._route_py."},
    {"tokenize", tokenize, METH_VARARGS,
     "tokenize($module, text, table, logtotal, token_type, /)\n--\n\n[token_type(start, end, word)], as Tokenizer.tokenize_py."},
    {"longest_at_each", longest_at_each, METH_VARARGS,
     "longest_at_each($module, text, lo, hi, table, /)\n--\n\n"
     "[(start, end)]: the longest key of the table starting at each position, as candidates.Matcher.find_all_py."},
    {"swap_windows", swap_windows, METH_VARARGS,
     "swap_windows($module, text, lo, hi, chars, ranges, slots, guards, index, /)\n--\n\n"
     "[(start, end, i, found)]: the windows one spinner swap from a term, as terms.propose_terms_py."},
    {"longest_matches", longest_matches, METH_VARARGS,
     "longest_matches($module, text, table, /)\n--\n\n[(start, end)]: leftmost-longest keys of the table, as terms' find."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_route",
    .m_doc = "The tokenizer's best-route search in C (optional; see tokenizer.py).",
    .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC PyInit__route(void)
{
    if (PyType_Ready(&TableType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&TableType);
    if (PyModule_AddObject(m, "Table", (PyObject *)&TableType) < 0) {
        Py_DECREF(&TableType);
        Py_DECREF(m);
        return NULL;
    }
    restore_function = PyObject_GetAttrString(m, "_restore");
    if (restore_function == NULL || PyModule_AddIntConstant(m, "TABLE_FORMAT", TABLE_FORMAT) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
