/* audit: the delivery audit of one load run, as pure arithmetic.
 *
 * Every message of a run carries (producer thread t, sequence s) with s
 * counting 0, 1, 2... per thread. The producer side says which sequences were
 * sent, acknowledged or failed; the consumer side says which (t, s) it read
 * at which (partition, offset). From these the audit separates:
 *   lost            acknowledged, never consumed (meaningful once drained)
 *   log duplicate   a second copy of (t, s) at another offset: the log holds
 *                   it twice (a producer retry without idempotence)
 *   redelivered     an offset consumed a second time (rebalance or restart
 *                   before the commit: at-least-once), apart from the above
 *   out of order    within one partition, a sequence of thread t below one
 *                   already read there from t (retries reordered a batch)
 *   never acked     sent but neither acknowledged nor failed (acks=0, or
 *                   still unknown when the run stopped), and failed sends.
 *
 * DESIGN: memory is bounded by bitmaps (seqset: 1 bit per sequence and per
 * offset, in 8 KiB leaves allocated as touched), not by a record per message.
 * Producer-side calls are lock-free (thread t is the only writer of its
 * sets, and they are atomic). Consumer-side calls and summaries take the
 * audit's mutex, once per batch. No I/O, no clocks: the caller passes data. */
#ifndef KS_AUDIT_H
#define KS_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ks_audit ks_audit;

/* nthreads producer threads (> 0), npartitions known so far (grows on use). */
ks_audit *audit_new(int nthreads, int npartitions);
void audit_free(ks_audit *audit); /* after every user stopped; NULL is fine */
int audit_threads(const ks_audit *audit);

/* Offsets below base on this partition were in the log before the run:
 * consumed records there are not tracked for redelivery. Set before
 * consumption starts; without it the first offset consumed is the base. */
void audit_set_base(ks_audit *audit, int32_t partition, int64_t base);

/* ---- producer side. @locality producer thread t (the only writer for t) */
void audit_sent(ks_audit *audit, int t, uint64_t next_seq); /* sequences [0, next_seq) sent */
void audit_acked(ks_audit *audit, int t, uint64_t seq);
void audit_failed(ks_audit *audit, int t, uint64_t seq);
/* Fire-and-forget asks librdkafka to report errors only: once the queue is
 * flushed to empty, every sent sequence that did not fail was delivered.
 * This marks them acked. Not for acks=0, where delivery means nothing. */
void audit_acked_rest(ks_audit *audit, int t);

/* ---- consumer side. @locality any thread; takes the audit lock. */
typedef enum ks_audit_verdict {
    AUDIT_NEW, /* first copy of (t, s) */
    AUDIT_LOG_DUPLICATE,
    AUDIT_REDELIVERED,
    AUDIT_INVALID, /* t out of range or s beyond what was sent */
} ks_audit_verdict;

typedef struct ks_audit_record {
    int t;
    uint64_t seq;
    int32_t partition;
    int64_t offset;
    ks_audit_verdict verdict; /* out: set by audit_consumed */
} ks_audit_record;

/* Accounts n records read in this order (a batch from one consumer). */
void audit_consumed(ks_audit *audit, ks_audit_record *recs, int n);

/* ---- summaries. @locality any thread; takes the audit lock. */
typedef struct ks_audit_counts {
    uint64_t sent;           /* sequences handed to the client */
    uint64_t acked;          /* delivery confirmed by the cluster */
    uint64_t failed;         /* delivery failed */
    uint64_t unknown;        /* sent, neither acked nor failed (acks=0, in flight) */
    uint64_t received;       /* records consumed, every copy */
    uint64_t unique;         /* distinct sequences consumed */
    uint64_t log_duplicates; /* extra copies stored at other offsets */
    uint64_t redelivered;    /* extra reads of an offset already consumed */
    uint64_t out_of_order;
    uint64_t invalid;          /* records with impossible (t, s) */
    uint64_t lost;             /* acked, not consumed */
    uint64_t gaps;             /* maximal ranges of lost sequences */
    uint64_t unacked_consumed; /* failed or unknown, yet consumed */
    uint64_t unacked_missing;  /* failed or unknown, and not consumed */
} ks_audit_counts;

/* Totals over every thread into *all; per thread into per[0..max) when
 * per is not NULL. Returns the number of threads. */
int audit_summarize(ks_audit *audit, ks_audit_counts *all, ks_audit_counts *per, int max);

/* Lost sequences of thread t as ranges [first, last]; fills up to max and
 * returns how many ranges there are in all. */
uint64_t audit_lost_ranges(ks_audit *audit, int t, uint64_t (*ranges)[2], int max);

/* Bytes of bitmap held, for the memory line of the load view. */
uint64_t audit_bytes(ks_audit *audit);

#endif
