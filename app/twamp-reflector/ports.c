/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "options.h"
#include "ports.h"
#include "twr_reflect.h"

#define MBUF_CACHE 256
/* Enough for a burst in flight per queue and the exception ring's backlog. */
#define MBUF_SLACK 4096

static int
port_init(const struct twr_app_options *o, unsigned int nb_workers, struct twr_app_port *p)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t rxd = o->rxd, txd = o->txd, q;
	uint32_t nb_mbufs;
	char pool_name[RTE_MEMPOOL_NAMESIZE];
	int socket = rte_eth_dev_socket_id(p->port_id);
	int ret;

	if (socket < 0)
		socket = (int)rte_socket_id();
	ret = rte_eth_dev_info_get(p->port_id, &info);
	if (ret < 0)
		return ret;
	rte_eth_dev_get_name_by_port(p->port_id, p->name);
	/*
	 * Every worker polls one RX queue of every port. A device with fewer
	 * queues than workers cannot be spread: refuse rather than leave a
	 * worker idle or, with af_packet's fanout, a queue unpolled.
	 */
	if (info.max_rx_queues < nb_workers || info.max_tx_queues < nb_workers) {
		fprintf(stderr,
			"twamp-reflector: port %u (%s) has %u RX / %u TX queues, %u workers need "
			"as many (e.g. qpairs=%u for net_af_packet, or --workers)\n",
			p->port_id, p->name, info.max_rx_queues, info.max_tx_queues, nb_workers,
			nb_workers);
		return -ENOTSUP;
	}
	/*
	 * net_af_packet opens one socket per qpair at probe time, all in one
	 * fanout group: the kernel spreads frames over every one of them
	 * whether or not its queue is configured. A queue nobody polls loses
	 * its frames with no counter anywhere, so the queues must match.
	 */
	if (strcmp(info.driver_name, "net_af_packet") == 0 && info.max_rx_queues != nb_workers) {
		fprintf(stderr,
			"twamp-reflector: port %u (%s) has qpairs=%u but %u worker(s): every "
			"af_packet queue receives traffic, so use qpairs=%u or --workers %u\n",
			p->port_id, p->name, info.max_rx_queues, nb_workers, nb_workers,
			info.max_rx_queues);
		return -EINVAL;
	}
	p->nb_rxq = (uint16_t)nb_workers;
	p->nb_txq = (uint16_t)RTE_MIN(nb_workers + 1, info.max_tx_queues);
	p->ctl_txq = p->nb_txq > nb_workers ? (uint16_t)nb_workers : TWR_APP_NO_QUEUE;

	memset(&conf, 0, sizeof(conf));
	if (p->nb_rxq > 1) {
		uint64_t hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;

		if (hf != 0) {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			conf.rx_adv_conf.rss_conf.rss_hf = hf;
			p->rss = true;
		}
	}
	if ((info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_CHECKSUM) == RTE_ETH_RX_OFFLOAD_CHECKSUM) {
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_CHECKSUM;
		p->rx_cksum = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		p->tx_cksum |= TWR_TX_IP_CKSUM_OFFLOAD;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
		p->tx_cksum |= TWR_TX_L4_CKSUM_OFFLOAD;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	ret = rte_eth_dev_configure(p->port_id, p->nb_rxq, p->nb_txq, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &rxd, &txd);
	if (ret < 0)
		return ret;

	nb_mbufs = o->mbufs;
	if (nb_mbufs == 0)
		nb_mbufs = (uint32_t)rxd * p->nb_rxq + (uint32_t)txd * p->nb_txq +
			   MBUF_CACHE * rte_lcore_count() + MBUF_SLACK;
	snprintf(pool_name, sizeof(pool_name), "twr_mbuf_%u", p->port_id);
	p->pool = rte_pktmbuf_pool_create(pool_name, nb_mbufs, MBUF_CACHE, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	if (p->pool == NULL)
		return -rte_errno;

	for (q = 0; q < p->nb_rxq; q++) {
		struct rte_eth_rxconf rxc = info.default_rxconf;

		rxc.offloads = conf.rxmode.offloads;
		ret = rte_eth_rx_queue_setup(p->port_id, q, rxd, (unsigned int)socket, &rxc,
					     p->pool);
		if (ret < 0)
			return ret;
	}
	for (q = 0; q < p->nb_txq; q++) {
		struct rte_eth_txconf txc = info.default_txconf;

		txc.offloads = conf.txmode.offloads;
		ret = rte_eth_tx_queue_setup(p->port_id, q, txd, (unsigned int)socket, &txc);
		if (ret < 0)
			return ret;
	}
	ret = rte_eth_macaddr_get(p->port_id, &p->mac);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_start(p->port_id);
	if (ret < 0)
		return ret;
	printf("port %u (%s): %u RX / %u TX queues%s, control TX queue %s, "
	       "RX checksum %s, TX checksum%s%s%s, %u mbufs\n",
	       p->port_id, p->name, p->nb_rxq, p->nb_txq, p->rss ? " (RSS)" : "",
	       p->ctl_txq == TWR_APP_NO_QUEUE ? "none" : "yes", p->rx_cksum ? "NIC" : "software",
	       p->tx_cksum == 0 ? " software" : "",
	       p->tx_cksum & TWR_TX_IP_CKSUM_OFFLOAD ? " ipv4-NIC" : "",
	       p->tx_cksum & TWR_TX_L4_CKSUM_OFFLOAD ? " udp-NIC" : "", nb_mbufs);
	return 0;
}

int
twr_app_ports_init(const struct twr_app_options *o, unsigned int nb_workers,
		   struct twr_app_port ports[TWR_APP_MAX_PORTS], uint16_t *nb_ports)
{
	uint16_t port_id, n = 0;
	int ret;

	RTE_ETH_FOREACH_DEV (port_id) {
		if (n == TWR_APP_MAX_PORTS) {
			fprintf(stderr, "twamp-reflector: more than %u ports\n", TWR_APP_MAX_PORTS);
			return -E2BIG;
		}
		memset(&ports[n], 0, sizeof(ports[n]));
		ports[n].port_id = port_id;
		ret = port_init(o, nb_workers, &ports[n]);
		if (ret < 0) {
			fprintf(stderr, "twamp-reflector: port %u: %s\n", port_id, strerror(-ret));
			return ret;
		}
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "twamp-reflector: no port (use --vdev or a PCI device)\n");
		return -ENODEV;
	}
	*nb_ports = n;
	return 0;
}

void
twr_app_ports_close(struct twr_app_port *ports, uint16_t nb_ports)
{
	uint16_t i;

	for (i = 0; i < nb_ports; i++) {
		rte_eth_dev_stop(ports[i].port_id);
		rte_eth_dev_close(ports[i].port_id);
	}
}
