/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The NAT diagnosis of a session: reading, naming, formatting (twr_nat_diag.h). */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_common.h>
#include <rte_spinlock.h>

#include "twr_addr.h"
#include "twr_nat.h"
#include "twr_nat_diag.h"

#define DIAG_NS_PER_S 1000000000ull

static const char *const policy_names[] = {
	[TWR_NAT_STRICT] = "strict",
	[TWR_NAT_LATCH] = "latch",
};

static const char *const state_names[] = {
	[TWR_NAT_STATE_NONE] = "none",
	[TWR_NAT_STATE_PENDING] = "pending",
	[TWR_NAT_STATE_LATCHED] = "latched",
	[TWR_NAT_STATE_EXPIRED] = "expired",
};

static const char *const cause_names[] = {
	[TWR_NAT_CAUSE_NONE] = "none",
	[TWR_NAT_CAUSE_ADDRESS_ONLY] = "address-only-nat",
	[TWR_NAT_CAUSE_PORT_REWRITING] = "port-rewriting-nat",
	[TWR_NAT_CAUSE_OTHER_HOST] = "other-host",
};

const char *
twr_nat_policy_name(unsigned int policy)
{
	return policy < RTE_DIM(policy_names) ? policy_names[policy] : "unknown";
}

const char *
twr_nat_state_name(unsigned int state)
{
	return state < RTE_DIM(state_names) ? state_names[state] : "unknown";
}

const char *
twr_nat_cause_name(unsigned int cause)
{
	return cause < RTE_DIM(cause_names) ? cause_names[cause] : "unknown";
}

int
twr_nat_policy_parse(const char *name)
{
	unsigned int i;

	for (i = 0; name != NULL && i < RTE_DIM(policy_names); i++)
		if (strcmp(name, policy_names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

void
twr_nat_tuple_fmt(char *buf, size_t len, const uint8_t addr[16], uint16_t port)
{
	char ip[INET6_ADDRSTRLEN];

	twr_addr_fmt(ip, sizeof(ip), addr);
	snprintf(buf, len, twr_addr_is_v4(addr) ? "%s:%u" : "[%s]:%u", ip, port);
}

/* TSC time of the data plane -> wall clock; 0 stays 0 (never). */
static uint64_t
tsc_to_unix(uint64_t tsc, uint64_t now_tsc, uint64_t now_unix_ns, uint64_t tsc_hz)
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t ago;

	if (tsc == 0)
		return 0;
	ago = now_tsc > tsc ? (uint64_t)((u128)(now_tsc - tsc) * DIAG_NS_PER_S / tsc_hz) : 0;
	return now_unix_ns > ago ? now_unix_ns - ago : 1;
}

static void
seen_from(struct twr_nat_seen *out, const struct twr_nat_tuple *t, uint64_t now_tsc,
	  uint64_t now_unix_ns, uint64_t tsc_hz)
{
	memcpy(out->addr, t->addr, sizeof(out->addr));
	out->port = t->port;
	out->unix_ns = tsc_to_unix(t->tsc, now_tsc, now_unix_ns, tsc_hz);
}

void
twr_nat_info_read(struct twr_nat_info *info, struct twr_session *s, uint64_t now_tsc,
		  uint64_t now_unix_ns, uint64_t tsc_hz)
{
	struct twr_session_nat *n = &s->nat;
	struct twr_nat_tuple first, last;
	uint64_t other;
	uint8_t latch;
	unsigned int k;
	int kind;

	/* Pairs with the worker's release store of DONE (twr_nat_latch()). */
	latch = __atomic_load_n(&s->latch_state, __ATOMIC_ACQUIRE);
	memset(&info->latched, 0, sizeof(info->latched));
	if (latch == TWR_LATCH_DONE) {
		info->state = TWR_NAT_STATE_LATCHED;
		seen_from(&info->latched, &n->latched, now_tsc, now_unix_ns, tsc_hz);
	} else if (latch == TWR_LATCH_NONE) {
		info->state = TWR_NAT_STATE_NONE;
	} else {
		uint64_t deadline = __atomic_load_n(&n->latch_deadline_tsc, __ATOMIC_RELAXED);
		uint8_t run = __atomic_load_n(&s->run_state, __ATOMIC_ACQUIRE);

		/* Before Start-Sessions the window has not opened yet. */
		info->state = run != TWR_SESSION_PENDING && now_tsc > deadline
				      ? TWR_NAT_STATE_EXPIRED
				      : TWR_NAT_STATE_PENDING;
	}
	/* The workers only try this lock: holding it never stalls one. */
	rte_spinlock_lock(&n->lock);
	first = n->first;
	last = n->last;
	rte_spinlock_unlock(&n->lock);
	seen_from(&info->first, &first, now_tsc, now_unix_ns, tsc_hz);
	seen_from(&info->last, &last, now_tsc, now_unix_ns, tsc_hz);
	for (k = 0; k < TWR_NAT_KIND_MAX; k++)
		info->mismatch[k] = __atomic_load_n(&n->mismatch[k], __ATOMIC_RELAXED);
	info->latch_refused = __atomic_load_n(&n->latch_refused, __ATOMIC_RELAXED);
	info->latch_late = __atomic_load_n(&n->latch_late, __ATOMIC_RELAXED);
	other = __atomic_load_n(&n->other_rx, __ATOMIC_RELAXED);
	info->rx = __atomic_load_n(&s->stats.rx, __ATOMIC_RELAXED) + other;
	info->reflected = __atomic_load_n(&s->stats.reflected, __ATOMIC_RELAXED);

	/*
	 * The cause: what the latch answered (the control peer's own packets,
	 * so the NAT's doing); else what the first stranger changed.
	 */
	kind = -1;
	if (info->state == TWR_NAT_STATE_LATCHED)
		kind = twr_nat_kind(info->requested.addr, info->requested.port, info->latched.addr,
				    info->latched.port);
	else if (info->first.unix_ns != 0)
		kind = twr_nat_kind(info->requested.addr, info->requested.port, info->first.addr,
				    info->first.port);
	/* Not the client's address, public or private: somebody else. */
	if (kind >= 0 && kind != TWR_NAT_KIND_PORT && info->state != TWR_NAT_STATE_LATCHED &&
	    memcmp(info->first.addr, info->peer, sizeof(info->peer)) != 0)
		info->cause = TWR_NAT_CAUSE_OTHER_HOST;
	else if (kind == TWR_NAT_KIND_ADDR)
		info->cause = TWR_NAT_CAUSE_ADDRESS_ONLY;
	else if (kind >= 0)
		info->cause = TWR_NAT_CAUSE_PORT_REWRITING;
	else
		info->cause = TWR_NAT_CAUSE_NONE;
}

bool
twr_nat_info_active(const struct twr_nat_info *info)
{
	unsigned int k;

	if (info->state == TWR_NAT_STATE_LATCHED || info->latch_refused != 0 ||
	    info->latch_late != 0)
		return true;
	for (k = 0; k < TWR_NAT_KIND_MAX; k++)
		if (info->mismatch[k] != 0)
			return true;
	return false;
}

void
twr_nat_totals_add(struct twr_nat_totals *t, const struct twr_nat_info *info)
{
	uint64_t any = 0;
	unsigned int k;

	for (k = 0; k < TWR_NAT_KIND_MAX; k++) {
		t->mismatch[k] += info->mismatch[k];
		any += info->mismatch[k];
	}
	if (any != 0)
		t->sessions_mismatch++;
	if (info->state == TWR_NAT_STATE_LATCHED)
		t->latched++;
	t->latch_refused += info->latch_refused;
	t->latch_late += info->latch_late;
}

static const char *
kind_words(int kind)
{
	switch (kind) {
	case TWR_NAT_KIND_ADDR:
		return "address changed";
	case TWR_NAT_KIND_PORT:
		return "port changed";
	case TWR_NAT_KIND_BOTH:
		return "address and port changed";
	default:
		return "same tuple";
	}
}

void
twr_nat_info_explain(char *buf, size_t len, const struct twr_nat_info *info)
{
	char req[64], obs[64], peer[64], lat[64];
	const struct twr_nat_seen *o =
		info->state == TWR_NAT_STATE_LATCHED ? &info->latched : &info->first;
	int kind = twr_nat_kind(info->requested.addr, info->requested.port, o->addr, o->port);
	const char *cause =
		info->cause == TWR_NAT_CAUSE_ADDRESS_ONLY     ? "likely address-only NAT"
		: info->cause == TWR_NAT_CAUSE_PORT_REWRITING ? "likely port-rewriting NAT"
		: info->cause == TWR_NAT_CAUSE_OTHER_HOST
			? "neither the requested sender nor the control peer: another host, or a "
			  "NAT pool"
			: "no NAT signature";
	const char *what;

	twr_nat_tuple_fmt(req, sizeof(req), info->requested.addr, info->requested.port);
	twr_nat_tuple_fmt(obs, sizeof(obs), o->addr, o->port);
	twr_addr_fmt(peer, sizeof(peer), info->peer);
	twr_nat_tuple_fmt(lat, sizeof(lat), info->latched.addr, info->latched.port);
	if (info->state == TWR_NAT_STATE_LATCHED)
		what = "policy latch: latched, replies go to the latched tuple";
	else if (info->policy == TWR_NAT_LATCH)
		what = "policy latch: not latched, packets dropped";
	else
		what = "policy strict: packets dropped (see docs/nat.md)";
	snprintf(buf, len,
		 "NAT: session %" PRIu32 " (control peer %s): requested sender %s, observed %s "
		 "(%s): %s; %s%s%s",
		 info->id, peer, req, obs, kind_words(kind), cause, what,
		 info->state == TWR_NAT_STATE_LATCHED ? " " : "",
		 info->state == TWR_NAT_STATE_LATCHED ? lat : "");
}

static void
print_seen(FILE *f, const char *key, const struct twr_nat_seen *s)
{
	char t[64];

	if (s->unix_ns == 0) {
		fprintf(f, " %s=-", key);
		return;
	}
	twr_nat_tuple_fmt(t, sizeof(t), s->addr, s->port);
	fprintf(f, " %s=%s", key, t);
}

void
twr_nat_info_print(FILE *f, const struct twr_nat_info *info)
{
	char t[64];
	unsigned int i;

	fprintf(f, "NAT-SESSION id=%" PRIu32 " sid=", info->id);
	for (i = 0; i < TWR_SID_LEN; i++)
		fprintf(f, "%02x", info->sid[i]);
	twr_addr_fmt(t, sizeof(t), info->peer);
	fprintf(f, " peer=%s policy=%s state=%s live=%u", t, twr_nat_policy_name(info->policy),
		twr_nat_state_name(info->state), info->live ? 1u : 0u);
	twr_nat_tuple_fmt(t, sizeof(t), info->requested.addr, info->requested.port);
	fprintf(f, " requested=%s", t);
	print_seen(f, "latched", &info->latched);
	fprintf(f,
		" mismatch_addr=%" PRIu64 " mismatch_port=%" PRIu64 " mismatch_both=%" PRIu64
		" latch_refused=%" PRIu64 " latch_late=%" PRIu64,
		info->mismatch[TWR_NAT_KIND_ADDR], info->mismatch[TWR_NAT_KIND_PORT],
		info->mismatch[TWR_NAT_KIND_BOTH], info->latch_refused, info->latch_late);
	print_seen(f, "first", &info->first);
	print_seen(f, "last", &info->last);
	fprintf(f, " first_unix_ns=%" PRIu64 " last_unix_ns=%" PRIu64, info->first.unix_ns,
		info->last.unix_ns);
	fprintf(f, " cause=%s rx=%" PRIu64 " reflected=%" PRIu64 "\n",
		twr_nat_cause_name(info->cause), info->rx, info->reflected);
}

void
twr_nat_totals_print(FILE *f, const char *tag, const struct twr_nat_totals *t)
{
	fprintf(f,
		"%s sessions_mismatch=%" PRIu64 " mismatch_addr=%" PRIu64 " mismatch_port=%" PRIu64
		" mismatch_both=%" PRIu64 " latched=%" PRIu64 " latch_refused=%" PRIu64
		" latch_late=%" PRIu64 " sender_not_peer=%" PRIu64 "\n",
		tag, t->sessions_mismatch, t->mismatch[TWR_NAT_KIND_ADDR],
		t->mismatch[TWR_NAT_KIND_PORT], t->mismatch[TWR_NAT_KIND_BOTH], t->latched,
		t->latch_refused, t->latch_late, t->sender_not_peer);
}

void
twr_ratelimit_init(struct twr_ratelimit *rl, uint32_t rate, uint32_t burst, uint64_t tsc_hz)
{
	memset(rl, 0, sizeof(*rl));
	rl->tsc_hz = tsc_hz;
	rl->rate = rate;
	rl->burst = burst;
	rl->tokens = burst;
}

bool
twr_ratelimit_allow(struct twr_ratelimit *rl, uint64_t now_tsc, uint64_t *suppressed)
{
	if (rl->rate != 0 && rl->tsc_hz != 0 && now_tsc > rl->last_tsc) {
		uint64_t add = (now_tsc - rl->last_tsc) * rl->rate / rl->tsc_hz;

		if (add > 0) {
			rl->tokens = (uint32_t)RTE_MIN((uint64_t)rl->burst, rl->tokens + add);
			rl->last_tsc = now_tsc;
		}
	}
	if (rl->tokens == 0) {
		rl->suppressed++;
		return false;
	}
	rl->tokens--;
	if (suppressed != NULL)
		*suppressed = rl->suppressed;
	rl->suppressed = 0;
	return true;
}
