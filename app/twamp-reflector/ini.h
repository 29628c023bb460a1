/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_INI_H
#define TWR_APP_INI_H

/**
 * @file
 * A small INI reader that keeps line numbers (rte_cfgfile does not), for
 * the configuration file (config.c). No DPDK.
 *
 *     # a comment, and so is ; this
 *     [section name]
 *     key = value        # trailing comment after blank space
 *
 * Leading and trailing blank space is trimmed from names, keys and values;
 * a value may be empty and may hold '=' (the first '=' splits). There is no
 * quoting and no continuation line.
 */

#include <stdio.h>

/** One meaningful line of the file, handed to a twr_ini_fn. */
struct twr_ini_line {
	unsigned int line;   /**< 1-based line number */
	const char *section; /**< the current section's name; NULL before the first header */
	const char *key;     /**< NULL on a section header line or an error */
	const char *value;   /**< with key: the value, maybe "" */
	const char *error;   /**< non-NULL: the line is not INI, and why */
};

/** Called once per section header, key line, or bad line, in file order. */
typedef void (*twr_ini_fn)(void *arg, const struct twr_ini_line *l);

/**
 * Read @p f to its end, calling @p fn for every header, key line and bad
 * line (blank and comment lines are skipped). Strings handed to @p fn live
 * until it returns.
 *
 * @return 0; -errno when reading failed (-ENOMEM included).
 */
int twr_ini_parse(FILE *f, twr_ini_fn fn, void *arg);

#endif /* TWR_APP_INI_H */
