/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The INI reader (app/twamp-reflector/ini.h): what each kind of line gives. */

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "ini.h"

#define MAX_LINES 16

/* What the callback saw, copied. */
struct seen {
	unsigned int n;
	struct {
		unsigned int line;
		char section[64]; /* "(null)" before the first header */
		char key[64];	  /* "" on a header or an error */
		char value[128];
		char error[128];
	} l[MAX_LINES];
};

static void
record(void *arg, const struct twr_ini_line *l)
{
	struct seen *s = arg;

	ck_assert_uint_lt(s->n, MAX_LINES);
	s->l[s->n].line = l->line;
	snprintf(s->l[s->n].section, sizeof(s->l[s->n].section), "%s",
		 l->section != NULL ? l->section : "(null)");
	snprintf(s->l[s->n].key, sizeof(s->l[s->n].key), "%s", l->key != NULL ? l->key : "");
	snprintf(s->l[s->n].value, sizeof(s->l[s->n].value), "%s",
		 l->value != NULL ? l->value : "");
	snprintf(s->l[s->n].error, sizeof(s->l[s->n].error), "%s",
		 l->error != NULL ? l->error : "");
	if (l->key == NULL)
		ck_assert_ptr_null(l->value);
	s->n++;
}

static void
parse(const char *text, size_t len, struct seen *s)
{
	FILE *f = fmemopen((void *)(uintptr_t)text, len, "r");

	ck_assert_ptr_nonnull(f);
	memset(s, 0, sizeof(*s));
	ck_assert_int_eq(twr_ini_parse(f, record, s), 0);
	fclose(f);
}

#define PARSE(text, s) parse(text, sizeof(text) - 1, s)

static void
assert_line(const struct seen *s, unsigned int i, unsigned int line, const char *section,
	    const char *key, const char *value, const char *error)
{
	ck_assert_uint_lt(i, s->n);
	ck_assert_uint_eq(s->l[i].line, line);
	ck_assert_str_eq(s->l[i].section, section);
	ck_assert_str_eq(s->l[i].key, key);
	ck_assert_str_eq(s->l[i].value, value);
	ck_assert_str_eq(s->l[i].error, error);
}

START_TEST(sections_keys_comments)
{
	struct seen s;

	PARSE("# a comment\n"
	      "; another\n"
	      "\n"
	      "[eal]\n"
	      "lcores = 0@0,1@1\n"
	      "   vdev=net_af_packet0,iface=dut0   \n"
	      "\t[ light-port   862 ]  # its own comment\n"
	      "allow = 198.18.0.0/15 # why\n"
	      "engine = stamp;not a comment\n"
	      "m = 512\t; a comment\n"
	      "empty =\n"
	      "hash = #all comment\n",
	      &s);
	ck_assert_uint_eq(s.n, 9);
	assert_line(&s, 0, 4, "eal", "", "", "");
	assert_line(&s, 1, 5, "eal", "lcores", "0@0,1@1", "");
	/* the first '=' splits: the value keeps the others */
	assert_line(&s, 2, 6, "eal", "vdev", "net_af_packet0,iface=dut0", "");
	/* a name keeps its inner blank space (config.c splits it) */
	assert_line(&s, 3, 7, "light-port   862", "", "", "");
	assert_line(&s, 4, 8, "light-port   862", "allow", "198.18.0.0/15", "");
	/* a comment starts after blank space only */
	assert_line(&s, 5, 9, "light-port   862", "engine", "stamp;not a comment", "");
	assert_line(&s, 6, 10, "light-port   862", "m", "512", "");
	assert_line(&s, 7, 11, "light-port   862", "empty", "", "");
	assert_line(&s, 8, 12, "light-port   862", "hash", "", "");
}
END_TEST

START_TEST(crlf_and_no_final_newline)
{
	struct seen s;

	PARSE("[reflector]\r\naddress = 198.18.0.2/24\r\nvlan = 100", &s);
	ck_assert_uint_eq(s.n, 3);
	assert_line(&s, 1, 2, "reflector", "address", "198.18.0.2/24", "");
	assert_line(&s, 2, 3, "reflector", "vlan", "100", "");
}
END_TEST

START_TEST(key_before_any_section)
{
	struct seen s;

	PARSE("address = 198.18.0.2/24\n[reflector]\n", &s);
	ck_assert_uint_eq(s.n, 2);
	assert_line(&s, 0, 1, "(null)", "address", "198.18.0.2/24", "");
	assert_line(&s, 1, 2, "reflector", "", "", "");
}
END_TEST

START_TEST(bad_lines)
{
	struct seen s;

	PARSE("[reflector]\n"
	      "no equals sign\n"
	      "= value\n"
	      "bad key = 1\n"
	      "k\xc3\xa9y = 1\n"
	      "[reflector] vlan = 100\n"
	      "[]\n"
	      "[nat\n"
	      "policy = latch\n",
	      &s);
	ck_assert_uint_eq(s.n, 9);
	assert_line(&s, 0, 1, "reflector", "", "", "");
	assert_line(&s, 1, 2, "reflector", "", "", "expected KEY = VALUE, [SECTION] or a comment");
	assert_line(&s, 2, 3, "reflector", "", "", "a key is made of A-Z a-z 0-9 - _ .");
	assert_line(&s, 3, 4, "reflector", "", "", "a key is made of A-Z a-z 0-9 - _ .");
	assert_line(&s, 4, 5, "reflector", "", "", "a key is made of A-Z a-z 0-9 - _ .");
	/* a bad header: its keys belong to section "" (config.c skips them) */
	assert_line(&s, 5, 6, "", "", "", "text after the section header's ']'");
	assert_line(&s, 6, 7, "", "", "", "empty section name");
	assert_line(&s, 7, 8, "", "", "", "a section header needs its ']'");
	assert_line(&s, 8, 9, "", "policy", "latch", "");
}
END_TEST

START_TEST(keys_after_bad_header)
{
	struct seen s;

	PARSE("[nat\npolicy = latch\n[nat]\npolicy = strict\n", &s);
	ck_assert_uint_eq(s.n, 4);
	assert_line(&s, 0, 1, "", "", "", "a section header needs its ']'");
	assert_line(&s, 1, 2, "", "policy", "latch", "");
	assert_line(&s, 2, 3, "nat", "", "", "");
	assert_line(&s, 3, 4, "nat", "policy", "strict", "");
}
END_TEST

START_TEST(nul_byte)
{
	static const char text[] = "[eal]\nlcores = 0\0x\nm = 1\n";
	struct seen s;

	parse(text, sizeof(text) - 1, &s);
	ck_assert_uint_eq(s.n, 3);
	assert_line(&s, 1, 2, "eal", "", "", "a NUL byte in the line");
	assert_line(&s, 2, 3, "eal", "m", "1", "");
}
END_TEST

START_TEST(long_line)
{
	size_t len = 100000;
	char *text = malloc(len + 16);
	struct seen s;

	ck_assert_ptr_nonnull(text);
	memcpy(text, "[eal]\nvdev = ", 13);
	memset(text + 13, 'a', len);
	strcpy(text + 13 + len, "\n");
	parse(text, strlen(text), &s);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.l[1].key, "vdev");
	free(text);
}
END_TEST

START_TEST(empty_input)
{
	struct seen s;

	PARSE("", &s);
	ck_assert_uint_eq(s.n, 0);
	PARSE("\n\n# only comments\n   \n", &s);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

static Suite *
ini_suite(void)
{
	Suite *s = suite_create("ini");
	TCase *tc = tcase_create("ini");

	tcase_add_test(tc, sections_keys_comments);
	tcase_add_test(tc, crlf_and_no_final_newline);
	tcase_add_test(tc, key_before_any_section);
	tcase_add_test(tc, bad_lines);
	tcase_add_test(tc, keys_after_bad_header);
	tcase_add_test(tc, nul_byte);
	tcase_add_test(tc, long_line);
	tcase_add_test(tc, empty_input);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(ini_suite)
