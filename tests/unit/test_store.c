/* test_store: publication by pointer swap, references, and concurrent use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "snapshot.h"
#include "store.h"

static void test_empty_store(void **state)
{
    (void)state;
    ks_store *store = store_new();
    ks_snapshot *snap = store_acquire(store);
    assert_non_null(snap);
    assert_int_equal(snap->version, 0);
    assert_null(snap->cluster);
    assert_null(snap->groups);
    snapshot_unref(snap);
    store_free(store);
}

static void test_publish_shares_other_parts(void **state)
{
    (void)state;
    ks_store *store = store_new();
    ks_cluster *cl = cluster_new();
    ks_groups *gs = groups_new();
    ks_snapshot *a, *b;

    cl->controller = 2;
    store_publish(store, KS_PART_CLUSTER, cl);
    a = store_acquire(store);
    store_publish(store, KS_PART_GROUPS, gs);
    b = store_acquire(store);
    assert_int_equal(a->version, 1);
    assert_int_equal(b->version, 2);
    assert_ptr_equal(a->cluster, cl);
    assert_ptr_equal(b->cluster, cl); /* shared, not copied */
    assert_null(a->groups);           /* the old frame is unchanged */
    assert_ptr_equal(b->groups, gs);
    /* a, and b which is also the store's current snapshot */
    assert_int_equal(atomic_load(&cl->part.refcnt), 2);
    snapshot_unref(a);
    snapshot_unref(b);
    assert_int_equal(atomic_load(&cl->part.refcnt), 1);
    store_free(store);
}

static void test_wake_pipe(void **state)
{
    (void)state;
    ks_store *store = store_new();
    struct pollfd pfd = {.fd = store_wake_fd(store), .events = POLLIN};

    assert_int_equal(poll(&pfd, 1, 0), 0);
    store_publish(store, KS_PART_ZK, zk_new());
    assert_int_equal(poll(&pfd, 1, 0), 1);
    store_drain(store);
    assert_int_equal(poll(&pfd, 1, 0), 0);
    for (int i = 0; i < 100000; i++) /* a full pipe must not block a publisher */
        store_wake(store);
    store_drain(store);
    store_free(store);
}

typedef struct listener_log {
    uint64_t last;
    int calls, out_of_order;
} listener_log;

static void on_publish(const ks_snapshot *old, const ks_snapshot *snap, void *ctx)
{
    listener_log *log = ctx;
    if (snap->version != old->version + 1 || snap->version <= log->last)
        log->out_of_order++;
    log->last = snap->version;
    log->calls++;
}

#define PUBLISHERS 4
#define ROUNDS 2000

static void *publisher(void *arg)
{
    ks_store *store = arg;
    for (int i = 0; i < ROUNDS; i++) {
        ks_cluster *cl = cluster_new();
        cl->controller = i;
        cl->ntopics = 1;
        cl->topics = arena_alloc(cl->part.arena, sizeof(ks_topic));
        cl->topics[0].name = arena_printf(cl->part.arena, "t%d", i);
        store_publish(store, i % 2 ? KS_PART_CLUSTER : KS_PART_GROUPS,
                      i % 2 ? (void *)cl : (void *)groups_new());
        if (!(i % 2))
            part_unref(cl);
    }
    return NULL;
}

static atomic_bool readers_stop;

static void *reader(void *arg)
{
    ks_store *store = arg;
    long frames = 0;
    while (!atomic_load(&readers_stop)) {
        ks_snapshot *snap = store_acquire(store);
        /* a frame must stay readable while publishers replace parts */
        if (snap->cluster && snap->cluster->ntopics == 1)
            assert_true(snap->cluster->topics[0].name[0] == 't');
        snapshot_unref(snap);
        frames++;
    }
    return (void *)frames;
}

static void test_concurrent_publish_acquire(void **state)
{
    (void)state;
    ks_store *store = store_new();
    listener_log log = {0};
    pthread_t pubs[PUBLISHERS], readers[2];
    ks_snapshot *snap;

    store_set_listener(store, on_publish, &log);
    atomic_store(&readers_stop, false);
    for (int i = 0; i < 2; i++)
        pthread_create(&readers[i], NULL, reader, store);
    for (int i = 0; i < PUBLISHERS; i++)
        pthread_create(&pubs[i], NULL, publisher, store);
    for (int i = 0; i < PUBLISHERS; i++)
        pthread_join(pubs[i], NULL);
    atomic_store(&readers_stop, true);
    for (int i = 0; i < 2; i++) {
        void *frames;
        pthread_join(readers[i], &frames);
        assert_true((long)frames > 0);
    }
    snap = store_acquire(store);
    assert_int_equal(snap->version, PUBLISHERS * ROUNDS);
    assert_int_equal(log.calls, PUBLISHERS * ROUNDS);
    assert_int_equal(log.out_of_order, 0);
    snapshot_unref(snap);
    store_free(store); /* ASan/valgrind: every part freed exactly once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_store),
        cmocka_unit_test(test_publish_shares_other_parts),
        cmocka_unit_test(test_wake_pipe),
        cmocka_unit_test(test_concurrent_publish_acquire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
