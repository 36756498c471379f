/*
 * libFuzzer target: arbitrary bytes as one Python file, every operator.
 *
 * The input is the file pkg/mod.py of a one-file tree.  Every registered
 * operator runs over it through the public API: lm_engine_scan() for the
 * intraprocedural ones, lm_engine_index() and lm_engine_scan_tree() for the
 * interprocedural ones.  Inputs that are not UTF-8, do not parse or pass a
 * limit of the parser (LM_ETOOBIG: nesting, comment lines in a row) are
 * uninteresting; for every other input each mutant must satisfy:
 *
 * - its edits lie inside the input, in order, without overlapping;
 * - it re-parses (a full parse, without the engine's incremental help) with
 *   no ERROR or MISSING node, and the engine's incremental re-parse gives
 *   the same tree (but for where it hangs a star: see put_tree);
 * - every byte outside its edits is the input's, and it differs from the
 *   input;
 * - its anchors lie inside the input and the mutant, its id is 12 hex digits.
 *
 * A violation prints what went wrong and aborts, which libFuzzer records as
 * a crash.  Built with -DLEAKMUT_FUZZ=ON (clang); run with tests/fuzz/run.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakmut/leakmut.h"

#define PATH "pkg/mod.py"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lm_parser *parser;
static lm_engine *engine;

typedef struct input {
	const char *data;
	size_t size;
} input;

static void die(const lm_site *site, const char *what)
{
	fprintf(stderr, "fuzz_engine: %s%s%s: %s\n", site ? site->op->id : "", site ? " at " : "",
	        site ? (site->path ? site->path : PATH) : "", what);
	if (site)
		fprintf(stderr, "fuzz_engine: line %u col %u, mutant:\n%.*s\n", site->line,
		        site->col, (int)(site->mutant_len > 4096 ? 4096 : site->mutant_len),
		        site->mutant ? site->mutant : "");
	abort();
}

static void release(void)
{
	lm_engine_free(engine);
	lm_parser_free(parser);
	lm_shutdown();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t n;
	const lm_operator *const *ops = lm_operators(&n);

	(void)argc;
	(void)argv;
	if (lm_init() < 0 || lm_parser_new(&parser) < 0 || lm_engine_new(&engine, ops, n) < 0) {
		fprintf(stderr, "fuzz_engine: %s\n", lm_error_last());
		abort();
	}
	atexit(release);
	return 0;
}

static int load(lm_source **out, const char *path, void *payload)
{
	const input *in = payload;

	if (strcmp(path, PATH) != 0)
		die(NULL, "the one-file tree asked for another file");
	return lm_source_from_bytes(out, path, in->data, in->size);
}

/* Edits in bounds, sorted, not overlapping; each text NUL-terminated. */
static void check_edits(const lm_site *site, const lm_edits *edits, size_t len)
{
	size_t i, n = lm_edits_count(edits), prev_end = 0;

	if (n == 0)
		die(site, "a site without edits");
	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);

		if (e->start > e->end || e->end > len)
			die(site, "an edit out of bounds");
		if (e->start < prev_end)
			die(site, "edits out of order or overlapping");
		if (!e->text || e->text[e->len] != '\0')
			die(site, "an edit's text is not NUL-terminated");
		prev_end = e->end;
	}
}

/* The mutant is the input outside the edits and the edit texts inside them. */
static void check_outside(const lm_site *site, const lm_edits *edits, const char *orig, size_t len,
                          const char *mut, size_t mut_len)
{
	size_t po = 0, pm = 0, i, n = lm_edits_count(edits);

	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);
		size_t gap = e->start - po;

		if (pm + gap + e->len > mut_len || memcmp(orig + po, mut + pm, gap) != 0)
			die(site, "the mutant differs from the input outside the edits");
		if (memcmp(mut + pm + gap, e->text, e->len) != 0)
			die(site, "the mutant does not hold an edit's text");
		pm += gap + e->len;
		po = e->end;
	}
	if (mut_len - pm != len - po || memcmp(orig + po, mut + pm, len - po) != 0)
		die(site, "the mutant differs from the input after the last edit");
	if (mut_len == len && memcmp(orig, mut, len) == 0)
		die(site, "the mutant is the input");
}

/*
 * tree-sitter-python has two readings of `*a.b` (its grammar lets a starred
 * name start an attribute, a subscript or a call): `*(a.b)`, and `(*a).b`,
 * which Python never means.  Which one it picks depends on the parse state,
 * so a full parse and an incremental one can differ there (found by this
 * target).  The engine only asks a mutant's tree whether it parses, and the
 * two readings span the same bytes without an error, so the trees are
 * compared with the star moved to the head of its chain: `(*a).b` is written
 * as `*(a.b)`.
 */
static const char *chain_field(TSNode node)
{
	const char *type = ts_node_type(node);

	if (strcmp(type, "attribute") == 0)
		return "object";
	if (strcmp(type, "subscript") == 0)
		return "value";
	if (strcmp(type, "call") == 0)
		return "function";
	return NULL;
}

/* The star at the head of the chain that node ends, or a null node. */
static TSNode star_at_head(TSNode node)
{
	const char *field;
	TSNode none = {{0}, NULL, NULL};

	while ((field = chain_field(node)) != NULL) {
		node = ts_node_child_by_field_name(node, field, (uint32_t)strlen(field));
		if (ts_node_is_null(node))
			return none;
		if (strcmp(ts_node_type(node), "list_splat") == 0)
			return node;
	}
	return none;
}

/* Like ts_node_string(), each star at the head of its chain. */
static void put_tree(FILE *out, TSNode node, TSNode star)
{
	const char *field = chain_field(node);
	TSNode head;
	uint32_t i, n = ts_node_child_count(node);

	if (!ts_node_is_null(star) && ts_node_eq(node, star)) {
		put_tree(out, ts_node_named_child(node, 0), star);
		return;
	}
	if (field && ts_node_is_null(star) && !ts_node_is_null(head = star_at_head(node))) {
		fputs("(list_splat ", out);
		put_tree(out, node, head);
		fputc(')', out);
		return;
	}
	fprintf(out, "(%s%s", ts_node_is_missing(node) ? "MISSING " : "", ts_node_type(node));
	for (i = 0; i < n; i++) {
		TSNode child = ts_node_child(node, i);
		const char *name = ts_node_field_name_for_child(node, i);
		TSNode none = {{0}, NULL, NULL};

		if (!ts_node_is_named(child))
			continue;
		fprintf(out, " %s%s", name ? name : "", name ? ": " : "");
		put_tree(out, child, field && name && strcmp(name, field) == 0 ? star : none);
	}
	fputc(')', out);
}

static char *tree_string(const lm_source *src)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	TSNode none = {{0}, NULL, NULL};

	if (!out)
		return NULL;
	put_tree(out, lm_source_root(src), none);
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* A full parse: no ERROR or MISSING node; the incremental one agrees. */
static void check_parse(const lm_site *site, const lm_source *orig, const lm_edits *edits,
                        const char *mut, size_t mut_len)
{
	lm_source *full = NULL, *inc = NULL;
	char *a = NULL, *b = NULL;

	if (lm_source_from_bytes(&full, "full", mut, mut_len) < 0)
		die(site, lm_error_last());
	if (lm_source_parse(full, parser) < 0)
		die(site, lm_error_last());
	if (ts_node_has_error(lm_source_root(full)))
		die(site, "the mutant's tree has an ERROR or MISSING node");
	if (lm_source_from_bytes(&inc, "inc", mut, mut_len) < 0 ||
	    lm_source_parse_edited(inc, parser, orig, edits) < 0)
		die(site, lm_error_last());
	a = tree_string(full);
	b = tree_string(inc);
	if (!a || !b || strcmp(a, b) != 0) {
		size_t at = 0;

		while (a && b && a[at] && a[at] == b[at])
			at++;
		at = at > 200 ? at - 200 : 0;
		fprintf(stderr,
		        "fuzz_engine: full parse: ...%.400s\nfuzz_engine: incremental: ...%.400s\n",
		        a ? a + at : "", b ? b + at : "");
		die(site, "the incremental re-parse differs from a full parse");
	}
	free(a);
	free(b);
	lm_source_free(full);
	lm_source_free(inc);
}

static void check_site(const lm_site *site, const lm_source *src)
{
	const char *orig = lm_source_text(src);
	size_t len = lm_source_len(src), i;

	if (strlen(site->id) != 12 || strspn(site->id, "0123456789abcdef") != 12)
		die(site, "the id is not 12 hex digits");
	if (site->anchor_start > site->anchor_end || site->anchor_end > len)
		die(site, "the anchor is out of the input");
	if (site->skip_reason)
		return;
	if (!site->valid)
		die(site,
		    site->invalid ? site->invalid : "the engine says the mutant does not parse");
	if (site->path && strcmp(site->path, PATH) != 0)
		die(site, "a site in a file that is not the input");
	if (!site->mutant || site->mutant[site->mutant_len] != '\0')
		die(site, "the mutant is not NUL-terminated");
	if (site->mutant_anchor_start > site->mutant_anchor_end ||
	    site->mutant_anchor_end > site->mutant_len)
		die(site, "the anchor is out of the mutant");
	check_edits(site, site->edits, len);
	check_outside(site, site->edits, orig, len, site->mutant, site->mutant_len);
	check_parse(site, src, site->edits, site->mutant, site->mutant_len);
	/* One file in the tree: nothing else to change. */
	for (i = 0; i < site->nmore; i++)
		if (lm_edits_count(site->more[i].edits) > 0)
			die(site, "edits in a second file of a one-file tree");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input in = {(const char *)data, size};
	lm_source *src = NULL;
	lm_sites sites = LM_SITES_INIT;
	size_t i;
	int error;

	if (lm_source_from_bytes(&src, PATH, in.data, in.size) < 0)
		return 0; /* not UTF-8, NUL bytes: refused, as it should be */
	error = lm_engine_scan(engine, src, parser, PATH, &sites);
	if (error == LM_EPARSE || error == LM_ETOOBIG)
		goto cleanup; /* not Python, or past a limit: refused, naming the spot */
	if (error < 0)
		die(NULL, lm_error_last());
	if ((error = lm_engine_index(engine, src, PATH)) < 0 ||
	    (error = lm_engine_scan_tree(engine, parser, load, &in, &sites)) < 0)
		die(NULL, lm_error_last());
	for (i = 0; i < sites.count; i++)
		check_site(sites.items[i], src);

cleanup:
	lm_engine_index_clear(engine);
	lm_sites_dispose(&sites);
	lm_source_free(src);
	return 0;
}
