/* dec_avro: schema objects and the decode entry point (see dec_avro.h). */
#include "dec_avro.h"
#include "dec_avro_alloc.h"
#include "dec_avro_int.h"
#include "xmalloc.h"

#include <string.h>

dec_avro_schema *dec_avro_schema_new(const char *schema_json, size_t len, char *errstr,
                                     size_t errstr_size)
{
    dec_avro_schema *schema;
    avro_schema_t avro = NULL;

    dec_avro_alloc_install();
    if (!schema_json) {
        dec_set_error(errstr, errstr_size, "avro schema: no text");
        return NULL;
    }
    if (avro_schema_from_json_length(schema_json, len, &avro) != 0 || !avro) {
        /* avro_strerror(): one process-wide buffer in Debian's build (dec_avro.h) */
        dec_set_error(errstr, errstr_size, "avro schema: %s", avro_strerror());
        return NULL;
    }
    schema = xcalloc(1, sizeof(*schema));
    schema->avro = avro;
    if (!dec_avro_node_build(schema, schema_json, len, errstr, errstr_size)) {
        dec_avro_schema_free(schema);
        return NULL;
    }
    /* only after the cycle check: avro-c recurses forever on such records */
    schema->iface = avro_generic_class_from_schema(avro);
    if (!schema->iface) {
        dec_set_error(errstr, errstr_size, "avro schema: %s", avro_strerror());
        dec_avro_schema_free(schema);
        return NULL;
    }
    return schema;
}

void dec_avro_schema_free(dec_avro_schema *schema)
{
    if (!schema)
        return;
    dec_avro_node_free_all(schema);
    if (schema->iface)
        avro_value_iface_decref(schema->iface);
    if (schema->avro)
        avro_schema_decref(schema->avro);
    free(schema);
}

const char *dec_avro_schema_name(const dec_avro_schema *schema)
{
    return schema && schema->root ? schema->root->label : "";
}

json_t *dec_avro_decode(const dec_avro_schema *schema, const uint8_t *buf, size_t len,
                        const ks_dec_limits *lim, ks_dec_err *err, char *errstr, size_t errstr_size)
{
    static const char empty[1];
    ks_dec_limits l = dec_limits_get(lim);
    ks_dec_err e = KS_DEC_OK;
    dec_avro_budget budget;
    avro_value_t value;
    avro_reader_t reader;
    json_t *json = NULL;

    if (!schema) {
        e = KS_DEC_NO_SCHEMA;
        dec_set_error(errstr, errstr_size, "avro: no schema");
        goto out;
    }
    if (!buf && len) {
        e = KS_DEC_BAD_DATA;
        dec_set_error(errstr, errstr_size, "avro: no buffer");
        goto out;
    }
    if (len > l.max_size) {
        e = KS_DEC_TOO_LARGE;
        dec_set_error(errstr, errstr_size, "avro: %zu bytes exceed the %zu-byte limit", len,
                      l.max_size);
        goto out;
    }
    /* bad input stops here, before avro-c allocates anything */
    if (!dec_avro_check(schema->root, buf, len, &l, &e, errstr, errstr_size))
        goto out;

    dec_avro_alloc_scope_begin(&budget, dec_avro_alloc_budget_for(len));
    if (avro_generic_value_new(schema->iface, &value) != 0) {
        e = KS_DEC_TOO_LARGE;
        dec_set_error(errstr, errstr_size, "avro: cannot allocate a value");
        dec_avro_alloc_scope_end(&budget);
        goto out;
    }
    reader = avro_reader_memory(len ? (const char *)buf : empty, (int64_t)len);
    if (!reader) {
        e = KS_DEC_TOO_LARGE;
        dec_set_error(errstr, errstr_size, "avro: cannot allocate a reader");
    } else if (avro_value_read(reader, &value) != 0) {
        e = budget.refused ? KS_DEC_TOO_LARGE : KS_DEC_BAD_DATA;
        dec_set_error(errstr, errstr_size, "avro: %s%s",
                      budget.refused ? "memory budget exceeded: " : "", avro_strerror());
    } else {
        json = dec_avro_walk(schema->root, &value, errstr, errstr_size);
        if (!json)
            e = KS_DEC_BAD_DATA;
    }
    if (reader)
        avro_reader_free(reader);
    avro_value_decref(&value);
    dec_avro_alloc_scope_end(&budget);
out:
    if (err)
        *err = e;
    return json;
}
