/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_TAP_H
#define TWR_TAP_H

/**
 * @file
 * The exception path, on the control lcore: the frames the workers do not
 * reflect (ARP, ND, ICMP, TCP to the control port, UDP for no session) go
 * to the kernel through a TAP interface the application creates itself,
 * and what the kernel sends on that TAP goes out of the wire port. The
 * kernel thus answers ARP, ND, ping and TCP for the reflector's addresses.
 *
 * The TAP: net_tap (rte_vdev_init), kernel name from the configuration
 * ("twr0" by default in the application), MAC = the wire port's MAC (so
 * the kernel's ARP and ND answers carry the wire port's address), MTU =
 * the wire port's MTU, up, with every reflector address; IPv6 Duplicate
 * Address Detection off (accept_dad=0, addresses added with nodad: usable
 * at once), IPv6 off altogether on the TAP when no IPv6 address is given.
 *
 * Mapping between wire and TAP (one TAP):
 *
 * - The TAP stands for one wire port, twr_tap_conf.wire_port (the
 *   application's port 0). Exception frames received on any other port
 *   are dropped and counted (tap_unmapped): with several ports, only the
 *   first one reaches the kernel.
 * - Untagged configuration (vlan 0): untagged frames and priority-tagged
 *   ones (802.1Q VID 0, the tag removed) go to the TAP; frames with a
 *   VLAN tag are tap_unmapped. Frames from the TAP leave untagged.
 * - VLAN configuration (vlan = VID, the application's --vlan): frames with
 *   one 802.1Q tag of VID (in the frame, or stripped by the NIC into the
 *   mbuf) go to the TAP with the tag removed; untagged frames, other VIDs
 *   and 802.1ad (0x88a8) outer tags are tap_unmapped. Frames from the TAP
 *   get an 802.1Q tag with VID (priority 0) on the way out.
 * - From the TAP to the wire: on the control lcore's own TX queue of the
 *   wire port when it has one (twr_tap_conf.wire_txq); otherwise through a
 *   single-producer single-consumer ring to one worker, which sends them
 *   on its TX queue (twr_tap_worker_ring(), twr_worker_tx_ring()); for
 *   net_af_packet, whose TX queues are as many as its qpairs = workers.
 *
 * Counters: every frame taken in is counted once where it ends, every
 * drop under a name (TWR_TAP_COUNTERS). Once the workers have stopped and
 * twr_tap_flush() has run:
 *
 *     exception_consumed = tap_tx + tap_tx_full + tap_tx_too_big + tap_unmapped
 *                          (TAP on; with no TAP every consumed frame is freed)
 *     tap_rx = to_wire + to_wire_tx_full + to_wire_ring_full + to_wire_flushed
 *              + tap_rx_invalid
 *
 * to_wire_ring counts the frames that took the ring to the worker; they
 * are counted again in to_wire, to_wire_tx_full or to_wire_flushed.
 *
 * Threads: twr_tap_poll() and twr_tap_flush() on the control lcore only;
 * the counters are written there and read by anyone (a reader may see a
 * value one poll old).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mempool.h>
#include <rte_ring.h>

struct twr_worker;

/** twr_tap_conf.wire_txq when the control lcore has no TX queue on the wire port. */
#define TWR_TAP_NO_QUEUE UINT16_MAX
/** Frames the ring to the worker holds (power of two). */
#define TWR_TAP_WORKER_RING_SIZE 1024

/**
 * The counters: _(ID, "name", "description"). Names are a stable
 * interface (FINAL line, telemetry): append only.
 */
#define TWR_TAP_COUNTERS(_)                                                                        \
	_(EXCEPTION_CONSUMED, "exception_consumed", "frames taken off the exception ring")         \
	_(TAP_TX, "tap_tx", "exception frames written to the TAP (to the kernel)")                 \
	_(TAP_TX_FULL, "tap_tx_full",                                                              \
	  "exception frames the TAP refused (kernel queue full): dropped")                         \
	_(TAP_TX_TOO_BIG, "tap_tx_too_big",                                                        \
	  "exception frames longer than the TAP's MTU allows: dropped")                            \
	_(TAP_UNMAPPED, "tap_unmapped",                                                            \
	  "exception frames of a port or VLAN not mapped to the TAP: dropped")                     \
	_(TAP_RX, "tap_rx", "frames the kernel sent on the TAP")                                   \
	_(TAP_RX_INVALID, "tap_rx_invalid",                                                        \
	  "TAP frames not sendable (chained, or no headroom for the VLAN tag): dropped")           \
	_(TO_WIRE, "to_wire", "TAP frames accepted by the wire port's TX queue")                   \
	_(TO_WIRE_RING, "to_wire_ring", "TAP frames queued to the worker that sends them")         \
	_(TO_WIRE_TX_FULL, "to_wire_tx_full",                                                      \
	  "TAP frames refused by the full wire TX queue: dropped")                                 \
	_(TO_WIRE_RING_FULL, "to_wire_ring_full",                                                  \
	  "TAP frames refused by the full ring to the worker: dropped")                            \
	_(TO_WIRE_FLUSHED, "to_wire_flushed",                                                      \
	  "TAP frames left in the ring to the worker at exit: dropped")

/* clang-format off */
/** Indices of the counters. */
enum twr_tap_counter {
#define TWR_TAP_COUNTER_ENUM_(id, name, desc) TWR_TAP_##id,
	TWR_TAP_COUNTERS(TWR_TAP_COUNTER_ENUM_)
#undef TWR_TAP_COUNTER_ENUM_
	TWR_TAP_COUNTER_MAX
};
/* clang-format on */

/** The exception path's counters, summed (control lcore and worker parts). */
struct twr_tap_stats {
	uint64_t counter[TWR_TAP_COUNTER_MAX];
};

/** One address to give the TAP's kernel interface. */
struct twr_tap_addr {
	uint8_t addr[16]; /**< IPv6, or IPv4-mapped IPv6 for IPv4 */
	uint8_t prefix;	  /**< prefix length (IPv4 1..32, IPv6 1..128) */
};

/** A route the TAP's kernel side gets: Control-Clients beyond a gateway. */
struct twr_tap_route {
	uint8_t dst[16]; /**< IPv6 or IPv4-mapped */
	uint8_t len;	 /**< prefix length in the family (IPv4 0..32) */
	uint8_t gw[16];	 /**< the gateway, same family, on-link on one of the addresses */
};

/** What twr_tap_create() needs. */
struct twr_tap_conf {
	/** Kernel interface name (< IFNAMSIZ), or NULL: no TAP, exception frames are freed. */
	const char *ifname;
	/** The workers' exception ring; dequeued by the control lcore only. */
	struct rte_ring *exc_ring;
	uint16_t wire_port; /**< the port mapped to the TAP (and its MAC) */
	uint16_t wire_txq;  /**< the control lcore's TX queue on it, or TWR_TAP_NO_QUEUE */
	/**
	 * mbufs for frames from the kernel: the wire port's pool, so that
	 * every mbuf on the port's TX queues comes from one pool (devices
	 * with MBUF_FAST_FREE rely on that).
	 */
	struct rte_mempool *pool;
	uint16_t vlan; /**< VLAN of the addresses on the wire; 0: untagged */
	const struct twr_tap_addr *addrs;
	unsigned int nb_addrs;
	const struct twr_tap_route *routes; /**< added after the addresses */
	unsigned int nb_routes;
};

struct twr_tap;

/**
 * Create the exception path. With conf->ifname set: create the TAP
 * (net_tap), configure and start it, set its MAC, MTU, IPv6 settings,
 * link state and addresses (see the file comment), and, when
 * conf->wire_txq is TWR_TAP_NO_QUEUE, the ring to the worker. Prints one
 * line saying what it made. Call on the control lcore after the wire
 * port is started and before the workers are launched.
 *
 * @param conf  the configuration; read during the call only.
 * @return the handle, or NULL with rte_errno set: EINVAL (bad name or
 *   configuration); ENOMEM; EIO when net_tap cannot create the interface
 *   (no /dev/net/tun, no CAP_NET_ADMIN, the name taken by an interface of
 *   another kind: net_tap's log says which); the kernel's errno of the
 *   netlink or /proc step that failed (EPERM, EEXIST, ENOENT when IPv6
 *   addresses are given to a kernel without IPv6, ...); that of the ethdev
 *   call that failed. The step is logged (logtype user.twamp.ctl).
 */
struct twr_tap *twr_tap_create(const struct twr_tap_conf *conf);

/**
 * Move frames in both directions: up to a few bursts from the exception
 * ring to the TAP, and from the TAP to the wire. Control lcore only.
 * @return the number of frames handled (0: idle, the caller may sleep).
 */
unsigned int twr_tap_poll(struct twr_tap *tap);

/**
 * The ring to the worker that sends the TAP's frames on its own TX queue,
 * or NULL when the control lcore has a TX queue of its own (or no TAP).
 * Hand it to one worker (twr_worker.tx_ring) before launch.
 */
struct rte_ring *twr_tap_worker_ring(const struct twr_tap *tap);

/**
 * At exit, once the workers have stopped: hand what is left on the
 * exception ring to the TAP, then free (to_wire_flushed) what is left
 * on the ring to the worker. Control lcore only.
 */
void twr_tap_flush(struct twr_tap *tap);

/**
 * Sum the counters: the control lcore's and the TX-ring part of every
 * worker's (twr_worker.tx_ring_sent and tx_ring_full).
 * @param tap      the exception path; NULL gives zeros.
 * @param workers  the workers, or NULL.
 * @param n        how many.
 * @param out      the sum.
 */
void twr_tap_stats_get(const struct twr_tap *tap, const struct twr_worker *workers, unsigned int n,
		       struct twr_tap_stats *out);

/**
 * Print every counter as " name=value" (a leading space each, no newline),
 * for the application's counter lines. @p tap may be NULL (zeros).
 */
void twr_tap_stats_print(FILE *f, const struct twr_tap *tap, const struct twr_worker *workers,
			 unsigned int n);

/**
 * Stable name of a counter.
 * @return the name; NULL for an out-of-range index.
 */
const char *twr_tap_counter_name(unsigned int counter);

/** The TAP's kernel interface name, or NULL when there is no TAP. */
const char *twr_tap_ifname(const struct twr_tap *tap);

/** The TAP's kernel interface index, or 0 when there is no TAP. */
unsigned int twr_tap_ifindex(const struct twr_tap *tap);

/**
 * Stop and remove the TAP (the kernel interface goes with it) and free
 * the handle; frames still queued are freed. Call after twr_tap_flush()
 * and after the workers have stopped. NULL is a no-op.
 */
void twr_tap_destroy(struct twr_tap *tap);

#endif /* TWR_TAP_H */
