/*
 * Allocation for the library, with failure injection for the torture test
 * (tests/torture.c): after lm__alloc_fail_at(N), the N-th allocation from
 * then on fails.  Allocations made inside tree-sitter, libgit2 and jansson
 * are theirs and are not injected.
 */
#ifndef LEAKMUT_ALLOC_H
#define LEAKMUT_ALLOC_H

#include <stddef.h>

void *lm__malloc(size_t size);
void *lm__calloc(size_t n, size_t size);
void *lm__realloc(void *ptr, size_t size);
char *lm__strndup(const char *str, size_t len);
char *lm__strdup(const char *str);

/* Make the n-th allocation from now fail (0 disables); returns how many ran. */
void lm__alloc_fail_at(unsigned long n);
unsigned long lm__alloc_count(void);

#define LM_FREE_AND_NULL(p)                                                                        \
	do {                                                                                       \
		free(p);                                                                           \
		(p) = NULL;                                                                        \
	} while (0)

#endif
