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
	char *mutant;            /* the mutated text (after any BOM), NUL-terminated */
	size_t mutant_len;
	bool valid;    /* re-parses without ERROR or MISSING nodes */
	char *invalid; /* why not, when !valid */
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
 * The mutant id (12 hex digits and a NUL into `out`) of a site: SHA-256 over
 * the operator id and version, the path, the enclosing qualified name, the
 * normalised acquisition text, the occurrence index and the git blob id of
 * the original file.
 */
int lm_mutant_id(char out[13], const lm_operator *op, const char *path, const char *qualname,
                 const char *fingerprint, unsigned occurrence, const char *blob_hex);

#endif
