/*
 * Golden test of one operator on one case:
 *
 *   golden_run OPERATOR CASE.py
 *
 * compares each mutant the operator makes of CASE.py with CASE.mutant-N.py
 * (N from 1, in site order); no expected file means "no site".  Every
 * expected file must re-parse cleanly.  With LEAKMUT_GOLDEN_UPDATE=1 the
 * expected files are rewritten instead (refused when CI is set).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leakmut/leakmut.h"

static char *expected_path(const char *case_path, size_t n)
{
	size_t len = strlen(case_path) - 3; /* without ".py" */
	char *out = malloc(len + 32);

	if (out)
		snprintf(out, len + 32, "%.*s.mutant-%zu.py", (int)len, case_path, n);
	return out;
}

static int read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long size;

	*out = NULL;
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(*out = malloc((size_t)size + 1)) || fread(*out, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(*out);
		*out = NULL;
		return -1;
	}
	fclose(f);
	(*out)[size] = '\0';
	*len = (size_t)size;
	return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* Print where two texts first differ, by line. */
static void show_difference(const char *want, size_t wlen, const char *got, size_t glen)
{
	size_t i = 0, line = 1, ls = 0;

	while (i < wlen && i < glen && want[i] == got[i]) {
		if (want[i] == '\n') {
			line++;
			ls = i + 1;
		}
		i++;
	}
	fprintf(stderr, "  first difference at line %zu\n  expected: %.*s\n  actual:   %.*s\n",
	        line, (int)strcspn(want + ls, "\n"), want + ls, (int)strcspn(got + ls, "\n"),
	        got + ls);
}

static int check_parses(lm_parser *parser, const char *path, const char *data, size_t len)
{
	lm_source *src = NULL;
	int error = lm_source_from_bytes(&src, path, data, len);

	if (error == 0)
		error = lm_source_parse(src, parser);
	if (error < 0)
		fprintf(stderr, "FAIL %s does not parse: %s\n", path, lm_error_last());
	lm_source_free(src);
	return error < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	const lm_operator *op;
	const char *update_env = getenv("LEAKMUT_GOLDEN_UPDATE");
	bool update = update_env && !strcmp(update_env, "1");
	lm_parser *parser = NULL;
	lm_engine *engine = NULL;
	lm_source *src = NULL;
	lm_sites sites = LM_SITES_INIT;
	lm_buf mutant = LM_BUF_INIT;
	size_t i, n = 0;
	int failures = 0;

	if (argc != 3 || strlen(argv[2]) < 4 || strcmp(argv[2] + strlen(argv[2]) - 3, ".py")) {
		fprintf(stderr, "usage: golden_run OPERATOR CASE.py\n");
		return 2;
	}
	if (update && getenv("CI")) {
		fprintf(stderr, "golden_run: refusing to update expected files under CI\n");
		return 2;
	}
	if (!(op = lm_operator_find(argv[1]))) {
		fprintf(stderr, "golden_run: no operator %s\n", argv[1]);
		return 2;
	}
	if (lm_init() < 0 || lm_parser_new(&parser) < 0 || lm_engine_new(&engine, &op, 1) < 0 ||
	    lm_source_load(&src, argv[2], argv[2]) < 0 ||
	    lm_engine_scan(engine, src, parser, argv[2], &sites) < 0) {
		fprintf(stderr, "FAIL %s: %s\n", argv[2], lm_error_last());
		failures++;
		goto cleanup;
	}
	for (i = 0; i < sites.count; i++) {
		const lm_site *site = sites.items[i];
		char *path, *want = NULL;
		size_t wlen = 0;

		if (site->skip_reason)
			continue;
		n++;
		if (!site->valid) {
			fprintf(stderr, "FAIL %s: mutant %zu does not parse: %s\n", argv[2], n,
			        site->invalid);
			failures++;
		}
		lm_buf_clear(&mutant);
		if (lm_source_bom(src))
			lm_buf_puts(&mutant, "\xEF\xBB\xBF");
		lm_buf_put(&mutant, site->mutant, site->mutant_len);
		if (!(path = expected_path(argv[2], n))) {
			failures++;
			break;
		}
		if (update) {
			if (write_file(path, mutant.ptr, mutant.size) < 0) {
				fprintf(stderr, "FAIL %s: cannot write: %s\n", path,
				        strerror(errno));
				failures++;
			}
		} else if (read_file(path, &want, &wlen) < 0) {
			fprintf(stderr, "FAIL %s: unexpected mutant %zu (no %s)\n%s", argv[2], n,
			        path, mutant.ptr);
			failures++;
		} else if (wlen != mutant.size || memcmp(want, mutant.ptr, wlen) != 0) {
			fprintf(stderr, "FAIL %s differs from the mutant made\n", path);
			show_difference(want, wlen, mutant.ptr, mutant.size);
			failures++;
		} else {
			failures += check_parses(parser, path, want, wlen);
		}
		free(want);
		free(path);
	}
	/* An expected file past the last mutant is a site the operator missed. */
	for (i = n + 1;; i++) {
		char *path = expected_path(argv[2], i);

		if (!path || access(path, F_OK) != 0) {
			free(path);
			break;
		}
		if (update) {
			unlink(path);
		} else {
			fprintf(stderr, "FAIL %s: expected mutant %zu was not made\n", path, i);
			failures++;
		}
		free(path);
	}
	if (!failures)
		printf("ok %s %s: %zu mutants\n", op->id, argv[2], n);

cleanup:
	lm_buf_dispose(&mutant);
	lm_sites_dispose(&sites);
	lm_source_free(src);
	lm_engine_free(engine);
	lm_parser_free(parser);
	lm_shutdown();
	return failures ? 1 : 0;
}
