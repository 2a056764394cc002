/* fuzz_schemas: the fixed Avro schemas the avro and decode harnesses use. */
#ifndef KS_FUZZ_SCHEMAS_H
#define KS_FUZZ_SCHEMAS_H

#include "dec_avro.h"
#include "fuzz_common.h"

static const char *const fuzz_schema_texts[] = {
    /* the workbook's Courier */
    ("{\"type\":\"record\",\"name\":\"Courier\",\"namespace\":\"lab\",\"fields\":["
     "{\"name\":\"id\",\"type\":\"string\"},"
     "{\"name\":\"position\",\"type\":{\"type\":\"record\",\"name\":\"Position\",\"fields\":["
     "{\"name\":\"lat\",\"type\":\"double\"},{\"name\":\"lon\",\"type\":\"double\"}]}},"
     "{\"name\":\"timestamp\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]"
     "}"),
    /* every type and every logical type */
    ("{\"type\":\"record\",\"name\":\"All\",\"fields\":["
     "{\"name\":\"n\",\"type\":\"null\"},{\"name\":\"b\",\"type\":\"boolean\"},"
     "{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"l\",\"type\":\"long\"},"
     "{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":\"double\"},"
     "{\"name\":\"by\",\"type\":\"bytes\"},{\"name\":\"s\",\"type\":\"string\"},"
     "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"]}},"
     "{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"X\",\"size\":3}},"
     "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
     "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"long\"]}},"
     "{\"name\":\"u\",\"type\":[\"null\",\"int\",\"string\",\"E\"]},"
     "{\"name\":\"date\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
     "{\"name\":\"tms\",\"type\":{\"type\":\"int\",\"logicalType\":\"time-millis\"}},"
     "{\"name\":\"tus\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
     "{\"name\":\"tsms\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
     "{\"name\":\"tsus\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
     "{\"name\":\"tsns\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-nanos\"}},"
     "{\"name\":\"ltms\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-millis\"}},"
     "{\"name\":\"ltus\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}},"
     "{\"name\":\"ltns\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-nanos\"}},"
     "{\"name\":\"decb\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
     "\"precision\":30,\"scale\":4}},"
     "{\"name\":\"decf\",\"type\":{\"type\":\"fixed\",\"name\":\"DF\",\"size\":9,"
     "\"logicalType\":\"decimal\",\"precision\":20,\"scale\":20}},"
     "{\"name\":\"uuid\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
     "{\"name\":\"uuidf\",\"type\":{\"type\":\"fixed\",\"name\":\"UF\",\"size\":16,"
     "\"logicalType\":\"uuid\"}},"
     "{\"name\":\"dur\",\"type\":{\"type\":\"fixed\",\"name\":\"Dur\",\"size\":12,"
     "\"logicalType\":\"duration\"}}]}"),
    /* recursion: a linked list / tree */
    ("{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
     "{\"name\":\"kids\",\"type\":{\"type\":\"array\",\"items\":\"Node\"}},"
     "{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}"),
    /* containers of unions and zero-size items */
    ("{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":[\"null\",\"boolean\","
     "\"double\",{\"type\":\"record\",\"name\":\"Empty\",\"fields\":[]},\"bytes\"]}}"),
    /* a bare primitive with a logical type */
    "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":9000,\"scale\":3}",
};

#define FUZZ_NSCHEMAS (sizeof(fuzz_schema_texts) / sizeof(fuzz_schema_texts[0]))

/* parsed once per process; harness-only state */
static const dec_avro_schema *fuzz_schema(size_t i)
{
    static dec_avro_schema *schemas[FUZZ_NSCHEMAS];
    static bool ready;

    if (!ready) {
        for (size_t k = 0; k < FUZZ_NSCHEMAS; k++) {
            char errstr[256];
            schemas[k] = dec_avro_schema_new(fuzz_schema_texts[k], strlen(fuzz_schema_texts[k]),
                                             errstr, sizeof(errstr));
            if (!schemas[k]) {
                fprintf(stderr, "fuzz schema %zu: %s\n", k, errstr);
                abort();
            }
        }
        ready = true;
    }
    return schemas[i % FUZZ_NSCHEMAS];
}

#endif
