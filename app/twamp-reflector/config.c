/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The configuration file (config.h): sections and keys become command-line
 * arguments, and a parallel array remembers the file line of each, so that
 * the option parser judges the values and the messages name the line.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "ini.h"
#include "options.h"

enum cfg_kind {
	CFG_VALUE,    /* --opt=VALUE */
	CFG_FLAG,     /* a boolean; true gives --opt */
	CFG_NOT_FLAG, /* a boolean; false gives --opt */
	CFG_TAP,      /* off|no|false gives --no-tap, NAME --tap=NAME */
	CFG_SHORT,    /* -opt VALUE (EAL's -m), a number */
	CFG_ENGINE,   /* [light-port] engine = light|stamp */
	CFG_STATEFUL, /* [light-port] stateful = BOOLEAN */
	CFG_ALLOW,    /* [light-port] allow = PREFIX: --light-allow=PORT=PREFIX */
};

struct cfg_key {
	const char *key;
	const char *opt;
	uint8_t kind;
	bool repeatable;
};

#define CFG_MAX_KEYS  20
#define CFG_MAX_VALUE 1024 /* characters of a value */
#define CFG_DIM(a)    (sizeof(a) / sizeof((a)[0]))

struct cfg_section {
	const char *name;
	bool eal;		    /* its arguments go before "--"; EAL checks them at start */
	bool has_port;		    /* [light-port PORT] */
	const struct cfg_key *keys; /* up to CFG_MAX_KEYS, {NULL} last */
};

static const struct cfg_key eal_keys[] = {
	{"lcores", "lcores", CFG_VALUE, false},
	{"main-lcore", "main-lcore", CFG_VALUE, false},
	{"vdev", "vdev", CFG_VALUE, true},
	{"allow", "allow", CFG_VALUE, true},
	{"block", "block", CFG_VALUE, true},
	{"file-prefix", "file-prefix", CFG_VALUE, false},
	{"socket-mem", "socket-mem", CFG_VALUE, false},
	{"socket-limit", "socket-limit", CFG_VALUE, false},
	{"m", "m", CFG_SHORT, false},
	{"no-huge", "no-huge", CFG_FLAG, false},
	{"huge-dir", "huge-dir", CFG_VALUE, false},
	{"in-memory", "in-memory", CFG_FLAG, false},
	{"iova-mode", "iova-mode", CFG_VALUE, false},
	{"log-level", "log-level", CFG_VALUE, true},
	{"no-pci", "no-pci", CFG_FLAG, false},
	{"no-telemetry", "no-telemetry", CFG_FLAG, false},
	{"proc-type", "proc-type", CFG_VALUE, false},
	{NULL, NULL, 0, false},
};

static const struct cfg_key reflector_keys[] = {
	{"address", "address", CFG_VALUE, true},
	{"vlan", "vlan", CFG_VALUE, false},
	{"workers", "workers", CFG_VALUE, false},
	{"max-sessions", "max-sessions", CFG_VALUE, false},
	{"mbufs", "mbufs", CFG_VALUE, false},
	{"rxd", "rxd", CFG_VALUE, false},
	{"txd", "txd", CFG_VALUE, false},
	{"strict-errest", "strict-errest", CFG_FLAG, false},
	{"stats-period", "stats-period", CFG_VALUE, false},
	{"tap", "tap", CFG_TAP, false},
	{"tap-route", "tap-route", CFG_VALUE, true},
	{NULL, NULL, 0, false},
};

static const struct cfg_key control_keys[] = {
	{"enabled", "no-control", CFG_NOT_FLAG, false},
	{"port", "control-port", CFG_VALUE, false},
	{"test-ports", "test-ports", CFG_VALUE, false},
	{"any-requested-port", "any-requested-port", CFG_FLAG, false},
	{"sender-peer-only", "sender-peer-only", CFG_FLAG, false},
	{"max-sessions", "max-control-sessions", CFG_VALUE, false},
	{"max-sessions-per-connection", "max-sessions-per-connection", CFG_VALUE, false},
	{"max-connections", "max-connections", CFG_VALUE, false},
	{"max-connections-per-source", "max-connections-per-source", CFG_VALUE, false},
	{"servwait", "servwait", CFG_VALUE, false},
	{"refwait", "refwait", CFG_VALUE, false},
	{NULL, NULL, 0, false},
};

static const struct cfg_key nat_keys[] = {
	{"policy", "nat-policy", CFG_VALUE, false},
	{"policy-for", "nat-policy-for", CFG_VALUE, true},
	{"latch-window", "latch-window", CFG_VALUE, false},
	{"latch-source-len", "latch-source-len", CFG_VALUE, false},
	{NULL, NULL, 0, false},
};

static const struct cfg_key light_keys[] = {
	{"engine", "light-port", CFG_ENGINE, false},
	{"stateful", "light-port", CFG_STATEFUL, false},
	{"allow", "light-allow", CFG_ALLOW, true},
	{NULL, NULL, 0, false},
};

static const struct cfg_section sections[] = {
	{"eal", true, false, eal_keys},		 {"reflector", false, false, reflector_keys},
	{"control", false, false, control_keys}, {"nat", false, false, nat_keys},
	{"light-port", false, true, light_keys},
};

#define SECTIONS_KNOWN "[eal], [reflector], [control], [nat], [light-port PORT]"

/* One generated argument and where it came from. */
struct cfg_arg {
	char *text; /* owned, or the command line's */
	bool owned;
	struct twr_app_options_source src; /* src.file NULL: the command line */
	int parent;			   /* >= 0: skipped when that argument is refused */
};

struct cfg_vec {
	struct cfg_arg *a;
	unsigned int n, cap;
};

/* The reader's messages, printed in line order among the option parser's. */
struct cfg_msg {
	unsigned int line;
	char *text;
};

struct cfg_msgs {
	struct cfg_msg *m;
	unsigned int n, next;
};

/* What one twr_app_config_argv() built; it lives until exit (config.h). */
struct cfg_state {
	char *file;
	struct cfg_vec eal; /* the file's EAL arguments */
	struct cfg_vec app; /* the file's application arguments, then the command line's */
	char **argv;	    /* the vector handed out */
	int argc;
	char **names; /* the sections' names, which the sources point to */
	unsigned int *name_lines;
	unsigned int nb_names;
	struct cfg_msgs msgs;
};

/* The reading of one file. */
struct cfg_ctx {
	struct cfg_state *st;
	unsigned int errors;
	bool nomem;
	const struct cfg_section *sec; /* NULL: none, or a bad one (its keys are skipped) */
	const char *sec_name;
	unsigned int sec_line;
	unsigned int seen[CFG_MAX_KEYS]; /* line of each key of the section, 0: not yet */
	/* [light-port PORT] being read: its argument is complete at the section's end */
	const char *port;
	bool stamp, stateful;
	struct cfg_vec allow;
};

static struct cfg_state *state;

static char *
xstrdup(struct cfg_ctx *c, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		c->nomem = true;
	return d;
}

static int
vec_push(struct cfg_vec *v, const struct cfg_arg *a)
{
	struct cfg_arg *n;

	if (v->n == v->cap) {
		n = realloc(v->a, (v->cap == 0 ? 16 : 2 * v->cap) * sizeof(*n));
		if (n == NULL)
			return -ENOMEM;
		v->a = n;
		v->cap = v->cap == 0 ? 16 : 2 * v->cap;
	}
	v->a[v->n++] = *a;
	return 0;
}

static void
vec_free(struct cfg_vec *v)
{
	unsigned int i;

	for (i = 0; i < v->n; i++) {
		if (v->a[i].owned)
			free(v->a[i].text);
		free((char *)(uintptr_t)v->a[i].src.value);
	}
	free(v->a);
	memset(v, 0, sizeof(*v));
}

/* Print the messages of lines up to @p line (UINT_MAX: all). */
static void
msgs_flush(struct cfg_msgs *msgs, unsigned int line)
{
	if (msgs == NULL)
		return;
	for (; msgs->next < msgs->n && msgs->m[msgs->next].line <= line; msgs->next++)
		fputs(msgs->m[msgs->next].text, stderr);
}

/* "twamp-reflector: FILE:LINE: [SECTION] KEY: [VALUE: ]WHY", kept for msgs_flush(). */
static void __attribute__((format(printf, 6, 7)))
cfg_error(struct cfg_ctx *c, unsigned int line, const char *section, const char *key,
	  const char *value, const char *fmt, ...)
{
	struct twr_app_options_source src = {
		.file = c->st->file,
		.line = line,
		.section = section,
		.key = key,
		.value = value,
	};
	struct cfg_msgs *msgs = &c->st->msgs;
	struct cfg_msg *m;
	char why[512];
	size_t len;
	va_list ap;
	FILE *f;

	c->errors++;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	m = realloc(msgs->m, (msgs->n + 1) * sizeof(*m));
	if (m == NULL) {
		c->nomem = true;
		return;
	}
	msgs->m = m;
	m = &msgs->m[msgs->n];
	m->line = line;
	m->text = NULL;
	f = open_memstream(&m->text, &len);
	if (f == NULL) {
		c->nomem = true;
		return;
	}
	twr_app_options_source_print(f, &src, why);
	if (fclose(f) != 0) {
		free(m->text);
		c->nomem = true;
		return;
	}
	msgs->n++;
}

/* Push "TEXT" (copied) with its source; value copied too. */
static int
arg_push(struct cfg_ctx *c, struct cfg_vec *v, const char *text, unsigned int line, const char *key,
	 const char *value, int parent)
{
	struct cfg_arg a = {
		.owned = true,
		.parent = parent,
		.src = {.file = c->st->file, .line = line, .section = c->sec_name, .key = key},
	};

	a.text = xstrdup(c, text);
	if (value != NULL)
		a.src.value = xstrdup(c, value);
	if (a.text == NULL || (value != NULL && a.src.value == NULL) || vec_push(v, &a) < 0) {
		free(a.text);
		free((char *)(uintptr_t)a.src.value);
		c->nomem = true;
		return -ENOMEM;
	}
	return 0;
}

static int
bool_parse(const char *s)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	unsigned int i;

	for (i = 0; i < CFG_DIM(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* The end of a [light-port PORT] section: --light-port, then its --light-allow. */
static void
light_port_close(struct cfg_ctx *c)
{
	char buf[128];
	unsigned int i;
	int parent;

	snprintf(buf, sizeof(buf), "--light-port=%s%s%s", c->port, c->stamp ? ",stamp" : "",
		 c->stateful ? ",stateful" : "");
	parent = (int)c->st->app.n;
	if (arg_push(c, &c->st->app, buf, c->sec_line, NULL, c->port, -1) < 0)
		return;
	for (i = 0; i < c->allow.n; i++) {
		c->allow.a[i].parent = parent;
		if (vec_push(&c->st->app, &c->allow.a[i]) < 0) {
			c->nomem = true;
			return;
		}
		c->allow.a[i].owned = false;
		c->allow.a[i].src.value = NULL;
	}
	vec_free(&c->allow);
}

static void
section_close(struct cfg_ctx *c)
{
	if (c->sec != NULL && c->sec->has_port)
		light_port_close(c);
	c->sec = NULL;
	c->sec_name = NULL;
}

/* Keep the section's name (the sources point to it); its line for repeats. */
static const char *
section_name_keep(struct cfg_ctx *c, const char *name, unsigned int line)
{
	struct cfg_state *st = c->st;
	char **names = realloc(st->names, (st->nb_names + 1) * sizeof(*names));
	unsigned int *lines;

	if (names == NULL)
		goto nomem;
	st->names = names;
	lines = realloc(st->name_lines, (st->nb_names + 1) * sizeof(*lines));
	if (lines == NULL)
		goto nomem;
	st->name_lines = lines;
	names[st->nb_names] = xstrdup(c, name);
	if (names[st->nb_names] == NULL)
		return NULL;
	lines[st->nb_names] = line;
	return names[st->nb_names++];
nomem:
	c->nomem = true;
	return NULL;
}

static void
on_header(struct cfg_ctx *c, const struct twr_ini_line *l)
{
	char name[128], word[64], param[64], extra[8];
	const struct cfg_section *sec = NULL;
	unsigned int i;
	int n;

	section_close(c);
	if (l->error != NULL) {
		cfg_error(c, l->line, NULL, NULL, NULL, "%s", l->error);
		return;
	}
	n = sscanf(l->section, "%63s %63s %7s", word, param, extra);
	for (i = 0; n >= 1 && i < CFG_DIM(sections); i++)
		if (strcmp(word, sections[i].name) == 0)
			sec = &sections[i];
	if (sec == NULL) {
		cfg_error(c, l->line, l->section, NULL, NULL, "unknown section; the sections: %s",
			  SECTIONS_KNOWN);
		return;
	}
	if (sec->has_port ? n != 2 : n != 1) {
		cfg_error(c, l->line, l->section, NULL, NULL, "expected [%s%s]", sec->name,
			  sec->has_port ? " PORT" : "");
		return;
	}
	/* one spelling per section, whatever the blank space */
	snprintf(name, sizeof(name), "%s%s%s", word, n == 2 ? " " : "", n == 2 ? param : "");
	for (i = 0; i < c->st->nb_names; i++) {
		if (strcmp(c->st->names[i], name) == 0) {
			cfg_error(c, l->line, name, NULL, NULL,
				  "repeated section (first at line %u)", c->st->name_lines[i]);
			return;
		}
	}
	c->sec_name = section_name_keep(c, name, l->line);
	if (c->sec_name == NULL)
		return;
	c->sec = sec;
	c->sec_line = l->line;
	memset(c->seen, 0, sizeof(c->seen));
	if (sec->has_port) {
		c->port = c->sec_name + strlen(sec->name) + 1;
		c->stamp = false;
		c->stateful = false;
	}
}

static void
keys_list(const struct cfg_section *sec, char *buf, size_t len)
{
	const struct cfg_key *k;
	size_t used = 0;

	buf[0] = '\0';
	for (k = sec->keys; k->key != NULL && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used > 0 ? ", " : "",
					 k->key);
}

static bool
has_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (isspace((unsigned char)*s))
			return true;
	return false;
}

static bool
is_number(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* An [eal] key's value: EAL checks it at start, here only its shape. */
static void
on_eal_key(struct cfg_ctx *c, const struct twr_ini_line *l, const struct cfg_key *k)
{
	char buf[CFG_MAX_VALUE + 64];
	int b;

	if (k->kind == CFG_FLAG) {
		b = bool_parse(l->value);
		if (b < 0)
			cfg_error(c, l->line, c->sec_name, k->key, l->value,
				  "expected yes, no, true, false, on, off, 1 or 0");
		if (b != 1)
			return;
		snprintf(buf, sizeof(buf), "--%s", k->opt);
	} else if (has_blank(l->value)) {
		cfg_error(c, l->line, c->sec_name, k->key, l->value,
			  "an EAL value holds no blank space");
		return;
	} else if (k->kind == CFG_SHORT) {
		if (!is_number(l->value)) {
			cfg_error(c, l->line, c->sec_name, k->key, l->value,
				  "must be a number of megabytes");
			return;
		}
		snprintf(buf, sizeof(buf), "-%s", k->opt);
		if (arg_push(c, &c->st->eal, buf, l->line, k->key, NULL, -1) < 0)
			return;
		snprintf(buf, sizeof(buf), "%s", l->value);
	} else {
		snprintf(buf, sizeof(buf), "--%s=%s", k->opt, l->value);
	}
	arg_push(c, &c->st->eal, buf, l->line, k->key, NULL, -1);
}

static void
on_app_key(struct cfg_ctx *c, const struct twr_ini_line *l, const struct cfg_key *k)
{
	char buf[CFG_MAX_VALUE + 2 * 64];
	int b;

	switch (k->kind) {
	case CFG_FLAG:
	case CFG_NOT_FLAG:
	case CFG_STATEFUL:
		b = bool_parse(l->value);
		if (b < 0) {
			cfg_error(c, l->line, c->sec_name, k->key, l->value,
				  "expected yes, no, true, false, on, off, 1 or 0");
			return;
		}
		if (k->kind == CFG_STATEFUL)
			c->stateful = b == 1;
		if (k->kind == CFG_STATEFUL || b != (k->kind == CFG_FLAG))
			return;
		snprintf(buf, sizeof(buf), "--%s", k->opt);
		break;
	case CFG_TAP:
		if (strcasecmp(l->value, "off") == 0 || strcasecmp(l->value, "no") == 0 ||
		    strcasecmp(l->value, "false") == 0)
			snprintf(buf, sizeof(buf), "--no-tap");
		else
			snprintf(buf, sizeof(buf), "--tap=%s", l->value);
		break;
	case CFG_ENGINE:
		if (strcmp(l->value, "light") != 0 && strcmp(l->value, "stamp") != 0) {
			cfg_error(c, l->line, c->sec_name, k->key, l->value,
				  "expected light or stamp");
			return;
		}
		c->stamp = strcmp(l->value, "stamp") == 0;
		return;
	case CFG_ALLOW:
		snprintf(buf, sizeof(buf), "--%s=%s=%s", k->opt, c->port, l->value);
		arg_push(c, &c->allow, buf, l->line, k->key, l->value, -1);
		return;
	default:
		snprintf(buf, sizeof(buf), "--%s=%s", k->opt, l->value);
		break;
	}
	arg_push(c, &c->st->app, buf, l->line, k->key, l->value, -1);
}

static void
on_key(struct cfg_ctx *c, const struct twr_ini_line *l)
{
	const struct cfg_key *k;
	char known[512];
	unsigned int i;

	if (l->section == NULL) {
		cfg_error(c, l->line, NULL, l->key, NULL,
			  "outside of any [section]; the sections: %s", SECTIONS_KNOWN);
		return;
	}
	if (c->sec == NULL)
		return; /* a bad section, already reported */
	for (i = 0, k = c->sec->keys; k->key != NULL; i++, k++)
		if (strcmp(k->key, l->key) == 0)
			break;
	if (k->key == NULL) {
		keys_list(c->sec, known, sizeof(known));
		cfg_error(c, l->line, c->sec_name, l->key, NULL,
			  "unknown key; the keys of [%s]: %s",
			  c->sec->has_port ? "light-port PORT" : c->sec->name, known);
		return;
	}
	if (!k->repeatable && c->seen[i] != 0) {
		cfg_error(c, l->line, c->sec_name, k->key, NULL, "repeated (first at line %u)",
			  c->seen[i]);
		return;
	}
	c->seen[i] = l->line;
	if (*l->value == '\0') {
		cfg_error(c, l->line, c->sec_name, k->key, NULL, "needs a value");
		return;
	}
	if (strlen(l->value) > CFG_MAX_VALUE) {
		cfg_error(c, l->line, c->sec_name, k->key, NULL, "longer than %u characters",
			  CFG_MAX_VALUE);
		return;
	}
	if (c->sec->eal)
		on_eal_key(c, l, k);
	else
		on_app_key(c, l, k);
}

static void
on_line(void *arg, const struct twr_ini_line *l)
{
	struct cfg_ctx *c = arg;

	if (c->nomem)
		return;
	if (l->key == NULL && l->error == NULL) {
		on_header(c, l);
	} else if (l->error != NULL) {
		cfg_error(c, l->line, l->section != NULL && *l->section != '\0' ? l->section : NULL,
			  NULL, NULL, "%s", l->error);
	} else {
		on_key(c, l);
	}
}

/* Read the file into st->eal and st->app. @return the number of errors; -errno. */
static int
cfg_read(struct cfg_state *st)
{
	struct cfg_ctx c = {.st = st};
	FILE *f;
	int ret;

	f = fopen(st->file, "r");
	if (f == NULL) {
		fprintf(stderr, "twamp-reflector: %s: cannot open: %s\n", st->file,
			strerror(errno));
		return 1;
	}
	ret = twr_ini_parse(f, on_line, &c);
	fclose(f);
	if (ret == 0 && !c.nomem)
		section_close(&c);
	vec_free(&c.allow);
	if (c.nomem || ret == -ENOMEM)
		return -ENOMEM;
	if (ret < 0) {
		fprintf(stderr, "twamp-reflector: %s: cannot read: %s\n", st->file, strerror(-ret));
		return 1;
	}
	return (int)c.errors;
}

/*
 * Check the application arguments args[0..n) with the option parser: each
 * of the file's alone after those accepted before it (its message names its
 * line), the command line's together, then all of them as a whole.
 * @return the number of errors.
 */
static unsigned int
cfg_validate(const char *file, struct cfg_arg *args, unsigned int n, struct cfg_msgs *msgs,
	     bool whole_check)
{
	struct twr_app_options_source whole = {
		.file = file,
		.section = "reflector",
		.key = "address",
	};
	struct twr_app_options_source cmdline = {.partial = true};
	struct twr_app_options_source src;
	struct twr_app_options *o;
	unsigned int i, j, end, accepted = 1, errors = 0;
	bool *refused;
	char **v;
	int ret;

	o = malloc(sizeof(*o));
	v = calloc(n + 2, sizeof(*v));
	refused = calloc(n + 1, sizeof(*refused));
	if (o == NULL || v == NULL || refused == NULL) {
		msgs_flush(msgs, UINT_MAX);
		fprintf(stderr, "twamp-reflector: out of memory\n");
		errors = 1;
		goto out;
	}
	v[0] = (char *)(uintptr_t) "twamp-reflector";
	for (i = 0; i < n; i = end) {
		/* a group: one of the file's arguments, or the whole command line */
		end = i + 1;
		if (args[i].src.file == NULL)
			end = n;
		msgs_flush(msgs, args[i].src.file != NULL ? args[i].src.line : UINT_MAX);
		if (args[i].parent >= 0 && refused[args[i].parent]) {
			refused[i] = true;
			continue;
		}
		for (j = i; j < end; j++)
			v[accepted + j - i] = args[j].text;
		v[accepted + end - i] = NULL;
		src = args[i].src.file != NULL ? args[i].src : cmdline;
		src.partial = true;
		src.reported = false;
		twr_app_options_source_set(&src);
		ret = twr_app_options_parse((int)(accepted + end - i), v, o);
		twr_app_options_source_set(NULL);
		if (ret < 0) {
			errors++;
			refused[i] = true;
			/* a message that did not go through the source names the option only */
			if (src.file != NULL && !src.reported)
				twr_app_options_source_print(stderr, &src, "refused (see above)");
		} else {
			accepted += end - i;
		}
	}
	msgs_flush(msgs, UINT_MAX);
	if (errors == 0 && whole_check) {
		v[accepted] = NULL;
		twr_app_options_source_set(file != NULL ? &whole : NULL);
		ret = twr_app_options_parse((int)accepted, v, o);
		twr_app_options_source_set(NULL);
		if (ret < 0)
			errors++;
	}
out:
	free(refused);
	free(v);
	free(o);
	return errors;
}

void
twr_app_config_free(void)
{
	struct cfg_state *st = state;
	unsigned int i;

	if (st == NULL)
		return;
	vec_free(&st->eal);
	vec_free(&st->app);
	for (i = 0; i < st->nb_names; i++)
		free(st->names[i]);
	free(st->names);
	free(st->name_lines);
	for (i = 0; i < st->msgs.n; i++)
		free(st->msgs.m[i].text);
	free(st->msgs.m);
	free(st->argv);
	free(st->file);
	free(st);
	state = NULL;
}

/* --config FILE, --config=FILE, --check-config FILE, --check-config=FILE */
static int
config_opt(int argc, char **argv, int *i, const char **file, bool *check)
{
	static const char *const names[] = {"--config", "--check-config"};
	unsigned int k;
	size_t len;

	for (k = 0; k < CFG_DIM(names); k++) {
		len = strlen(names[k]);
		if (strncmp(argv[*i], names[k], len) != 0)
			continue;
		if (argv[*i][len] == '=') {
			*file = argv[*i] + len + 1;
		} else if (argv[*i][len] == '\0') {
			if (*i + 1 >= argc) {
				fprintf(stderr, "twamp-reflector: %s needs a FILE\n", names[k]);
				return -EINVAL;
			}
			*file = argv[++*i];
		} else {
			continue;
		}
		*check = k == 1;
		return 1;
	}
	return 0;
}

int
twr_app_config_argv(int argc, char **argv, int *out_argc, char ***out_argv, bool *check_only)
{
	struct cfg_arg cmd = {.parent = -1};
	struct cfg_state *st;
	const char *file = NULL;
	bool check = false, after = false;
	unsigned int nb_files = 0, nb_cmd_eal = 0, nb_cmd_app = 0, i, n;
	char **cmd_eal, **cmd_app, **v;
	int a, ret, errors;

	cmd_eal = calloc((size_t)argc + 1, sizeof(*cmd_eal));
	cmd_app = calloc((size_t)argc + 1, sizeof(*cmd_app));
	if (cmd_eal == NULL || cmd_app == NULL) {
		free(cmd_eal);
		free(cmd_app);
		return -ENOMEM;
	}
	/* Sort the command line into EAL's and the application's; find the file. */
	for (a = 1; a < argc; a++) {
		ret = config_opt(argc, argv, &a, &file, &check);
		if (ret < 0)
			goto fail_einval;
		if (ret == 1) {
			nb_files++;
			continue;
		}
		if (!after && strcmp(argv[a], "--") == 0)
			after = true;
		else if (!after)
			cmd_eal[nb_cmd_eal++] = argv[a];
		else
			cmd_app[nb_cmd_app++] = argv[a];
	}
	if (nb_files == 0) {
		free(cmd_eal);
		free(cmd_app);
		*out_argc = argc;
		*out_argv = argv;
		*check_only = false;
		return 0;
	}
	if (nb_files > 1) {
		fprintf(stderr, "twamp-reflector: one --config or --check-config, not %u\n",
			nb_files);
		goto fail_einval;
	}
	twr_app_config_free();
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		goto fail_nomem;
	state = st;
	st->file = strdup(file);
	if (st->file == NULL)
		goto fail_nomem;

	/* The file's arguments go before the command line's (which override them). */
	errors = cfg_read(st);
	if (errors < 0)
		goto fail_nomem;
	for (i = 0; i < nb_cmd_app; i++) {
		cmd.text = cmd_app[i];
		if (vec_push(&st->app, &cmd) < 0)
			goto fail_nomem;
	}
	errors += (int)cfg_validate(st->file, st->app.a, st->app.n, &st->msgs, errors == 0);
	if (errors > 0)
		goto fail_einval;

	n = 1 + st->eal.n + nb_cmd_eal + 1 + st->app.n;
	v = calloc(n + 1, sizeof(*v));
	if (v == NULL)
		goto fail_nomem;
	st->argv = v;
	st->argc = (int)n;
	*v++ = argv[0];
	for (i = 0; i < st->eal.n; i++)
		*v++ = st->eal.a[i].text;
	for (i = 0; i < nb_cmd_eal; i++)
		*v++ = cmd_eal[i];
	*v++ = (char *)(uintptr_t) "--";
	for (i = 0; i < st->app.n; i++)
		*v++ = st->app.a[i].text;
	*v = NULL;
	free(cmd_eal);
	free(cmd_app);
	*out_argc = st->argc;
	*out_argv = st->argv;
	*check_only = check;
	return 0;

fail_nomem:
	fprintf(stderr, "twamp-reflector: out of memory\n");
	ret = -ENOMEM;
	goto fail;
fail_einval:
	ret = -EINVAL;
fail:
	free(cmd_eal);
	free(cmd_app);
	twr_app_config_free();
	return ret;
}

int
twr_app_config_check(int argc, char **argv)
{
	struct cfg_state *st = state;
	struct cfg_arg *args = NULL, cmd = {.parent = -1};
	const char *file = NULL;
	unsigned int n = 0, errors;
	int a = 1;

	if (st != NULL && argv == st->argv) {
		file = st->file;
		args = st->app.a;
		n = st->app.n;
	} else {
		while (a < argc && strcmp(argv[a], "--") != 0)
			a++;
		n = a < argc ? (unsigned int)(argc - a - 1) : 0;
		args = calloc(n + 1, sizeof(*args));
		if (args == NULL)
			return -ENOMEM;
		for (a = 0; a < (int)n; a++) {
			args[a] = cmd;
			args[a].text = argv[argc - (int)n + a];
		}
	}
	errors = cfg_validate(file, args, n, NULL, true);
	if (st == NULL || argv != st->argv)
		free(args);
	if (errors > 0)
		return -EINVAL;
	printf("%s: OK\n", file != NULL ? file : "command line");
	return 0;
}
