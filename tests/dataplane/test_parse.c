/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The frame parser on plain buffers (no EAL): the fields it extracts from
 * good frames (plain, VLAN, QinQ, IPv4 options, IPv6 extension headers
 * skipped), one case per reason it can return (asserting that exact
 * reason), the NIC checksum flags, and the reason table itself.
 */

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "dp_vectors.h"
#include "twr_dp_reasons.h"
#include "twr_parse.h"

static const uint8_t ip4_s_mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 1};
static const uint8_t ip4_r_mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 2};
static const uint8_t ip6_s[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t ip6_r[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

/*
 * Parse @p len octets of a vector from an exactly sized heap copy, so that
 * a sanitizer build (-Dsanitizers=address) catches any read past the end.
 */
static int
parse(const uint8_t *frame, size_t len, unsigned int flags, struct twr_pkt_info *info)
{
	uint8_t *buf = malloc(len > 0 ? len : 1);
	int ret;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, frame, len);
	memset(info, 0x5a, sizeof(*info));
	ret = twr_parse(buf, (uint16_t)len, flags, info);
	free(buf);
	return ret;
}

#define PARSE(v, flags, info) parse(v, sizeof(v), flags, info)
#define ck_reason(got, want)                                                                       \
	ck_assert_msg((got) == (want), "reason %s, want %s", twr_dp_reason_name(got),              \
		      twr_dp_reason_name(want))

START_TEST(info_fits_a_cache_line)
{
	ck_assert_uint_le(sizeof(struct twr_pkt_info), 64);
}
END_TEST

START_TEST(ipv4_udp)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(v4_twamp41_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.ip_version, 4);
	ck_assert_uint_eq(in.vlan_count, 0);
	ck_assert_uint_eq(in.outer_vid, 0);
	ck_assert_uint_eq(in.inner_vid, 0);
	ck_assert_uint_eq(in.l3_off, 14);
	ck_assert_uint_eq(in.l4_off, 34);
	ck_assert_uint_eq(in.payload_off, 42);
	ck_assert_uint_eq(in.payload_len, 41);
	ck_assert_uint_eq(in.src_port, 50000);
	ck_assert_uint_eq(in.dst_port, 5000);
	ck_assert_uint_eq(in.ttl, 64);
	ck_assert_uint_eq(in.tos, 0);
	ck_assert_bytes(in.src_addr, ip4_s_mapped, 16);
	ck_assert_bytes(in.dst_addr, ip4_r_mapped, 16);
}
END_TEST

START_TEST(ipv6_udp)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(v6_twamp41_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.ip_version, 6);
	ck_assert_uint_eq(in.l3_off, 14);
	ck_assert_uint_eq(in.l4_off, 54);
	ck_assert_uint_eq(in.payload_off, 62);
	ck_assert_uint_eq(in.payload_len, 41);
	ck_assert_uint_eq(in.src_port, 50000);
	ck_assert_uint_eq(in.dst_port, 5000);
	ck_assert_uint_eq(in.ttl, 64);
	ck_assert_bytes(in.src_addr, ip6_s, 16);
	ck_assert_bytes(in.dst_addr, ip6_r, 16);

	/* Traffic Class straddles octets 0-1 of the header. */
	ck_reason(PARSE(v6_stamp_loc_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.tos, 0x29);
}
END_TEST

START_TEST(ethernet_padding_ignored)
{
	struct twr_pkt_info in;

	/* 60-octet frame, IP says 48: the 4 octets of 0xee are not payload. */
	ck_assert_uint_eq(sizeof(v4_twamp14_in), 60);
	ck_reason(PARSE(v4_twamp14_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.payload_len, 14);
}
END_TEST

START_TEST(vlan_and_qinq)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(v4_vlan_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.vlan_count, 1);
	ck_assert_uint_eq(in.outer_vid, 100); /* PCP 1 masked off */
	ck_assert_uint_eq(in.inner_vid, 0);
	ck_assert_uint_eq(in.l3_off, 18);
	ck_assert_uint_eq(in.payload_off, 46);

	ck_reason(PARSE(v4_qinq_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.vlan_count, 2);
	ck_assert_uint_eq(in.outer_vid, 10);
	ck_assert_uint_eq(in.inner_vid, 20);
	ck_assert_uint_eq(in.l3_off, 22);
	ck_assert_uint_eq(in.payload_off, 50);

	ck_reason(PARSE(v6_qinq_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.vlan_count, 2);
	ck_assert_uint_eq(in.outer_vid, 10);
	ck_assert_uint_eq(in.inner_vid, 20);
	ck_assert_uint_eq(in.ip_version, 6);
	ck_assert_uint_eq(in.payload_off, 22 + 40 + 8);
}
END_TEST

START_TEST(ipv4_options_skipped)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(v4_opts_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.l3_off, 14);
	ck_assert_uint_eq(in.l4_off, 14 + 24);
	ck_assert_uint_eq(in.payload_len, 41);
}
END_TEST

START_TEST(ipv6_ext_skipped)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(v6_hbh_in, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.l4_off, 14 + 40 + 8);
	ck_assert_uint_eq(in.payload_len, 41);
	ck_reason(PARSE(p_v6_rh_sl0, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.l4_off, 14 + 40 + 8);
	ck_reason(PARSE(p_v6_afrag, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.l4_off, 14 + 40 + 8);
	ck_reason(PARSE(p_v6_4dst, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.l4_off, 14 + 40 + 32);
	ck_assert_uint_eq(in.payload_len, 41);
}
END_TEST

START_TEST(udp_shorter_than_ip_payload)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v4_ushort, 0, &in), TWR_DP_OK);
	ck_assert_uint_eq(in.payload_len, 41);
}
END_TEST

START_TEST(ipv4_zero_udp_checksum_accepted)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v4_zero_ucksum, 0, &in), TWR_DP_OK);
}
END_TEST

START_TEST(reason_truncated)
{
	struct twr_pkt_info in;

	ck_reason(parse(v4_twamp41_in, 13, 0, &in), TWR_DP_REASON_TRUNCATED);
	ck_reason(parse(v4_twamp41_in, 0, 0, &in), TWR_DP_REASON_TRUNCATED);
	/* VLAN tag cut after its TCI. */
	ck_reason(parse(v4_vlan_in, 16, 0, &in), TWR_DP_REASON_TRUNCATED);
	/* IPv4 header cut at 19 octets. */
	ck_reason(parse(v4_twamp41_in, 14 + 19, 0, &in), TWR_DP_REASON_TRUNCATED);
	/* IPv4 options announced by IHL 6, frame ends after 20 octets of header. */
	ck_reason(parse(v4_opts_in, 14 + 22, 0, &in), TWR_DP_REASON_TRUNCATED);
	/* UDP datagram cut: total length says more than the frame holds. */
	ck_reason(parse(v4_twamp41_in, sizeof(v4_twamp41_in) - 1, 0, &in), TWR_DP_REASON_TRUNCATED);
	ck_reason(PARSE(p_v4_total_big, 0, &in), TWR_DP_REASON_TRUNCATED);
	/* IPv6 header cut at 39 octets; payload length past the frame. */
	ck_reason(parse(v6_twamp41_in, 14 + 39, 0, &in), TWR_DP_REASON_TRUNCATED);
	ck_reason(PARSE(p_v6_plen_big, 0, &in), TWR_DP_REASON_TRUNCATED);
	ck_reason(parse(v6_twamp41_in, sizeof(v6_twamp41_in) - 1, 0, &in), TWR_DP_REASON_TRUNCATED);
	/* Extension header longer than the IPv6 payload. */
	ck_reason(PARSE(p_v6_ext_trunc, 0, &in), TWR_DP_REASON_TRUNCATED);
}
END_TEST

START_TEST(reason_l2_unsupported)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_3tags, 0, &in), TWR_DP_REASON_L2_UNSUPPORTED);
}
END_TEST

START_TEST(reason_not_ip)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_arp, 0, &in), TWR_DP_REASON_NOT_IP);
	ck_assert_uint_eq(twr_dp_reason_kind(TWR_DP_REASON_NOT_IP), TWR_DP_KIND_EXCEPTION);
}
END_TEST

START_TEST(reason_ipv4_bad_header)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v4_version5, 0, &in), TWR_DP_REASON_IPV4_BAD_HEADER);
	ck_reason(PARSE(p_v4_ihl4, 0, &in), TWR_DP_REASON_IPV4_BAD_HEADER);
	ck_reason(PARSE(p_v4_total19, 0, &in), TWR_DP_REASON_IPV4_BAD_HEADER);
}
END_TEST

START_TEST(reason_ipv4_bad_checksum)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v4_bad_cksum, 0, &in), TWR_DP_REASON_IPV4_BAD_CHECKSUM);
	/* The NIC's verdict replaces the software check, either way. */
	ck_reason(PARSE(p_v4_bad_cksum, TWR_PARSE_IP_CKSUM_GOOD, &in), TWR_DP_OK);
	ck_reason(PARSE(v4_twamp41_in, TWR_PARSE_IP_CKSUM_BAD, &in),
		  TWR_DP_REASON_IPV4_BAD_CHECKSUM);
}
END_TEST

START_TEST(reason_ipv4_fragment)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v4_mf, 0, &in), TWR_DP_REASON_IPV4_FRAGMENT);
	ck_reason(PARSE(p_v4_offset, 0, &in), TWR_DP_REASON_IPV4_FRAGMENT);
}
END_TEST

START_TEST(reason_ipv6_bad_header)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v6_version4, 0, &in), TWR_DP_REASON_IPV6_BAD_HEADER);
	ck_reason(PARSE(p_v6_plen0, 0, &in), TWR_DP_REASON_IPV6_BAD_HEADER);
}
END_TEST

START_TEST(reason_ipv6_ext_header)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v6_rh_sl1, 0, &in), TWR_DP_REASON_IPV6_EXT_HEADER);
	ck_reason(PARSE(p_v6_ah, 0, &in), TWR_DP_REASON_IPV6_EXT_HEADER);
	ck_reason(PARSE(p_v6_5dst, 0, &in), TWR_DP_REASON_IPV6_EXT_HEADER);
	ck_assert_uint_eq(twr_dp_reason_kind(TWR_DP_REASON_IPV6_EXT_HEADER), TWR_DP_KIND_EXCEPTION);
}
END_TEST

START_TEST(reason_ipv6_fragment)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v6_frag, 0, &in), TWR_DP_REASON_IPV6_FRAGMENT);
}
END_TEST

START_TEST(reason_udp_bad_length)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v4_ulen7, 0, &in), TWR_DP_REASON_UDP_BAD_LENGTH);
	ck_reason(PARSE(p_v4_ulen_big, 0, &in), TWR_DP_REASON_UDP_BAD_LENGTH);
	ck_reason(PARSE(p_v4_l4short, 0, &in), TWR_DP_REASON_UDP_BAD_LENGTH);
}
END_TEST

START_TEST(reason_udp_bad_checksum)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v4_bad_ucksum, 0, &in), TWR_DP_REASON_UDP_BAD_CHECKSUM);
	ck_reason(PARSE(p_v6_bad_ucksum, 0, &in), TWR_DP_REASON_UDP_BAD_CHECKSUM);
	ck_reason(PARSE(p_v6_zero_ucksum, 0, &in), TWR_DP_REASON_UDP_BAD_CHECKSUM);
	/* Zero over IPv6 is invalid whatever the NIC says. */
	ck_reason(PARSE(p_v6_zero_ucksum, TWR_PARSE_L4_CKSUM_GOOD, &in),
		  TWR_DP_REASON_UDP_BAD_CHECKSUM);
	ck_reason(PARSE(p_v4_bad_ucksum, TWR_PARSE_L4_CKSUM_GOOD, &in), TWR_DP_OK);
	ck_reason(PARSE(v4_twamp41_in, TWR_PARSE_L4_CKSUM_BAD, &in),
		  TWR_DP_REASON_UDP_BAD_CHECKSUM);
	ck_reason(PARSE(v6_twamp41_in, TWR_PARSE_L4_CKSUM_BAD, &in),
		  TWR_DP_REASON_UDP_BAD_CHECKSUM);
}
END_TEST

START_TEST(reason_not_udp)
{
	struct twr_pkt_info in;

	ck_reason(PARSE(p_v4_icmp, 0, &in), TWR_DP_REASON_NOT_UDP);
	ck_reason(PARSE(p_v6_icmp, 0, &in), TWR_DP_REASON_NOT_UDP);
	ck_reason(PARSE(p_v6_hbh_tcp, 0, &in), TWR_DP_REASON_NOT_UDP);
	ck_assert_uint_eq(twr_dp_reason_kind(TWR_DP_REASON_NOT_UDP), TWR_DP_KIND_EXCEPTION);
}
END_TEST

/* Every prefix of a good frame is refused with a reason, never read past. */
START_TEST(every_prefix_refused)
{
	struct twr_pkt_info in;
	size_t len;
	int ret;

	for (len = 0; len < 14 + 20 + 8 + 41; len++) {
		ret = parse(v4_twamp41_in, len, 0, &in);
		ck_assert_msg(ret != TWR_DP_OK, "v4 prefix %zu accepted", len);
	}
	for (len = 0; len < sizeof(v6_hbh_in); len++) {
		ret = parse(v6_hbh_in, len, 0, &in);
		ck_assert_msg(ret != TWR_DP_OK, "v6 prefix %zu accepted", len);
	}
}
END_TEST

START_TEST(reason_table)
{
	unsigned int r, i;
	const char *name, *other;
	size_t j;

	ck_assert_str_eq(twr_dp_reason_name(TWR_DP_OK), "ok");
	ck_assert_ptr_null(twr_dp_reason_name(TWR_DP_REASON_MAX));
	ck_assert_ptr_null(twr_dp_reason_desc(TWR_DP_OK));
	ck_assert_str_eq(twr_dp_reason_name(TWR_DP_REASON_TRUNCATED), "truncated");
	ck_assert_str_eq(twr_dp_reason_name(TWR_DP_REASON_TX_FULL), "tx_full");
	ck_assert_str_eq(twr_dp_counter_name(TWR_DP_COUNTER_RX), "rx");
	ck_assert_str_eq(twr_dp_counter_name(TWR_DP_COUNTER_TO_EXCEPTION), "to_exception");
	ck_assert_ptr_null(twr_dp_counter_name(TWR_DP_COUNTER_MAX));

	for (r = 1; r < TWR_DP_REASON_MAX; r++) {
		name = twr_dp_reason_name(r);
		ck_assert_ptr_nonnull(name);
		ck_assert_ptr_nonnull(twr_dp_reason_desc(r));
		ck_assert_uint_gt(strlen(name), 0);
		/* snake_case: lower-case letters, digits, single underscores. */
		for (j = 0; name[j] != '\0'; j++)
			ck_assert_msg(islower((unsigned char)name[j]) ||
					      isdigit((unsigned char)name[j]) ||
					      (name[j] == '_' && j > 0 && name[j + 1] != '\0' &&
					       name[j + 1] != '_'),
				      "%s is not snake_case", name);
		for (i = 1; i < r; i++) {
			other = twr_dp_reason_name(i);
			ck_assert_msg(strcmp(name, other) != 0, "%s twice", name);
		}
		for (i = 0; i < TWR_DP_COUNTER_MAX; i++)
			ck_assert_str_ne(name, twr_dp_counter_name(i));
	}
	/* The exception path receives exactly these. */
	for (r = 1; r < TWR_DP_REASON_MAX; r++) {
		bool exc = r == TWR_DP_REASON_NOT_IP || r == TWR_DP_REASON_IPV6_EXT_HEADER ||
			   r == TWR_DP_REASON_NOT_UDP || r == TWR_DP_REASON_NOT_FOR_US ||
			   r == TWR_DP_REASON_UNKNOWN_SESSION;

		ck_assert_uint_eq(twr_dp_reason_kind(r),
				  exc ? TWR_DP_KIND_EXCEPTION : TWR_DP_KIND_DROP);
	}
}
END_TEST

static Suite *
parse_suite(void)
{
	Suite *s = suite_create("dp-parse");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, info_fits_a_cache_line);
	tcase_add_test(tc, ipv4_udp);
	tcase_add_test(tc, ipv6_udp);
	tcase_add_test(tc, ethernet_padding_ignored);
	tcase_add_test(tc, vlan_and_qinq);
	tcase_add_test(tc, ipv4_options_skipped);
	tcase_add_test(tc, ipv6_ext_skipped);
	tcase_add_test(tc, udp_shorter_than_ip_payload);
	tcase_add_test(tc, ipv4_zero_udp_checksum_accepted);
	tcase_add_test(tc, reason_truncated);
	tcase_add_test(tc, reason_l2_unsupported);
	tcase_add_test(tc, reason_not_ip);
	tcase_add_test(tc, reason_ipv4_bad_header);
	tcase_add_test(tc, reason_ipv4_bad_checksum);
	tcase_add_test(tc, reason_ipv4_fragment);
	tcase_add_test(tc, reason_ipv6_bad_header);
	tcase_add_test(tc, reason_ipv6_ext_header);
	tcase_add_test(tc, reason_ipv6_fragment);
	tcase_add_test(tc, reason_udp_bad_length);
	tcase_add_test(tc, reason_udp_bad_checksum);
	tcase_add_test(tc, reason_not_udp);
	tcase_add_test(tc, every_prefix_refused);
	tcase_add_test(tc, reason_table);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(parse_suite)
