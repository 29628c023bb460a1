/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_NETLINK_H
#define TWR_NETLINK_H

/**
 * @file
 * Configuring a kernel network interface from C: rtnetlink for the link
 * state and the addresses, /proc/sys for the per-interface IPv6 settings.
 * What the exception path needs to set up its TAP without the operator
 * typing `ip` commands. Blocking calls, for the control lcore at start-up
 * (each waits for the kernel's acknowledgement).
 */

#include <stdbool.h>
#include <stdint.h>

/**
 * Set interface @p ifindex administratively up (IFF_UP).
 * @return 0, or a negative errno from the kernel (-ENODEV, -EPERM, ...).
 */
int twr_netlink_link_up(unsigned int ifindex);

/**
 * Add an address to interface @p ifindex, as `ip addr add ADDR/PREFIX dev IF`.
 *
 * @param ifindex  the interface.
 * @param addr     16 octets: IPv6, or IPv4-mapped IPv6 (::ffff:a.b.c.d) for IPv4.
 * @param prefix   prefix length (IPv4 1..32, IPv6 1..128).
 * @param nodad    IPv6: add with IFA_F_NODAD (usable at once, no Duplicate
 *                 Address Detection); ignored for IPv4.
 * @return 0; -EINVAL for a bad prefix; -EEXIST when the interface has the
 *   address already; another negative errno from the kernel.
 */
int twr_netlink_addr_add(unsigned int ifindex, const uint8_t addr[16], uint8_t prefix, bool nodad);

/**
 * Add a route to @p dst/@p len via @p gw on interface @p ifindex (the TAP):
 * how the kernel reaches Control-Clients that are not on-link.
 *
 * @param dst, gw  IPv6 or IPv4-mapped, the same family.
 * @return 0; -EINVAL (bad prefix, families differ); -EEXIST; another -errno.
 */
int twr_netlink_route_add(unsigned int ifindex, const uint8_t dst[16], uint8_t len,
			  const uint8_t gw[16]);

/**
 * Write @p value to /proc/sys/net/ipv6/conf/@p ifname/@p key (a sysctl of
 * one interface, e.g. "accept_dad", "disable_ipv6").
 * @return 0; -ENOENT when the file does not exist (no such interface, or a
 *   kernel without IPv6); -EINVAL for a name that is not a plain file name;
 *   another negative errno from open/write.
 */
int twr_netlink_ipv6_conf_set(const char *ifname, const char *key, const char *value);

#endif /* TWR_NETLINK_H */
