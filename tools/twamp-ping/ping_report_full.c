/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Report of the full mode. Each session that ran is reported exactly as
 * the light mode reports its single session, so that what reads one reads
 * the other; the control facts come first, because a refusal or an
 * alternate port explains the figures that follow.
 */

#include <inttypes.h>
#include <netdb.h>
#include <time.h>

#include "twr_time.h"

#include "ping_json.h"
#include "ping_report.h"
#include "ping_report_full.h"

#define ADDR_LEN NI_MAXHOST

static const char *const status_keys[] = {
	[TWR_PING_FULL_NOT_REQUESTED] = "not_requested",
	[TWR_PING_FULL_NOT_ANSWERED] = "not_answered",
	[TWR_PING_FULL_REFUSED] = "refused",
	[TWR_PING_FULL_UNUSABLE] = "unusable",
	[TWR_PING_FULL_NOT_STARTED] = "not_started",
	[TWR_PING_FULL_START_REFUSED] = "start_refused",
	[TWR_PING_FULL_RAN] = "ran",
};

static bool
alternate(const struct twr_ping_ctrl_session *cs)
{
	return cs->answered && cs->accept == 0 && cs->port != cs->requested_port;
}

/* Server-Start's Start-Time as UTC, "" when the server sent 0. */
static const char *
server_start_str(const struct twr_ping_control *c, char *buf, size_t len)
{
	struct timespec ts, now;
	struct tm tm;

	buf[0] = '\0';
	if (c->server_start_time == 0)
		return buf;
	clock_gettime(CLOCK_REALTIME, &now);
	twr_ntp_to_timespec(c->server_start_time,
			    (uint64_t)now.tv_sec * TWR_NS_PER_SEC + (uint64_t)now.tv_nsec, &ts);
	if (gmtime_r(&ts.tv_sec, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
	return buf;
}

void
twr_ping_report_full_banners(FILE *f, const struct twr_ping_full *full)
{
	unsigned int i;

	for (i = 0; i < full->nb_sessions; i++) {
		if (full->sess[i].status != TWR_PING_FULL_RAN)
			continue;
		if (full->nb_sessions > 1)
			fprintf(f, "[%u] ", i + 1);
		twr_ping_report_banner(f, &full->sess[i].s);
	}
}

/* Text ------------------------------------------------------------------ */

static void
text_session(FILE *f, const struct twr_ping_full *full, unsigned int i)
{
	const struct twr_ping_ctrl_session *cs = &full->ctrl.sess[i];
	const struct twr_ping_full_session *fs = &full->sess[i];
	char sid[40];

	fprintf(f, "session %u: ", i + 1);
	if (!cs->answered) {
		fprintf(f, "%s\n", cs->requested ? "no Accept-Session" : "not requested");
		return;
	}
	if (cs->accept != 0) {
		fprintf(f, "refused, Accept %u (%s)\n", cs->accept,
			twr_ping_accept_name(cs->accept));
		return;
	}
	fprintf(f, "SID %s, port %u", twr_ping_sid_hex(cs->sid, sid, sizeof(sid)), cs->port);
	if (alternate(cs))
		fprintf(f, " (asked for %u: the server offered another)", cs->requested_port);
	fprintf(f, ", from port %u", cs->sender_port);
	if (cs->start_answered && cs->start_accept != 0)
		fprintf(f, ", start refused: Accept %u (%s)", cs->start_accept,
			twr_ping_accept_name(cs->start_accept));
	else if (fs->status == TWR_PING_FULL_UNUSABLE)
		fprintf(f, ", not usable");
	else if (fs->status != TWR_PING_FULL_RAN)
		fprintf(f, ", not started");
	if (cs->stop_answered && cs->stop_accept != 0)
		fprintf(f, ", stop: Accept %u (%s)", cs->stop_accept,
			twr_ping_accept_name(cs->stop_accept));
	fputc('\n', f);
}

static void
text_control(FILE *f, const struct twr_ping_full *full)
{
	const struct twr_ping_control *c = &full->ctrl;
	char addr[ADDR_LEN], modes[256], mode[256], when[64];
	bool individual = twr_ping_control_individual(c);
	unsigned int i;

	fprintf(f, "--- TWAMP-Control %s port %u ---\n",
		twr_ping_addr_str(&c->server, addr, sizeof(addr)), twr_ping_addr_port(&c->server));
	fprintf(f, "server modes 0x%x (%s), selected 0x%x (%s)\n", c->greeting.modes,
		twr_ping_modes_str(c->greeting.modes, modes, sizeof(modes)), c->mode,
		twr_ping_modes_str(c->mode, mode, sizeof(mode)));
	if (!c->greeting.count_valid)
		fprintf(f,
			"note: Server-Greeting Count %u is not a power of two >= 1024 "
			"(unused in unauthenticated mode)\n",
			c->greeting.count);
	if (server_start_str(c, when, sizeof(when))[0] != '\0')
		fprintf(f, "server up since %s\n", when);
	for (i = 0; i < full->nb_sessions; i++)
		text_session(f, full, i);
	if (c->start_sent)
		fprintf(f, "%s",
			individual ? "started with Start-N-Sessions"
				   : "started with Start-Sessions");
	if (c->stop_sent)
		fprintf(f, ", stopped with %s, %u session%s",
			individual ? "Stop-N-Sessions" : "Stop-Sessions", c->stop_count,
			c->stop_count == 1 ? "" : "s");
	if (full->stop_failed)
		fprintf(f, "; stop failed: %s", full->stop_error);
	if (c->start_sent)
		fputc('\n', f);
}

void
twr_ping_report_full_text(FILE *f, const struct twr_ping_full *full)
{
	char addr[ADDR_LEN];
	unsigned int i;

	text_control(f, full);
	for (i = 0; i < full->nb_sessions; i++) {
		const struct twr_ping_session *s = &full->sess[i].s;

		if (full->sess[i].status != TWR_PING_FULL_RAN)
			continue;
		fprintf(f, "--- ");
		if (full->nb_sessions > 1)
			fprintf(f, "session %u: ", i + 1);
		fprintf(f, "%s port %u %s statistics ---\n",
			twr_ping_addr_str(&s->cfg.sock.dst, addr, sizeof(addr)),
			twr_ping_addr_port(&s->cfg.sock.dst), s->cfg.format->label);
		twr_ping_report_text_body(f, s, &full->sess[i].sum);
	}
	if (full->nb_ran > 1) {
		fprintf(f, "--- %s %s statistics, total of %u sessions ---\n",
			twr_ping_addr_str(&full->total.cfg.sock.dst, addr, sizeof(addr)),
			full->total.cfg.format->label, full->nb_ran);
		twr_ping_report_text_body(f, &full->total, &full->total_sum);
	}
}

/* JSON ------------------------------------------------------------------ */

static void
json_opt_uint(struct twr_ping_json *j, const char *key, bool known, uint64_t v)
{
	if (known)
		twr_ping_json_uint(j, key, v);
	else
		twr_ping_json_null(j, key);
}

static void
json_modes(struct twr_ping_json *j, const char *key, uint32_t modes)
{
	char hex[16];
	unsigned int bit;

	twr_ping_json_array_begin(j, key, true);
	for (bit = 0; bit < 32; bit++) {
		const char *name = twr_ping_mode_bit_name(bit);

		if ((modes & (1u << bit)) == 0)
			continue;
		snprintf(hex, sizeof(hex), "0x%x", 1u << bit);
		twr_ping_json_string(j, NULL, name != NULL ? name : hex);
	}
	twr_ping_json_array_end(j);
}

static void
json_control(struct twr_ping_json *j, const struct twr_ping_full *full)
{
	const struct twr_ping_control *c = &full->ctrl;
	bool individual = twr_ping_control_individual(c);
	unsigned int i, requested = 0, accepted = 0, refused = 0, alt = 0;
	char when[64];

	for (i = 0; i < full->nb_sessions; i++) {
		const struct twr_ping_ctrl_session *cs = &c->sess[i];

		requested += cs->requested;
		accepted += cs->answered && cs->accept == 0;
		refused += cs->answered && cs->accept != 0;
		alt += alternate(cs);
	}
	twr_ping_json_object_begin(j, "control", false);
	twr_ping_report_json_addr(j, "server", &c->server);
	twr_ping_report_json_addr(j, "client", &c->local);
	twr_ping_json_uint(j, "server_modes", c->greeting.modes);
	json_modes(j, "server_mode_names", c->greeting.modes);
	twr_ping_json_uint(j, "mode", c->mode);
	twr_ping_json_bool(j, "individual", individual);
	twr_ping_json_uint(j, "count", c->greeting.count);
	twr_ping_json_bool(j, "count_valid", c->greeting.count_valid);
	if (server_start_str(c, when, sizeof(when))[0] != '\0')
		twr_ping_json_string(j, "server_start_time", when);
	else
		twr_ping_json_null(j, "server_start_time");
	twr_ping_json_bool(j, "zero_addresses", full->o->zero_addresses);
	json_opt_uint(j, "start_time_unix_ns", full->start_unix_ns != 0, full->start_unix_ns);
	twr_ping_json_fixed(j, "stop_timeout_s", (double)full->o->stop_timeout_ns / 1e9, 6);
	twr_ping_json_uint(j, "sessions_requested", requested);
	twr_ping_json_uint(j, "sessions_accepted", accepted);
	twr_ping_json_uint(j, "sessions_refused", refused);
	twr_ping_json_uint(j, "sessions_alternate_port", alt);
	twr_ping_json_uint(j, "sessions_started", twr_ping_control_count_started(c));
	twr_ping_json_uint(j, "sessions_run", full->nb_ran);
	if (c->start_sent)
		twr_ping_json_string(j, "start",
				     individual ? "Start-N-Sessions" : "Start-Sessions");
	else
		twr_ping_json_null(j, "start");
	json_opt_uint(j, "start_ack", c->start_sent && !individual, c->start_accept);
	if (c->stop_sent)
		twr_ping_json_string(j, "stop", individual ? "Stop-N-Sessions" : "Stop-Sessions");
	else
		twr_ping_json_null(j, "stop");
	json_opt_uint(j, "stop_count", c->stop_sent, c->stop_count);
	if (full->stop_failed)
		twr_ping_json_string(j, "stop_error", full->stop_error);
	else
		twr_ping_json_null(j, "stop_error");
	twr_ping_json_object_end(j);
}

static void
json_session(struct twr_ping_json *j, const struct twr_ping_full *full, unsigned int i)
{
	const struct twr_ping_ctrl_session *cs = &full->ctrl.sess[i];
	const struct twr_ping_full_session *fs = &full->sess[i];
	bool accepted = cs->answered && cs->accept == 0;
	char sid[40];

	twr_ping_json_object_begin(j, NULL, false);
	twr_ping_json_uint(j, "index", i + 1);
	twr_ping_json_string(j, "status", status_keys[fs->status]);
	json_opt_uint(j, "accept", cs->answered, cs->accept);
	twr_ping_json_string(j, "accept_name",
			     cs->answered ? twr_ping_accept_key(cs->accept) : NULL);
	twr_ping_json_string(j, "accept_text",
			     cs->answered ? twr_ping_accept_name(cs->accept) : NULL);
	twr_ping_json_string(j, "sid",
			     accepted ? twr_ping_sid_hex(cs->sid, sid, sizeof(sid)) : NULL);
	json_opt_uint(j, "sender_port", cs->requested, cs->sender_port);
	json_opt_uint(j, "requested_port", cs->requested, cs->requested_port);
	json_opt_uint(j, "port", accepted, cs->port);
	twr_ping_json_bool(j, "alternate_port", alternate(cs));
	json_opt_uint(j, "start_accept", cs->start_answered, cs->start_accept);
	json_opt_uint(j, "stop_accept", cs->stop_answered, cs->stop_accept);
	if (fs->status == TWR_PING_FULL_RAN)
		twr_ping_report_json_fields(j, &fs->s, &fs->sum, full->o->per_packet);
	twr_ping_json_object_end(j);
}

void
twr_ping_report_full_json(FILE *f, const struct twr_ping_full *full)
{
	struct twr_ping_json j;
	unsigned int i;

	twr_ping_json_init(&j, f);
	twr_ping_json_object_begin(&j, NULL, false);
	twr_ping_report_json_head(&j, "full");
	/* The light report's keys, for the totals; per-packet records are per session. */
	if (full->nb_ran > 0)
		twr_ping_report_json_fields(&j, &full->total, &full->total_sum, false);
	json_control(&j, full);
	twr_ping_json_array_begin(&j, "sessions", false);
	for (i = 0; i < full->nb_sessions; i++)
		json_session(&j, full, i);
	twr_ping_json_array_end(&j);
	twr_ping_json_object_end(&j);
}
