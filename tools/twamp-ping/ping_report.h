/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_REPORT_H
#define TWR_PING_REPORT_H

/**
 * @file
 * twamp-ping output: the banner, a line per reply, and the final report
 * as text or as one JSON object whose keys README.md documents (and
 * promises to keep: new keys may appear, existing ones keep their meaning).
 */

#include <stdbool.h>
#include <stdio.h>

#include "ping_session.h"
#include "ping_stats.h"

/** Version of the JSON layout, the "schema" key; bumped when a key changes meaning. */
#define TWR_PING_JSON_SCHEMA 1

/** The line printed before the first packet. */
void twr_ping_report_banner(FILE *f, const struct twr_ping_session *s);

/** One line for a reply (received, late or duplicate). */
void twr_ping_report_reply(FILE *f, const struct twr_ping_session *s,
			   const struct twr_ping_reply *r, enum twr_ping_verdict verdict);

/** The final report as text. */
void twr_ping_report_text(FILE *f, const struct twr_ping_session *s,
			  const struct twr_ping_summary *sum);

/**
 * The final report as one JSON object.
 * @param per_packet  add the "packets" array, one object per packet sent.
 */
void twr_ping_report_json(FILE *f, const struct twr_ping_session *s,
			  const struct twr_ping_summary *sum, bool per_packet);

#endif /* TWR_PING_REPORT_H */
