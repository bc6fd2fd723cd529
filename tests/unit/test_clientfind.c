/*
 * test_clientfind.c - finding clients by id, email or name
 * (clientfind_*), and the name folding it stands on (utf8_namefold).
 */
#include <stdlib.h>
#include <string.h>

#include "clientfind.h"
#include "record.h"
#include "unit.h"
#include "utf8.h"

static const char *const book[][7] = {
    /* id, name, first_name, last_name, email, owner, tier */
    {"t01", "Ana Silva", "Ana", "Silva", "ana.silva@example.com", "ana", "A"},
    {"t02", "Zoë Åström", "Zoë", "Åström", "zoe@example.com", "ana", "B"},
    {"t03", "", "Bob", "Brown", "", "ben", "A"},
    {"007", "Søren Kierkegaard", "", "", "soren@example.com", "ben", "C"},
    {"t05", "Ana Silva", "", "", "ana2@example.com", "ben", "B"},
    {"t06", "Cy Twin", "", "", "", "", "A"},
    {"Cy Twin", "Dee Later", "", "", "", "ben", "A"},
};
enum { NBOOK = sizeof book / sizeof book[0] };

/* Stream the book past cf; returns how many records clientfind_record said matched. */
static int
run(struct clientfind *cf)
{
	struct header *h = header_new();
	const char *cols[] = {"id", "name", "first_name", "last_name", "email", "owner", "tier"};
	for (size_t c = 0; c < 7; c++)
		header_add(h, cols[c]);
	struct cs_error err;
	CHECK_INT(clientfind_bind(cf, h, "book.csv", &err), 0);
	struct record rec;
	record_init(&rec);
	int hits = 0;
	for (size_t i = 0; i < NBOOK; i++) {
		record_clear(&rec);
		for (size_t c = 0; c < 7; c++)
			record_push(&rec, book[i][c], strlen(book[i][c]));
		rec.row = (long)i + 2;
		hits += clientfind_record(cf, &rec);
	}
	record_free(&rec);
	header_free(h);
	return hits;
}

/* The id the reference names alone, or "" when it names none or several. */
static const char *
unique(const struct clientfind *cf, size_t q)
{
	const struct clientfind_answer *a = clientfind_answer(cf, q);
	return a->n == 1 ? a->match[0].id : "";
}

static void
test_namefold(void)
{
	struct casefold cf = {0};
	size_t len;
	CHECK_STR(utf8_namefold(&cf, "Élise Åström", strlen("Élise Åström"), &len), "elise astrom");
	CHECK_STR(utf8_namefold(&cf, "ZOË", 4, &len), "zoe");
	CHECK_STR(utf8_namefold(&cf, "Søren Łódź", strlen("Søren Łódź"), &len), "soren lodz");
	CHECK_STR(utf8_namefold(&cf, "Straße", strlen("Straße"), &len), "strasse");
	CHECK_STR(utf8_namefold(&cf, "e\xcc\x81", 3, &len), "e"); /* e + combining acute */
	CHECK_STR(utf8_namefold(&cf, "王芳", strlen("王芳"), &len), "王芳");
	CHECK_STR(utf8_namefold(&cf, "Plain ASCII", 11, &len), "plain ascii");
	/* casefold keeps the accents: the two differ only there */
	CHECK_STR(utf8_casefold(&cf, "Åström", strlen("Åström"), &len), "åström");
	utf8_casefold_free(&cf);
}

static void
test_kinds(void)
{
	struct clientfind *cf = clientfind_new(false);
	size_t by_id = clientfind_add(cf, " t01 ");
	size_t by_email = clientfind_add(cf, "ZOE@Example.COM");
	size_t by_name = clientfind_add(cf, "zoe astrom");
	size_t by_parts = clientfind_add(cf, "bob  BROWN");
	size_t swapped = clientfind_add(cf, "Brown, Bob");
	size_t stroke = clientfind_add(cf, "soren kierkegaard");
	size_t same = clientfind_add(cf, "t01");
	CHECK_INT(same, by_id); /* the same reference, one handle */
	run(cf);
	CHECK_STR(unique(cf, by_id), "t01");
	CHECK_INT(clientfind_answer(cf, by_id)->by, CLIENTFIND_ID);
	CHECK_STR(unique(cf, by_email), "t02");
	CHECK_INT(clientfind_answer(cf, by_email)->by, CLIENTFIND_EMAIL);
	CHECK_STR(unique(cf, by_name), "t02");
	CHECK_INT(clientfind_answer(cf, by_name)->by, CLIENTFIND_NAME);
	CHECK_STR(unique(cf, by_parts), "t03");
	CHECK_STR(clientfind_answer(cf, by_parts)->match[0].name, "Bob Brown");
	CHECK_STR(clientfind_answer(cf, by_parts)->match[0].tier, "A");
	CHECK_INT(clientfind_answer(cf, by_parts)->match[0].row, 4);
	CHECK_STR(unique(cf, swapped), "t03");
	CHECK_STR(unique(cf, stroke), "007");
	clientfind_free(cf);
}

static void
test_ambiguous_and_order(void)
{
	struct clientfind *cf = clientfind_new(true);
	size_t two = clientfind_add(cf, "ana silva");
	/* "Cy Twin" is t06's name and another client's id: the id wins. */
	size_t id_first = clientfind_add(cf, "Cy Twin");
	size_t seven = clientfind_add(cf, "7");
	run(cf);
	const struct clientfind_answer *a = clientfind_answer(cf, two);
	CHECK_INT(a->n, 2);
	CHECK_STR(a->match[0].id, "t01");
	CHECK_STR(a->match[1].id, "t05");
	CHECK_STR(a->match[1].owner, "ben");
	char msg[512];
	clientfind_explain(a, "book.csv", msg, sizeof msg);
	CHECK_STR(msg, "\"ana silva\": 2 clients in book.csv have this name; give the id or the "
	               "email to say which:\n"
	               "  t01  Ana Silva  ana.silva@example.com  owner ana\n"
	               "  t05  Ana Silva  ana2@example.com  owner ben");
	a = clientfind_answer(cf, id_first);
	CHECK_INT(a->n, 1);
	CHECK_INT(a->by, CLIENTFIND_ID);
	CHECK_STR(a->match[0].name, "Dee Later");
	/* keep_records: the matching record and its header */
	CHECK(a->header != NULL);
	CHECK_STR(record_get(&a->record, 1, NULL), "Dee Later");
	clientfind_explain(a, "book.csv", msg, sizeof msg);
	CHECK_STR(msg, "");
	/* ids match byte for byte: 7 is not 007, but 007 is the suggestion */
	a = clientfind_answer(cf, seven);
	CHECK_INT(a->n, 0);
	CHECK_INT(a->nnear, 1);
	CHECK_STR(a->near[0].id, "007");
	CHECK_INT(a->near_distance[0], 0);
	clientfind_free(cf);
}

static void
test_suggestions(void)
{
	struct clientfind *cf = clientfind_new(false);
	size_t typo = clientfind_add(cf, "Ana Silvia");
	size_t word = clientfind_add(cf, "kierkegaard");
	size_t email = clientfind_add(cf, "zoe@exmple.com");
	size_t none = clientfind_add(cf, "Xavier Quux");
	run(cf);
	const struct clientfind_answer *a = clientfind_answer(cf, typo);
	CHECK_INT(a->n, 0);
	CHECK_INT(a->nnear, 2);
	CHECK_STR(a->near[0].id, "t01");
	CHECK_STR(a->near[1].id, "t05");
	char msg[512];
	clientfind_explain(a, "book.csv", msg, sizeof msg);
	CHECK_STR(msg, "\"Ana Silvia\": no client in book.csv has this id, email or name; did you "
	               "mean \"Ana Silva\" (t01) or \"Ana Silva\" (t05)?");
	a = clientfind_answer(cf, word);
	CHECK_INT(a->nnear, 1);
	CHECK_STR(a->near[0].id, "007");
	a = clientfind_answer(cf, email);
	CHECK(a->nnear >= 1); /* closest first */
	CHECK_STR(a->near[0].id, "t02");
	CHECK_INT(a->near_distance[0], 1);
	a = clientfind_answer(cf, none);
	CHECK_INT(a->nnear, 0);
	clientfind_explain(a, "book.csv", msg, sizeof msg);
	CHECK_STR(msg, "\"Xavier Quux\": no client in book.csv has this id, email or name");
	clientfind_free(cf);
}

static void
test_no_id_column(void)
{
	struct clientfind *cf = clientfind_new(false);
	struct header *h = header_new();
	header_add(h, "name");
	struct cs_error err;
	CHECK_INT(clientfind_bind(cf, h, "book.csv", &err), -1);
	CHECK_STR(err.file, "book.csv");
	header_free(h);
	clientfind_free(cf);
}

int
main(void)
{
	test_namefold();
	test_kinds();
	test_ambiguous_and_order();
	test_suggestions();
	test_no_id_column();
	return unit_report("clientfind");
}
