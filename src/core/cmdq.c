/* cmdq: an unbounded FIFO of small commands under a mutex and condvar.
 *
 * DESIGN: user actions are rare (keystrokes), so a linked list is enough. */
#include "cmdq.h"
#include "xmalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct node {
    struct node *next;
    ks_cmd cmd;
};

struct ks_cmdq {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct node *head, *tail;
};

ks_cmdq *cmdq_new(void)
{
    ks_cmdq *q = xcalloc(1, sizeof(*q));
    pthread_condattr_t attr;

    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cond, &attr);
    pthread_condattr_destroy(&attr);
    return q;
}

void cmdq_free(ks_cmdq *q)
{
    ks_cmd cmd;

    if (!q)
        return;
    while (cmdq_pop(q, &cmd, 0))
        cmd_free(&cmd);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->cond);
    free(q);
}

void cmdq_push(ks_cmdq *q, ks_cmd_kind kind, int64_t i, const char *s, const char *s2)
{
    struct node *n = xcalloc(1, sizeof(*n));

    n->cmd = (ks_cmd){.kind = kind, .i = i, .s = xstrdup(s), .s2 = xstrdup(s2)};
    pthread_mutex_lock(&q->lock);
    if (q->tail)
        q->tail->next = n;
    else
        q->head = n;
    q->tail = n;
    pthread_cond_signal(&q->cond);
    pthread_mutex_unlock(&q->lock);
}

bool cmdq_pop(ks_cmdq *q, ks_cmd *out, int timeout_ms)
{
    struct node *n;
    struct timespec deadline;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    if (timeout_ms > 0) {
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&q->lock);
    while (!q->head && timeout_ms != 0) {
        int rc = timeout_ms < 0 ? pthread_cond_wait(&q->cond, &q->lock)
                                : pthread_cond_timedwait(&q->cond, &q->lock, &deadline);
        if (rc == ETIMEDOUT)
            break;
    }
    n = q->head;
    if (n) {
        q->head = n->next;
        if (!q->head)
            q->tail = NULL;
    }
    pthread_mutex_unlock(&q->lock);
    if (!n)
        return false;
    *out = n->cmd;
    free(n);
    return true;
}

void cmd_free(ks_cmd *cmd)
{
    free(cmd->s);
    free(cmd->s2);
    cmd->s = cmd->s2 = NULL;
}
