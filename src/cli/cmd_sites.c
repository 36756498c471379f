#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "leakmut/leakmut.h"

/* What is kept of a site until the compile check has answered. */
typedef struct row {
	char *path;
	const lm_operator *op;
	const lm_kind *kind;
	const char *skip_reason;
	unsigned line, col;
	char id[13];
	char *preview;
	char *invalid;  /* re-parse failure, or NULL */
	size_t check;   /* index in the compile checker (of its first file) */
	size_t nchecks; /* how many files were given to it */
	bool checked;
} row;

/* Per operator and kind: what was found. */
typedef struct tally {
	const lm_operator *op;
	const char *kind;
	const char *reason; /* NULL: sites; else skipped for this reason */
	size_t count;
	size_t invalid;
} tally;

typedef struct state {
	lm_parser *parser;
	lm_engine *engine;
	lm_pycheck *pycheck;
	row *rows;
	size_t nrows, arows;
	tally *tallies;
	size_t ntallies, atallies;
	size_t files, bad_files;
	bool why_not;
	int error; /* a fatal error (out of memory, I/O on our side) */
} state;

static void on_walk_error(const char *path, const char *why, void *payload)
{
	state *st = payload;

	cli_error("%s: %s", path, why);
	if (strcmp(why, LM_WALK_SYMLINK) != 0)
		st->bad_files++;
}

static int add_tally(state *st, const lm_operator *op, const char *kind, const char *reason,
                     bool invalid)
{
	size_t i;

	for (i = 0; i < st->ntallies; i++) {
		tally *t = &st->tallies[i];

		if (t->op == op && !strcmp(t->kind, kind) &&
		    ((!t->reason && !reason) ||
		     (t->reason && reason && !strcmp(t->reason, reason))))
			break;
	}
	if (i == st->ntallies) {
		if (st->ntallies == st->atallies) {
			size_t alloc = st->atallies ? st->atallies * 2 : 16;
			tally *more = realloc(st->tallies, alloc * sizeof(*more));

			if (!more)
				return lm_error_set(LM_ENOMEM, "out of memory");
			st->tallies = more;
			st->atallies = alloc;
		}
		st->tallies[i] = (tally){op, kind, reason, 0, 0};
		st->ntallies++;
	}
	if (invalid)
		st->tallies[i].invalid++;
	else
		st->tallies[i].count++;
	return 0;
}

/* `src`: the file of a site of an intraprocedural operator, NULL for the others. */
static int keep_site(state *st, const char *path, const lm_source *src, const lm_site *site)
{
	row *r;
	int error;

	if (st->nrows == st->arows) {
		size_t alloc = st->arows ? st->arows * 2 : 256;
		row *more = realloc(st->rows, alloc * sizeof(*more));

		if (!more)
			return lm_error_set(LM_ENOMEM, "out of memory");
		st->rows = more;
		st->arows = alloc;
	}
	r = &st->rows[st->nrows];
	memset(r, 0, sizeof(*r));
	r->op = site->op;
	r->kind = site->kind;
	r->skip_reason = site->skip_reason;
	r->line = site->line;
	r->col = site->col;
	memcpy(r->id, site->id, sizeof(r->id));
	r->path = strdup(path);
	r->preview = strdup(site->preview ? site->preview : "");
	if (!site->skip_reason && !site->valid)
		r->invalid = strdup(site->invalid ? site->invalid : "does not parse");
	st->nrows++;
	if (!r->path || !r->preview || (!site->skip_reason && !site->valid && !r->invalid))
		return lm_error_set(LM_ENOMEM, "out of memory");
	if (!site->skip_reason && site->valid && st->pycheck) {
		size_t m, check;

		if (src && site->nmore == 0)
			error = lm_pycheck_add_edits(st->pycheck, path, lm_source_bom(src),
			                             lm_source_text(src), lm_source_len(src),
			                             site->edits, &r->check);
		else
			error = lm_pycheck_add(st->pycheck, path, site->mutant, site->mutant_len,
			                       &r->check);
		if (error < 0)
			return error;
		for (m = 0; m < site->nmore; m++)
			if ((error = lm_pycheck_add(st->pycheck, site->more[m].path,
			                            site->more[m].mutant, site->more[m].mutant_len,
			                            &check)) < 0)
				return error;
		r->nchecks = 1 + site->nmore;
		r->checked = true;
	}
	return 0;
}

static int on_file(const char *path, const char *rel, void *payload)
{
	state *st = payload;
	lm_source *src = NULL;
	lm_sites sites = LM_SITES_INIT;
	size_t i;
	int error;

	st->files++;
	error = lm_source_load(&src, path, path);
	if (error == 0)
		error = lm_engine_scan(st->engine, src, st->parser, rel, &sites);
	if (error == 0)
		error = lm_engine_index(st->engine, src, rel);
	if (error == LM_ENOMEM || error == LM_EGIT) {
		st->error = error;
		goto cleanup;
	}
	if (error < 0) {
		/* Bad input: say so, go on with the rest. */
		cli_error("%s", lm_error_last());
		st->bad_files++;
		error = 0;
		goto cleanup;
	}
	for (i = 0; i < sites.count; i++)
		if ((error = keep_site(st, path, src, sites.items[i])) < 0) {
			st->error = error;
			goto cleanup;
		}

cleanup:
	lm_sites_dispose(&sites);
	lm_source_free(src);
	return error;
}

typedef struct tree_root {
	const char *root;
	bool is_dir;
	lm_buf path;
} tree_root;

static int load_rel(lm_source **out, const char *rel, void *payload)
{
	tree_root *t = payload;
	int error;

	*out = NULL;
	if (!t->is_dir)
		return lm_source_load(out, t->root, t->root);
	lm_buf_clear(&t->path);
	if ((error = lm_buf_printf(&t->path, "%s/%s", t->root, rel)) < 0)
		return error;
	return lm_source_load(out, t->path.ptr, t->path.ptr);
}

static int scan_tree(state *st, const char *root)
{
	struct stat sb;
	tree_root t = {root, stat(root, &sb) == 0 && S_ISDIR(sb.st_mode), LM_BUF_INIT};
	lm_sites sites = LM_SITES_INIT;
	lm_buf path = LM_BUF_INIT;
	size_t i;
	int error;

	error = lm_engine_scan_tree(st->engine, st->parser, load_rel, &t, &sites);
	for (i = 0; error == 0 && i < sites.count; i++) {
		lm_buf_clear(&path);
		if (t.is_dir)
			error = lm_buf_printf(&path, "%s/%s", root, sites.items[i]->path);
		else
			error = lm_buf_puts(&path, root);
		if (error == 0)
			error = keep_site(st, path.ptr, NULL, sites.items[i]);
	}
	lm_engine_index_clear(st->engine);
	lm_sites_dispose(&sites);
	lm_buf_dispose(&path);
	lm_buf_dispose(&t.path);
	return error;
}

static const char *kind_api(const row *r)
{
	return r->kind ? r->kind->api : "?";
}

static void print_json(json_t *obj)
{
	char *line = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(obj);
	if (line)
		puts(line);
	free(line);
}

static int cmp_tallies(const void *a, const void *b)
{
	const tally *x = a, *y = b;
	int c = strcmp(x->op->id, y->op->id);

	if (c == 0)
		c = strcmp(x->kind, y->kind);
	if (c == 0 && x->reason != y->reason)
		c = !x->reason ? -1 : !y->reason ? 1 : strcmp(x->reason, y->reason);
	return c;
}

static int report(state *st, bool json)
{
	size_t i, nsites = 0;
	int error;

	for (i = 0; i < st->nrows; i++) {
		row *r = &st->rows[i];
		const char *compile_error = NULL;
		size_t c;

		for (c = 0; r->checked && !compile_error && c < r->nchecks; c++)
			compile_error = lm_pycheck_result(st->pycheck, r->check + c);
		const char *why = r->invalid ? r->invalid : compile_error;

		if (r->skip_reason) {
			if ((error = add_tally(st, r->op, kind_api(r), r->skip_reason, false)) < 0)
				return error;
			if (!st->why_not)
				continue;
		} else if (why) {
			/* A mutant that does not parse or compile is never a site. */
			cli_error("%s:%u:%u: %s: mutant rejected: %s", r->path, r->line, r->col,
			          r->op->id, why);
			if ((error = add_tally(st, r->op, kind_api(r), NULL, true)) < 0)
				return error;
			continue;
		} else {
			nsites++;
			if ((error = add_tally(st, r->op, kind_api(r), NULL, false)) < 0)
				return error;
		}
		if (json)
			print_json(json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s?}",
			                     "type", r->skip_reason ? "skipped" : "site", "path",
			                     r->path, "line", (int)r->line, "col", (int)r->col,
			                     "operator", r->op->id, "api", kind_api(r), "id", r->id,
			                     "preview", r->preview, "reason", r->skip_reason));
		else if (r->skip_reason)
			printf("%s:%u:%u: %s: skipped (%s): %s\n", r->path, r->line, r->col,
			       r->op->id, r->skip_reason, r->preview);
		else
			printf("%s:%u:%u: %s [%s]: %s\n", r->path, r->line, r->col, r->op->id,
			       kind_api(r), r->preview);
	}

	if (st->ntallies)
		qsort(st->tallies, st->ntallies, sizeof(*st->tallies), cmp_tallies);
	if (!json)
		printf("\n%-18s %-30s %6s %8s %8s\n", "operator", "api", "sites", "skipped",
		       "rejected");
	for (i = 0; i < st->ntallies; i++) {
		const tally *t = &st->tallies[i];
		size_t j, sites = 0, skipped = 0, rejected = 0;
		bool first = true;

		/* One line per (operator, kind): the first tally of the pair prints it. */
		for (j = 0; j < i && first; j++)
			if (st->tallies[j].op == t->op && !strcmp(st->tallies[j].kind, t->kind))
				first = false;
		if (!first)
			continue;
		for (j = i; j < st->ntallies; j++) {
			const tally *u = &st->tallies[j];

			if (u->op != t->op || strcmp(u->kind, t->kind))
				continue;
			if (u->reason)
				skipped += u->count;
			else {
				sites += u->count;
				rejected += u->invalid;
			}
		}
		if (json)
			print_json(json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "type", "summary",
			                     "operator", t->op->id, "api", t->kind, "sites",
			                     (json_int_t)sites, "skipped", (json_int_t)skipped,
			                     "rejected", (json_int_t)rejected));
		else
			printf("%-18s %-30s %6zu %8zu %8zu\n", t->op->id, t->kind, sites, skipped,
			       rejected);
		for (j = i; st->why_not && !json && j < st->ntallies; j++) {
			const tally *u = &st->tallies[j];

			if (u->op == t->op && !strcmp(u->kind, t->kind) && u->reason)
				printf("%-18s   skipped: %s: %zu\n", "", u->reason, u->count);
		}
	}
	if (!json)
		printf("%zu %s in %zu %s (%zu %s with errors)\n", nsites,
		       cli_plural(nsites, "site", "sites"), st->files,
		       cli_plural(st->files, "file", "files"), st->bad_files,
		       cli_plural(st->bad_files, "file", "files"));
	return 0;
}

int cmd_sites(int argc, char **argv)
{
	state st = {0};
	const lm_operator **ops = NULL;
	const char *list = NULL, *python = NULL, *value;
	size_t nops = 0, i;
	bool json = false, compile = true;
	int k, npaths = 0, rc = 1, error;
	bool options = true;

	/* Options and paths in any order (after `--`, paths only); the paths
	 * are gathered at argv[1..npaths], in their order. */
	for (k = 1; k < argc; k++) {
		if (!options || argv[k][0] != '-') {
			argv[1 + npaths++] = argv[k];
			continue;
		}
		if (!strcmp(argv[k], "--"))
			options = false;
		else if (!strcmp(argv[k], "--json"))
			json = true;
		else if (!strcmp(argv[k], "--why-not"))
			st.why_not = true;
		else if (!strcmp(argv[k], "--no-compile"))
			compile = false;
		else if (cli_option(argc, argv, &k, "--operators", &value)) {
			if (!value)
				return 2;
			list = value;
		} else if (cli_option(argc, argv, &k, "--python", &value)) {
			if (!value)
				return 2;
			python = value;
		} else {
			return cli_misuse("sites", "unknown option %s", argv[k]);
		}
	}
	if (!npaths)
		return cli_misuse("sites", "sites needs a PATH");

	if ((error = lm_operators_select(&ops, &nops, list)) < 0 ||
	    (error = lm_parser_new(&st.parser)) < 0 ||
	    (error = lm_engine_new(&st.engine, ops, nops)) < 0 ||
	    (compile && (error = lm_pycheck_new(&st.pycheck, python)) < 0)) {
		cli_error("%s", lm_error_last());
		goto cleanup;
	}
	for (k = 1; k <= npaths; k++) {
		char *package = NULL;

		if ((error = lm_package_of_dir(&package, argv[k])) == 0)
			error = lm_engine_set_package(st.engine, package);
		free(package);
		if (error < 0) {
			cli_error("%s", lm_error_last());
			goto cleanup;
		}
		error = lm_walk(argv[k], on_file, on_walk_error, &st);
		if (st.error < 0 || error == LM_ENOMEM) {
			cli_error("%s", lm_error_last());
			goto cleanup;
		}
		if (error < 0) {
			cli_error("%s", lm_error_last());
			st.bad_files++;
		}
		/* The interprocedural operators, over this root's files. */
		if ((error = scan_tree(&st, argv[k])) < 0) {
			cli_error("%s", lm_error_last());
			goto cleanup;
		}
	}
	if (st.pycheck && (error = lm_pycheck_run(st.pycheck)) < 0) {
		cli_error("%s", lm_error_last());
		goto cleanup;
	}
	if (st.pycheck && !lm_pycheck_available(st.pycheck))
		cli_error("no Python interpreter: mutants were re-parsed but not compiled");
	if ((error = report(&st, json)) < 0) {
		cli_error("%s", lm_error_last());
		goto cleanup;
	}
	rc = st.bad_files ? 1 : 0;

cleanup:
	for (i = 0; i < st.nrows; i++) {
		free(st.rows[i].path);
		free(st.rows[i].preview);
		free(st.rows[i].invalid);
	}
	free(st.rows);
	free(st.tallies);
	lm_pycheck_free(st.pycheck);
	lm_engine_free(st.engine);
	lm_parser_free(st.parser);
	free(ops);
	return rc;
}
