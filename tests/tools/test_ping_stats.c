/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-ping statistics with known inputs and exact expected numbers:
 * median, p99 (nearest rank), jitter (mean absolute difference of
 * consecutive RTTs), reply matching (duplicates, late, out of order,
 * unknown and foreign replies) and the forward/backward loss split.
 */

#include <errno.h>
#include <string.h>

#include "check_main.h"
#include "twr_stamp.h"

#include "ping_stats.h"

#define MS	 1000000ll
#define NTP_BASE UINT64_C(0xe8fe6f8a00000000)
/* 1 ms in NTP units is not whole; keep the test's T1s 2^-10 s apart instead. */
#define T1_STEP (UINT64_C(1) << 22)

static uint64_t
t1_of(uint32_t seq)
{
	return NTP_BASE + seq * T1_STEP;
}

/* A reply as the parser would leave it; T4 a little after T1 unless told. */
static struct twr_ping_reply
reply(uint32_t sender_seq, uint32_t rseq, int64_t rtt_ns, int64_t residence_ns)
{
	struct twr_ping_reply r;

	memset(&r, 0, sizeof(r));
	r.len = 41;
	r.sender_seq = sender_seq;
	r.seq = rseq;
	r.t1 = t1_of(sender_seq);
	r.t4 = r.t1 + (UINT64_C(1) << 24); /* ~3.9 ms */
	r.rtt_ns = rtt_ns;
	r.residence_ns = residence_ns;
	r.error_estimate = 0x8587;
	r.sender_ttl = 255;
	r.ttl = 64;
	return r;
}

static void
send_all(struct twr_ping_stats *st, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		twr_ping_stats_sent(st, i, t1_of(i));
}

START_TEST(test_median_percentile)
{
	int64_t v[100];
	const int64_t three[] = {10, 20, 30};
	const int64_t two[] = {10, 21};
	const int64_t neg[] = {-7, -4};
	int i;

	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	ck_assert_int_eq(twr_ping_median(v, 100), 50); /* (50 + 51) / 2, rounded down */
	ck_assert_int_eq(twr_ping_percentile(v, 100, 99), 99);
	ck_assert_int_eq(twr_ping_percentile(v, 100, 100), 100);
	ck_assert_int_eq(twr_ping_percentile(v, 100, 50), 50);
	ck_assert_int_eq(twr_ping_percentile(v, 99, 99), 99); /* ceil(98.01) = 99th */
	ck_assert_int_eq(twr_ping_percentile(v, 10, 99), 10);
	ck_assert_int_eq(twr_ping_percentile(v, 1, 99), 1);
	ck_assert_int_eq(twr_ping_percentile(v, 0, 99), 0);
	ck_assert_int_eq(twr_ping_median(three, 3), 20);
	ck_assert_int_eq(twr_ping_median(two, 2), 15);
	ck_assert_int_eq(twr_ping_median(neg, 2), -6); /* -5.5 rounded down */
	ck_assert_int_eq(twr_ping_median(NULL, 0), 0);
}
END_TEST

START_TEST(test_jitter)
{
	const int64_t a[] = {100, 300, 200, 400};
	const int64_t b[] = {1000, 1000, 1000};
	const int64_t c[] = {5 * MS, 7 * MS, 4 * MS, 4 * MS, 9 * MS};

	ck_assert_int_eq(twr_ping_jitter(a, 4), 167); /* (200 + 100 + 200) / 3 = 166.67 */
	ck_assert_int_eq(twr_ping_jitter(b, 3), 0);
	ck_assert_int_eq(twr_ping_jitter(c, 5), 2500000); /* (2 + 3 + 0 + 5) / 4 ms */
	ck_assert_int_eq(twr_ping_jitter(a, 1), 0);
	ck_assert_int_eq(twr_ping_jitter(NULL, 0), 0);
}
END_TEST

START_TEST(test_dist)
{
	int64_t v[] = {30, 10, 20, 40};
	struct twr_ping_dist d;

	ck_assert_int_eq(twr_ping_dist_compute(v, 4, &d), 0);
	ck_assert_uint_eq(d.n, 4);
	ck_assert_int_eq(d.min, 10);
	ck_assert_int_eq(d.median, 25);
	ck_assert_int_eq(d.p99, 40);
	ck_assert_int_eq(d.max, 40);
	ck_assert_int_eq(d.mean, 25);
	ck_assert_int_eq(twr_ping_dist_compute(NULL, 0, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_int_eq(twr_ping_dist_compute(NULL, 3, &d), -EINVAL);
}
END_TEST

START_TEST(test_init_limits)
{
	struct twr_ping_stats st;

	ck_assert_int_eq(twr_ping_stats_init(&st, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(twr_ping_stats_init(&st, TWR_PING_MAX_COUNT + 1, 0, 0), -EINVAL);
	ck_assert_int_eq(twr_ping_stats_init(NULL, 1, 0, 0), -EINVAL);
	ck_assert_int_eq(twr_ping_stats_init(&st, 1, 0, 0), 0);
	twr_ping_stats_free(&st);
	twr_ping_stats_free(NULL);
}
END_TEST

/*
 * Ten packets from a stateless reflector. 4 is lost, 7 comes late, 3
 * comes after 5 (out of order), 2 twice; one reply for a sequence number
 * never sent and one with a T1 we never sent.
 */
START_TEST(test_matching)
{
	/* RTT per sender seq, in ms; 0 where no timely reply. */
	static const int64_t rtt_ms[10] = {10, 12, 11, 20, 0, 14, 13, 0, 15, 10};
	static const uint32_t order[] = {0, 1, 2, 5, 3, 6, 8, 9};
	struct twr_ping_summary sum;
	struct twr_ping_stats st;
	struct twr_ping_reply r;
	size_t i;

	ck_assert_int_eq(twr_ping_stats_init(&st, 10, 1000000000ull, 0), 0);
	send_all(&st, 10);
	ck_assert(!twr_ping_stats_complete(&st));
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		uint32_t seq = order[i];

		r = reply(seq, seq, rtt_ms[seq] * MS, (int64_t)(seq + 1) * 100000);
		ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_RECEIVED);
	}
	r = reply(2, 2, 11 * MS, 300000);
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_DUPLICATE);
	r = reply(10, 10, MS, 0);
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_UNKNOWN_SEQ);
	r = reply(4, 4, MS, 0);
	r.t1 += 1;
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_FOREIGN);
	r = reply(7, 7, 1500 * MS, 0);
	r.t4 = r.t1 + (UINT64_C(3) << 31); /* 1.5 s: beyond the 1 s timeout */
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_LATE);
	r = reply(7, 7, 1500 * MS, 0);
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_DUPLICATE);
	twr_ping_stats_count(&st, TWR_PING_MALFORMED);
	ck_assert(!twr_ping_stats_complete(&st)); /* 4 never answered */

	ck_assert_int_eq(twr_ping_stats_summarize(&st, &sum), 0);
	ck_assert_uint_eq(sum.sent, 10);
	ck_assert_uint_eq(sum.received, 8);
	ck_assert_uint_eq(sum.lost, 2);
	ck_assert(sum.loss_pct == 20.0);
	ck_assert_uint_eq(st.reason[TWR_PING_DUPLICATE], 2);
	ck_assert_uint_eq(st.reason[TWR_PING_LATE], 1);
	ck_assert_uint_eq(st.reason[TWR_PING_UNKNOWN_SEQ], 1);
	ck_assert_uint_eq(st.reason[TWR_PING_FOREIGN], 1);
	ck_assert_uint_eq(st.reason[TWR_PING_MALFORMED], 1);
	ck_assert_uint_eq(st.out_of_order, 1);
	/* RTTs sorted: 10 10 11 12 13 14 15 20 ms. */
	ck_assert_uint_eq(sum.rtt.n, 8);
	ck_assert_int_eq(sum.rtt.min, 10 * MS);
	ck_assert_int_eq(sum.rtt.median, 12500000);
	ck_assert_int_eq(sum.rtt.p99, 20 * MS);
	ck_assert_int_eq(sum.rtt.max, 20 * MS);
	ck_assert_int_eq(sum.rtt.mean, 13125000);
	/* Sequence order 0 1 2 3 5 6 8 9: |2|+|1|+|9|+|6|+|1|+|2|+|5| = 26 ms over 7. */
	ck_assert(sum.jitter_valid);
	ck_assert_int_eq(sum.jitter_ns, 3714286);
	/* Residences 0.1 .. 1.0 ms by seq; received 1 2 3 4 6 7 9 10 (x 0.1 ms). */
	ck_assert_int_eq(sum.residence.min, 100000);
	ck_assert_int_eq(sum.residence.median, 500000);
	ck_assert_int_eq(sum.residence.max, 1000000);
	ck_assert_int_eq(sum.reply_ttl_min, 64);
	ck_assert_int_eq(sum.sender_ttl_max, 255);
	/* Stateless reflector with loss: the split cannot be known. */
	ck_assert_int_eq(sum.seq_kind, TWR_PING_SEQ_COPIED);
	ck_assert(!sum.split_valid);
	twr_ping_stats_free(&st);
}
END_TEST

/* Stateful reflector: 7 lost on the way there, the reply to 12 on the way back. */
START_TEST(test_split_stateful)
{
	struct twr_ping_summary sum;
	struct twr_ping_stats st;
	struct twr_ping_reply r;
	uint32_t seq, rseq = 0;

	ck_assert_int_eq(twr_ping_stats_init(&st, 20, 1000000000ull, 0), 0);
	send_all(&st, 20);
	for (seq = 0; seq < 20; seq++) {
		if (seq == 7)
			continue; /* never reached the reflector: its counter stays */
		r = reply(seq, rseq++, MS, 0);
		if (seq == 12)
			continue; /* reflected, lost on the way back */
		ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_RECEIVED);
	}
	ck_assert_int_eq(twr_ping_stats_summarize(&st, &sum), 0);
	ck_assert_uint_eq(sum.received, 18);
	ck_assert_int_eq(sum.seq_kind, TWR_PING_SEQ_OWN);
	ck_assert(sum.split_valid);
	ck_assert_uint_eq(sum.forward_lost, 1);
	ck_assert_uint_eq(sum.backward_lost, 1);
	ck_assert(sum.loss_pct == 10.0);
	twr_ping_stats_free(&st);
}
END_TEST

/* A reflector counter that cannot be this session's: no split. */
START_TEST(test_split_unknowable)
{
	struct twr_ping_summary sum;
	struct twr_ping_stats st;
	struct twr_ping_reply r;

	ck_assert_int_eq(twr_ping_stats_init(&st, 3, 1000000000ull, 0), 0);
	send_all(&st, 3);
	r = reply(0, 100, MS, 0);
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_RECEIVED);
	ck_assert_int_eq(twr_ping_stats_summarize(&st, &sum), 0);
	ck_assert_int_eq(sum.seq_kind, TWR_PING_SEQ_OWN);
	ck_assert(!sum.split_valid);
	twr_ping_stats_free(&st);

	/* No reply at all: nothing known of the reflector. */
	ck_assert_int_eq(twr_ping_stats_init(&st, 3, 1000000000ull, 0), 0);
	send_all(&st, 3);
	ck_assert_int_eq(twr_ping_stats_summarize(&st, &sum), 0);
	ck_assert_int_eq(sum.seq_kind, TWR_PING_SEQ_UNKNOWN);
	ck_assert(!sum.split_valid);
	ck_assert(!sum.jitter_valid);
	ck_assert_uint_eq(sum.rtt.n, 0);
	ck_assert(sum.loss_pct == 100.0);
	ck_assert_int_eq(sum.reply_ttl_min, -1);
	twr_ping_stats_free(&st);
}
END_TEST

START_TEST(test_no_loss_complete)
{
	struct twr_ping_summary sum;
	struct twr_ping_stats st;
	struct twr_ping_reply r;
	uint32_t seq;

	ck_assert_int_eq(twr_ping_stats_init(&st, 5, 1000000000ull, 0), 0);
	send_all(&st, 5);
	for (seq = 0; seq < 5; seq++) {
		r = reply(seq, seq, (int64_t)seq * MS, MS);
		r.ttl = seq == 2 ? -1 : 60 + (int)seq;
		ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_RECEIVED);
	}
	ck_assert(twr_ping_stats_complete(&st));
	ck_assert_int_eq(twr_ping_stats_summarize(&st, &sum), 0);
	ck_assert_int_eq(sum.seq_kind, TWR_PING_SEQ_COPIED);
	ck_assert(sum.split_valid);
	ck_assert_uint_eq(sum.forward_lost, 0);
	ck_assert_uint_eq(sum.backward_lost, 0);
	ck_assert_int_eq(sum.reply_ttl_min, 60); /* seq 2's unknown TTL is left out */
	ck_assert_int_eq(sum.reply_ttl_max, 64);
	ck_assert_int_eq(sum.jitter_ns, MS);
	ck_assert_int_eq(sum.residence.median, MS);
	twr_ping_stats_free(&st);
}
END_TEST

START_TEST(test_ssid_and_tlvs)
{
	struct twr_ping_stats st;
	struct twr_ping_reply r;

	ck_assert_int_eq(twr_ping_stats_init(&st, 3, 1000000000ull, 77), 0);
	send_all(&st, 3);
	r = reply(0, 0, MS, 0);
	r.ssid = 78;
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_SSID_MISMATCH);
	r.ssid = 77;
	r.tlv_flags = TWR_TLV_FLAG_U;
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_RECEIVED);
	r = reply(1, 1, MS, 0);
	r.ssid = 0; /* a reflector without RFC 8972: accepted, counted */
	r.tlv_malformed = true;
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_RECEIVED);
	ck_assert_uint_eq(st.reason[TWR_PING_SSID_MISMATCH], 1);
	ck_assert_uint_eq(st.ssid_zero, 1);
	ck_assert_uint_eq(st.tlv_unrecognized, 1);
	ck_assert_uint_eq(st.tlv_malformed, 1);
	twr_ping_stats_free(&st);
}
END_TEST

START_TEST(test_reason_names)
{
	ck_assert_str_eq(twr_ping_reason_key(TWR_PING_MALFORMED), "malformed");
	ck_assert_str_eq(twr_ping_reason_key(TWR_PING_DUPLICATE), "duplicates");
	ck_assert_str_eq(twr_ping_reason_key(TWR_PING_LATE), "late");
	ck_assert_str_eq(twr_ping_reason_key(TWR_PING_RECEIVED), "?");
	ck_assert_str_eq(twr_ping_reason_text(TWR_PING_REASON_MAX), "?");
}
END_TEST

/* Totals of the full mode's sessions: one session's total is its own report. */
START_TEST(test_total_one)
{
	const int64_t rtts[] = {5 * MS, 7 * MS, 4 * MS, 9 * MS};
	struct twr_ping_summary one, tot;
	struct twr_ping_stats st, total;
	const struct twr_ping_stats *list[1] = {&st};
	struct twr_ping_reply r;
	uint32_t i;

	ck_assert_int_eq(twr_ping_stats_init(&st, 5, 2000 * MS, 0), 0);
	send_all(&st, 5);
	for (i = 0; i < 4; i++) {
		r = reply(i, i == 3 ? 4 : i, rtts[i], MS); /* stateful: seq 3 lost forward */
		ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_RECEIVED);
	}
	r = reply(1, 1, 0, 0);
	ck_assert_int_eq(twr_ping_stats_reply(&st, &r), TWR_PING_DUPLICATE);
	ck_assert_int_eq(twr_ping_stats_summarize(&st, &one), 0);
	ck_assert_int_eq(twr_ping_stats_total(list, 1, &total, &tot), 0);
	ck_assert_mem_eq(&one, &tot, sizeof(one));
	ck_assert_uint_eq(total.sent, 5);
	ck_assert_uint_eq(total.received, 4);
	ck_assert_uint_eq(total.reason[TWR_PING_DUPLICATE], 1);
	ck_assert_ptr_null(total.rec);
	ck_assert(total.errest_seen);
	ck_assert_uint_eq(total.errest, 0x8587);
	twr_ping_stats_free(&st);
}
END_TEST

START_TEST(test_total_two)
{
	struct twr_ping_stats a, b, total;
	const struct twr_ping_stats *list[2] = {&a, &b};
	struct twr_ping_summary sum;
	struct twr_ping_reply r;

	ck_assert_int_eq(twr_ping_stats_init(&a, 2, 2000 * MS, 0), 0);
	ck_assert_int_eq(twr_ping_stats_init(&b, 3, 2000 * MS, 0), 0);
	send_all(&a, 2);
	send_all(&b, 3);
	r = reply(0, 0, 10 * MS, MS);
	twr_ping_stats_reply(&a, &r);
	r = reply(1, 1, 12 * MS, MS);
	twr_ping_stats_reply(&a, &r);
	r = reply(0, 0, 100 * MS, 2 * MS);
	twr_ping_stats_reply(&b, &r);
	r = reply(2, 2, 101 * MS, 2 * MS); /* seq 1 of b lost */
	twr_ping_stats_reply(&b, &r);
	ck_assert_int_eq(twr_ping_stats_total(list, 2, &total, &sum), 0);
	ck_assert_uint_eq(sum.sent, 5);
	ck_assert_uint_eq(sum.received, 4);
	ck_assert_uint_eq(sum.lost, 1);
	/* |12-10| and |101-100|: the 10 -> 100 step between sessions is no jitter. */
	ck_assert(sum.jitter_valid);
	ck_assert_int_eq(sum.jitter_ns, 1500000);
	ck_assert_uint_eq(sum.rtt.n, 4);
	ck_assert_int_eq(sum.rtt.min, 10 * MS);
	ck_assert_int_eq(sum.rtt.max, 101 * MS);
	ck_assert_int_eq(sum.rtt.median, 56 * MS);
	ck_assert_int_eq(sum.residence.min, MS);
	ck_assert_int_eq(sum.residence.max, 2 * MS);
	/* b's copied counter with a loss has no split: nor has the total. */
	ck_assert_int_eq(sum.seq_kind, TWR_PING_SEQ_COPIED);
	ck_assert(!sum.split_valid);
	ck_assert_int_eq(sum.reply_ttl_min, 64);
	ck_assert_int_eq(twr_ping_stats_total(list, 0, &total, &sum), -EINVAL);
	twr_ping_stats_free(&a);
	twr_ping_stats_free(&b);
}
END_TEST

static Suite *
stats_suite(void)
{
	Suite *s = suite_create("ping-stats");
	TCase *tc = tcase_create("figures");

	tcase_add_test(tc, test_median_percentile);
	tcase_add_test(tc, test_jitter);
	tcase_add_test(tc, test_dist);
	suite_add_tcase(s, tc);

	tc = tcase_create("matching");
	tcase_add_test(tc, test_init_limits);
	tcase_add_test(tc, test_matching);
	tcase_add_test(tc, test_split_stateful);
	tcase_add_test(tc, test_split_unknowable);
	tcase_add_test(tc, test_no_loss_complete);
	tcase_add_test(tc, test_ssid_and_tlvs);
	tcase_add_test(tc, test_reason_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("totals");
	tcase_add_test(tc, test_total_one);
	tcase_add_test(tc, test_total_two);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(stats_suite)
