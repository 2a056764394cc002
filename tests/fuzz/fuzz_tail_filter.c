/* fuzz_tail_filter: the tail filter. Input: EXPR \n KEY \n VALUE (the last two
 * are the JSON texts a row holds; any bytes). Parsing never crashes and
 * explains a refusal; matching is deterministic, reads only its inputs
 * (ASan), and "!" + a one-term expression matches exactly when the term does
 * not. */
#include "fuzz_common.h"
#include "tail_filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    const char *nl1 = memchr(p, '\n', size);
    const char *nl2 = nl1 ? memchr(nl1 + 1, '\n', (size_t)(end - nl1 - 1)) : NULL;
    size_t elen = nl1 ? (size_t)(nl1 - p) : size;
    char *expr, *inverted, err[160] = "";
    ks_tail_filter *f, *g;

    if (elen > TAIL_FILTER_MAX_LEN + 8 || memchr(p, '\0', elen))
        return 0;
    expr = strndup(p, elen);
    /* key and value in their own allocations, so ASan sees any over-read */
    size_t klen = nl1 ? (size_t)((nl2 ? nl2 : end) - nl1 - 1) : 0;
    size_t vlen = nl2 ? (size_t)(end - nl2 - 1) : 0;
    char *key = malloc(klen + 1), *value = malloc(vlen + 1);
    if (klen)
        memcpy(key, nl1 + 1, klen);
    if (vlen)
        memcpy(value, nl2 + 1, vlen);
    ks_tail_subject s = {nl1 ? key : NULL, klen, nl2 ? value : NULL, vlen};

    f = tail_filter_parse(expr, err, sizeof(err));
    if (!f) {
        FUZZ_CHECK(err[0] != '\0');
    } else {
        bool r = tail_filter_match(f, &s);
        FUZZ_CHECK(r == tail_filter_match(f, &s));
        FUZZ_CHECK(strcmp(tail_filter_text(f), expr) == 0);
        if (tail_filter_nterms(f) == 1 && expr[0] != '!' && expr[0] != ' ' && expr[0] != '\t' &&
            expr[0] != '\r') {
            inverted = malloc(elen + 2);
            inverted[0] = '!';
            memcpy(inverted + 1, expr, elen + 1);
            g = tail_filter_parse(inverted, err, sizeof(err));
            if (g) {
                FUZZ_CHECK(tail_filter_nterms(g) == 1);
                FUZZ_CHECK(tail_filter_match(g, &s) == !r);
            }
            tail_filter_free(g);
            free(inverted);
        }
        tail_filter_free(f);
    }
    free(key);
    free(value);
    free(expr);
    return 0;
}
