/* dec_avro_logical: text for Avro logical types (dates, times, decimals...).
 *
 * Dates use the proleptic Gregorian calendar on 64-bit day numbers (the
 * era-of-400-years method), so every int64 timestamp has a date and nothing
 * depends on time_t, gmtime or the TZ variable. Decimals convert the unscaled
 * two's-complement integer to base 10 exactly, by repeated division by 10^9. */
#include "dec_avro_int.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int64_t floor_div(int64_t a, int64_t b, int64_t *rem)
{
    int64_t q = a / b, r = a % b;

    if (r < 0) {
        q--;
        r += b;
    }
    *rem = r;
    return q;
}

/* days since 1970-01-01 -> year, month 1-12, day 1-31 */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t rem;
    int64_t z = days + 719468; /* days since 0000-03-01 */
    int64_t era = floor_div(z, 146097, &rem);
    int64_t doe = rem;                                                   /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* March = 0 */

    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int format_year(int64_t y, char *out, size_t out_size)
{
    if (y >= 0 && y <= 9999)
        return snprintf(out, out_size, "%04" PRId64, y);
    if (y < 0)
        return snprintf(out, out_size, "-%04" PRIu64, (uint64_t)0 - (uint64_t)y);
    return snprintf(out, out_size, "+%" PRId64, y);
}

static size_t format_date(int64_t days, char *out, size_t out_size)
{
    int64_t y;
    int m, d;
    char year[32];

    civil_from_days(days, &y, &m, &d);
    format_year(y, year, sizeof(year));
    int n = snprintf(out, out_size, "%s-%02d-%02d", year, m, d);
    return n > 0 && (size_t)n < out_size ? (size_t)n : 0;
}

size_t dec_avro_logical_date(int64_t days, char *out, size_t out_size)
{
    return format_date(days, out, out_size);
}

static int64_t unit_per_second(int digits)
{
    return digits == 3 ? 1000 : digits == 6 ? 1000000 : 1000000000;
}

size_t dec_avro_logical_timestamp(int64_t value, int digits, bool utc, char *out, size_t out_size)
{
    int64_t frac, sod;
    int64_t secs = floor_div(value, unit_per_second(digits), &frac);
    int64_t days = floor_div(secs, 86400, &sod);
    char date[48];

    if (!format_date(days, date, sizeof(date)))
        return 0;
    int n = snprintf(out, out_size, "%sT%02d:%02d:%02d.%0*" PRId64 "%s", date, (int)(sod / 3600),
                     (int)(sod / 60 % 60), (int)(sod % 60), digits, frac, utc ? "Z" : "");
    return n > 0 && (size_t)n < out_size ? (size_t)n : 0;
}

size_t dec_avro_logical_time(int64_t value, int digits, char *out, size_t out_size)
{
    int64_t per_second = unit_per_second(digits);

    if (value < 0 || value >= 86400 * per_second)
        return 0;
    int64_t secs = value / per_second, frac = value % per_second;
    int n = snprintf(out, out_size, "%02d:%02d:%02d.%0*" PRId64, (int)(secs / 3600),
                     (int)(secs / 60 % 60), (int)(secs % 60), digits, frac);
    return n > 0 && (size_t)n < out_size ? (size_t)n : 0;
}

size_t dec_avro_logical_uuid(const uint8_t *b, size_t len, char *out, size_t out_size)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;

    if (len != 16 || out_size < 37)
        return 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
    return o;
}

char *dec_avro_logical_decimal(const uint8_t *be, size_t len, int scale)
{
    bool negative = len > 0 && (be[0] & 0x80);
    uint8_t *mag;
    char *digits, *out;
    size_t ndigits = 0, start = 0;

    if (len > DEC_AVRO_DECIMAL_MAX_BYTES || scale < 0)
        return NULL;
    /* magnitude, big-endian: the two's complement negated if negative */
    mag = xmalloc(len ? len : 1);
    if (len)
        memcpy(mag, be, len);
    if (negative) {
        unsigned carry = 1;
        for (size_t i = len; i-- > 0;) {
            unsigned v = (uint8_t)~mag[i] + carry;
            mag[i] = (uint8_t)v;
            carry = v >> 8;
        }
    }
    /* 2.41 decimal digits per byte, rounded up, in chunks of 9 */
    digits = xmalloc(len * 3 + 10);
    while (start < len && mag[start] == 0)
        start++;
    while (start < len) {
        /* divide mag by 10^9, most significant byte first */
        uint64_t rem = 0;
        for (size_t i = start; i < len; i++) {
            uint64_t cur = rem << 8 | mag[i];
            mag[i] = (uint8_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        while (start < len && mag[start] == 0)
            start++;
        for (int k = 0; k < 9; k++) { /* least significant digit first */
            digits[ndigits++] = (char)('0' + rem % 10);
            rem /= 10;
        }
    }
    while (ndigits > 1 && digits[ndigits - 1] == '0')
        ndigits--;
    if (ndigits == 0)
        digits[ndigits++] = '0';
    /* sign, integer part, point, fraction padded to scale digits */
    size_t int_digits = ndigits > (size_t)scale ? ndigits - (size_t)scale : 0;
    out = xmalloc(ndigits + (size_t)scale + 4);
    size_t o = 0;
    if (negative)
        out[o++] = '-';
    if (int_digits == 0)
        out[o++] = '0';
    for (size_t i = 0; i < int_digits; i++)
        out[o++] = digits[ndigits - 1 - i];
    if (scale > 0) {
        out[o++] = '.';
        for (size_t i = ndigits; i < (size_t)scale; i++)
            out[o++] = '0';
        for (size_t i = ndigits - int_digits; i-- > 0;)
            out[o++] = digits[i];
    }
    out[o] = '\0';
    free(mag);
    free(digits);
    return out;
}
