/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Hand-written JSON for the twamp-ping report: the output is small and its
 * shape fixed, so a writer of a hundred lines beats a library dependency.
 * Numbers never depend on the locale: integers go through PRId64, and
 * fixed-point numbers are built from integers too.
 */

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "ping_json.h"

void
twr_ping_json_init(struct twr_ping_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

static void
newline_indent(struct twr_ping_json *j, int depth)
{
	int i;

	fputc('\n', j->f);
	for (i = 0; i < depth; i++)
		fputs("  ", j->f);
}

static void
put_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Separator, line break and key before a value at the current level. */
static void
member(struct twr_ping_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	if (j->depth > 0) {
		if (j->oneline[j->depth]) {
			if (!j->first[j->depth])
				fputc(' ', j->f);
		} else {
			newline_indent(j, j->depth);
		}
	}
	j->first[j->depth] = false;
	if (key != NULL) {
		put_string(j->f, key);
		fputs(": ", j->f);
	}
}

static void
open_level(struct twr_ping_json *j, const char *key, bool oneline, char c)
{
	if (j->depth >= TWR_PING_JSON_MAX_DEPTH) {
		j->overflow++;
		return;
	}
	member(j, key);
	fputc(c, j->f);
	j->depth++;
	j->first[j->depth] = true;
	/* Inside a one-line level everything stays on that line. */
	j->oneline[j->depth] = oneline || j->oneline[j->depth - 1];
}

static void
close_level(struct twr_ping_json *j, char c)
{
	bool empty;

	if (j->overflow > 0) {
		j->overflow--;
		return;
	}
	if (j->depth == 0)
		return;
	empty = j->first[j->depth];
	j->depth--;
	if (!empty && !j->oneline[j->depth + 1])
		newline_indent(j, j->depth);
	fputc(c, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void
twr_ping_json_object_begin(struct twr_ping_json *j, const char *key, bool oneline)
{
	open_level(j, key, oneline, '{');
}

void
twr_ping_json_object_end(struct twr_ping_json *j)
{
	close_level(j, '}');
}

void
twr_ping_json_array_begin(struct twr_ping_json *j, const char *key, bool oneline)
{
	open_level(j, key, oneline, '[');
}

void
twr_ping_json_array_end(struct twr_ping_json *j)
{
	close_level(j, ']');
}

void
twr_ping_json_string(struct twr_ping_json *j, const char *key, const char *value)
{
	member(j, key);
	if (value == NULL)
		fputs("null", j->f);
	else
		put_string(j->f, value);
}

void
twr_ping_json_int(struct twr_ping_json *j, const char *key, int64_t value)
{
	member(j, key);
	fprintf(j->f, "%" PRId64, value);
}

void
twr_ping_json_uint(struct twr_ping_json *j, const char *key, uint64_t value)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, value);
}

void
twr_ping_json_fixed(struct twr_ping_json *j, const char *key, double value, int decimals)
{
	uint64_t scale = 1, whole, frac;
	double mag, scaled;
	int i;

	member(j, key);
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	for (i = 0; i < decimals; i++)
		scale *= 10;
	mag = value < 0 ? -value : value;
	scaled = mag * (double)scale + 0.5;
	/* Beyond 2^63 there is nothing a report needs: write null, never garbage. */
	if (!isfinite(value) || scaled >= 9.2e18) {
		fputs("null", j->f);
		return;
	}
	whole = (uint64_t)scaled / scale;
	frac = (uint64_t)scaled % scale;
	if (value < 0 && (whole != 0 || frac != 0))
		fputc('-', j->f);
	if (decimals == 0)
		fprintf(j->f, "%" PRIu64, whole);
	else
		fprintf(j->f, "%" PRIu64 ".%0*" PRIu64, whole, decimals, frac);
}

void
twr_ping_json_bool(struct twr_ping_json *j, const char *key, bool value)
{
	member(j, key);
	fputs(value ? "true" : "false", j->f);
}

void
twr_ping_json_null(struct twr_ping_json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}
