/* fuzz_registry_parse: libFuzzer harness for the schema registry reply parsers.
 * The first byte picks the parser, the rest is the HTTP body. Checks what the
 * poller relies on: sorted unique names and versions, ranges, "AVRO" default,
 * printable error texts, and that a failure leaves nothing allocated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry_parse.h"

static void check_printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128] = "", msg[64];
    const char *body;
    size_t len;
    char *copy;

    if (size < 1)
        return 0;
    len = size - 1;
    copy = malloc(len ? len : 1); /* exactly len bytes: no NUL terminator to lean on */
    memcpy(copy, data + 1, len);
    body = copy;

    switch (data[0] % 5) {
    case 0: {
        char **names;
        int n;
        if (registry_parse_subjects(body, len, &names, &n, err, sizeof(err)) == 0) {
            for (int i = 1; i < n; i++)
                if (strcmp(names[i - 1], names[i]) >= 0)
                    abort();
            for (int i = 0; i < n; i++)
                if (!names[i][0])
                    abort();
            registry_names_free(names, n);
        } else if (names || n) {
            abort();
        }
        break;
    }
    case 1: {
        int *v, n;
        if (registry_parse_versions(body, len, &v, &n, err, sizeof(err)) == 0) {
            for (int i = 0; i < n; i++)
                if (v[i] < 1 || (i && v[i - 1] >= v[i]))
                    abort();
            free(v);
        } else if (v || n) {
            abort();
        }
        break;
    }
    case 2: {
        ks_schema_info info;
        if (registry_parse_schema(body, len, &info, err, sizeof(err)) == 0) {
            if (!info.schema || !info.type || !info.type[0] || info.id < -1 || info.version < 0)
                abort();
        } else if (info.schema || info.type || info.subject || info.id != -1) {
            abort();
        }
        registry_schema_info_clear(&info);
        break;
    }
    case 3: {
        char *level;
        if (registry_parse_config(body, len, &level, err, sizeof(err)) == 0) {
            if (!level || !level[0])
                abort();
            free(level);
        } else if (level) {
            abort();
        }
        break;
    }
    default:
        if (registry_parse_error(body, len, msg, sizeof(msg)) < 0)
            abort();
        check_printable(msg);
        break;
    }
    check_printable(err);
    free(copy);
    return 0;
}
