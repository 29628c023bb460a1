/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The session manager's sessions as operators see them (twr_session_mgr.h:
 * twr_session_mgr_session_foreach/get/stop), for telemetry and the CLI.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "twr_session.h"
#include "twr_session_mgr.h"
#include "twr_session_mgr_priv.h"
#include "twr_time.h"

static void
view_of(const struct twr_session_mgr *m, const struct mgr_entry *e, struct twr_session_view *v,
	uint64_t now_tsc, uint64_t now_unix)
{
	const struct twr_session *s = e->s;
	uint64_t last = __atomic_load_n(&s->stats.last_rx_tsc, __ATOMIC_RELAXED);

	memset(v, 0, sizeof(*v));
	twr_session_mgr_nat_info_of(m, e, &v->nat, now_tsc, now_unix);
	v->run = __atomic_load_n(&s->run_state, __ATOMIC_ACQUIRE);
	v->stopped_by_operator = e->operator_stopped;
	v->modes = s->modes;
	v->dscp = s->dscp;
	v->padding_len = s->padding_len;
	v->tx_seq = __atomic_load_n(&s->tx_seq, __ATOMIC_RELAXED);
	v->dropped = v->nat.rx - v->nat.reflected;
	if (last != 0) {
		/* 128 bits: 64 overflow after 2^64 / 1e9 ticks, seconds of silence */
		__extension__ typedef unsigned __int128 u128;
		uint64_t ago =
			now_tsc > last
				? (uint64_t)((u128)(now_tsc - last) * 1000000000ull / m->tsc_hz)
				: 0;

		v->last_rx_unix_ns = now_unix > ago ? now_unix - ago : 1;
	}
}

/* The entry of session @p id, installed (a connection's or draining), or NULL. */
static struct mgr_entry *
entry_by_id(struct twr_session_mgr *m, uint32_t id)
{
	struct mgr_entry *e;

	TWR_SESSION_MGR_FOREACH_ENTRY (m, e)
		if (e->id == id)
			return e;
	return NULL;
}

int
twr_session_mgr_session_foreach(struct twr_session_mgr *m, twr_session_view_cb cb, void *arg)
{
	uint64_t now_tsc = rte_rdtsc(), now_unix = twr_clock_ns(CLOCK_REALTIME);
	struct twr_session_view v;
	struct mgr_entry *e;
	int ret;

	if (m == NULL || cb == NULL)
		return -EINVAL;
	TWR_SESSION_MGR_FOREACH_ENTRY (m, e) {
		view_of(m, e, &v, now_tsc, now_unix);
		ret = cb(&v, arg);
		if (ret != 0)
			return ret;
	}
	return 0;
}

int
twr_session_mgr_session_get(struct twr_session_mgr *m, uint32_t id, struct twr_session_view *v)
{
	struct mgr_entry *e;

	if (m == NULL || v == NULL)
		return -EINVAL;
	e = entry_by_id(m, id);
	if (e == NULL)
		return -ENOENT;
	view_of(m, e, v, rte_rdtsc(), twr_clock_ns(CLOCK_REALTIME));
	return 0;
}

int
twr_session_mgr_session_stop(struct twr_session_mgr *m, uint32_t id)
{
	struct mgr_entry *e;

	if (m == NULL)
		return -EINVAL;
	e = entry_by_id(m, id);
	if (e == NULL)
		return -ENOENT;
	if (e->operator_stopped || e->run == TWR_SESSION_DEAD ||
	    (e->run == TWR_SESSION_STOPPING && e->s->expire_tsc <= rte_rdtsc()))
		return -EALREADY;
	/* read by the workers only after the release store of STOPPING */
	__atomic_store_n(&e->s->expire_tsc, rte_rdtsc(), __ATOMIC_RELAXED);
	twr_session_mgr_entry_publish(e, TWR_SESSION_STOPPING);
	e->operator_stopped = true;
	m->st.sessions_stopped_by_operator++;
	return 0;
}
