/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_STATS_H
#define TWR_APP_STATS_H

/**
 * @file
 * Counters summed over the worker lcores, printed as one line, and the
 * exception ring's consumer until the TAP path exists (issue 4): it
 * counts and frees.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_ring.h>

#include "twr_dp_reasons.h"
#include "twr_worker.h"

/** Sum of every worker's counters into @p sum. */
void twr_app_stats_sum(const struct twr_worker *workers, unsigned int n, struct twr_dp_stats *sum);

/**
 * Print "TAG rx=N reflected=N to_exception=N <reason>=N ..." (every reason,
 * zero or not, so that scripts can rely on the keys) and the exception
 * consumer's count.
 */
void twr_app_stats_print(FILE *f, const char *tag, const struct twr_worker *workers,
			 unsigned int n);

/**
 * Dequeue what the workers queued for the control lcore and free it
 * (counted as exception_consumed).
 * @return frames dequeued.
 */
unsigned int twr_app_exception_drain(struct rte_ring *r);

#endif /* TWR_APP_STATS_H */
