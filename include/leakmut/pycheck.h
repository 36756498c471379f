/*
 * leakmut: compiling mutants with CPython, many per process.
 *
 * Sources are queued (spooled to temporary files, so memory stays flat) in
 * chunks; each full chunk is compiled by a python3 process that runs while
 * the caller queues the next, and lm_pycheck_run() compiles the rest and
 * waits for all of it.
 */
#ifndef LEAKMUT_PYCHECK_H
#define LEAKMUT_PYCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"
#include "edit.h"

typedef struct lm_pycheck lm_pycheck;

/*
 * Create a checker running `python` (NULL: $LEAKMUT_PYTHON, else "python3"
 * from PATH).  Release with lm_pycheck_free().
 */
int lm_pycheck_new(lm_pycheck **out, const char *python);

/* Release a checker and its spool file.  Accepts NULL. */
void lm_pycheck_free(lm_pycheck *pc);

/* Whether the interpreter could be started (known after the first run). */
bool lm_pycheck_available(const lm_pycheck *pc);

/* Queue a source; *index receives its position for lm_pycheck_result(). */
int lm_pycheck_add(lm_pycheck *pc, const char *name, const char *bytes, size_t len, size_t *index);

/*
 * Queue the source `text` (after a BOM when `bom`) with `edits` made: the
 * same verdict as lm_pycheck_add() of the edited text, for less work.
 * The original goes to the spool once for a run of calls with the same
 * file; python then compiles only the top-level statements the edits
 * touch when the rest of the file cannot change whether they compile,
 * and the whole file when they do not.
 */
int lm_pycheck_add_edits(lm_pycheck *pc, const char *name, bool bom, const char *text, size_t len,
                         const lm_edits *edits, size_t *index);

/*
 * Compile everything queued and not yet compiled, and wait for every chunk
 * (results are read only after this).  When the
 * interpreter cannot be started, returns 0 and lm_pycheck_available() says
 * false; results are then NULL ("not checked").
 */
int lm_pycheck_run(lm_pycheck *pc);

/*
 * NULL when source `index` compiled (or was not checked), else the error
 * (borrowed, valid until the checker is freed).
 */
const char *lm_pycheck_result(const lm_pycheck *pc, size_t index);

#endif
