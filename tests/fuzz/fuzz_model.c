/*
 * fuzz_model.c - the model loader (lib/model.c): any bytes must load as a
 * model or fail with a message placed in the file, never crash or leak.
 *
 * The bytes are given to model_parse as they are (no NUL after them: the
 * contract is text[0..len)).  A model that loads is then used the way the
 * tools use it: bound to a header, every rule set matched against two
 * records, scored, summarised, its tiers and touches looked up.
 */
#include "fuzz.h"

#include "model.h"

static const char *const columns[] = {
    "id",    "name",  "kind",  "tier",         "revenue",  "assets", "referrals", "coi",
    "hours", "owner", "since", "last_contact", "birthday", "notes",  "score",     "Annual Fees",
};
static const char *const row1[] = {
    "c1",  "Ana Smith", "client",     "A",          "12500",      "900000", "3", "yes",
    "4.5", "ana",       "2019-04-01", "2026-10-01", "1980-11-26", "",       "",  "6000",
};
enum { NCOLUMNS = sizeof columns / sizeof *columns };

static void
use(struct model *m, const struct header *h, const struct record *recs, size_t nrecs)
{
	struct cs_error err = {0};
	const struct expr_env env = {.today = {2026, 11, 26}};
	if (model_bind(m, h, MODEL_BIND_ALL, &err) != 0) {
		FUZZ_CHECK(err.msg[0] != '\0', "a bind error without a message");
		/* Bind what binds: cs-tier binds the tiering rules alone. */
		if (model_bind(m, h, MODEL_BIND_TIERING, &err) != 0)
			return;
		for (size_t i = 0; i < nrecs; i++)
			(void)model_match_tier(m, &recs[i], &env);
		return;
	}
	for (size_t i = 0; i < nrecs; i++) {
		const struct rule *r = model_match_tier(m, &recs[i], &env);
		FUZZ_CHECK(!r || r->name, "a matching rule without a name");
		(void)model_match_removal(m, &recs[i], &env);
		(void)model_match_partner(m, &recs[i], &env);
		(void)model_score(m, &recs[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes on the heap, so ASan sees a read past the end. */
	char *text = malloc(size ? size : 1);
	if (!text)
		abort();
	if (size)
		memcpy(text, data, size);
	struct cs_error err = {0};
	struct model *m = model_parse(text, size, "fuzz.json", &err);
	free(text);
	if (!m) {
		FUZZ_CHECK(err.msg[0] != '\0', "model_parse failed without a message");
		FUZZ_CHECK(err.file && strcmp(err.file, "fuzz.json") == 0, "error not named");
		return 0;
	}
	FUZZ_CHECK(m->ntiers > 0, "a model without tiers loaded");
	for (size_t i = 0; i < m->ntiers; i++) {
		FUZZ_CHECK(m->tiers[i].ntouches > 0, "tier %s has no touches", m->tiers[i].name);
		FUZZ_CHECK(model_tier(m, m->tiers[i].name) != NULL, "tier %zu not found", i);
		FUZZ_CHECK(model_has_tier(m, m->tiers[i].name), "tier %zu not had", i);
		for (size_t k = 0; k < m->tiers[i].ntouches; k++) {
			const struct touch *t = &m->tiers[i].touches[k];
			FUZZ_CHECK(model_touch(&m->tiers[i], t->name) != NULL, "touch not found");
			FUZZ_CHECK(model_find_touch(m, m->tiers[i].name, t->name) != NULL,
			           "touch not found in any case");
			(void)touch_per_year(t);
		}
	}
	char list[256];
	model_tier_list(m, list, sizeof list);

	static FILE *devnull;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	model_summary(devnull, m);

	struct header *h = header_new();
	for (size_t i = 0; i < NCOLUMNS; i++)
		header_add(h, columns[i]);
	struct record recs[2] = {{0}, {0}};
	for (size_t i = 0; i < NCOLUMNS; i++) {
		record_push(&recs[0], row1[i], strlen(row1[i]));
		record_push(&recs[1], "", 0);
	}
	use(m, h, recs, 2);

	/* cs-tier --rule: the tiering rules replaced, bound again. */
	const char *specs[] = {m->tiers[0].name};
	if (model_set_tiering(m, specs, 1, &err) == 0)
		use(m, h, recs, 2);

	record_free(&recs[0]);
	record_free(&recs[1]);
	header_free(h);
	model_free(m);
	return 0;
}
