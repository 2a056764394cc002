/* command: ':' lines -> views or commands, and Tab completion over names from the snapshot. */
#include "command.h"
#include "action.h"
#include "keys.h"
#include "theme.h"
#include "view_load.h"
#include "view_tail.h"
#include "xmalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const ks_command command_table[] = {
    {"ctx", "context profile", "NAME", "switch to another profile of the config file",
     action_context, 0, complete_profiles},
    {"theme", NULL, "NAME", "switch colour theme", action_theme, 0, complete_themes},
    {"interval", NULL, "SECONDS", "set the refresh interval", action_interval},
    {"refresh", NULL, NULL, "refresh now", action_refresh},
    {"internal", NULL, NULL, "show or hide internal topics", action_internal},
    {"tail-filter", NULL, "EXPR", "tail: filter rows (text, key=K, field>N, !term)",
     view_tail_cmd_filter},
    {"tail-export", NULL, "PATH", "tail: write the shown rows as JSON Lines", view_tail_cmd_export},
    {"tail-from", NULL, "SPEC", "tail: restart from beginning|end|N|-N|-15m|@ts",
     view_tail_cmd_from},
    {"tail-format", NULL, "FMT [VALUE-FMT]", "tail: decode as auto, avro, json, text or binary",
     view_tail_cmd_format},
    {"tail-partitions", NULL, "LIST", "tail: restart on all or 0,2,5-7", view_tail_cmd_partitions},
    {"schema-diff", NULL, "A B", "schema: diff version A against B (or latest)",
     view_schema_cmd_diff},
    {"load-set", NULL, "KEY=VALUE;...", "load: change the settings of the next run",
     view_load_cmd_set},
    {"load-rate", NULL, "MS", "load: pause between sends of each producer", view_load_cmd_rate},
    {"load-start", NULL, NULL, "load: start a run with the current settings", view_load_cmd_start,
     ACTION_WRITES},
    {"quit", "q q! exit", NULL, "quit", action_quit},
    {0},
};

/* Is word one of the space-separated names in list? */
static bool in_list(const char *list, const char *word, size_t len)
{
    const char *p = list;
    while (p && *p) {
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && !strncmp(p, word, len))
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

static const ks_command *command_find(const char *word, size_t len)
{
    for (const ks_command *c = command_table; c->name; c++)
        if ((strlen(c->name) == len && !strncmp(c->name, word, len)) ||
            in_list(c->aliases, word, len))
            return c;
    return NULL;
}

int command_run(ks_ui *ui, const char *line)
{
    char name[64];
    const char *arg;
    const ks_command *c;
    size_t len;

    while (isspace((unsigned char)*line))
        line++;
    len = strcspn(line, " \t");
    if (len == 0)
        return REACT_NONE;
    arg = line + len;
    while (isspace((unsigned char)*arg))
        arg++;
    snprintf(name, sizeof(name), "%.*s", (int)len, line);
    if (view_find(name) >= 0)
        return action_view(ui, line);
    if ((c = command_find(line, len)))
        return keys_action(ui, c->fn, *arg ? arg : NULL, c->flags, c->help);
    ui_message(ui, ELEM_ERROR, "unknown command \"%s\" (Tab lists them)", name);
    return REACT_REDRAW;
}

/* ---- completion ---- */

#define CAND_MAX 512

typedef struct cands {
    const char *prefix;
    size_t plen;
    int n;
    char *words[CAND_MAX]; /* owned copies */
} cands;

static void cand_add(void *ctx, const char *word)
{
    cands *c = ctx;
    if (!word || strncmp(word, c->prefix, c->plen) != 0 || c->n == CAND_MAX)
        return;
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->words[i], word))
            return;
    c->words[c->n++] = xstrdup(word);
}

void complete_topics(ks_ui *ui, ks_complete_add *add, void *ctx)
{
    const ks_cluster *cl = ui->snap->cluster;
    for (int i = 0; cl && i < cl->ntopics; i++)
        add(ctx, cl->topics[i].name);
}

void complete_groups(ks_ui *ui, ks_complete_add *add, void *ctx)
{
    const ks_groups *g = ui->snap->groups;
    for (int i = 0; g && i < g->ngroups; i++)
        add(ctx, g->groups[i].id);
}

void complete_subjects(ks_ui *ui, ks_complete_add *add, void *ctx)
{
    const ks_registry *r = ui->snap->registry;
    for (int i = 0; r && i < r->nsubjects; i++)
        add(ctx, r->subjects[i].name);
}

void complete_profiles(ks_ui *ui, ks_complete_add *add, void *ctx)
{
    const ks_config *cfg = ui->opts->config;
    for (int i = 0; cfg && i < cfg->nprofiles; i++)
        add(ctx, cfg->profiles[i].name);
}

void complete_themes(ks_ui *ui, ks_complete_add *add, void *ctx)
{
    char *dirs[4];
    int n = theme_dirs(ui->opts->source_themes_dir, ui->opts->themes_dir, dirs, 4);

    add(ctx, "mono");
    for (int i = 0; i < n; i++) {
        DIR *d = opendir(dirs[i]);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            size_t len = strlen(e->d_name);
            if (len > 6 && !strcmp(e->d_name + len - 6, ".theme")) {
                e->d_name[len - 6] = '\0';
                add(ctx, e->d_name);
            }
        }
        if (d)
            closedir(d);
        free(dirs[i]);
    }
}

/* Candidates for the first word: view names and command names. */
static void complete_names(cands *c)
{
    for (int id = 0; id < VIEW__COUNT; id++)
        cand_add(c, view_def(id)->name);
    for (const ks_command *cmd = command_table; cmd->name; cmd++)
        cand_add(c, cmd->name);
}

static ks_completer *arg_completer(const char *line, size_t len)
{
    char name[64];
    const ks_command *c;
    int id;

    snprintf(name, sizeof(name), "%.*s", (int)len, line);
    if ((id = view_find(name)) >= 0)
        return view_def(id)->complete;
    c = command_find(line, len);
    return c ? c->complete : NULL;
}

static int cmp_words(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool command_complete(ks_ui *ui, const char *line, char *out, size_t size)
{
    cands c = {0};
    const char *word = strrchr(line, ' ');
    size_t common;
    bool first = word == NULL;

    word = word ? word + 1 : line;
    c.prefix = word;
    c.plen = strlen(word);
    if (first)
        complete_names(&c);
    else {
        ks_completer *fn = arg_completer(line, strcspn(line, " "));
        if (fn)
            fn(ui, cand_add, &c);
    }
    snprintf(out, size, "%s", line);
    if (c.n == 0) {
        ui_message(ui, ELEM_MUTED, "no completion for \"%s\"", word);
        return false;
    }
    qsort(c.words, (size_t)c.n, sizeof(char *), cmp_words);
    common = strlen(c.words[0]);
    for (int i = 1; i < c.n; i++) {
        size_t k = 0;
        while (k < common && c.words[i][k] == c.words[0][k])
            k++;
        common = k;
    }
    snprintf(out, size, "%.*s%.*s%s", (int)(word - line), line, (int)common, c.words[0],
             c.n == 1 ? " " : "");
    if (c.n > 1) {
        char list[256];
        size_t len = 0;
        for (int i = 0; i < c.n && len < sizeof(list); i++)
            len +=
                (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? "  " : "", c.words[i]);
        ui_message(ui, ELEM_MESSAGE, "%s", list);
    }
    for (int i = 0; i < c.n; i++)
        free(c.words[i]);
    return strcmp(out, line) != 0;
}
