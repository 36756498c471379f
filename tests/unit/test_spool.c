#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "engine_int.h"
#include "spool.h"

/* Sites of several operators and kinds, one with a non-ASCII qualname. */
static const char text[] = "import socket\n"
                           "def load(p):\n"
                           "    with open(p) as f:\n"
                           "        return f.read()\n"
                           "class Caf\xc3\xa9:\n"
                           "    def talk(self, host):\n"
                           "        with socket.create_connection((host, 80)) as s:\n"
                           "            s.sendall(b'x')\n"
                           "def keep(p):\n"
                           "    with open(p) as g:\n"
                           "        data = g.read()\n"
                           "    return data\n";

static void scan_all(lm_source **src, lm_sites *sites)
{
	size_t n;
	const lm_operator *const *ops = lm_operators(&n);
	lm_engine *engine = NULL;

	assert_int_equal(lm_engine_new(&engine, ops, n), 0);
	assert_int_equal(lm_source_from_bytes(src, "pkg/mod.py", text, strlen(text)), 0);
	assert_int_equal(lm_engine_scan(engine, *src, parser, "pkg/mod.py", sites), 0);
	lm_engine_free(engine);
}

static void assert_text_equal(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Every field the second pass uses comes back as it was put. */
static void assert_same_site(const lm_site *a, const lm_site *b)
{
	size_t i;

	assert_ptr_equal(a->op, b->op);
	assert_ptr_equal(a->kind, b->kind);
	assert_string_equal(a->id, b->id);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->col, b->col);
	assert_int_equal(a->occurrence, b->occurrence);
	assert_int_equal(a->anchor_start, b->anchor_start);
	assert_int_equal(a->anchor_end, b->anchor_end);
	assert_int_equal(a->mutant_anchor_start, b->mutant_anchor_start);
	assert_int_equal(a->mutant_anchor_end, b->mutant_anchor_end);
	assert_int_equal(a->mutant_len, b->mutant_len);
	assert_memory_equal(a->mutant_line, b->mutant_line, sizeof(a->mutant_line));
	assert_memory_equal(a->mutant_col, b->mutant_col, sizeof(a->mutant_col));
	assert_text_equal(a->qualname, b->qualname);
	assert_text_equal(a->fingerprint, b->fingerprint);
	assert_text_equal(a->preview, b->preview);
	assert_true(b->valid);
	assert_null(b->skip_reason);
	assert_text_equal(a->path, b->path);
	assert_int_equal(lm_edits_count(a->edits), lm_edits_count(b->edits));
	for (i = 0; i < lm_edits_count(a->edits); i++) {
		const lm_edit *x = lm_edits_get(a->edits, i), *y = lm_edits_get(b->edits, i);

		assert_int_equal(x->start, y->start);
		assert_int_equal(x->end, y->end);
		assert_int_equal(x->len, y->len);
		assert_memory_equal(x->text, y->text, x->len);
		assert_int_equal(y->text[y->len], '\0');
	}
}

/*
 * Sites put with gaps between their indexes come back field for field;
 * asking for a later one passes over those before it; one never put is an
 * error, and so is asking again for one passed over.
 */
static void spool__gives_back_what_it_was_given_in_order(void **state)
{
	lm_source *src = NULL;
	lm_sites sites = LM_SITES_INIT;
	lm__spool *sp = NULL;
	lm_site *back;
	git_oid content, got;
	const lm_site *kept[16];
	size_t i, n = 0;
	bool bom;

	(void)state;
	scan_all(&src, &sites);
	for (i = 0; i < sites.count && n < 16; i++)
		if (!sites.items[i]->skip_reason && sites.items[i]->valid)
			kept[n++] = sites.items[i];
	assert_true(n >= 6);
	assert_int_equal(git_odb_hash(&content, text, strlen(text), GIT_OBJECT_BLOB), 0);
	assert_int_equal(lm__spool_new(&sp), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(lm__spool_put(sp, 3 * i + 1, &content, i == 1, kept[i]), 0);
	assert_int_equal(lm__spool_rewind(sp), 0);
	/* 1, 4 and 7 in turn; then 13, passing over 10 */
	for (i = 0; i < 3; i++) {
		assert_int_equal(lm__spool_get(sp, 3 * i + 1, kept[i]->op, &got, &bom, &back), 0);
		assert_true(git_oid_equal(&got, &content));
		assert_int_equal(bom, i == 1);
		assert_same_site(kept[i], back);
		lm__site_free(back);
	}
	assert_int_equal(lm__spool_get(sp, 13, kept[4]->op, &got, &bom, &back), 0);
	assert_same_site(kept[4], back);
	lm__site_free(back);
	/* 10 was passed over; 14 was never put */
	assert_int_equal(lm__spool_get(sp, 10, kept[3]->op, &got, &bom, &back), LM_ERROR);
	assert_null(back);
	lm__spool_free(sp);

	assert_int_equal(lm__spool_new(&sp), 0);
	assert_int_equal(lm__spool_put(sp, 1, &content, false, kept[0]), 0);
	assert_int_equal(lm__spool_rewind(sp), 0);
	assert_int_equal(lm__spool_get(sp, 2, kept[0]->op, &got, &bom, &back), LM_EIO);
	assert_non_null(strstr(lm_error_last(), "ends early"));
	assert_null(back);
	lm__spool_free(sp);
	lm_sites_dispose(&sites);
	lm_source_free(src);
}

/*
 * An interprocedural operator's site comes back with its own file, the
 * other files and their texts, and its related locations; a role the spool
 * does not know is refused.
 */
static void spool__keeps_the_files_and_places_of_a_site_of_several(void **state)
{
	lm_source *src = NULL;
	lm_sites sites = LM_SITES_INIT;
	lm__spool *sp = NULL;
	lm_site *site = NULL, *back;
	git_oid content, got;
	bool bom;
	size_t i;

	(void)state;
	scan_all(&src, &sites);
	for (i = 0; i < sites.count && !site; i++)
		if (!sites.items[i]->skip_reason && sites.items[i]->valid)
			site = sites.items[i];
	assert_non_null(site);
	site->path = strdup("pkg/mod.py");
	site->bom = true;
	free(site->mutant); /* the engine's, replaced by a short one */
	site->mutant = strdup("import os\n");
	site->mutant_len = strlen(site->mutant);
	site->more = calloc(1, sizeof(*site->more));
	site->nmore = 1;
	site->more[0].path = strdup("pkg/use.py");
	site->more[0].mutant = strdup("from pkg.mod import load\n");
	site->more[0].mutant_len = strlen(site->more[0].mutant);
	assert_int_equal(lm_edits_new(&site->more[0].edits), 0);
	assert_int_equal(lm_edits_adds(site->more[0].edits, 0, 4, "from"), 0);
	site->related = calloc(1, sizeof(*site->related));
	site->nrelated = 1;
	site->related[0].path = strdup("pkg/use.py");
	site->related[0].line[0] = 3;
	site->related[0].col[1] = 9;
	site->related[0].role = "consumer";
	git_oid_fromstr(&content, "0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(lm__spool_new(&sp), 0);
	assert_int_equal(lm__spool_put(sp, 0, &content, true, site), 0);
	assert_int_equal(lm__spool_rewind(sp), 0);
	assert_int_equal(lm__spool_get(sp, 0, site->op, &got, &bom, &back), 0);
	assert_same_site(site, back);
	assert_true(back->bom);
	assert_string_equal(back->path, "pkg/mod.py");
	assert_int_equal(back->mutant_len, site->mutant_len);
	assert_string_equal(back->mutant, "import os\n");
	assert_int_equal(back->nmore, 1);
	assert_string_equal(back->more[0].path, "pkg/use.py");
	assert_false(back->more[0].bom);
	assert_string_equal(back->more[0].mutant, "from pkg.mod import load\n");
	assert_int_equal(back->more[0].mutant_len, strlen("from pkg.mod import load\n"));
	assert_int_equal(lm_edits_count(back->more[0].edits), 1);
	assert_string_equal(lm_edits_get(back->more[0].edits, 0)->text, "from");
	assert_int_equal(back->nrelated, 1);
	assert_string_equal(back->related[0].path, "pkg/use.py");
	assert_int_equal(back->related[0].line[0], 3);
	assert_int_equal(back->related[0].col[1], 9);
	assert_string_equal(back->related[0].role, "consumer");
	lm__site_free(back);
	lm__spool_free(sp);

	site->related[0].role = "bystander";
	assert_int_equal(lm__spool_new(&sp), 0);
	assert_int_equal(lm__spool_put(sp, 0, &content, false, site), LM_EINVALID);
	assert_non_null(strstr(lm_error_last(), "bystander"));
	site->related[0].role = "consumer";
	lm__spool_free(sp);
	lm_sites_dispose(&sites);
	lm_source_free(src);
}

/* A spool that cannot be made says where. */
static void spool__names_the_folder_it_cannot_use(void **state)
{
	lm__spool *sp = NULL;
	char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

	(void)state;
	setenv("TMPDIR", "/nonexistent/spool", 1);
	assert_int_equal(lm__spool_new(&sp), LM_EIO);
	assert_null(sp);
	assert_non_null(strstr(lm_error_last(), "/nonexistent/spool"));
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
}

static int setup(void **state)
{
	if (git_libgit2_init() < 0)
		return -1;
	return parser_setup(state);
}

static int teardown(void **state)
{
	git_libgit2_shutdown();
	return parser_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(spool__gives_back_what_it_was_given_in_order),
	    cmocka_unit_test(spool__keeps_the_files_and_places_of_a_site_of_several),
	    cmocka_unit_test(spool__names_the_folder_it_cannot_use),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
