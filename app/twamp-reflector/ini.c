/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The INI reader of the configuration file (ini.h): lines in, callbacks out. */

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* A comment after a value or a header starts with '#' or ';' after blank space. */
static void
comment_cut(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++) {
		if ((*p == '#' || *p == ';') && (p == s || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			return;
		}
	}
}

static bool
key_valid(const char *k)
{
	if (*k == '\0')
		return false;
	for (; *k != '\0'; k++)
		if (!isalnum((unsigned char)*k) && strchr("-_.", *k) == NULL)
			return false;
	return true;
}

/*
 * "[name]": the new section's name into *name, or NULL and the reason. A
 * header is its own line: after ']', only a comment.
 */
static const char *
header_parse(char *s, char **name)
{
	char *close = strchr(s, ']');
	char *rest;

	*name = NULL;
	if (close == NULL)
		return "a section header needs its ']'";
	*close = '\0';
	rest = close + 1;
	comment_cut(rest);
	if (*trim(rest) != '\0')
		return "text after the section header's ']'";
	s = trim(s + 1);
	if (*s == '\0')
		return "empty section name";
	*name = s;
	return NULL;
}

int
twr_ini_parse(FILE *f, twr_ini_fn fn, void *arg)
{
	struct twr_ini_line l;
	char *buf = NULL, *section = NULL, *s, *eq, *name;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	memset(&l, 0, sizeof(l));
	for (;;) {
		errno = 0;
		len = getline(&buf, &cap, f);
		if (len < 0) {
			/* at the end of the file, getline() leaves errno alone */
			if (errno != 0 || ferror(f))
				ret = errno != 0 ? -errno : -EIO;
			break;
		}
		l.line++;
		l.key = NULL;
		l.value = NULL;
		l.error = NULL;
		l.section = section;
		if ((size_t)len != strlen(buf)) {
			l.error = "a NUL byte in the line";
			fn(arg, &l);
			continue;
		}
		s = trim(buf);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			l.error = header_parse(s, &name);
			free(section);
			/* after a bad header, "": its keys are nobody's (already reported) */
			section = strdup(l.error == NULL ? name : "");
			if (section == NULL) {
				ret = -ENOMEM;
				break;
			}
			l.section = section;
			fn(arg, &l);
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			l.error = "expected KEY = VALUE, [SECTION] or a comment";
			fn(arg, &l);
			continue;
		}
		*eq = '\0';
		l.key = trim(s);
		if (!key_valid(l.key)) {
			l.key = NULL;
			l.error = "a key is made of A-Z a-z 0-9 - _ .";
			fn(arg, &l);
			continue;
		}
		comment_cut(eq + 1);
		l.value = trim(eq + 1);
		fn(arg, &l);
	}
	free(buf);
	free(section);
	return ret;
}
