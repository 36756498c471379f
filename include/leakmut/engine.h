/*
 * leakmut: running operators over a source, producing sites and mutants.
 */
#ifndef LEAKMUT_ENGINE_H
#define LEAKMUT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "operator.h"
#include "source.h"

/* A file an interprocedural site changes besides its own. */
typedef struct lm_site_file {
	char *path; /* relative to the input root */
	bool bom;
	lm_edits *edits;
	char *mutant; /* the mutated text (after any BOM), NUL-terminated */
	size_t mutant_len;
} lm_site_file;

/* A related location of a site, in the mutant's coordinates. */
typedef struct lm_location {
	char *path;       /* relative to the input root */
	uint32_t line[2]; /* 1-based start and end line */
	uint32_t col[2];  /* 1-based start and end column (code points) */
	const char *role; /* "statement", "producer", "consumer", "class" */
} lm_location;

typedef struct lm_site {
	const lm_operator *op;
	const lm_kind *kind;     /* NULL when unknown */
	const char *skip_reason; /* NULL for a site; static text for a skipped one */
	size_t anchor_start;     /* the acquisition, in the input's coordinates */
	size_t anchor_end;
	uint32_t line;       /* 1-based, of the anchor */
	uint32_t col;        /* 1-based, in code points */
	char *qualname;      /* enclosing function or class, "<module>" at top level */
	char *fingerprint;   /* normalised text of the acquisition statement */
	unsigned occurrence; /* among sites with the same op, qualname, fingerprint */
	char id[13];         /* mutant id: 12 hex digits */
	char *preview;       /* one line: the statement before -> after */
	lm_edits *edits;
	size_t mutant_anchor_start; /* the acquisition, in the mutant's coordinates */
	size_t mutant_anchor_end;
	uint32_t mutant_line[2]; /* 1-based start and end line of it, in the mutant */
	uint32_t mutant_col[2];  /* 1-based start and end column (code points) */
	char *mutant;            /* the mutated text (after any BOM), NUL-terminated; see
	                            lm_engine_keep_texts() */
	size_t mutant_len;
	bool valid;    /* re-parses without ERROR or MISSING nodes */
	char *invalid; /* why not, when !valid */
	/*
	 * For a site of an interprocedural operator: its file (where the
	 * anchor is; NULL for the others, whose file is the one scanned), whether
	 * it has a BOM, and the other files the mutant changes.
	 */
	char *path;
	bool bom;
	lm_site_file *more;
	size_t nmore;
	lm_location *related;
	size_t nrelated;
} lm_site;

typedef struct lm_sites {
	lm_site **items;
	size_t count;
	size_t alloc;
} lm_sites;

#define LM_SITES_INIT                                                                              \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Free every site and the array; the list is LM_SITES_INIT again. */
void lm_sites_dispose(lm_sites *sites);

typedef struct lm_engine lm_engine;

/*
 * Compile the queries of `ops` (borrowed; they must outlive the engine).
 * Fails naming the operator whose query does not compile.  Release with
 * lm_engine_free().
 */
int lm_engine_new(lm_engine **out, const lm_operator *const *ops, size_t count);

/* Release an engine.  Accepts NULL. */
void lm_engine_free(lm_engine *engine);

/*
 * Parse `src` (if it is not yet), run every operator over it and append its
 * sites, skipped candidates included, sorted by (byte offset, operator).
 * For each site the edits are applied, the mutant re-parsed (`valid`), and
 * the mutant id computed from `path`, the file's path relative to the input
 * root.  Fails with the parse error when the source does not parse.
 */
int lm_engine_scan(lm_engine *engine, lm_source *src, lm_parser *parser, const char *path,
                   lm_sites *out);

/*
 * Whether lm_engine_scan() skips re-parsing each mutant and marks every site
 * `valid`: for a caller that scans the same bytes again and knows from the
 * first scan which sites were (a mutant id names the file's content, so an
 * id seen valid before is valid again).  Off by default.
 */
void lm_engine_trust_sites(lm_engine *engine, bool trust);

/*
 * Whether lm_engine_scan() keeps each site's mutant text (on by default).
 * Off, a site's `mutant` is NULL once it is finished (`mutant_len` stays):
 * lm_edits_apply() of its `edits` on the source makes it again.  A caller
 * holding many sites of a large file at once then holds their edits only.
 */
void lm_engine_keep_texts(lm_engine *engine, bool keep);

/*
 * Record what the interprocedural operators need of a parsed source: the
 * names it defines that they may rewrite, and its imports.  `path` is
 * relative to the input root (it gives the module's dotted name).  Call it
 * for every input file, then lm_engine_scan_tree().
 */
int lm_engine_index(lm_engine *engine, const lm_source *src, const char *path);

/*
 * The dotted package the input root is (`package`, or NULL for none): a
 * file `sub/mod.py` is then the module `package.sub.mod`, as Python sees it
 * from the folder above.  Set it before lm_engine_index().
 */
int lm_engine_set_package(lm_engine *engine, const char *package);

/*
 * The package a folder is, from the __init__.py files in it and above it:
 * "pkg.sub" for pkg/sub/, NULL (in *out) when it holds no __init__.py.
 * Free *out with free().
 */
int lm_package_of_dir(char **out, const char *dir);

/* Loads the input file at `path` (relative to the input root) into *out. */
typedef int (*lm_load_cb)(lm_source **out, const char *path, void *payload);

/*
 * Run the interprocedural operators over the indexed files: for each
 * candidate, load the file defining it and every file importing it (through
 * `load`), and append its site (or skipped candidate) to `out`, in a
 * deterministic order.  A file that fails to load or parse makes its
 * candidates skipped ("an importing file cannot be read").  The index is
 * kept (a second call gives the same sites) until lm_engine_index_clear().
 */
int lm_engine_scan_tree(lm_engine *engine, lm_parser *parser, lm_load_cb load, void *payload,
                        lm_sites *out);

/*
 * Receives the sites of one candidate; may take a site by setting its item
 * to NULL (the rest are freed after the call).  Not 0: stop with that value.
 */
typedef int (*lm_sites_cb)(const lm_sites *sites, void *payload);

/*
 * lm_engine_scan_tree(), handing each candidate's sites to `each` as they
 * are made instead of holding them all: memory stays that of one rewrite.
 */
int lm_engine_scan_tree_each(lm_engine *engine, lm_parser *parser, lm_load_cb load, void *payload,
                             lm_sites_cb each, void *each_payload);

/* Forget what lm_engine_index() recorded, for another tree. */
void lm_engine_index_clear(lm_engine *engine);

/*
 * The mutant id (12 hex digits and a NUL into `out`) of a site: SHA-256 over
 * the operator id and version, the path, the enclosing qualified name, the
 * normalised acquisition text, the occurrence index and the git blob id of
 * the original file.
 */
int lm_mutant_id(char out[13], const lm_operator *op, const char *path, const char *qualname,
                 const char *fingerprint, unsigned occurrence, const char *blob_hex);

#endif
