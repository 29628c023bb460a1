/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "twr_addr.h"
#include "twr_netlink.h"

/* A request: the netlink header, the rtnetlink message, its attributes. */
#define NL_BUF 512

struct nl_req {
	struct nlmsghdr *h;
	char buf[NL_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
};

static void
nl_req_init(struct nl_req *r, uint16_t type, uint16_t flags, const void *body, size_t len)
{
	memset(r->buf, 0, sizeof(r->buf));
	r->h = (struct nlmsghdr *)(void *)r->buf;
	r->h->nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	r->h->nlmsg_type = type;
	r->h->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	memcpy(NLMSG_DATA(r->h), body, len);
}

static int
nl_req_attr(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(r->h->nlmsg_len);
	struct rtattr *a;

	if (off + RTA_SPACE(len) > sizeof(r->buf))
		return -EMSGSIZE;
	a = (struct rtattr *)(void *)(r->buf + off);
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h->nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
	return 0;
}

/* Send @p r on a fresh NETLINK_ROUTE socket and wait for the kernel's ack. */
static int
nl_transact(struct nl_req *r)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	struct timeval tv = {.tv_sec = 2};
	char ans[NL_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	int fd, ret = -EIO;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	/* The kernel always answers; the timeout only guards against a bug. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r->h->nlmsg_seq = 1;
	if (sendto(fd, r->buf, r->h->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) <
	    0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		struct nlmsghdr *h;
		unsigned int len;

		n = recv(fd, ans, sizeof(ans), 0);
		if (n < 0) {
			ret = errno == EAGAIN ? -ETIMEDOUT : -errno;
			goto out;
		}
		/*
		 * The NLMSG_* macros take a mutable header and compare lengths
		 * as in the kernel: unsigned, so len is unsigned too (clang's
		 * -Wsign-compare, -Wcast-qual).
		 */
		len = (unsigned int)n;
		for (h = (struct nlmsghdr *)(void *)ans; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != r->h->nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = (const struct nlmsgerr *)NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					ret = -EIO;
				else
					ret = e->error; /* 0 (the ack) or -errno */
				goto out;
			}
		}
	}
out:
	close(fd);
	return ret;
}

int
twr_netlink_link_up(unsigned int ifindex)
{
	struct ifinfomsg ifi;
	struct nl_req r;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = (int)ifindex;
	ifi.ifi_flags = IFF_UP;
	ifi.ifi_change = IFF_UP;
	nl_req_init(&r, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	return nl_transact(&r);
}

int
twr_netlink_addr_add(unsigned int ifindex, const uint8_t addr[16], uint8_t prefix, bool nodad)
{
	bool v4 = twr_addr_is_v4(addr);
	struct ifaddrmsg ifa;
	struct nl_req r;
	int ret;

	if (prefix == 0 || prefix > (v4 ? 32 : 128))
		return -EINVAL;
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = v4 ? AF_INET : AF_INET6;
	ifa.ifa_prefixlen = prefix;
	ifa.ifa_flags = !v4 && nodad ? IFA_F_NODAD : 0;
	ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	ifa.ifa_index = ifindex;
	nl_req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
	if (v4) {
		/* IFA_LOCAL is the address; IFA_ADDRESS the peer, the same here. */
		ret = nl_req_attr(&r, IFA_LOCAL, addr + 12, 4);
		if (ret == 0)
			ret = nl_req_attr(&r, IFA_ADDRESS, addr + 12, 4);
	} else {
		ret = nl_req_attr(&r, IFA_ADDRESS, addr, 16);
	}
	if (ret < 0)
		return ret;
	return nl_transact(&r);
}

int
twr_netlink_route_add(unsigned int ifindex, const uint8_t dst[16], uint8_t len,
		      const uint8_t gw[16])
{
	bool v4 = twr_addr_is_v4(dst);
	uint32_t oif = ifindex;
	struct rtmsg rtm;
	struct nl_req r;
	int ret;

	if (v4 != twr_addr_is_v4(gw) || len > (v4 ? 32 : 128))
		return -EINVAL;
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = v4 ? AF_INET : AF_INET6;
	rtm.rtm_dst_len = len;
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = RTPROT_STATIC;
	rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	rtm.rtm_type = RTN_UNICAST;
	nl_req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rtm, sizeof(rtm));
	ret = nl_req_attr(&r, RTA_DST, v4 ? dst + 12 : dst, v4 ? 4 : 16);
	if (ret == 0)
		ret = nl_req_attr(&r, RTA_GATEWAY, v4 ? gw + 12 : gw, v4 ? 4 : 16);
	if (ret == 0)
		ret = nl_req_attr(&r, RTA_OIF, &oif, sizeof(oif));
	if (ret < 0)
		return ret;
	return nl_transact(&r);
}

int
twr_netlink_ipv6_conf_set(const char *ifname, const char *key, const char *value)
{
	char path[128];
	size_t len = strlen(value);
	ssize_t n;
	int fd, ret = 0;

	if (ifname[0] == '\0' || ifname[0] == '.' || strchr(ifname, '/') != NULL ||
	    key[0] == '\0' || key[0] == '.' || strchr(key, '/') != NULL)
		return -EINVAL;
	if (snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, key) >=
	    (int)sizeof(path))
		return -EINVAL;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}
