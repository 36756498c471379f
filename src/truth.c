#include "truth.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "alloc.h"
#include "util.h"
#include "leakmut/operator.h"

/*
 * The records live in a spool, an anonymous file (unlinked once open) on the
 * repository's disk, one JSON line each; a record replaced or witnessed
 * again is appended anew and its entry moves to the new line.  Memory holds
 * only what sorting, pairing and finding need: under 200 bytes a record
 * with the id index and the strings.
 */
typedef struct item {
	const char *id, *path, *op, *fp; /* in the pool */
	json_int_t line, col;
	off_t off; /* the record's line in the spool */
	size_t len;
	bool pass; /* result_kind "pass": a control */
} item;

typedef struct block {
	struct block *next;
	size_t used, size;
	char data[];
} block;

struct lm_truth {
	char *dir; /* where the spool goes; NULL: tmpfile() */
	FILE *spool;
	off_t spool_end;
	item *items;
	size_t count;
	size_t alloc;
	/*
	 * Records by id: open addressing, each slot 0 or an index into items
	 * plus one; at most half full.  Rebuilt when items are reordered.
	 */
	size_t *slots;
	size_t nslots;
	/* Strings, each kept once: a set over blocks that are never freed early. */
	block *blocks;
	const char **strings;
	size_t nstrings, astrings;
	lm_buf line; /* a record read back */
};

int lm_truth_new(lm_truth **out, const char *dir)
{
	if (!(*out = lm__calloc(1, sizeof(lm_truth))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	if (dir && !((*out)->dir = lm__strdup(dir))) {
		LM_FREE_AND_NULL(*out);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	/* Messages name the folder as the user does: git_repository_path() ends in '/'. */
	if (dir) {
		size_t n = strlen((*out)->dir);

		while (n > 1 && (*out)->dir[n - 1] == '/')
			(*out)->dir[--n] = '\0';
	}
	return 0;
}

void lm_truth_free(lm_truth *truth)
{
	block *b, *next;

	if (!truth)
		return;
	if (truth->spool)
		fclose(truth->spool);
	for (b = truth->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	free(truth->strings);
	free(truth->items);
	free(truth->slots);
	free(truth->dir);
	lm_buf_dispose(&truth->line);
	free(truth);
}

size_t lm_truth_count(const lm_truth *truth)
{
	return truth->count;
}

static json_int_t num(json_t *rec, const char *key)
{
	return json_integer_value(json_object_get(rec, key));
}

/* FNV-1a: ids are hex digests, but records loaded from a file may be anything. */
static size_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

/* An anonymous file in `dir` (removed from it at once), or tmpfile(). */
static FILE *anon_file(const char *dir)
{
	char path[4096];
	FILE *f;
	int fd;

	if (!dir) {
		if (!(f = tmpfile()))
			lm_error_set(LM_EIO, "cannot create a temporary file: %s", strerror(errno));
		return f;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/leakmut-tmp-XXXXXX", dir) >= sizeof(path)) {
		lm_error_set(LM_EINVALID, "%s: path too long", dir);
		return NULL;
	}
	if ((fd = mkstemp(path)) < 0) {
		lm_error_set(LM_EIO, "%s: cannot create a temporary file: %s", dir,
		             strerror(errno));
		return NULL;
	}
	unlink(path);
	if (!(f = fdopen(fd, "w+b"))) {
		lm_error_set(LM_EIO, "%s: cannot open a temporary file: %s", dir, strerror(errno));
		close(fd);
	}
	return f;
}

/* `s` kept once for the truth's life; NULL when out of memory. */
static const char *intern(lm_truth *truth, const char *s)
{
	size_t len = strlen(s), i;
	block *b = truth->blocks;
	char *copy;

	if (2 * (truth->nstrings + 1) > truth->astrings) {
		size_t n = truth->astrings ? 2 * truth->astrings : 256, k;
		const char **set = lm__calloc(n, sizeof(*set));

		if (!set)
			return NULL;
		for (k = 0; k < truth->astrings; k++) {
			if (!truth->strings[k])
				continue;
			for (i = hash_str(truth->strings[k]) & (n - 1); set[i];
			     i = (i + 1) & (n - 1))
				;
			set[i] = truth->strings[k];
		}
		free(truth->strings);
		truth->strings = set;
		truth->astrings = n;
	}
	for (i = hash_str(s) & (truth->astrings - 1); truth->strings[i];
	     i = (i + 1) & (truth->astrings - 1))
		if (!strcmp(truth->strings[i], s))
			return truth->strings[i];
	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > 65536 ? len + 1 : 65536;

		if (!(b = lm__malloc(sizeof(*b) + size)))
			return NULL;
		b->next = truth->blocks;
		b->used = 0;
		b->size = size;
		truth->blocks = b;
	}
	copy = b->data + b->used;
	memcpy(copy, s, len + 1);
	b->used += len + 1;
	truth->nstrings++;
	return truth->strings[i] = copy;
}

/* The slot holding `id`, or the empty slot where it would go. */
static size_t *slot_of(const lm_truth *truth, const char *id)
{
	size_t i = hash_str(id) & (truth->nslots - 1);

	while (truth->slots[i] && strcmp(truth->items[truth->slots[i] - 1].id, id) != 0)
		i = (i + 1) & (truth->nslots - 1);
	return &truth->slots[i];
}

static void fill_slots(lm_truth *truth)
{
	size_t i;

	memset(truth->slots, 0, truth->nslots * sizeof(*truth->slots));
	for (i = 0; i < truth->count; i++)
		*slot_of(truth, truth->items[i].id) = i + 1;
}

/* Index every record again in `nslots` slots (a power of two). */
static int reindex(lm_truth *truth, size_t nslots)
{
	size_t *slots = lm__calloc(nslots, sizeof(*slots));

	if (!slots)
		return lm_error_set(LM_ENOMEM, "out of memory");
	free(truth->slots);
	truth->slots = slots;
	truth->nslots = nslots;
	fill_slots(truth);
	return 0;
}

static item *find(const lm_truth *truth, const char *id)
{
	size_t *slot;

	if (!truth->nslots)
		return NULL;
	slot = slot_of(truth, id);
	return *slot ? &truth->items[*slot - 1] : NULL;
}

static int spool_fail(lm_truth *truth, const char *what)
{
	return lm_error_set(LM_EIO, "%s: cannot %s the truth's spool: %s",
	                    truth->dir ? truth->dir : "temporary file", what, strerror(errno));
}

/*
 * Add `rec`, whose compact text is `text` (one line), replacing a record
 * with the same id.  The caller keeps its reference to `rec`.
 */
static int put(lm_truth *truth, json_t *rec, const char *text, size_t len)
{
	item e;
	size_t *slot;
	int error;

	if (!truth->spool && !(truth->spool = anon_file(truth->dir)))
		return lm_error_code();
	if (fseeko(truth->spool, truth->spool_end, SEEK_SET) < 0 ||
	    fwrite(text, 1, len, truth->spool) != len || fputc('\n', truth->spool) == EOF)
		return spool_fail(truth, "write");
	memset(&e, 0, sizeof(e));
	e.off = truth->spool_end;
	e.len = len;
	truth->spool_end += (off_t)len + 1;
	e.line = num(rec, "line");
	e.col = num(rec, "col");
	e.pass = !strcmp(lm__json_str(rec, "result_kind"), "pass");
	if (!(e.id = intern(truth, lm__json_str(rec, "id"))) ||
	    !(e.path = intern(truth, lm__json_str(rec, "path"))) ||
	    !(e.op = intern(truth, lm__json_str(rec, "operator"))) ||
	    !(e.fp = intern(truth, lm__json_str(rec, "anchor_fingerprint"))))
		return lm_error_set(LM_ENOMEM, "out of memory");

	if (2 * (truth->count + 1) > truth->nslots &&
	    (error = reindex(truth, truth->nslots ? 2 * truth->nslots : 128)) < 0)
		return error;
	slot = slot_of(truth, e.id);
	if (*slot) {
		truth->items[*slot - 1] = e;
		return 0;
	}
	if (truth->count == truth->alloc) {
		size_t alloc = truth->alloc ? truth->alloc * 2 : 64;
		item *items = lm__realloc(truth->items, alloc * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		truth->items = items;
		truth->alloc = alloc;
	}
	truth->items[truth->count++] = e;
	*slot = truth->count;
	return 0;
}

/* put() with the record's own compact text. */
static int put_json(lm_truth *truth, json_t *rec)
{
	char *text = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int error;

	if (!text)
		return lm_error_set(LM_ENOMEM, "out of memory");
	error = put(truth, rec, text, strlen(text));
	free(text);
	return error;
}

/* The record of `e`, read back from the spool; NULL with the error set. */
static json_t *load(lm_truth *truth, const item *e)
{
	json_error_t jerr;
	json_t *rec;

	lm_buf_clear(&truth->line);
	if (lm_buf_grow(&truth->line, e->len) < 0)
		return NULL;
	if (fseeko(truth->spool, e->off, SEEK_SET) < 0 ||
	    fread(truth->line.ptr, 1, e->len, truth->spool) != e->len) {
		spool_fail(truth, "read");
		return NULL;
	}
	truth->line.size = e->len;
	if (!(rec = json_loadb(truth->line.ptr, e->len, 0, &jerr)))
		lm_error_set(LM_EINVALID, "record %s in the truth's spool: %s", e->id, jerr.text);
	return rec;
}

/* One line of a truth.jsonl, the `line`-th of `name`. */
static int load_line(lm_truth *truth, const char *name, size_t line, const char *text, size_t len)
{
	json_error_t jerr;
	json_t *rec;
	int error;

	if (!len)
		return 0;
	rec = json_loadb(text, len, 0, &jerr);
	if (!rec || !json_is_object(rec) || !*lm__json_str(rec, "id")) {
		json_decref(rec);
		return lm_error_set(LM_EINVALID, "%s:%zu: not a truth record%s%s", name, line,
		                    rec ? "" : ": ", rec ? "" : jerr.text);
	}
	error = put(truth, rec, text, len);
	json_decref(rec);
	return error;
}

json_t *lm_truth_record(lm_truth *truth, size_t i)
{
	if (i >= truth->count) {
		lm_error_set(LM_EINVALID, "no truth record %zu", i);
		return NULL;
	}
	return load(truth, &truth->items[i]);
}

/*
 * The lines of `data` a newline ends (with `last`, the one after the last
 * newline too), counted on from *line; *used gets how many bytes they took.
 */
static int load_lines(lm_truth *truth, const char *name, size_t *line, const char *data, size_t len,
                      bool last, size_t *used)
{
	size_t pos = 0;
	int error;

	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;

		if (!nl && !last)
			break;
		if ((error = load_line(truth, name, ++*line, data + pos, end - pos)) < 0)
			return error;
		pos = end + 1;
	}
	*used = pos < len ? pos : len;
	return 0;
}

int lm_truth_load_jsonl(lm_truth *truth, const char *name, const char *data, size_t len)
{
	size_t line = 0, used;

	return load_lines(truth, name, &line, data, len, true, &used);
}

/* The line-independent fingerprint of the seeded spot. */
static void anchor_fingerprint(char out[33], const char *path, const lm_site *site)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char occ[16];
	size_t i;

	snprintf(occ, sizeof(occ), "%u", site->occurrence);
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(path) + 1, (const uint8_t *)path);
	sha256_update(&ctx, strlen(site->qualname) + 1, (const uint8_t *)site->qualname);
	sha256_update(&ctx, strlen(site->fingerprint) + 1, (const uint8_t *)site->fingerprint);
	sha256_update(&ctx, strlen(occ) + 1, (const uint8_t *)occ);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * "files": every file the mutant changes, sorted; "related": its related
 * locations, in the mutant's coordinates.
 */
static int add_files(json_t *rec, const lm_site *site, const char *path)
{
	json_t *files = json_array(), *related = json_array();
	const char **names = lm__calloc(site->nmore + 1, sizeof(*names));
	size_t i;
	int error = -1;

	if (!files || !related || !names)
		goto cleanup;
	names[0] = path;
	for (i = 0; i < site->nmore; i++)
		names[i + 1] = site->more[i].path;
	qsort(names, site->nmore + 1, sizeof(*names), cmp_strings);
	for (i = 0; i < site->nmore + 1; i++)
		if (json_array_append_new(files, json_string(names[i])) < 0)
			goto cleanup;
	for (i = 0; i < site->nrelated; i++) {
		const lm_location *l = &site->related[i];

		if (json_array_append_new(related, json_pack("{s:s, s:i, s:i, s:i, s:i, s:s}",
		                                             "path", l->path, "line",
		                                             (int)l->line[0], "col", (int)l->col[0],
		                                             "end_line", (int)l->line[1], "end_col",
		                                             (int)l->col[1], "role", l->role)) < 0)
			goto cleanup;
	}
	if (json_object_set(rec, "files", files) < 0 ||
	    json_object_set(rec, "related", related) < 0)
		goto cleanup;
	error = 0;

cleanup:
	free(names);
	json_decref(files);
	json_decref(related);
	return error;
}

int lm_truth_add(lm_truth *truth, const lm_site *site, const char *path, const char *branch,
                 const char *commit, const char *base, bool compiled)
{
	char fp[33];
	json_t *rec, *suppression = json_null();
	int error;

	anchor_fingerprint(fp, path, site);
	if (site->op->suppression) {
		json_t *silences = json_array();
		const char *p = site->op->silences ? site->op->silences : "";

		while (silences && *p) {
			size_t len = strcspn(p, ",");

			json_array_append_new(silences, json_stringn(p, len));
			p += len + (p[len] == ',');
		}
		suppression =
		    json_pack("{s:s, s:o}", "comment", site->op->suppression, "silences", silences);
		if (!suppression)
			return lm_error_set(LM_ENOMEM, "out of memory");
	}
	rec =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:s,"
	              " s:i, s:i, s:i, s:i, s:s, s:s, s:s, s:o,"
	              " s:{s:s, s:s, s:s}}",
	              "id", site->id, "branch", branch, "commit", commit, "base", base, "operator",
	              site->op->id, "operator_version", (int)site->op->version, "family",
	              lm_family_name(site->op->family), "result_kind",
	              site->op->family == LM_FAMILY_CONTROL ? "pass" : "fail", "resource_kind",
	              site->kind ? site->kind->id : "unknown", "api",
	              site->kind ? site->kind->api : "", "scope", lm_scope_name(site->op->scope),
	              "cwe", (int)(site->kind ? site->kind->cwe : site->op->cwe), "path", path,
	              "line", (int)site->mutant_line[0], "col", (int)site->mutant_col[0],
	              "end_line", (int)site->mutant_line[1], "end_col", (int)site->mutant_col[1],
	              "qualname", site->qualname, "acquisition", site->fingerprint,
	              "anchor_fingerprint", fp, "suppression", suppression, "validation", "parse",
	              "ok", "py_compile", compiled ? "ok" : "unchecked", "witness", "unwitnessed");
	if (!rec || add_files(rec, site, path) < 0) {
		json_decref(rec);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	error = put_json(truth, rec);
	json_decref(rec);
	return error;
}

static int cmp_records(const void *a, const void *b)
{
	const item *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c == 0 && x->line != y->line)
		c = x->line < y->line ? -1 : 1;
	if (c == 0 && x->col != y->col)
		c = x->col < y->col ? -1 : 1;
	if (c == 0)
		c = strcmp(x->op, y->op);
	if (c == 0)
		c = strcmp(x->id, y->id);
	return c;
}

/* Sorts in place: the index follows. */
static void sort_records(lm_truth *truth)
{
	if (truth->count < 2)
		return;
	qsort(truth->items, truth->count, sizeof(*truth->items), cmp_records);
	fill_slots(truth);
}

/* Where the records stand by anchor fingerprint, then in their order. */
typedef struct spot {
	const char *fp;
	size_t index;
} spot;

static int cmp_spots(const void *a, const void *b)
{
	const spot *x = a, *y = b;
	int c = strcmp(x->fp, y->fp);

	return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

static json_t *region(json_t *rec)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "startLine", num(rec, "line"), "startColumn",
	                 num(rec, "col"), "endLine", num(rec, "end_line"), "endColumn",
	                 num(rec, "end_col"));
}

/* The record's related locations after the acquisition statement (id 1). */
static int sarif_related(json_t *result, json_t *rec)
{
	json_t *list = json_object_get(result, "relatedLocations");
	json_t *related = json_object_get(rec, "related"), *l;
	size_t i;

	json_array_foreach(related, i, l)
	{
		if (json_array_append_new(
		        list, json_pack("{s:I, s:{s:{s:s}, s:{s:I, s:I, s:I, s:I}}, s:{s:s}}", "id",
		                        (json_int_t)i + 2, "physicalLocation", "artifactLocation",
		                        "uri", lm__json_str(l, "path"), "region", "startLine",
		                        num(l, "line"), "startColumn", num(l, "col"), "endLine",
		                        num(l, "end_line"), "endColumn", num(l, "end_col"),
		                        "message", "text", lm__json_str(l, "role"))) < 0)
			return -1;
	}
	return 0;
}

static json_t *sarif_result(json_t *rec)
{
	char rule[128], cwe[16];
	bool pass = !strcmp(lm__json_str(rec, "result_kind"), "pass");
	json_t *props = json_deep_copy(rec), *result;

	snprintf(rule, sizeof(rule), "leakmut/%s", lm__json_str(rec, "operator"));
	snprintf(cwe, sizeof(cwe), "%lld", (long long)num(rec, "cwe"));
	result = json_pack(
	    "{s:s, s:s, s:s, s:{s:s},"
	    " s:[{s:{s:{s:s}, s:o}, s:[{s:s, s:s}]}],"
	    " s:[{s:i, s:{s:{s:s}, s:{s:I}}, s:{s:s}}],"
	    " s:{s:s}, s:[{s:s, s:{s:s}}, {s:s, s:{s:s}}], s:o}",
	    "ruleId", rule, "kind", pass ? "pass" : "fail", "level", pass ? "none" : "error",
	    "message", "text",
	    pass ? "a safe rewrite of a resource acquisition: nothing leaks"
	         : "a resource acquired here is never released",
	    "locations", "physicalLocation", "artifactLocation", "uri", lm__json_str(rec, "path"),
	    "region", region(rec), "logicalLocations", "fullyQualifiedName",
	    lm__json_str(rec, "qualname"), "kind", "function", "relatedLocations", "id", 1,
	    "physicalLocation", "artifactLocation", "uri", lm__json_str(rec, "path"), "region",
	    "startLine", num(rec, "line"), "message", "text", "the acquisition statement",
	    "partialFingerprints", "leakmut/anchor/v1", lm__json_str(rec, "anchor_fingerprint"),
	    "taxa", "id", cwe, "toolComponent", "name", "CWE", "id", "404", "toolComponent", "name",
	    "CWE", "properties", props);
	if (result && sarif_related(result, rec) < 0) {
		json_decref(result);
		return NULL;
	}
	return result;
}

/*
 * The three renderings, written record by record into anonymous files.
 * truth.sarif is one JSON document: its frame is dumped with no results,
 * and each result is dumped alone and indented to its depth, which gives
 * the text jansson would give for the whole document.
 */
typedef struct render {
	lm_truth *truth;
	FILE *sarif, *jsonl, *csv;
	char *frame;    /* truth.sarif without results */
	size_t results; /* where its "results": [] is, the [] */
	spot *spots;    /* the records by anchor fingerprint */
	size_t *group;  /* each record's first place in spots */
	lm_buf text;
} render;

static int out_fail(render *r)
{
	return lm_error_set(LM_EIO, "%s: cannot write the truth: %s",
	                    r->truth->dir ? r->truth->dir : "temporary file", strerror(errno));
}

static int out(render *r, FILE *f, const char *data, size_t len)
{
	return fwrite(data, 1, len, f) == len ? 0 : out_fail(r);
}

static int frame(render *r, const char *base)
{
	json_t *rules = json_array(), *doc;
	size_t n, i, k;
	const lm_operator *const *ops = lm_operators(&n);
	const char *mark = "\"results\": []", *at;

	if (!rules)
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		char id[128];
		bool used = false;

		for (k = 0; k < r->truth->count && !used; k++)
			used = !strcmp(r->truth->items[k].op, ops[i]->id);
		if (!used)
			continue;
		snprintf(id, sizeof(id), "leakmut/%s", ops[i]->id);
		if (json_array_append_new(
		        rules,
		        json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:i, s:s, s:s, s:i}}", "id", id,
		                  "name", ops[i]->id, "shortDescription", "text", ops[i]->summary,
		                  "fullDescription", "text", ops[i]->description, "properties",
		                  "version", (int)ops[i]->version, "family",
		                  lm_family_name(ops[i]->family), "scope",
		                  lm_scope_name(ops[i]->scope), "cwe", (int)ops[i]->cwe)) < 0) {
			json_decref(rules);
			return lm_error_set(LM_ENOMEM, "out of memory");
		}
	}
	doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}},"
	                " s:[{s:s, s:s, s:{s:s}, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}],"
	                " s:[{s:s, s:s}], s:s, s:[]}]}",
	                "$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version",
	                "2.1.0", "runs", "tool", "driver", "name", "leakmut", "version",
	                LEAKMUT_VERSION, "semanticVersion", LEAKMUT_VERSION, "rules", rules,
	                "taxonomies", "name", "CWE", "organization", "MITRE", "shortDescription",
	                "text", "Common Weakness Enumeration", "taxa", "id", "404", "name",
	                "Improper Resource Shutdown or Release", "id", "772", "name",
	                "Missing Release of Resource after Effective Lifetime", "id", "775", "name",
	                "Missing Release of File Descriptor or Handle after Effective Lifetime",
	                "versionControlProvenance", "repositoryUri", "leakmut:base", "revisionId",
	                base, "columnKind", "unicodeCodePoints", "results");
	r->frame = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	if (!r->frame)
		return lm_error_set(LM_ENOMEM, "out of memory");
	/* "results" is the last member of the run: its [] is the last one. */
	for (at = strstr(r->frame, mark); at && strstr(at + 1, mark); at = strstr(at + 1, mark))
		;
	if (!at)
		return lm_error_set(LM_ERROR, "truth.sarif: no results in its frame");
	r->results = (size_t)(at - r->frame) + strlen(mark) - 2;
	return 0;
}

/* Pair each record with the records of the other kind (fail, pass) at the
 * same spot: a control and the mutants it is the safe twin of share the
 * line-free anchor fingerprint.  Listed in the records' order. */
static int spots(render *r)
{
	lm_truth *truth = r->truth;
	size_t i, j;

	if (!truth->count)
		return 0;
	if (!(r->spots = lm__calloc(truth->count, sizeof(*r->spots))) ||
	    !(r->group = lm__calloc(truth->count, sizeof(*r->group))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (i = 0; i < truth->count; i++) {
		r->spots[i].fp = truth->items[i].fp;
		r->spots[i].index = i;
	}
	qsort(r->spots, truth->count, sizeof(*r->spots), cmp_spots);
	for (i = 0; i < truth->count; i = j)
		for (j = i; j < truth->count && r->spots[j].fp == r->spots[i].fp; j++)
			r->group[r->spots[j].index] = i;
	return 0;
}

static int set_pairs(render *r, size_t i, json_t *rec)
{
	const item *e = &r->truth->items[i];
	json_t *pairs = json_array();
	size_t m;

	for (m = r->group[i]; pairs && m < r->truth->count && r->spots[m].fp == e->fp; m++) {
		const item *other = &r->truth->items[r->spots[m].index];

		if (other->pass != e->pass &&
		    json_array_append_new(pairs, json_string(other->id)) < 0) {
			json_decref(pairs);
			pairs = NULL;
		}
	}
	if (!pairs || json_object_set_new(rec, "paired_with", pairs) < 0)
		return lm_error_set(LM_ENOMEM, "out of memory");
	return 0;
}

/* A CSV field, quoted when it needs to be. */
static int csv_field(lm_buf *out, const char *s, bool last)
{
	int error = 0;

	if (strpbrk(s, ",\"\n\r")) {
		const char *p;

		error = lm_buf_puts(out, "\"");
		for (p = s; !error && *p; p++)
			error = *p == '"' ? lm_buf_puts(out, "\"\"") : lm_buf_put(out, p, 1);
		if (!error)
			error = lm_buf_puts(out, "\"");
	} else {
		error = lm_buf_puts(out, s);
	}
	return error ? error : lm_buf_puts(out, last ? "\n" : ",");
}

static int csv_row(lm_buf *out, json_t *rec)
{
	char category[128], cwe[16], line[16];
	int error;

	snprintf(category, sizeof(category), "leakmut/%s", lm__json_str(rec, "operator"));
	snprintf(cwe, sizeof(cwe), "%lld", (long long)num(rec, "cwe"));
	snprintf(line, sizeof(line), "%lld", (long long)num(rec, "line"));
	if ((error = csv_field(out, lm__json_str(rec, "branch"), false)) < 0 ||
	    (error = csv_field(out, category, false)) < 0 ||
	    (error =
	         csv_field(out, strcmp(lm__json_str(rec, "result_kind"), "fail") ? "false" : "true",
	                   false)) < 0 ||
	    (error = csv_field(out, cwe, false)) < 0 ||
	    (error = csv_field(out, lm__json_str(rec, "operator"), false)) < 0 ||
	    (error = csv_field(out, lm__json_str(rec, "id"), false)) < 0 ||
	    (error = csv_field(out, lm__json_str(rec, "path"), false)) < 0)
		return error;
	return csv_field(out, line, true);
}

/* `value` (whose reference this takes) dumped onto `f`, `indent` spaces deeper. */
static int dump(render *r, FILE *f, json_t *value, size_t flags, const char *indent)
{
	char *text = value ? json_dumps(value, flags | JSON_PRESERVE_ORDER) : NULL;
	const char *p, *nl;
	int error = 0;

	json_decref(value);
	if (!text)
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (p = text; !error && (nl = strchr(p, '\n')); p = nl + 1)
		if ((error = out(r, f, p, (size_t)(nl - p) + 1)) == 0)
			error = out(r, f, indent, strlen(indent));
	if (!error)
		error = out(r, f, p, strlen(p));
	free(text);
	return error;
}

static int render_record(render *r, size_t i)
{
	static const char deep[] = "\n        "; /* a result's depth in truth.sarif */
	json_t *rec = load(r->truth, &r->truth->items[i]);
	int error;

	if (!rec)
		return lm_error_code();
	lm_buf_clear(&r->text);
	if ((error = set_pairs(r, i, rec)) < 0 ||
	    (error = dump(r, r->jsonl, json_incref(rec), JSON_COMPACT, "")) < 0 ||
	    (error = out(r, r->jsonl, "\n", 1)) < 0 || (error = csv_row(&r->text, rec)) < 0 ||
	    (error = out(r, r->csv, r->text.ptr, r->text.size)) < 0 ||
	    (error = out(r, r->sarif, i ? "," : "", i ? 1 : 0)) < 0 ||
	    (error = out(r, r->sarif, deep, strlen(deep))) < 0)
		goto cleanup;
	error = dump(r, r->sarif, sarif_result(rec), JSON_INDENT(2), deep + 1);

cleanup:
	json_decref(rec);
	return error;
}

/* Every record, sorted by (path, line, column, operator, id). */
static int render_all(render *r, const char *base)
{
	static const char head[] =
	    "# test name,category,real vulnerability,cwe,operator,id,path,line\n";
	const char *close = "\n      "; /* the frame has the ] */
	size_t i;
	int error;

	sort_records(r->truth);
	if ((error = frame(r, base)) < 0 || (error = spots(r)) < 0)
		return error;
	if (!(r->sarif = anon_file(r->truth->dir)) || !(r->jsonl = anon_file(r->truth->dir)) ||
	    !(r->csv = anon_file(r->truth->dir)))
		return lm_error_code();
	if ((error = out(r, r->csv, head, strlen(head))) < 0 ||
	    (error = out(r, r->sarif, r->frame, r->results + 1)) < 0)
		return error;
	for (i = 0; i < r->truth->count; i++)
		if ((error = render_record(r, i)) < 0)
			return error;
	if (!r->truth->count)
		close = "";
	if ((error = out(r, r->sarif, close, strlen(close))) < 0)
		return error;
	return out(r, r->sarif, r->frame + r->results + 1, strlen(r->frame + r->results + 1));
}

static void render_dispose(render *r)
{
	if (r->sarif)
		fclose(r->sarif);
	if (r->jsonl)
		fclose(r->jsonl);
	if (r->csv)
		fclose(r->csv);
	free(r->frame);
	free(r->spots);
	free(r->group);
	lm_buf_dispose(&r->text);
}

#define TRUTH_REF "refs/heads/leakmut/truth"

/*
 * truth.jsonl read as a stream, a line at a time, so that memory holds one
 * line and not the file.  *streamed false: the object database cannot
 * stream it (a packed object); nothing was read.
 */
static int load_streamed(lm_truth *truth, git_repository *repo, const git_oid *id, const char *name,
                         bool *streamed)
{
	char chunk[65536];
	git_odb *odb = NULL;
	git_odb_stream *stream = NULL;
	git_object_t type;
	lm_buf pending = LM_BUF_INIT;
	size_t len, line = 0, start;
	int n, error = 0;

	*streamed = false;
	if (git_repository_odb(&odb, repo) < 0) {
		error = lm__git_fail(name);
		goto cleanup;
	}
	if (git_odb_open_rstream(&stream, &len, &type, odb, id) < 0)
		goto cleanup;
	*streamed = true;
	while (error == 0 && (n = git_odb_stream_read(stream, chunk, sizeof(chunk))) > 0) {
		if ((error = lm_buf_put(&pending, chunk, (size_t)n)) < 0 ||
		    (error = load_lines(truth, name, &line, pending.ptr, pending.size, false,
		                        &start)) < 0)
			break;
		/* Keep the unfinished line. */
		memmove(pending.ptr, pending.ptr + start, pending.size - start);
		pending.size -= start;
	}
	if (error == 0 && n < 0)
		error = lm__git_fail(name);
	if (error == 0)
		error = load_lines(truth, name, &line, pending.ptr, pending.size, true, &start);

cleanup:
	lm_buf_dispose(&pending);
	git_odb_stream_free(stream);
	git_odb_free(odb);
	return error;
}

int lm_truth_read(lm_truth *truth, git_repository *repo, git_commit **previous)
{
	static const char name[] = "leakmut/truth:truth.jsonl";
	git_oid oid;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	bool streamed;
	int error = 0;

	*previous = NULL;
	if (git_reference_name_to_id(&oid, repo, TRUTH_REF) < 0)
		return 0;
	if (git_commit_lookup(previous, repo, &oid) < 0 || git_commit_tree(&tree, *previous) < 0) {
		error = lm__git_fail("cannot read " TRUTH_REF);
		goto cleanup;
	}
	if (git_tree_entry_bypath(&entry, tree, "truth.jsonl") < 0)
		goto cleanup;
	if ((error = load_streamed(truth, repo, git_tree_entry_id(entry), name, &streamed)) < 0 ||
	    streamed)
		goto cleanup;
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		error = lm__git_fail("cannot read truth.jsonl");
		goto cleanup;
	}
	error = lm_truth_load_jsonl(truth, name, git_blob_rawcontent(blob),
	                            (size_t)git_blob_rawsize(blob));

cleanup:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return error;
}

/* A file's whole content, streamed into the object database as a blob. */
static int insert_blob(render *r, git_repository *repo, git_treebuilder *bld, const char *name,
                       FILE *f)
{
	char chunk[65536];
	git_odb *odb = NULL;
	git_odb_stream *stream = NULL;
	git_oid oid;
	off_t size, done = 0;
	int error = 0;

	if (fflush(f) != 0 || (size = ftello(f)) < 0 || fseeko(f, 0, SEEK_SET) < 0)
		return out_fail(r);
	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_open_wstream(&stream, odb, (git_object_size_t)size, GIT_OBJECT_BLOB) < 0) {
		error = lm__git_fail(name);
		goto cleanup;
	}
	while (done < size) {
		size_t want =
		    size - done < (off_t)sizeof(chunk) ? (size_t)(size - done) : sizeof(chunk);

		if (fread(chunk, 1, want, f) != want) {
			error = lm_error_set(LM_EIO, "%s: cannot read it back: %s", name,
			                     strerror(errno));
			goto cleanup;
		}
		if (git_odb_stream_write(stream, chunk, want) < 0) {
			error = lm__git_fail(name);
			goto cleanup;
		}
		done += (off_t)want;
	}
	if (git_odb_stream_finalize_write(&oid, stream) < 0 ||
	    git_treebuilder_insert(NULL, bld, name, &oid, GIT_FILEMODE_BLOB) < 0)
		error = lm__git_fail(name);

cleanup:
	git_odb_stream_free(stream);
	git_odb_free(odb);
	return error;
}

/* Copy `f` to `path` through a temporary file beside it and a rename. */
static int copy_atomically(FILE *f, const char *path)
{
	char tmp[4096], chunk[65536];
	FILE *to;
	size_t n;
	bool ok = true;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= sizeof(tmp))
		return lm_error_set(LM_EINVALID, "%s: path too long", path);
	if (fseeko(f, 0, SEEK_SET) < 0)
		return lm_error_set(LM_EIO, "%s: cannot read the truth back: %s", path,
		                    strerror(errno));
	if (!(to = fopen(tmp, "wb")))
		return lm_error_set(LM_EIO, "%s: cannot create: %s", tmp, strerror(errno));
	while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ok = fwrite(chunk, 1, n, to) == n;
	ok = !ferror(f) && ok;
	ok = (fclose(to) == 0) && ok;
	if (!ok || rename(tmp, path) < 0) {
		int err = errno;

		unlink(tmp);
		return lm_error_set(LM_EIO, "%s: cannot write: %s", path, strerror(err));
	}
	return 0;
}

int lm_truth_write(lm_truth *truth, git_repository *repo, const char *base,
                   const git_signature *sig, git_commit *previous, const char *sarif_path)
{
	render r;
	git_treebuilder *bld = NULL;
	git_tree *tree = NULL;
	git_reference *ref = NULL;
	git_oid tree_id, oid;
	const git_commit *parents[1] = {previous};
	int error;

	memset(&r, 0, sizeof(r));
	r.truth = truth;
	if ((error = render_all(&r, base)) < 0)
		goto cleanup;
	if (git_treebuilder_new(&bld, repo, NULL) < 0) {
		error = lm__git_fail("cannot build the truth tree");
		goto cleanup;
	}
	if ((error = insert_blob(&r, repo, bld, "expected.csv", r.csv)) < 0 ||
	    (error = insert_blob(&r, repo, bld, "truth.jsonl", r.jsonl)) < 0 ||
	    (error = insert_blob(&r, repo, bld, "truth.sarif", r.sarif)) < 0)
		goto cleanup;
	if (git_treebuilder_write(&tree_id, bld) < 0) {
		error = lm__git_fail("cannot write the truth tree");
		goto cleanup;
	}
	/* A new commit only when the truth changed. */
	if (!previous || !git_oid_equal(git_commit_tree_id(previous), &tree_id)) {
		if (git_tree_lookup(&tree, repo, &tree_id) < 0 ||
		    git_commit_create(&oid, repo, NULL, sig, sig, NULL, "truth\n", tree,
		                      previous ? 1 : 0, parents) < 0 ||
		    git_reference_create(&ref, repo, TRUTH_REF, &oid, 1, "leakmut") < 0) {
			error = lm__git_fail("cannot write " TRUTH_REF);
			goto cleanup;
		}
	}
	if (sarif_path)
		error = copy_atomically(r.sarif, sarif_path);

cleanup:
	git_reference_free(ref);
	git_tree_free(tree);
	git_treebuilder_free(bld);
	render_dispose(&r);
	return error;
}

int lm_truth_set_witness(lm_truth *truth, const char *id, const char *status, const char *detail)
{
	item *e = find(truth, id);
	json_t *rec, *validation;
	int error;

	if (!e)
		return lm_error_set(LM_ENOTFOUND, "no truth record %s", id);
	if (!(rec = load(truth, e)))
		return lm_error_code();
	validation = json_object_get(rec, "validation");
	if (!json_is_object(validation) ||
	    json_object_set_new(validation, "witness", json_string(status)) < 0 ||
	    json_object_set_new(validation, "witness_detail",
	                        detail ? json_string(detail) : json_null()) < 0)
		error = lm_error_set(LM_ENOMEM, "out of memory");
	else
		error = put_json(truth, rec);
	json_decref(rec);
	return error;
}
