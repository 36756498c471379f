#include "alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Atomic: generate's worker threads allocate too. */
static atomic_ulong fail_at;
static atomic_ulong count;

void lm__alloc_fail_at(unsigned long n)
{
	atomic_store(&fail_at, n);
	atomic_store(&count, 0);
}

unsigned long lm__alloc_count(void)
{
	return atomic_load(&count);
}

static int should_fail(void)
{
	unsigned long n = atomic_fetch_add_explicit(&count, 1, memory_order_relaxed) + 1;
	unsigned long at = atomic_load_explicit(&fail_at, memory_order_relaxed);

	return at != 0 && n == at;
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
