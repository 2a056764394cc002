/* cli_tail: read a topic, decode each message, print JSON Lines or text.
 *
 * DESIGN: one thread. Messages come in batches from tail_source, are decoded
 * into the decoder's reused buffers and appended to one output buffer that
 * is written when it is large or when the topic is quiet, so a live tail
 * shows up at once and a bulk read costs one write() per megabyte. */
#include "cli_tail.h"
#include "tail_decode.h"
#include "tail_source.h"
#include "xmalloc.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 1000
#define FLUSH_BYTES (1 << 20)
#define MAX_REASONS 16

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

typedef struct tail_cli {
    bool text;
    ks_tbuf out;
    bool out_closed; /* EPIPE: the reader went away */
    int out_errno;
    char *reasons[MAX_REASONS];
    int nreasons;
    uint64_t undecoded, reported;
    char last_warning[400];
} tail_cli;

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: ksight -b BOOTSTRAP [--registry URL] tail TOPIC [OPTIONS]\n"
            "\n"
            "Reads TOPIC without joining a consumer group and prints each message decoded.\n"
            "\n"
            "  --from WHERE        beginning, end (default), OFFSET, -N (last N per partition),\n"
            "                      -15m/-2h/-30s/-1d, @TIMESTAMP_MS or @YYYY-MM-DDTHH:MM:SSZ\n"
            "  --partition P       only partition P (repeatable; lists and ranges: 0,2,5-7)\n"
            "  --count N           stop after N messages\n"
            "  --until-end         stop at the end offsets seen at the start\n"
            "  --format F          jsonl (default) or text\n"
            "  --key-format F      auto (default), avro, json, text or binary\n"
            "  --value-format F    auto (default), avro, json, text or binary\n"
            "\n"
            "jsonl prints one object per message: topic, partition, offset, timestamp, key,\n"
            "value, key_format, value_format, schema_id, headers.\n");
}

/* Writes the buffer to stdout; a closed pipe ends the tail quietly. */
static void flush_out(tail_cli *c)
{
    size_t off = 0;

    while (off < c->out.len && !c->out_closed && !c->out_errno) {
        ssize_t n = write(STDOUT_FILENO, c->out.p + off, c->out.len - off);
        if (n > 0) {
            off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EPIPE) {
            c->out_closed = true;
        } else {
            c->out_errno = n < 0 ? errno : EIO;
        }
    }
    tbuf_reset(&c->out);
}

/* While the topic is quiet nothing is written, so a reader that went away
 * (`| head`) would go unnoticed: a pipe whose reader closed polls POLLERR. */
static void check_reader(tail_cli *c)
{
    struct pollfd pfd = {.fd = STDOUT_FILENO, .events = POLLOUT};

    if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP)))
        c->out_closed = true;
}

/* jsonl has no room for a reason: tell each distinct one once on stderr */
static void report_reason(tail_cli *c, const ks_tail_row *row, const char *which,
                          const char *reason)
{
    c->undecoded++;
    if (c->text)
        return; /* the text line carries it */
    for (int i = 0; i < c->nreasons; i++)
        if (!strcmp(c->reasons[i], reason))
            return;
    if (c->nreasons == MAX_REASONS)
        return;
    c->reasons[c->nreasons++] = xstrdup(reason);
    c->reported++;
    fprintf(stderr, "ksight: tail: partition %" PRId32 " offset %" PRId64 ": %s shown raw: %s\n",
            row->partition, row->offset, which, reason);
}

static void emit(tail_cli *c, const ks_tail_row *row)
{
    if (row->key.error)
        report_reason(c, row, "key", row->key.error);
    if (row->value.error)
        report_reason(c, row, "value", row->value.error);
    if (c->text)
        tail_row_to_text(row, &c->out);
    else
        tail_row_to_json(row, &c->out);
    tbuf_putc(&c->out, '\n');
}

static void warn_once(tail_cli *c, const char *msg)
{
    if (!strcmp(c->last_warning, msg))
        return;
    snprintf(c->last_warning, sizeof(c->last_warning), "%s", msg);
    fprintf(stderr, "ksight: tail: %s\n", msg);
}

/* Parses the command line into opts; returns 0, or 2 after a message. */
static int parse_args(int argc, char **argv, ks_tail_opts *opts, bool *text, const char **topic)
{
    enum { O_FROM = 256, O_PART, O_COUNT, O_UNTIL, O_FORMAT, O_KFMT, O_VFMT };
    static const struct option longopts[] = {{"from", required_argument, NULL, O_FROM},
                                             {"partition", required_argument, NULL, O_PART},
                                             {"count", required_argument, NULL, O_COUNT},
                                             {"until-end", no_argument, NULL, O_UNTIL},
                                             {"format", required_argument, NULL, O_FORMAT},
                                             {"key-format", required_argument, NULL, O_KFMT},
                                             {"value-format", required_argument, NULL, O_VFMT},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    char err[256];
    int ch;

    optind = 0; /* 0, not 1: glibc re-reads the option string (main's was "+...") */
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (ch) {
        case O_FROM:
            if (tail_from_parse(optarg, &opts->from, err, sizeof(err))) {
                fprintf(stderr, "ksight: tail: %s\n", err);
                return 2;
            }
            break;
        case O_PART:
            if (!strcmp(optarg, "all") ||
                tail_opts_add_partitions(opts, optarg, err, sizeof(err))) {
                fprintf(stderr, "ksight: tail: --partition %s\n",
                        !strcmp(optarg, "all") ? "takes partition numbers" : err);
                return 2;
            }
            break;
        case O_COUNT: {
            char *end;
            errno = 0;
            long long n = strtoll(optarg, &end, 10);
            if (errno || *end || end == optarg || n < 1) {
                fprintf(stderr, "ksight: tail: --count: expected a number >= 1, got \"%s\"\n",
                        optarg);
                return 2;
            }
            opts->count = n;
            break;
        }
        case O_UNTIL:
            opts->until_end = true;
            break;
        case O_FORMAT:
            if (strcmp(optarg, "jsonl") && strcmp(optarg, "text")) {
                fprintf(stderr, "ksight: tail: --format: expected jsonl or text, got \"%s\"\n",
                        optarg);
                return 2;
            }
            *text = !strcmp(optarg, "text");
            break;
        case O_KFMT:
        case O_VFMT:
            if (!tail_fmt_parse(optarg, ch == O_KFMT ? &opts->key_fmt : &opts->value_fmt)) {
                fprintf(stderr,
                        "ksight: tail: %s: expected auto, avro, json, text or binary, got "
                        "\"%s\"\n",
                        ch == O_KFMT ? "--key-format" : "--value-format", optarg);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return -1;
        case ':':
            fprintf(stderr, "ksight: tail: option %s needs a value\n", argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "ksight: tail: unknown option %s (see ksight tail --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "ksight: tail: which topic? (ksight tail TOPIC)\n");
        return 2;
    }
    if (optind + 1 < argc) {
        fprintf(stderr, "ksight: tail: one topic only, got \"%s\" and \"%s\"\n", argv[optind],
                argv[optind + 1]);
        return 2;
    }
    *topic = argv[optind];
    return 0;
}

static int run(tail_cli *c, ks_tail_source *src, ks_tail_decoder *dec, const ks_tail_opts *opts,
               int timeout_ms)
{
    rd_kafka_message_t *msgs[BATCH];
    ks_tail_row row;
    int64_t seen = 0;
    char warning[400];

    while (!got_signal && !c->out_closed && !c->out_errno) {
        int want = BATCH;
        if (opts->count && opts->count - seen < want)
            want = (int)(opts->count - seen);
        int n = tail_source_next(src, msgs, want, 100);
        for (int i = 0; i < n; i++) {
            tail_decoder_row(dec, msgs[i], tail_source_topic(src), &row);
            emit(c, &row);
            rd_kafka_message_destroy(msgs[i]);
        }
        seen += n;
        if (c->out.len >= FLUSH_BYTES || n == 0)
            flush_out(c);
        if (n == 0)
            check_reader(c);
        if ((opts->count && seen >= opts->count) || tail_source_done(src))
            break;
        if (tail_source_take_error(src, warning, sizeof(warning)))
            warn_once(c, warning);
        if (n == 0 && tail_source_cluster_lost(src, timeout_ms)) {
            flush_out(c);
            fprintf(stderr, "ksight: tail: lost the cluster: all brokers are down for %d s\n",
                    timeout_ms / 1000);
            return 1;
        }
    }
    flush_out(c);
    if (c->out_errno) {
        fprintf(stderr, "ksight: tail: writing to stdout: %s\n", strerror(c->out_errno));
        return 1;
    }
    if (got_signal && !c->out_closed)
        return 128 + got_signal;
    return 0;
}

int cli_tail(const ks_target *target, int argc, char **argv)
{
    ks_tail_opts opts;
    tail_cli c = {0};
    const char *topic = NULL;
    char err[512];
    ks_tail_source *src;
    ks_tail_decoder *dec;
    struct sigaction sa = {.sa_handler = on_signal};
    int rc;

    tail_opts_init(&opts);
    rc = parse_args(argc, argv, &opts, &c.text, &topic);
    if (rc) {
        tail_opts_free(&opts);
        return rc < 0 ? 0 : rc;
    }
    signal(SIGPIPE, SIG_IGN); /* a closed stdout is EPIPE, handled as the end */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    src = tail_source_open(
        &(ks_tail_source_cfg){
            .kafka = {.bootstrap = target->bootstrap, .props = &target->props},
            .topic = topic,
            .opts = &opts,
            .timeout_ms = target->timeout_ms > 0 ? target->timeout_ms : 10000,
        },
        err, sizeof(err));
    if (!src) {
        fprintf(stderr, "ksight: tail: %s\n", err);
        tail_opts_free(&opts);
        return 1;
    }
    dec = tail_decoder_new(target->registry, opts.key_fmt, opts.value_fmt);
    rc = run(&c, src, dec, &opts, target->timeout_ms > 0 ? target->timeout_ms : 10000);
    if (c.undecoded > 0 && !c.text && !c.out_closed)
        fprintf(stderr, "ksight: tail: %" PRIu64 " keys or values were shown raw (reasons above)\n",
                c.undecoded);
    tail_decoder_free(dec);
    tail_source_close(src);
    for (int i = 0; i < c.nreasons; i++)
        free(c.reasons[i]);
    tbuf_free(&c.out);
    tail_opts_free(&opts);
    return rc;
}
