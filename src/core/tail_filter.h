/* tail_filter: the tail's filter expression, parsed once, matched per row.
 *
 * DESIGN: a pure module over text. A row is matched through the JSON texts
 * of its key and value exactly as `ksight tail --format jsonl` prints them
 * (compact JSON; a text key is a JSON string, binary is {"hex":"..."}, a
 * missing one is null), so matching needs no JSON library, allocates nothing
 * and gives the same answer in the view, in an export and in a test.
 * A filter is immutable once parsed; share it read-only between threads.
 *
 * Syntax: terms separated by spaces; a row matches when every term does.
 *   TEXT              substring of the key or the value (JSON text)
 *   key=TEXT          the key equals TEXT (a string key: its characters)
 *   value=TEXT        the whole value equals TEXT
 *   PATH OP TEXT      a field of the value: position.lat>45, id=c42,
 *                     items[0].sku=A1 (or items.0.sku); key.PATH for a field
 *                     of a JSON/Avro key, value.PATH when the value's own
 *                     field is called "key" or "value"
 *   !TERM             the term does not match
 * OP is = != < <= > >= or ~ (contains). TEXT is a bare word or "double
 * quoted" (\" and \\ inside), so `"a b"` and `id="c 42"` work.
 * Comparisons: a number field against a numeric TEXT compares numbers
 * (integers exactly); a string field compares its characters (= exact, < >
 * byte order, which orders ISO-8601 timestamps correctly); true, false,
 * null, objects and arrays compare their JSON text. A field that is missing
 * matches no OP (so !id=c42 holds for rows without id).
 * Case: substrings and ~ ignore ASCII case unless TEXT has an upper-case
 * letter ("smart case"); = and the orderings are exact. */
#ifndef KS_TAIL_FILTER_H
#define KS_TAIL_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#define TAIL_FILTER_MAX_TERMS 16
#define TAIL_FILTER_MAX_DEPTH 16 /* path segments */
#define TAIL_FILTER_MAX_LEN 1024 /* expression bytes */

typedef struct ks_tail_filter ks_tail_filter;

/* What a filter looks at: JSON texts, not NUL-terminated, borrowed. A NULL
 * text is treated as "null". */
typedef struct ks_tail_subject {
    const char *key;
    size_t key_len;
    const char *value;
    size_t value_len;
} ks_tail_subject;

/* Parses expr. An empty or blank expression gives a filter that matches every
 * row (tail_filter_is_empty()). Returns NULL with errstr ("filter: missing
 * value after \"id=\"") on a syntax error. Any thread. Caller frees. */
ks_tail_filter *tail_filter_parse(const char *expr, char *errstr, size_t errstr_size);
void tail_filter_free(ks_tail_filter *filter); /* NULL is fine */

/* True when the row matches. filter NULL matches everything. Any thread, no
 * allocation, linear in the texts' length per term. */
bool tail_filter_match(const ks_tail_filter *filter, const ks_tail_subject *subject);

bool tail_filter_is_empty(const ks_tail_filter *filter); /* NULL or no terms */
int tail_filter_nterms(const ks_tail_filter *filter);
const char *tail_filter_text(const ks_tail_filter *filter); /* as given, "" for NULL */

#endif
