/* widget_prompt: the bottom line editor for ':' commands, '/' filters and y/N questions. */
#ifndef KS_WIDGET_PROMPT_H
#define KS_WIDGET_PROMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "layout.h"

#define PROMPT_MAX 256
#define PROMPT_HISTORY 32

typedef enum ks_prompt_mode {
    PROMPT_NONE,
    PROMPT_COMMAND, /* ':' */
    PROMPT_FILTER,  /* '/' */
    PROMPT_CONFIRM, /* a question answered with one key */
} ks_prompt_mode;

/* What an edit did; the dispatcher acts on it. */
typedef enum ks_prompt_result {
    PROMPT_IGNORED,
    PROMPT_EDITED,   /* text changed (a filter applies it at once) */
    PROMPT_MOVED,    /* only the cursor moved */
    PROMPT_SUBMIT,   /* Enter */
    PROMPT_CANCEL,   /* Esc, or Backspace on an empty line */
    PROMPT_COMPLETE, /* Tab */
} ks_prompt_result;

typedef struct ks_prompt {
    ks_prompt_mode mode;
    wchar_t buf[PROMPT_MAX];
    int len, cur;
    char question[128];            /* PROMPT_CONFIRM */
    char saved[PROMPT_MAX * 4];    /* filter before '/' was pressed, restored on Esc */
    char *history[PROMPT_HISTORY]; /* ':' lines, newest last; owned */
    int nhistory, hpos;
} ks_prompt;

void prompt_open(ks_prompt *p, ks_prompt_mode mode, const char *text);
void prompt_close(ks_prompt *p);
void prompt_free(ks_prompt *p); /* history */

/* Edits with one key (a wide character, or KS_KEY_FN(KEY_*)). */
ks_prompt_result prompt_key(ks_prompt *p, int key);

/* The line as UTF-8 into buf; returns buf. */
char *prompt_text(const ks_prompt *p, char *buf, size_t size);
void prompt_set_text(ks_prompt *p, const char *text); /* cursor at the end */
void prompt_remember(ks_prompt *p, const char *line); /* history */

/* Draws the line and places the terminal cursor in it. */
void prompt_draw(const ks_prompt *p, ks_rect line);

#endif
