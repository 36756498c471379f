/*
 * Golden test of one interprocedural operator on one case, a small tree:
 *
 *   golden_tree OPERATOR CASE-DIR
 *
 * runs the operator over every .py file under CASE-DIR/in and compares
 * each mutant N (from 1, in site order) with CASE-DIR/mutant-N/, which
 * holds exactly the files the mutant changes, at their paths, and a file
 * `anchor` giving the primary location as "path:line:col".  A missing
 * mutant-N folder means "no such site".  With LEAKMUT_GOLDEN_UPDATE=1 the
 * expected folders are rewritten instead (refused when CI is set).
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakmut/leakmut.h"

typedef struct state {
	const char *in;
	lm_parser *parser;
	lm_engine *engine;
	int failures;
	lm_buf path;
} state;

static int on_file(const char *path, const char *rel, void *payload)
{
	state *st = payload;
	lm_source *src = NULL;
	int error = lm_source_load(&src, path, path);

	if (error == 0)
		error = lm_source_parse(src, st->parser);
	if (error == 0)
		error = lm_engine_index(st->engine, src, rel);
	if (error < 0) {
		fprintf(stderr, "FAIL %s: %s\n", path, lm_error_last());
		st->failures++;
	}
	lm_source_free(src);
	return 0;
}

static int load_rel(lm_source **out, const char *rel, void *payload)
{
	state *st = payload;

	lm_buf_clear(&st->path);
	if (lm_buf_printf(&st->path, "%s/%s", st->in, rel) < 0)
		return LM_ENOMEM;
	return lm_source_load(out, st->path.ptr, st->path.ptr);
}

static int read_file(const char *path, lm_buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	lm_buf_clear(out);
	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (lm_buf_put(out, chunk, n) < 0) {
			fclose(f);
			return -1;
		}
	fclose(f);
	return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
	char dir[4096];
	char *slash;
	FILE *f;
	int ok;

	/* Make the parent folders. */
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0777);
		*slash = '/';
	}
	if (!(f = fopen(path, "wb")))
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static size_t counted;
static int count_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)path;
	(void)sb;
	(void)ftw;
	counted += type == FTW_F;
	return 0;
}

/* Compare (or write) one expected file. */
static void check(state *st, bool update, const char *dir, const char *rel, bool bom,
                  const char *text, size_t len)
{
	lm_buf want = LM_BUF_INIT, got = LM_BUF_INIT, path = LM_BUF_INIT;

	lm_buf_printf(&path, "%s/%s", dir, rel);
	if (bom)
		lm_buf_puts(&got, "\xEF\xBB\xBF");
	lm_buf_put(&got, text, len);
	if (update) {
		if (write_file(path.ptr, got.ptr, got.size) < 0) {
			fprintf(stderr, "FAIL %s: cannot write: %s\n", path.ptr, strerror(errno));
			st->failures++;
		}
	} else if (read_file(path.ptr, &want) < 0) {
		fprintf(stderr, "FAIL %s: the mutant changes it, but it is not expected:\n%s\n",
		        path.ptr, got.ptr);
		st->failures++;
	} else if (want.size != got.size || memcmp(want.ptr, got.ptr, got.size) != 0) {
		fprintf(stderr, "FAIL %s differs from the mutant made:\n%s\n", path.ptr, got.ptr);
		st->failures++;
	}
	lm_buf_dispose(&want);
	lm_buf_dispose(&got);
	lm_buf_dispose(&path);
}

int main(int argc, char **argv)
{
	const char *update_env = getenv("LEAKMUT_GOLDEN_UPDATE");
	bool update = update_env && !strcmp(update_env, "1");
	const lm_operator *op;
	state st;
	lm_sites sites = LM_SITES_INIT;
	lm_buf in = LM_BUF_INIT, dir = LM_BUF_INIT, anchor = LM_BUF_INIT;
	size_t i, m, n = 0;
	struct stat sb;

	memset(&st, 0, sizeof(st));
	if (argc != 3) {
		fprintf(stderr, "usage: golden_tree OPERATOR CASE-DIR\n");
		return 2;
	}
	if (update && getenv("CI")) {
		fprintf(stderr, "golden_tree: refusing to update expected files under CI\n");
		return 2;
	}
	if (!(op = lm_operator_find(argv[1]))) {
		fprintf(stderr, "golden_tree: no operator %s\n", argv[1]);
		return 2;
	}
	lm_buf_printf(&in, "%s/in", argv[2]);
	st.in = in.ptr;
	if (lm_init() < 0 || lm_parser_new(&st.parser) < 0 ||
	    lm_engine_new(&st.engine, &op, 1) < 0 || lm_walk(in.ptr, on_file, NULL, &st) < 0 ||
	    lm_engine_scan_tree(st.engine, st.parser, load_rel, &st, &sites) < 0) {
		fprintf(stderr, "FAIL %s: %s\n", argv[2], lm_error_last());
		st.failures++;
		goto cleanup;
	}
	for (i = 0; i < sites.count; i++) {
		const lm_site *site = sites.items[i];

		if (site->skip_reason) {
			printf("skipped %s:%u:%u: %s\n", site->path, site->line, site->col,
			       site->skip_reason);
			continue;
		}
		n++;
		if (!site->valid) {
			fprintf(stderr, "FAIL %s: mutant %zu does not parse: %s\n", argv[2], n,
			        site->invalid);
			st.failures++;
		}
		lm_buf_clear(&dir);
		lm_buf_printf(&dir, "%s/mutant-%zu", argv[2], n);
		if (update)
			nftw(dir.ptr, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		else if (stat(dir.ptr, &sb) != 0) {
			fprintf(stderr, "FAIL %s: unexpected mutant %zu (no %s)\n", argv[2], n,
			        dir.ptr);
			st.failures++;
			continue;
		}
		check(&st, update, dir.ptr, site->path, site->bom, site->mutant, site->mutant_len);
		for (m = 0; m < site->nmore; m++)
			check(&st, update, dir.ptr, site->more[m].path, site->more[m].bom,
			      site->more[m].mutant, site->more[m].mutant_len);
		lm_buf_clear(&anchor);
		lm_buf_printf(&anchor, "%s:%u:%u\n", site->path, site->mutant_line[0],
		              site->mutant_col[0]);
		for (m = 0; m < site->nrelated; m++)
			lm_buf_printf(&anchor, "%s %s:%u:%u\n", site->related[m].role,
			              site->related[m].path, site->related[m].line[0],
			              site->related[m].col[0]);
		check(&st, update, dir.ptr, "anchor", false, anchor.ptr, anchor.size);
		/* No expected file beyond those the mutant changes (and `anchor`). */
		counted = 0;
		nftw(dir.ptr, count_entry, 16, FTW_PHYS);
		if (counted != site->nmore + 2) {
			fprintf(stderr, "FAIL %s holds %zu files; the mutant changes %zu\n",
			        dir.ptr, counted - 1, site->nmore + 1);
			st.failures++;
		}
	}
	for (i = n + 1;; i++) {
		lm_buf_clear(&dir);
		lm_buf_printf(&dir, "%s/mutant-%zu", argv[2], i);
		if (stat(dir.ptr, &sb) != 0)
			break;
		if (update) {
			nftw(dir.ptr, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		} else {
			fprintf(stderr, "FAIL %s: expected mutant %zu was not made\n", dir.ptr, i);
			st.failures++;
		}
	}
	if (!st.failures)
		printf("ok %s %s: %zu mutants\n", op->id, argv[2], n);

cleanup:
	lm_buf_dispose(&in);
	lm_buf_dispose(&dir);
	lm_buf_dispose(&anchor);
	lm_buf_dispose(&st.path);
	lm_sites_dispose(&sites);
	lm_engine_free(st.engine);
	lm_parser_free(st.parser);
	lm_shutdown();
	return st.failures ? 1 : 0;
}
