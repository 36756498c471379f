#include "packw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha1.h>
#include <zlib.h>

#include "alloc.h"
#include "leakmut/leakmut.h"
#include "util.h"

/* gitformat-pack(5): a delta against the object some bytes before it. */
#define OBJ_OFS_DELTA 6
/* git's diff-delta never copies more than this at once; readers expect it. */
#define COPY_MAX   0x10000u
#define INSERT_MAX 127u
/* Offsets above this need the index's 64-bit table: a flush comes far sooner. */
#define OFFSET_MAX 0x7fffffffu

typedef struct entry {
	git_oid oid;
	size_t offset; /* in the pack */
	uint32_t crc;  /* of the object's bytes in the pack */
} entry;

struct lm__packw {
	char *dir;
	lm_buf pack;  /* the header, then the objects; no trailer yet */
	entry *items; /* in pack order */
	size_t count, alloc;
	uint32_t *table; /* open addressing on the ids: item index + 1, 0 when free */
	size_t tsize;    /* a power of two, at least twice count */
	lm_buf scratch;  /* a whole object's content or a delta */
	z_stream z;
	bool z_ready;
};

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return lm__calloc(items, size);
}

static void z_free(voidpf opaque, voidpf ptr)
{
	(void)opaque;
	free(ptr);
}

int lm__packw_new(lm__packw **out, const char *pack_dir)
{
	lm__packw *w;

	*out = NULL;
	if (!(w = lm__calloc(1, sizeof(*w))) || !(w->dir = lm__strdup(pack_dir))) {
		free(w);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	w->z.zalloc = z_alloc;
	w->z.zfree = z_free;
	if (deflateInit(&w->z, Z_DEFAULT_COMPRESSION) != Z_OK) {
		lm__packw_free(w);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	w->z_ready = true;
	*out = w;
	return 0;
}

void lm__packw_free(lm__packw *w)
{
	if (!w)
		return;
	if (w->z_ready)
		deflateEnd(&w->z);
	lm_buf_dispose(&w->pack);
	lm_buf_dispose(&w->scratch);
	free(w->items);
	free(w->table);
	free(w->dir);
	free(w);
}

void lm__object_id(git_oid *out, git_object_t type, const lm__piece *pieces, size_t n)
{
	struct sha1_ctx ctx;
	char header[64];
	size_t i, len = 0;
	int hlen;

	for (i = 0; i < n; i++)
		len += pieces[i].len;
	hlen = snprintf(header, sizeof(header), "%s %zu", git_object_type2string(type), len);
	sha1_init(&ctx);
	sha1_update(&ctx, (size_t)hlen + 1, (const uint8_t *)header); /* with its NUL */
	for (i = 0; i < n; i++)
		sha1_update(&ctx, pieces[i].len, (const uint8_t *)pieces[i].ptr);
	sha1_digest(&ctx, GIT_OID_RAWSZ, out->id);
}

static size_t slot_of(const git_oid *oid, size_t tsize)
{
	size_t h = 0, i;

	for (i = 0; i < sizeof(size_t) && i < GIT_OID_RAWSZ; i++)
		h = (h << 8) | oid->id[i];
	return h & (tsize - 1);
}

long lm__packw_find(const lm__packw *w, const git_oid *oid)
{
	size_t s;

	if (!w->tsize)
		return -1;
	for (s = slot_of(oid, w->tsize); w->table[s]; s = (s + 1) & (w->tsize - 1))
		if (git_oid_equal(&w->items[w->table[s] - 1].oid, oid))
			return (long)(w->table[s] - 1);
	return -1;
}

/* Room for one more object, in the list and in the table. */
static int make_room(lm__packw *w)
{
	size_t i;

	if (w->count == w->alloc) {
		size_t alloc = w->alloc ? w->alloc * 2 : 256;
		entry *items = lm__realloc(w->items, alloc * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		w->items = items;
		w->alloc = alloc;
	}
	if ((w->count + 1) * 2 > w->tsize) {
		size_t tsize = w->tsize ? w->tsize * 2 : 512;
		uint32_t *table = lm__calloc(tsize, sizeof(*table));

		if (!table)
			return lm_error_set(LM_ENOMEM, "out of memory");
		for (i = 0; i < w->count; i++) {
			size_t s = slot_of(&w->items[i].oid, tsize);

			while (table[s])
				s = (s + 1) & (tsize - 1);
			table[s] = (uint32_t)(i + 1);
		}
		free(w->table);
		w->table = table;
		w->tsize = tsize;
	}
	return 0;
}

/* A size as the delta format writes it: 7 bits a byte, least significant first. */
static int put_varint(lm_buf *buf, size_t v)
{
	char bytes[16];
	size_t n = 0;

	do {
		bytes[n] = (char)(v & 0x7f);
		v >>= 7;
		if (v)
			bytes[n] |= (char)0x80;
		n++;
	} while (v);
	return lm_buf_put(buf, bytes, n);
}

static int put_copy(lm_buf *buf, size_t offset, size_t len)
{
	while (len > 0) {
		size_t take = len < COPY_MAX ? len : COPY_MAX, size = take == COPY_MAX ? 0 : take;
		unsigned char op[8];
		size_t n = 1, i;
		int error;

		op[0] = 0x80;
		for (i = 0; i < 4; i++)
			if ((offset >> (8 * i)) & 0xff) {
				op[0] |= (unsigned char)(1u << i);
				op[n++] = (unsigned char)((offset >> (8 * i)) & 0xff);
			}
		for (i = 0; i < 3; i++)
			if ((size >> (8 * i)) & 0xff) {
				op[0] |= (unsigned char)(0x10u << i);
				op[n++] = (unsigned char)((size >> (8 * i)) & 0xff);
			}
		if ((error = lm_buf_put(buf, (const char *)op, n)) < 0)
			return error;
		offset += take;
		len -= take;
	}
	return 0;
}

static int put_insert(lm_buf *buf, const char *data, size_t len)
{
	while (len > 0) {
		size_t take = len < INSERT_MAX ? len : INSERT_MAX;
		char op = (char)take;
		int error;

		if ((error = lm_buf_put(buf, &op, 1)) < 0 ||
		    (error = lm_buf_put(buf, data, take)) < 0)
			return error;
		data += take;
		len -= take;
	}
	return 0;
}

/* The delta of the pieces against `base` into w->scratch. */
static int make_delta(lm__packw *w, const lm__piece *pieces, size_t n, const char *base,
                      size_t base_len, size_t len)
{
	size_t i;
	int error;

	lm_buf_clear(&w->scratch);
	if ((error = put_varint(&w->scratch, base_len)) < 0 ||
	    (error = put_varint(&w->scratch, len)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		const lm__piece *p = &pieces[i];

		if (!p->copy) {
			error = put_insert(&w->scratch, p->ptr, p->len);
		} else if (p->len > 0 && (p->ptr < base || (size_t)(p->ptr - base) > base_len ||
		                          p->len > base_len - (size_t)(p->ptr - base))) {
			error = lm_error_set(LM_EINVALID, "a piece to copy lies outside its base");
		} else {
			error = put_copy(&w->scratch, p->len ? (size_t)(p->ptr - base) : 0, p->len);
		}
		if (error < 0)
			return error;
	}
	return 0;
}

/* Append `len` bytes deflated to the pack. */
static int put_deflated(lm__packw *w, const char *data, size_t len)
{
	uLong bound;
	int error;

	if (len > UINT32_MAX)
		return lm_error_set(LM_ETOOBIG, "an object of %zu bytes is too big to pack", len);
	bound = deflateBound(&w->z, (uLong)len);
	if ((error = lm_buf_grow(&w->pack, bound)) < 0)
		return error;
	if (deflateReset(&w->z) != Z_OK)
		return lm_error_set(LM_ERROR, "zlib: cannot reset its stream");
	w->z.next_in = (Bytef *)data;
	w->z.avail_in = (uInt)len;
	w->z.next_out = (Bytef *)w->pack.ptr + w->pack.size;
	w->z.avail_out = (uInt)bound;
	if (deflate(&w->z, Z_FINISH) != Z_STREAM_END)
		return lm_error_set(LM_ERROR, "zlib: cannot compress an object");
	w->pack.size += bound - w->z.avail_out;
	return 0;
}

int lm__packw_add(lm__packw *w, git_object_t type, const git_oid *oid, const lm__piece *pieces,
                  size_t n, long base, const char *base_data, size_t base_len, size_t *index)
{
	unsigned char head[32];
	size_t start = w->pack.size, len = 0, size, h = 0, i;
	int error, kind = (int)type;

	if (base >= (long)w->count)
		return lm_error_set(LM_EINVALID, "a delta against an object not in the pack");
	for (i = 0; i < n; i++)
		len += pieces[i].len;
	lm_buf_clear(&w->scratch);
	if (base < 0) {
		for (i = 0; i < n; i++)
			if ((error = lm_buf_put(&w->scratch, pieces[i].ptr, pieces[i].len)) < 0)
				return error;
	} else {
		if ((error = make_delta(w, pieces, n, base_data, base_len, len)) < 0)
			return error;
		kind = OBJ_OFS_DELTA;
	}
	if ((error = make_room(w)) < 0)
		return error;
	if (w->pack.size == 0) {
		/* "PACK", version 2, the count (set when written). */
		if ((error = lm_buf_put(&w->pack, "PACK\0\0\0\2\0\0\0\0", 12)) < 0)
			return error;
		start = w->pack.size;
	}
	if (start > OFFSET_MAX)
		return lm_error_set(LM_ETOOBIG, "a pack of over 2 GiB");

	/* Type and size: 4 bits of size in the first byte, then 7 a byte. */
	size = w->scratch.size;
	head[h] = (unsigned char)((kind << 4) | (size & 0x0f));
	for (size >>= 4; size; size >>= 7) {
		head[h++] |= 0x80;
		head[h] = (unsigned char)(size & 0x7f);
	}
	h++;
	if (base >= 0) {
		/* How far back the base starts, big-endian, each more byte adding 1. */
		unsigned char ofs[16];
		size_t back = start - w->items[base].offset, pos = sizeof(ofs) - 1;

		ofs[pos] = (unsigned char)(back & 0x7f);
		while (back >>= 7)
			ofs[--pos] = (unsigned char)(0x80 | (--back & 0x7f));
		memcpy(head + h, ofs + pos, sizeof(ofs) - pos);
		h += sizeof(ofs) - pos;
	}
	if ((error = lm_buf_put(&w->pack, (const char *)head, h)) < 0 ||
	    (error = put_deflated(w, w->scratch.ptr, w->scratch.size)) < 0) {
		w->pack.size = start;
		return error;
	}

	w->items[w->count].oid = *oid;
	w->items[w->count].offset = start;
	w->items[w->count].crc =
	    (uint32_t)crc32(0, (const Bytef *)w->pack.ptr + start, (uInt)(w->pack.size - start));
	{
		size_t s = slot_of(oid, w->tsize);

		while (w->table[s])
			s = (s + 1) & (w->tsize - 1);
		w->table[s] = (uint32_t)(w->count + 1);
	}
	*index = w->count++;
	return 0;
}

size_t lm__packw_count(const lm__packw *w)
{
	return w->count;
}

size_t lm__packw_size(const lm__packw *w)
{
	return w->pack.size;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static int cmp_entries(const void *a, const void *b)
{
	return git_oid_cmp(&((const entry *)a)->oid, &((const entry *)b)->oid);
}

/* The version 2 index of the pack whose trailer is `sum`, into `idx`. */
static int make_index(lm__packw *w, const uint8_t sum[GIT_OID_RAWSZ], lm_buf *idx)
{
	struct sha1_ctx ctx;
	unsigned char word[4], digest[GIT_OID_RAWSZ];
	uint32_t fanout[256] = {0};
	size_t i;
	int error;

	qsort(w->items, w->count, sizeof(*w->items), cmp_entries);
	for (i = 0; i < w->count; i++)
		fanout[w->items[i].oid.id[0]]++;
	for (i = 1; i < 256; i++)
		fanout[i] += fanout[i - 1];
	if ((error = lm_buf_grow(idx, 8 + 256 * 4 + w->count * (GIT_OID_RAWSZ + 8) +
	                                  2 * GIT_OID_RAWSZ)) < 0 ||
	    (error = lm_buf_put(idx, "\377tOc\0\0\0\2", 8)) < 0)
		return error;
	for (i = 0; i < 256; i++) {
		put_be32(word, fanout[i]);
		lm_buf_put(idx, (const char *)word, 4);
	}
	for (i = 0; i < w->count; i++)
		lm_buf_put(idx, (const char *)w->items[i].oid.id, GIT_OID_RAWSZ);
	for (i = 0; i < w->count; i++) {
		put_be32(word, w->items[i].crc);
		lm_buf_put(idx, (const char *)word, 4);
	}
	for (i = 0; i < w->count; i++) {
		put_be32(word, (uint32_t)w->items[i].offset);
		lm_buf_put(idx, (const char *)word, 4);
	}
	lm_buf_put(idx, (const char *)sum, GIT_OID_RAWSZ);
	sha1_init(&ctx);
	sha1_update(&ctx, idx->size, (const uint8_t *)idx->ptr);
	sha1_digest(&ctx, GIT_OID_RAWSZ, digest);
	return lm_buf_put(idx, (const char *)digest, GIT_OID_RAWSZ);
}

/* Write `len` bytes to a new temporary file of w->dir, then rename it to `name`. */
static int write_file(const lm__packw *w, const char *name, const char *data, size_t len)
{
	lm_buf tmp = LM_BUF_INIT, final = LM_BUF_INIT;
	int fd = -1, error, failed;

	if ((error = lm_buf_printf(&tmp, "%s/tmp_pack_XXXXXX", w->dir)) < 0 ||
	    (error = lm_buf_printf(&final, "%s/%s", w->dir, name)) < 0)
		goto cleanup;
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		error =
		    lm_error_set(LM_EIO, "%s: cannot create a file: %s", w->dir, strerror(errno));
		goto cleanup;
	}
	failed = lm__write_all(fd, data, len) < 0 || fchmod(fd, 0444) < 0 ? errno : 0;
	if (close(fd) < 0 && !failed)
		failed = errno;
	fd = -1;
	if (!failed && rename(tmp.ptr, final.ptr) < 0)
		failed = errno;
	if (failed) {
		error = lm_error_set(LM_EIO, "%s: cannot write: %s", final.ptr, strerror(failed));
		unlink(tmp.ptr);
	}

cleanup:
	lm_buf_dispose(&tmp);
	lm_buf_dispose(&final);
	return error;
}

static void reset(lm__packw *w)
{
	w->pack.size = 0;
	w->count = 0;
	if (w->table)
		memset(w->table, 0, w->tsize * sizeof(*w->table));
}

int lm__packw_write(lm__packw *w)
{
	struct sha1_ctx ctx;
	uint8_t sum[GIT_OID_RAWSZ];
	char hex[GIT_OID_HEXSZ + 1], name[64];
	lm_buf idx = LM_BUF_INIT;
	git_oid id;
	int error;

	if (w->count == 0)
		return 0;
	put_be32((unsigned char *)w->pack.ptr + 8, (uint32_t)w->count);
	sha1_init(&ctx);
	sha1_update(&ctx, w->pack.size, (const uint8_t *)w->pack.ptr);
	sha1_digest(&ctx, GIT_OID_RAWSZ, sum);
	if ((error = lm_buf_put(&w->pack, (const char *)sum, GIT_OID_RAWSZ)) < 0 ||
	    (error = make_index(w, sum, &idx)) < 0)
		goto cleanup;
	git_oid_fromraw(&id, sum);
	git_oid_tostr(hex, sizeof(hex), &id);
	/* The pack, then its index: readers find a pack by its index. */
	snprintf(name, sizeof(name), "pack-%s.pack", hex);
	if ((error = write_file(w, name, w->pack.ptr, w->pack.size)) < 0)
		goto cleanup;
	snprintf(name, sizeof(name), "pack-%s.idx", hex);
	if ((error = write_file(w, name, idx.ptr, idx.size)) < 0) {
		lm_buf path = LM_BUF_INIT;

		/* Unindexed, the pack would only take room. */
		if (lm_buf_printf(&path, "%s/pack-%s.pack", w->dir, hex) == 0)
			unlink(path.ptr);
		lm_buf_dispose(&path);
	}

cleanup:
	reset(w);
	lm_buf_dispose(&idx);
	return error;
}
