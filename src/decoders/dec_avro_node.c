/* dec_avro_node: the parallel node tree (logical types, union layout) built
 * from the schema JSON and avro-c's parsed schema side by side.
 *
 * avro-c decides the structure (it resolved names and namespaces); the JSON
 * only contributes attributes avro-c drops. Both are walked in the same order
 * avro-c parsed them, so a named type is always defined (memoised by its
 * avro_schema_t) before a link to it is met. */
#include "dec_avro_int.h"
#include "xmalloc.h"

#include <string.h>

typedef struct build_ctx {
    dec_avro_schema *schema;
    char *errstr;
    size_t errstr_size;
    bool failed;
} build_ctx;

static dec_avro_node *node_new(build_ctx *ctx, avro_schema_t avro)
{
    dec_avro_schema *s = ctx->schema;
    dec_avro_node *node = xcalloc(1, sizeof(*node));

    node->type = avro_typeof(avro);
    node->schema = avro;
    /* grow by doubling: schemas may have thousands of nodes */
    if ((s->nnodes & (s->nnodes - 1)) == 0)
        s->nodes = xrealloc(s->nodes, (s->nnodes ? s->nnodes * 2 : 1) * sizeof(*s->nodes));
    s->nodes[s->nnodes++] = node;
    return node;
}

static dec_avro_node *memo_find(build_ctx *ctx, avro_schema_t avro)
{
    for (size_t i = 0; i < ctx->schema->nnodes; i++)
        if (ctx->schema->nodes[i]->schema == avro &&
            is_avro_named_type(ctx->schema->nodes[i]->schema))
            return ctx->schema->nodes[i];
    return NULL;
}

static bool fail(build_ctx *ctx, const char *msg, const char *what)
{
    if (!ctx->failed)
        dec_set_error(ctx->errstr, ctx->errstr_size, "avro schema: %s%s%s", msg, what ? " " : "",
                      what ? what : "");
    ctx->failed = true;
    return false;
}

static char *full_name(avro_schema_t avro)
{
    const char *ns = avro_schema_namespace(avro);
    const char *name = avro_schema_name(avro);

    if (ns && *ns)
        return xasprintf("%s.%s", ns, name ? name : "");
    return xstrdup(name ? name : "");
}

static const char *str_attr(json_t *json, const char *key)
{
    return json_is_object(json) ? json_string_value(json_object_get(json, key)) : NULL;
}

static bool int_attr(json_t *json, const char *key, json_int_t dflt, json_int_t *out)
{
    json_t *v = json_is_object(json) ? json_object_get(json, key) : NULL;

    if (!v) {
        *out = dflt;
        return true;
    }
    if (!json_is_integer(v))
        return false;
    *out = json_integer_value(v);
    return true;
}

/* The logical type of a node, if the spec allows it on the node's type;
 * an unknown or misplaced logicalType is ignored, as the spec requires. */
static void set_logical(dec_avro_node *node, json_t *json)
{
    static const struct {
        const char *name;
        avro_type_t type;
        dec_avro_logical logical;
    } table[] = {
        {"date", AVRO_INT32, DEC_AVRO_LT_DATE},
        {"time-millis", AVRO_INT32, DEC_AVRO_LT_TIME_MILLIS},
        {"time-micros", AVRO_INT64, DEC_AVRO_LT_TIME_MICROS},
        {"timestamp-millis", AVRO_INT64, DEC_AVRO_LT_TIMESTAMP_MILLIS},
        {"timestamp-micros", AVRO_INT64, DEC_AVRO_LT_TIMESTAMP_MICROS},
        {"timestamp-nanos", AVRO_INT64, DEC_AVRO_LT_TIMESTAMP_NANOS},
        {"local-timestamp-millis", AVRO_INT64, DEC_AVRO_LT_LOCAL_TIMESTAMP_MILLIS},
        {"local-timestamp-micros", AVRO_INT64, DEC_AVRO_LT_LOCAL_TIMESTAMP_MICROS},
        {"local-timestamp-nanos", AVRO_INT64, DEC_AVRO_LT_LOCAL_TIMESTAMP_NANOS},
        {"decimal", AVRO_BYTES, DEC_AVRO_LT_DECIMAL},
        {"decimal", AVRO_FIXED, DEC_AVRO_LT_DECIMAL},
        {"uuid", AVRO_STRING, DEC_AVRO_LT_UUID},
        {"uuid", AVRO_FIXED, DEC_AVRO_LT_UUID},
        {"duration", AVRO_FIXED, DEC_AVRO_LT_DURATION},
    };
    const char *name = str_attr(json, "logicalType");
    json_int_t precision, scale;

    if (!name)
        return;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(name, table[i].name) != 0 || node->type != table[i].type)
            continue;
        switch (table[i].logical) {
        case DEC_AVRO_LT_DECIMAL:
            if (!int_attr(json, "precision", 0, &precision) ||
                !int_attr(json, "scale", 0, &scale) || precision < 1 ||
                precision > DEC_AVRO_DECIMAL_MAX_PRECISION || scale < 0 || scale > precision)
                return;
            node->precision = (int)precision;
            node->scale = (int)scale;
            break;
        case DEC_AVRO_LT_UUID:
            if (node->type == AVRO_FIXED && node->fixed_size != 16)
                return;
            break;
        case DEC_AVRO_LT_DURATION:
            if (node->fixed_size != 12)
                return;
            break;
        default:
            break;
        }
        node->logical = table[i].logical;
        return;
    }
}

static dec_avro_node *build(build_ctx *ctx, json_t *json, avro_schema_t avro);

static bool build_children(build_ctx *ctx, dec_avro_node *node, json_t *json)
{
    avro_schema_t avro = node->schema;
    json_t *fields = NULL;

    switch (node->type) {
    case AVRO_RECORD:
        fields = json_object_get(json, "fields");
        node->nchildren = avro_schema_record_size(avro);
        if (json_array_size(fields) != node->nchildren)
            return fail(ctx, "field count differs from avro-c's in record", node->label);
        break;
    case AVRO_UNION:
        node->nchildren = avro_schema_union_size(avro);
        if (!json_is_array(json) || json_array_size(json) != node->nchildren)
            return fail(ctx, "union differs from avro-c's", NULL);
        break;
    case AVRO_ARRAY:
    case AVRO_MAP:
        node->nchildren = 1;
        break;
    default:
        return true;
    }
    node->children = xcalloc(node->nchildren ? node->nchildren : 1, sizeof(*node->children));
    for (size_t i = 0; i < node->nchildren; i++) {
        json_t *child_json;
        avro_schema_t child;
        if (node->type == AVRO_RECORD) {
            json_t *field = json_array_get(fields, i);
            const char *name = str_attr(field, "name");
            const char *avro_name = avro_schema_record_field_name(avro, (int)i);
            if (!name || !avro_name || strcmp(name, avro_name) != 0)
                return fail(ctx, "field order differs from avro-c's in record", node->label);
            child_json = json_object_get(field, "type");
            child = avro_schema_record_field_get_by_index(avro, (int)i);
        } else if (node->type == AVRO_UNION) {
            child_json = json_array_get(json, i);
            child = avro_schema_union_branch(avro, (int)i);
        } else if (node->type == AVRO_ARRAY) {
            child_json = json_object_get(json, "items");
            child = avro_schema_array_items(avro);
        } else {
            child_json = json_object_get(json, "values");
            child = avro_schema_map_values(avro);
        }
        node->children[i] = build(ctx, child_json, child);
        if (!node->children[i])
            return false;
    }
    if (node->type == AVRO_UNION) {
        size_t non_null = 0;
        for (size_t i = 0; i < node->nchildren; i++)
            non_null += node->children[i]->type != AVRO_NULL;
        node->union_plain = non_null <= 1;
    }
    return true;
}

static dec_avro_node *build(build_ctx *ctx, json_t *json, avro_schema_t avro)
{
    dec_avro_node *node;

    if (!json || !avro) {
        fail(ctx, "missing type", NULL);
        return NULL;
    }
    if (is_avro_link(avro)) {
        node = memo_find(ctx, avro_schema_link_target(avro));
        if (!node)
            fail(ctx, "unresolved reference to", avro_schema_type_name(avro));
        return node;
    }
    node = node_new(ctx, avro);
    if (is_avro_named_type(avro))
        node->label = full_name(avro);
    else
        node->label = xstrdup(avro_schema_type_name(avro));
    if (node->type == AVRO_ENUM)
        node->nsymbols = (size_t)avro_schema_enum_number_of_symbols(avro);
    if (node->type == AVRO_FIXED) {
        node->fixed_size = avro_schema_fixed_size(avro);
        if (node->fixed_size < 0) {
            fail(ctx, "negative size for fixed", node->label);
            return NULL;
        }
    }
    set_logical(node, json);
    if (!build_children(ctx, node, json))
        return NULL;
    return node;
}

/* A record reached again through record fields alone would need an infinite
 * value (and makes avro-c's generic class recurse forever). */
static bool record_cycle(dec_avro_node *node)
{
    if (node->mark == 1)
        return true;
    if (node->mark == 2)
        return false;
    node->mark = 1;
    for (size_t i = 0; i < node->nchildren; i++)
        if (node->children[i]->type == AVRO_RECORD && record_cycle(node->children[i]))
            return true;
    node->mark = 2;
    return false;
}

bool dec_avro_node_build(dec_avro_schema *schema, const char *text, size_t len, char *errstr,
                         size_t errstr_size)
{
    build_ctx ctx = {.schema = schema, .errstr = errstr, .errstr_size = errstr_size};
    json_error_t jerr;
    json_t *json = json_loadb(text, len, JSON_DECODE_ANY, &jerr);

    if (!json) {
        dec_set_error(errstr, errstr_size, "avro schema: %s", jerr.text);
        return false;
    }
    schema->root = build(&ctx, json, schema->avro);
    json_decref(json);
    if (!schema->root)
        return false;
    for (size_t i = 0; i < schema->nnodes; i++) {
        if (schema->nodes[i]->type == AVRO_RECORD && record_cycle(schema->nodes[i])) {
            fail(&ctx,
                 "record contains itself without a union, array or map:", schema->nodes[i]->label);
            return false;
        }
    }
    return true;
}

void dec_avro_node_free_all(dec_avro_schema *schema)
{
    for (size_t i = 0; i < schema->nnodes; i++) {
        free(schema->nodes[i]->children);
        free(schema->nodes[i]->label);
        free(schema->nodes[i]);
    }
    free(schema->nodes);
    schema->nodes = NULL;
    schema->nnodes = 0;
    schema->root = NULL;
}
