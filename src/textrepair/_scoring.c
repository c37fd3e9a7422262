/* textrepair._scoring – the context pass of the scoring stage in C (optional).
 *
 * context.ContextScorer.fit_evidences and scoring._word_readings are the
 * reference: how well each reading of a spun token fits the decoded text
 * around it (collocations, dictionary compounds, word bigrams, names), and
 * the noisy channel that turns the fits and the priors into confidences.
 * On a spun page that is half of a repair, and in Python each token costs
 * some thirty dictionary probes, slices and small tuples.  This is the same
 * computation, operation for operation: the same lookups in the same Python
 * dicts the reference reads, the same double-precision arithmetic in the
 * same order, the same libm exp, log and log1p.  So the results are
 * identical (tests/test_stages.py compares the two on every shipped text).
 * What differs is that the windows of text are compared as code points in
 * place, without making a string per slice.
 *
 * The constants are passed in from context.py and scoring.py, where they are
 * defined and documented; nothing of the model is written down twice.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

#include "_table.h"

/* context.py's constants, in the order context._c_constants() gives them */
typedef struct {
    Py_ssize_t window, usual_phrase_context;
    double collocation_bonus, phrase_char_bonus, compound_weight, compound_scale, compound_clip,
        name_bonus, bigram_weight, bigram_clip, bigram_smoothing, reading_max, keep_min;
} Constants;

/* The context model's lookups, shared by every block (context.c_table_parts):
 * collocations and compounds by the word and the character beside it, and
 * the bigram model's counts, each a table of code points (_table.h). */
typedef struct {
    PyObject_HEAD
    PyObject *buffers;            /* the bytes the views point into */
    int has_collocations, has_compounds, has_counts;
    TableView colloc;             /* word \1 c, word \2 c, word \3 -> records */
    const uint32_t *colloc_rec;
    Py_ssize_t n_colloc_rec;
    const Py_UCS4 *colloc_chars;
    Py_ssize_t n_colloc_chars;
    TableView compound;           /* the same, and word \3 -> 0 (no compound) or 1 */
    const uint32_t *compound_rec;
    Py_ssize_t n_compound_rec;
    const Py_UCS4 *compound_chars;
    Py_ssize_t n_compound_chars;
    PyObject *compounds;          /* list of str */
    double *compound_freq;        /* each one's dictionary frequency */
    TableView counts;             /* word -> count, a \0 b -> count */
    double total;
} Tables;

/* A ContextScorer bound to one block of text (ContextScorer.bind). */
typedef struct {
    PyObject_HEAD
    Constants k;
    PyObject *text;            /* the block */
    int kind;
    const void *data;
    Py_ssize_t length;
    Py_ssize_t n_repairs;      /* the first pass's repairs, by start */
    Py_ssize_t *starts, *ends;
    PyObject *replacements;    /* list of str */
    PyObject *tokens;          /* list of Token tuples (start, end, text), or NULL */
    Py_ssize_t n_tokens;
    PyObject *token_repl;      /* {token index: replacement} */
    Py_ssize_t n_names;        /* names written out, sorted (start, end) */
    Py_ssize_t *name_starts, *name_ends;
    Tables *tables;
    PyObject *freq;            /* the dictionary frequency function, or NULL */
    PyObject *search_compound; /* ContextScorer._search_compound, for words the index lacks */
} Context;

static PyObject *empty_str;   /* "" */
static PyObject *no_evidence; /* (0.0, None, 0.0) */
static PyObject *name_prefix; /* "inside the name " */
static PyObject *s_original, *s_replacement, *s_start, *s_end, *s_token_index;

/* -- text as code points -------------------------------------------------- */

/* A growable run of code points, on the stack while it is short. */
typedef struct {
    Py_UCS4 *p;
    Py_ssize_t len, cap;
    Py_UCS4 stack[64];
} Run;

static void run_init(Run *r)
{
    r->p = r->stack;
    r->len = 0;
    r->cap = 64;
}

static void run_free(Run *r)
{
    if (r->p != r->stack)
        PyMem_Free(r->p);
}

static int run_reserve(Run *r, Py_ssize_t more)
{
    if (r->len + more <= r->cap)
        return 0;
    Py_ssize_t cap = (r->len + more) * 2;
    Py_UCS4 *p = PyMem_Malloc((size_t)cap * sizeof(Py_UCS4));
    if (p == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(p, r->p, (size_t)r->len * sizeof(Py_UCS4));
    run_free(r);
    r->p = p;
    r->cap = cap;
    return 0;
}

/* Append text[a:b] of the block (nothing when b <= a, as Python slices). */
static int run_add_text(Run *r, const Context *c, Py_ssize_t a, Py_ssize_t b)
{
    if (b <= a)
        return 0;
    if (run_reserve(r, b - a) < 0)
        return -1;
    for (Py_ssize_t i = a; i < b; i++)
        r->p[r->len++] = PyUnicode_READ(c->kind, c->data, i);
    return 0;
}

static int run_add_str(Run *r, PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (run_reserve(r, n) < 0)
        return -1;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++)
        r->p[r->len++] = PyUnicode_READ(kind, data, i);
    return 0;
}

static PyObject *run_str(const Run *r)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, r->p, r->len);
}

static int is_line_break(Py_UCS4 ch)
{
    return ch == '\n' || ch == '\r';
}

/* bisect.bisect_left(a, x) */
static Py_ssize_t bisect_left(const Py_ssize_t *a, Py_ssize_t n, Py_ssize_t x)
{
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ContextScorer._decoded_text: text[a:b] with the repairs inside it applied. */
static int add_decoded(Run *r, const Context *c, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t i = bisect_left(c->starts, c->n_repairs, a), pos = a;
    for (; i < c->n_repairs && c->starts[i] < b; i++) {
        if (c->ends[i] <= b) {
            if (run_add_text(r, c, pos, c->starts[i]) < 0 ||
                run_add_str(r, PyList_GET_ITEM(c->replacements, i)) < 0)
                return -1;
            pos = c->ends[i];
        }
    }
    return run_add_text(r, c, pos, b);
}

/* ContextScorer._window: the decoded text on each side, within the line. */
static int window(const Context *c, Py_ssize_t start, Py_ssize_t end, Run *left, Run *right)
{
    Py_ssize_t lo = start - c->k.window > 0 ? start - c->k.window : 0;
    Py_ssize_t hi = end + c->k.window < c->length ? end + c->k.window : c->length;
    Py_ssize_t i = bisect_left(c->starts, c->n_repairs, lo);
    if (i < c->n_repairs && c->starts[i] < hi) {
        if (add_decoded(left, c, lo, start) < 0 || add_decoded(right, c, end, hi) < 0)
            return -1;
    }
    else if (run_add_text(left, c, lo, start) < 0 || run_add_text(right, c, end, hi) < 0)
        return -1;
    for (Py_ssize_t j = left->len - 1; j >= 0; j--) {
        if (is_line_break(left->p[j])) {
            memmove(left->p, left->p + j + 1, (size_t)(left->len - j - 1) * sizeof(Py_UCS4));
            left->len -= j + 1;
            break;
        }
    }
    for (Py_ssize_t j = 0; j < right->len; j++) {
        if (is_line_break(right->p[j])) {
            right->len = j;
            break;
        }
    }
    return 0;
}

/* ContextScorer._neighbour: the neighbouring word as decoded (borrowed), "" at a line end. */
static PyObject *neighbour(const Context *c, Py_ssize_t i, Py_ssize_t step)
{
    for (Py_ssize_t j = i + step; j >= 0 && j < c->n_tokens; j += step) {
        PyObject *text = PyTuple_GET_ITEM(PyList_GET_ITEM(c->tokens, j), 2);
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        int space = n > 0, breaks = 0;
        for (Py_ssize_t k = 0; k < n; k++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, k);
            if (!Py_UNICODE_ISSPACE(ch))
                space = 0;
            if (is_line_break(ch))
                breaks = 1;
        }
        if (!space) {
            PyObject *key = PyLong_FromSsize_t(j);
            if (key == NULL)
                return NULL;
            PyObject *repl = PyDict_GetItemWithError(c->token_repl, key);
            Py_DECREF(key);
            if (repl != NULL)
                return repl;
            return PyErr_Occurred() ? NULL : text;
        }
        if (breaks)
            return empty_str;
    }
    return empty_str;
}

/* ContextScorer.inside_name: the name written around [start, end), or NULL (no error). */
static PyObject *inside_name(const Context *c, Py_ssize_t start, Py_ssize_t end)
{
    /* bisect_right(names, (start, len(text) + 1)) - 1: the last name starting at or before start */
    Py_ssize_t lo = 0, hi = c->n_names;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (c->name_starts[mid] < start || (c->name_starts[mid] == start && c->name_ends[mid] <= c->length + 1))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (Py_ssize_t i = lo - 1; i >= 0 && c->name_ends[i] >= end; i--) {
        Py_ssize_t s = c->name_starts[i], e = c->name_ends[i];
        if (s <= start && end <= e && !(s == start && e == end))
            return PyUnicode_Substring(c->text, s, e);
    }
    return NULL;
}

/* -- the three kinds of evidence ----------------------------------------- */

/* A word's code points, for keys: the word, then a marker and a character.
 * A word holding a code point below 4 (the markers) is in no table. */
typedef struct {
    Py_UCS4 *p;
    Py_ssize_t len;
    int clean;
    Py_UCS4 stack[48];
} Word;

static int word_init(Word *w, PyObject *s)
{
    w->len = PyUnicode_GET_LENGTH(s);
    w->p = w->len + 2 <= 48 ? w->stack : PyMem_Malloc((size_t)(w->len + 2) * sizeof(Py_UCS4));
    if (w->p == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    w->clean = 1;
    for (Py_ssize_t i = 0; i < w->len; i++) {
        w->p[i] = PyUnicode_READ(kind, data, i);
        if (w->p[i] < 4)
            w->clean = 0;
    }
    return 0;
}

static void word_free(Word *w)
{
    if (w->p != w->stack)
        PyMem_Free(w->p);
}

/* The entry of the word followed by ``marker`` (and ``ch`` unless 0). */
static const Entry *word_key(const TableView *t, Word *w, Py_UCS4 marker, Py_UCS4 ch)
{
    w->p[w->len] = marker;
    w->p[w->len + 1] = ch;
    return view_get(t, w->p, w->len + (ch ? 2 : 1));
}

static int ends_with(const Run *r, const Py_UCS4 *s, Py_ssize_t n)
{
    return n <= r->len && memcmp(r->p + r->len - n, s, (size_t)n * sizeof(Py_UCS4)) == 0;
}

static int starts_with(const Run *r, const Py_UCS4 *s, Py_ssize_t n)
{
    return n <= r->len && memcmp(r->p, s, (size_t)n * sizeof(Py_UCS4)) == 0;
}

/* before + word + after as a str */
static PyObject *joined(const Py_UCS4 *before, Py_ssize_t nb, const Word *w, const Py_UCS4 *after, Py_ssize_t na)
{
    Py_UCS4 stack[96], *buf = nb + w->len + na <= 96 ? stack :
        PyMem_Malloc((size_t)(nb + w->len + na) * sizeof(Py_UCS4));
    if (buf == NULL)
        return PyErr_NoMemory();
    memcpy(buf, before, (size_t)nb * sizeof(Py_UCS4));
    memcpy(buf + nb, w->p, (size_t)w->len * sizeof(Py_UCS4));
    memcpy(buf + nb + w->len, after, (size_t)na * sizeof(Py_UCS4));
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, nb + w->len + na);
    if (buf != stack)
        PyMem_Free(buf);
    return out;
}

/* The ``count`` records of ``stride`` values at ``at`` in a records buffer,
 * checked to lie inside it (a corrupted cache is refused, not read past). */
static const uint32_t *records(const uint32_t *rec, Py_ssize_t n_rec, uint32_t at, Py_ssize_t stride,
                               uint32_t *count)
{
    if ((Py_ssize_t)at >= n_rec || (Py_ssize_t)at + 1 + (Py_ssize_t)rec[at] * stride > n_rec) {
        PyErr_SetString(PyExc_ValueError, "textrepair._scoring: a table's records are out of range");
        return NULL;
    }
    *count = rec[at];
    return rec + at + 1;
}

static int chars_ok(Py_ssize_t n_chars, uint32_t off, uint32_t len)
{
    if ((Py_ssize_t)off + (Py_ssize_t)len > n_chars) {
        PyErr_SetString(PyExc_ValueError, "textrepair._scoring: a table's characters are out of range");
        return 0;
    }
    return 1;
}

/* CollocationLexicon.fits_each for one word: a new reference to the phrase, or None. */
static PyObject *collocation(const Tables *t, Word *w, PyObject *word, const Run *left, const Run *right)
{
    if (!w->clean)
        Py_RETURN_NONE;
    PyObject *best = NULL;  /* new reference */
    const Entry *e;
    uint32_t count;
    const uint32_t *r;
    if (left->len > 0 && (e = word_key(&t->colloc, w, 1, left->p[left->len - 1])) != NULL) {
        if ((r = records(t->colloc_rec, t->n_colloc_rec, e->value, 4, &count)) == NULL)
            return NULL;
        for (uint32_t i = 0; i < count; i++, r += 4) {
            if (!chars_ok(t->n_colloc_chars, r[0], r[1]) || !chars_ok(t->n_colloc_chars, r[2], r[3]))
                return NULL;
            if (ends_with(left, t->colloc_chars + r[0], r[1]) &&
                starts_with(right, t->colloc_chars + r[2], r[3])) {
                if ((best = joined(t->colloc_chars + r[0], r[1], w, t->colloc_chars + r[2], r[3])) == NULL)
                    return NULL;
                break;
            }
        }
    }
    if (right->len > 0 && (e = word_key(&t->colloc, w, 2, right->p[0])) != NULL) {
        if ((r = records(t->colloc_rec, t->n_colloc_rec, e->value, 2, &count)) == NULL) {
            Py_XDECREF(best);
            return NULL;
        }
        for (uint32_t i = 0; i < count; i++, r += 2) {
            if (!chars_ok(t->n_colloc_chars, r[0], r[1])) {
                Py_XDECREF(best);
                return NULL;
            }
            if (starts_with(right, t->colloc_chars + r[0], r[1])) {
                if (best == NULL || w->len + (Py_ssize_t)r[1] >= PyUnicode_GET_LENGTH(best)) {
                    Py_XDECREF(best);
                    if ((best = joined(NULL, 0, w, t->colloc_chars + r[0], r[1])) == NULL)
                        return NULL;
                }
                break;
            }
        }
    }
    /* the word is a phrase itself (a phrase with text after it that fits has set best) */
    if (best == NULL && word_key(&t->colloc, w, 3, 0) != NULL)
        best = Py_NewRef(word);
    return best ? best : Py_NewRef(Py_None);
}

/* ContextScorer._compounds for one word: a new reference to the compound, or
 * None; *freq is its dictionary frequency, or -1 when the caller must look
 * it up (a compound the Python search found). */
static PyObject *compound(const Context *c, Word *w, PyObject *word, const Run *left, const Run *right,
                          double *freq)
{
    const Tables *t = c->tables;
    *freq = -1.0;
    const Entry *indexed = w->clean ? word_key(&t->compound, w, 3, 0) : NULL;
    if (indexed == NULL) {  /* a word the index does not hold: searched for, in Python */
        PyObject *l = run_str(left), *r = l ? run_str(right) : NULL;
        PyObject *found = r ? PyObject_CallFunctionObjArgs(c->search_compound, l, word, r, NULL) : NULL;
        Py_XDECREF(l);
        Py_XDECREF(r);
        return found;
    }
    if (indexed->value == 0)  /* held, with no compound around it */
        Py_RETURN_NONE;
    Py_ssize_t best = -1;
    uint32_t best_n = 0, best_f = 0, count;
    const uint32_t *r;
    const Entry *e;
    if (left->len > 0 && (e = word_key(&t->compound, w, 1, left->p[left->len - 1])) != NULL) {
        if ((r = records(t->compound_rec, t->n_compound_rec, e->value, 7, &count)) == NULL)
            return NULL;
        for (uint32_t i = 0; i < count; i++, r += 7) {
            if (!chars_ok(t->n_compound_chars, r[0], r[1]) || !chars_ok(t->n_compound_chars, r[2], r[3]))
                return NULL;
            if (ends_with(left, t->compound_chars + r[0], r[1]) &&
                starts_with(right, t->compound_chars + r[2], r[3])) {
                best = r[4];
                best_n = r[5];
                best_f = r[6];
                break;
            }
        }
    }
    if (right->len > 0 && (e = word_key(&t->compound, w, 2, right->p[0])) != NULL) {
        if ((r = records(t->compound_rec, t->n_compound_rec, e->value, 5, &count)) == NULL)
            return NULL;
        for (uint32_t i = 0; i < count; i++, r += 5) {
            if (!chars_ok(t->n_compound_chars, r[0], r[1]))
                return NULL;
            if (starts_with(right, t->compound_chars + r[0], r[1])) {
                /* on equal length and frequency the search finds the compound with the shorter head first */
                if (best < 0 || r[3] > best_n || (r[3] == best_n && r[4] >= best_f))
                    best = r[2];
                break;
            }
        }
    }
    if (best < 0)
        Py_RETURN_NONE;
    if (best >= PyList_GET_SIZE(t->compounds)) {
        PyErr_SetString(PyExc_ValueError, "textrepair._scoring: a compound is out of range");
        return NULL;
    }
    *freq = t->compound_freq[best];
    return Py_NewRef(PyList_GET_ITEM(t->compounds, best));
}

/* The count of a word (or, b given, of the pair a b) in the bigram model. */
static double count_of(const Tables *t, Word *a, Word *b)
{
    if (!a->clean || (b != NULL && !b->clean))
        return 0.0;
    const Entry *e;
    if (b == NULL)
        e = view_get(&t->counts, a->p, a->len);
    else {
        Py_UCS4 stack[96], *key = a->len + 1 + b->len <= 96 ? stack :
            PyMem_Malloc((size_t)(a->len + 1 + b->len) * sizeof(Py_UCS4));
        if (key == NULL)
            return 0.0;  /* (out of memory: PyErr_Occurred tells the caller) */
        memcpy(key, a->p, (size_t)a->len * sizeof(Py_UCS4));
        key[a->len] = 0;
        memcpy(key + a->len + 1, b->p, (size_t)b->len * sizeof(Py_UCS4));
        e = view_get(&t->counts, key, a->len + 1 + b->len);
        if (key != stack)
            PyMem_Free(key);
    }
    return e ? (double)e->value : 0.0;
}

/* BigramModel.fit_each, the bigram fit of each word between two neighbours. */
static int bigram_fits(const Context *c, Word *left, Word *words, Py_ssize_t n, Word *right, double *out)
{
    const Tables *t = c->tables;
    double smoothing = c->k.bigram_smoothing, total = t->total;
    double n_left = left->len > 0 ? count_of(t, left, NULL) : 0.0, p_right = 0.0, log_p_right = 0.0;
    int has_right = right->len > 0;
    if (has_right) {
        p_right = (count_of(t, right, NULL) + 0.5) / total;
        log_p_right = log(p_right);
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        double n_word = count_of(t, &words[k], NULL), before = 0.0, after = 0.0;
        if (n_left != 0.0) {
            double p_word = (n_word + 0.5) / total;
            before = log((count_of(t, left, &words[k]) + smoothing * p_word) / (n_left + smoothing)) - log(p_word);
        }
        if (has_right && n_word != 0.0)
            after = log((count_of(t, &words[k], right) + smoothing * p_right) / (n_word + smoothing)) - log_p_right;
        out[k] = before + after;
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* Python's min and max of two floats: the first argument unless the second is strictly beyond it */
static inline double py_min(double a, double b) { return b < a ? b : a; }
static inline double py_max(double a, double b) { return b > a ? b : a; }

/* ContextScorer.fit_evidences: a list of (score, phrase or None, bigram fit) per word. */
static PyObject *fit_evidences(const Context *c, Py_ssize_t start, Py_ssize_t end, PyObject *token_index,
                               PyObject *original, PyObject *const *words, Py_ssize_t n)
{
    const Constants *k = &c->k;
    const Tables *t = c->tables;
    if (start < 0 || end < start || end > c->length) {
        PyErr_SetString(PyExc_ValueError, "fit_evidences: a candidate's span lies outside the text");
        return NULL;
    }
    Run left, right;
    run_init(&left);
    run_init(&right);
    PyObject *out = NULL, *name = NULL;
    Word left_w, right_w, stack_words[8];
    int have_neighbours = 0;
    Py_ssize_t n_words = 0;
    double stack_fits[8], *fits = n <= 8 ? stack_fits : PyMem_Malloc((size_t)n * sizeof(double));
    Word *w = n <= 8 ? stack_words : PyMem_Malloc((size_t)n * sizeof(Word));
    if (fits == NULL || w == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (; n_words < n; n_words++)
        if (word_init(&w[n_words], words[n_words]) < 0)
            goto done;
    /* surroundings */
    if (t->has_collocations && window(c, start, end, &left, &right) < 0)
        goto done;
    int use_bigrams = t->has_counts && token_index != Py_None && c->n_tokens > 0;
    if (use_bigrams) {
        Py_ssize_t ti = PyLong_AsSsize_t(token_index);
        if (ti == -1 && PyErr_Occurred())
            goto done;
        PyObject *lw = neighbour(c, ti, -1), *rw = lw ? neighbour(c, ti, 1) : NULL;  /* (borrowed) */
        if (rw == NULL)
            goto done;
        if (word_init(&left_w, lw) < 0)
            goto done;
        if (word_init(&right_w, rw) < 0) {
            word_free(&left_w);
            goto done;
        }
        have_neighbours = 1;
        if (bigram_fits(c, &left_w, w, n, &right_w, fits) < 0)
            goto done;
    }
    if ((out = PyList_New(n)) == NULL)
        goto done;
    int name_looked = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *word = words[i], *phrase;
        double score = 0.0;
        if (t->has_collocations) {
            if ((phrase = collocation(t, &w[i], word, &left, &right)) == NULL)
                goto fail;
        }
        else
            phrase = Py_NewRef(Py_None);
        if (phrase != Py_None) {
            Py_ssize_t extra = PyUnicode_GET_LENGTH(phrase) - PyUnicode_GET_LENGTH(word) - k->usual_phrase_context;
            score += k->collocation_bonus + k->phrase_char_bonus * (double)(extra > 0 ? extra : 0);
        }
        int same = PyUnicode_Compare(word, original);
        if (same == -1 && PyErr_Occurred()) {
            Py_DECREF(phrase);
            goto fail;
        }
        if (same == 0) {
            if (name == NULL && !name_looked) {
                name = inside_name(c, start, end);
                if (name == NULL && PyErr_Occurred()) {
                    Py_DECREF(phrase);
                    goto fail;
                }
                name_looked = name == NULL;  /* Python looks again only while it found none */
            }
            if (name != NULL) {
                Py_DECREF(phrase);
                PyObject *note = PyUnicode_Concat(name_prefix, name);
                PyObject *item = note ? Py_BuildValue("(dNd)", score + k->name_bonus, note, 0.0) : NULL;
                if (item == NULL)
                    goto fail;
                PyList_SET_ITEM(out, i, item);
                continue;
            }
        }
        if (t->has_compounds) {
            double fv;
            PyObject *found = compound(c, &w[i], word, &left, &right, &fv);
            if (found == NULL) {
                Py_DECREF(phrase);
                goto fail;
            }
            if (found != Py_None && PyUnicode_GET_LENGTH(found) > 0) {
                if (fv < 0.0) {  /* found by the Python search: its frequency from the dictionary */
                    PyObject *f = PyObject_CallOneArg(c->freq, found);
                    fv = f ? PyFloat_AsDouble(f) : -1.0;
                    Py_XDECREF(f);
                    if (fv == -1.0 && PyErr_Occurred()) {
                        Py_DECREF(found);
                        Py_DECREF(phrase);
                        goto fail;
                    }
                }
                score += k->compound_weight * py_min(k->compound_clip, log1p(fv / k->compound_scale));
                if (PyUnicode_GET_LENGTH(found) >= PyUnicode_GET_LENGTH(word) + 3)
                    score += k->collocation_bonus;
                if (phrase == Py_None) {
                    Py_DECREF(phrase);
                    phrase = Py_NewRef(found);
                }
            }
            Py_DECREF(found);
        }
        double assoc = 0.0;
        if (use_bigrams) {
            assoc = py_max(-k->bigram_clip, py_min(k->bigram_clip, fits[i]));
            if (fabs(assoc) >= 0.5)
                score += k->bigram_weight * assoc;
            else
                assoc = 0.0;
        }
        PyObject *item;
        if (score == 0.0 && phrase == Py_None && assoc == 0.0 && !signbit(score) && !signbit(assoc)) {
            /* no evidence, the commonest fit: one tuple serves them all (its values are all anyone reads) */
            Py_DECREF(phrase);
            item = Py_NewRef(no_evidence);
        }
        else if ((item = Py_BuildValue("(dNd)", score, phrase, assoc)) == NULL)
            goto fail;
        PyList_SET_ITEM(out, i, item);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    Py_XDECREF(name);
    run_free(&left);
    run_free(&right);
    if (have_neighbours) {
        word_free(&left_w);
        word_free(&right_w);
    }
    if (w != NULL) {
        for (Py_ssize_t i = 0; i < n_words; i++)
            word_free(&w[i]);
        if (w != stack_words)
            PyMem_Free(w);
    }
    if (fits != NULL && fits != stack_fits)
        PyMem_Free(fits);
    return out;
}

/* -- the shared tables ------------------------------------------------------ */

static void tables_dealloc(Tables *t)
{
    Py_XDECREF(t->buffers);
    Py_XDECREF(t->compounds);
    PyMem_Free(t->compound_freq);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

/* (entries, slots, chars) of a _route.Table, then records and characters */
static int tables_part(PyObject *part, TableView *view, const uint32_t **rec, Py_ssize_t *n_rec,
                       const Py_UCS4 **chars, Py_ssize_t *n_chars, Py_ssize_t size)
{
    if (!PyTuple_Check(part) || PyTuple_GET_SIZE(part) != size ||
        view_set(view, PyTuple_GET_ITEM(part, 0), PyTuple_GET_ITEM(part, 1), PyTuple_GET_ITEM(part, 2)) < 0) {
        PyErr_SetString(PyExc_ValueError, "Tables: not the buffers of a table");
        return -1;
    }
    if (rec != NULL) {
        PyObject *r = PyTuple_GET_ITEM(part, 3), *ch = PyTuple_GET_ITEM(part, 4);
        if (!PyBytes_Check(r) || !PyBytes_Check(ch) || PyBytes_GET_SIZE(r) % sizeof(uint32_t) ||
            PyBytes_GET_SIZE(ch) % sizeof(Py_UCS4)) {
            PyErr_SetString(PyExc_ValueError, "Tables: records and characters are bytes of uint32");
            return -1;
        }
        *rec = (const uint32_t *)PyBytes_AS_STRING(r);
        *n_rec = PyBytes_GET_SIZE(r) / (Py_ssize_t)sizeof(uint32_t);
        *chars = (const Py_UCS4 *)PyBytes_AS_STRING(ch);
        *n_chars = PyBytes_GET_SIZE(ch) / (Py_ssize_t)sizeof(Py_UCS4);
    }
    return 0;
}

static PyObject *tables_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *colloc, *compounds, *counts;
    double total;
    static char *kwlist[] = {"collocations", "compounds", "counts", "total", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOd:Tables", kwlist, &colloc, &compounds, &counts, &total))
        return NULL;
    Tables *t = (Tables *)type->tp_alloc(type, 0);
    if (t == NULL)
        return NULL;
    if ((t->buffers = PyTuple_Pack(3, colloc, compounds, counts)) == NULL)  /* kept: the views point into them */
        goto fail;
    t->total = total;
    if (colloc != Py_None) {
        if (tables_part(colloc, &t->colloc, &t->colloc_rec, &t->n_colloc_rec, &t->colloc_chars,
                        &t->n_colloc_chars, 5) < 0)
            goto fail;
        t->has_collocations = 1;
    }
    if (compounds != Py_None) {
        if (tables_part(compounds, &t->compound, &t->compound_rec, &t->n_compound_rec, &t->compound_chars,
                        &t->n_compound_chars, 7) < 0)
            goto fail;
        PyObject *list = PyTuple_GET_ITEM(compounds, 5), *freqs = PyTuple_GET_ITEM(compounds, 6);
        if (!PyList_Check(list) || !PyBytes_Check(freqs) ||
            PyBytes_GET_SIZE(freqs) != PyList_GET_SIZE(list) * (Py_ssize_t)sizeof(uint32_t)) {
            PyErr_SetString(PyExc_ValueError, "Tables: a compound list and a frequency per compound");
            goto fail;
        }
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
            if (!PyUnicode_Check(PyList_GET_ITEM(list, i))) {
                PyErr_SetString(PyExc_TypeError, "Tables: compounds are str");
                goto fail;
            }
        t->compounds = Py_NewRef(list);
        const uint32_t *f = (const uint32_t *)PyBytes_AS_STRING(freqs);
        if ((t->compound_freq = PyMem_Malloc((size_t)(PyList_GET_SIZE(list) + 1) * sizeof(double))) == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
            t->compound_freq[i] = (double)f[i];
        t->has_compounds = 1;
    }
    if (counts != Py_None) {
        if (tables_part(counts, &t->counts, NULL, NULL, NULL, NULL, 3) < 0)
            goto fail;
        if (!(total > 0.0)) {
            PyErr_SetString(PyExc_ValueError, "Tables: the bigram model's total must be positive");
            goto fail;
        }
        t->has_counts = 1;
    }
    return (PyObject *)t;
fail:
    Py_DECREF(t);
    return NULL;
}

static PyTypeObject TablesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "textrepair._scoring.Tables",
    .tp_basicsize = sizeof(Tables),
    .tp_dealloc = (destructor)tables_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Tables(collocations, compounds, counts, total)\n--\n\n"
              "The context model's lookups as tables of code points (context.c_table_parts builds them): "
              "each part None, or the buffers of a _route.Table with its records.",
    .tp_new = tables_new,
};

/* -- the Context type ----------------------------------------------------- */

static int ssize_array(PyObject *seq, Py_ssize_t **out, Py_ssize_t *n, Py_ssize_t item)
{
    /* item < 0: a sequence of ints; else the item-th of each tuple */
    PyObject *fast = PySequence_Fast(seq, "a sequence is required");
    if (fast == NULL)
        return -1;
    *n = PySequence_Fast_GET_SIZE(fast);
    *out = PyMem_Malloc((size_t)(*n > 0 ? *n : 1) * sizeof(Py_ssize_t));
    if (*out == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < *n; i++) {
        PyObject *v = PySequence_Fast_GET_ITEM(fast, i);
        if (item >= 0) {
            if (!PyTuple_Check(v) || PyTuple_GET_SIZE(v) <= item) {
                PyErr_SetString(PyExc_TypeError, "names must be (start, end) tuples");
                Py_DECREF(fast);
                return -1;
            }
            v = PyTuple_GET_ITEM(v, item);
        }
        (*out)[i] = PyLong_AsSsize_t(v);
        if ((*out)[i] == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

static void context_dealloc(Context *c)
{
    Py_XDECREF(c->text);
    Py_XDECREF(c->replacements);
    Py_XDECREF(c->tokens);
    Py_XDECREF(c->token_repl);
    Py_XDECREF(c->tables);
    Py_XDECREF(c->freq);
    Py_XDECREF(c->search_compound);
    PyMem_Free(c->starts);
    PyMem_Free(c->ends);
    PyMem_Free(c->name_starts);
    PyMem_Free(c->name_ends);
    Py_TYPE(c)->tp_free((PyObject *)c);
}

static PyObject *context_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *constants, *text, *starts, *ends, *replacements, *tokens, *token_repl, *names, *tables, *freq;
    PyObject *search_compound;
    static char *kwlist[] = {"constants", "text", "starts", "ends", "replacements", "tokens", "token_repl",
                             "names", "tables", "freq", "search_compound", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!UOOO!OO!OO!OO:Context", kwlist,
                                     &PyTuple_Type, &constants, &text, &starts, &ends, &PyList_Type, &replacements,
                                     &tokens, &PyDict_Type, &token_repl, &names, &TablesType, &tables, &freq,
                                     &search_compound))
        return NULL;
    Context *c = (Context *)type->tp_alloc(type, 0);
    if (c == NULL)
        return NULL;
    Constants *k = &c->k;
    if (!PyArg_ParseTuple(constants, "nnddddddddddd:constants", &k->window, &k->usual_phrase_context,
                          &k->collocation_bonus, &k->phrase_char_bonus, &k->compound_weight, &k->compound_scale,
                          &k->compound_clip, &k->name_bonus, &k->bigram_weight, &k->bigram_clip,
                          &k->bigram_smoothing, &k->reading_max, &k->keep_min))
        goto fail;
    c->text = Py_NewRef(text);
    c->kind = PyUnicode_KIND(text);
    c->data = PyUnicode_DATA(text);
    c->length = PyUnicode_GET_LENGTH(text);
    c->replacements = Py_NewRef(replacements);
    c->token_repl = Py_NewRef(token_repl);
    c->tables = (Tables *)Py_NewRef(tables);
    c->search_compound = Py_NewRef(search_compound);
    Py_ssize_t n_ends;
    if (ssize_array(starts, &c->starts, &c->n_repairs, -1) < 0 || ssize_array(ends, &c->ends, &n_ends, -1) < 0)
        goto fail;
    if (n_ends != c->n_repairs || PyList_GET_SIZE(replacements) != c->n_repairs) {
        PyErr_SetString(PyExc_ValueError, "starts, ends and replacements differ in length");
        goto fail;
    }
    for (Py_ssize_t i = 0; i < c->n_repairs; i++) {
        if (!PyUnicode_Check(PyList_GET_ITEM(replacements, i))) {
            PyErr_SetString(PyExc_TypeError, "replacements must be str");
            goto fail;
        }
        if (c->starts[i] < 0 || c->ends[i] < c->starts[i] || c->ends[i] > c->length ||
            (i > 0 && c->starts[i] < c->starts[i - 1])) {
            PyErr_SetString(PyExc_ValueError, "repairs must lie inside the text, sorted by start");
            goto fail;
        }
    }
    Py_ssize_t n_names_e;
    if (ssize_array(names, &c->name_starts, &c->n_names, 0) < 0 ||
        ssize_array(names, &c->name_ends, &n_names_e, 1) < 0)
        goto fail;
    if (!PyList_Check(tokens) && !(PyTuple_Check(tokens) && PyTuple_GET_SIZE(tokens) == 0)) {
        PyErr_SetString(PyExc_TypeError, "tokens must be a list");
        goto fail;
    }
    c->n_tokens = PyList_Check(tokens) ? PyList_GET_SIZE(tokens) : 0;
    for (Py_ssize_t i = 0; i < c->n_tokens; i++) {
        PyObject *t = PyList_GET_ITEM(tokens, i);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 3 || !PyUnicode_Check(PyTuple_GET_ITEM(t, 2))) {
            PyErr_SetString(PyExc_TypeError, "tokens must be (start, end, text) tuples");
            goto fail;
        }
    }
    c->tokens = Py_NewRef(tokens);
    c->freq = freq == Py_None ? NULL : Py_NewRef(freq);
    if (c->tables->has_compounds && c->freq == NULL) {
        PyErr_SetString(PyExc_TypeError, "compounds need the dictionary frequency (freq)");
        goto fail;
    }
    return (PyObject *)c;
fail:
    Py_DECREF(c);
    return NULL;
}

static int check_words(PyObject *words)
{
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(words); i++)
        if (!PyUnicode_Check(PySequence_Fast_GET_ITEM(words, i))) {
            PyErr_SetString(PyExc_TypeError, "words must be str");
            return -1;
        }
    return 0;
}

static PyObject *context_fit_evidences(Context *c, PyObject *args)
{
    Py_ssize_t start, end;
    PyObject *token_index, *original, *words;
    if (!PyArg_ParseTuple(args, "nnOUO:fit_evidences", &start, &end, &token_index, &original, &words))
        return NULL;
    if (token_index != Py_None && !PyLong_Check(token_index)) {
        PyErr_SetString(PyExc_TypeError, "token_index must be an int or None");
        return NULL;
    }
    PyObject *fast = PySequence_Fast(words, "words must be a sequence");
    if (fast == NULL)
        return NULL;
    PyObject *out = check_words(fast) < 0 ? NULL :
        fit_evidences(c, start, end, token_index, original, PySequence_Fast_ITEMS(fast),
                      PySequence_Fast_GET_SIZE(fast));
    Py_DECREF(fast);
    return out;
}

static PyMethodDef context_methods[] = {
    {"fit_evidences", (PyCFunction)context_fit_evidences, METH_VARARGS,
     "fit_evidences($self, start, end, token_index, original, words, /)\n--\n\n"
     "ContextScorer.fit_evidences of a candidate at [start, end) (token_index an int or None) for each of words."},
    {NULL, NULL, 0, NULL}};

static PyTypeObject ContextType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "textrepair._scoring.Context",
    .tp_basicsize = sizeof(Context),
    .tp_dealloc = (destructor)context_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Context(constants, text, starts, ends, replacements, tokens, token_repl, names, tables, freq, "
              "search_compound)\n--\n\n"
              "A ContextScorer bound to one block, for the C fit lookups (context.ContextScorer.bind).",
    .tp_methods = context_methods,
    .tp_new = context_new,
};

/* -- scoring._word_readings ----------------------------------------------- */

static PyObject *get_attr_str(PyObject *o, PyObject *name)
{
    PyObject *v = PyObject_GetAttr(o, name);
    if (v != NULL && !PyUnicode_Check(v)) {
        Py_DECREF(v);
        PyErr_SetString(PyExc_TypeError, "a candidate's original and replacement are str");
        return NULL;
    }
    return v;
}

static int get_attr_ssize(PyObject *o, PyObject *name, Py_ssize_t *out)
{
    PyObject *v = PyObject_GetAttr(o, name);
    if (v == NULL)
        return -1;
    *out = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* float(d.get(key, 0.0)); -1 on error */
static int float_of(PyObject *d, PyObject *key, double *out)
{
    PyObject *v = PyDict_GetItemWithError(d, key);
    if (v == NULL) {
        *out = 0.0;
        return PyErr_Occurred() ? -1 : 0;
    }
    *out = PyFloat_AsDouble(v);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* The scoring knobs of scoring.py, and the profile's name for the reasons. */
typedef struct {
    double pseudo, max_share, choice_odds;
    PyObject *profile_name;
} Knobs;

static PyObject *s_confidence, *s_spun_probability, *s_why, *s_unsure_choice, *s_reason;

/* scoring._word_readings of one token's candidates (``group``), written into
 * them as score_candidates does: confidence, spun_probability, why,
 * unsure_choice, and an empty reason. */
static int score_group(const Context *c, PyObject *group, PyObject *posteriors, PyObject *spin_obj,
                       PyObject *page_forms, const Knobs *knobs)
{
    Py_ssize_t n = PyList_GET_SIZE(group);
    if (n == 0)
        return 0;
    double spin = PyFloat_AsDouble(spin_obj);
    if (spin == -1.0 && PyErr_Occurred())
        return -1;
    int rc = -1;
    PyObject *fits = NULL, *spun_obj = NULL, *token_index = NULL;
    PyObject **words = PyMem_Calloc((size_t)n + 1, sizeof(PyObject *));
    double *base = PyMem_Malloc((size_t)(2 * n + 1) * sizeof(double)), *weights = base + n;
    Py_ssize_t start = 0, end = 0;
    if (words == NULL || base == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *first = PyList_GET_ITEM(group, 0);
    if ((words[0] = get_attr_str(first, s_original)) == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++)
        if ((words[i + 1] = get_attr_str(PyList_GET_ITEM(group, i), s_replacement)) == NULL)
            goto done;
    if (get_attr_ssize(first, s_start, &start) < 0 || get_attr_ssize(first, s_end, &end) < 0 ||
        (token_index = PyObject_GetAttr(first, s_token_index)) == NULL)
        goto done;
    if (token_index != Py_None && !PyLong_Check(token_index)) {
        PyErr_SetString(PyExc_TypeError, "token_index must be an int or None");
        goto done;
    }
    /* the priors: spin x the row's posterior, one word map per page */
    PyObject *posterior = PyDict_GetItemWithError(posteriors, words[0]);
    if (posterior == NULL && PyErr_Occurred())
        goto done;
    if (posterior != NULL && !PyDict_Check(posterior)) {
        PyErr_SetString(PyExc_TypeError, "a posterior maps a spun form to {canonical: weight}");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        double p = 0.0;
        if (posterior != NULL && float_of(posterior, words[i + 1], &p) < 0)
            goto done;
        base[i] = spin * p;
    }
    if (page_forms != Py_None && PyDict_GET_SIZE(page_forms) > 0 && n > 1) {
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *seen = PyDict_GetItemWithError(page_forms, words[i + 1]);
            if (seen == NULL) {
                if (PyErr_Occurred())
                    goto done;
                continue;
            }
            if (!PyDict_Check(seen)) {
                PyErr_SetString(PyExc_TypeError, "page_forms maps a canonical to {form: weight}");
                goto done;
            }
            if (PyDict_GET_SIZE(seen) == 0)
                continue;
            double elsewhere = 0.0;  /* (sum() of no values is 0, the same factor) */
            Py_ssize_t pos = 0;
            PyObject *form, *v;
            while (PyDict_Next(seen, &pos, &form, &v)) {
                int same = PyUnicode_Compare(form, words[0]);
                if (same == -1 && PyErr_Occurred())
                    goto done;
                if (same != 0) {
                    double x = PyFloat_AsDouble(v);
                    if (x == -1.0 && PyErr_Occurred())
                        goto done;
                    elsewhere += x;
                }
            }
            base[i] *= knobs->pseudo / (knobs->pseudo + elsewhere);
        }
    }
    double total = 0.0;
    for (Py_ssize_t i = 0; i < n; i++)
        total += base[i];
    if (total > knobs->max_share) {
        for (Py_ssize_t i = 0; i < n; i++)
            base[i] = base[i] * knobs->max_share / total;
        total = knobs->max_share;
    }
    /* scoring._channel: the word kept, or each reading, weighed by its fit */
    double keep_prior = py_max(0.0, 1.0 - total);
    fits = fit_evidences(c, start, end, token_index, words[0], words, n + 1);
    if (fits == NULL)
        goto done;
    PyObject *keep = PyList_GET_ITEM(fits, 0);
    double keep_fit = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(keep, 0));
    double w0 = keep_prior * exp(py_max(c->k.keep_min, keep_fit));
    double reading_max = c->k.reading_max + py_max(0.0, keep_fit);
    for (Py_ssize_t i = 0; i < n; i++) {
        double fit = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(PyList_GET_ITEM(fits, i + 1), 0));
        weights[i] = base[i] * exp(py_min(reading_max, fit));
    }
    /* sums from 0.0, left to right, as scoring._added */
    double norm = 0.0, readings = 0.0, top = -INFINITY, second = -INFINITY;
    norm += w0;
    for (Py_ssize_t i = 0; i < n; i++)
        norm += weights[i];
    for (Py_ssize_t i = 0; i < n; i++)
        readings += weights[i];
    if (norm == 0.0)
        norm = 1.0;
    double spun = py_min(1.0, readings / norm);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (weights[i] > top) {
            second = top;
            top = weights[i];
        }
        else if (weights[i] > second)
            second = weights[i];
    }
    PyObject *unsure = (n > 1 && top < knobs->choice_odds * second) ? Py_True : Py_False;
    if ((spun_obj = PyFloat_FromDouble(spun)) == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *cand = PyList_GET_ITEM(group, i);
        PyObject *confidence = PyFloat_FromDouble(py_min(1.0, weights[i] / norm));
        PyObject *why = confidence ? Py_BuildValue("(dOOOO)", base[i], spin_obj, PyList_GET_ITEM(fits, i + 1), keep,
                                                   knobs->profile_name) : NULL;
        int bad = why == NULL || PyObject_SetAttr(cand, s_confidence, confidence) < 0 ||
                  PyObject_SetAttr(cand, s_spun_probability, spun_obj) < 0 || PyObject_SetAttr(cand, s_why, why) < 0 ||
                  PyObject_SetAttr(cand, s_unsure_choice, unsure) < 0 || PyObject_SetAttr(cand, s_reason, empty_str) < 0;
        Py_XDECREF(confidence);
        Py_XDECREF(why);
        if (bad)
            goto done;
    }
    rc = 0;
done:
    if (words != NULL)
        for (Py_ssize_t i = 0; i <= n; i++)
            Py_XDECREF(words[i]);
    PyMem_Free(words);
    PyMem_Free(base);
    Py_XDECREF(token_index);
    Py_XDECREF(fits);
    Py_XDECREF(spun_obj);
    return rc;
}

static PyObject *score_tokens(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *ctx, *by_token, *token_spin, *posteriors, *page_forms;
    Knobs knobs;
    if (!PyArg_ParseTuple(args, "O!O!O!O!OUddd:score_tokens", &ContextType, &ctx, &PyDict_Type, &by_token,
                          &PyDict_Type, &token_spin, &PyDict_Type, &posteriors, &page_forms, &knobs.profile_name,
                          &knobs.pseudo, &knobs.max_share, &knobs.choice_odds))
        return NULL;
    if (page_forms != Py_None && !PyDict_Check(page_forms)) {
        PyErr_SetString(PyExc_TypeError, "page_forms must be a dict or None");
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *token, *group;
    while (PyDict_Next(by_token, &pos, &token, &group)) {
        PyObject *spin = PyDict_GetItemWithError(token_spin, token);
        if (spin == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_KeyError, "a token without its spin");
            return NULL;
        }
        if (!PyList_Check(group)) {
            PyErr_SetString(PyExc_TypeError, "a token's readings are a list of candidates");
            return NULL;
        }
        if (score_group((const Context *)ctx, group, posteriors, spin, page_forms, &knobs) < 0)
            return NULL;
    }
    Py_RETURN_NONE;
}

/* -- choose.choose ---------------------------------------------------------- */

typedef struct {
    PyObject *cand, *replacement;  /* borrowed from the list, and a new reference */
    double confidence;
    Py_ssize_t start, end, order;
    int unsure;
} Ranked;

static int rank_compare(const void *pa, const void *pb)
{
    /* choose.choose's key (-confidence, -length, start, replacement), then
     * the order given, as Python's stable sort keeps it */
    const Ranked *a = pa, *b = pb;
    if (a->confidence != b->confidence)
        return a->confidence > b->confidence ? -1 : 1;
    Py_ssize_t la = a->end - a->start, lb = b->end - b->start;
    if (la != lb)
        return la > lb ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    int c = PyUnicode_Compare(a->replacement, b->replacement);  /* (str, checked when read) */
    if (c != 0)
        return c;
    return a->order < b->order ? -1 : (a->order > b->order);
}

static int by_start(const void *pa, const void *pb)
{
    const Ranked *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->order < b->order ? -1 : (a->order > b->order);
}

static PyObject *choose(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *candidates;
    double min_confidence;
    if (!PyArg_ParseTuple(args, "Od:choose", &candidates, &min_confidence))
        return NULL;
    PyObject *fast = PySequence_Fast(candidates, "candidates must be a sequence");
    if (fast == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast), m = 0, max_end = 0;
    Ranked *ranked = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(Ranked));
    unsigned char *occupied = NULL;
    PyObject *out = NULL;
    if (ranked == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *cand = PySequence_Fast_GET_ITEM(fast, i);
        PyObject *conf = PyObject_GetAttr(cand, s_confidence);
        PyObject *spun = conf ? PyObject_GetAttr(cand, s_spun_probability) : NULL;
        double confidence = conf ? PyFloat_AsDouble(conf) : -1.0, decision = confidence;
        int bad = spun == NULL || (confidence == -1.0 && PyErr_Occurred());
        if (!bad && spun != Py_None) {
            decision = PyFloat_AsDouble(spun);
            bad = decision == -1.0 && PyErr_Occurred();
        }
        Py_XDECREF(conf);
        Py_XDECREF(spun);
        if (bad)
            goto done;
        if (!(decision >= min_confidence))
            continue;
        Ranked *r = &ranked[m];
        r->cand = cand;
        r->order = m;
        r->confidence = confidence;
        if (get_attr_ssize(cand, s_start, &r->start) < 0 || get_attr_ssize(cand, s_end, &r->end) < 0)
            goto done;
        if (r->start < 0 || r->end < r->start) {
            PyErr_SetString(PyExc_ValueError, "choose: a candidate's span is not start <= end, from 0");
            goto done;
        }
        PyObject *unsure = PyObject_GetAttr(cand, s_unsure_choice);
        r->unsure = unsure ? PyObject_IsTrue(unsure) : -1;
        Py_XDECREF(unsure);
        if (r->unsure < 0 || (r->replacement = get_attr_str(cand, s_replacement)) == NULL)
            goto done;
        m++;
        if (r->end > max_end)
            max_end = r->end;
    }
    qsort(ranked, (size_t)m, sizeof(Ranked), rank_compare);
    if (PyErr_Occurred())
        goto done;
    occupied = PyMem_Calloc((size_t)max_end + 2, 1);
    if (occupied == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* most confident first; a candidate overlapping one taken is left */
    Py_ssize_t taken = 0;
    int any_unsure = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        Ranked r = ranked[i];
        int free = 1;
        for (Py_ssize_t k = r.start; k < r.end && free; k++)
            free = !occupied[k];
        if (!free) {
            Py_DECREF(r.replacement);
            continue;
        }
        for (Py_ssize_t k = r.start; k < r.end; k++)
            occupied[k] = 1;
        r.order = i;
        any_unsure |= r.unsure;
        ranked[taken++] = r;
    }
    m = taken;  /* the others' replacements are released */
    qsort(ranked, (size_t)taken, sizeof(Ranked), by_start);
    /* an unsure choice is made only beside another repair */
    memset(occupied, 0, (size_t)max_end + 2);
    enum { STARTS = 1, ENDS = 2 };
    if (any_unsure)
        for (Py_ssize_t i = 0; i < taken; i++) {
            occupied[ranked[i].start] |= STARTS;
            occupied[ranked[i].end] |= ENDS;
        }
    if ((out = PyList_New(0)) == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < taken; i++) {
        const Ranked *r = &ranked[i];
        if (any_unsure && r->unsure && !(occupied[r->start] & ENDS) && !(occupied[r->end] & STARTS))
            continue;
        if (PyList_Append(out, r->cand) < 0) {
            Py_CLEAR(out);
            goto done;
        }
    }
done:
    if (ranked != NULL)
        for (Py_ssize_t i = 0; i < m; i++)
            Py_XDECREF(ranked[i].replacement);
    PyMem_Free(ranked);
    PyMem_Free(occupied);
    Py_DECREF(fast);
    return out;
}

/* -- scoring.describe ----------------------------------------------------------- */

/* A reason is written as UTF-8 into a growing buffer and decoded once. */
typedef struct {
    char *p;
    Py_ssize_t len, cap;
    char stack[512];
} Text;

static int text_add(Text *t, const char *s, Py_ssize_t n)
{
    if (t->len + n > t->cap) {
        Py_ssize_t cap = (t->len + n) * 2;
        char *p = PyMem_Malloc((size_t)cap);
        if (p == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(p, t->p, (size_t)t->len);
        if (t->p != t->stack)
            PyMem_Free(t->p);
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, (size_t)n);
    t->len += n;
    return 0;
}

static int text_add_c(Text *t, const char *s)
{
    return text_add(t, s, (Py_ssize_t)strlen(s));
}

static int text_add_str(Text *t, PyObject *o)  /* str(o) */
{
    PyObject *s = PyObject_Str(o);
    if (s == NULL)
        return -1;
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(s, &n);
    int rc;
    if (u != NULL)
        rc = text_add(t, u, n);
    else if (PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
        /* a lone surrogate: passed through, and decoded back the same way */
        PyErr_Clear();
        PyObject *b = PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass");
        rc = b == NULL ? -1 : text_add(t, PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b));
        Py_XDECREF(b);
    }
    else
        rc = -1;
    Py_DECREF(s);
    return rc;
}

/* f"{x:.{digits}f}" (signed: f"{x:+.{digits}f}"), as Python's float formatting writes it */
static int text_add_float(Text *t, double x, int digits, int sign)
{
    char *s = PyOS_double_to_string(x, 'f', digits, sign ? Py_DTSF_SIGN : 0, NULL);
    if (s == NULL)
        return -1;
    int rc = text_add_c(t, s);
    PyMem_Free(s);
    return rc;
}

/* context.describe_fit(phrase, assoc), appended after ``lead`` when there is
 * any; sets *wrote.  -1 on error. */
static int text_add_fit(Text *t, const char *lead, PyObject *phrase, PyObject *assoc_obj, int *wrote)
{
    double assoc = PyFloat_AsDouble(assoc_obj);
    if (assoc == -1.0 && PyErr_Occurred())
        return -1;
    int has_phrase = phrase != Py_None && PyObject_IsTrue(phrase) > 0;
    *wrote = has_phrase || assoc != 0.0;
    if (!*wrote)
        return 0;
    if (text_add_c(t, lead) < 0)
        return -1;
    if (has_phrase && (text_add_c(t, "'") < 0 || text_add_str(t, phrase) < 0 || text_add_c(t, "' is a collocation") < 0))
        return -1;
    if (assoc != 0.0 && ((has_phrase && text_add_c(t, "; ") < 0) || text_add_c(t, "bigram fit ") < 0 ||
                         text_add_float(t, assoc, 1, 1) < 0))
        return -1;
    return 0;
}

static PyObject *describe(PyObject *original, PyObject *replacement, int thesaurus, PyObject *why)
{
    PyObject *prior, *spin, *fit, *keep, *profile;
    if (!PyArg_ParseTuple(why, "OOO!O!O:why", &prior, &spin, &PyTuple_Type, &fit, &PyTuple_Type, &keep, &profile))
        return NULL;
    if (PyTuple_GET_SIZE(fit) != 3 || PyTuple_GET_SIZE(keep) != 3) {
        PyErr_SetString(PyExc_TypeError, "a fit is (score, phrase, bigram fit)");
        return NULL;
    }
    double prior_v = PyFloat_AsDouble(prior), spin_v = PyFloat_AsDouble(spin);
    if ((prior_v == -1.0 || spin_v == -1.0) && PyErr_Occurred())
        return NULL;
    Text t = {.len = 0, .cap = sizeof t.stack};
    t.p = t.stack;
    PyObject *out = NULL;
    int wrote, ok;
    if (thesaurus)
        ok = text_add_str(&t, original) == 0 && text_add_c(&t, " is a thesaurus synonym of the commoner ") == 0 &&
             text_add_str(&t, replacement) == 0 &&
             text_add_c(&t, ": a random-synonym spinner's substitution") == 0;
    else
        ok = text_add_str(&t, original) == 0 && text_add_c(&t, " is a ") == 0 && text_add_str(&t, profile) == 0 &&
             text_add_c(&t, " spin of ") == 0 && text_add_str(&t, replacement) == 0 &&
             text_add_c(&t, " (prior ") == 0 && text_add_float(&t, prior_v, 2, 0) == 0 && text_add_c(&t, ")") == 0;
    ok = ok && text_add_c(&t, "; document spin ") == 0 && text_add_float(&t, spin_v, 2, 0) == 0 &&
         text_add_fit(&t, "; ", PyTuple_GET_ITEM(fit, 1), PyTuple_GET_ITEM(fit, 2), &wrote) == 0 &&
         text_add_fit(&t, "; as written: ", PyTuple_GET_ITEM(keep, 1), PyTuple_GET_ITEM(keep, 2), &wrote) == 0;
    if (ok)
        out = PyUnicode_DecodeUTF8(t.p, t.len, "surrogatepass");
    if (t.p != t.stack)
        PyMem_Free(t.p);
    return out;
}

static PyObject *describe_reading(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *original, *replacement, *why;
    int thesaurus;
    if (!PyArg_ParseTuple(args, "UUpO!:describe_reading", &original, &replacement, &thesaurus, &PyTuple_Type, &why))
        return NULL;
    return describe(original, replacement, thesaurus, why);
}

/* -- the pipeline's repairs -------------------------------------------------- */

static PyObject *s_kind, *s_round, *s_word, *s_thesaurus, *repair_fields[7], *four;

/* d.setdefault(v, v), borrowed */
static PyObject *shared_str(PyObject *shared, PyObject *v)
{
    return PyDict_SetDefault(shared, v, v);
}

/* make_repairs(chosen, text, offset, shared, confidences, render, repair_type):
 * the pipeline's Repair of each chosen candidate (pipeline._repair_words is
 * the reference): its span moved by offset, the text it replaces, the
 * replacement (render(replacement) unless render is None), the confidence
 * rounded to 4 places, the reason (scoring.describe); every string shared
 * through ``shared`` and every confidence through ``confidences``.  A
 * repair is made as its frozen dataclass's __init__ makes it: object.__new__,
 * then object.__setattr__ of each field. */
static PyObject *make_repairs(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *chosen, *text, *shared, *confidences, *render, *repair_type;
    Py_ssize_t offset;
    if (!PyArg_ParseTuple(args, "O!UnO!O!OO!:make_repairs", &PyList_Type, &chosen, &text, &offset, &PyDict_Type,
                          &shared, &PyDict_Type, &confidences, &render, &PyType_Type, &repair_type))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(chosen), length = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(n), *empty = PyTuple_New(0);
    if (out == NULL || empty == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyList_GET_ITEM(chosen, i);
        PyObject *values[7] = {NULL};
        PyObject *conf = NULL, *replacement = NULL, *kind = NULL, *reason = NULL, *why = NULL, *cand_original = NULL;
        PyObject *repair = NULL;
        Py_ssize_t start, end;
        int ok = 0;
        if (get_attr_ssize(c, s_start, &start) < 0 || get_attr_ssize(c, s_end, &end) < 0)
            goto item_done;
        start += offset;
        end += offset;
        if (start < 0 || end > length || end < start) {
            PyErr_SetString(PyExc_ValueError, "make_repairs: a candidate's span lies outside the text");
            goto item_done;
        }
        PyObject *original = PyUnicode_Substring(text, start, end);
        if (original == NULL)
            goto item_done;
        values[2] = Py_NewRef(shared_str(shared, original));
        Py_DECREF(original);
        if ((replacement = get_attr_str(c, s_replacement)) == NULL)
            goto item_done;
        PyObject *rendered = render == Py_None ? Py_NewRef(replacement) : PyObject_CallOneArg(render, replacement);
        if (rendered == NULL)
            goto item_done;
        values[3] = Py_XNewRef(shared_str(shared, rendered));
        Py_DECREF(rendered);
        if ((conf = PyObject_GetAttr(c, s_confidence)) == NULL)
            goto item_done;
        PyObject *rounded = PyObject_CallMethodObjArgs(conf, s_round, four, NULL);  /* round(confidence, 4) */
        if (rounded == NULL)
            goto item_done;
        int nonzero = PyObject_IsTrue(rounded);
        if (nonzero > 0) {  /* (not a zero: 0.0 and -0.0 are one key) */
            values[4] = Py_XNewRef(PyDict_SetDefault(confidences, rounded, rounded));
            Py_DECREF(rounded);
        }
        else
            values[4] = rounded;
        if ((kind = get_attr_str(c, s_kind)) == NULL || (reason = get_attr_str(c, s_reason)) == NULL ||
            (why = PyObject_GetAttr(c, s_why)) == NULL)
            goto item_done;
        /* scoring.describe: a glossary or thesaurus reading's reason is written from its evidence */
        int is_word = PyUnicode_Compare(kind, s_word) == 0, is_thesaurus = !is_word && PyUnicode_Compare(kind, s_thesaurus) == 0;
        if (PyUnicode_GET_LENGTH(reason) == 0 && (is_word || is_thesaurus) && PyObject_IsTrue(why) > 0) {
            if (!PyTuple_Check(why)) {
                PyErr_SetString(PyExc_TypeError, "make_repairs: a reading's why is a tuple");
                goto item_done;
            }
            if ((cand_original = get_attr_str(c, s_original)) == NULL)
                goto item_done;
            PyObject *written = describe(cand_original, replacement, is_thesaurus, why);
            if (written == NULL)
                goto item_done;
            Py_SETREF(reason, written);
        }
        values[5] = Py_XNewRef(shared_str(shared, reason));
        values[6] = Py_NewRef(kind);
        if (values[2] == NULL || values[3] == NULL || values[4] == NULL || values[5] == NULL ||
            (values[0] = PyLong_FromSsize_t(start)) == NULL || (values[1] = PyLong_FromSsize_t(end)) == NULL)
            goto item_done;
        if ((repair = PyBaseObject_Type.tp_new((PyTypeObject *)repair_type, empty, NULL)) == NULL)
            goto item_done;
        for (int f = 0; f < 7; f++)
            if (PyObject_GenericSetAttr(repair, repair_fields[f], values[f]) < 0)
                goto item_done;
        PyList_SET_ITEM(out, i, repair);
        repair = NULL;
        ok = 1;
    item_done:
        for (int f = 0; f < 7; f++)
            Py_XDECREF(values[f]);
        Py_XDECREF(conf);
        Py_XDECREF(replacement);
        Py_XDECREF(kind);
        Py_XDECREF(reason);
        Py_XDECREF(why);
        Py_XDECREF(cand_original);
        Py_XDECREF(repair);
        if (!ok)
            goto fail;
    }
    Py_DECREF(empty);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(empty);
    return NULL;
}

static PyMethodDef methods[] = {
    {"score_tokens", score_tokens, METH_VARARGS,
     "score_tokens($module, context, by_token, token_spin, posteriors, page_forms, profile_name, pseudo, "
     "max_spin_share, choice_odds, /)\n--\n\nscoring._word_readings of each token's candidates ({token index: [candidates]}), written "
     "into the candidates as scoring.score_candidates does."},
    {"describe_reading", describe_reading, METH_VARARGS,
     "describe_reading($module, original, replacement, thesaurus, why, /)\n--\n\n"
     "scoring.describe of a glossary (or, thesaurus true, a thesaurus) reading, from its why."},
    {"make_repairs", make_repairs, METH_VARARGS,
     "make_repairs($module, chosen, text, offset, shared, confidences, render, repair_type, /)\n--\n\n"
     "The Repair of each chosen candidate, as pipeline._repair_words writes them."},
    {"choose", choose, METH_VARARGS,
     "choose($module, candidates, min_confidence, /)\n--\n\nchoose.choose, the best non-overlapping candidates."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scoring",
    "The context pass of the scoring stage in C (context.ContextScorer.fit_evidences and "
    "scoring._word_readings are the reference).",
    -1, methods};

PyMODINIT_FUNC PyInit__scoring(void)
{
    if (PyType_Ready(&ContextType) < 0 || PyType_Ready(&TablesType) < 0)
        return NULL;
    if ((empty_str = PyUnicode_FromString("")) == NULL ||
        (no_evidence = Py_BuildValue("(dOd)", 0.0, Py_None, 0.0)) == NULL ||
        (name_prefix = PyUnicode_FromString("inside the name ")) == NULL ||
        (s_original = PyUnicode_InternFromString("original")) == NULL ||
        (s_replacement = PyUnicode_InternFromString("replacement")) == NULL ||
        (s_start = PyUnicode_InternFromString("start")) == NULL ||
        (s_end = PyUnicode_InternFromString("end")) == NULL ||
        (s_token_index = PyUnicode_InternFromString("token_index")) == NULL ||
        (s_confidence = PyUnicode_InternFromString("confidence")) == NULL ||
        (s_spun_probability = PyUnicode_InternFromString("spun_probability")) == NULL ||
        (s_why = PyUnicode_InternFromString("why")) == NULL ||
        (s_unsure_choice = PyUnicode_InternFromString("unsure_choice")) == NULL ||
        (s_reason = PyUnicode_InternFromString("reason")) == NULL ||
        (s_kind = PyUnicode_InternFromString("kind")) == NULL ||
        (s_round = PyUnicode_InternFromString("__round__")) == NULL ||
        (s_word = PyUnicode_InternFromString("word")) == NULL ||
        (s_thesaurus = PyUnicode_InternFromString("thesaurus")) == NULL ||
        (four = PyLong_FromLong(4)) == NULL)
        return NULL;
    static const char *fields[7] = {"start", "end", "original", "replacement", "confidence", "reason", "kind"};
    for (int f = 0; f < 7; f++)
        if ((repair_fields[f] = PyUnicode_InternFromString(fields[f])) == NULL)
            return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Context", (PyObject *)&ContextType) < 0 ||
        PyModule_AddObjectRef(m, "Tables", (PyObject *)&TablesType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
