/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "twr_addr.h"
#include "twr_netlink.h"
#include "twr_tap.h"
#include "twr_worker.h"

RTE_LOG_REGISTER(twr_tap_logtype, user.twamp.tap, INFO);

#define TAP_LOG(level, fmt, ...)                                                                   \
	rte_log(RTE_LOG_##level, twr_tap_logtype, "tap: " fmt "\n", ##__VA_ARGS__)

#define TAP_BURST 32
/* Bursts per direction per poll: bounds the time one poll takes. */
#define TAP_POLL_BURSTS 4
/*
 * net_tap chains the mbufs of its RX descriptors for a long frame and
 * holds one per descriptor: a few suffice, frames fit one mbuf at our MTU.
 */
#define TAP_RXD 64
#define TAP_TXD 512
/* net_tap refuses TX frames longer than its MTU + Ethernet header, CRC and one tag. */
#define TAP_FRAME_OVERHEAD (RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN + RTE_VLAN_HLEN)

struct twr_tap {
	/** Counters. ctl: wo (control lcore), anyone: ro. */
	uint64_t counter[TWR_TAP_COUNTER_MAX];
	/** From the workers. dp: enqueue, ctl: dequeue. */
	struct rte_ring *exc_ring;
	/** To the worker that sends for us, or NULL. ctl: enqueue (SP), dp: dequeue (SC). */
	struct rte_ring *worker_ring;
	bool enabled;	   /**< a TAP exists (else frames are freed) */
	bool vdev_created; /**< rte_vdev_init succeeded: undo with rte_vdev_uninit */
	bool started;	   /**< the TAP port is started */
	uint16_t tap_port;
	uint16_t wire_port;
	uint16_t wire_txq;
	uint16_t vlan;
	uint32_t max_frame; /**< longest frame the TAP takes */
	unsigned int ifindex;
	char ifname[IF_NAMESIZE];
	char devname[RTE_DEV_NAME_MAX_LEN];
};

static const char *const counter_names[TWR_TAP_COUNTER_MAX] = {
#define TWR_TAP_COUNTER_NAME_(id, name, desc) [TWR_TAP_##id] = name,
	TWR_TAP_COUNTERS(TWR_TAP_COUNTER_NAME_)
#undef TWR_TAP_COUNTER_NAME_
};

const char *
twr_tap_counter_name(unsigned int counter)
{
	return counter < TWR_TAP_COUNTER_MAX ? counter_names[counter] : NULL;
}

/* A kernel interface name that is also safe inside net_tap's "iface=" argument. */
static bool
ifname_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len >= IF_NAMESIZE || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* IPv6 on the TAP: DAD off; IPv6 off when no IPv6 address is configured. */
static int
tap_ipv6_setup(const struct twr_tap *tap, bool has_v6)
{
	int ret;

	ret = twr_netlink_ipv6_conf_set(tap->ifname, "accept_dad", "0");
	if (ret == 0)
		ret = twr_netlink_ipv6_conf_set(tap->ifname, "disable_ipv6", has_v6 ? "0" : "1");
	/* A kernel without IPv6 is fine as long as no IPv6 address is wanted. */
	if (ret == -ENOENT && !has_v6)
		return 0;
	if (ret < 0)
		TAP_LOG(ERR, "%s: IPv6 settings (/proc/sys/net/ipv6/conf/%s): %s", tap->ifname,
			tap->ifname, strerror(-ret));
	return ret;
}

/* Configure the TAP port: 1 RX and 1 TX queue, MAC and MTU of the wire port. */
static int
tap_port_setup(struct twr_tap *tap, const struct twr_tap_conf *conf)
{
	struct rte_eth_conf ec;
	struct rte_ether_addr mac;
	uint16_t rxd = TAP_RXD, txd = TAP_TXD, mtu = RTE_ETHER_MTU;
	int socket = rte_eth_dev_socket_id(tap->tap_port);
	int ret;

	if (socket < 0)
		socket = (int)rte_socket_id();
	ret = rte_eth_macaddr_get(conf->wire_port, &mac);
	if (ret < 0) {
		TAP_LOG(ERR, "MAC of port %u: %s", conf->wire_port, strerror(-ret));
		return ret;
	}
	if (rte_eth_dev_get_mtu(conf->wire_port, &mtu) < 0)
		mtu = RTE_ETHER_MTU;
	memset(&ec, 0, sizeof(ec));
	ret = rte_eth_dev_configure(tap->tap_port, 1, 1, &ec);
	if (ret < 0) {
		TAP_LOG(ERR, "%s: configure: %s", tap->ifname, strerror(-ret));
		return ret;
	}
	/* The kernel then answers ARP and ND with the wire port's MAC. */
	ret = rte_eth_dev_default_mac_addr_set(tap->tap_port, &mac);
	if (ret < 0) {
		TAP_LOG(ERR, "%s: set MAC: %s", tap->ifname, strerror(-ret));
		return ret;
	}
	/* The kernel's frames must fit the wire; a failure leaves the TAP's own MTU. */
	ret = rte_eth_dev_set_mtu(tap->tap_port, mtu);
	if (ret < 0)
		TAP_LOG(WARNING, "%s: MTU %u (the wire port's): %s", tap->ifname, mtu,
			strerror(-ret));
	if (rte_eth_dev_get_mtu(tap->tap_port, &mtu) < 0)
		mtu = RTE_ETHER_MTU;
	tap->max_frame = (uint32_t)mtu + TAP_FRAME_OVERHEAD;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(tap->tap_port, &rxd, &txd);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(tap->tap_port, 0, rxd, (unsigned int)socket, NULL,
					     conf->pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(tap->tap_port, 0, txd, (unsigned int)socket, NULL);
	if (ret < 0) {
		TAP_LOG(ERR, "%s: queue setup: %s", tap->ifname, strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_start(tap->tap_port);
	if (ret < 0) {
		TAP_LOG(ERR, "%s: start: %s", tap->ifname, strerror(-ret));
		return ret;
	}
	tap->started = true;
	return 0;
}

/* Up, and every address (IPv6 without DAD). */
static int
tap_kernel_setup(struct twr_tap *tap, const struct twr_tap_conf *conf)
{
	unsigned int i;
	int ret;

	/* net_tap sets the link up at start; say so explicitly all the same. */
	ret = twr_netlink_link_up(tap->ifindex);
	if (ret < 0) {
		TAP_LOG(ERR, "%s: link up: %s", tap->ifname, strerror(-ret));
		return ret;
	}
	for (i = 0; i < conf->nb_addrs; i++) {
		const struct twr_tap_addr *a = &conf->addrs[i];

		ret = twr_netlink_addr_add(tap->ifindex, a->addr, a->prefix, true);
		if (ret < 0) {
			char buf[INET6_ADDRSTRLEN];
			bool v4 = twr_addr_is_v4(a->addr);

			TAP_LOG(ERR, "%s: address %s/%u: %s", tap->ifname,
				inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a->addr + 12 : a->addr, buf,
					  sizeof(buf)),
				a->prefix, strerror(-ret));
			return ret;
		}
	}
	for (i = 0; i < conf->nb_routes; i++) {
		const struct twr_tap_route *rt = &conf->routes[i];

		ret = twr_netlink_route_add(tap->ifindex, rt->dst, rt->len, rt->gw);
		if (ret < 0) {
			char d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
			bool v4 = twr_addr_is_v4(rt->dst);

			TAP_LOG(ERR, "%s: route %s/%u via %s: %s", tap->ifname,
				inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? rt->dst + 12 : rt->dst, d,
					  sizeof(d)),
				rt->len,
				inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? rt->gw + 12 : rt->gw, g,
					  sizeof(g)),
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

struct twr_tap *
twr_tap_create(const struct twr_tap_conf *conf)
{
	struct twr_tap *tap;
	char args[64], ringname[RTE_RING_NAMESIZE];
	bool has_v6 = false;
	unsigned int i;
	int ret = 0;

	if (conf == NULL || conf->exc_ring == NULL || (conf->nb_addrs > 0 && conf->addrs == NULL) ||
	    (conf->nb_routes > 0 && conf->routes == NULL) || conf->vlan > RTE_VLAN_ID_MASK) {
		rte_errno = EINVAL;
		return NULL;
	}
	tap = rte_zmalloc("twr_tap", sizeof(*tap), RTE_CACHE_LINE_SIZE);
	if (tap == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	tap->exc_ring = conf->exc_ring;
	tap->wire_port = conf->wire_port;
	tap->wire_txq = conf->wire_txq;
	tap->vlan = conf->vlan;
	tap->tap_port = RTE_MAX_ETHPORTS;
	if (conf->ifname == NULL) {
		TAP_LOG(INFO, "no TAP: exception frames are counted and freed");
		return tap;
	}
	if (!ifname_valid(conf->ifname) || conf->pool == NULL ||
	    !rte_eth_dev_is_valid_port(conf->wire_port)) {
		TAP_LOG(ERR, "bad configuration (name '%s': 1..%u of A-Z a-z 0-9 - _ .)",
			conf->ifname, IF_NAMESIZE - 1);
		rte_free(tap);
		rte_errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < conf->nb_addrs; i++)
		if (!twr_addr_is_v4(conf->addrs[i].addr))
			has_v6 = true;
	snprintf(tap->ifname, sizeof(tap->ifname), "%s", conf->ifname);
	snprintf(tap->devname, sizeof(tap->devname), "net_tap_%s", conf->ifname);
	snprintf(args, sizeof(args), "iface=%s", conf->ifname);

	ret = rte_vdev_init(tap->devname, args);
	if (ret < 0) {
		/* net_tap's probe returns -1 for most failures: its log says more. */
		ret = ret == -1 ? -EIO : ret;
		TAP_LOG(ERR,
			"%s: cannot create the TAP (%s %s): %s; root (CAP_NET_ADMIN) and "
			"/dev/net/tun are needed, or run with --no-tap",
			tap->ifname, tap->devname, args, strerror(-ret));
		goto fail;
	}
	tap->vdev_created = true;
	ret = rte_eth_dev_get_port_by_name(tap->devname, &tap->tap_port);
	if (ret < 0)
		goto fail;
	tap->ifindex = if_nametoindex(tap->ifname);
	if (tap->ifindex == 0) {
		ret = -errno;
		TAP_LOG(ERR, "%s: no such interface after creation: %s", tap->ifname,
			strerror(errno));
		goto fail;
	}
	/* Before the link goes up: no DAD, no IPv6 traffic at all when unused. */
	ret = tap_ipv6_setup(tap, has_v6);
	if (ret < 0)
		goto fail;
	ret = tap_port_setup(tap, conf);
	if (ret < 0)
		goto fail;
	ret = tap_kernel_setup(tap, conf);
	if (ret < 0)
		goto fail;
	if (tap->wire_txq == TWR_TAP_NO_QUEUE) {
		snprintf(ringname, sizeof(ringname), "twr_tap_wire_%u", tap->tap_port);
		tap->worker_ring = rte_ring_create(ringname, TWR_TAP_WORKER_RING_SIZE,
						   rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (tap->worker_ring == NULL) {
			ret = -rte_errno;
			TAP_LOG(ERR, "ring to the worker: %s", rte_strerror(rte_errno));
			goto fail;
		}
	}
	tap->enabled = true;
	if (tap->vlan != 0)
		TAP_LOG(INFO,
			"%s (port %u, ifindex %u, MTU %u) for port %u VLAN %u, %u address(es); "
			"to the wire %s",
			tap->ifname, tap->tap_port, tap->ifindex,
			tap->max_frame - TAP_FRAME_OVERHEAD, tap->wire_port, tap->vlan,
			conf->nb_addrs,
			tap->worker_ring != NULL ? "through a worker's TX queue (ring)"
						 : "on the control TX queue");
	else
		TAP_LOG(INFO,
			"%s (port %u, ifindex %u, MTU %u) for port %u untagged, %u "
			"address(es); to the wire %s",
			tap->ifname, tap->tap_port, tap->ifindex,
			tap->max_frame - TAP_FRAME_OVERHEAD, tap->wire_port, conf->nb_addrs,
			tap->worker_ring != NULL ? "through a worker's TX queue (ring)"
						 : "on the control TX queue");
	return tap;

fail:
	twr_tap_destroy(tap);
	rte_errno = ret < 0 ? -ret : EIO;
	return NULL;
}

/*
 * Is @p m, an exception frame, for the TAP (the mapping in twr_tap.h)?
 * When it is, the tag of the TAP's VLAN is gone from the frame.
 */
static inline bool
wire_frame_to_tap(const struct twr_tap *tap, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;
	const struct rte_vlan_hdr *vh;

	if (m->port != tap->wire_port)
		return false;
	/* A NIC that strips tags keeps the outer one in the mbuf. */
	if (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED)
		return (m->vlan_tci & RTE_VLAN_ID_MASK) == tap->vlan;
	if (unlikely(rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*vh)))
		return tap->vlan == 0;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		vh = (const struct rte_vlan_hdr *)(eth + 1);
		if ((rte_be_to_cpu_16(vh->vlan_tci) & RTE_VLAN_ID_MASK) != tap->vlan)
			return false;
		rte_vlan_strip(m);
		return true;
	}
	return tap->vlan == 0 && eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_QINQ);
}

/* One burst from the exception ring into the TAP. @return frames taken. */
static unsigned int
exception_to_tap(struct twr_tap *tap)
{
	struct rte_mbuf *m[TAP_BURST], *tx[TAP_BURST], *drop[TAP_BURST];
	unsigned int n, i, ntx = 0, ndrop = 0;
	uint16_t sent;

	n = rte_ring_dequeue_burst(tap->exc_ring, (void **)m, TAP_BURST, NULL);
	if (n == 0)
		return 0;
	tap->counter[TWR_TAP_EXCEPTION_CONSUMED] += n;
	if (!tap->enabled) {
		rte_pktmbuf_free_bulk(m, n);
		return n;
	}
	for (i = 0; i < n; i++) {
		struct rte_mbuf *x = m[i];

		if (!wire_frame_to_tap(tap, x)) {
			tap->counter[TWR_TAP_TAP_UNMAPPED]++;
			drop[ndrop++] = x;
		} else if (unlikely(rte_pktmbuf_pkt_len(x) > tap->max_frame)) {
			tap->counter[TWR_TAP_TAP_TX_TOO_BIG]++;
			drop[ndrop++] = x;
		} else {
			/* RX flags mean nothing to the TAP; TX flags would ask it for offloads. */
			x->ol_flags = 0;
			tx[ntx++] = x;
		}
	}
	if (ndrop > 0)
		rte_pktmbuf_free_bulk(drop, ndrop);
	if (ntx == 0)
		return n;
	sent = rte_eth_tx_burst(tap->tap_port, 0, tx, (uint16_t)ntx);
	tap->counter[TWR_TAP_TAP_TX] += sent;
	if (unlikely(sent < ntx)) {
		tap->counter[TWR_TAP_TAP_TX_FULL] += ntx - sent;
		rte_pktmbuf_free_bulk(&tx[sent], ntx - sent);
	}
	return n;
}

/* Frames from the kernel to the wire port, directly or through the worker. */
static void
wire_send(struct twr_tap *tap, struct rte_mbuf **m, unsigned int n)
{
	unsigned int done;

	if (tap->worker_ring == NULL) {
		done = rte_eth_tx_burst(tap->wire_port, tap->wire_txq, m, (uint16_t)n);
		tap->counter[TWR_TAP_TO_WIRE] += done;
		if (unlikely(done < n)) {
			tap->counter[TWR_TAP_TO_WIRE_TX_FULL] += n - done;
			rte_pktmbuf_free_bulk(&m[done], n - done);
		}
		return;
	}
	done = rte_ring_enqueue_burst(tap->worker_ring, (void **)m, n, NULL);
	tap->counter[TWR_TAP_TO_WIRE_RING] += done;
	if (unlikely(done < n)) {
		tap->counter[TWR_TAP_TO_WIRE_RING_FULL] += n - done;
		rte_pktmbuf_free_bulk(&m[done], n - done);
	}
}

/* One burst from the TAP to the wire. @return frames the kernel sent. */
static unsigned int
tap_to_wire(struct twr_tap *tap)
{
	struct rte_mbuf *m[TAP_BURST], *out[TAP_BURST], *bad[TAP_BURST];
	unsigned int n, i, nout = 0, nbad = 0;

	n = rte_eth_rx_burst(tap->tap_port, 0, m, TAP_BURST);
	if (n == 0)
		return 0;
	tap->counter[TWR_TAP_TAP_RX] += n;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *x = m[i];

		/* The wire port is not set up for multi-segment TX. */
		if (unlikely(x->nb_segs != 1)) {
			bad[nbad++] = x;
			continue;
		}
		x->ol_flags = 0; /* the kernel computed every checksum */
		if (tap->vlan != 0) {
			x->vlan_tci = tap->vlan;
			if (unlikely(rte_vlan_insert(&x) != 0)) {
				bad[nbad++] = x;
				continue;
			}
		}
		out[nout++] = x;
	}
	if (nbad > 0) {
		tap->counter[TWR_TAP_TAP_RX_INVALID] += nbad;
		rte_pktmbuf_free_bulk(bad, nbad);
	}
	if (nout > 0)
		wire_send(tap, out, nout);
	return n;
}

unsigned int
twr_tap_poll(struct twr_tap *tap)
{
	unsigned int b, n, work = 0;

	for (b = 0; b < TAP_POLL_BURSTS; b++) {
		n = exception_to_tap(tap);
		work += n;
		if (n < TAP_BURST)
			break;
	}
	if (!tap->enabled)
		return work;
	for (b = 0; b < TAP_POLL_BURSTS; b++) {
		n = tap_to_wire(tap);
		work += n;
		if (n < TAP_BURST)
			break;
	}
	return work;
}

struct rte_ring *
twr_tap_worker_ring(const struct twr_tap *tap)
{
	return tap != NULL ? tap->worker_ring : NULL;
}

static void
worker_ring_drain(struct twr_tap *tap)
{
	struct rte_mbuf *m[TAP_BURST];
	unsigned int n;

	if (tap->worker_ring == NULL)
		return;
	while ((n = rte_ring_dequeue_burst(tap->worker_ring, (void **)m, TAP_BURST, NULL)) > 0) {
		tap->counter[TWR_TAP_TO_WIRE_FLUSHED] += n;
		rte_pktmbuf_free_bulk(m, n);
	}
}

void
twr_tap_flush(struct twr_tap *tap)
{
	if (tap == NULL)
		return;
	while (exception_to_tap(tap) > 0)
		;
	worker_ring_drain(tap);
}

void
twr_tap_stats_get(const struct twr_tap *tap, const struct twr_worker *workers, unsigned int n,
		  struct twr_tap_stats *out)
{
	unsigned int w;

	memset(out, 0, sizeof(*out));
	if (tap != NULL)
		memcpy(out->counter, tap->counter, sizeof(out->counter));
	for (w = 0; workers != NULL && w < n; w++) {
		out->counter[TWR_TAP_TO_WIRE] += workers[w].tx_ring_sent;
		out->counter[TWR_TAP_TO_WIRE_TX_FULL] += workers[w].tx_ring_full;
	}
}

void
twr_tap_stats_print(FILE *f, const struct twr_tap *tap, const struct twr_worker *workers,
		    unsigned int n)
{
	struct twr_tap_stats s;
	unsigned int i;

	twr_tap_stats_get(tap, workers, n, &s);
	for (i = 0; i < TWR_TAP_COUNTER_MAX; i++)
		fprintf(f, " %s=%" PRIu64, counter_names[i], s.counter[i]);
}

const char *
twr_tap_ifname(const struct twr_tap *tap)
{
	return tap != NULL && tap->enabled ? tap->ifname : NULL;
}

unsigned int
twr_tap_ifindex(const struct twr_tap *tap)
{
	return tap != NULL && tap->enabled ? tap->ifindex : 0;
}

void
twr_tap_destroy(struct twr_tap *tap)
{
	int ret;

	if (tap == NULL)
		return;
	worker_ring_drain(tap);
	rte_ring_free(tap->worker_ring);
	if (tap->started) {
		ret = rte_eth_dev_stop(tap->tap_port);
		if (ret < 0)
			TAP_LOG(DEBUG, "%s: stop: %s", tap->ifname, strerror(-ret));
	}
	if (tap->vdev_created) {
		/* Closes the port; the kernel interface goes with its last file descriptor. */
		ret = rte_vdev_uninit(tap->devname);
		if (ret < 0)
			TAP_LOG(WARNING, "%s: remove %s: %s", tap->ifname, tap->devname,
				strerror(-ret));
	}
	rte_free(tap);
}
