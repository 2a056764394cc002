/* view_load_form: the load form's fields over ks_load_spec, pure (no curses; test_load_form.c).
 * Values are read through load_spec_format and written through load_spec_parse, so the
 * form knows names and choices but never parses a value itself. */
#ifndef KS_VIEW_LOAD_FORM_H
#define KS_VIEW_LOAD_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "load.h"

typedef enum ks_form_kind {
    FORM_TEXT, /* topic, group: edited in the prompt */
    FORM_INT,  /* edited in the prompt, h/l step by one */
    FORM_ENUM, /* Space/h/l cycle through the choices */
    FORM_BOOL, /* "no", "yes" */
} ks_form_kind;

int view_load_form_count(void);
const char *view_load_form_key(int field); /* the :load-set key, NULL out of range */
ks_form_kind view_load_form_kind(int field);
int view_load_form_find(const char *key, size_t len); /* field index or -1 */

/* The field's value into buf. raw: as load_spec_parse reads it (the prompt's
 * prefill); otherwise as the form shows it ("unlimited", "default", "yes"). */
char *view_load_form_value(const ks_load_spec *spec, int field, bool raw, char *buf, size_t size);

/* Applies "key=value;..." to spec the way every form edit does: a value the
 * parser refuses changes nothing (-1); a spec that was valid and would fail
 * load_spec_check changes nothing (-1, the checker's message); a spec already
 * invalid takes the edit (1, the checker's message: still invalid); else 0. */
int view_load_form_apply(ks_load_spec *spec, const char *text, char *errstr, size_t errstr_size);

/* Enum and bool fields: the next (dir > 0) or previous choice; int fields:
 * plus or minus one; text fields: -1 with a hint. Returns as _apply. */
int view_load_form_cycle(ks_load_spec *spec, int field, int dir, char *errstr, size_t errstr_size);

/* The next run in one line: "topic T  partitions 3  format json  producers 1 x 1000
 * consumers 2" (what S would start, while the form is collapsed). */
void view_load_form_summary(const ks_load_spec *spec, char *buf, size_t size);

#endif
