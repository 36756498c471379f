/*
 * leakmut: packs of objects, written by generate itself.
 *
 * A mutant differs from its base by a few edits: its blob is the base blob
 * with some bytes replaced, and each tree on its path is the base's tree
 * with one entry's id replaced.  libgit2's pack builder finds such deltas
 * by searching (and its object database writes each object whole first);
 * here the caller already knows them.  An object is given as pieces: runs
 * of a base object's bytes and new bytes.  Written whole, the pieces are
 * its content; written as a delta, each run of the base becomes a copy
 * instruction and each new run an insert.
 *
 * The pack is git's pack format, version 2, with deltas against an object
 * earlier in the same pack (OFS_DELTA), and its version 2 index
 * (gitformat-pack(5)).  It is built in memory and written to OUT's
 * objects/pack/ as git writes a pack: to a temporary file, then renamed to
 * pack-<checksum>.pack, then the index likewise, so that git and libgit2,
 * which find packs by their index, see a pack whole or not at all.
 */
#ifndef LEAKMUT_PACKW_H
#define LEAKMUT_PACKW_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct lm__packw lm__packw;

/* A run of an object's content: new bytes, or bytes of the delta's base. */
typedef struct lm__piece {
	const char *ptr;
	size_t len;
	bool copy; /* `ptr` points into the base object's content */
} lm__piece;

/* A writer of packs into `pack_dir` (an objects/pack folder that exists). */
int lm__packw_new(lm__packw **out, const char *pack_dir);
void lm__packw_free(lm__packw *w);

/* The id of the object of type `type` whose content is the pieces, in order. */
void lm__object_id(git_oid *out, git_object_t type, const lm__piece *pieces, size_t n);

/* Where `oid` is in the pack being built (its index), or -1. */
long lm__packw_find(const lm__packw *w, const git_oid *oid);

/*
 * Add the object `oid` (of type `type`, its content the pieces) to the pack
 * being built; *index says where.  With `base` -1 it is stored whole; else
 * as a delta against the object at index `base`, whose content is
 * `base_data` (`base_len` bytes), of the same type: a piece with `copy` set
 * must lie within `base_data`.  The id is not checked against the content
 * (lm__object_id() makes it).
 */
int lm__packw_add(lm__packw *w, git_object_t type, const git_oid *oid, const lm__piece *pieces,
                  size_t n, long base, const char *base_data, size_t base_len, size_t *index);

/* How many objects, and how many bytes of pack, wait to be written. */
size_t lm__packw_count(const lm__packw *w);
size_t lm__packw_size(const lm__packw *w);

/*
 * Write the pack being built and its index (nothing when it is empty), and
 * start an empty one.  After an error nothing of it is visible and the
 * writer is empty.
 */
int lm__packw_write(lm__packw *w);

#endif
