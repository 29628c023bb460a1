/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The reply builder and the three engines on plain buffers (no EAL, no
 * mbuf): a crafted frame goes through twr_parse(), the session's engine
 * and twr_reflect_finalize(), and the reply must equal the expected frame
 * octet for octet, IP and UDP checksums included (dp_vectors.h, computed
 * by an independent generator). Then every reason an engine can return,
 * each asserted exactly.
 *
 * The frame sits in an exactly sized heap buffer (frame + room) filled
 * with DIRTY beyond the frame, so that a byte the builder forgets to write
 * shows up as a mismatch and a sanitizer build catches any access past
 * the room.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "dp_vectors.h"
#include "twr_engine.h"
#include "twr_errest.h"
#include "twr_nat.h"
#include "twr_parse.h"
#include "twr_proto.h"
#include "twr_reflect.h"
#include "twr_session.h"

#define DIRTY  0xaa
#define ROOM   128
#define RX_TSC 1000

/* T2 = Unix 1700000010.50, T3 = .75, NTP and PTP (TAI - UTC 37). */
static const struct twr_dp_ts t2 = {UINT64_C(0xe8fe6f8a80000000), UINT64_C(0x6553f12f1dcd6500)};
static const struct twr_dp_ts t3 = {UINT64_C(0xe8fe6f8ac0000000), UINT64_C(0x6553f12f2cb41780)};

static const uint8_t ip4_s_mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 1};
static const uint8_t ip6_s[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

static struct twr_reflect_conf conf;
static struct twr_session sess;

/* The packet under test and its buffer (frame + room, exactly). */
static struct twr_dp_pkt pkt;
static uint8_t *buf;

static void
setup(void)
{
	memset(&conf, 0, sizeof(conf));
	conf.errest = 0x8587;
	conf.ts_info[0] = 1; /* Sync Src In: NTP */
	conf.ts_info[1] = 2; /* Timestamp In: SW local */
	conf.ts_info[2] = 1;
	conf.ts_info[3] = 2;
	memset(&sess, 0, sizeof(sess));
	buf = NULL;
}

static void
teardown(void)
{
	free(buf);
	buf = NULL;
}

/* A managed TWAMP session for 198.18.0.1:50000 (or 2001:2::1), started, Type-P CS0. */
static void
twamp_session(bool v6)
{
	sess.engine = TWR_ENGINE_TWAMP;
	sess.modes = TWR_MODE_UNAUTHENTICATED;
	sess.run_state = TWR_SESSION_STARTED;
	sess.dscp_policy = TWR_DSCP_FIXED;
	sess.peer_port = 50000;
	memcpy(sess.peer_addr, v6 ? ip6_s : ip4_s_mapped, 16);
}

/* A stateless TWAMP-Light or STAMP reflector port, DSCP copied. */
static void
port_session(enum twr_engine_id engine)
{
	sess.engine = (uint8_t)engine;
	sess.dscp_policy = TWR_DSCP_COPY;
}

/* Load a frame with @p room octets after it, and parse it (must succeed). */
static void
load(const uint8_t *frame, size_t len, uint16_t room)
{
	int ret;

	free(buf);
	buf = malloc(len + room);
	ck_assert_ptr_nonnull(buf);
	memset(buf, DIRTY, len + room);
	memcpy(buf, frame, len);
	memset(&pkt, 0, sizeof(pkt));
	pkt.frame = buf;
	pkt.len = (uint16_t)len;
	pkt.room = room;
	pkt.rx_tsc = RX_TSC;
	pkt.t2 = t2;
	ret = twr_parse(buf, pkt.len, 0, &pkt.info);
	ck_assert_msg(ret == TWR_DP_OK, "parse: %s", twr_dp_reason_name(ret));
}

/* Engine + finalize (software checksums) on the loaded frame. */
static int
reflect(unsigned int tx_flags)
{
	int ret = twr_engine_reflect(&pkt, &sess, &conf);

	if (ret == TWR_DP_OK)
		twr_reflect_finalize(buf + pkt.reply.head, &pkt.reply, &t3, tx_flags);
	return ret;
}

#define ck_reason(got, want)                                                                       \
	ck_assert_msg((got) == (want), "reason %s, want %s", twr_dp_reason_name(got),              \
		      twr_dp_reason_name(want))

/* Load @p in, reflect, compare with @p out. */
#define REFLECT_EQ(in, out)                                                                        \
	do {                                                                                       \
		load(in, sizeof(in), ROOM);                                                        \
		ck_reason(reflect(0), TWR_DP_OK);                                                  \
		ck_assert_uint_eq(pkt.reply.len, sizeof(out));                                     \
		ck_assert_bytes(buf + pkt.reply.head, out, sizeof(out));                           \
	} while (0)

#define REFLECT_REASON(in, want)                                                                   \
	do {                                                                                       \
		load(in, sizeof(in), ROOM);                                                        \
		ck_reason(reflect(0), want);                                                       \
	} while (0)

/* ------------------------------------------------------------ TWAMP ---- */

START_TEST(twamp_ipv4_41)
{
	twamp_session(false);
	REFLECT_EQ(v4_twamp41_in, v4_twamp41_out);
	ck_assert_uint_eq(pkt.reply.head, 0);
	ck_assert_uint_eq(pkt.reply.l3_off, 14);
	ck_assert_uint_eq(pkt.reply.l4_off, 34);
	ck_assert_uint_eq(pkt.reply.ts_off, 42 + 4);
	ck_assert_uint_eq(sess.tx_seq, 1);
	/* The reflector's own counter, not the sender's: next reply is seq 1. */
	load(v4_twamp41_in, sizeof(v4_twamp41_in), ROOM);
	ck_reason(reflect(0), TWR_DP_OK);
	ck_assert_uint_eq(buf[42 + 3], 1);
	ck_assert_uint_eq(sess.tx_seq, 2);
}
END_TEST

START_TEST(twamp_ipv6_41)
{
	twamp_session(true);
	REFLECT_EQ(v6_twamp41_in, v6_twamp41_out);
	ck_assert_uint_eq(pkt.reply.l4_off, 54);
}
END_TEST

START_TEST(twamp_14_grown_to_41)
{
	twamp_session(false);
	REFLECT_EQ(v4_twamp14_in, v4_twamp14_out);
	/* 60-octet frame (4 octets of Ethernet padding) becomes 83. */
	ck_assert_uint_eq(sizeof(v4_twamp14_in), 60);
	ck_assert_uint_eq(pkt.reply.len, 83);

	/* Exactly enough tailroom: 83 - 60. */
	sess.tx_seq = 0;
	load(v4_twamp14_in, sizeof(v4_twamp14_in), 23);
	ck_reason(reflect(0), TWR_DP_OK);
	ck_assert_bytes(buf, v4_twamp14_out, sizeof(v4_twamp14_out));
	/* One octet short: refused, and the session counter not spent. */
	sess.tx_seq = 5;
	load(v4_twamp14_in, sizeof(v4_twamp14_in), 22);
	ck_reason(reflect(0), TWR_DP_REASON_REPLY_TOO_BIG);
	ck_assert_uint_eq(sess.tx_seq, 5);
}
END_TEST

START_TEST(twamp_vlan_qinq)
{
	twamp_session(false);
	REFLECT_EQ(v4_vlan_in, v4_vlan_out);
	sess.tx_seq = 0;
	REFLECT_EQ(v4_qinq_in, v4_qinq_out);
}
END_TEST

START_TEST(twamp_symmetrical)
{
	twamp_session(false);
	sess.modes |= TWR_MODE_SYMMETRICAL;
	REFLECT_EQ(v4_sym_in, v4_sym_out);
}
END_TEST

START_TEST(twamp_reflect_octets)
{
	twamp_session(false);
	sess.modes |= TWR_MODE_REFLECT_OCTETS;
	sess.reflect_len = 4;
	REFLECT_EQ(v4_ro_in, v4_ro_out);
}
END_TEST

START_TEST(twamp_symmetrical_reflect_octets)
{
	twamp_session(false);
	sess.modes |= TWR_MODE_SYMMETRICAL | TWR_MODE_REFLECT_OCTETS;
	sess.reflect_len = 4;
	REFLECT_EQ(v4_symro_in, v4_symro_out);
}
END_TEST

START_TEST(twamp_dscp_ecn)
{
	twamp_session(false);
	sess.modes |= TWR_MODE_DSCP_ECN;
	sess.dscp = 46;
	REFLECT_EQ(v4_dscpecn_in, v4_dscpecn_out);
}
END_TEST

START_TEST(twamp_symmetrical_dscp_ecn)
{
	twamp_session(false);
	sess.modes |= TWR_MODE_DSCP_ECN | TWR_MODE_SYMMETRICAL;
	sess.dscp = 46;
	REFLECT_EQ(v4_symdscp_in, v4_symdscp_out);
}
END_TEST

START_TEST(twamp_ptp)
{
	twamp_session(false);
	sess.flags = TWR_SESSION_F_PTP;
	REFLECT_EQ(v4_twamp41_in, v4_ptp_out);
}
END_TEST

START_TEST(twamp_ipv4_options_stripped)
{
	twamp_session(false);
	REFLECT_EQ(v4_opts_in, v4_opts_out);
	ck_assert_uint_eq(pkt.reply.head, 4);
}
END_TEST

START_TEST(twamp_ipv6_ext_stripped)
{
	twamp_session(true);
	REFLECT_EQ(v6_hbh_in, v6_hbh_out);
	ck_assert_uint_eq(pkt.reply.head, 8);
}
END_TEST

START_TEST(twamp_errest_zero_policy)
{
	twamp_session(false);
	/* Default: reflected, the sender's estimate copied as is. */
	REFLECT_EQ(v4_ee0_in, v4_ee0_out);
	conf.flags = TWR_REFLECT_F_STRICT_ERREST;
	REFLECT_REASON(v4_ee0_in, TWR_DP_REASON_ERREST_ZERO_MULTIPLIER);
	ck_assert_uint_eq(sess.tx_seq, 1);
	sess.tx_seq = 0;
	REFLECT_EQ(v4_twamp41_in, v4_twamp41_out);
}
END_TEST

START_TEST(finalize_offload)
{
	uint8_t *frames[1];
	struct twr_reply replies[1];

	twamp_session(false);
	load(v4_twamp41_in, sizeof(v4_twamp41_in), ROOM);
	ck_reason(reflect(TWR_TX_IP_CKSUM_OFFLOAD | TWR_TX_L4_CKSUM_OFFLOAD), TWR_DP_OK);
	ck_assert_bytes(buf, v4_twamp41_offload_out, sizeof(v4_twamp41_offload_out));

	/* The burst form, software checksums, over the same reply. */
	frames[0] = buf;
	replies[0] = pkt.reply;
	twr_reflect_finalize_burst(frames, replies, 1, &t3, 0);
	ck_assert_bytes(buf, v4_twamp41_out, sizeof(v4_twamp41_out));
}
END_TEST

/* ------------------------------------------------------------ Light ---- */

START_TEST(light_stateless)
{
	port_session(TWR_ENGINE_LIGHT);
	REFLECT_EQ(v4_light_in, v4_light_stateless_out);
	REFLECT_EQ(v4_light_in, v4_light_stateless_out);
	ck_assert_uint_eq(sess.tx_seq, 0); /* shared entry: never written */
}
END_TEST

START_TEST(light_stateful)
{
	port_session(TWR_ENGINE_LIGHT);
	sess.flags = TWR_SESSION_F_STATEFUL;
	REFLECT_EQ(v4_light_in, v4_light_stateful0_out);
	REFLECT_EQ(v4_light2_in, v4_light_stateful1_out);
	ck_assert_uint_eq(sess.tx_seq, 2);
}
END_TEST

START_TEST(light_fixed_dscp)
{
	port_session(TWR_ENGINE_LIGHT);
	sess.dscp_policy = TWR_DSCP_FIXED; /* dscp 0: CS0 */
	load(v4_light_in, sizeof(v4_light_in), ROOM);
	ck_reason(reflect(0), TWR_DP_OK);
	ck_assert_uint_eq(buf[14 + 1], 0x00);
	/* Everything else as with the copied DSCP, but the IP checksum. */
	ck_assert_bytes(buf + 42, v4_light_stateless_out + 42, 41);
}
END_TEST

/* ------------------------------------------------------------ STAMP ---- */

START_TEST(stamp_base)
{
	port_session(TWR_ENGINE_STAMP);
	REFLECT_EQ(v4_stamp_in, v4_stamp_out);
	ck_assert_uint_eq(pkt.reply.ts_off, 42 + 4);
}
END_TEST

START_TEST(stamp_stateful)
{
	port_session(TWR_ENGINE_STAMP);
	sess.flags = TWR_SESSION_F_STATEFUL;
	sess.tx_seq = 100;
	REFLECT_EQ(v4_stamp_in, v4_stamp_stateful_out);
	ck_assert_uint_eq(sess.tx_seq, 101);
}
END_TEST

START_TEST(stamp_location_cos_ipv4)
{
	port_session(TWR_ENGINE_STAMP);
	sess.flags = TWR_SESSION_F_COS_PERMIT;
	REFLECT_EQ(v4_stamp_loc_in, v4_stamp_loc_out);
}
END_TEST

START_TEST(stamp_location_cos_ipv6)
{
	port_session(TWR_ENGINE_STAMP);
	REFLECT_EQ(v6_stamp_loc_in, v6_stamp_loc_out);
}
END_TEST

START_TEST(stamp_unknown_and_malformed_tlv)
{
	port_session(TWR_ENGINE_STAMP);
	REFLECT_EQ(v4_stamp_unk_in, v4_stamp_unk_out);
}
END_TEST

START_TEST(stamp_short)
{
	port_session(TWR_ENGINE_STAMP);
	REFLECT_EQ(v4_stamp_short_in, v4_stamp_short_out);
}
END_TEST

START_TEST(stamp_ssid)
{
	port_session(TWR_ENGINE_STAMP);
	sess.ssid = 0x1234;
	REFLECT_EQ(v4_stamp_in, v4_stamp_out);
	sess.ssid = 0x4321;
	REFLECT_REASON(v4_stamp_in, TWR_DP_REASON_SSID_MISMATCH);
	/* A short packet carries SSID 0. */
	REFLECT_REASON(v4_stamp_short_in, TWR_DP_REASON_SSID_MISMATCH);
}
END_TEST

/* A STAMP packet of 40 empty TLVs: the walk stops after 16, the rest is copied. */
START_TEST(stamp_tlv_walk_bounded)
{
	uint8_t frame[14 + 20 + 8 + 44 + 4 * 40];
	size_t i;

	port_session(TWR_ENGINE_STAMP);
	/* Headers and base packet of v4_stamp_in, lengths patched by hand. */
	memset(frame, 0, sizeof(frame));
	memcpy(frame, v4_stamp_in, 42 + 44);
	/* IPv4 total length, checksum 0 -> NIC-verified flags below; UDP length. */
	frame[16] = (uint8_t)((20 + 8 + 44 + 160) >> 8);
	frame[17] = (uint8_t)(20 + 8 + 44 + 160);
	frame[38] = (uint8_t)((8 + 44 + 160) >> 8);
	frame[39] = (uint8_t)(8 + 44 + 160);
	for (i = 0; i < 40; i++) {
		frame[86 + 4 * i] = 0x80; /* U set */
		frame[87 + 4 * i] = 1;	  /* Extra Padding, length 0 */
	}

	free(buf);
	buf = malloc(sizeof(frame) + ROOM);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, frame, sizeof(frame));
	memset(&pkt, 0, sizeof(pkt));
	pkt.frame = buf;
	pkt.len = sizeof(frame);
	pkt.room = ROOM;
	pkt.t2 = t2;
	ck_reason(twr_parse(buf, pkt.len, TWR_PARSE_IP_CKSUM_GOOD | TWR_PARSE_L4_CKSUM_GOOD,
			    &pkt.info),
		  TWR_DP_OK);
	ck_reason(reflect(0), TWR_DP_OK);
	ck_assert_uint_eq(pkt.reply.len, sizeof(frame));
	/* The first 16 understood (U cleared), the rest copied untouched. */
	for (i = 0; i < 40; i++)
		ck_assert_uint_eq(buf[86 + 4 * i], i < 16 ? 0x00 : 0x80);
}
END_TEST

/* ------------------------------------------------------ drop reasons ---- */

START_TEST(reason_mode_unsupported)
{
	twamp_session(false);
	sess.modes = TWR_MODE_AUTHENTICATED;
	REFLECT_REASON(v4_twamp41_in, TWR_DP_REASON_MODE_UNSUPPORTED);
	sess.modes = TWR_MODE_ENCRYPTED;
	REFLECT_REASON(v4_twamp41_in, TWR_DP_REASON_MODE_UNSUPPORTED);
	/* Mixed mode tests are unauthenticated. */
	sess.modes = TWR_MODE_MIXED;
	REFLECT_EQ(v4_twamp41_in, v4_twamp41_out);

	memset(&sess, 0, sizeof(sess));
	port_session(TWR_ENGINE_LIGHT);
	sess.modes = TWR_MODE_AUTHENTICATED;
	REFLECT_REASON(v4_light_in, TWR_DP_REASON_MODE_UNSUPPORTED);
	port_session(TWR_ENGINE_STAMP);
	REFLECT_REASON(v4_stamp_in, TWR_DP_REASON_MODE_UNSUPPORTED);
	sess.modes = 0;
	sess.engine = TWR_ENGINE_COUNT;
	REFLECT_REASON(v4_stamp_in, TWR_DP_REASON_MODE_UNSUPPORTED);
}
END_TEST

START_TEST(reason_session_not_started)
{
	twamp_session(false);
	sess.run_state = TWR_SESSION_PENDING;
	REFLECT_REASON(v4_twamp41_in, TWR_DP_REASON_SESSION_NOT_STARTED);
	ck_assert_uint_eq(sess.tx_seq, 0);
}
END_TEST

START_TEST(reason_session_expired)
{
	twamp_session(false);
	/* Stopped, Timeout not over: still reflected (RFC 5357 §3.8). */
	sess.run_state = TWR_SESSION_STOPPING;
	sess.expire_tsc = RX_TSC + 1;
	REFLECT_EQ(v4_twamp41_in, v4_twamp41_out);
	sess.expire_tsc = RX_TSC;
	REFLECT_REASON(v4_twamp41_in, TWR_DP_REASON_SESSION_EXPIRED);
	sess.run_state = TWR_SESSION_DEAD;
	sess.expire_tsc = UINT64_MAX;
	REFLECT_REASON(v4_twamp41_in, TWR_DP_REASON_SESSION_EXPIRED);
}
END_TEST

START_TEST(reason_source_mismatch)
{
	twamp_session(false);
	sess.peer_port = 50001; /* NAPT rewrote the port */
	REFLECT_REASON(v4_twamp41_in, TWR_DP_REASON_SOURCE_MISMATCH);
	twamp_session(false);
	sess.peer_addr[15] = 9; /* NAT rewrote the address */
	REFLECT_REASON(v4_twamp41_in, TWR_DP_REASON_SOURCE_MISMATCH);
	/* An IPv6 session does not match an IPv4 packet. */
	twamp_session(true);
	REFLECT_REASON(v4_twamp41_in, TWR_DP_REASON_SOURCE_MISMATCH);
}
END_TEST

START_TEST(reason_bad_source)
{
	static const struct {
		uint8_t ip_version;
		uint8_t addr[16];
	} bad[] = {
		{4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0}},
		{4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1}},
		{4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 239, 1, 2, 3}},
		{4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 255, 255, 255, 255}},
		{4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 2}}, /* ours */
		{6, {0}},
		{6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
		{6, {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
		{6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 1}},
		{6, {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}}, /* ours */
	};
	size_t i;

	/* A real frame from 224.0.0.1. */
	port_session(TWR_ENGINE_LIGHT);
	REFLECT_REASON(v4_mcast_src_in, TWR_DP_REASON_BAD_SOURCE);
	port_session(TWR_ENGINE_STAMP);
	REFLECT_REASON(v4_mcast_src_in, TWR_DP_REASON_BAD_SOURCE);

	/* The rest by editing what the parser reported. */
	for (i = 0; i < RTE_DIM(bad); i++) {
		if (bad[i].ip_version == 4)
			load(v4_light_in, sizeof(v4_light_in), ROOM);
		else
			load(v6_twamp41_in, sizeof(v6_twamp41_in), ROOM);
		memcpy(pkt.info.src_addr, bad[i].addr, 16);
		ck_assert_msg(twr_reflect_check_source(&pkt.info) == TWR_DP_REASON_BAD_SOURCE,
			      "case %zu accepted", i);
	}
	load(v4_light_in, sizeof(v4_light_in), ROOM);
	ck_reason(twr_reflect_check_source(&pkt.info), TWR_DP_OK);
	pkt.info.src_port = 0;
	ck_reason(twr_reflect_check_source(&pkt.info), TWR_DP_REASON_BAD_SOURCE);
	load(v6_twamp41_in, sizeof(v6_twamp41_in), ROOM);
	ck_reason(twr_reflect_check_source(&pkt.info), TWR_DP_OK);
}
END_TEST

START_TEST(reason_test_too_short)
{
	twamp_session(false);
	REFLECT_REASON(v4_twamp13_in, TWR_DP_REASON_TEST_TOO_SHORT);
	sess.modes |= TWR_MODE_REFLECT_OCTETS;
	sess.reflect_len = 4;
	REFLECT_REASON(v4_ro_short_in, TWR_DP_REASON_TEST_TOO_SHORT);
	memset(&sess, 0, sizeof(sess));
	port_session(TWR_ENGINE_LIGHT);
	REFLECT_REASON(v4_twamp13_in, TWR_DP_REASON_TEST_TOO_SHORT);
	port_session(TWR_ENGINE_STAMP);
	REFLECT_REASON(v4_twamp13_in, TWR_DP_REASON_TEST_TOO_SHORT);
}
END_TEST

START_TEST(reason_reply_too_big)
{
	/* STAMP answers a 14-octet packet with 44: needs 30 octets of room. */
	port_session(TWR_ENGINE_STAMP);
	load(v4_stamp_short_in, sizeof(v4_stamp_short_in), 26); /* 4 of Ethernet padding */
	ck_reason(reflect(0), TWR_DP_OK);
	load(v4_stamp_short_in, sizeof(v4_stamp_short_in), 25);
	ck_reason(reflect(0), TWR_DP_REASON_REPLY_TOO_BIG);
	/* A same-size reply needs none. */
	port_session(TWR_ENGINE_LIGHT);
	load(v4_light_in, sizeof(v4_light_in), 0);
	ck_reason(reflect(0), TWR_DP_OK);
	ck_assert_bytes(buf, v4_light_stateless_out, sizeof(v4_light_stateless_out));
}
END_TEST

/* ------------------------------------------------------------ misc ---- */

START_TEST(session_accounting)
{
	twamp_session(false);
	twr_session_account(&sess, TWR_DP_OK, 42);
	twr_session_account(&sess, TWR_DP_REASON_TEST_TOO_SHORT, 44);
	ck_assert_uint_eq(sess.stats.rx, 2);
	ck_assert_uint_eq(sess.stats.reflected, 1);
	ck_assert_uint_eq(sess.stats.dropped, 1);
	ck_assert_uint_eq(sess.stats.last_rx_tsc, 42);
	/* Foreign packets: counted on the NAT side, by what differs, first and last kept. */
	load(v4_twamp41_in, sizeof(v4_twamp41_in), ROOM);
	pkt.rx_tsc = 43;
	pkt.foreign = 1;
	twr_nat_account(&sess, TWR_DP_REASON_SOURCE_MISMATCH, &pkt);
	memcpy(pkt.info.src_addr, ip6_s, 16);
	pkt.info.src_port = 40000;
	pkt.rx_tsc = 44;
	twr_nat_account(&sess, TWR_DP_REASON_LATCH_REFUSED, &pkt);
	pkt.info.src_port = 50000;
	pkt.rx_tsc = 45;
	twr_nat_account(&sess, TWR_DP_REASON_LATCH_LATE, &pkt);
	ck_assert_uint_eq(sess.stats.rx, 2); /* the owner's counters untouched */
	ck_assert_uint_eq(sess.nat.other_rx, 3);
	ck_assert_uint_eq(sess.nat.mismatch[TWR_NAT_KIND_ADDR], 1);
	ck_assert_uint_eq(sess.nat.mismatch[TWR_NAT_KIND_PORT], 0);
	ck_assert_uint_eq(sess.nat.mismatch[TWR_NAT_KIND_BOTH], 1);
	ck_assert_uint_eq(sess.nat.latch_refused, 1);
	ck_assert_uint_eq(sess.nat.latch_late, 1);
	/* The negotiated tuple itself (refused under latch) is no NAT signature. */
	ck_assert_uint_eq(sess.nat.first.tsc, 44);
	ck_assert_uint_eq(sess.nat.first.port, 40000);
	ck_assert_uint_eq(sess.nat.last.tsc, 45);
	ck_assert_bytes(sess.nat.last.addr, ip6_s, 16);
	ck_assert_uint_eq(sess.nat.last.port, 50000);
}
END_TEST

START_TEST(engine_table)
{
	ck_assert_str_eq(twr_engines[TWR_ENGINE_TWAMP]->name, "twamp");
	ck_assert_str_eq(twr_engines[TWR_ENGINE_LIGHT]->name, "light");
	ck_assert_str_eq(twr_engines[TWR_ENGINE_STAMP]->name, "stamp");
	ck_assert_uint_le(offsetof(struct twr_session, stats), 64);
	ck_assert_uint_eq(offsetof(struct twr_session, nat), 128);
	ck_assert_uint_eq(sizeof(struct twr_session), 128 + 192);
	ck_assert_uint_le(sizeof(struct twr_reply), 16);
}
END_TEST

static Suite *
reflect_suite(void)
{
	Suite *s = suite_create("dp-reflect");
	TCase *tc;

	tc = tcase_create("twamp");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, twamp_ipv4_41);
	tcase_add_test(tc, twamp_ipv6_41);
	tcase_add_test(tc, twamp_14_grown_to_41);
	tcase_add_test(tc, twamp_vlan_qinq);
	tcase_add_test(tc, twamp_symmetrical);
	tcase_add_test(tc, twamp_reflect_octets);
	tcase_add_test(tc, twamp_symmetrical_reflect_octets);
	tcase_add_test(tc, twamp_dscp_ecn);
	tcase_add_test(tc, twamp_symmetrical_dscp_ecn);
	tcase_add_test(tc, twamp_ptp);
	tcase_add_test(tc, twamp_ipv4_options_stripped);
	tcase_add_test(tc, twamp_ipv6_ext_stripped);
	tcase_add_test(tc, twamp_errest_zero_policy);
	tcase_add_test(tc, finalize_offload);
	suite_add_tcase(s, tc);

	tc = tcase_create("light");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, light_stateless);
	tcase_add_test(tc, light_stateful);
	tcase_add_test(tc, light_fixed_dscp);
	suite_add_tcase(s, tc);

	tc = tcase_create("stamp");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, stamp_base);
	tcase_add_test(tc, stamp_stateful);
	tcase_add_test(tc, stamp_location_cos_ipv4);
	tcase_add_test(tc, stamp_location_cos_ipv6);
	tcase_add_test(tc, stamp_unknown_and_malformed_tlv);
	tcase_add_test(tc, stamp_short);
	tcase_add_test(tc, stamp_ssid);
	tcase_add_test(tc, stamp_tlv_walk_bounded);
	suite_add_tcase(s, tc);

	tc = tcase_create("reasons");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reason_mode_unsupported);
	tcase_add_test(tc, reason_session_not_started);
	tcase_add_test(tc, reason_session_expired);
	tcase_add_test(tc, reason_source_mismatch);
	tcase_add_test(tc, reason_bad_source);
	tcase_add_test(tc, reason_test_too_short);
	tcase_add_test(tc, reason_reply_too_big);
	tcase_add_test(tc, session_accounting);
	tcase_add_test(tc, engine_table);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(reflect_suite)
