/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* /twamp/nat and /twamp/nat,ID on the telemetry socket (twr_telemetry_nat.h). */

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "twr_nat_diag.h"
#include "twr_session_mgr.h"
#include "twr_telemetry_nat.h"

/* The telemetry callbacks of DPDK 22.11 carry no argument: set once at registration. */
static struct twr_session_mgr *tel_mgr;
static pthread_mutex_t *tel_lock;

static void
tuple_add(struct rte_tel_data *d, const char *key, const struct twr_nat_seen *s, bool always)
{
	char t[64], k[32];

	if (s->unix_ns == 0 && !always) {
		rte_tel_data_add_dict_string(d, key, "-");
	} else {
		twr_nat_tuple_fmt(t, sizeof(t), s->addr, s->port);
		rte_tel_data_add_dict_string(d, key, t);
	}
	if (!always) {
		snprintf(k, sizeof(k), "%s_unix_ns", key);
		rte_tel_data_add_dict_u64(d, k, s->unix_ns);
	}
}

/* The counters a session and the totals share, under the same names. */
static void
counters_add(struct rte_tel_data *d, const uint64_t mismatch[TWR_NAT_KIND_MAX],
	     uint64_t latch_refused, uint64_t latch_late)
{
	rte_tel_data_add_dict_u64(d, "mismatch_addr", mismatch[TWR_NAT_KIND_ADDR]);
	rte_tel_data_add_dict_u64(d, "mismatch_port", mismatch[TWR_NAT_KIND_PORT]);
	rte_tel_data_add_dict_u64(d, "mismatch_both", mismatch[TWR_NAT_KIND_BOTH]);
	rte_tel_data_add_dict_u64(d, "latch_refused", latch_refused);
	rte_tel_data_add_dict_u64(d, "latch_late", latch_late);
}

static void
totals_add(struct rte_tel_data *d, const struct twr_nat_totals *t)
{
	rte_tel_data_add_dict_u64(d, "sessions_mismatch", t->sessions_mismatch);
	rte_tel_data_add_dict_u64(d, "latched", t->latched);
	counters_add(d, t->mismatch, t->latch_refused, t->latch_late);
	rte_tel_data_add_dict_u64(d, "sender_not_peer", t->sender_not_peer);
}

static int
id_add(const struct twr_nat_info *info, void *arg)
{
	return rte_tel_data_add_array_u64(arg, info->id) < 0 ? 1 : 0; /* full: stop */
}

static int
handle_nat_list(struct rte_tel_data *d)
{
	struct twr_nat_totals t;
	struct rte_tel_data *ids = rte_tel_data_alloc();

	if (ids == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(ids, RTE_TEL_U64_VAL);
	memset(&t, 0, sizeof(t));
	pthread_mutex_lock(tel_lock);
	if (tel_mgr != NULL) {
		twr_session_mgr_nat_totals(tel_mgr, &t);
		twr_session_mgr_nat_foreach(tel_mgr, false, id_add, ids);
	}
	pthread_mutex_unlock(tel_lock);
	rte_tel_data_start_dict(d);
	totals_add(d, &t);
	rte_tel_data_add_dict_container(d, "sessions", ids, 0);
	return 0;
}

struct find {
	uint32_t id;
	struct twr_nat_info info;
	bool found;
};

static int
find_cb(const struct twr_nat_info *info, void *arg)
{
	struct find *f = arg;

	if (info->id != f->id)
		return 0;
	f->info = *info;
	f->found = true;
	return 1;
}

/* Add one session's NAT picture to @p d (a started dict). Shared with /twamp/session. */
static void
info_add(struct rte_tel_data *d, const struct twr_nat_info *i)
{
	char sid[2 * sizeof(i->sid) + 1], t[64];
	unsigned int k;

	rte_tel_data_add_dict_u64(d, "id", i->id);
	for (k = 0; k < sizeof(i->sid); k++)
		snprintf(sid + 2 * k, 3, "%02x", i->sid[k]);
	rte_tel_data_add_dict_string(d, "sid", sid);
	twr_nat_tuple_fmt(t, sizeof(t), i->peer, 0);
	t[strlen(t) - 2] = '\0'; /* no port */
	rte_tel_data_add_dict_string(d, "control_peer", t);
	twr_nat_tuple_fmt(t, sizeof(t), i->local, i->local_port);
	rte_tel_data_add_dict_string(d, "receiver", t);
	rte_tel_data_add_dict_string(d, "policy", twr_nat_policy_name(i->policy));
	rte_tel_data_add_dict_string(d, "state", twr_nat_state_name(i->state));
	rte_tel_data_add_dict_string(d, "cause", twr_nat_cause_name(i->cause));
	rte_tel_data_add_dict_int(d, "live", i->live);
	rte_tel_data_add_dict_int(d, "sender_not_peer", i->sender_not_peer);
	tuple_add(d, "requested", &i->requested, true);
	tuple_add(d, "latched", &i->latched, false);
	tuple_add(d, "first", &i->first, false);
	tuple_add(d, "last", &i->last, false);
	counters_add(d, i->mismatch, i->latch_refused, i->latch_late);
	rte_tel_data_add_dict_u64(d, "rx", i->rx);
	rte_tel_data_add_dict_u64(d, "reflected", i->reflected);
}

static int
handle_nat(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct find f;
	char *end;
	unsigned long id;

	RTE_SET_USED(cmd);
	if (params == NULL || *params == '\0')
		return handle_nat_list(d);
	errno = 0;
	id = strtoul(params, &end, 10);
	if (errno != 0 || end == params || *end != '\0' || id == 0 || id > UINT32_MAX)
		return -EINVAL; /* the socket answers null: a bad parameter */
	memset(&f, 0, sizeof(f));
	f.id = (uint32_t)id;
	pthread_mutex_lock(tel_lock);
	if (tel_mgr != NULL)
		twr_session_mgr_nat_foreach(tel_mgr, true, find_cb, &f);
	pthread_mutex_unlock(tel_lock);
	if (!f.found)
		return -ENOENT;
	rte_tel_data_start_dict(d);
	info_add(d, &f.info);
	return 0;
}

int
twr_telemetry_nat_register(struct twr_session_mgr *m, pthread_mutex_t *lock)
{
	static bool registered;
	int ret;

	if (lock == NULL)
		return -EINVAL;
	tel_mgr = m;
	tel_lock = lock;
	if (registered)
		return 0;
	ret = rte_telemetry_register_cmd(
		"/twamp/nat", handle_nat,
		/* at most RTE_TEL_MAX_STRING_LEN - 1 octets, else EINVAL */
		"NAT totals and session ids with NAT activity. Parameter: a session id "
		"(requested/latched tuples, mismatches).");
	registered = ret == 0;
	return ret;
}
