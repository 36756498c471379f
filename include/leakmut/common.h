/*
 * leakmut: error codes, the last-error slot, and the growable byte buffer.
 *
 * Every fallible function returns 0 or one of the negative LM_E* codes and
 * leaves a message for lm_error_last().  The library never prints and never
 * exits; the CLI prints the message once.
 */
#ifndef LEAKMUT_COMMON_H
#define LEAKMUT_COMMON_H

#include <stdarg.h>
#include <stddef.h>

#define LEAKMUT_VERSION "0.1.0"

enum {
	LM_OK = 0,
	LM_ERROR = -1,     /* generic failure */
	LM_ENOMEM = -2,    /* an allocation failed */
	LM_EIO = -3,       /* a read or write failed */
	LM_ENOTFOUND = -4, /* a named thing does not exist */
	LM_EPARSE = -5,    /* source or query text does not parse */
	LM_EINVALID = -6,  /* bad input: arguments, sizes, encodings */
	LM_ETOOBIG = -7,   /* a file over LM_SOURCE_MAX_BYTES, _EXTRAS or _DEPTH */
	LM_EGIT = -8,      /* libgit2 failed */
	LM_EABI = -9,      /* the grammar's ABI is not one this tree-sitter loads */
	LM_ELOCKED = -10   /* another run holds a lock */
};

/*
 * The message of the last error set on this thread, or "" when none was
 * set.  Borrowed: valid until the next library call on this thread.
 */
const char *lm_error_last(void);

/* The code that went with lm_error_last(), or 0. */
int lm_error_code(void);

/*
 * Set the last error (printf-style) and return `code`, so that a caller can
 * write `return lm_error_set(LM_EINVALID, "...")`.
 */
int lm_error_set(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Forget the last error. */
void lm_error_clear(void);

/*
 * A growable byte buffer, always NUL-terminated when ptr is not NULL.
 * Initialise with LM_BUF_INIT; release with lm_buf_dispose().
 */
typedef struct lm_buf {
	char *ptr;
	size_t size;  /* bytes in use, without the NUL */
	size_t asize; /* bytes allocated */
} lm_buf;

#define LM_BUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Make room for `extra` more bytes.  0 or LM_ENOMEM. */
int lm_buf_grow(lm_buf *buf, size_t extra);

/* Append `len` bytes.  0 or LM_ENOMEM. */
int lm_buf_put(lm_buf *buf, const char *data, size_t len);

/* Append a NUL-terminated string.  0 or LM_ENOMEM. */
int lm_buf_puts(lm_buf *buf, const char *str);

/* Append printf-style.  0 or LM_ENOMEM. */
int lm_buf_printf(lm_buf *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Forget the contents, keep the allocation. */
void lm_buf_clear(lm_buf *buf);

/*
 * Hand the contents to the caller (who frees them with free()) and reset the
 * buffer.  Returns NULL for an empty, never-grown buffer.
 */
char *lm_buf_detach(lm_buf *buf);

/* Free the contents; the buffer is LM_BUF_INIT again.  Accepts NULL. */
void lm_buf_dispose(lm_buf *buf);

#endif
