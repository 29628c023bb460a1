/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_REPORT_FULL_H
#define TWR_PING_REPORT_FULL_H

/**
 * @file
 * The full mode's report: the light report of each session and of their
 * total, plus what the control connection learnt (the server's modes, the
 * SID and accepted port of each session, refusals by name). The JSON keys
 * are README.md's: the light report's at the top level for the totals,
 * "control", and a "sessions" array.
 */

#include <stdio.h>

#include "ping_full.h"

/** The banner lines printed before the test packets, one per session run. */
void twr_ping_report_full_banners(FILE *f, const struct twr_ping_full *full);

/** The final report as text. */
void twr_ping_report_full_text(FILE *f, const struct twr_ping_full *full);

/** The final report as one JSON object. */
void twr_ping_report_full_json(FILE *f, const struct twr_ping_full *full);

#endif /* TWR_PING_REPORT_FULL_H */
