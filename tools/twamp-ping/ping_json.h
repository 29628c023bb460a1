/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_JSON_H
#define TWR_PING_JSON_H

/**
 * @file
 * A minimal streaming JSON writer for the twamp-ping report: objects,
 * arrays, strings (escaped), integers, fixed-point numbers, booleans and
 * null, written straight to a FILE. Two spaces of indent per level; an
 * object or array opened "oneline" keeps its members on one line, so a
 * per-packet array stays one packet per line.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TWR_PING_JSON_MAX_DEPTH 8

/** Writer state. Members are private. */
struct twr_ping_json {
	FILE *f;
	int depth;
	int overflow;				   /* levels opened beyond the maximum, ignored */
	bool first[TWR_PING_JSON_MAX_DEPTH + 1];   /* nothing written yet at that level */
	bool oneline[TWR_PING_JSON_MAX_DEPTH + 1]; /* that level stays on one line */
};

/** Start writing to @p f. */
void twr_ping_json_init(struct twr_ping_json *j, FILE *f);

/**
 * Open an object. @p key is its member name inside an object, NULL at the
 * top level or inside an array. Nesting deeper than TWR_PING_JSON_MAX_DEPTH
 * is a programming error and is ignored.
 */
void twr_ping_json_object_begin(struct twr_ping_json *j, const char *key, bool oneline);

/** Close the innermost object; after the top level, a newline ends the output. */
void twr_ping_json_object_end(struct twr_ping_json *j);

/** Open an array (see twr_ping_json_object_begin()). */
void twr_ping_json_array_begin(struct twr_ping_json *j, const char *key, bool oneline);

/** Close the innermost array. */
void twr_ping_json_array_end(struct twr_ping_json *j);

/** A string member, escaped per RFC 8259 §7. NULL writes null. */
void twr_ping_json_string(struct twr_ping_json *j, const char *key, const char *value);

/** A signed integer member. */
void twr_ping_json_int(struct twr_ping_json *j, const char *key, int64_t value);

/** An unsigned integer member. */
void twr_ping_json_uint(struct twr_ping_json *j, const char *key, uint64_t value);

/** A number with @p decimals digits after the point; NaN and infinities write null. */
void twr_ping_json_fixed(struct twr_ping_json *j, const char *key, double value, int decimals);

/** A boolean member. */
void twr_ping_json_bool(struct twr_ping_json *j, const char *key, bool value);

/** A null member. */
void twr_ping_json_null(struct twr_ping_json *j, const char *key);

#endif /* TWR_PING_JSON_H */
