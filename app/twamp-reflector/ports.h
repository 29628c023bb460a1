/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_PORTS_H
#define TWR_APP_PORTS_H

/**
 * @file
 * Port setup: one RX and one TX queue per worker on every port, one more
 * TX queue for the control lcore where the device has it, RSS on the UDP
 * 5-tuple so that a session stays on one worker, checksum offloads where
 * the device offers them, one mbuf pool per port.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#define TWR_APP_MAX_PORTS 8
/** No TX queue for the control lcore (the device has too few). */
#define TWR_APP_NO_QUEUE UINT16_MAX

struct twr_app_port {
	uint16_t port_id;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	uint16_t ctl_txq;      /**< control lcore's TX queue, or TWR_APP_NO_QUEUE */
	unsigned int tx_cksum; /**< TWR_TX_*_CKSUM_OFFLOAD the device does */
	bool rx_cksum;	       /**< the device verifies IPv4/UDP checksums */
	bool rss;	       /**< RSS configured over the RX queues */
	struct rte_mempool *pool;
	struct rte_ether_addr mac;
	char name[RTE_ETH_NAME_MAX_LEN];
};

struct twr_app_options;

/**
 * Configure and start every probed port with @p nb_workers RX queues.
 * Prints what it configured; on failure prints why, naming the port.
 * @return 0 or a negative errno.
 */
int twr_app_ports_init(const struct twr_app_options *o, unsigned int nb_workers,
		       struct twr_app_port ports[TWR_APP_MAX_PORTS], uint16_t *nb_ports);

/** Stop and close the ports. */
void twr_app_ports_close(struct twr_app_port *ports, uint16_t nb_ports);

#endif /* TWR_APP_PORTS_H */
