/* Small helpers the library's modules share. */
#ifndef LEAKMUT_UTIL_H
#define LEAKMUT_UTIL_H

#include <jansson.h>
#include <stddef.h>

/* Set the last error from libgit2's ("what: its message") and return LM_EGIT. */
int lm__git_fail(const char *what);

/* A JSON object's string member, or "" when it is missing or not a string. */
const char *lm__json_str(const json_t *obj, const char *key);

/* write(2) all of `len` bytes, again after EINTR: 0, or -1 with errno set. */
int lm__write_all(int fd, const char *buf, size_t len);

#endif
