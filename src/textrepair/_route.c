/* textrepair._route – the tokenizer's best-route search in C (optional).
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

#define HASH_MUL 0x100000001b3ULL  /* FNV-1a prime: any odd multiplier works */
#define HASH_SEED 0xcbf29ce484222325ULL

typedef struct {
    uint64_t hash;
    Py_ssize_t offset;  /* of the word's code points in Table.chars */
    Py_ssize_t length;
    double freq;        /* the dictionary's value: 0 for a prefix only */
} Entry;

typedef struct {
    PyObject_HEAD
    Entry *entries;
    Py_ssize_t n_entries;
    uint32_t *slots;    /* index + 1 into entries, 0 = empty; open addressing */
    uint64_t mask;
    Py_UCS4 *chars;
    Py_ssize_t n_chars;
} Table;

static inline uint64_t extend(uint64_t h, Py_UCS4 c)
{
    return (h ^ (uint64_t)c) * HASH_MUL;
}

static const Entry *find(const Table *t, uint64_t h, const Py_UCS4 *s, Py_ssize_t len)
{
    uint64_t i = (h ^ (h >> 29)) & t->mask;
    for (;;) {
        uint32_t slot = t->slots[i];
        if (slot == 0)
            return NULL;
        const Entry *e = &t->entries[slot - 1];
        if (e->hash == h && e->length == len && memcmp(t->chars + e->offset, s, (size_t)len * sizeof(Py_UCS4)) == 0)
            return e;
        i = (i + 1) & t->mask;
    }
}

static void table_dealloc(Table *t)
{
    PyMem_Free(t->entries);
    PyMem_Free(t->slots);
    PyMem_Free(t->chars);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static PyTypeObject TableType;

/* Table(freq): a copy of a {word: frequency} dict (every word and every prefix
 * of one; frequencies are numbers, 0 for a prefix only). */
static PyObject *table_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *freq;
    static char *kwlist[] = {"freq", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!", kwlist, &PyDict_Type, &freq))
        return NULL;
    Py_ssize_t n = PyDict_GET_SIZE(freq);
    if (n >= (Py_ssize_t)UINT32_MAX / 2) {
        PyErr_SetString(PyExc_OverflowError, "dictionary too large");
        return NULL;
    }
    Table *t = (Table *)type->tp_alloc(type, 0);
    if (t == NULL)
        return NULL;
    uint64_t capacity = 16;
    while (capacity < (uint64_t)n * 2)
        capacity <<= 1;
    t->mask = capacity - 1;
    t->slots = PyMem_Calloc((size_t)capacity, sizeof(uint32_t));
    t->entries = PyMem_Calloc((size_t)n + 1, sizeof(Entry));
    Py_ssize_t total = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(freq, &pos, &key, &value)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "dictionary keys must be str");
            goto fail;
        }
        total += PyUnicode_GET_LENGTH(key);
    }
    t->chars = PyMem_Calloc((size_t)total + 1, sizeof(Py_UCS4));
    if (t->slots == NULL || t->entries == NULL || t->chars == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    pos = 0;
    while (PyDict_Next(freq, &pos, &key, &value)) {
        double f = PyFloat_Check(value) ? PyFloat_AS_DOUBLE(value) : PyLong_AsDouble(value);
        if (f == -1.0 && PyErr_Occurred())
            goto fail;
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        Py_UCS4 *dst = t->chars + t->n_chars;
        if (PyUnicode_AsUCS4(key, dst, len, 0) == NULL)
            goto fail;
        uint64_t h = HASH_SEED;
        for (Py_ssize_t j = 0; j < len; j++)
            h = extend(h, dst[j]);
        Entry *e = &t->entries[t->n_entries];
        e->hash = h;
        e->offset = t->n_chars;
        e->length = len;
        e->freq = f;
        uint64_t i = (h ^ (h >> 29)) & t->mask;
        while (t->slots[i] != 0)
            i = (i + 1) & t->mask;  /* dict keys are distinct: no duplicate to find */
        t->slots[i] = (uint32_t)(t->n_entries + 1);
        t->n_entries++;
        t->n_chars += len;
    }
    return (PyObject *)t;
fail:
    Py_DECREF(t);
    return NULL;
}

/* Python's "log(f)" for the positive frequency f, or -1 with an error set. */
static int checked_log(double f, double *out)
{
    if (f < 0.0 || isnan(f)) {
        PyErr_SetString(PyExc_ValueError, "math domain error");
        return -1;
    }
    *out = log(f);
    return 0;
}

/* The best route over the n code points s: fills score[0..n] and ends[0..n].
 * Returns -1 with an error set (a negative frequency, as math.log raises). */
static int search(const Table *table, const Py_UCS4 *s, Py_ssize_t n, double logtotal,
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
            if (e->freq != 0.0) {
                if (checked_log(e->freq, &lf) < 0)
                    return -1;
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
            lf = 0.0;
            if (e != NULL && e->freq != 0.0 && checked_log(e->freq, &lf) < 0)
                return -1;
            best = lf - logtotal + score[k + 1];
            end = k;
        }
        score[k] = best;
        ends[k] = end;
    }
    return 0;
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
    if (prepare(sentence, &s, &score, &ends) < 0 || search(table, s, n, logtotal, score, ends) < 0)
        goto done;
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

/* cut(sentence, table, logtotal, out): append the words of the best route to
 * the list out, as Tokenizer._cut_block_py (jieba's __cut_DAG_NO_HMM: single
 * ASCII letters and digits in a row are one word). */
static PyObject *cut(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *sentence, *out;
    Table *table;
    double logtotal;
    if (!PyArg_ParseTuple(args, "UO!dO!", &sentence, &TableType, &table, &logtotal, &PyList_Type, &out))
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    Py_UCS4 *s = NULL;
    double *score = NULL;
    Py_ssize_t *ends = NULL;
    PyObject *result = NULL;
    if (prepare(sentence, &s, &score, &ends) < 0 || search(table, s, n, logtotal, score, ends) < 0)
        goto done;
    Py_ssize_t x = 0, buf = -1;  /* buf: start of a run of single ASCII letters and digits */
    while (x < n) {
        Py_ssize_t y = ends[x] + 1;
        if (y - x == 1 && is_ascii_alnum(s[x])) {
            if (buf < 0)
                buf = x;
        } else {
            if (buf >= 0) {
                PyObject *w = PyUnicode_Substring(sentence, buf, x);
                if (w == NULL || PyList_Append(out, w) < 0) {
                    Py_XDECREF(w);
                    goto done;
                }
                Py_DECREF(w);
                buf = -1;
            }
            PyObject *w = PyUnicode_Substring(sentence, x, y);
            if (w == NULL || PyList_Append(out, w) < 0) {
                Py_XDECREF(w);
                goto done;
            }
            Py_DECREF(w);
        }
        x = y;
    }
    if (buf >= 0) {
        PyObject *w = PyUnicode_Substring(sentence, buf, n);
        if (w == NULL || PyList_Append(out, w) < 0) {
            Py_XDECREF(w);
            goto done;
        }
        Py_DECREF(w);
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(s);
    PyMem_Free(score);
    PyMem_Free(ends);
    return result;
}

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "textrepair._route.Table",
    .tp_basicsize = sizeof(Table),
    .tp_dealloc = (destructor)table_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Table(freq): jieba's dictionary (words and prefixes) as a hash table of code points.",
    .tp_new = table_new,
};

static PyMethodDef methods[] = {
    {"route", route, METH_VARARGS,
     "route(sentence, table, logtotal) -> (scores, ends): jieba's best route, as Tokenizer._route_py."},
    {"cut", cut, METH_VARARGS,
     "cut(sentence, table, logtotal, out): append the route's words to the list out, as Tokenizer._cut_block_py."},
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
    return m;
}
