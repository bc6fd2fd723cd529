/*
 * test_vcard.c - unit tests for lib/vcard.c: line ends (LF, CRLF, CR CR LF,
 * CR), company cards, the choice of phone and address, notes and related
 * names, and the header the importer maps.
 *
 * A file is read through vcard_reader as cs-import reads it, and each card is
 * shown as text: its non-empty fields as "column=value" joined by " | ",
 * cards joined by " / ", a card that is not readable as "!" and the message.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "synonyms.h"
#include "unit.h"
#include "vcard.h"

static char path[512];

static void
write_file(const char *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

/* The cards of bytes[0..len), as text; only the columns named in only (NULL: all). */
static const char *
cards_n(const char *bytes, size_t len, const char *const *only)
{
	static struct buf shown;
	buf_reset(&shown);
	write_file(bytes, len);
	struct cs_error err = {0};
	struct input *in = input_open(path, NULL, &err);
	if (!in) {
		buf_printf(&shown, "!%s", err.msg);
		return buf_str(&shown);
	}
	struct vcard_reader *r = vcard_reader_new(in, NULL, NULL);
	const struct header *h = vcard_reader_header(r);
	struct record rec = {0};
	int got;
	while ((got = vcard_reader_next(r, &rec, &err)) > 0) {
		if (shown.len)
			buf_puts(&shown, " / ");
		if (got == VCARD_BAD) {
			buf_printf(&shown, "!%s", err.msg);
			continue;
		}
		bool first = true;
		for (size_t i = 0; i < rec.n; i++) {
			size_t n;
			const char *v = record_get(&rec, i, &n);
			bool wanted = !only;
			for (size_t k = 0; only && only[k]; k++)
				wanted = wanted || strcmp(only[k], h->names[i]) == 0;
			if (!n || !wanted)
				continue;
			buf_printf(&shown, "%s%s=%s", first ? "" : " | ", h->names[i], v);
			first = false;
		}
	}
	if (got < 0)
		buf_printf(&shown, " !%s", err.msg);
	record_free(&rec);
	vcard_reader_free(r);
	return buf_str(&shown);
}

static const char *
cards(const char *text)
{
	return cards_n(text, strlen(text), NULL);
}

/* Only some columns. */
#define CARDS(text, ...) cards_n((text), strlen(text), (const char *const[]){__VA_ARGS__, NULL})

/* text with each "\n" made eol. */
static const char *
with_eol(const char *text, const char *eol)
{
	static struct buf out;
	buf_reset(&out);
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			buf_puts(&out, eol);
		else
			buf_putc(&out, *p);
	}
	return buf_str(&out);
}

static void
test_line_ends(void)
{
	/* A fold, a quoted-printable soft break and a blank line between cards. */
	const char *lf = "BEGIN:VCARD\nVERSION:3.0\nN:Santos;Maria;;;\nFN:Maria Santos\n"
	                 "NOTE:Annual review\n  in April\nEND:VCARD\n\nBEGIN:VCARD\nVERSION:2.1\n"
	                 "FN;ENCODING=QUOTED-PRINTABLE:Jo=C3=A3o =\nCosta\nTEL;CELL:+351 1\n"
	                 "END:VCARD\n";
	const char *want = "name=Maria Santos | first_name=Maria | last_name=Santos | notes=Annual "
	                   "review in April / name=João Costa | phone=+351 1";
	CHECK_STR(cards(lf), want);
	CHECK_STR(cards(with_eol(lf, "\r\n")), want);
	/* An iPhone card that passed through Windows mail. */
	CHECK_STR(cards(with_eol(lf, "\r\r\n")), want);
	/* Old Mac OS. */
	CHECK_STR(cards(with_eol(lf, "\r")), want);
	/* Line ends of each kind in one file: the first decides whether a lone CR ends a line. */
	CHECK_STR(cards("BEGIN:VCARD\r\r\nFN:Ana\r\nEND:VCARD\n"), "name=Ana");
	CHECK_STR(cards("BEGIN:VCARD\rFN:Ana\r\nNOTE:a\nEND:VCARD\r"), "name=Ana | notes=a");
	/* In an LF file, a CR inside a line is the value's (the importer makes it a line break). */
	CHECK_STR(CARDS("BEGIN:VCARD\nFN:Ana\nNOTE:one\rtwo\nEND:VCARD\n", "notes"),
	          "notes=one\rtwo");
	/* No line end at the end of the file, with or without CRs. */
	CHECK_STR(cards("BEGIN:VCARD\r\r\nFN:Ana\r\r\nEND:VCARD"), "name=Ana");
	CHECK_STR(cards("BEGIN:VCARD\r\r\nFN:Ana\r\r\nEND:VCARD\r\r"), "name=Ana");
	CHECK_STR(cards("BEGIN:VCARD\rFN:Ana\rEND:VCARD\r\r\r"), "name=Ana");
	/* In a CR file, CR CR is an empty line, and a fold after it is no fold. */
	CHECK_STR(cards("BEGIN:VCARD\rFN:Ana\r\r Silva\rEND:VCARD\r"), "name=Ana");

	/* A card that does not end is handed back with its line ends as they were. */
	const char *bad = "BEGIN:VCARD\r\r\nFN:Ana\r\r\n";
	write_file(bad, strlen(bad));
	struct cs_error err = {0};
	struct vcard_reader *r = vcard_reader_new(input_open(path, NULL, &err), NULL, NULL);
	struct record rec = {0};
	CHECK_INT(vcard_reader_next(r, &rec, &err), VCARD_BAD);
	size_t len;
	const char *raw = vcard_reader_raw(r, &len);
	CHECK(len == strlen(bad) && memcmp(raw, bad, len) == 0);
	CHECK_INT(vcard_reader_next(r, &rec, &err), 0);
	record_free(&rec);
	vcard_reader_free(r);
}

/* A run of CRs, or CR and LF, across the reader's refills of its buffer. */
static void
test_line_ends_at_chunk(void)
{
	struct buf text = {0}, want = {0};
	for (size_t shift = 0; shift < 4; shift++) {
		buf_reset(&text);
		buf_puts(&text, "BEGIN:VCARD\r\r\nFN:Ana\r\r\nNOTE:");
		while (text.len < INPUT_CHUNK - shift)
			buf_putc(&text, 'x');
		size_t note = text.len - strlen("BEGIN:VCARD\r\r\nFN:Ana\r\r\nNOTE:");
		buf_puts(&text, "\r\r\nEND:VCARD\r\r\n");
		buf_reset(&want);
		buf_puts(&want, "name=Ana | notes=");
		for (size_t i = 0; i < note; i++)
			buf_putc(&want, 'x');
		CHECK_STR(
		    cards_n(text.data, text.len, (const char *const[]){"name", "notes", NULL}),
		    want.data);
		/* The same in a CR file. */
		buf_reset(&text);
		buf_puts(&text, "BEGIN:VCARD\rFN:Ana\rNOTE:");
		while (text.len < INPUT_CHUNK - shift)
			buf_putc(&text, 'x');
		note = text.len - strlen("BEGIN:VCARD\rFN:Ana\rNOTE:");
		buf_puts(&text, "\rEND:VCARD\r");
		buf_reset(&want);
		buf_puts(&want, "name=Ana | notes=");
		for (size_t i = 0; i < note; i++)
			buf_putc(&want, 'x');
		CHECK_STR(
		    cards_n(text.data, text.len, (const char *const[]){"name", "notes", NULL}),
		    want.data);
	}
	buf_free(&text);
	buf_free(&want);
}

static void
test_company(void)
{
	/* Apple's company card. */
	CHECK_STR(cards("BEGIN:VCARD\nN:;;;;\nFN:Apple Computer\nORG:Apple Computer;\n"
	                "X-ABShowAs:COMPANY\nEND:VCARD\n"),
	          "name=Apple Computer | company=Apple Computer");
	/* iCloud's, with an empty FN. */
	CHECK_STR(cards("BEGIN:VCARD\nN:;;;;\nFN:\nORG:Clínica do Rossio;\nX-ABShowAs:COMPANY\n"
	                "END:VCARD\n"),
	          "name=Clínica do Rossio | company=Clínica do Rossio");
	/* Marked a company, with a person's name: the person is the company's contact. */
	CHECK_STR(cards("BEGIN:VCARD\nN:Whitaker;Laura;;;\nFN:Laura Whitaker\nORG:Whitaker "
	                "Office;Investments\nNOTE:Met in 2019.\nX-ABShowAs:COMPANY\nEND:VCARD\n"),
	          "name=Whitaker Office | company=Whitaker Office | notes=Met in 2019.\ncontact: "
	          "Laura Whitaker");
	CHECK_STR(cards("BEGIN:VCARD\nN:Whitaker;Laura;;;\nFN:Whitaker Office\nORG:Whitaker "
	                "Office\nX-ABShowAs:company\nEND:VCARD\n"),
	          "name=Whitaker Office | company=Whitaker Office | notes=contact: Laura Whitaker");
	/* No mark: an empty N with an ORG that FN repeats (in any case), or no FN. */
	CHECK_STR(cards("BEGIN:VCARD\nN:;;;;\nFN:lisbon yacht club\nORG:Lisbon Yacht Club;\n"
	                "END:VCARD\n"),
	          "name=Lisbon Yacht Club | company=Lisbon Yacht Club");
	CHECK_STR(cards("BEGIN:VCARD\nVERSION:2.1\nORG:Northwind Traders\nEND:VCARD\n"),
	          "name=Northwind Traders | company=Northwind Traders");
	/* vCard 4's KIND:org, which may name the company in FN only. */
	CHECK_STR(cards("BEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:Bellweather Brokers\nEND:VCARD\n"),
	          "name=Bellweather Brokers | company=Bellweather Brokers");
	/* People: a named N, or an FN that is not the ORG. */
	CHECK_STR(
	    cards("BEGIN:VCARD\nN:Ferreira;Rui;;;\nFN:Rui Ferreira\nORG:Apple Computer;\n"
	          "END:VCARD\n"),
	    "name=Rui Ferreira | first_name=Rui | last_name=Ferreira | company=Apple Computer");
	CHECK_STR(cards("BEGIN:VCARD\nN:;;;;\nFN:Rui Ferreira\nORG:Apple Computer\nEND:VCARD\n"),
	          "name=Rui Ferreira | company=Apple Computer");
	/* A mark with no company and no FN changes nothing. */
	CHECK_STR(cards("BEGIN:VCARD\nN:Silva;Ana;;;\nX-ABShowAs:COMPANY\nEND:VCARD\n"),
	          "first_name=Ana | last_name=Silva");
}

static void
test_phones(void)
{
#define PHONES(body) CARDS("BEGIN:VCARD\nFN:X\n" body "END:VCARD\n", "phone", "Other Phones")
	/* Mobile first, whatever the order; then home or work; then the rest. */
	CHECK_STR(PHONES("TEL:1\nTEL;TYPE=HOME:2\nTEL;TYPE=CELL:3\n"),
	          "phone=3 | Other Phones=1, 2");
	CHECK_STR(PHONES("TEL:1\nTEL;type=WORK;type=VOICE:2\n"), "phone=2 | Other Phones=1");
	CHECK_STR(PHONES("TEL;TYPE=VOICE:1\nTEL;TYPE=MAIN:2\n"), "phone=2 | Other Phones=1");
	CHECK_STR(PHONES("TEL;type=IPHONE:1\nTEL;type=HOME;type=pref:2\n"),
	          "phone=1 | Other Phones=2");
	/* Never a fax or a pager: vCard 3.0, 2.1's bare words, 4.0's quoted list. */
	CHECK_STR(PHONES("TEL;TYPE=WORK;TYPE=FAX:1\nTEL;TYPE=PAGER:2\nTEL:3\n"),
	          "phone=3 | Other Phones=1 (fax), 2 (pager)");
	CHECK_STR(PHONES("TEL;FAX;HOME:1\nTEL;PAGER:2\nTEL;VOICE:3\n"),
	          "phone=3 | Other Phones=1 (fax), 2 (pager)");
	CHECK_STR(PHONES("TEL;WORK;FAX:1\nTEL;PAGER;VOICE:2\nTEL;WORK;VOICE:3\n"),
	          "phone=3 | Other Phones=1 (fax), 2 (pager)");
	CHECK_STR(PHONES("TEL;TYPE=\"fax\";VALUE=uri:tel:+1-555\nTEL;TYPE=\"cell,fax\":2\nTEL;TYPE="
	                 "\"voice,home\":tel:3\n"),
	          "phone=3 | Other Phones=+1-555 (fax), 2 (fax)");
	CHECK_STR(PHONES("TEL;TYPE=fax,work;PREF=1:1\n"), "Other Phones=1 (fax)");
	/* Apple's labels: a custom "Work Fax" is a fax; "Office" a number like any. */
	CHECK_STR(PHONES("item1.TEL;type=pref:1\nitem1.X-ABLabel:Work Fax\nitem2.TEL:2\n"
	                 "item2.X-ABLabel:_$!<Mobile>!$_\nitem3.TEL:3\nitem3.X-ABLabel:Office\n"),
	          "phone=2 | Other Phones=1 (fax), 3");
	CHECK_STR(PHONES("item1.TEL:1\nitem1.X-ABLabel:_$!<Pager>!$_\nTEL:2\n"),
	          "phone=2 | Other Phones=1 (pager)");
	/* pref breaks a tie within a class, never across classes; PREF=1 before PREF=2. */
	CHECK_STR(PHONES("TEL;TYPE=HOME:1\nTEL;TYPE=WORK;TYPE=pref:2\n"),
	          "phone=2 | Other Phones=1");
	CHECK_STR(PHONES("TEL;TYPE=HOME;TYPE=pref:1\nTEL;TYPE=CELL:2\n"),
	          "phone=2 | Other Phones=1");
	CHECK_STR(PHONES("TEL;TYPE=cell;PREF=2:1\nTEL;TYPE=cell;PREF=1:2\nTEL;TYPE=cell:3\n"),
	          "phone=2 | Other Phones=1, 3");
	CHECK_STR(PHONES("TEL;CELL:1\nTEL;CELL;PREF:2\n"), "phone=2 | Other Phones=1");
	/* TEXT (a number that takes SMS) is a number like any. */
	CHECK_STR(PHONES("TEL;TYPE=TEXT:1\n"), "phone=1");
#undef PHONES
	/* Emails: the first of the best PREF. */
	CHECK_STR(CARDS("BEGIN:VCARD\nFN:X\nEMAIL:a@x\nEMAIL;PREF=2:b@x\nEMAIL;PREF=1:c@x\n"
	                "END:VCARD\n",
	                "email", "Other Emails"),
	          "email=c@x | Other Emails=a@x, b@x");
}

static void
test_notes_and_related(void)
{
	/* Every NOTE, a quoted-printable one broken over lines included; blank ones dropped. */
	CHECK_STR(CARDS("BEGIN:VCARD\nVERSION:2.1\nFN:X\nNOTE:First\\n\nNOTE:\n"
	                "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Reuni=C3=A3o=0A=\nem maio.\n"
	                "END:VCARD\n",
	                "notes"),
	          "notes=First\nReunião\nem maio.");
	/* A soft break before a blank: the blank is the value's. */
	CHECK_STR(CARDS("BEGIN:VCARD\nFN:X\nNOTE;ENCODING=QUOTED-PRINTABLE:house sale=\n before "
	                "May.\nEND:VCARD\n",
	                "notes"),
	          "notes=house sale before May.");
	/* Apple's related names: the spouse or partner first named is spouse, the rest notes. */
	CHECK_STR(
	    CARDS("BEGIN:VCARD\nFN:X\nNOTE:n\nitem1.X-ABRELATEDNAMES;type=pref:Ewa\n"
	          "item1.X-ABLabel:_$!<Spouse>!$_\nitem2.X-ABRELATEDNAMES:Zofia\n"
	          "item2.X-ABLabel:_$!<Child>!$_\nitem3.X-ABRELATEDNAMES:Marek\n"
	          "item3.X-ABLabel:Godfather\nitem4.X-ABRELATEDNAMES:Camille\n"
	          "item5.X-ABLabel:_$!<Partner>!$_\nitem5.X-ABRELATEDNAMES:Julien\n"
	          "END:VCARD\n",
	          "spouse", "notes"),
	    "spouse=Ewa | notes=n\nrelated (child): Zofia\nrelated (Godfather): Marek\nrelated: "
	    "Camille\nrelated (partner): Julien");
	CHECK_STR(CARDS("BEGIN:VCARD\nFN:X\nitem1.X-ABRELATEDNAMES:Julien\nitem1.X-ABLabel:_$!<"
	                "Partner>!$_\nEND:VCARD\n",
	                "spouse", "notes"),
	          "spouse=Julien");
	CHECK_STR(CARDS("BEGIN:VCARD\nFN:X\nitem1.X-ABRELATEDNAMES:Tom\nitem1.X-ABLabel:husband\n"
	                "END:VCARD\n",
	                "spouse", "notes"),
	          "spouse=Tom");
	/* vCard 4's RELATED: a text value is a name; a URI is no spouse, but is kept. */
	CHECK_STR(
	    CARDS("BEGIN:VCARD\nFN:X\nRELATED;TYPE=spouse:urn:uuid:f81d4fae\n"
	          "RELATED;TYPE=SPOUSE;VALUE=text:Luca\nRELATED;TYPE=child;VALUE=text:Giulia\n"
	          "RELATED;TYPE=co-worker,colleague:Anna Greco\nEND:VCARD\n",
	          "spouse", "notes"),
	    "spouse=Luca | notes=related (spouse): urn:uuid:f81d4fae\nrelated (child): "
	    "Giulia\nrelated (co-worker, colleague): Anna Greco");
	/* Outlook's and Android's. */
	CHECK_STR(CARDS("BEGIN:VCARD\nFN:X\nX-MS-SPOUSE;N:Thomas\nX-MS-CHILD;N:Olivia\n"
	                "X-MS-MANAGER;N:Harold\nEND:VCARD\n",
	                "spouse", "notes"),
	          "spouse=Thomas | notes=related (child): Olivia\nrelated (manager): Harold");
	CHECK_STR(
	    CARDS("BEGIN:VCARD\nFN:X\n"
	          "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Pedro;14;;;;;;;;;;;;;\n"
	          "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Tiago;3;;;;;;;;;;;;;\n"
	          "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Paulo;0;Contabilista;;;\n"
	          "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Rosa;99;;;\n"
	          "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Bia;1;;;;;;;;;;;;;\n"
	          "END:VCARD\n",
	          "spouse", "notes"),
	    "spouse=Pedro | notes=related (child): Tiago\nrelated (Contabilista): "
	    "Paulo\nrelated: Rosa");
	/* A related name on several lines is one line. */
	CHECK_STR(CARDS("BEGIN:VCARD\nFN:X\nX-ABRELATEDNAMES:Ana\\nSilva\nEND:VCARD\n", "notes"),
	          "notes=related: Ana, Silva");
}

static void
test_addresses(void)
{
#define ADDRESS(body)                                                                              \
	CARDS("BEGIN:VCARD\nFN:X\n" body "END:VCARD\n", "street", "city", "postcode", "region",    \
	      "country", "Other Addresses")
	CHECK_STR(ADDRESS("ADR;TYPE=HOME:;;1 Main St;Springfield;IL;62701;USA\n"),
	          "street=1 Main St | city=Springfield | postcode=62701 | region=IL | country=USA");
	/* Home before work, whatever the order; the extended address after the street. */
	CHECK_STR(ADDRESS("ADR;TYPE=WORK:;;200 Park Ave;New York;NY;10166;US\n"
	                  "ADR;TYPE=HOME:;Apt 4B;350 W 57th St;New York;NY;10019;US\n"),
	          "street=350 W 57th St, Apt 4B | city=New York | postcode=10019 | region=NY | "
	          "country=US | Other Addresses=work: 200 Park Ave, New York, NY, 10166, US");
	/* A preferred one as a home one; within the class, PREF decides. */
	CHECK_STR(ADDRESS("ADR;HOME:;;a;A;;;\nADR;WORK;PREF:;;b;B;;;\n"),
	          "street=b | city=B | Other Addresses=home: a, A");
	CHECK_STR(ADDRESS("ADR;TYPE=home:;;a;A;;;\nADR;TYPE=work;PREF=1:;;b;B;;;\n"),
	          "street=b | city=B | Other Addresses=home: a, A");
	/* Work before an untyped one; else the first. */
	CHECK_STR(ADDRESS("ADR:;;a;A;;;\nADR;TYPE=WORK:;;b;B;;;\n"),
	          "street=b | city=B | Other Addresses=a, A");
	CHECK_STR(ADDRESS("ADR:;;a;A;;;\nitem1.ADR:;;b;B;;;\nitem1.X-ABLabel:Summer house\n"),
	          "street=a | city=A | Other Addresses=Summer house: b, B");
	/* Streets on several lines, escaped or quoted-printable; a post-office box. */
	CHECK_STR(ADDRESS("ADR;TYPE=HOME:;;Rua das Flores 12\\n2º Dto;Porto;;4050-262;Portugal\n"),
	          "street=Rua das Flores 12, 2º Dto | city=Porto | postcode=4050-262 | "
	          "country=Portugal");
	CHECK_STR(ADDRESS("ADR;HOME;ENCODING=QUOTED-PRINTABLE:;;1420 Lake Shore Dr=0D=0A  Apt 9B "
	                  "=0D=0A;Chicago;IL;60610;USA\n"),
	          "street=1420 Lake Shore Dr, Apt 9B | city=Chicago | postcode=60610 | region=IL | "
	          "country=USA");
	CHECK_STR(ADDRESS("ADR;TYPE=HOME:42;;;Springfield;IL;62701;US\n"),
	          "street=PO Box 42 | city=Springfield | postcode=62701 | region=IL | country=US");
	CHECK_STR(ADDRESS("ADR;TYPE=HOME:Apartado 17;;Rua A 1;Faro;;;\n"),
	          "street=Rua A 1, Apartado 17 | city=Faro");
	/* An escaped comma stays; an empty ADR is none. */
	CHECK_STR(ADDRESS("ADR:;;;;;;\nADR:;;Praia\\, Lote 7;Portimão;;;\n"),
	          "street=Praia, Lote 7 | city=Portimão");
	/* A quoted LABEL parameter, colon and all. */
	CHECK_STR(ADDRESS("ADR;TYPE=home;LABEL=\"Via Roma 12\\nMilano: centro\":;;Via Roma "
	                  "12;Milano;MI;20121;Italia\n"),
	          "street=Via Roma 12 | city=Milano | postcode=20121 | region=MI | country=Italia");
#undef ADDRESS
}

/* CHARSET converts the bytes quoted-printable hides; the file's own bytes are the input's. */
static void
test_charset(void)
{
	CHECK_STR(
	    CARDS("BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:"
	          "H=E9l=E8ne\nNOTE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:caf=E9\n"
	          "X-MS-SPOUSE;N;CHARSET=windows-1252;ENCODING=QUOTED-PRINTABLE:Andr=E9 =80\n"
	          "END:VCARD\n",
	          "name", "spouse", "notes"),
	    "name=Hélène | spouse=André € | notes=café");
	CHECK_STR(CARDS("BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
	                "H=C3=A9l=C3=A8ne\nEND:VCARD\n",
	                "name"),
	          "name=Hélène");
	/* Not quoted-printable: the bytes are the file's, already UTF-8. */
	CHECK_STR(
	    CARDS("BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1:Hélène\nEND:VCARD\n", "name"),
	    "name=Hélène");
	/* A charset iconv does not know leaves the bytes: the card is refused, not garbled. */
	CHECK_STR(cards("BEGIN:VCARD\nFN;CHARSET=X-NO-SUCH;ENCODING=QUOTED-PRINTABLE:H=E9\n"
	                "END:VCARD\nBEGIN:VCARD\nFN:Ana\nEND:VCARD\n"),
	          "!the card's name holds bytes that are not UTF-8 / name=Ana");
}

/* A NUL byte in a value kept in a list (phones, addresses, labels...) refuses the card. */
static void
test_nul(void)
{
	static const char *const bodies[] = {
	    "TEL;ENCODING=QUOTED-PRINTABLE:+1=00555\n",
	    "ADR;ENCODING=QUOTED-PRINTABLE:;;Rua=00 A;Faro;;;\n",
	    "item1.X-ABRELATEDNAMES;ENCODING=QUOTED-PRINTABLE:Ana=00\n",
	    "item1.TEL:1\nitem1.X-ABLabel;ENCODING=QUOTED-PRINTABLE:Work=00 Fax\n",
	    "EMAIL;ENCODING=QUOTED-PRINTABLE:a=00@x\n",
	};
	static const char *const said[] = {"phone", "address", "related names", "labels", "email"};
	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		struct buf text = {0}, want = {0};
		buf_printf(&text,
		           "BEGIN:VCARD\nFN:X\n%sEND:VCARD\nBEGIN:VCARD\nFN:Ana\nEND:VCARD\n",
		           bodies[i]);
		buf_printf(&want, "!the card's %s holds a NUL byte / name=Ana", said[i]);
		CHECK_STR(cards(text.data), want.data);
		buf_free(&text);
		buf_free(&want);
	}
	/* Raw, in an Apple date's line. */
	const char dated[] = "BEGIN:VCARD\nFN:X\nitem1.X-ABDATE:2020\0-01-01\nEND:VCARD\n";
	CHECK_STR(cards_n(dated, sizeof dated - 1, NULL),
	          "!the card's Other Dates holds a NUL byte");
}

/* What the importer makes of the reader's header. */
static void
test_header(void)
{
	write_file("", 0);
	struct cs_error err = {0};
	struct vcard_reader *r = vcard_reader_new(input_open(path, NULL, &err), NULL, NULL);
	const struct header *h = vcard_reader_header(r);
	struct buf shown = {0};
	for (size_t i = 0; i < h->n; i++) {
		struct header_meaning m;
		enum header_role role = synonyms_match_header(h->names[i], &m);
		buf_printf(&shown, "%s%s:%s", i ? " " : "", h->names[i],
		           role == HEADER_FIELD      ? schema_name(m.field)
		           : role == HEADER_LABELLED ? "labelled"
		           : role == HEADER_TAGS     ? "tags"
		                                     : "kept");
	}
	CHECK_STR(buf_str(&shown),
	          "name:name first_name:first_name last_name:last_name email:email phone:phone "
	          "company:company street:street city:city postcode:postcode region:region "
	          "country:country spouse:spouse birthday:birthday anniversary:anniversary "
	          "notes:notes Job Title:kept Other Emails:kept Other Phones:kept Other "
	          "Addresses:kept Other Dates:labelled Categories:tags");
	buf_free(&shown);
	vcard_reader_free(r);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/test_vcard.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	close(fd);
	test_line_ends();
	test_line_ends_at_chunk();
	test_company();
	test_phones();
	test_notes_and_related();
	test_addresses();
	test_charset();
	test_nul();
	test_header();
	unlink(path);
	return unit_report("vcard");
}
