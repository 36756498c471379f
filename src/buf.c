#include "leakmut/common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

int lm_buf_grow(lm_buf *buf, size_t extra)
{
	size_t need, asize;
	char *ptr;

	if (extra > SIZE_MAX - buf->size - 1)
		return lm_error_set(LM_ENOMEM, "buffer size overflow");
	need = buf->size + extra + 1;
	if (need <= buf->asize)
		return 0;
	asize = buf->asize ? buf->asize : 64;
	while (asize < need)
		asize = asize > SIZE_MAX / 2 ? need : asize * 2;
	ptr = lm__realloc(buf->ptr, asize);
	if (!ptr)
		return lm_error_set(LM_ENOMEM, "out of memory");
	buf->ptr = ptr;
	buf->asize = asize;
	return 0;
}

int lm_buf_put(lm_buf *buf, const char *data, size_t len)
{
	int error;

	if ((error = lm_buf_grow(buf, len)) < 0)
		return error;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int lm_buf_puts(lm_buf *buf, const char *str)
{
	return lm_buf_put(buf, str, strlen(str));
}

int lm_buf_printf(lm_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int len, error;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return lm_error_set(LM_ERROR, "bad format");
	if ((error = lm_buf_grow(buf, (size_t)len)) < 0)
		return error;
	va_start(ap, fmt);
	vsnprintf(buf->ptr + buf->size, (size_t)len + 1, fmt, ap);
	va_end(ap);
	buf->size += (size_t)len;
	return 0;
}

void lm_buf_clear(lm_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

char *lm_buf_detach(lm_buf *buf)
{
	char *ptr = buf->ptr;

	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	return ptr;
}

void lm_buf_dispose(lm_buf *buf)
{
	if (!buf)
		return;
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}
