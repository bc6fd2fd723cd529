/*
 * mail.c - compose a plain MIME message and hand it to sendmail(8).
 *
 * Parts go as 8bit text, lines ending in LF (the mail system writes CRLF
 * on the wire); a part with a line over RFC 5322's 998 octets or a NUL
 * byte goes as base64 instead.  The boundary is derived from the parts'
 * bytes and checked against them, so it never occurs inside one.
 */
#include "mail.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hash.h"

extern char **environ;

enum { MAIL_LINE_MAX = 998 };

bool
mail_address_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"(),:;<>[\\]", *p))
			return false;
	return true;
}

/* True if s is printable ASCII, so that it can stand in a header as it is. */
static bool
header_text_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p >= 0x7f)
			return false;
	return strlen(s) <= 900;
}

/* A file name that needs no quoting or encoding in Content-Disposition. */
static bool
filename_ok(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-", *p)))
			return false;
	return true;
}

/* A part needs base64 if it holds a NUL or a line too long for 8bit. */
static bool
needs_base64(const char *s, size_t n)
{
	size_t line = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0')
			return true;
		if (s[i] == '\n')
			line = 0;
		else if (++line > MAIL_LINE_MAX)
			return true;
	}
	return false;
}

static void
put_base64(struct buf *out, const unsigned char *s, size_t n)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char q[4] = {digits[v >> 18 & 63], digits[v >> 12 & 63],
		             i + 1 < n ? digits[v >> 6 & 63] : '=', i + 2 < n ? digits[v & 63] : '='};
		buf_append(out, q, 4);
		if ((col += 4) == 76) {
			buf_putc(out, '\n');
			col = 0;
		}
	}
	if (col)
		buf_putc(out, '\n');
}

/* The part's text with CRLF made LF, ending in LF (the mail system adds the CRs back). */
static void
put_text(struct buf *out, const char *s, size_t n)
{
	buf_reserve(out, n + 1);
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
			out->data[out->len++] = s[i];
	out->data[out->len] = '\0';
	if (out->len && out->data[out->len - 1] != '\n')
		buf_putc(out, '\n');
}

static bool
contains(const char *s, size_t n, const char *what)
{
	size_t m = strlen(what);
	for (size_t i = 0; i + m <= n; i++)
		if (s[i] == what[0] && memcmp(s + i, what, m) == 0)
			return true;
	return false;
}

/* A boundary that occurs in no part: the parts' hash, then a counter if it must. */
static void
make_boundary(const struct mail *m, char out[40])
{
	uint64_t h = HASH_FNV64_BASIS;
	for (size_t i = 0; i < m->nparts; i++)
		h = hash_fnv1a(m->parts[i].data, m->parts[i].len, h);
	for (unsigned k = 0;; k++) {
		snprintf(out, 40, "=_cs_%016llx_%u", (unsigned long long)h, k);
		bool clash = false;
		for (size_t i = 0; i < m->nparts && !clash; i++)
			clash = contains(m->parts[i].data, m->parts[i].len, out);
		if (!clash)
			return;
	}
}

static void
put_part_headers(struct buf *out, const struct mail_part *p, bool base64)
{
	buf_printf(out, "Content-Type: %s\n", p->type);
	buf_printf(out, "Content-Transfer-Encoding: %s\n", base64 ? "base64" : "8bit");
	if (p->filename)
		buf_printf(out, "Content-Disposition: attachment; filename=\"%s\"\n", p->filename);
}

static void
put_part_body(struct buf *out, const struct mail_part *p, bool base64)
{
	if (base64)
		put_base64(out, (const unsigned char *)p->data, p->len);
	else
		put_text(out, p->data, p->len);
}

int
mail_format(struct buf *out, const struct mail *m, struct cs_error *err)
{
	if (m->nparts == 0)
		return cs_error_set(err, NULL, 0, "mail to %s: nothing to send", m->to);
	if (!mail_address_ok(m->to))
		return cs_error_set(err, NULL, 0, "\"%s\" is not one plain e-mail address", m->to);
	if (m->from && !mail_address_ok(m->from))
		return cs_error_set(err, NULL, 0, "\"%s\" is not one plain e-mail address", m->from);
	if (!header_text_ok(m->subject))
		return cs_error_set(err, NULL, 0, "a subject must be printable ASCII");
	for (size_t i = 0; i < m->nparts; i++)
		if (!header_text_ok(m->parts[i].type) ||
		    (m->parts[i].filename && !filename_ok(m->parts[i].filename)))
			return cs_error_set(err, NULL, 0, "mail to %s: part %zu: bad type or file name",
			                    m->to, i + 1);
	if (m->from)
		buf_printf(out, "From: %s\n", m->from);
	buf_printf(out, "To: %s\nSubject: %s\nMIME-Version: 1.0\n", m->to, m->subject);
	if (m->nparts == 1 && !m->parts[0].filename) {
		bool b64 = needs_base64(m->parts[0].data, m->parts[0].len);
		put_part_headers(out, &m->parts[0], b64);
		buf_putc(out, '\n');
		put_part_body(out, &m->parts[0], b64);
		return 0;
	}
	char boundary[40];
	make_boundary(m, boundary);
	buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n", boundary);
	buf_puts(out, "This is a message in MIME format.\n");
	for (size_t i = 0; i < m->nparts; i++) {
		bool b64 = needs_base64(m->parts[i].data, m->parts[i].len);
		buf_printf(out, "\n--%s\n", boundary);
		put_part_headers(out, &m->parts[i], b64);
		buf_putc(out, '\n');
		put_part_body(out, &m->parts[i], b64);
	}
	buf_printf(out, "\n--%s--\n", boundary);
	return 0;
}

static int
not_found(const char *prog, struct cs_error *err)
{
	return cs_error_set(err, NULL, 0,
	                    "cannot run %s: not found (install a mail transfer agent, such as "
	                    "Debian's msmtp-mta or postfix, or set CS_SENDMAIL)",
	                    prog);
}

int
mail_send(const char *msg, size_t len, struct cs_error *err)
{
	const char *prog = getenv("CS_SENDMAIL");
	if (!prog || !*prog)
		prog = "sendmail";
	/*
	 * The message goes in through an unlinked temporary file rather than a
	 * pipe: a program that exits without reading it cannot kill us with
	 * SIGPIPE, and its exit status says what happened.
	 */
	struct buf path = {0};
	int fd = tmp_named("cs-mail", &path);
	if (fd < 0) {
		cs_error_set(err, tmp_dir(), 0, "cannot make a temporary file: %s", strerror(errno));
		buf_free(&path);
		return -1;
	}
	unlink(path.data);
	buf_free(&path);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, msg + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			cs_error_set(err, NULL, 0, "cannot write the message: %s", strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		cs_error_set(err, NULL, 0, "cannot rewind the message: %s", strerror(errno));
		close(fd);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 0);
	char *argv[] = {(char *)prog, "-t", "-oi", NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	/*
	 * POSIX lets posix_spawn report a failed exec either as ENOENT or as a
	 * child that exits 127 (glibc does the first, glibc under valgrind and
	 * older systems the second): both mean the program is not there.
	 */
	if (rc == ENOENT)
		return not_found(prog, err);
	if (rc != 0)
		return cs_error_set(err, NULL, 0, "cannot run %s: %s", prog, strerror(rc));
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cs_error_set(err, NULL, 0, "waiting for %s: %s", prog, strerror(errno));
	if (WIFSIGNALED(status))
		return cs_error_set(err, NULL, 0, "%s was killed by signal %d", prog,
		                    WTERMSIG(status));
	if (WEXITSTATUS(status) == 127)
		return not_found(prog, err);
	if (WEXITSTATUS(status) != 0)
		return cs_error_set(err, NULL, 0, "%s exited with status %d", prog,
		                    WEXITSTATUS(status));
	return 0;
}
