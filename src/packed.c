#include "packed.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "leakmut/leakmut.h"
#include "util.h"

typedef struct record {
	char *name;
	git_oid oid;
	git_oid peeled;
	bool has_peeled;
} record;

struct lm__packed {
	char *path;    /* gitdir/packed-refs */
	char *header;  /* its "# pack-refs with:" line (no newline), or NULL */
	record *items; /* sorted by name, but for the `unsorted` last ones */
	size_t count, alloc, unsorted;
	char **loose; /* sorted */
	size_t nloose;
	bool dirty;
};

static int cmp_record(const void *a, const void *b)
{
	return strcmp(((const record *)a)->name, ((const record *)b)->name);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted part holds every name once: the unsorted tail goes in. */
static void sort_records(lm__packed *p)
{
	size_t i, k;

	if (!p->unsorted)
		return;
	/* A stable merge is not needed: names in the tail are new (set()). */
	qsort(p->items, p->count, sizeof(*p->items), cmp_record);
	for (i = 1, k = 1; i < p->count; i++) {
		if (!strcmp(p->items[i].name, p->items[k - 1].name)) {
			free(p->items[i].name);
			continue;
		}
		p->items[k++] = p->items[i];
	}
	p->count = p->count ? k : 0;
	p->unsorted = 0;
}

static record *find(const lm__packed *p, const char *name)
{
	record key;
	size_t i;

	key.name = (char *)name;
	for (i = p->count - p->unsorted; i < p->count; i++)
		if (!strcmp(p->items[i].name, name))
			return &p->items[i];
	if (p->count == p->unsorted)
		return NULL; /* bsearch() wants a non-null base, even for none */
	return bsearch(&key, p->items, p->count - p->unsorted, sizeof(*p->items), cmp_record);
}

static int push(lm__packed *p, const char *name, size_t len, const git_oid *oid)
{
	record *r;

	if (p->count == p->alloc) {
		size_t alloc = p->alloc ? p->alloc * 2 : 256;
		record *items = lm__realloc(p->items, alloc * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		p->items = items;
		p->alloc = alloc;
	}
	r = &p->items[p->count];
	memset(r, 0, sizeof(*r));
	if (!(r->name = lm__strndup(name, len)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	git_oid_cpy(&r->oid, oid);
	p->count++;
	return 0;
}

static int bad_line(const lm__packed *p, size_t line, const char *why)
{
	return lm_error_set(LM_EINVALID, "%s:%zu: %s", p->path, line, why);
}

static int parse(lm__packed *p, const char *text, size_t len)
{
	size_t at = 0, line = 0;
	int error;

	while (at < len) {
		const char *s = text + at, *nl = memchr(s, '\n', len - at);
		size_t n = nl ? (size_t)(nl - s) : len - at;
		git_oid oid;

		line++;
		at += n + (nl != NULL);
		if (line == 1 && n >= 17 && !memcmp(s, "# pack-refs with:", 17)) {
			if (!(p->header = lm__strndup(s, n)))
				return lm_error_set(LM_ENOMEM, "out of memory");
			continue;
		}
		if (n > 0 && s[0] == '^') {
			if (p->count == 0 || p->items[p->count - 1].has_peeled ||
			    n != 1 + GIT_OID_HEXSZ ||
			    git_oid_fromstrn(&oid, s + 1, GIT_OID_HEXSZ) < 0)
				return bad_line(p, line, "not a peeled id after a ref");
			git_oid_cpy(&p->items[p->count - 1].peeled, &oid);
			p->items[p->count - 1].has_peeled = true;
			continue;
		}
		if (n < GIT_OID_HEXSZ + 2 || s[GIT_OID_HEXSZ] != ' ' ||
		    git_oid_fromstrn(&oid, s, GIT_OID_HEXSZ) < 0 ||
		    memchr(s + GIT_OID_HEXSZ + 1, '\0', n - GIT_OID_HEXSZ - 1))
			return bad_line(p, line, "not \"<id> <refname>\"");
		if ((error = push(p, s + GIT_OID_HEXSZ + 1, n - GIT_OID_HEXSZ - 1, &oid)) < 0)
			return error;
	}
	/* Sorted or not (the header says), the store sorts what it read. */
	p->unsorted = p->count;
	sort_records(p);
	return 0;
}

static int read_file(lm__packed *p)
{
	char *text = NULL;
	size_t len = 0, alloc = 0;
	int fd = open(p->path, O_RDONLY | O_CLOEXEC), error = 0;

	if (fd < 0)
		return errno == ENOENT
		           ? 0
		           : lm_error_set(LM_EIO, "%s: cannot open: %s", p->path, strerror(errno));
	for (;;) {
		ssize_t got;

		if (len == alloc) {
			char *more = lm__realloc(text, alloc ? alloc * 2 : 65536);

			if (!more) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				break;
			}
			text = more;
			alloc = alloc ? alloc * 2 : 65536;
		}
		got = read(fd, text + len, alloc - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			error =
			    lm_error_set(LM_EIO, "%s: cannot read: %s", p->path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (error == 0)
		error = parse(p, text, len);
	free(text);
	return error;
}

/* The loose refs in gitdir/refs/heads/<kind>/ (one level: m/<id>, c/<id>). */
static int read_loose(lm__packed *p, const char *gitdir, const char *kind)
{
	char dir[4096];
	DIR *d;
	struct dirent *ent;
	int error = 0;

	snprintf(dir, sizeof(dir), "%srefs/heads/%s", gitdir, kind);
	if (!(d = opendir(dir)))
		return 0; /* none */
	while (error == 0 && (ent = readdir(d)) != NULL) {
		char **more, *name;
		size_t len = strlen(ent->d_name);

		if (ent->d_name[0] == '.' || (len > 5 && !strcmp(ent->d_name + len - 5, ".lock")))
			continue;
		if (!(more = lm__realloc(p->loose, (p->nloose + 1) * sizeof(*more)))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			break;
		}
		p->loose = more;
		if (!(name = lm__malloc(strlen("refs/heads/") + strlen(kind) + 1 + len + 1))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			break;
		}
		sprintf(name, "refs/heads/%s/%s", kind, ent->d_name);
		p->loose[p->nloose++] = name;
	}
	closedir(d);
	return error;
}

int lm__packed_open(lm__packed **out, const char *gitdir)
{
	lm__packed *p;
	int error;

	*out = NULL;
	if (!(p = lm__calloc(1, sizeof(*p))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	if (!(p->path = lm__malloc(strlen(gitdir) + sizeof("packed-refs")))) {
		lm__packed_free(p);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	sprintf(p->path, "%spacked-refs", gitdir);
	if ((error = read_file(p)) < 0 || (error = read_loose(p, gitdir, "m")) < 0 ||
	    (error = read_loose(p, gitdir, "c")) < 0) {
		lm__packed_free(p);
		return error;
	}
	if (p->nloose)
		qsort(p->loose, p->nloose, sizeof(*p->loose), cmp_name);
	*out = p;
	return 0;
}

void lm__packed_free(lm__packed *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->count; i++)
		free(p->items[i].name);
	for (i = 0; i < p->nloose; i++)
		free(p->loose[i]);
	free(p->items);
	free(p->loose);
	free(p->header);
	free(p->path);
	free(p);
}

bool lm__packed_is_loose(const lm__packed *p, const char *name)
{
	return p->nloose &&
	       bsearch(&name, p->loose, p->nloose, sizeof(*p->loose), cmp_name) != NULL;
}

int lm__packed_get(const lm__packed *p, const char *name, git_oid *oid)
{
	const record *r = find(p, name);

	if (!r)
		return 0;
	git_oid_cpy(oid, &r->oid);
	return 1;
}

int lm__packed_set(lm__packed *p, const char *name, const git_oid *oid)
{
	record *r = find(p, name);
	int error;

	p->dirty = true;
	if (r) {
		git_oid_cpy(&r->oid, oid);
		r->has_peeled = false; /* an id generate wrote: a commit */
		return 0;
	}
	if ((error = push(p, name, strlen(name), oid)) < 0)
		return error;
	p->unsorted++;
	/* Keep the tail short: lookups go through it one by one. */
	if (p->unsorted >= 64)
		sort_records(p);
	return 0;
}

size_t lm__packed_count(const lm__packed *p)
{
	return p->count;
}

int lm__packed_write(lm__packed *p)
{
	lm_buf text = LM_BUF_INIT, lock = LM_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int fd = -1, error;

	if (!p->dirty)
		return 0;
	sort_records(p);
	/* git's own traits when there was no file: every tag peeled, sorted. */
	error = lm_buf_printf(
	    &text, "%s\n", p->header ? p->header : "# pack-refs with: peeled fully-peeled sorted ");
	for (i = 0; error == 0 && i < p->count; i++) {
		git_oid_tostr(hex, sizeof(hex), &p->items[i].oid);
		error = lm_buf_printf(&text, "%s %s\n", hex, p->items[i].name);
		if (error == 0 && p->items[i].has_peeled) {
			git_oid_tostr(hex, sizeof(hex), &p->items[i].peeled);
			error = lm_buf_printf(&text, "^%s\n", hex);
		}
	}
	if (error == 0)
		error = lm_buf_printf(&lock, "%s.lock", p->path);
	if (error < 0)
		goto cleanup;
	if ((fd = open(lock.ptr, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644)) < 0) {
		error = lm_error_set(LM_EIO, "%s: cannot create: %s", lock.ptr, strerror(errno));
		goto cleanup;
	}
	{
		int failed = lm__write_all(fd, text.ptr, text.size) < 0 ? errno : 0;

		if (close(fd) < 0 && !failed)
			failed = errno;
		fd = -1;
		if (failed) {
			error = lm_error_set(LM_EIO, "%s: cannot write: %s", lock.ptr,
			                     strerror(failed));
			unlink(lock.ptr);
			goto cleanup;
		}
	}
	if (rename(lock.ptr, p->path) < 0) {
		error = lm_error_set(LM_EIO, "%s: cannot rename to %s: %s", lock.ptr, p->path,
		                     strerror(errno));
		unlink(lock.ptr);
		goto cleanup;
	}
	p->dirty = false;

cleanup:
	if (fd >= 0)
		close(fd);
	lm_buf_dispose(&text);
	lm_buf_dispose(&lock);
	return error;
}
