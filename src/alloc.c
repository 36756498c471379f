#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned long fail_at;
static unsigned long count;

void lm__alloc_fail_at(unsigned long n)
{
	fail_at = n;
	count = 0;
}

unsigned long lm__alloc_count(void)
{
	return count;
}

static int should_fail(void)
{
	count++;
	return fail_at != 0 && count == fail_at;
}

void *lm__malloc(size_t size)
{
	if (should_fail())
		return NULL;
	return malloc(size ? size : 1);
}

void *lm__calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *lm__realloc(void *ptr, size_t size)
{
	if (should_fail())
		return NULL;
	return realloc(ptr, size ? size : 1);
}

char *lm__strndup(const char *str, size_t len)
{
	char *copy = lm__malloc(len + 1);

	if (!copy)
		return NULL;
	memcpy(copy, str, len);
	copy[len] = '\0';
	return copy;
}

char *lm__strdup(const char *str)
{
	return lm__strndup(str, strlen(str));
}
