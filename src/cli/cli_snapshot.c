/* cli_snapshot: the one-shot mode; same pollers as the dashboard, one round. */
#include "cli_snapshot.h"
#include "snapshot.h"
#include "snapshot_json.h"
#include "snapshot_text.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int cli_snapshot(ks_target *target, int argc, char **argv)
{
    static const struct option longopts[] = {{"json", no_argument, NULL, 'j'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    bool json = false;
    int c, rc;
    ks_store *store;
    ks_engine *engine;
    ks_snapshot *snap;

    optind = 1;
    while ((c = getopt_long(argc, argv, "+jh", longopts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'h':
            printf("usage: ksight [-b BOOTSTRAP] [OPTIONS] snapshot [--json]\n");
            return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ksight: snapshot: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }

    store = store_new();
    target->interval_ms = 0; /* one round per poller */
    engine = engine_start(target, store, NULL, NULL, NULL, NULL, 0);
    engine_wait_complete(engine, target->timeout_ms + 5000);
    snap = store_acquire(store);
    engine_stop(engine);

    if (!snap->cluster || snap->cluster->part.error) {
        fprintf(stderr, "ksight: %s\n",
                snap->cluster && snap->cluster->part.error ? snap->cluster->part.error
                                                           : "the cluster did not answer in time");
        rc = 1;
    } else {
        rc = 0;
    }
    if (rc == 0 || json) {
        if (json) {
            json_t *doc = snapshot_to_json(snap);
            json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            fputc('\n', stdout);
            json_decref(doc);
        } else {
            snapshot_print_text(snap, stdout);
        }
    }
    fflush(stdout);
    snapshot_unref(snap);
    store_free(store);
    return rc;
}
