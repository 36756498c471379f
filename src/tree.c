/*
 * leakmut: the interprocedural pass.
 *
 * lm_engine_index() records, for each input file, its module name, its
 * imports and the names its interprocedural operators may rewrite (their
 * candidates).  lm_engine_scan_tree() then loads, for each candidate, the
 * file defining it and every file importing it that mentions its name, and
 * lets the operator rewrite them together: one site, with edits in several
 * files.
 */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "engine_int.h"

typedef struct idx_file {
	char *path;
	char *module; /* dotted: "pkg.mod"; a package's __init__ is "pkg" */
	bool package;
} idx_file;

typedef struct idx_import {
	size_t file;
	char *module; /* resolved, absolute */
	char *name;   /* NULL for `import module`; "*" for a star import */
	char *local;  /* the name bound */
} idx_import;

typedef struct idx_candidate {
	size_t op;
	size_t file;
	char *name;
} idx_candidate;

struct lm__index {
	idx_file *files;
	size_t nfiles, afiles;
	idx_import *imports;
	size_t nimports, aimports;
	idx_candidate *cands;
	size_t ncands, acands;
};

struct lm_candidates {
	lm__index *index;
	const lm_source *src;
	size_t op;
	size_t file;
};

typedef struct tree_binding {
	lm_binding kind;
	char *local;
} tree_binding;

typedef struct tree_file {
	size_t file; /* in the index */
	lm_source *src;
	lm_edits *edits;
	tree_binding *bindings;
	size_t nbindings;
} tree_file;

typedef struct pending {
	size_t file;
	size_t start, end;
	const char *role;
} pending;

struct lm_tree_rewrite {
	lm_engine *engine;
	const lm_operator *op;
	const idx_candidate *cand;
	tree_file *files;
	size_t nfiles;
	pending *related;
	size_t nrelated, arelated;
	lm_parser *parser;
	lm_sites *out;
};

static int grow(void **items, size_t *alloc, size_t count, size_t size)
{
	void *p;
	size_t n;

	if (count < *alloc)
		return 0;
	n = *alloc ? *alloc * 2 : 16;
	if (!(p = lm__realloc(*items, n * size)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	*items = p;
	*alloc = n;
	return 0;
}

void lm__index_free(lm__index *index)
{
	size_t i;

	if (!index)
		return;
	for (i = 0; i < index->nfiles; i++) {
		free(index->files[i].path);
		free(index->files[i].module);
	}
	for (i = 0; i < index->nimports; i++) {
		free(index->imports[i].module);
		free(index->imports[i].name);
		free(index->imports[i].local);
	}
	for (i = 0; i < index->ncands; i++)
		free(index->cands[i].name);
	free(index->files);
	free(index->imports);
	free(index->cands);
	free(index);
}

/*
 * "pkg/sub/mod.py" -> "pkg.sub.mod"; "pkg/__init__.py" -> "pkg"; under
 * the package `prefix` (the input root itself is one), "prefix.pkg.sub.mod".
 */
static char *module_of(const char *prefix, const char *path, bool *package)
{
	size_t len = strlen(path), i, p = prefix ? strlen(prefix) : 0, k;
	char *out;

	if (len >= 3 && !strcmp(path + len - 3, ".py"))
		len -= 3;
	*package = false;
	if (len >= 8 && !strncmp(path + len - 8, "__init__", 8) &&
	    (len == 8 || path[len - 9] == '/')) {
		*package = true;
		len = len == 8 ? 0 : len - 9;
	}
	if (!(out = lm__malloc(p + 1 + len + 1)))
		return NULL;
	memcpy(out, prefix ? prefix : "", p);
	k = p;
	if (p && len)
		out[k++] = '.';
	for (i = 0; i < len; i++)
		out[k++] = path[i] == '/' ? '.' : path[i];
	out[k] = '\0';
	return out;
}

int lm_engine_set_package(lm_engine *engine, const char *package)
{
	char *copy = NULL;

	if (package && *package && !(copy = lm__strdup(package)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	free(engine->package);
	engine->package = copy;
	return 0;
}

int lm_package_of_dir(char **out, const char *dir)
{
	lm_buf path = LM_BUF_INIT, name = LM_BUF_INIT;
	char *real = realpath(dir, NULL), *slash;
	int error = 0;

	*out = NULL;
	if (!real)
		return 0; /* not a folder we can resolve: no package */
	/* Climb while the folder holds an __init__.py: each is a package. */
	while ((slash = strrchr(real, '/')) && slash[1]) {
		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&path, "%s/__init__.py", real)) < 0)
			goto cleanup;
		if (access(path.ptr, F_OK) != 0)
			break;
		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&path, "%s%s%s", slash + 1, name.size ? "." : "",
		                           name.size ? name.ptr : "")) < 0)
			goto cleanup;
		lm_buf_clear(&name);
		if ((error = lm_buf_puts(&name, path.ptr)) < 0)
			goto cleanup;
		*slash = '\0';
	}
	if (name.size)
		*out = lm_buf_detach(&name);

cleanup:
	free(real);
	lm_buf_dispose(&path);
	lm_buf_dispose(&name);
	return error;
}

static char *node_dup(const lm_source *src, TSNode node)
{
	size_t len, i, k = 0;
	const char *text = lm_node_text(src, node, &len);
	char *out = lm__malloc(len + 1);

	if (!out)
		return NULL;
	/* A dotted name may hold spaces or line continuations: drop them. */
	for (i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\\' && text[i] != '\n' &&
		    text[i] != '\r')
			out[k++] = text[i];
	out[k] = '\0';
	return out;
}

/*
 * The absolute module a `from` statement names: `module_name` is a
 * dotted_name or a relative_import (dots, then maybe a dotted_name),
 * resolved against the importing file's package.
 */
static int resolve_from(char **out, const lm_source *src, const idx_file *file, TSNode module_name)
{
	lm_buf buf = LM_BUF_INIT;
	TSNode prefix = {{0}, NULL, NULL}, dotted = module_name;
	size_t dots = 0, len, i;
	const char *base = file->module;
	size_t base_len = strlen(base);

	*out = NULL;

	if (lm_node_is(module_name, "relative_import")) {
		const char *text;

		prefix = ts_node_named_child(module_name, 0);
		dotted = ts_node_named_child_count(module_name) > 1
		             ? ts_node_named_child(module_name, 1)
		             : (TSNode){{0}, NULL, NULL};
		text = lm_node_text(src, prefix, &len);
		for (i = 0; i < len; i++)
			dots += text[i] == '.';
		/* The package: the module itself for an __init__, else its parent. */
		if (!file->package) {
			while (base_len > 0 && base[base_len - 1] != '.')
				base_len--;
			if (base_len > 0)
				base_len--;
		}
		*out = NULL;
		for (i = 1; i < dots; i++) {
			if (base_len == 0)
				return 0; /* beyond the top: not in this tree */
			while (base_len > 0 && base[base_len - 1] != '.')
				base_len--;
			if (base_len > 0)
				base_len--;
		}
		if (lm_buf_put(&buf, base, base_len) < 0)
			goto fail;
	}
	if (!ts_node_is_null(dotted)) {
		char *name = node_dup(src, dotted);

		if (!name || (buf.size && lm_buf_puts(&buf, ".") < 0) ||
		    lm_buf_puts(&buf, name) < 0) {
			free(name);
			goto fail;
		}
		free(name);
	}
	if (!buf.size && lm_buf_puts(&buf, "") < 0)
		goto fail;
	*out = lm_buf_detach(&buf);
	return 0;
fail:
	lm_buf_dispose(&buf);
	return lm_error_set(LM_ENOMEM, "out of memory");
}

/* Takes module, name and local (each NULL when out of memory); `named`: a from-import. */
static int add_import(lm__index *index, size_t file, char *module, char *name, char *local,
                      bool named)
{
	idx_import *im;
	int error;

	if (!module || (named && !name) || !local) {
		free(module);
		free(name);
		free(local);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	if ((error = grow((void **)&index->imports, &index->aimports, index->nimports,
	                  sizeof(*im))) < 0) {
		free(module);
		free(name);
		free(local);
		return error;
	}
	im = &index->imports[index->nimports++];
	im->file = file;
	im->module = module;
	im->name = name;
	im->local = local;
	return 0;
}

static int index_import_from(lm__index *index, size_t file, const lm_source *src, TSNode stmt)
{
	TSNode module_name = ts_node_child_by_field_name(stmt, "module_name", 11), child;
	lm_kids kids;
	char *module;
	int error = 0;

	if (ts_node_is_null(module_name))
		return 0;
	if ((error = resolve_from(&module, src, &index->files[file], module_name)) < 0)
		return error;
	if (!module)
		return 0; /* a relative import leaving the tree */
	for (lm_kids_start(&kids, stmt, true); error == 0 && lm_kids_next(&kids, &child);) {
		if (ts_node_eq(child, module_name))
			continue;
		if (lm_node_is(child, "wildcard_import")) {
			error = add_import(index, file, lm__strdup(module), lm__strdup("*"),
			                   lm__strdup("*"), true);
		} else if (lm_node_is(child, "dotted_name")) {
			error = add_import(index, file, lm__strdup(module), node_dup(src, child),
			                   node_dup(src, child), true);
		} else if (lm_node_is(child, "aliased_import")) {
			TSNode name = ts_node_child_by_field_name(child, "name", 4);
			TSNode alias = ts_node_child_by_field_name(child, "alias", 5);

			if (!ts_node_is_null(name) && !ts_node_is_null(alias))
				error = add_import(index, file, lm__strdup(module),
				                   node_dup(src, name), node_dup(src, alias), true);
		}
	}
	lm_kids_end(&kids);
	free(module);
	return error;
}

static int index_import(lm__index *index, size_t file, const lm_source *src, TSNode stmt)
{
	lm_kids kids;
	TSNode child;
	int error = 0;

	for (lm_kids_start(&kids, stmt, true); error == 0 && lm_kids_next(&kids, &child);) {
		if (lm_node_is(child, "dotted_name")) {
			/* `import a.b` binds `a`; uses are `a.b.name`. */
			error = add_import(index, file, node_dup(src, child), NULL,
			                   node_dup(src, child), false);
		} else if (lm_node_is(child, "aliased_import")) {
			TSNode name = ts_node_child_by_field_name(child, "name", 4);
			TSNode alias = ts_node_child_by_field_name(child, "alias", 5);

			if (!ts_node_is_null(name) && !ts_node_is_null(alias))
				error = add_import(index, file, node_dup(src, name), NULL,
				                   node_dup(src, alias), false);
		}
	}
	lm_kids_end(&kids);
	return error;
}

/* Every import statement, at any depth (imports inside functions count). */
static int index_imports(lm__index *index, size_t file, const lm_source *src, TSNode node)
{
	lm_kids kids;
	TSNode child;
	int error = 0;

	if (lm_node_is(node, "import_from_statement"))
		return index_import_from(index, file, src, node);
	if (lm_node_is(node, "import_statement"))
		return index_import(index, file, src, node);
	if (lm_node_is(node, "string") || lm_node_is(node, "expression_statement") ||
	    lm_node_is(node, "return_statement"))
		return 0;
	for (lm_kids_start(&kids, node, true); error >= 0 && lm_kids_next(&kids, &child);)
		error = index_imports(index, file, src, child);
	lm_kids_end(&kids);
	return error < 0 ? error : 0;
}

int lm_candidate_add(lm_candidates *c, TSNode name)
{
	lm__index *index = c->index;
	idx_candidate *cand;
	char *text = node_dup(c->src, name);
	int error;

	if (!text)
		return lm_error_set(LM_ENOMEM, "out of memory");
	if ((error = grow((void **)&index->cands, &index->acands, index->ncands, sizeof(*cand))) <
	    0) {
		free(text);
		return error;
	}
	cand = &index->cands[index->ncands++];
	cand->op = c->op;
	cand->file = c->file;
	cand->name = text;
	return 0;
}

int lm_engine_index(lm_engine *engine, const lm_source *src, const char *path)
{
	lm__index *index;
	idx_file *file;
	size_t i, no;
	bool any = false;
	int error;

	for (i = 0; i < engine->count; i++)
		any |= engine->ops[i]->candidates != NULL;
	if (!any)
		return 0;
	if (!engine->index && !(engine->index = lm__calloc(1, sizeof(*engine->index))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	index = engine->index;
	if ((error = grow((void **)&index->files, &index->afiles, index->nfiles, sizeof(*file))) <
	    0)
		return error;
	file = &index->files[index->nfiles];
	memset(file, 0, sizeof(*file));
	if (!(file->path = lm__strdup(path)) ||
	    !(file->module = module_of(engine->package, path, &file->package))) {
		free(file->path);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	no = index->nfiles++;
	if ((error = index_imports(index, no, src, lm_source_root(src))) < 0)
		return error;
	/* A driver calls the module's functions; it defines nothing to seed. */
	for (i = 0; i < engine->count && !lm_is_driver(path); i++) {
		lm_candidates c = {index, src, i, no};

		if (engine->ops[i]->candidates && (error = engine->ops[i]->candidates(&c, src)) < 0)
			return error;
	}
	return 0;
}

/* ---- the rewrite callbacks' view ----------------------------------------------- */

const char *lm_tree_name(const lm_tree_rewrite *rw)
{
	return rw->cand->name;
}

size_t lm_tree_count(const lm_tree_rewrite *rw)
{
	return rw->nfiles;
}

const lm_source *lm_tree_source(const lm_tree_rewrite *rw, size_t i)
{
	return rw->files[i].src;
}

const char *lm_tree_path(const lm_tree_rewrite *rw, size_t i)
{
	return rw->engine->index->files[rw->files[i].file].path;
}

bool lm_tree_binding(const lm_tree_rewrite *rw, size_t i, size_t n, lm_binding *kind,
                     const char **local)
{
	if (n >= rw->files[i].nbindings)
		return false;
	*kind = rw->files[i].bindings[n].kind;
	*local = rw->files[i].bindings[n].local;
	return true;
}

lm_edits *lm_tree_edits(lm_tree_rewrite *rw, size_t i)
{
	return rw->files[i].edits;
}

int lm_tree_relate(lm_tree_rewrite *rw, size_t i, TSNode node, const char *role)
{
	pending *p;
	int error;

	if ((error = grow((void **)&rw->related, &rw->arelated, rw->nrelated, sizeof(*p))) < 0)
		return error;
	p = &rw->related[rw->nrelated++];
	p->file = i;
	p->start = ts_node_start_byte(node);
	p->end = ts_node_end_byte(node);
	p->role = role;
	return 0;
}

static void clear_site(lm_tree_rewrite *rw)
{
	size_t i;

	for (i = 0; i < rw->nfiles; i++)
		lm_edits_clear(rw->files[i].edits);
	rw->nrelated = 0;
}

/* A new site anchored at `at` in file i, pushed onto the output. */
static int new_site(lm_site **out, lm_tree_rewrite *rw, size_t i, TSNode at, TSNode statement,
                    const lm_kind *kind)
{
	const lm_source *src = rw->files[i].src;
	lm_site *site = lm__calloc(1, sizeof(*site));
	lm_buf qual = LM_BUF_INIT;
	char blob[GIT_OID_HEXSZ + 1];
	int error;

	*out = NULL;
	if (!site)
		return lm_error_set(LM_ENOMEM, "out of memory");
	site->op = rw->op;
	site->kind = kind;
	site->anchor_start = ts_node_start_byte(at);
	site->anchor_end = ts_node_end_byte(at);
	site->bom = lm_source_bom(src);
	lm_source_position(src, site->anchor_start, &site->line, &site->col);
	if ((error = lm_qualname(&qual, src, at)) < 0)
		goto fail;
	site->qualname = lm_buf_detach(&qual);
	site->fingerprint = lm__normalise(src, ts_node_is_null(statement) ? at : statement);
	site->path = lm__strdup(lm_tree_path(rw, i));
	if (!site->qualname || !site->fingerprint || !site->path) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto fail;
	}
	if ((error = lm__blob_hex(blob, src)) < 0)
		goto fail;
	lm_mutant_id(site->id, site->op, site->path, site->qualname, site->fingerprint, 0, blob);
	if ((error = lm__sites_push(rw->out, site)) < 0)
		goto fail;
	*out = site;
	return 0;
fail:
	lm_buf_dispose(&qual);
	lm__site_free(site);
	return error;
}

int lm_tree_skip(lm_tree_rewrite *rw, size_t i, TSNode at, const lm_kind *kind, const char *reason)
{
	lm_site *site;
	int error;

	clear_site(rw);
	if ((error = new_site(&site, rw, i, at, at, kind)) < 0)
		return error;
	site->skip_reason = reason;
	if (!(site->preview = lm__preview(rw->files[i].src, site)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	return 0;
}

/* Apply file f's edits, re-parse the result; on failure, say why in the site. */
static int mutate_file(lm_tree_rewrite *rw, lm_site *site, size_t f, char **text, size_t *len,
                       lm_source **parsed)
{
	const lm_source *src = rw->files[f].src;
	lm_buf buf = LM_BUF_INIT;
	int error;

	*text = NULL;
	*parsed = NULL;
	if ((error = lm_edits_apply(&buf, lm_source_text(src), lm_source_len(src),
	                            rw->files[f].edits)) < 0)
		goto cleanup;
	*len = buf.size;
	*text = lm_buf_detach(&buf);
	if (!*text && !(*text = lm__strdup(""))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	error = lm_source_from_bytes(parsed, lm_source_name(src), *text, *len);
	if (error == 0)
		error = lm_source_parse_edited(*parsed, rw->parser, src, rw->files[f].edits);
	if (error == LM_ENOMEM)
		goto cleanup;
	if (error < 0 && *parsed && lm_source_misread(*parsed)) {
		site->skip_reason = lm_source_misread(*parsed);
		site->valid = false;
		error = 0;
		lm_source_free(*parsed);
		*parsed = NULL;
	} else if (error < 0) {
		site->valid = false;
		if (!site->invalid && !(site->invalid = lm__strdup(lm_error_last())))
			error = lm_error_set(LM_ENOMEM, "out of memory");
		else
			error = 0;
		lm_source_free(*parsed);
		*parsed = NULL;
	}

cleanup:
	lm_buf_dispose(&buf);
	return error;
}

/* The line of text[at], without its indentation: [*s, *e). */
static void line_at(const char *text, size_t len, size_t at, size_t *s, size_t *e)
{
	*s = *e = at;
	while (*s > 0 && text[*s - 1] != '\n' && text[*s - 1] != '\r')
		(*s)--;
	while (*e < len && text[*e] != '\n' && text[*e] != '\r')
		(*e)++;
	while (*s < *e && (text[*s] == ' ' || text[*s] == '\t'))
		(*s)++;
}

/* "the anchor's line  ->  that line in the mutant". */
static char *tree_preview(const lm_source *src, const lm_site *site)
{
	lm_buf out = LM_BUF_INIT;
	size_t s, e;

	line_at(lm_source_text(src), lm_source_len(src), site->anchor_start, &s, &e);
	if (lm_buf_put(&out, lm_source_text(src) + s, e - s) < 0)
		goto fail;
	if (site->valid && site->mutant && site->mutant_anchor_start != SIZE_MAX) {
		line_at(site->mutant, site->mutant_len, site->mutant_anchor_start, &s, &e);
		if (lm_buf_puts(&out, "  ->  ") < 0 ||
		    lm_buf_put(&out, site->mutant + s, e - s) < 0)
			goto fail;
	}
	if (!out.ptr && lm_buf_puts(&out, "") < 0)
		goto fail;
	return lm_buf_detach(&out);
fail:
	lm_buf_dispose(&out);
	return NULL;
}

int lm_tree_emit(lm_tree_rewrite *rw, size_t i, TSNode anchor, TSNode statement,
                 const lm_kind *kind)
{
	lm_source **parsed = NULL;
	lm_site *site;
	size_t f, k, n = 0;
	bool bad_edits = false;
	int error;

	for (f = 0; f < rw->nfiles; f++)
		if (lm__edit_on_continued_line(rw->files[f].src, rw->files[f].edits))
			return lm_tree_skip(rw, i, anchor, kind, LM__CONTINUED_LINE);
	if ((error = new_site(&site, rw, i, anchor, statement, kind)) < 0)
		goto cleanup;
	site->valid = true;
	if (!(parsed = lm__calloc(rw->nfiles, sizeof(*parsed))) ||
	    !(site->more = lm__calloc(rw->nfiles, sizeof(*site->more))) ||
	    (rw->nrelated && !(site->related = lm__calloc(rw->nrelated, sizeof(*site->related))))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* Edits that overlap or leave the text: the operator's fault (lm__reject_edits). */
	for (f = 0; f < rw->nfiles; f++) {
		if ((error = lm_edits_check(rw->files[f].edits, lm_source_len(rw->files[f].src))) ==
		    0)
			continue;
		if (error == LM_EINVALID &&
		    (error = lm__reject_edits(site, lm_tree_path(rw, f))) == 0)
			bad_edits = true;
		if (error < 0)
			goto cleanup;
		break;
	}
	for (f = 0; f < rw->nfiles && !bad_edits; f++) {
		lm_site_file *more;

		if (f != i && lm_edits_count(rw->files[f].edits) == 0)
			continue;
		if (f == i) {
			if ((error = mutate_file(rw, site, f, &site->mutant, &site->mutant_len,
			                         &parsed[f])) < 0 ||
			    (error = lm_edits_new(&site->edits)) < 0)
				goto cleanup;
			/* The site takes the anchor file's edits. */
			{
				lm_edits *tmp = site->edits;

				site->edits = rw->files[f].edits;
				rw->files[f].edits = tmp;
			}
			continue;
		}
		more = &site->more[site->nmore++];
		more->bom = lm_source_bom(rw->files[f].src);
		if (!(more->path = lm__strdup(lm_tree_path(rw, f)))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		if ((error = mutate_file(rw, site, f, &more->mutant, &more->mutant_len,
		                         &parsed[f])) < 0 ||
		    (error = lm_edits_new(&more->edits)) < 0)
			goto cleanup;
		{
			lm_edits *tmp = more->edits;

			more->edits = rw->files[f].edits;
			rw->files[f].edits = tmp;
		}
	}
	if (site->valid) {
		lm__map_range(lm_source_text(rw->files[i].src), site->anchor_start,
		              site->anchor_end, site->edits, &site->mutant_anchor_start,
		              &site->mutant_anchor_end);
		lm_source_position(parsed[i], site->mutant_anchor_start, &site->mutant_line[0],
		                   &site->mutant_col[0]);
		lm_source_position(parsed[i], site->mutant_anchor_end, &site->mutant_line[1],
		                   &site->mutant_col[1]);
		for (k = 0; k < rw->nrelated; k++) {
			const pending *p = &rw->related[k];
			const lm_edits *edits = NULL;
			lm_location *loc = &site->related[n];
			size_t ms, me, m;

			if (p->file == i)
				edits = site->edits;
			for (m = 0; !edits && m < site->nmore; m++)
				if (!strcmp(site->more[m].path, lm_tree_path(rw, p->file)))
					edits = site->more[m].edits;
			if (!edits)
				edits = rw->files[p->file].edits; /* unchanged: empty */
			lm__map_range(lm_source_text(rw->files[p->file].src), p->start, p->end,
			              edits, &ms, &me);
			if (ms == SIZE_MAX)
				continue;
			if (!(loc->path = lm__strdup(lm_tree_path(rw, p->file)))) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				goto cleanup;
			}
			loc->role = p->role;
			{
				const lm_source *in =
				    parsed[p->file] ? parsed[p->file] : rw->files[p->file].src;

				lm_source_position(in, ms, &loc->line[0], &loc->col[0]);
				lm_source_position(in, me, &loc->line[1], &loc->col[1]);
			}
			site->nrelated = ++n;
		}
	}
	if (!(site->preview = tree_preview(rw->files[i].src, site)))
		error = lm_error_set(LM_ENOMEM, "out of memory");

cleanup:
	if (parsed)
		for (f = 0; f < rw->nfiles; f++)
			lm_source_free(parsed[f]);
	free(parsed);
	clear_site(rw);
	return error;
}

/* ---- the pass ------------------------------------------------------------------- */

static void tree_file_release(tree_file *tf)
{
	size_t k;

	lm_source_free(tf->src);
	lm_edits_free(tf->edits);
	for (k = 0; k < tf->nbindings; k++)
		free(tf->bindings[k].local);
	free(tf->bindings);
}

static void tree_files_free(tree_file *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tree_file_release(&files[i]);
	free(files);
}

/* The file's tree_file entry for index file `file`, added if new. */
static int tree_file_at(lm_tree_rewrite *rw, size_t file, size_t *at)
{
	size_t i;

	for (i = 0; i < rw->nfiles; i++)
		if (rw->files[i].file == file) {
			*at = i;
			return 0;
		}
	rw->files[rw->nfiles].file = file;
	*at = rw->nfiles++;
	return lm_edits_new(&rw->files[*at].edits);
}

/* Bind `local` followed by `suffix` (a module's rest: ".sub.mod", or ""). */
static int bind(tree_file *tf, lm_binding kind, const char *local, const char *suffix)
{
	tree_binding *b = lm__realloc(tf->bindings, (tf->nbindings + 1) * sizeof(*b));
	size_t a = strlen(local), c = strlen(suffix);
	char *text;

	if (!b)
		return lm_error_set(LM_ENOMEM, "out of memory");
	tf->bindings = b;
	if (!(text = lm__malloc(a + c + 1)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	memcpy(text, local, a);
	memcpy(text + a, suffix, c + 1);
	b[tf->nbindings].kind = kind;
	b[tf->nbindings].local = text;
	tf->nbindings++;
	return 0;
}

/* Whether `module` is `prefix` or starts with `prefix.`. */
static bool module_under(const char *module, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(module, prefix, n) && (module[n] == '\0' || module[n] == '.');
}

/*
 * Whether `from pkg import mod` names the module `module` or a package
 * holding it: `pkg.mod` is it or a prefix of it; *suffix is the rest.
 */
static bool from_module(const char *module, const char *pkg, const char *mod, const char **suffix)
{
	size_t p = strlen(pkg), m = strlen(mod);

	if (p && (strncmp(module, pkg, p) || module[p] != '.'))
		return false;
	module += p ? p + 1 : 0;
	if (strncmp(module, mod, m) || (module[m] != '\0' && module[m] != '.'))
		return false;
	*suffix = module + m;
	return true;
}

static int scan_candidate(lm_engine *engine, lm_parser *parser, lm_load_cb load, void *payload,
                          const idx_candidate *cand, lm_sites *out)
{
	lm__index *index = engine->index;
	const idx_file *def = &index->files[cand->file];
	lm_tree_rewrite rw;
	size_t i, at, n;
	bool importer;
	int error = 0;

	memset(&rw, 0, sizeof(rw));
	rw.engine = engine;
	rw.op = engine->ops[cand->op];
	rw.cand = cand;
	rw.parser = parser;
	rw.out = out;
	/* At most: the defining file and one entry per import. */
	if (!(rw.files = lm__calloc(index->nimports + 1, sizeof(*rw.files))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	if ((error = tree_file_at(&rw, cand->file, &at)) < 0 ||
	    (error = bind(&rw.files[at], LM_BIND_DEFINES, cand->name, "")) < 0)
		goto cleanup;
	for (i = 0; i < index->nimports; i++) {
		const idx_import *im = &index->imports[i];
		const char *suffix = "";
		lm_binding kind;

		if (im->name && !strcmp(im->module, def->module) && !strcmp(im->name, cand->name)) {
			kind = LM_BIND_NAME;
		} else if (im->name && !strcmp(im->module, def->module) && !strcmp(im->name, "*")) {
			kind = LM_BIND_STAR;
		} else if (!im->name && def->module[0] && module_under(def->module, im->module)) {
			/* `import pkg.mod [as m]`: uses are `m.name`, `pkg.mod.name`. */
			kind = LM_BIND_MODULE;
			suffix = def->module + strlen(im->module);
		} else if (im->name && strcmp(im->name, "*") && def->module[0] &&
		           from_module(def->module, im->module, im->name, &suffix)) {
			/* `from pkg import mod [as m]`: uses are `m.name`. */
			kind = LM_BIND_MODULE;
		} else {
			continue;
		}
		if (im->file == cand->file && kind == LM_BIND_MODULE)
			continue; /* a module importing itself */
		if ((error = tree_file_at(&rw, im->file, &at)) < 0 ||
		    (error = bind(&rw.files[at], kind,
		                  kind == LM_BIND_STAR ? cand->name : im->local, suffix)) < 0)
			goto cleanup;
	}
	/*
	 * Every use of the name an operator looks for in an importing file
	 * (`name`, `alias` after `import name as alias`, `m.name`), and every
	 * reason to refuse there, holds the name's text: a file without it is
	 * left out unparsed (most files importing a module use a few of its
	 * names).  The files left keep their order.
	 */
	for (i = 0, n = 0; i < rw.nfiles; i++) {
		tree_file *tf = &rw.files[i];

		error = load(&tf->src, index->files[tf->file].path, payload);
		if (error == 0 && i > 0 &&
		    !memmem(lm_source_text(tf->src), lm_source_len(tf->src), cand->name,
		            strlen(cand->name))) {
			tree_file_release(tf);
			continue;
		}
		if (error == 0)
			error = lm_source_parse(tf->src, parser);
		rw.files[n++] = *tf;
		if (error < 0)
			break;
	}
	importer = i > 0 && i < rw.nfiles; /* the file that failed, if one did */
	/* The files not reached are kept too, to be freed. */
	while (i < rw.nfiles && ++i < rw.nfiles)
		rw.files[n++] = rw.files[i];
	rw.nfiles = n;
	if (error == LM_ENOMEM)
		goto cleanup;
	if (error < 0) {
		/* Reported when it was read; rewrite nothing without it. */
		error = 0;
		if (importer)
			error = lm_tree_skip(&rw, 0, lm_source_root(rw.files[0].src), NULL,
			                     "an importing file cannot be read");
		goto cleanup;
	}
	error = rw.op->rewrite_tree(&rw);

cleanup:
	tree_files_free(rw.files, rw.nfiles);
	free(rw.related);
	return error;
}

int lm_engine_scan_tree_each(lm_engine *engine, lm_parser *parser, lm_load_cb load, void *payload,
                             lm_sites_cb each, void *each_payload)
{
	lm__index *index = engine->index;
	lm_sites sites = LM_SITES_INIT;
	size_t op, i;
	int error = 0;

	if (!index)
		return 0;
	for (op = 0; error == 0 && op < engine->count; op++)
		for (i = 0; error == 0 && i < index->ncands; i++) {
			if (index->cands[i].op != op)
				continue;
			error =
			    scan_candidate(engine, parser, load, payload, &index->cands[i], &sites);
			if (error == 0 && sites.count)
				error = each(&sites, each_payload);
			lm_sites_dispose(&sites);
		}
	return error;
}

/* Takes the sites of one candidate. */
static int collect(const lm_sites *sites, void *payload)
{
	lm_sites *out = payload;
	size_t i;
	int error;

	for (i = 0; i < sites->count; i++) {
		if ((error = lm__sites_push(out, sites->items[i])) < 0)
			return error;
		sites->items[i] = NULL;
	}
	return 0;
}

int lm_engine_scan_tree(lm_engine *engine, lm_parser *parser, lm_load_cb load, void *payload,
                        lm_sites *out)
{
	return lm_engine_scan_tree_each(engine, parser, load, payload, collect, out);
}

void lm_engine_index_clear(lm_engine *engine)
{
	lm__index_free(engine->index);
	engine->index = NULL;
}
