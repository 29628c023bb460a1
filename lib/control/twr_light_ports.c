/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* TWAMP-Light/STAMP reflector ports and their allow-lists (twr_light_ports.h). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "twr_addr.h"
#include "twr_engine.h"
#include "twr_light_ports.h"
#include "twr_session.h"
#include "twr_session_mgr.h"
#include "twr_session_table.h"

#define MAX_ADDRS TWR_SESSION_MGR_MAX_ADDRS

struct lport {
	uint16_t port;
	uint8_t engine;
	bool stateful;
	struct twr_session *s;	 /* the published entry (our reference) */
	struct twr_allow *allow; /* its list, or NULL */
	unsigned int nb_allow;	 /* what the list holds, as configured */
	uint8_t allow_addr[TWR_LIGHT_PORTS_MAX_ALLOW][16];
	uint8_t allow_len[TWR_LIGHT_PORTS_MAX_ALLOW];
};

struct twr_light_ports {
	struct twr_session_table *t;
	uint8_t addrs[MAX_ADDRS][16];
	unsigned int nb_addrs;
	uint16_t vlan;
	struct lport ports[TWR_LIGHT_PORTS_MAX];
	unsigned int nb_ports;
	/* lists unpublished, freed after the next grace period */
	struct twr_allow *retired[TWR_LIGHT_PORTS_MAX * 2];
	unsigned int nb_retired;
};

struct twr_light_ports *
twr_light_ports_create(struct twr_session_table *t, const uint8_t (*addrs)[16],
		       unsigned int nb_addrs, uint16_t vlan)
{
	struct twr_light_ports *lp;

	if (t == NULL || (nb_addrs > 0 && addrs == NULL) || nb_addrs > MAX_ADDRS) {
		rte_errno = EINVAL;
		return NULL;
	}
	lp = calloc(1, sizeof(*lp));
	if (lp == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	lp->t = t;
	memcpy(lp->addrs, addrs, nb_addrs * 16);
	lp->nb_addrs = nb_addrs;
	lp->vlan = vlan;
	return lp;
}

static void
free_retired(struct twr_light_ports *lp)
{
	while (lp->nb_retired > 0)
		free(lp->retired[--lp->nb_retired]);
}

void
twr_light_ports_free(struct twr_light_ports *lp)
{
	unsigned int i;

	if (lp == NULL)
		return;
	/* the table frees the entries; the lists go when no reader can hold them */
	if (twr_session_table_synchronize(lp->t, TWR_LIGHT_PORTS_SYNC_MS) == 0)
		free_retired(lp);
	for (i = 0; i < lp->nb_ports; i++)
		if (lp->ports[i].allow != NULL && lp->nb_retired < RTE_DIM(lp->retired))
			lp->retired[lp->nb_retired++] = lp->ports[i].allow;
	/* still referenced by entries until the table goes: leave them to exit */
	free(lp);
}

static struct lport *
find(struct twr_light_ports *lp, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < lp->nb_ports; i++)
		if (lp->ports[i].port == port)
			return &lp->ports[i];
	return NULL;
}

static void
key_of(const struct twr_light_ports *lp, unsigned int a, uint16_t port, struct twr_session_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->local_addr, lp->addrs[a], 16);
	k->local_port = port;
	k->vlan = lp->vlan;
}

/* The immutable list of @p p's prefixes, or NULL for none. */
static struct twr_allow *
allow_build(const struct lport *p, int *err)
{
	struct twr_allow *a;
	unsigned int i, k;

	*err = 0;
	if (p->nb_allow == 0)
		return NULL;
	a = calloc(1, sizeof(*a) + p->nb_allow * sizeof(a->prefix[0]));
	if (a == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	a->n = p->nb_allow;
	for (i = 0; i < p->nb_allow; i++) {
		twr_addr_mask(p->allow_len[i], a->prefix[i].mask);
		for (k = 0; k < 16; k++)
			a->prefix[i].addr[k] = p->allow_addr[i][k] & a->prefix[i].mask[k];
	}
	return a;
}

/* A new port entry for @p p, holding the caller's reference. */
static struct twr_session *
entry_new(struct twr_light_ports *lp, const struct lport *p, const struct twr_allow *allow)
{
	struct twr_session *s = twr_session_table_session_alloc(lp->t);

	if (s == NULL)
		return NULL;
	s->engine = p->engine;
	s->flags = p->stateful ? TWR_SESSION_F_STATEFUL : 0;
	s->dscp_policy = TWR_DSCP_COPY;
	s->run_state = TWR_SESSION_STARTED;
	s->allow = allow;
	return s;
}

/* Take @p p's entries out of the table (every address). */
static int
unpublish(struct twr_light_ports *lp, struct lport *p)
{
	struct twr_session_key k;
	unsigned int a;
	int ret;

	for (a = 0; a < lp->nb_addrs; a++) {
		key_of(lp, a, p->port, &k);
		ret = twr_session_table_del_listen(lp->t, &k);
		if (ret == -EBUSY)
			return ret;
	}
	return 0;
}

/* Put @p s in the table for @p p on every address; on failure, none stays. */
static int
publish(struct twr_light_ports *lp, struct lport *p, struct twr_session *s)
{
	struct twr_session_key k;
	unsigned int a, b;
	int ret;

	for (a = 0; a < lp->nb_addrs; a++) {
		key_of(lp, a, p->port, &k);
		ret = twr_session_table_add_listen(lp->t, &k, s);
		if (ret < 0) {
			for (b = 0; b < a; b++) {
				key_of(lp, b, p->port, &k);
				twr_session_table_del_listen(lp->t, &k);
			}
			return ret;
		}
	}
	return 0;
}

int
twr_light_ports_add(struct twr_light_ports *lp, uint16_t port, uint8_t engine, bool stateful)
{
	struct twr_session_key k;
	struct lport *p;
	unsigned int a;
	int ret;

	if (lp == NULL || port == 0 || (engine != TWR_ENGINE_LIGHT && engine != TWR_ENGINE_STAMP))
		return -EINVAL;
	if (find(lp, port) != NULL)
		return -EEXIST;
	if (lp->nb_ports == TWR_LIGHT_PORTS_MAX)
		return -ENOSPC;
	/* a managed session's Receiver Port holds the listen key */
	for (a = 0; a < lp->nb_addrs; a++) {
		key_of(lp, a, port, &k);
		if (twr_session_table_find_listen(lp->t, &k) != NULL)
			return -EBUSY;
	}
	p = &lp->ports[lp->nb_ports];
	memset(p, 0, sizeof(*p));
	p->port = port;
	p->engine = engine;
	p->stateful = stateful;
	p->s = entry_new(lp, p, NULL);
	if (p->s == NULL)
		return -ENOMEM;
	ret = publish(lp, p, p->s);
	if (ret < 0) {
		twr_session_table_session_put(lp->t, p->s);
		return ret;
	}
	lp->nb_ports++;
	return 0;
}

/* Retire a list unpublished now; free what the last grace period released. */
static void
retire(struct twr_light_ports *lp, struct twr_allow *a)
{
	if (twr_session_table_synchronize(lp->t, TWR_LIGHT_PORTS_SYNC_MS) == 0)
		free_retired(lp);
	if (a == NULL)
		return;
	if (lp->nb_retired < RTE_DIM(lp->retired))
		lp->retired[lp->nb_retired++] = a;
	/* else leaked rather than freed under a stalled reader */
}

int
twr_light_ports_del(struct twr_light_ports *lp, uint16_t port)
{
	struct lport *p;
	int ret;

	if (lp == NULL)
		return -EINVAL;
	p = find(lp, port);
	if (p == NULL)
		return -ENOENT;
	ret = unpublish(lp, p);
	if (ret < 0)
		return ret;
	twr_session_table_session_put(lp->t, p->s);
	retire(lp, p->allow);
	/* keep the others in the order they were added (show info, telemetry) */
	memmove(p, p + 1, (size_t)(&lp->ports[lp->nb_ports] - (p + 1)) * sizeof(*p));
	lp->nb_ports--;
	return 0;
}

/* Point every address's key of @p p at @p s (atomic per key); on failure, back at p->s. */
static int
replace_all(struct twr_light_ports *lp, struct lport *p, struct twr_session *s)
{
	struct twr_session_key k;
	unsigned int a, b;
	int ret;

	for (a = 0; a < lp->nb_addrs; a++) {
		key_of(lp, a, p->port, &k);
		ret = twr_session_table_replace_listen(lp->t, &k, s);
		if (ret < 0) {
			for (b = 0; b < a; b++) {
				key_of(lp, b, p->port, &k);
				twr_session_table_replace_listen(lp->t, &k, p->s);
			}
			return ret;
		}
	}
	return 0;
}

/* Publish @p p again with its (changed) prefixes. */
static int
republish(struct twr_light_ports *lp, struct lport *p)
{
	struct twr_allow *allow;
	struct twr_session *s;
	int err, ret;

	allow = allow_build(p, &err);
	if (err < 0)
		return err;
	s = entry_new(lp, p, allow);
	if (s == NULL) {
		free(allow);
		return -ENOMEM;
	}
	/* Each key moves to the new entry at once: no packet finds the port missing. */
	ret = replace_all(lp, p, s);
	if (ret < 0) {
		twr_session_table_session_put(lp->t, s);
		free(allow);
		return ret;
	}
	twr_session_table_session_put(lp->t, p->s);
	retire(lp, p->allow);
	p->s = s;
	p->allow = allow;
	return 0;
}

static int
allow_find(const struct lport *p, const uint8_t addr[16], uint8_t len)
{
	unsigned int i;

	for (i = 0; i < p->nb_allow; i++)
		if (p->allow_len[i] == len && twr_addr_prefix_match(p->allow_addr[i], addr, len))
			return (int)i;
	return -1;
}

int
twr_light_ports_allow_add(struct twr_light_ports *lp, uint16_t port, const uint8_t addr[16],
			  uint8_t len)
{
	struct lport *p;
	int ret;

	if (lp == NULL || addr == NULL || len > 128)
		return -EINVAL;
	p = find(lp, port);
	if (p == NULL)
		return -ENOENT;
	if (allow_find(p, addr, len) >= 0)
		return -EEXIST;
	if (p->nb_allow == TWR_LIGHT_PORTS_MAX_ALLOW)
		return -ENOSPC;
	memcpy(p->allow_addr[p->nb_allow], addr, 16);
	p->allow_len[p->nb_allow++] = len;
	ret = republish(lp, p);
	if (ret < 0)
		p->nb_allow--;
	return ret;
}

int
twr_light_ports_allow_del(struct twr_light_ports *lp, uint16_t port, const uint8_t addr[16],
			  uint8_t len)
{
	struct lport *p, saved;
	int i, ret;

	if (lp == NULL || addr == NULL || len > 128)
		return -EINVAL;
	p = find(lp, port);
	if (p == NULL)
		return -ENOENT;
	i = allow_find(p, addr, len);
	if (i < 0)
		return -ENXIO;
	saved = *p;
	p->nb_allow--;
	memcpy(p->allow_addr[i], p->allow_addr[p->nb_allow], 16);
	p->allow_len[i] = p->allow_len[p->nb_allow];
	ret = republish(lp, p);
	if (ret < 0)
		*p = saved; /* the list as it was (republish changed nothing else) */
	return ret;
}

unsigned int
twr_light_ports_count(const struct twr_light_ports *lp)
{
	return lp == NULL ? 0 : lp->nb_ports;
}

int
twr_light_ports_get(const struct twr_light_ports *lp, unsigned int i,
		    struct twr_light_port_info *info)
{
	const struct lport *p;

	if (lp == NULL || info == NULL || i >= lp->nb_ports)
		return -ENOENT;
	p = &lp->ports[i];
	info->port = p->port;
	info->engine = p->engine;
	info->stateful = p->stateful;
	info->nb_allow = p->nb_allow;
	memcpy(info->allow_addr, p->allow_addr, sizeof(info->allow_addr));
	memcpy(info->allow_len, p->allow_len, sizeof(info->allow_len));
	return 0;
}
