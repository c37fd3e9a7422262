/* A read-only {str: int} hash table over code points, shared by the C modules.
 *
 * Three buffers: the entries (in the order of the dict the table was made
 * from), an open-addressing index of them (a power of two of uint32 slots,
 * entry index + 1, 0 = empty) and the keys' code points.  _route.Table builds
 * and owns them; _scoring reads the same buffers.  A probe extends an FNV-1a
 * style hash by one code point at a time, so a scan can look up every prefix
 * of a run without making a string.
 */
#ifndef TEXTREPAIR_TABLE_H
#define TEXTREPAIR_TABLE_H

#include <Python.h>
#include <stdint.h>
#include <string.h>

#define HASH_MUL 0x100000001b3ULL  /* FNV-1a prime: any odd multiplier works */
#define HASH_SEED 0xcbf29ce484222325ULL

/* One key: its code points are chars[offset:offset + length]. */
typedef struct {
    uint32_t check;   /* the high half of the key's 64-bit hash */
    uint32_t offset;
    uint32_t length;
    uint32_t value;   /* an int in [0, 2**32) */
} Entry;

typedef struct {
    const Entry *entries;
    const uint32_t *slots;    /* index + 1 into entries, 0 = empty */
    const Py_UCS4 *chars;
    Py_ssize_t n_entries;
    uint64_t mask;
} TableView;

static inline uint64_t extend(uint64_t h, Py_UCS4 c)
{
    return (h ^ (uint64_t)c) * HASH_MUL;
}

static inline uint64_t slot_of(uint64_t h)
{
    return h ^ (h >> 29);
}

static inline const Entry *view_find(const TableView *t, uint64_t h, const Py_UCS4 *s, Py_ssize_t len)
{
    uint64_t i = slot_of(h) & t->mask;
    uint32_t check = (uint32_t)(h >> 32);
    for (;;) {
        uint32_t slot = t->slots[i];
        if (slot == 0)
            return NULL;
        const Entry *e = &t->entries[slot - 1];
        if (e->check == check && e->length == (uint32_t)len &&
            memcmp(t->chars + e->offset, s, (size_t)len * sizeof(Py_UCS4)) == 0)
            return e;
        i = (i + 1) & t->mask;
    }
}

/* The entry of the key s[0:len], hashed here. */
static inline const Entry *view_get(const TableView *t, const Py_UCS4 *s, Py_ssize_t len)
{
    uint64_t h = HASH_SEED;
    for (Py_ssize_t j = 0; j < len; j++)
        h = extend(h, s[j]);
    return view_find(t, h, s, len);
}

/* Point a view at three bytes objects (not kept: the caller holds them); -1
 * (no error set) when they are not a table's.  The entries and the slot
 * count are checked; the slots' contents are trusted. */
static inline int view_set(TableView *t, PyObject *entries, PyObject *slots, PyObject *chars)
{
    if (!PyBytes_Check(entries) || !PyBytes_Check(slots) || !PyBytes_Check(chars))
        return -1;
    Py_ssize_t n_slots = PyBytes_GET_SIZE(slots) / (Py_ssize_t)sizeof(uint32_t);
    if (PyBytes_GET_SIZE(entries) % sizeof(Entry) || PyBytes_GET_SIZE(slots) % sizeof(uint32_t) ||
        PyBytes_GET_SIZE(chars) % sizeof(Py_UCS4) || n_slots < 2 || (n_slots & (n_slots - 1)))
        return -1;
    t->entries = (const Entry *)PyBytes_AS_STRING(entries);
    t->slots = (const uint32_t *)PyBytes_AS_STRING(slots);
    t->chars = (const Py_UCS4 *)PyBytes_AS_STRING(chars);
    t->n_entries = PyBytes_GET_SIZE(entries) / (Py_ssize_t)sizeof(Entry);
    t->mask = (uint64_t)n_slots - 1;
    return 0;
}

#endif
