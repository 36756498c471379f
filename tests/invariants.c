/*
 * Invariants over whole trees (the bundled corpus, the golden inputs):
 *
 *   invariants ROOT...
 *
 * For every .py file and every operator: each mutant re-parses without
 * ERROR or MISSING nodes, differs from its input only inside its edits, and
 * a second run gives the same sites, ids and bytes; the table of node types
 * the parse checks use says what every node's type name says.  Prints one
 * line per failure and "N passed, M failed" at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakmut/leakmut.h"
#include "source_int.h"

typedef struct state {
	lm_parser *parser;
	lm_engine *engine;
	size_t files, mutants, passed, failed;
} state;

static void fail(state *st, const char *path, const lm_site *site, const char *what)
{
	printf("FAIL %s:%u:%u %s: %s\n", path, site ? site->line : 0, site ? site->col : 0,
	       site ? site->op->id : "-", what);
	st->failed++;
}

/* Walk the mutant alongside the input: equal outside edits, edit text inside. */
static bool only_inside_edits(const lm_source *src, const lm_site *site)
{
	const char *orig = lm_source_text(src), *mut = site->mutant;
	size_t po = 0, pm = 0, i, n = lm_edits_count(site->edits);

	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(site->edits, i);
		size_t gap;

		if (e->start < po)
			return false;
		gap = e->start - po;
		if (pm + gap + e->len > site->mutant_len || memcmp(orig + po, mut + pm, gap) != 0 ||
		    memcmp(mut + pm + gap, e->text, e->len) != 0)
			return false;
		pm += gap + e->len;
		po = e->end;
	}
	return site->mutant_len - pm == lm_source_len(src) - po &&
	       memcmp(orig + po, mut + pm, lm_source_len(src) - po) == 0;
}

/*
 * The incremental re-parse the engine uses gives the tree a full parse
 * gives, and the check of the touched statements alone never says yes
 * where the full parse says no.
 */
static bool same_tree_as_full_parse(state *st, const lm_source *src, const lm_site *site)
{
	lm_source *full = NULL, *incremental = NULL;
	char *a = NULL, *b = NULL;
	bool same = false;

	if (lm_source_from_bytes(&full, "full", site->mutant, site->mutant_len) == 0 &&
	    lm_source_from_bytes(&incremental, "inc", site->mutant, site->mutant_len) == 0) {
		int ea = lm_source_parse(full, st->parser);
		int eb = lm_source_parse_edited(incremental, st->parser, src, site->edits);
		int ec = lm_source_check_edits(src, st->parser, site->edits);

		a = ts_node_string(lm_source_root(full));
		b = ts_node_string(lm_source_root(incremental));
		same = ea == eb && a && b && !strcmp(a, b) && (ec == 1 || (ec == 0 && ea == 0));
	}
	free(a);
	free(b);
	lm_source_free(full);
	lm_source_free(incremental);
	return same;
}

static int scan(state *st, const char *path, const char *rel, lm_source **src, lm_sites *sites)
{
	int error = lm_source_load(src, path, path);

	if (error == 0)
		error = lm_engine_scan(st->engine, *src, st->parser, rel, sites);
	return error;
}

static int on_file(const char *path, const char *rel, void *payload)
{
	state *st = payload;
	lm_source *a = NULL, *b = NULL;
	lm_sites sa = LM_SITES_INIT, sb = LM_SITES_INIT;
	TSNode bad;
	size_t i;

	st->files++;
	if (scan(st, path, rel, &a, &sa) < 0 || scan(st, path, rel, &b, &sb) < 0) {
		fail(st, path, NULL, lm_error_last());
		goto cleanup;
	}
	if (!lm__node_types_agree(lm_source_root(a), &bad)) {
		fail(st, path, NULL, "the table of node types disagrees with a node's type name");
		goto cleanup;
	}
	if (sa.count != sb.count) {
		fail(st, path, NULL, "two runs found different sites");
		goto cleanup;
	}
	for (i = 0; i < sa.count; i++) {
		const lm_site *x = sa.items[i], *y = sb.items[i];
		bool ok = true;

		if (strcmp(x->id, y->id) || x->op != y->op || !x->skip_reason != !y->skip_reason) {
			fail(st, path, x, "two runs disagree on the site");
			continue;
		}
		if (x->skip_reason)
			continue;
		st->mutants++;
		if (!x->valid) {
			fail(st, path, x, x->invalid ? x->invalid : "mutant does not parse");
			ok = false;
		}
		if (!only_inside_edits(a, x)) {
			fail(st, path, x, "mutant differs from its input outside its edits");
			ok = false;
		}
		if (!same_tree_as_full_parse(st, a, x)) {
			fail(st, path, x, "incremental re-parse differs from a full parse");
			ok = false;
		}
		if (x->mutant_len != y->mutant_len || memcmp(x->mutant, y->mutant, x->mutant_len)) {
			fail(st, path, x, "two runs made different mutants");
			ok = false;
		}
		if (ok)
			st->passed++;
	}

cleanup:
	lm_sites_dispose(&sa);
	lm_sites_dispose(&sb);
	lm_source_free(a);
	lm_source_free(b);
	return 0;
}

int main(int argc, char **argv)
{
	state st = {0};
	size_t nops;
	const lm_operator *const *ops = lm_operators(&nops);
	int i, rc = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: invariants ROOT...\n");
		return 2;
	}
	if (lm_init() < 0 || lm_parser_new(&st.parser) < 0 ||
	    lm_engine_new(&st.engine, ops, nops) < 0) {
		fprintf(stderr, "invariants: %s\n", lm_error_last());
		goto cleanup;
	}
	for (i = 1; i < argc; i++)
		if (lm_walk(argv[i], on_file, NULL, &st) < 0) {
			fprintf(stderr, "invariants: %s\n", lm_error_last());
			goto cleanup;
		}
	printf("%zu files, %zu mutants\n", st.files, st.mutants);
	if (st.mutants == 0)
		fail(&st, argv[1], NULL, "no mutants at all: nothing was checked");
	printf("%zu passed, %zu failed\n", st.passed, st.failed);
	rc = st.failed ? 1 : 0;

cleanup:
	lm_engine_free(st.engine);
	lm_parser_free(st.parser);
	lm_shutdown();
	return rc;
}
