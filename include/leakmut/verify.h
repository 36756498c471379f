/*
 * leakmut: confirming seeded leaks at run time.
 *
 * The driver convention: a module `<dir>/<name>.py` anywhere in the tree is
 * exercised by `drivers/drive_<name>.py` at the tree's root.  Drivers are
 * part of the base tree but are never mutated themselves.
 *
 * For each mutant and control whose module has a driver, the driver runs on
 * base and on the mutant under `python3 -X dev -X tracemalloc=25 -W
 * always::ResourceWarning` in a scratch folder holding that tree.  Statuses:
 * - validated: a ResourceWarning whose allocation traceback has a frame at
 *   the anchor appears on the mutant, and none on base;
 * - reached: the anchor's lines ran but no such warning appeared;
 * - not-reached: the driver never ran the anchor;
 * - unwitnessed: no driver, or a kind CPython does not warn about;
 * - failed: the driver failed on the mutant but not on base (the mutant
 *   changed behaviour: a defect of its operator);
 * - base-failed: the driver fails or warns on base already.
 * A control is confirmed when it stays silent (no warning, driver passes).
 */
#ifndef LEAKMUT_VERIFY_H
#define LEAKMUT_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

/* Whether a tree path is a driver (`drivers/drive_*.py`). */
bool lm_is_driver(const char *path);

/* The driver path of a module path, appended to `out`. */
int lm_driver_for(lm_buf *out, const char *path);

typedef struct lm_verify_opts {
	const char *repo;   /* the leakmut repository */
	const char *python; /* NULL: $LEAKMUT_PYTHON, else python3 */
	unsigned jobs;      /* drivers run at once; 0: 2 */
	unsigned timeout;   /* seconds per driver run; 0: 60 */
	/* One line per mutant or control as it is decided. */
	void (*result)(const char *id, const char *branch, const char *status, const char *detail,
	               void *payload);
	void *payload;
} lm_verify_opts;

typedef struct lm_verify_stats {
	size_t validated, reached, not_reached, unwitnessed, failed, base_failed;
	size_t confirmed, control_failed; /* controls */
} lm_verify_stats;

/*
 * Verify every mutant and control of the repository and record each status
 * in the truth's validation.witness (a new commit on leakmut/truth).
 */
int lm_verify(const lm_verify_opts *opts, lm_verify_stats *stats);

#endif
