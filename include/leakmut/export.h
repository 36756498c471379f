/*
 * leakmut: exporting a mutant repository for tools that cannot read git.
 */
#ifndef LEAKMUT_EXPORT_H
#define LEAKMUT_EXPORT_H

#include <stddef.h>

#include "common.h"

typedef enum lm_export_format {
	LM_EXPORT_DIFF, /* DEST/<id>.diff: a unified diff against base per mutant */
	LM_EXPORT_DIR,  /* DEST/<id>/<path>: each mutant's changed files */
	LM_EXPORT_JSONL /* DEST: one object a line: id, operator, path, before,
	                   after, truth */
} lm_export_format;

/*
 * Export every mutant listed in the truth of the leakmut repository `repo`
 * to `dest` (a folder, created if missing; a file for JSONL).  Paths from
 * the truth are checked: absolute paths and `..` are refused, so nothing is
 * written outside `dest`; a JSONL file is written beside `dest` and renamed
 * over it, so a failed export leaves `dest` as it was.  *mutants and
 * *controls receive the numbers of each exported.
 */
int lm_export(const char *repo, lm_export_format format, const char *dest, size_t *mutants,
              size_t *controls);

#endif
