/* test_tail_filter: the tail filter's syntax, errors and matching over the
 * JSON texts of keys and values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tail_filter.h"

#include <stdio.h>
#include <string.h>

static const char *const courier =
    "{\"id\":\"c42\",\"position\":{\"lat\":48.8566,\"lon\":2.3522},"
    "\"timestamp\":\"2024-01-02T03:04:05.123Z\",\"tags\":[\"fast\",\"bike\"],"
    "\"n\":12345678901234567,\"ok\":true,\"none\":null,\"name\":\"Jos\u00e9 \\\"J\\\"\","
    "\"items\":[{\"sku\":\"A1\",\"qty\":2},{\"sku\":\"B2\",\"qty\":5}]}";

/* matches EXPR against key and value texts; -1 when EXPR does not parse */
static int m(const char *expr, const char *key, const char *value)
{
    char err[160];
    ks_tail_filter *f = tail_filter_parse(expr, err, sizeof(err));
    ks_tail_subject s = {key, key ? strlen(key) : 0, value, value ? strlen(value) : 0};
    int r;

    if (!f)
        return -1;
    r = tail_filter_match(f, &s);
    tail_filter_free(f);
    return r;
}

#define V(expr) m(expr, "\"c42\"", courier)

static void test_substring(void **state)
{
    (void)state;
    assert_int_equal(V(""), 1);
    assert_int_equal(V("   "), 1);
    assert_int_equal(V("c42"), 1);
    assert_int_equal(V("bike"), 1);
    assert_int_equal(V("BIKE"), 0); /* an upper-case letter: exact case */
    assert_int_equal(V("Bike"), 0);
    assert_int_equal(m("paris", NULL, "\"Paris by night\""), 1); /* lower case: any case */
    assert_int_equal(V("48.85"), 1);
    assert_int_equal(V("absent"), 0);
    assert_int_equal(V("\"J\""), 1); /* quotes in the needle match escaped quotes */
    assert_int_equal(V("\"a b\""), 0);
    assert_int_equal(m("\"night train\"", NULL, "\"the night train\""), 1);
    assert_int_equal(V("c42 bike"), 1); /* every term */
    assert_int_equal(V("c42 car"), 0);
    assert_int_equal(V("!car"), 1);
    assert_int_equal(V("!bike"), 0);
    assert_int_equal(m("c7", "\"c7\"", "\"other\""), 1); /* the key counts too */
    assert_int_equal(m("null", NULL, NULL), 1);
    assert_int_equal(m("http://x/y", NULL, "\"see http://x/y\""), 1); /* ':' is no operator */
}

static void test_key(void **state)
{
    (void)state;
    assert_int_equal(V("key=c42"), 1);
    assert_int_equal(V("key=c4"), 0);
    assert_int_equal(V("key~c4"), 1);
    assert_int_equal(V("key!=c42"), 0);
    assert_int_equal(V("!key=c42"), 0);
    assert_int_equal(m("key=null", NULL, courier), 1);
    assert_int_equal(m("key=42", "42", courier), 1); /* a JSON number key */
    assert_int_equal(m("key>41", "42", courier), 1);
    assert_int_equal(m("key.id=7", "{\"id\":7}", courier), 1); /* a field of a JSON key */
    assert_int_equal(m("key.hex=00ff", "{\"hex\":\"00ff\"}", courier), 1); /* binary */
    assert_int_equal(m("key=\"a b\"", "\"a b\"", courier), 1);
    assert_int_equal(m("key=\"\"", "\"\"", courier), 1);
    assert_int_equal(m("key=\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\"", courier), 1);
}

static void test_fields(void **state)
{
    (void)state;
    assert_int_equal(V("id=c42"), 1);
    assert_int_equal(V("id=C42"), 0);
    assert_int_equal(V("id!=c42"), 0);
    assert_int_equal(V("id~4"), 1);
    assert_int_equal(V("position.lat>45"), 1);
    assert_int_equal(V("position.lat>48.8566"), 0);
    assert_int_equal(V("position.lat>=48.8566"), 1);
    assert_int_equal(V("position.lat<48.9"), 1);
    assert_int_equal(V("position.lat<=48"), 0);
    assert_int_equal(V("position.lat=48.8566"), 1);
    assert_int_equal(V("position.lon>2 position.lat>45"), 1);
    assert_int_equal(V("!position.lat>45"), 0);
    assert_int_equal(V("n=12345678901234567"), 1); /* integers compare exactly */
    assert_int_equal(V("n=12345678901234568"), 0);
    assert_int_equal(V("n>12345678901234566"), 1);
    assert_int_equal(V("timestamp>2024-01-01"), 1); /* ISO strings order by bytes */
    assert_int_equal(V("timestamp<2024-01-02T03"), 0);
    assert_int_equal(V("ok=true"), 1);
    assert_int_equal(V("ok=false"), 0);
    assert_int_equal(V("none=null"), 1);
    assert_int_equal(V("tags[1]=bike"), 1);
    assert_int_equal(V("tags.0=fast"), 1);
    assert_int_equal(V("tags[2]=x"), 0);
    assert_int_equal(V("items[1].sku=B2"), 1);
    assert_int_equal(V("items[1].qty>4"), 1);
    assert_int_equal(V("items.0.qty>4"), 0);
    assert_int_equal(V("position=\"{\\\"lat\\\":48.8566,\\\"lon\\\":2.3522}\""), 1);
    assert_int_equal(V("tags~bike"), 1);
    assert_int_equal(V("name~jos\u00e9"), 1);
    assert_int_equal(V("name=\"Jos\u00e9 \\\"J\\\"\""), 1);
    /* missing fields match no operator, so their negation does */
    assert_int_equal(V("speed>3"), 0);
    assert_int_equal(V("speed!=3"), 0);
    assert_int_equal(V("!speed=3"), 1);
    assert_int_equal(V("position.lat.x=1"), 0);
    /* a string is not a number */
    assert_int_equal(V("id>3"), 1); /* "c42" > "3" as bytes */
    assert_int_equal(V("ok>1"), 0);
    /* value-level and explicit value. paths */
    assert_int_equal(m("value=\"hello\"", NULL, "\"hello\""), 1);
    assert_int_equal(m("value~ell", NULL, "\"hello\""), 1);
    assert_int_equal(m("value.key=1", NULL, "{\"key\":1}"), 1);
    assert_int_equal(m("key=1", NULL, "{\"key\":1}"), 0);
    /* non-JSON values: fields are simply missing */
    assert_int_equal(m("id=1", NULL, "\"id=1\""), 0);
    assert_int_equal(m("\"id=1\"", NULL, "\"id=1\""), 1); /* quoted: a substring */
}

static void test_errors(void **state)
{
    (void)state;
    char err[160], big[2000];

    assert_null(tail_filter_parse("id=", err, sizeof(err)));
    assert_non_null(strstr(err, "missing value after \"id=\""));
    assert_null(tail_filter_parse("\"open", err, sizeof(err)));
    assert_non_null(strstr(err, "unterminated quote"));
    assert_null(tail_filter_parse("!", err, sizeof(err)));
    assert_null(tail_filter_parse("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q=1", err, sizeof(err)));
    assert_non_null(strstr(err, "not a field path"));
    assert_null(tail_filter_parse("a..b=1", err, sizeof(err)));
    assert_null(tail_filter_parse("a[x]=1", err, sizeof(err)));
    assert_null(tail_filter_parse("a b c d e f g h i j k l m n o p q", err, sizeof(err)));
    assert_non_null(strstr(err, "more than 16 terms"));
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_null(tail_filter_parse(big, err, sizeof(err)));
    /* NULL and empty */
    ks_tail_filter *f = tail_filter_parse(NULL, err, sizeof(err));
    assert_non_null(f);
    assert_true(tail_filter_is_empty(f));
    assert_string_equal(tail_filter_text(f), "");
    tail_filter_free(f);
    f = tail_filter_parse("id=c42 !bike", err, sizeof(err));
    assert_int_equal(tail_filter_nterms(f), 2);
    assert_string_equal(tail_filter_text(f), "id=c42 !bike");
    tail_filter_free(f);
    assert_true(tail_filter_match(NULL, &(ks_tail_subject){0}));
}

static void test_garbage_texts(void **state)
{
    (void)state;
    /* malformed or truncated JSON never crashes and never matches a field */
    static const char *const junk[] = {"{",
                                       "{\"id\"",
                                       "{\"id\":",
                                       "{\"id\":\"c4",
                                       "[1,2",
                                       "{\"a\":{\"b\":[1,{\"c\":",
                                       "\"unterminated",
                                       "}}]]",
                                       "{\"id\" \"c42\"}",
                                       "{\"x\":1 \"id\":\"c42\"}"};
    for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        assert_int_equal(m("id=c42", NULL, junk[i]), 0);
        assert_int_equal(m("a.b[1].c=1", NULL, junk[i]), 0);
        assert_int_equal(m("tags[3]=x", NULL, junk[i]), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_substring),     cmocka_unit_test(test_key),
        cmocka_unit_test(test_fields),        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_garbage_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
