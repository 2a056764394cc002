/* app: the terminal's owner and the one poll() loop (stdin, signals, the store's wake-up). */
#define _XOPEN_SOURCE_EXTENDED 1
#include "app.h"
#include "draw.h"
#include "fmt.h"
#include "keys.h"
#include "log.h"
#include "clock.h"
#include "snapshot.h"
#include "ui.h"
#include "view_load.h"
#include "widget_statusbar.h"
#include "xmalloc.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define FRAME_MS 33  /* at most ~30 frames a second during bursts of snapshots */
#define TICK_MS 1000 /* the status bar's age ticks once a second */

static int sig_pipe[2] = {-1, -1};
static atomic_bool curses_on;

/* Signal handlers only write one byte; the loop does the work. */
static void on_signal(int sig)
{
    char c = sig == SIGWINCH ? 'w' : 'q';
    int saved = errno;
    if (write(sig_pipe[1], &c, 1) < 0) {
        /* a full pipe already holds a wake-up */
    }
    errno = saved;
}

/* Fatal hook (any thread): give the terminal back before the message prints. */
static void restore_terminal(void)
{
    if (atomic_exchange(&curses_on, false))
        endwin();
}

static int signals_setup(struct sigaction *old)
{
    static const int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;

    if (pipe(sig_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 4; i++)
        sigaction(sigs[i], &sa, &old[i]);
    return 0;
}

static void signals_restore(const struct sigaction *old)
{
    static const int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 4; i++)
        sigaction(sigs[i], &old[i], NULL);
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    sig_pipe[0] = sig_pipe[1] = -1;
}

static bool curses_start(ks_ui *ui)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return false;
    if (!initscr())
        return false;
    atomic_store(&curses_on, true);
    ui->curses = true;
    cbreak(); /* Ctrl-C stays a signal, handled through the pipe */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25); /* Esc alone must feel instant */
    curs_set(0);
    if (!has_colors())
        ui->colors = false;
    return true;
}

static void resize(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
}

static void draw_too_small(const ks_screen *scr)
{
    char msg[128];
    int y = scr->body.h / 2, w = scr->body.w;

    snprintf(msg, sizeof(msg), "terminal too small: %dx%d, ksight needs %dx%d", COLS, LINES,
             LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
    draw_text(y > 0 ? y - 1 : 0, 0, w, ELEM_WARNING, msg, false);
    if (y + 1 < scr->body.h)
        draw_text(y + 1, 0, w, ELEM_MUTED, "enlarge the window, or press q to quit", false);
}

static void draw_frame(ks_ui *ui)
{
    ks_screen scr;

    layout_screen(COLS, LINES, &scr);
    erase();
    curs_set(0);
    if (scr.too_small)
        draw_too_small(&scr);
    else {
        view_draw_header(ui, scr.header);
        view_draw(ui, scr.body);
        statusbar_draw(ui, scr.status);
        statusbar_draw_bottom(ui, scr.prompt);
        /* the prompt placed the cursor; show it only while editing */
        if (ui->prompt.mode == PROMPT_COMMAND || ui->prompt.mode == PROMPT_FILTER)
            curs_set(1);
    }
    refresh();
}

/* Reads every pending key; returns accumulated reactions. */
static int read_keys(ks_ui *ui)
{
    wint_t wc;
    int rc, react = 0;

    while ((rc = get_wch(&wc)) != ERR && !ui->quit) {
        int key = rc == KEY_CODE_YES ? KS_KEY_FN((int)wc) : (int)wc;
        if (rc == KEY_CODE_YES && wc == KEY_RESIZE)
            react |= REACT_REDRAW;
        else if (key == '\r')
            react |= keys_dispatch(ui, '\n'); /* nonl(): Enter arrives as CR */
        else
            react |= keys_dispatch(ui, key);
    }
    return react;
}

static int poll_timeout(bool dirty, int64_t last_draw, int64_t now)
{
    int64_t wait;

    if (dirty)
        wait = last_draw + FRAME_MS - now;
    else
        wait = TICK_MS - now % TICK_MS; /* wake for the next tick of the clock */
    return wait < 0 ? 0 : (int)wait;
}

static void loop(ks_ui *ui)
{
    ks_store *store = ui->opts->store;
    int64_t last_draw = 0, last_tick = 0;
    uint64_t seen_seq = 0;
    bool dirty = true;

    while (!ui->quit) {
        struct pollfd fds[3] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = sig_pipe[0], .events = POLLIN},
            {.fd = store_wake_fd(store), .events = POLLIN},
        };
        int64_t now = clock_mono_ms();
        int react = 0;

        if (poll(fds, 3, poll_timeout(dirty, last_draw, now)) < 0 && errno != EINTR)
            break;
        ui->now_ms = clock_wall_ms();
        if (fds[1].revents & POLLIN) {
            char buf[16];
            ssize_t n = read(sig_pipe[0], buf, sizeof(buf));
            for (ssize_t i = 0; i < n; i++) {
                if (buf[i] == 'q')
                    ui->quit = true;
                else
                    resize(), react |= REACT_REDRAW;
            }
        }
        if (fds[2].revents & POLLIN) {
            ks_snapshot *snap;
            store_drain(store);
            snap = store_acquire(store);
            if (snap->version != ui->snap->version) {
                ui_set_snapshot(ui, snap);
                views_sample(ui);
                react |= REACT_REDRAW;
            } else
                snapshot_unref(snap);
            view_load_watch(ui);
            /* the tail and load services wake the loop without a new snapshot */
            if (view_current(ui) == VIEW_TAIL || view_current(ui) == VIEW_LOAD ||
                view_current(ui) == VIEW_SCHEMA)
                react |= REACT_REDRAW;
        }
        if (fds[0].revents & (POLLHUP | POLLERR))
            ui->quit = true; /* the terminal went away */
        else if (fds[0].revents & POLLIN)
            react |= read_keys(ui);
        if (timeline_seq(ui->opts->timeline) != seen_seq) {
            seen_seq = timeline_seq(ui->opts->timeline);
            react |= REACT_REDRAW;
        }
        now = clock_mono_ms();
        if (now - last_tick >= TICK_MS) {
            last_tick = now;
            react |= REACT_REDRAW;
        }
        if (react & REACT_REPAINT)
            clearok(curscr, TRUE);
        dirty |= (react & (REACT_REDRAW | REACT_REBUILD | REACT_REPAINT)) != 0;
        if (dirty && now - last_draw >= FRAME_MS && !ui->quit) {
            draw_frame(ui);
            last_draw = now;
            dirty = false;
        }
    }
}

int app_run(const ks_app_opts *opts)
{
    struct sigaction old[4];
    ks_ui ui;
    const char *codeset;

    setlocale(LC_ALL, "");
    codeset = nl_langinfo(CODESET);
    fmt_set_utf8(codeset && (!strcmp(codeset, "UTF-8") || !strcmp(codeset, "utf8")));
    ui_init(&ui, opts, store_acquire(opts->store));
    ui.now_ms = clock_wall_ms();
    if (signals_setup(old) != 0) {
        ui_free(&ui);
        fprintf(stderr, "ksight: cannot create a pipe: %s\n", strerror(errno));
        return 1;
    }
    xmalloc_set_fatal_hook(restore_terminal);
    if (!curses_start(&ui)) {
        signals_restore(old);
        ui_free(&ui);
        fprintf(stderr, "ksight: the dashboard needs a terminal (try `ksight snapshot`)\n");
        return 1;
    }
    log_set_stderr(false); /* nothing may write over the screen */
    ui_load_theme(&ui, opts->theme);
    loop(&ui);
    restore_terminal();
    ui.curses = false;
    log_set_stderr(true);
    signals_restore(old);
    ui_free(&ui);
    return 0;
}
