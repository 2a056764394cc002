/* snapshot_text: the snapshot as human-readable tables on a FILE. */
#ifndef KS_SNAPSHOT_TEXT_H
#define KS_SNAPSHOT_TEXT_H

#include <stdio.h>

#include "model.h"

void snapshot_print_text(const ks_snapshot *snap, FILE *out);

#endif
