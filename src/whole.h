/* Files written whole: a reader finds the old file or the new one, never a part. */
#ifndef LEAKMUT_WHOLE_H
#define LEAKMUT_WHOLE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Write `len` bytes of `data` to `path` through PATH.tmpPID beside it,
 * renamed over `path` once written and closed.  On failure `path` is as it
 * was, the temporary file is removed, and the error (LM_EIO) names `path`
 * and the cause.
 */
int lm__write_whole(const char *path, const char *data, size_t len);

/* The same, through the temporary file `tmp` (on the file system of `path`). */
int lm__write_whole_via(const char *path, const char *tmp, const char *data, size_t len);

/*
 * Write `len` bytes of `data` to the new file `file`, where nothing reads it
 * yet (a temporary, a stage); on failure it is removed, and the error
 * (LM_EIO) names `name` (what `file` becomes) and the cause.
 */
int lm__write_file(const char *file, const char *name, const char *data, size_t len);

/*
 * What a run killed while it wrote something aside leaves: remove the
 * siblings of the first `len` bytes of `path` named BASE + `infix` + PID,
 * of file type `type` (S_IFDIR or S_IFREG, as lstat says: links are kept),
 * whose process PID is gone, or is this process: each caller clears before
 * it writes aside, so such a sibling is a former process's that had this
 * pid (a container's runs often share one).  Another live process's is
 * kept (another run writing now), and so is every other name.  Errors only
 * from allocation; a folder that cannot be read has nothing to clear.
 */
int lm__clear_stale(const char *path, size_t len, const char *infix, mode_t type);

/*
 * Create a temporary file $TMPDIR/NAME-XXXXXX (/tmp without TMPDIR),
 * close-on-exec: its name into `path` (`size` bytes), its descriptor into
 * *fd.  A TMPDIR too long for `path` is an error (LM_EINVALID), never
 * replaced by /tmp; a file that cannot be made is one naming `path` (LM_EIO).
 */
int lm__temp_file(char *path, size_t size, const char *name, int *fd);

#endif
