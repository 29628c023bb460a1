/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Totals of several test sessions (the full mode's --sessions N). Each
 * figure keeps its single-session definition (README.md): distributions
 * are over every received packet, the jitter over consecutive packets of
 * one session, so that one session's total is that session's report.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ping_stats.h"

static void
sum_counters(const struct twr_ping_stats *st, struct twr_ping_stats *total)
{
	int r;

	total->sent += st->sent;
	total->received += st->received;
	for (r = 0; r < TWR_PING_REASON_MAX; r++)
		total->reason[r] += st->reason[r];
	total->out_of_order += st->out_of_order;
	total->send_errors += st->send_errors;
	total->icmp_errors += st->icmp_errors;
	total->ssid_zero += st->ssid_zero;
	total->tlv_unrecognized += st->tlv_unrecognized;
	total->tlv_malformed += st->tlv_malformed;
	total->own_seq |= st->own_seq;
	if (st->errest_seen) {
		total->errest_seen = true;
		total->errest = st->errest;
		total->ssid_seen = st->ssid_seen;
	}
}

static void
range_merge(int *lo, int *hi, int slo, int shi)
{
	if (slo < 0)
		return;
	if (*lo < 0 || slo < *lo)
		*lo = slo;
	if (*hi < 0 || shi > *hi)
		*hi = shi;
}

/* Sequence kind and loss split of the whole from each session's. */
static void
merge_kinds(struct twr_ping_summary *sum, const struct twr_ping_summary *one, bool *split_ok)
{
	if (one->seq_kind == TWR_PING_SEQ_OWN)
		sum->seq_kind = TWR_PING_SEQ_OWN;
	else if (one->seq_kind == TWR_PING_SEQ_COPIED && sum->seq_kind == TWR_PING_SEQ_UNKNOWN)
		sum->seq_kind = TWR_PING_SEQ_COPIED;
	if (one->sent == 0)
		return;
	if (!one->split_valid) {
		*split_ok = false;
		return;
	}
	sum->forward_lost += one->forward_lost;
	sum->backward_lost += one->backward_lost;
}

/* Append a session's received RTTs and residences; add its |dRTT| to the jitter sums. */
static size_t
pool(const struct twr_ping_stats *st, int64_t *rtt, int64_t *res, long double *abs_sum,
     uint64_t *pairs)
{
	bool have_prev = false;
	int64_t prev = 0;
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < st->capacity && n < st->received; i++) {
		const struct twr_ping_record *rec = &st->rec[i];
		long double d;

		if (!(rec->flags & TWR_PING_REC_RECEIVED))
			continue;
		rtt[n] = rec->rtt_ns;
		res[n] = rec->residence_ns;
		n++;
		if (have_prev) {
			d = (long double)rec->rtt_ns - (long double)prev;
			*abs_sum += d < 0 ? -d : d;
			(*pairs)++;
		}
		prev = rec->rtt_ns;
		have_prev = true;
	}
	return n;
}

int
twr_ping_stats_total(const struct twr_ping_stats *const *st, unsigned int n,
		     struct twr_ping_stats *total, struct twr_ping_summary *sum)
{
	struct twr_ping_summary one;
	int64_t *rtt = NULL, *res = NULL;
	long double abs_sum = 0;
	uint64_t pairs = 0;
	bool split_ok = true;
	size_t pooled = 0;
	unsigned int i;
	int ret;

	if (st == NULL || n == 0 || total == NULL || sum == NULL)
		return -EINVAL;
	memset(total, 0, sizeof(*total));
	memset(sum, 0, sizeof(*sum));
	total->highest_received = -1;
	total->timeout_ns = st[0]->timeout_ns;
	sum->reply_ttl_min = sum->reply_ttl_max = -1;
	sum->sender_ttl_min = sum->sender_ttl_max = -1;
	for (i = 0; i < n; i++)
		sum_counters(st[i], total);
	if (total->received > 0) {
		rtt = malloc(total->received * sizeof(*rtt));
		res = malloc(total->received * sizeof(*res));
		if (rtt == NULL || res == NULL) {
			free(rtt);
			free(res);
			return -ENOMEM;
		}
	}
	for (i = 0; i < n; i++) {
		ret = twr_ping_stats_summarize(st[i], &one);
		if (ret < 0) {
			free(rtt);
			free(res);
			return ret;
		}
		merge_kinds(sum, &one, &split_ok);
		range_merge(&sum->reply_ttl_min, &sum->reply_ttl_max, one.reply_ttl_min,
			    one.reply_ttl_max);
		range_merge(&sum->sender_ttl_min, &sum->sender_ttl_max, one.sender_ttl_min,
			    one.sender_ttl_max);
		/* Nothing received: no buffers, and no pointer arithmetic on NULL (UBSan). */
		if (rtt != NULL)
			pooled += pool(st[i], rtt + pooled, res + pooled, &abs_sum, &pairs);
	}
	sum->sent = total->sent;
	sum->received = total->received;
	sum->lost = total->sent - total->received;
	sum->loss_pct = total->sent == 0 ? 0.0 : 100.0 * sum->lost / total->sent;
	sum->split_valid = split_ok && sum->seq_kind != TWR_PING_SEQ_UNKNOWN;
	if (!sum->split_valid)
		sum->forward_lost = sum->backward_lost = 0;
	/* Same rounding as twr_ping_jitter(): one session's total is its own figure. */
	sum->jitter_valid = pairs > 0;
	if (pairs > 0) {
		long double j = abs_sum / (long double)pairs;

		sum->jitter_ns = (int64_t)(j + 0.5L);
	}
	twr_ping_dist_compute(rtt, pooled, &sum->rtt);
	twr_ping_dist_compute(res, pooled, &sum->residence);
	free(rtt);
	free(res);
	return 0;
}
