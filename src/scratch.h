/*
 * Scratch folders holding a tree of a leakmut repository, for running
 * Python on it (verify) or a detector over it (score).
 */
#ifndef LEAKMUT_SCRATCH_H
#define LEAKMUT_SCRATCH_H

#include <git2.h>

#include "leakmut/common.h"

/*
 * Write the tree of `rev` (a commit or tree name) into `dir`, which exists.
 * Only regular files are written; links and submodules are not, and an
 * entry named `.` or `..` is refused.
 */
int lm__write_tree(git_repository *repo, const char *rev, const char *dir);

/* Remove `dir` and everything under it (links are removed, not followed). */
void lm__remove_tree(const char *dir);

#endif
