/* widget_statusbar: the status line (source, connection, age, interval, badges, errors)
 * and the bottom line (prompt, message or key hints). */
#ifndef KS_WIDGET_STATUSBAR_H
#define KS_WIDGET_STATUSBAR_H

#include "layout.h"
#include "theme.h"
#include "ui.h"

/* Connection state in words from a snapshot: "connecting", "connected",
 * "degraded" (some sources failing) or "unreachable"; pure. */
const char *statusbar_connection(const ks_snapshot *snap, ks_elem *elem);

/* Every source's last error in one line ("kafka: ...; registry: ..."); "" if none. */
char *statusbar_errors(const ks_snapshot *snap, char *buf, size_t size);

void statusbar_draw(ks_ui *ui, ks_rect line);
void statusbar_draw_bottom(ks_ui *ui, ks_rect line);

#endif
