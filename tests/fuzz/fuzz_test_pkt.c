/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * libFuzzer harness for the TWAMP-Test and STAMP packet codecs.
 *
 * Every input goes through every decoder in every format. On success the
 * decoded message is encoded again and must reproduce the input octet for
 * octet, except MBZ octets, which must come out zero. The MBZ tables below
 * are written from the digest (§3.2-3.4, §3.8, §4.2-4.3), not from the
 * codec's own offsets, so that a wrong offset in either shows up. The
 * output is then decoded again and must give the same fields, the encode
 * is repeated in place over a copy of the input (the data plane's way),
 * and a capacity one octet short must be refused.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "twr_stamp.h"
#include "twr_test_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct range {
	size_t start, end; /* [start, end) */
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct range no_mbz[] = {{0, 0}};
static const struct range ts_auth_mbz[] = {{4, 16}, {26, 32}};
static const struct range tr_mbz[] = {{14, 16}, {38, 40}};
static const struct range tr_dscp_mbz[] = {{14, 16}, {38, 40}, {42, 44}};
static const struct range tr_auth_mbz[] = {{4, 16},  {26, 32}, {40, 48},
					   {52, 64}, {74, 80}, {81, 96}};
static const struct range tr_auth_dscp_mbz[] = {{4, 16},  {26, 32}, {40, 48},
						{52, 64}, {74, 80}, {82, 96}};
static const struct range stamp_s_mbz[] = {{16, 44}};
static const struct range stamp_s_auth_mbz[] = {{4, 16}, {28, 96}};
static const struct range stamp_r_mbz[] = {{38, 40}, {41, 44}};
static const struct range stamp_r_auth_mbz[] = {{4, 16},  {28, 32}, {40, 48},
						{52, 64}, {74, 80}, {81, 96}};

static int
in_mbz(size_t i, const struct range *mbz, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (i >= mbz[k].start && i < mbz[k].end)
			return 1;
	return 0;
}

static void
check_bytes(const uint8_t *in, const uint8_t *out, size_t len, const struct range *mbz, size_t n)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (in_mbz(i, mbz, n)) {
			if (out[i] != 0)
				abort();
		} else if (out[i] != in[i]) {
			abort();
		}
	}
}

#define SAME(a, b, field)                                                                          \
	do {                                                                                       \
		if ((a)->field != (b)->field)                                                      \
			abort();                                                                   \
	} while (0)

static void
same_sender(const struct twr_test_sender *a, const struct twr_test_sender *b)
{
	SAME(a, b, seq);
	SAME(a, b, timestamp);
	SAME(a, b, error_estimate);
	SAME(a, b, padding_len);
	if (memcmp(a->hmac, b->hmac, TWR_HMAC_LEN) != 0)
		abort();
	if (a->padding_len != 0 && memcmp(a->padding, b->padding, a->padding_len) != 0)
		abort();
}

static void
same_reflector(const struct twr_test_reflector *a, const struct twr_test_reflector *b)
{
	SAME(a, b, seq);
	SAME(a, b, timestamp);
	SAME(a, b, error_estimate);
	SAME(a, b, receive_timestamp);
	SAME(a, b, sender_seq);
	SAME(a, b, sender_timestamp);
	SAME(a, b, sender_error_estimate);
	SAME(a, b, sender_ttl);
	SAME(a, b, sender_dscp_ecn);
	SAME(a, b, padding_len);
	if (memcmp(a->hmac, b->hmac, TWR_HMAC_LEN) != 0)
		abort();
	if (a->padding_len != 0 && memcmp(a->padding, b->padding, a->padding_len) != 0)
		abort();
}

static void
same_stamp_sender(const struct twr_stamp_sender *a, const struct twr_stamp_sender *b)
{
	SAME(a, b, seq);
	SAME(a, b, timestamp);
	SAME(a, b, error_estimate);
	SAME(a, b, ssid);
	SAME(a, b, tlv_len);
	if (memcmp(a->hmac, b->hmac, TWR_HMAC_LEN) != 0)
		abort();
	if (a->tlv_len != 0 && memcmp(a->tlvs, b->tlvs, a->tlv_len) != 0)
		abort();
}

static void
same_stamp_reflector(const struct twr_stamp_reflector *a, const struct twr_stamp_reflector *b)
{
	SAME(a, b, seq);
	SAME(a, b, timestamp);
	SAME(a, b, error_estimate);
	SAME(a, b, ssid);
	SAME(a, b, receive_timestamp);
	SAME(a, b, sender_seq);
	SAME(a, b, sender_timestamp);
	SAME(a, b, sender_error_estimate);
	SAME(a, b, sender_ttl);
	SAME(a, b, tlv_len);
	if (memcmp(a->hmac, b->hmac, TWR_HMAC_LEN) != 0)
		abort();
	if (a->tlv_len != 0 && memcmp(a->tlvs, b->tlvs, a->tlv_len) != 0)
		abort();
}

static void
fuzz_sender(const uint8_t *data, size_t size, uint8_t *out, uint8_t *inplace, bool auth)
{
	struct twr_test_sender m, m2;
	ssize_t n;
	int ret;

	ret = twr_test_sender_decode(data, size, auth, &m);
	if (ret != 0) {
		if (ret != -EMSGSIZE || size >= (auth ? 48u : 14u))
			abort();
		return;
	}
	if (twr_test_sender_encode(&m, auth, out, size - 1) != -ENOBUFS)
		abort();
	n = twr_test_sender_encode(&m, auth, out, size);
	if (n != (ssize_t)size)
		abort();
	check_bytes(data, out, size, auth ? ts_auth_mbz : no_mbz, auth ? N(ts_auth_mbz) : 0);
	if (twr_test_sender_decode(out, size, auth, &m2) != 0)
		abort();
	same_sender(&m, &m2);
	memcpy(inplace, data, size);
	if (twr_test_sender_decode(inplace, size, auth, &m2) != 0)
		abort();
	if (twr_test_sender_encode(&m2, auth, inplace, size) != n || memcmp(inplace, out, size))
		abort();
}

static void
fuzz_reflector(const uint8_t *data, size_t size, uint8_t *out, uint8_t *inplace, bool auth,
	       bool dscp)
{
	const struct range *mbz;
	struct twr_test_reflector m, m2;
	size_t nmbz, min;
	ssize_t n;
	int ret;

	if (auth) {
		mbz = dscp ? tr_auth_dscp_mbz : tr_auth_mbz;
		nmbz = dscp ? N(tr_auth_dscp_mbz) : N(tr_auth_mbz);
		min = 112;
	} else {
		mbz = dscp ? tr_dscp_mbz : tr_mbz;
		nmbz = dscp ? N(tr_dscp_mbz) : N(tr_mbz);
		min = dscp ? 44 : 41;
	}
	ret = twr_test_reflector_decode(data, size, auth, dscp, &m);
	if (ret != 0) {
		if (ret != -EMSGSIZE || size >= min)
			abort();
		return;
	}
	if (twr_test_reflector_encode(&m, auth, dscp, out, size - 1) != -ENOBUFS)
		abort();
	n = twr_test_reflector_encode(&m, auth, dscp, out, size);
	if (n != (ssize_t)size)
		abort();
	check_bytes(data, out, size, mbz, nmbz);
	if (twr_test_reflector_decode(out, size, auth, dscp, &m2) != 0)
		abort();
	same_reflector(&m, &m2);
	memcpy(inplace, data, size);
	if (twr_test_reflector_decode(inplace, size, auth, dscp, &m2) != 0)
		abort();
	if (twr_test_reflector_encode(&m2, auth, dscp, inplace, size) != n ||
	    memcmp(inplace, out, size))
		abort();
}

/* Walk a decoded STAMP TLV area: every TLV in bounds, offsets in order. */
static void
walk_tlvs(const uint8_t *tlvs, size_t len)
{
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	size_t end = 0;
	int ret;

	twr_tlv_iter_init(&it, tlvs, len);
	while ((ret = twr_tlv_next(&it, &tlv)) == 1) {
		if (tlv.offset != end || tlv.value != tlvs + end + TWR_TLV_HDR_LEN)
			abort();
		end += TWR_TLV_HDR_LEN + tlv.length;
		if (end > len)
			abort();
	}
	if (ret == 0 ? end != len : (ret != -EMSGSIZE || tlv.offset != end))
		abort();
}

static void
fuzz_stamp_sender(const uint8_t *data, size_t size, uint8_t *out, uint8_t *inplace, bool auth)
{
	struct twr_stamp_sender m, m2;
	ssize_t n;
	int ret;

	ret = twr_stamp_sender_decode(data, size, auth, &m);
	if (ret != 0) {
		if (ret != -EMSGSIZE || size >= (auth ? 112u : 44u))
			abort();
		return;
	}
	walk_tlvs(m.tlvs, m.tlv_len);
	if (twr_stamp_sender_encode(&m, auth, out, size - 1) != -ENOBUFS)
		abort();
	n = twr_stamp_sender_encode(&m, auth, out, size);
	if (n != (ssize_t)size)
		abort();
	check_bytes(data, out, size, auth ? stamp_s_auth_mbz : stamp_s_mbz,
		    auth ? N(stamp_s_auth_mbz) : N(stamp_s_mbz));
	if (twr_stamp_sender_decode(out, size, auth, &m2) != 0)
		abort();
	same_stamp_sender(&m, &m2);
	memcpy(inplace, data, size);
	if (twr_stamp_sender_decode(inplace, size, auth, &m2) != 0)
		abort();
	if (twr_stamp_sender_encode(&m2, auth, inplace, size) != n || memcmp(inplace, out, size))
		abort();
}

static void
fuzz_stamp_reflector(const uint8_t *data, size_t size, uint8_t *out, uint8_t *inplace, bool auth)
{
	struct twr_stamp_reflector m, m2;
	ssize_t n;
	int ret;

	ret = twr_stamp_reflector_decode(data, size, auth, &m);
	if (ret != 0) {
		if (ret != -EMSGSIZE || size >= (auth ? 112u : 44u))
			abort();
		return;
	}
	walk_tlvs(m.tlvs, m.tlv_len);
	if (twr_stamp_reflector_encode(&m, auth, out, size - 1) != -ENOBUFS)
		abort();
	n = twr_stamp_reflector_encode(&m, auth, out, size);
	if (n != (ssize_t)size)
		abort();
	check_bytes(data, out, size, auth ? stamp_r_auth_mbz : stamp_r_mbz,
		    auth ? N(stamp_r_auth_mbz) : N(stamp_r_mbz));
	if (twr_stamp_reflector_decode(out, size, auth, &m2) != 0)
		abort();
	same_stamp_reflector(&m, &m2);
	memcpy(inplace, data, size);
	if (twr_stamp_reflector_decode(inplace, size, auth, &m2) != 0)
		abort();
	if (twr_stamp_reflector_encode(&m2, auth, inplace, size) != n || memcmp(inplace, out, size))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *out, *inplace;
	int auth, dscp;

	/* Exact-size heap buffers, so that ASan sees any write past the packet. */
	out = malloc(size > 0 ? size : 1);
	inplace = malloc(size > 0 ? size : 1);
	if (out == NULL || inplace == NULL) {
		free(out);
		free(inplace);
		return 0;
	}
	for (auth = 0; auth <= 1; auth++) {
		fuzz_sender(data, size, out, inplace, auth);
		for (dscp = 0; dscp <= 1; dscp++)
			fuzz_reflector(data, size, out, inplace, auth, dscp);
		fuzz_stamp_sender(data, size, out, inplace, auth);
		fuzz_stamp_reflector(data, size, out, inplace, auth);
	}
	free(out);
	free(inplace);
	return 0;
}
