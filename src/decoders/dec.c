/* dec: names of formats and errors, default limits, error formatting. */
#include "dec.h"

#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

static const char *const fmt_names[] = {
    [KS_FMT_NULL] = "null", [KS_FMT_AVRO] = "avro",     [KS_FMT_JSON] = "json",
    [KS_FMT_TEXT] = "text", [KS_FMT_BINARY] = "binary", [KS_FMT_AUTO] = "auto",
};

static const char *const err_names[] = {
    [KS_DEC_OK] = "ok",
    [KS_DEC_TRUNCATED] = "truncated",
    [KS_DEC_TOO_LARGE] = "too large",
    [KS_DEC_TOO_DEEP] = "too deep",
    [KS_DEC_BAD_MAGIC] = "bad magic",
    [KS_DEC_NO_SCHEMA] = "no schema",
    [KS_DEC_BAD_SCHEMA] = "bad schema",
    [KS_DEC_BAD_DATA] = "bad data",
    [KS_DEC_BAD_UTF8] = "bad utf-8",
};

const char *fmt_name(ks_fmt fmt)
{
    if ((unsigned)fmt >= sizeof(fmt_names) / sizeof(fmt_names[0]))
        return "?";
    return fmt_names[fmt];
}

bool fmt_parse(const char *name, ks_fmt *fmt)
{
    if (!name)
        return false;
    for (unsigned i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++) {
        if (strcasecmp(name, fmt_names[i]) == 0) {
            *fmt = (ks_fmt)i;
            return true;
        }
    }
    if (strcasecmp(name, "hex") == 0) {
        *fmt = KS_FMT_BINARY;
        return true;
    }
    return false;
}

const char *dec_err_name(ks_dec_err err)
{
    if ((unsigned)err >= KS_DEC_ERR__COUNT)
        return "?";
    return err_names[err];
}

ks_dec_limits dec_limits_get(const ks_dec_limits *lim)
{
    ks_dec_limits out = KS_DEC_LIMITS_DEFAULT;

    if (lim && lim->max_depth)
        out.max_depth = lim->max_depth;
    if (lim && lim->max_size)
        out.max_size = lim->max_size;
    return out;
}

void dec_set_error(char *errstr, size_t errstr_size, const char *fmt, ...)
{
    va_list ap;

    if (!errstr || !errstr_size)
        return;
    va_start(ap, fmt);
    vsnprintf(errstr, errstr_size, fmt, ap);
    va_end(ap);
}
