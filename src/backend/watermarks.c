/* watermarks: batched ListOffsets through rd_kafka_offsets_for_times(). */
#include "watermarks.h"

rd_kafka_resp_err_t watermarks_query(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *parts,
                                     int64_t which, int timeout_ms)
{
    rd_kafka_resp_err_t err;

    if (parts->cnt == 0)
        return RD_KAFKA_RESP_ERR_NO_ERROR;
    for (int i = 0; i < parts->cnt; i++) {
        parts->elems[i].offset = which;
        parts->elems[i].err = RD_KAFKA_RESP_ERR_NO_ERROR;
    }
    err = rd_kafka_offsets_for_times(rk, parts, timeout_ms);
    if (err)
        for (int i = 0; i < parts->cnt; i++)
            if (!parts->elems[i].err)
                parts->elems[i].err = err;
    return err;
}
