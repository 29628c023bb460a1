/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The session manager's NAT work (twr_session_mgr.h): latched tuples into
 * the exact table, one rate-limited diagnosis line per session, the NAT
 * picture of live and ended sessions for the stats output, telemetry and
 * the CLI.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_log.h>

#include "twr_nat.h"
#include "twr_nat_diag.h"
#include "twr_session_mgr.h"
#include "twr_session_mgr_priv.h"
#include "twr_time.h"

/* NAT diagnosis lines: their own logtype, so operators can raise or mute them. */
RTE_LOG_REGISTER(twr_nat_logtype, user.twamp.nat, INFO);

void
twr_session_mgr_nat_info_of(const struct twr_session_mgr *m, const struct mgr_entry *e,
			    struct twr_nat_info *info, uint64_t now_tsc, uint64_t now_unix)
{
	memset(info, 0, sizeof(*info));
	info->id = e->id;
	memcpy(info->sid, e->sid, sizeof(info->sid));
	memcpy(info->peer, e->peer, sizeof(info->peer));
	info->policy = e->policy;
	info->live = true;
	info->sender_not_peer = e->sender_not_peer;
	memcpy(info->local, e->key.local_addr, sizeof(info->local));
	info->local_port = e->key.local_port;
	memcpy(info->requested.addr, e->key.remote_addr, sizeof(info->requested.addr));
	info->requested.port = e->key.remote_port;
	twr_nat_info_read(info, e->s, now_tsc, now_unix, m->tsc_hz);
}

static void
nat_log(struct twr_session_mgr *m, const struct twr_nat_info *info, uint64_t now_tsc)
{
	char line[512];
	uint64_t suppressed = 0;

	if (!twr_ratelimit_allow(&m->nat_rl, now_tsc, &suppressed))
		return;
	twr_nat_info_explain(line, sizeof(line), info);
	if (suppressed != 0)
		rte_log(RTE_LOG_WARNING, twr_nat_logtype, "%s [%" PRIu64 " NAT lines suppressed]\n",
			line, suppressed);
	else
		rte_log(RTE_LOG_WARNING, twr_nat_logtype, "%s\n", line);
}

/* The session latched: let its packets find it with one lookup. */
static void
latch_key_add(struct twr_session_mgr *m, struct mgr_entry *e, const struct twr_nat_info *info)
{
	int ret;

	if (!e->in_exact)
		return; /* being removed */
	e->latch_key = e->key;
	memcpy(e->latch_key.remote_addr, info->latched.addr, 16);
	e->latch_key.remote_port = info->latched.port;
	if (memcmp(&e->latch_key, &e->key, sizeof(e->key)) == 0)
		return; /* latched to the negotiated tuple: its key is there */
	ret = twr_session_table_add_exact(m->t, &e->latch_key, e->s);
	if (ret == 0)
		e->latch_keyed = true;
	else if (ret != -EEXIST && ret != -ENOSPC)
		m->st.table_errors++;
	/* EEXIST (another session's tuple) or ENOSPC: the listen entry still finds it. */
}

static int
nat_check(struct twr_session_mgr *m, struct mgr_entry *e, uint64_t now_tsc, uint64_t now_unix)
{
	struct twr_nat_info info;
	bool latched = __atomic_load_n(&e->s->latch_state, __ATOMIC_ACQUIRE) == TWR_LATCH_DONE;

	if (e->latch_seen || (e->nat_logged && !latched))
		return 0;
	twr_session_mgr_nat_info_of(m, e, &info, now_tsc, now_unix);
	if (info.state == TWR_NAT_STATE_LATCHED) {
		latch_key_add(m, e, &info);
		e->latch_seen = true;
		e->nat_logged = true;
		nat_log(m, &info, now_tsc);
		return 1;
	}
	if (!twr_nat_info_active(&info))
		return 0;
	e->nat_logged = true;
	nat_log(m, &info, now_tsc);
	return 1;
}

int
twr_session_mgr_nat_poll(struct twr_session_mgr *m)
{
	uint64_t now_tsc = rte_rdtsc(), now_unix = twr_clock_ns(CLOCK_REALTIME);
	struct mgr_entry *e;
	int n = 0;

	if (m == NULL)
		return -EINVAL;
	TWR_SESSION_MGR_FOREACH_ENTRY (m, e)
		n += nat_check(m, e, now_tsc, now_unix);
	return n;
}

void
twr_session_mgr_nat_ended(struct twr_session_mgr *m, struct mgr_entry *e)
{
	uint64_t now_tsc = rte_rdtsc();
	struct twr_nat_info info;

	twr_session_mgr_nat_info_of(m, e, &info, now_tsc, twr_clock_ns(CLOCK_REALTIME));
	info.live = false;
	/* A session that ended before the poll saw it still gets its line. */
	if (!e->nat_logged && twr_nat_info_active(&info))
		nat_log(m, &info, now_tsc);
	twr_nat_totals_add(&m->nat_ended, &info);
	if (!twr_nat_info_active(&info) && info.policy != TWR_NAT_LATCH)
		return;
	m->nat_hist[m->nat_hist_next] = info;
	m->nat_hist_next = (m->nat_hist_next + 1) % TWR_SESSION_MGR_NAT_HISTORY;
	if (m->nat_hist_count < TWR_SESSION_MGR_NAT_HISTORY)
		m->nat_hist_count++;
}

int
twr_session_mgr_nat_foreach(struct twr_session_mgr *m, bool all, twr_nat_info_cb cb, void *arg)
{
	uint64_t now_tsc = rte_rdtsc(), now_unix = twr_clock_ns(CLOCK_REALTIME);
	struct twr_nat_info info;
	struct mgr_entry *e;
	uint32_t i, slot;
	int ret;

	if (m == NULL || cb == NULL)
		return -EINVAL;
	TWR_SESSION_MGR_FOREACH_ENTRY (m, e) {
		twr_session_mgr_nat_info_of(m, e, &info, now_tsc, now_unix);
		if (!all && !twr_nat_info_active(&info) && info.policy != TWR_NAT_LATCH)
			continue;
		ret = cb(&info, arg);
		if (ret != 0)
			return ret;
	}
	/* Oldest first. */
	for (i = 0; i < m->nat_hist_count; i++) {
		slot = (m->nat_hist_next + TWR_SESSION_MGR_NAT_HISTORY - m->nat_hist_count + i) %
		       TWR_SESSION_MGR_NAT_HISTORY;
		ret = cb(&m->nat_hist[slot], arg);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int
totals_add_live(const struct twr_nat_info *info, void *arg)
{
	if (info->live)
		twr_nat_totals_add(arg, info);
	return 0;
}

int
twr_session_mgr_nat_totals(struct twr_session_mgr *m, struct twr_nat_totals *t)
{
	struct twr_session_mgr_stats st;
	int ret;

	if (m == NULL || t == NULL)
		return -EINVAL;
	*t = m->nat_ended;
	ret = twr_session_mgr_nat_foreach(m, true, totals_add_live, t);
	if (ret < 0)
		return ret;
	ret = twr_session_mgr_stats_get(m, &st);
	if (ret < 0)
		return ret;
	t->sender_not_peer = st.sender_not_peer;
	return 0;
}

int
twr_session_mgr_nat_policy_set(struct twr_session_mgr *m, uint8_t policy)
{
	if (m == NULL || policy > TWR_NAT_LATCH)
		return -EINVAL;
	m->cfg.nat_policy = policy;
	return 0;
}

int
twr_session_mgr_nat_rule_set(struct twr_session_mgr *m, const uint8_t prefix[16], uint8_t plen,
			     uint8_t policy)
{
	struct twr_nat_rule *r;
	unsigned int i;

	if (m == NULL || prefix == NULL || plen > 128 || policy > TWR_NAT_LATCH)
		return -EINVAL;
	for (i = 0; i < m->cfg.nb_nat_rules; i++) {
		r = &m->cfg.nat_rules[i];
		if (r->plen == plen && memcmp(r->prefix, prefix, 16) == 0) {
			r->policy = policy;
			return 0;
		}
	}
	if (m->cfg.nb_nat_rules == TWR_SESSION_MGR_MAX_NAT_RULES)
		return -ENOSPC;
	r = &m->cfg.nat_rules[m->cfg.nb_nat_rules++];
	memcpy(r->prefix, prefix, 16);
	r->plen = plen;
	r->policy = policy;
	return 0;
}
