/* test_mail.c - composing messages and handing them to a sendmail. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail.h"
#include "unit.h"

static void
test_addresses(void)
{
	CHECK(mail_address_ok("ann@example.com"));
	CHECK(mail_address_ok("ann.lee+cs@mail.example.co.uk"));
	CHECK(!mail_address_ok("ann"));
	CHECK(!mail_address_ok("@example.com"));
	CHECK(!mail_address_ok("ann@"));
	CHECK(!mail_address_ok("ann@a@b"));
	CHECK(!mail_address_ok("ann lee@example.com"));
	CHECK(!mail_address_ok("ann@example.com\nBcc: eve@example.com"));
	CHECK(!mail_address_ok("ann@example.com,eve@example.com"));
	CHECK(!mail_address_ok("Ann <ann@example.com>"));
	CHECK(!mail_address_ok("ann\xc3\xa9@example.com"));
}

static const char *
format(const struct mail *m, struct buf *b)
{
	static struct cs_error err;
	buf_reset(b);
	if (mail_format(b, m, &err) < 0)
		return err.msg;
	return b->data;
}

static void
test_format(void)
{
	struct buf b = {0};
	struct mail_part body = {"text/plain; charset=utf-8", NULL, "Due this week:\n- Ann\n", 21};
	struct mail m = {.to = "ann@example.com", .subject = "Client touches", .parts = &body,
	                 .nparts = 1};
	CHECK_STR(format(&m, &b), "To: ann@example.com\n"
	                          "Subject: Client touches\n"
	                          "MIME-Version: 1.0\n"
	                          "Content-Type: text/plain; charset=utf-8\n"
	                          "Content-Transfer-Encoding: 8bit\n"
	                          "\n"
	                          "Due this week:\n- Ann\n");

	/* an attachment: multipart, its CRLF lines as LF, a boundary found in neither part */
	struct mail_part parts[2] = {
	    body, {"text/calendar; charset=utf-8; method=PUBLISH", "touches.ics",
	           "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 32}};
	m.parts = parts;
	m.nparts = 2;
	m.from = "cs@example.com";
	const char *s = format(&m, &b);
	CHECK(strncmp(s, "From: cs@example.com\nTo: ann@example.com\n", 41) == 0);
	const char *bd = strstr(s, "boundary=\"");
	CHECK(bd != NULL);
	if (bd) {
		char boundary[64];
		CHECK(sscanf(bd, "boundary=\"%63[^\"]\"", boundary) == 1);
		char want[512];
		snprintf(want, sizeof want,
		         "\n--%s\nContent-Type: text/calendar; charset=utf-8; method=PUBLISH\n"
		         "Content-Transfer-Encoding: 8bit\n"
		         "Content-Disposition: attachment; filename=\"touches.ics\"\n\n"
		         "BEGIN:VCALENDAR\nEND:VCALENDAR\n\n--%s--\n",
		         boundary, boundary);
		CHECK(strstr(s, want) != NULL);
	}

	/* a part holding what would be the boundary gets another one */
	struct buf clash = {0};
	buf_puts(&clash, format(&m, &b));
	struct mail_part tricky[2] = {parts[0], {"text/plain", "copy.txt", clash.data, clash.len}};
	m.parts = tricky;
	s = format(&m, &b);
	bd = strstr(s, "boundary=\"");
	CHECK(bd && strncmp(bd + 10, strstr(clash.data, "boundary=\"") + 10, 24) != 0);
	buf_free(&clash);

	/* a line over 998 octets goes as base64 */
	char *longline = malloc(1200);
	memset(longline, 'x', 1200);
	struct mail_part wide = {"text/plain", NULL, longline, 1200};
	m.parts = &wide;
	m.nparts = 1;
	s = format(&m, &b);
	CHECK(strstr(s, "Content-Transfer-Encoding: base64\n\neHh4") != NULL);
	CHECK(strstr(s, "\neHh4eHh4") != NULL);
	free(longline);

	/* nothing from the data reaches a header unchecked */
	m.parts = &body;
	m.to = "ann@example.com\nBcc: eve@example.com";
	CHECK_STR(format(&m, &b),
	          "\"ann@example.com\nBcc: eve@example.com\" is not one plain e-mail address");
	m.to = "ann@example.com";
	m.subject = "Hi\r\nBcc: eve@example.com";
	CHECK_STR(format(&m, &b), "a subject must be printable ASCII");
	buf_free(&b);
}

static void
test_send(void)
{
	char dir[200];
	unit_tmp_template(dir, sizeof dir, "cs-test-mail");
	CHECK(mkdtemp(dir) != NULL);
	char prog[256], out[256], cmd[1024];
	snprintf(prog, sizeof prog, "%s/fake-sendmail", dir);
	snprintf(out, sizeof out, "%s/got", dir);
	FILE *f = fopen(prog, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "#!/bin/sh\necho \"args: $*\" >%s\ncat >>%s\n[ \"$FAKE_FAIL\" ] && exit 75\nexit 0\n",
	        out, out);
	fclose(f);
	chmod(prog, 0755);
	setenv("CS_SENDMAIL", prog, 1);

	struct cs_error err = {0};
	static const char msg[] = "To: ann@example.com\n\nhello\n";
	CHECK_INT(mail_send(msg, sizeof msg - 1, &err), 0);
	f = fopen(out, "r");
	char got[256] = "";
	if (f) {
		size_t n = fread(got, 1, sizeof got - 1, f);
		got[n] = '\0';
		fclose(f);
	}
	CHECK_STR(got, "args: -t -oi\nTo: ann@example.com\n\nhello\n");

	setenv("FAKE_FAIL", "1", 1);
	CHECK_INT(mail_send(msg, sizeof msg - 1, &err), -1);
	CHECK(strstr(err.msg, "exited with status 75") != NULL);
	unsetenv("FAKE_FAIL");

	setenv("CS_SENDMAIL", "/nonexistent/sendmail", 1);
	CHECK_INT(mail_send(msg, sizeof msg - 1, &err), -1);
	CHECK(strstr(err.msg, "not found") != NULL);
	unsetenv("CS_SENDMAIL");

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

int
main(void)
{
	test_addresses();
	test_format();
	test_send();
	return unit_report("mail");
}
