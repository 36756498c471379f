/* Files written whole: a reader finds the old file or the new one, never a part. */
#ifndef LEAKMUT_WHOLE_H
#define LEAKMUT_WHOLE_H

#include <stddef.h>

/*
 * Write `len` bytes of `data` to `path` through PATH.tmpPID beside it,
 * renamed over `path` once written and closed.  On failure `path` is as it
 * was, the temporary file is removed, and the error (LM_EIO) names `path`
 * and the cause.
 */
int lm__write_whole(const char *path, const char *data, size_t len);

#endif
