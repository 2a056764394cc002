/* dec_avro_int: what the dec_avro_* files share, not for use outside them.
 *
 * The node tree mirrors the schema with links resolved (a recursive schema is a
 * graph), and carries what avro-c does not keep: logical types, decimal
 * precision and scale, and how a union is rendered. */
#ifndef KS_DEC_AVRO_INT_H
#define KS_DEC_AVRO_INT_H

#include "dec.h"
#include "dec_avro.h"

#include <avro.h>
#include <stdbool.h>

typedef enum dec_avro_logical {
    DEC_AVRO_LT_NONE,
    DEC_AVRO_LT_DATE,                   /* int: days since 1970-01-01 */
    DEC_AVRO_LT_TIME_MILLIS,            /* int */
    DEC_AVRO_LT_TIME_MICROS,            /* long */
    DEC_AVRO_LT_TIMESTAMP_MILLIS,       /* long, UTC */
    DEC_AVRO_LT_TIMESTAMP_MICROS,       /* long, UTC */
    DEC_AVRO_LT_TIMESTAMP_NANOS,        /* long, UTC */
    DEC_AVRO_LT_LOCAL_TIMESTAMP_MILLIS, /* long, no zone */
    DEC_AVRO_LT_LOCAL_TIMESTAMP_MICROS,
    DEC_AVRO_LT_LOCAL_TIMESTAMP_NANOS,
    DEC_AVRO_LT_DECIMAL,  /* bytes or fixed */
    DEC_AVRO_LT_UUID,     /* string or fixed(16) */
    DEC_AVRO_LT_DURATION, /* fixed(12) */
} dec_avro_logical;

/* decimals longer than this render as bytes: base conversion is quadratic */
#define DEC_AVRO_DECIMAL_MAX_BYTES 4096
#define DEC_AVRO_DECIMAL_MAX_PRECISION 10000

typedef struct dec_avro_node {
    avro_type_t type;     /* never AVRO_LINK */
    avro_schema_t schema; /* borrowed from the owning dec_avro_schema */
    dec_avro_logical logical;
    int precision, scale; /* DECIMAL */
    int64_t fixed_size;   /* FIXED */
    size_t nsymbols;      /* ENUM */
    size_t nchildren;     /* record fields, union branches, 1 for array/map */
    struct dec_avro_node **children;
    char *label;      /* union branch label: type name or full name */
    bool union_plain; /* UNION with at most one non-null branch */
    int mark;         /* scratch for graph walks at build time */
} dec_avro_node;

struct dec_avro_schema {
    avro_schema_t avro;
    avro_value_iface_t *iface;
    dec_avro_node *root;
    dec_avro_node **nodes; /* every node, for freeing (the tree may be a graph) */
    size_t nnodes;
};

/* dec_avro_node.c: builds schema->root and schema->nodes from the schema JSON
 * and schema->avro. Returns false with errstr on a schema that cannot be
 * decoded. */
bool dec_avro_node_build(dec_avro_schema *schema, const char *json, size_t len, char *errstr,
                         size_t errstr_size);
void dec_avro_node_free_all(dec_avro_schema *schema);

/* dec_avro_check.c: validates buf against the node tree without allocating. */
bool dec_avro_check(const dec_avro_node *root, const uint8_t *buf, size_t len,
                    const ks_dec_limits *lim, ks_dec_err *err, char *errstr, size_t errstr_size);

/* dec_avro_walk.c: generic value (already checked and read) -> new json tree,
 * NULL with errstr if jansson cannot allocate. */
json_t *dec_avro_walk(const dec_avro_node *node, const avro_value_t *value, char *errstr,
                      size_t errstr_size);

/* dec_avro_logical.c: the renderings of logical types. Each writes a NUL-
 * terminated string and returns its length, or 0 when the value is outside
 * the logical type's domain (the caller then renders the plain value). */
size_t dec_avro_logical_date(int64_t days, char *out, size_t out_size);
size_t dec_avro_logical_timestamp(int64_t value, int digits, bool utc, char *out, size_t out_size);
size_t dec_avro_logical_time(int64_t value, int digits, char *out, size_t out_size);
size_t dec_avro_logical_uuid(const uint8_t *b, size_t len, char *out, size_t out_size);
/* A new string (caller frees), NULL if len > DEC_AVRO_DECIMAL_MAX_BYTES. */
char *dec_avro_logical_decimal(const uint8_t *be, size_t len, int scale);

#endif
