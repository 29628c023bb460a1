/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* --light-allow PORT=PREFIX, and prefixes as the options and the CLI write them. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "options.h"
#include "twr_addr.h"

int
twr_app_prefix_parse(const char *s, uint8_t addr[16], uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long v;
	uint8_t v4[4];
	bool is4;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -EINVAL;
	*slash++ = '\0';
	memset(addr, 0, 16);
	is4 = inet_pton(AF_INET, buf, v4) == 1;
	if (is4) {
		addr[10] = 0xff;
		addr[11] = 0xff;
		memcpy(addr + 12, v4, 4);
	} else if (inet_pton(AF_INET6, buf, addr) != 1) {
		return -EINVAL;
	}
	errno = 0;
	v = strtoul(slash, &end, 10);
	/* a bad length after a good address: addr is set, the caller can name the family */
	if (errno != 0 || end == slash || *end != '\0' || slash[0] == '-' || v > (is4 ? 32u : 128u))
		return -ERANGE;
	*len = (uint8_t)(is4 ? 96 + v : v);
	return 0;
}

int
twr_app_options_light_allow(const char *arg, struct twr_app_options *o)
{
	struct twr_app_light_allow *a;
	char buf[16];
	const char *eq = strchr(arg, '=');
	char *end;
	unsigned long port;

	if (o->nb_light_allow == TWR_APP_MAX_LIGHT_ALLOW)
		return twr_app_options_bad("light-allow", arg, "too many prefixes");
	if (eq == NULL || (size_t)(eq - arg) >= sizeof(buf))
		return twr_app_options_bad("light-allow", arg, "expected PORT=PREFIX");
	memcpy(buf, arg, (size_t)(eq - arg));
	buf[eq - arg] = '\0';
	errno = 0;
	port = strtoul(buf, &end, 10);
	if (errno != 0 || end == buf || *end != '\0' || port == 0 || port > 65535)
		return twr_app_options_bad("light-allow", arg, "port must be 1..65535");
	a = &o->light_allow[o->nb_light_allow];
	if (twr_app_prefix_parse(eq + 1, a->addr, &a->len) < 0)
		return twr_app_options_bad("light-allow", arg,
					   "not a prefix (198.18.0.0/15, 2001:db8::/32)");
	a->port = (uint16_t)port;
	o->nb_light_allow++;
	return 0;
}

int
twr_app_options_tap_route(const char *arg, struct twr_app_options *o)
{
	struct twr_tap_route *r;
	char buf[2 * INET6_ADDRSTRLEN + 8];
	char *comma;
	uint8_t v4[4];

	if (o->nb_tap_routes == TWR_APP_MAX_TAP_ROUTES)
		return twr_app_options_bad("tap-route", arg, "too many routes");
	if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf) || (comma = strchr(buf, ',')) == NULL)
		return twr_app_options_bad("tap-route", arg, "expected PREFIX,GATEWAY");
	*comma++ = '\0';
	r = &o->tap_routes[o->nb_tap_routes];
	if (twr_app_prefix_parse(buf, r->dst, &r->len) < 0)
		return twr_app_options_bad("tap-route", arg,
					   "not a prefix (198.18.0.0/15, 2001:db8::/32)");
	memset(r->gw, 0, sizeof(r->gw));
	if (inet_pton(AF_INET, comma, v4) == 1) {
		r->gw[10] = 0xff;
		r->gw[11] = 0xff;
		memcpy(r->gw + 12, v4, 4);
	} else if (inet_pton(AF_INET6, comma, r->gw) != 1) {
		return twr_app_options_bad("tap-route", arg, "the gateway is not an address");
	}
	if (twr_addr_is_v4(r->dst) != twr_addr_is_v4(r->gw))
		return twr_app_options_bad("tap-route", arg,
					   "prefix and gateway of different families");
	if (twr_addr_is_v4(r->dst))
		r->len = (uint8_t)(r->len - 96); /* the kernel's length, in the family */
	o->nb_tap_routes++;
	return 0;
}
