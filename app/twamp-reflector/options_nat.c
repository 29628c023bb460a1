/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The NAT options: --nat-policy, --nat-policy-for, --latch-window, --latch-source-len. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "options.h"
#include "twr_addr.h"
#include "twr_nat_diag.h"

static int
nat_bad(const char *name, const char *arg, const char *why)
{
	return twr_app_options_bad(name, arg, why);
}

void
twr_app_options_nat_defaults(struct twr_app_nat_options *n)
{
	memset(n, 0, sizeof(*n));
	n->policy = TWR_NAT_STRICT;
	n->latch_window = 10;
	n->latch_len4 = 32;
	n->latch_len6 = 128;
}

static int
len_parse(const char *s, unsigned int max, uint8_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v > max)
		return -EINVAL;
	*out = (uint8_t)v;
	return 0;
}

/* PREFIX=POLICY: 198.18.0.0/15=latch, 2001:db8::/32=strict. */
static int
rule_parse(const char *arg, struct twr_nat_rule *r)
{
	char buf[INET6_ADDRSTRLEN + 16];
	char *eq, *slash;
	int policy, ret;

	if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf))
		return nat_bad("nat-policy-for", arg, "too long");
	eq = strchr(buf, '=');
	slash = strchr(buf, '/');
	if (eq == NULL || slash == NULL || slash > eq)
		return nat_bad("nat-policy-for", arg, "expected PREFIX/LEN=strict|latch");
	*eq++ = '\0';
	policy = twr_nat_policy_parse(eq);
	if (policy < 0)
		return nat_bad("nat-policy-for", arg, "the policy is strict or latch");
	memset(r, 0, sizeof(*r));
	ret = twr_app_prefix_parse(buf, r->prefix, &r->plen);
	if (ret == -ERANGE)
		return nat_bad("nat-policy-for", arg,
			       twr_addr_is_v4(r->prefix) ? "an IPv4 prefix length is 0..32"
							 : "an IPv6 prefix length is 0..128");
	if (ret < 0)
		return nat_bad("nat-policy-for", arg, "not an IPv4 or IPv6 prefix");
	r->policy = (uint8_t)policy;
	return 0;
}

int
twr_app_options_nat(const char *name, const char *arg, struct twr_app_nat_options *n)
{
	char buf[16], *comma, *end;
	int policy;

	if (strcmp(name, "nat-policy") == 0) {
		policy = twr_nat_policy_parse(arg);
		if (policy < 0)
			return nat_bad(name, arg, "must be strict or latch");
		n->policy = (uint8_t)policy;
		return 0;
	}
	if (strcmp(name, "nat-policy-for") == 0) {
		if (n->nb_rules == TWR_SESSION_MGR_MAX_NAT_RULES)
			return nat_bad(name, arg, "too many rules");
		if (rule_parse(arg, &n->rules[n->nb_rules]) < 0)
			return -EINVAL;
		n->nb_rules++;
		return 0;
	}
	if (strcmp(name, "latch-window") == 0) {
		errno = 0;
		n->latch_window = strtod(arg, &end);
		if (errno != 0 || end == arg || *end != '\0' || !(n->latch_window >= 0.001) ||
		    n->latch_window > 86400)
			return nat_bad(name, arg, "must be 0.001..86400 seconds");
		return 0;
	}
	if (strcmp(name, "latch-source-len") == 0) {
		if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf))
			return nat_bad(name, arg, "expected V4[,V6], e.g. 32,128");
		comma = strchr(buf, ',');
		if (comma != NULL)
			*comma++ = '\0';
		if (len_parse(buf, 32, &n->latch_len4) < 0 ||
		    (comma != NULL && len_parse(comma, 128, &n->latch_len6) < 0))
			return nat_bad(name, arg, "V4 is 0..32, V6 0..128");
		return 0;
	}
	return nat_bad(name, arg, "unknown NAT option");
}
