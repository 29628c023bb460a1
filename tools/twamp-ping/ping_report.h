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

#include "ping_json.h"
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

/** The statistics lines of the text report, without its "---" header line. */
void twr_ping_report_text_body(FILE *f, const struct twr_ping_session *s,
			       const struct twr_ping_summary *sum);

/**
 * The final report as one JSON object.
 * @param per_packet  add the "packets" array, one object per packet sent.
 */
void twr_ping_report_json(FILE *f, const struct twr_ping_session *s,
			  const struct twr_ping_summary *sum, bool per_packet);

/** The "tool", "schema" and "mode" members that open every report. */
void twr_ping_report_json_head(struct twr_ping_json *j, const char *mode);

/**
 * The members of a session's report from "destination" on (README.md's
 * table), into the object open in @p j: the body of the light report, of
 * each session of the full one, and of its totals.
 */
void twr_ping_report_json_fields(struct twr_ping_json *j, const struct twr_ping_session *s,
				 const struct twr_ping_summary *sum, bool per_packet);

/** An {"address", "port"} member; port null when 0 (no single port). */
void twr_ping_report_json_addr(struct twr_ping_json *j, const char *key,
			       const struct twr_ping_addr *a);

#endif /* TWR_PING_REPORT_H */
