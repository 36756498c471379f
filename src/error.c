#include "leakmut/common.h"

#include <stdio.h>
#include <string.h>

/* One slot per thread; messages longer than this are cut. */
static _Thread_local char last_message[1024];
static _Thread_local int last_code;

const char *lm_error_last(void)
{
	return last_message;
}

int lm_error_code(void)
{
	return last_code;
}

int lm_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

void lm_error_clear(void)
{
	last_message[0] = '\0';
	last_code = 0;
}
