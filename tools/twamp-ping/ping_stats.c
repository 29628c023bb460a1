/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Statistics of one twamp-ping session. Records are indexed by the sender
 * sequence number, which starts at 0 and grows by one per packet
 * (RFC 4656 §4.1.2), so matching a reply is an array lookup; the figures
 * that need sorting are computed once, at the end.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "twr_stamp.h"
#include "twr_time.h"

#include "ping_stats.h"

static const char *const reason_keys[] = {
#define TWR_PING_REASON_KEY(e, key, text) key,
	TWR_PING_REASONS(TWR_PING_REASON_KEY)
#undef TWR_PING_REASON_KEY
};

static const char *const reason_texts[] = {
#define TWR_PING_REASON_TEXT(e, key, text) text,
	TWR_PING_REASONS(TWR_PING_REASON_TEXT)
#undef TWR_PING_REASON_TEXT
};

const char *
twr_ping_reason_key(enum twr_ping_verdict reason)
{
	if (reason < 0 || reason >= TWR_PING_REASON_MAX)
		return "?";
	return reason_keys[reason];
}

const char *
twr_ping_reason_text(enum twr_ping_verdict reason)
{
	if (reason < 0 || reason >= TWR_PING_REASON_MAX)
		return "?";
	return reason_texts[reason];
}

int
twr_ping_stats_init(struct twr_ping_stats *st, uint32_t count, uint64_t timeout_ns, uint16_t ssid)
{
	if (st == NULL || count == 0 || count > TWR_PING_MAX_COUNT)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	/* calloc: pages of records never written (an interrupted run) cost nothing. */
	st->rec = calloc(count, sizeof(*st->rec));
	if (st->rec == NULL)
		return -ENOMEM;
	st->capacity = count;
	st->timeout_ns = timeout_ns;
	st->ssid = ssid;
	st->highest_received = -1;
	return 0;
}

void
twr_ping_stats_free(struct twr_ping_stats *st)
{
	if (st == NULL)
		return;
	free(st->rec);
	st->rec = NULL;
	st->capacity = 0;
}

void
twr_ping_stats_sent(struct twr_ping_stats *st, uint32_t seq, uint64_t t1)
{
	if (st == NULL || seq >= st->capacity)
		return;
	st->rec[seq].t1 = t1;
	st->rec[seq].flags = TWR_PING_REC_SENT;
	st->sent++;
}

void
twr_ping_stats_count(struct twr_ping_stats *st, enum twr_ping_verdict reason)
{
	if (st == NULL || reason < 0 || reason >= TWR_PING_REASON_MAX)
		return;
	st->reason[reason]++;
}

static enum twr_ping_verdict
refuse(struct twr_ping_stats *st, enum twr_ping_verdict reason)
{
	st->reason[reason]++;
	return reason;
}

/* What the first reply to a packet tells, whether it came in time or not. */
static void
note_reply(struct twr_ping_stats *st, struct twr_ping_record *rec, const struct twr_ping_reply *r)
{
	rec->reflector_seq = r->seq;
	rec->rtt_ns = r->rtt_ns;
	rec->residence_ns = r->residence_ns;
	rec->sender_ttl = r->sender_ttl;
	if (r->ttl >= 0 && r->ttl <= UINT8_MAX) {
		rec->ttl = (uint8_t)r->ttl;
		rec->flags |= TWR_PING_REC_TTL;
	}
	if (r->seq != r->sender_seq)
		st->own_seq = true;
	if (r->seq > st->max_reflector_seq)
		st->max_reflector_seq = r->seq;
	st->errest_seen = true;
	st->errest = r->error_estimate;
	st->ssid_seen = r->ssid;
	if (st->ssid != 0 && r->ssid == 0)
		st->ssid_zero++;
	if (r->tlv_flags & TWR_TLV_FLAG_U)
		st->tlv_unrecognized++;
	if (r->tlv_malformed || (r->tlv_flags & TWR_TLV_FLAG_M))
		st->tlv_malformed++;
}

enum twr_ping_verdict
twr_ping_stats_reply(struct twr_ping_stats *st, const struct twr_ping_reply *r)
{
	struct twr_ping_record *rec;

	if (st == NULL || r == NULL)
		return TWR_PING_MALFORMED;
	if (r->sender_seq >= st->capacity)
		return refuse(st, TWR_PING_UNKNOWN_SEQ);
	rec = &st->rec[r->sender_seq];
	if (!(rec->flags & TWR_PING_REC_SENT))
		return refuse(st, TWR_PING_UNKNOWN_SEQ);
	/* A stray reply to an earlier run from the same port carries another T1. */
	if (r->t1 != rec->t1)
		return refuse(st, TWR_PING_FOREIGN);
	/* SSID 0 is a reflector without RFC 8972 support: accepted, counted apart. */
	if (st->ssid != 0 && r->ssid != 0 && r->ssid != st->ssid)
		return refuse(st, TWR_PING_SSID_MISMATCH);
	if (rec->flags & (TWR_PING_REC_RECEIVED | TWR_PING_REC_LATE))
		return refuse(st, TWR_PING_DUPLICATE);
	note_reply(st, rec, r);
	if (twr_ntp_diff_ns(r->t4, rec->t1) > (int64_t)st->timeout_ns) {
		rec->flags |= TWR_PING_REC_LATE;
		return refuse(st, TWR_PING_LATE);
	}
	rec->flags |= TWR_PING_REC_RECEIVED;
	st->received++;
	if ((int64_t)r->sender_seq < st->highest_received)
		st->out_of_order++;
	else
		st->highest_received = r->sender_seq;
	return TWR_PING_RECEIVED;
}

bool
twr_ping_stats_complete(const struct twr_ping_stats *st)
{
	return st == NULL || st->received + st->reason[TWR_PING_LATE] >= st->sent;
}

/* Round-to-nearest of a long double, without libm. */
static int64_t
round_ns(long double x)
{
	return (int64_t)(x < 0 ? x - 0.5L : x + 0.5L);
}

int64_t
twr_ping_percentile(const int64_t *sorted, size_t n, unsigned int pct)
{
	size_t rank;

	if (sorted == NULL || n == 0)
		return 0;
	if (pct == 0)
		pct = 1;
	if (pct > 100)
		pct = 100;
	rank = (pct * n + 99) / 100;
	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

int64_t
twr_ping_median(const int64_t *sorted, size_t n)
{
	int64_t lo, hi;

	if (sorted == NULL || n == 0)
		return 0;
	if (n % 2 == 1)
		return sorted[n / 2];
	lo = sorted[n / 2 - 1];
	hi = sorted[n / 2];
	/* hi >= lo: no overflow, and the division rounds down. */
	return lo + (int64_t)(((uint64_t)hi - (uint64_t)lo) / 2);
}

int64_t
twr_ping_jitter(const int64_t *rtt, size_t n)
{
	long double sum = 0;
	size_t i;

	if (rtt == NULL || n < 2)
		return 0;
	for (i = 1; i < n; i++) {
		long double d = (long double)rtt[i] - (long double)rtt[i - 1];

		sum += d < 0 ? -d : d;
	}
	return round_ns(sum / (long double)(n - 1));
}

static int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a;
	int64_t y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
twr_ping_dist_compute(int64_t *values, size_t n, struct twr_ping_dist *d)
{
	long double sum = 0;
	size_t i;

	if (d == NULL || (values == NULL && n > 0))
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		sum += (long double)values[i];
	qsort(values, n, sizeof(*values), cmp_int64);
	d->n = (uint32_t)n;
	d->min = values[0];
	d->max = values[n - 1];
	d->median = twr_ping_median(values, n);
	d->p99 = twr_ping_percentile(values, n, 99);
	d->mean = round_ns(sum / (long double)n);
	return 0;
}

static void
minmax(int *lo, int *hi, int v)
{
	if (*lo < 0 || v < *lo)
		*lo = v;
	if (*hi < 0 || v > *hi)
		*hi = v;
}

/*
 * Forward/backward split (RFC 8762 §4). A stateful reflector counts from
 * 0 per reply it transmits, so max(reflector seq) + 1 replies left it:
 * the rest of what we sent was lost on the way there, and what it sent
 * but did not come back (or came late) on the way back. Losses at the very
 * end of the run look like forward losses: no later reply tells the
 * reflector's count. When its counter cannot be ours (it counted more than
 * we sent, or fewer than came back), the split is left unknown.
 */
static void
split_loss(const struct twr_ping_stats *st, struct twr_ping_summary *sum)
{
	uint64_t reflected, answered;

	sum->split_valid = false;
	if (sum->seq_kind == TWR_PING_SEQ_COPIED && sum->lost == 0) {
		sum->split_valid = true;
		return;
	}
	if (sum->seq_kind != TWR_PING_SEQ_OWN)
		return;
	reflected = (uint64_t)st->max_reflector_seq + 1;
	answered = (uint64_t)st->received + st->reason[TWR_PING_LATE];
	if (reflected > st->sent || reflected < answered)
		return;
	sum->split_valid = true;
	sum->forward_lost = st->sent - (uint32_t)reflected;
	sum->backward_lost = (uint32_t)reflected - st->received;
}

int
twr_ping_stats_summarize(const struct twr_ping_stats *st, struct twr_ping_summary *sum)
{
	int64_t *rtt = NULL, *res = NULL;
	size_t n = 0;
	uint32_t i;

	if (st == NULL || sum == NULL)
		return -EINVAL;
	memset(sum, 0, sizeof(*sum));
	sum->reply_ttl_min = sum->reply_ttl_max = -1;
	sum->sender_ttl_min = sum->sender_ttl_max = -1;
	sum->sent = st->sent;
	sum->received = st->received;
	sum->lost = st->sent - st->received;
	sum->loss_pct = st->sent == 0 ? 0.0 : 100.0 * sum->lost / st->sent;
	if (st->received > 0) {
		rtt = malloc(st->received * sizeof(*rtt));
		res = malloc(st->received * sizeof(*res));
		if (rtt == NULL || res == NULL) {
			free(rtt);
			free(res);
			return -ENOMEM;
		}
	}
	for (i = 0; i < st->capacity && n < st->received; i++) {
		const struct twr_ping_record *rec = &st->rec[i];

		if (!(rec->flags & TWR_PING_REC_RECEIVED))
			continue;
		rtt[n] = rec->rtt_ns;
		res[n] = rec->residence_ns;
		n++;
		if (rec->flags & TWR_PING_REC_TTL)
			minmax(&sum->reply_ttl_min, &sum->reply_ttl_max, rec->ttl);
		minmax(&sum->sender_ttl_min, &sum->sender_ttl_max, rec->sender_ttl);
	}
	/* Jitter wants sequence order: before the sort. */
	sum->jitter_valid = n >= 2;
	sum->jitter_ns = twr_ping_jitter(rtt, n);
	twr_ping_dist_compute(rtt, n, &sum->rtt);
	twr_ping_dist_compute(res, n, &sum->residence);
	free(rtt);
	free(res);
	if (!st->errest_seen)
		sum->seq_kind = TWR_PING_SEQ_UNKNOWN;
	else
		sum->seq_kind = st->own_seq ? TWR_PING_SEQ_OWN : TWR_PING_SEQ_COPIED;
	split_loss(st, sum);
	return 0;
}
