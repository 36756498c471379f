/*
 * leakmut: finding the Python files under a path.
 */
#ifndef LEAKMUT_WALK_H
#define LEAKMUT_WALK_H

#include "common.h"

/*
 * Called for each file: `path` opens it, `rel` is its path relative to the
 * walked root (for a root that is a file, its base name).  Non-zero stops
 * the walk and is returned.
 */
typedef int (*lm_walk_file_cb)(const char *path, const char *rel, void *payload);

/*
 * Called for a path that could not be read, and for each symbolic link
 * passed over (`why` is then LM_WALK_SYMLINK: a note, not a failure); the
 * walk goes on.
 */
#define LM_WALK_SYMLINK "a symbolic link, not followed"

typedef void (*lm_walk_error_cb)(const char *path, const char *why, void *payload);

/*
 * Visit every `.py` file under `root` in byte-wise sorted order.  Skipped:
 * hidden entries (a leading '.'), __pycache__, virtual environments (a
 * folder holding pyvenv.cfg), and every symbolic link (so the walk never
 * leaves `root` and never loops).  A root that is a file is visited itself.
 * Fails with LM_ENOTFOUND/LM_EIO when `root` itself cannot be read.
 */
int lm_walk(const char *root, lm_walk_file_cb file_cb, lm_walk_error_cb error_cb, void *payload);

#endif
