/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-ping output. Text is for people, ping-like; JSON is for scripts
 * and carries exact integers (nanoseconds) so that a test can compare
 * what a reflector put on the wire with what was measured.
 */

#include <inttypes.h>
#include <netdb.h>

#include "twr_errest.h"

#include "ping_json.h"
#include "ping_report.h"

#define ADDR_LEN NI_MAXHOST

static double
ms(int64_t ns)
{
	return (double)ns / 1e6;
}

static const char *
seq_kind_name(enum twr_ping_seq_kind k)
{
	switch (k) {
	case TWR_PING_SEQ_COPIED:
		return "copied";
	case TWR_PING_SEQ_OWN:
		return "own";
	default:
		return "unknown";
	}
}

void
twr_ping_report_banner(FILE *f, const struct twr_ping_session *s)
{
	char dst[ADDR_LEN], src[ADDR_LEN];

	fprintf(f,
		"TWAMP-PING %s port %u (%s): %zu octets, %u packets every %.4g s, from %s port "
		"%u\n",
		twr_ping_addr_str(&s->cfg.sock.dst, dst, sizeof(dst)),
		twr_ping_addr_port(&s->cfg.sock.dst), s->cfg.format->label, s->cfg.size,
		s->cfg.count, (double)s->cfg.interval_ns / 1e9,
		twr_ping_addr_str(&s->local, src, sizeof(src)), twr_ping_addr_port(&s->local));
}

void
twr_ping_report_reply(FILE *f, const struct twr_ping_session *s, const struct twr_ping_reply *r,
		      enum twr_ping_verdict verdict)
{
	char dst[ADDR_LEN];

	fprintf(f, "%zu octets from %s: seq=%" PRIu32 " rseq=%" PRIu32, r->len,
		twr_ping_addr_str(&s->cfg.sock.dst, dst, sizeof(dst)), r->sender_seq, r->seq);
	if (r->ttl >= 0)
		fprintf(f, " ttl=%d", r->ttl);
	fprintf(f, " sttl=%u rtt=%.3f ms residence=%.3f ms", r->sender_ttl, ms(r->rtt_ns),
		ms(r->residence_ns));
	if (verdict == TWR_PING_DUPLICATE)
		fputs(" (DUP!)", f);
	else if (verdict == TWR_PING_LATE)
		fputs(" (late)", f);
	fputc('\n', f);
}

/* Counters shown in the text only when they are not zero. */
static void
text_extra(FILE *f, const char *label, uint64_t v)
{
	if (v != 0)
		fprintf(f, ", %" PRIu64 " %s", v, label);
}

/* A bound in the unit that keeps it readable: 23 ns, 1.006 us, 10.010 ms, 16.125 s. */
static void
text_duration(FILE *f, uint64_t ns)
{
	if (ns < 1000)
		fprintf(f, "%" PRIu64 " ns", ns);
	else if (ns < 1000000)
		fprintf(f, "%.3f us", (double)ns / 1e3);
	else if (ns < 1000000000)
		fprintf(f, "%.3f ms", (double)ns / 1e6);
	else
		fprintf(f, "%.3f s", (double)ns / 1e9);
}

static void
text_errest(FILE *f, uint16_t raw)
{
	struct twr_errest e;

	if (twr_errest_decode(raw, &e) < 0) {
		fprintf(f, "reflector error estimate 0x%04x: invalid (Multiplier 0)\n", raw);
		return;
	}
	fprintf(f, "reflector error estimate 0x%04x: %s, bound ", raw,
		e.synchronized ? "synchronized (S=1)" : "not synchronized (S=0)");
	text_duration(f, e.error_ns);
	fprintf(f, "%s\n", e.ptp ? ", PTP timestamps (Z=1)" : "");
}

void
twr_ping_report_text(FILE *f, const struct twr_ping_session *s, const struct twr_ping_summary *sum)
{
	char dst[ADDR_LEN];

	fprintf(f, "--- %s port %u %s statistics ---\n",
		twr_ping_addr_str(&s->cfg.sock.dst, dst, sizeof(dst)),
		twr_ping_addr_port(&s->cfg.sock.dst), s->cfg.format->label);
	twr_ping_report_text_body(f, s, sum);
}

void
twr_ping_report_text_body(FILE *f, const struct twr_ping_session *s,
			  const struct twr_ping_summary *sum)
{
	const struct twr_ping_stats *st = &s->stats;

	fprintf(f, "%u packets sent, %u received, %.2f%% loss", sum->sent, sum->received,
		sum->loss_pct);
	fprintf(f,
		", %" PRIu64 " duplicates, %" PRIu64 " late, %" PRIu64 " out of order, %" PRIu64
		" malformed",
		st->reason[TWR_PING_DUPLICATE], st->reason[TWR_PING_LATE], st->out_of_order,
		st->reason[TWR_PING_MALFORMED]);
	text_extra(f, twr_ping_reason_text(TWR_PING_UNKNOWN_SEQ), st->reason[TWR_PING_UNKNOWN_SEQ]);
	text_extra(f, twr_ping_reason_text(TWR_PING_FOREIGN), st->reason[TWR_PING_FOREIGN]);
	text_extra(f, twr_ping_reason_text(TWR_PING_SSID_MISMATCH),
		   st->reason[TWR_PING_SSID_MISMATCH]);
	text_extra(f, "send errors", st->send_errors);
	text_extra(f, "ICMP errors", st->icmp_errors);
	fputc('\n', f);
	if (sum->seq_kind != TWR_PING_SEQ_UNKNOWN)
		fprintf(f, "reflector sequence numbers: %s\n",
			sum->seq_kind == TWR_PING_SEQ_OWN
				? "its own (stateful)"
				: "copies of ours (stateless, or stateful with no forward loss)");
	if (sum->split_valid)
		fprintf(f, "lost forward %u, backward %u\n", sum->forward_lost, sum->backward_lost);
	if (sum->rtt.n > 0) {
		fprintf(f, "rtt min/median/p99/max = %.3f/%.3f/%.3f/%.3f ms, mean %.3f ms\n",
			ms(sum->rtt.min), ms(sum->rtt.median), ms(sum->rtt.p99), ms(sum->rtt.max),
			ms(sum->rtt.mean));
		if (sum->jitter_valid)
			fprintf(f,
				"jitter %.3f ms (mean |RTT difference| of consecutive packets)\n",
				ms(sum->jitter_ns));
		fprintf(f, "reflector residence min/median/max = %.3f/%.3f/%.3f ms\n",
			ms(sum->residence.min), ms(sum->residence.median), ms(sum->residence.max));
	}
	if (sum->sender_ttl_min >= 0) {
		fprintf(f, "ttl: replies ");
		if (sum->reply_ttl_min < 0)
			fprintf(f, "unknown");
		else if (sum->reply_ttl_min == sum->reply_ttl_max)
			fprintf(f, "%d", sum->reply_ttl_min);
		else
			fprintf(f, "%d-%d", sum->reply_ttl_min, sum->reply_ttl_max);
		if (sum->sender_ttl_min == sum->sender_ttl_max)
			fprintf(f, ", ours at the reflector %d (sent 255)\n", sum->sender_ttl_min);
		else
			fprintf(f, ", ours at the reflector %d-%d (sent 255)\n",
				sum->sender_ttl_min, sum->sender_ttl_max);
	}
	if (st->errest_seen)
		text_errest(f, st->errest);
	if (s->cfg.ssid != 0 && st->ssid_zero != 0)
		fprintf(f,
			"%" PRIu64 " replies with SSID 0: the reflector does not echo SSIDs "
			"(RFC 8972)\n",
			st->ssid_zero);
	if (st->tlv_unrecognized != 0 || st->tlv_malformed != 0)
		fprintf(f,
			"TLVs: %" PRIu64 " replies with unrecognized, %" PRIu64 " with malformed\n",
			st->tlv_unrecognized, st->tlv_malformed);
	if (!s->kernel_ts)
		fprintf(f, "note: no kernel receive timestamps, T4 read after receive\n");
}

/* JSON -------------------------------------------------------------------- */

void
twr_ping_report_json_addr(struct twr_ping_json *j, const char *key, const struct twr_ping_addr *a)
{
	char buf[ADDR_LEN];
	uint16_t port = twr_ping_addr_port(a);

	twr_ping_json_object_begin(j, key, true);
	twr_ping_json_string(j, "address", twr_ping_addr_str(a, buf, sizeof(buf)));
	/* Port 0 is never one we used: the totals of several sessions have none. */
	if (port != 0)
		twr_ping_json_uint(j, "port", port);
	else
		twr_ping_json_null(j, "port");
	twr_ping_json_object_end(j);
}

static void
json_dist(struct twr_ping_json *j, const char *key, const struct twr_ping_dist *d, bool p99)
{
	if (d->n == 0) {
		twr_ping_json_null(j, key);
		return;
	}
	twr_ping_json_object_begin(j, key, true);
	twr_ping_json_uint(j, "count", d->n);
	twr_ping_json_int(j, "min", d->min);
	twr_ping_json_int(j, "median", d->median);
	if (p99)
		twr_ping_json_int(j, "p99", d->p99);
	twr_ping_json_int(j, "max", d->max);
	twr_ping_json_int(j, "mean", d->mean);
	twr_ping_json_object_end(j);
}

static void
json_range(struct twr_ping_json *j, const char *key, int lo, int hi)
{
	if (lo < 0) {
		twr_ping_json_null(j, key);
		return;
	}
	twr_ping_json_object_begin(j, key, true);
	twr_ping_json_int(j, "min", lo);
	twr_ping_json_int(j, "max", hi);
	twr_ping_json_object_end(j);
}

static void
json_errest(struct twr_ping_json *j, const char *key, uint16_t raw)
{
	struct twr_errest e;
	char hex[8];
	bool valid = twr_errest_decode(raw, &e) == 0;

	snprintf(hex, sizeof(hex), "0x%04x", raw);
	twr_ping_json_object_begin(j, key, true);
	twr_ping_json_string(j, "raw", hex);
	twr_ping_json_bool(j, "valid", valid);
	twr_ping_json_bool(j, "synchronized", e.synchronized);
	twr_ping_json_bool(j, "ptp", e.ptp);
	twr_ping_json_uint(j, "scale", e.scale);
	twr_ping_json_uint(j, "multiplier", e.multiplier);
	twr_ping_json_uint(j, "bound_ns", e.error_ns);
	twr_ping_json_object_end(j);
}

static void
json_reflector(struct twr_ping_json *j, const struct twr_ping_session *s,
	       const struct twr_ping_summary *sum)
{
	const struct twr_ping_stats *st = &s->stats;

	twr_ping_json_object_begin(j, "reflector", false);
	twr_ping_json_string(j, "sequence", seq_kind_name(sum->seq_kind));
	if (sum->split_valid) {
		twr_ping_json_uint(j, "forward_lost", sum->forward_lost);
		twr_ping_json_uint(j, "backward_lost", sum->backward_lost);
	} else {
		twr_ping_json_null(j, "forward_lost");
		twr_ping_json_null(j, "backward_lost");
	}
	if (st->errest_seen)
		json_errest(j, "error_estimate", st->errest);
	else
		twr_ping_json_null(j, "error_estimate");
	if (st->errest_seen && s->cfg.format->mode == TWR_PING_MODE_STAMP)
		twr_ping_json_uint(j, "ssid", st->ssid_seen);
	else
		twr_ping_json_null(j, "ssid");
	twr_ping_json_uint(j, "ssid_zero", st->ssid_zero);
	twr_ping_json_uint(j, "tlv_unrecognized", st->tlv_unrecognized);
	twr_ping_json_uint(j, "tlv_malformed", st->tlv_malformed);
	twr_ping_json_object_end(j);
}

static const char *
packet_status(uint8_t flags)
{
	if (!(flags & TWR_PING_REC_SENT))
		return "send_error";
	if (flags & TWR_PING_REC_RECEIVED)
		return "received";
	if (flags & TWR_PING_REC_LATE)
		return "late";
	return "lost";
}

static void
json_packets(struct twr_ping_json *j, const struct twr_ping_session *s)
{
	uint32_t i;

	twr_ping_json_array_begin(j, "packets", false);
	for (i = 0; i < s->next_seq && i < s->stats.capacity; i++) {
		const struct twr_ping_record *rec = &s->stats.rec[i];

		twr_ping_json_object_begin(j, NULL, true);
		twr_ping_json_uint(j, "seq", i);
		twr_ping_json_string(j, "status", packet_status(rec->flags));
		if (rec->flags & (TWR_PING_REC_RECEIVED | TWR_PING_REC_LATE)) {
			twr_ping_json_uint(j, "reflector_seq", rec->reflector_seq);
			twr_ping_json_int(j, "rtt_ns", rec->rtt_ns);
			twr_ping_json_int(j, "residence_ns", rec->residence_ns);
			if (rec->flags & TWR_PING_REC_TTL)
				twr_ping_json_uint(j, "reply_ttl", rec->ttl);
			else
				twr_ping_json_null(j, "reply_ttl");
			twr_ping_json_uint(j, "sender_ttl", rec->sender_ttl);
		}
		twr_ping_json_object_end(j);
	}
	twr_ping_json_array_end(j);
}

void
twr_ping_report_json(FILE *f, const struct twr_ping_session *s, const struct twr_ping_summary *sum,
		     bool per_packet)
{
	struct twr_ping_json j;

	twr_ping_json_init(&j, f);
	twr_ping_json_object_begin(&j, NULL, false);
	twr_ping_report_json_head(&j, s->cfg.format->name);
	twr_ping_report_json_fields(&j, s, sum, per_packet);
	twr_ping_json_object_end(&j);
}

void
twr_ping_report_json_head(struct twr_ping_json *j, const char *mode)
{
	twr_ping_json_string(j, "tool", "twamp-ping");
	twr_ping_json_uint(j, "schema", TWR_PING_JSON_SCHEMA);
	twr_ping_json_string(j, "mode", mode);
}

void
twr_ping_report_json_fields(struct twr_ping_json *j, const struct twr_ping_session *s,
			    const struct twr_ping_summary *sum, bool per_packet)
{
	const struct twr_ping_stats *st = &s->stats;
	int i;

	twr_ping_report_json_addr(j, "destination", &s->cfg.sock.dst);
	twr_ping_report_json_addr(j, "source", &s->local);
	twr_ping_json_uint(j, "size", s->cfg.size);
	twr_ping_json_uint(j, "count", s->cfg.count);
	twr_ping_json_fixed(j, "interval_s", (double)s->cfg.interval_ns / 1e9, 6);
	twr_ping_json_fixed(j, "timeout_s", (double)s->cfg.timeout_ns / 1e9, 6);
	if (s->cfg.sock.dscp >= 0)
		twr_ping_json_int(j, "dscp", s->cfg.sock.dscp);
	else
		twr_ping_json_null(j, "dscp");
	if (s->cfg.ssid != 0)
		twr_ping_json_uint(j, "ssid", s->cfg.ssid);
	else
		twr_ping_json_null(j, "ssid");
	twr_ping_json_string(j, "t4_source", s->kernel_ts ? "kernel" : "user");
	json_errest(j, "sender_error_estimate", s->error_estimate);
	twr_ping_json_uint(j, "sent", sum->sent);
	twr_ping_json_uint(j, "received", sum->received);
	twr_ping_json_uint(j, "lost", sum->lost);
	twr_ping_json_fixed(j, "loss_pct", sum->loss_pct, 3);
	for (i = 0; i < TWR_PING_REASON_MAX; i++)
		twr_ping_json_uint(j, twr_ping_reason_key((enum twr_ping_verdict)i), st->reason[i]);
	twr_ping_json_uint(j, "out_of_order", st->out_of_order);
	twr_ping_json_uint(j, "send_errors", st->send_errors);
	twr_ping_json_uint(j, "icmp_errors", st->icmp_errors);
	json_dist(j, "rtt_ns", &sum->rtt, true);
	if (sum->jitter_valid)
		twr_ping_json_int(j, "jitter_ns", sum->jitter_ns);
	else
		twr_ping_json_null(j, "jitter_ns");
	twr_ping_json_string(j, "jitter_method", "mean_abs_diff_consecutive_rtt");
	json_dist(j, "residence_ns", &sum->residence, false);
	json_range(j, "reply_ttl", sum->reply_ttl_min, sum->reply_ttl_max);
	json_range(j, "sender_ttl", sum->sender_ttl_min, sum->sender_ttl_max);
	json_reflector(j, s, sum);
	if (per_packet)
		json_packets(j, s);
}
