/*
 * leakmut: compiling mutants with CPython, many per process.
 *
 * Sources are queued (spooled to a temporary file, so memory stays flat) and
 * compiled by one python3 process per lm_pycheck_run().
 */
#ifndef LEAKMUT_PYCHECK_H
#define LEAKMUT_PYCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

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
 * Compile everything queued since the last run, in one process.  When the
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
