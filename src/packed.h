/*
 * leakmut: the refs generate writes, kept in OUT's packed-refs file.
 *
 * One loose ref file a branch (what libgit2 writes) costs a lock file, a
 * rename and a directory entry each, for tens of thousands of branches.
 * libgit2 has no public writer of packed-refs, so this is one, in git's
 * format (gitrepository-layout(5)): an optional "# pack-refs with:" line,
 * then "<hex id> <refname>" lines sorted by name, each optionally followed
 * by "^<hex id>" (the peeled id of an annotated tag).  It is written as git
 * writes it: to packed-refs.lock, created exclusively, then renamed over
 * packed-refs, so that a reader sees the old file or the new one whole.
 * Loose refs take precedence over packed ones: a name that was loose when
 * the store was opened is left to libgit2.
 */
#ifndef LEAKMUT_PACKED_H
#define LEAKMUT_PACKED_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct lm__packed lm__packed;

/*
 * Read the packed-refs of the repository at `gitdir` (ending in '/'; no file
 * is an empty store) and note which refs under refs/heads/m/ and
 * refs/heads/c/ are loose.  A malformed file is an error naming it and its
 * line.
 */
int lm__packed_open(lm__packed **out, const char *gitdir);
void lm__packed_free(lm__packed *p);

/* Whether `name` was a loose ref when the store was opened. */
bool lm__packed_is_loose(const lm__packed *p, const char *name);
/* The id `name` has in the store (written or set since): 1, or 0 when none. */
int lm__packed_get(const lm__packed *p, const char *name, git_oid *oid);
/* Point `name` at `oid`, in memory until lm__packed_write(). */
int lm__packed_set(lm__packed *p, const char *name, const git_oid *oid);
/* How many refs the store holds. */
size_t lm__packed_count(const lm__packed *p);
/* Write the store to packed-refs (through packed-refs.lock), if it changed. */
int lm__packed_write(lm__packed *p);

#endif
