/* fuzz_zk_4lw: libFuzzer harness for the srvr reply parser.
 * Checks the contract beyond "no crash": errstr is always terminated and
 * printable, statistics are only claimed valid with a known serving mode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zk_4lw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zk_4lw_srvr srvr;
    char err[96];
    ks_zk_mode mode;

    /* a copy of exactly size bytes, so ASan sees any read past the end */
    char *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    memset(err, 'x', sizeof(err));
    mode = zk_4lw_parse_srvr(buf, size, &srvr, err, sizeof(err));
    free(buf);

    if (mode != srvr.mode)
        abort();
    if (!memchr(err, '\0', sizeof(err)) || !memchr(srvr.version, '\0', sizeof(srvr.version)))
        abort();
    for (const char *p = err; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            abort();
    for (const char *p = srvr.version; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            abort();
    if (srvr.stats_valid && (mode == KS_ZK_UNKNOWN || mode >= KS_ZK_NOT_SERVING))
        abort();
    if ((mode == KS_ZK_UNKNOWN || mode == KS_ZK_NOT_SERVING || mode == KS_ZK_REFUSED) && !err[0])
        abort();
    if (srvr.connections_valid && srvr.connections < 0)
        abort();
    /* no errstr at all must be fine too */
    zk_4lw_parse_srvr((const char *)data, size, &srvr, NULL, 0);
    return 0;
}
