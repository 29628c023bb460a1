/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <inttypes.h>
#include <string.h>

#include <rte_mbuf.h>

#include "stats.h"

/* Frames taken off the exception ring. ctl: rw (control lcore only). */
static uint64_t exception_consumed;

void
twr_app_stats_sum(const struct twr_worker *workers, unsigned int n, struct twr_dp_stats *sum)
{
	unsigned int w, i;

	memset(sum, 0, sizeof(*sum));
	for (w = 0; w < n; w++) {
		const struct twr_dp_stats *s = &workers[w].stats;

		for (i = 0; i < TWR_DP_COUNTER_MAX; i++)
			sum->counter[i] += s->counter[i];
		for (i = 1; i < TWR_DP_REASON_MAX; i++)
			sum->reason[i] += s->reason[i];
	}
}

void
twr_app_stats_print(FILE *f, const char *tag, const struct twr_worker *workers, unsigned int n)
{
	struct twr_dp_stats sum;
	unsigned int i;

	twr_app_stats_sum(workers, n, &sum);
	fprintf(f, "%s", tag);
	for (i = 0; i < TWR_DP_COUNTER_MAX; i++)
		fprintf(f, " %s=%" PRIu64, twr_dp_counter_name(i), sum.counter[i]);
	for (i = 1; i < TWR_DP_REASON_MAX; i++)
		fprintf(f, " %s=%" PRIu64, twr_dp_reason_name(i), sum.reason[i]);
	fprintf(f, " exception_consumed=%" PRIu64 "\n", exception_consumed);
	fflush(f);
}

unsigned int
twr_app_exception_drain(struct rte_ring *r)
{
	struct rte_mbuf *m[64];
	unsigned int n, total = 0;

	while ((n = rte_ring_dequeue_burst(r, (void **)m, RTE_DIM(m), NULL)) > 0) {
		rte_pktmbuf_free_bulk(m, n);
		total += n;
	}
	exception_consumed += total;
	return total;
}
