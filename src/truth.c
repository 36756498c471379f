#include "truth.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "util.h"
#include "leakmut/operator.h"

struct lm_truth {
	json_t **items; /* flat records, objects */
	size_t count;
	size_t alloc;
	/*
	 * Records by id: open addressing, each slot 0 or an index into items
	 * plus one; at most half full.  Rebuilt when items are reordered.
	 */
	size_t *slots;
	size_t nslots;
};

int lm_truth_new(lm_truth **out)
{
	if (!(*out = lm__calloc(1, sizeof(lm_truth))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	return 0;
}

void lm_truth_free(lm_truth *truth)
{
	size_t i;

	if (!truth)
		return;
	for (i = 0; i < truth->count; i++)
		json_decref(truth->items[i]);
	free(truth->items);
	free(truth->slots);
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
static size_t hash_id(const char *id)
{
	uint64_t h = 14695981039346656037u;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211u;
	return (size_t)h;
}

/* The slot holding `id`, or the empty slot where it would go. */
static size_t *slot_of(const lm_truth *truth, const char *id)
{
	size_t i = hash_id(id) & (truth->nslots - 1);

	while (truth->slots[i] &&
	       strcmp(lm__json_str(truth->items[truth->slots[i] - 1], "id"), id) != 0)
		i = (i + 1) & (truth->nslots - 1);
	return &truth->slots[i];
}

static void fill_slots(lm_truth *truth)
{
	size_t i;

	memset(truth->slots, 0, truth->nslots * sizeof(*truth->slots));
	for (i = 0; i < truth->count; i++)
		*slot_of(truth, lm__json_str(truth->items[i], "id")) = i + 1;
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

static json_t *find(const lm_truth *truth, const char *id)
{
	size_t *slot;

	if (!truth->nslots)
		return NULL;
	slot = slot_of(truth, id);
	return *slot ? truth->items[*slot - 1] : NULL;
}

/* Takes the reference to `rec`; replaces a record with the same id. */
static int put(lm_truth *truth, json_t *rec)
{
	size_t *slot;
	int error;

	if (2 * (truth->count + 1) > truth->nslots &&
	    (error = reindex(truth, truth->nslots ? 2 * truth->nslots : 128)) < 0) {
		json_decref(rec);
		return error;
	}
	slot = slot_of(truth, lm__json_str(rec, "id"));
	if (*slot) {
		json_decref(truth->items[*slot - 1]);
		truth->items[*slot - 1] = rec;
		return 0;
	}
	if (truth->count == truth->alloc) {
		size_t alloc = truth->alloc ? truth->alloc * 2 : 64;
		json_t **items = lm__realloc(truth->items, alloc * sizeof(*items));

		if (!items) {
			json_decref(rec);
			return lm_error_set(LM_ENOMEM, "out of memory");
		}
		truth->items = items;
		truth->alloc = alloc;
	}
	truth->items[truth->count++] = rec;
	*slot = truth->count;
	return 0;
}

int lm_truth_load_jsonl(lm_truth *truth, const char *name, const char *data, size_t len)
{
	size_t pos = 0, line = 0;
	int error;

	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		json_error_t jerr;
		json_t *rec;

		line++;
		if (end > pos) {
			rec = json_loadb(data + pos, end - pos, 0, &jerr);
			if (!rec || !json_is_object(rec) || !*lm__json_str(rec, "id")) {
				json_decref(rec);
				return lm_error_set(LM_EINVALID, "%s:%zu: not a truth record%s%s",
				                    name, line, rec ? "" : ": ",
				                    rec ? "" : jerr.text);
			}
			if ((error = put(truth, rec)) < 0)
				return error;
		}
		pos = end + 1;
	}
	return 0;
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
	return put(truth, rec);
}

static int cmp_records(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(lm__json_str(x, "path"), lm__json_str(y, "path"));

	if (c == 0 && num(x, "line") != num(y, "line"))
		c = num(x, "line") < num(y, "line") ? -1 : 1;
	if (c == 0 && num(x, "col") != num(y, "col"))
		c = num(x, "col") < num(y, "col") ? -1 : 1;
	if (c == 0)
		c = strcmp(lm__json_str(x, "operator"), lm__json_str(y, "operator"));
	if (c == 0)
		c = strcmp(lm__json_str(x, "id"), lm__json_str(y, "id"));
	return c;
}

static int cmp_fingerprints(const void *a, const void *b)
{
	return strcmp(lm__json_str(*(json_t *const *)a, "anchor_fingerprint"),
	              lm__json_str(*(json_t *const *)b, "anchor_fingerprint"));
}

/*
 * Pair each record with the records of the other kind (fail, pass) at the
 * same spot: a control and the mutants it is the safe twin of share the
 * line-free anchor fingerprint.
 */
static int pair_records(lm_truth *truth)
{
	json_t **by_spot;
	size_t i, j, k;

	if (!truth->count)
		return 0;
	if (!(by_spot = lm__calloc(truth->count, sizeof(*by_spot))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	memcpy(by_spot, truth->items, truth->count * sizeof(*by_spot));
	qsort(by_spot, truth->count, sizeof(*by_spot), cmp_fingerprints);
	for (i = 0; i < truth->count; i = j) {
		for (j = i + 1; j < truth->count && !cmp_fingerprints(&by_spot[i], &by_spot[j]);
		     j++)
			;
		for (k = i; k < j; k++) {
			json_t *pairs = json_array();
			size_t m;

			for (m = i; pairs && m < j; m++)
				if (strcmp(lm__json_str(by_spot[k], "result_kind"),
				           lm__json_str(by_spot[m], "result_kind")))
					json_array_append(pairs, json_object_get(by_spot[m], "id"));
			if (!pairs || json_object_set_new(by_spot[k], "paired_with", pairs) < 0) {
				free(by_spot);
				return lm_error_set(LM_ENOMEM, "out of memory");
			}
		}
	}
	free(by_spot);
	return 0;
}

/* Sorts in place: the index follows. */
static void sort_records(lm_truth *truth)
{
	if (truth->count < 2)
		return;
	qsort(truth->items, truth->count, sizeof(*truth->items), cmp_records);
	fill_slots(truth);
}

static int dump_onto(lm_buf *out, json_t *value, size_t flags)
{
	char *text = value ? json_dumps(value, flags | JSON_PRESERVE_ORDER) : NULL;
	int error;

	json_decref(value);
	if (!text)
		return lm_error_set(LM_ENOMEM, "out of memory");
	error = lm_buf_puts(out, text);
	free(text);
	return error;
}

int lm_truth_jsonl(lm_truth *truth, lm_buf *out)
{
	size_t i;
	int error;

	if ((error = pair_records(truth)) < 0)
		return error;
	sort_records(truth);
	for (i = 0; i < truth->count; i++) {
		json_incref(truth->items[i]);
		if ((error = dump_onto(out, truth->items[i], JSON_COMPACT)) < 0 ||
		    (error = lm_buf_puts(out, "\n")) < 0)
			return error;
	}
	return 0;
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

int lm_truth_sarif(lm_truth *truth, const char *base, lm_buf *out)
{
	json_t *rules = json_array(), *results = json_array(), *doc;
	size_t n, i, k;
	const lm_operator *const *ops = lm_operators(&n);

	if (!rules || !results) {
		json_decref(rules);
		json_decref(results);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	if (pair_records(truth) < 0) {
		json_decref(rules);
		json_decref(results);
		return lm_error_code();
	}
	sort_records(truth);
	for (i = 0; i < n; i++) {
		char id[128];
		bool used = false;

		for (k = 0; k < truth->count && !used; k++)
			used = !strcmp(lm__json_str(truth->items[k], "operator"), ops[i]->id);
		if (!used)
			continue;
		snprintf(id, sizeof(id), "leakmut/%s", ops[i]->id);
		json_array_append_new(
		    rules,
		    json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:i, s:s, s:s, s:i}}", "id", id,
		              "name", ops[i]->id, "shortDescription", "text", ops[i]->summary,
		              "fullDescription", "text", ops[i]->description, "properties",
		              "version", (int)ops[i]->version, "family",
		              lm_family_name(ops[i]->family), "scope", lm_scope_name(ops[i]->scope),
		              "cwe", (int)ops[i]->cwe));
	}
	for (k = 0; k < truth->count; k++)
		if (json_array_append_new(results, sarif_result(truth->items[k])) < 0) {
			json_decref(rules);
			json_decref(results);
			return lm_error_set(LM_ENOMEM, "out of memory");
		}
	doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}},"
	                " s:[{s:s, s:s, s:{s:s}, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}],"
	                " s:[{s:s, s:s}], s:s, s:o}]}",
	                "$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version",
	                "2.1.0", "runs", "tool", "driver", "name", "leakmut", "version",
	                LEAKMUT_VERSION, "semanticVersion", LEAKMUT_VERSION, "rules", rules,
	                "taxonomies", "name", "CWE", "organization", "MITRE", "shortDescription",
	                "text", "Common Weakness Enumeration", "taxa", "id", "404", "name",
	                "Improper Resource Shutdown or Release", "id", "772", "name",
	                "Missing Release of Resource after Effective Lifetime", "id", "775", "name",
	                "Missing Release of File Descriptor or Handle after Effective Lifetime",
	                "versionControlProvenance", "repositoryUri", "leakmut:base", "revisionId",
	                base, "columnKind", "unicodeCodePoints", "results", results);
	return dump_onto(out, doc, JSON_INDENT(2));
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

int lm_truth_csv(lm_truth *truth, lm_buf *out)
{
	size_t i;
	int error;

	sort_records(truth);
	if ((error = lm_buf_puts(out, "# test name,category,real vulnerability,cwe,operator,id,"
	                              "path,line\n")) < 0)
		return error;
	for (i = 0; i < truth->count; i++) {
		json_t *rec = truth->items[i];
		char category[128], cwe[16], line[16];

		snprintf(category, sizeof(category), "leakmut/%s", lm__json_str(rec, "operator"));
		snprintf(cwe, sizeof(cwe), "%lld", (long long)num(rec, "cwe"));
		snprintf(line, sizeof(line), "%lld", (long long)num(rec, "line"));
		if ((error = csv_field(out, lm__json_str(rec, "branch"), false)) < 0 ||
		    (error = csv_field(out, category, false)) < 0 ||
		    (error = csv_field(
		         out, strcmp(lm__json_str(rec, "result_kind"), "fail") ? "false" : "true",
		         false)) < 0 ||
		    (error = csv_field(out, cwe, false)) < 0 ||
		    (error = csv_field(out, lm__json_str(rec, "operator"), false)) < 0 ||
		    (error = csv_field(out, lm__json_str(rec, "id"), false)) < 0 ||
		    (error = csv_field(out, lm__json_str(rec, "path"), false)) < 0 ||
		    (error = csv_field(out, line, true)) < 0)
			return error;
	}
	return 0;
}

#define TRUTH_REF "refs/heads/leakmut/truth"

int lm_truth_read(lm_truth *truth, git_repository *repo, git_commit **previous)
{
	git_oid oid;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
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
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		error = lm__git_fail("cannot read truth.jsonl");
		goto cleanup;
	}
	error = lm_truth_load_jsonl(truth, "leakmut/truth:truth.jsonl", git_blob_rawcontent(blob),
	                            (size_t)git_blob_rawsize(blob));

cleanup:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return error;
}

static int insert_blob(git_repository *repo, git_treebuilder *bld, const char *name,
                       const lm_buf *data)
{
	git_oid oid;

	if (git_blob_create_from_buffer(&oid, repo, data->ptr ? data->ptr : "", data->size) < 0 ||
	    git_treebuilder_insert(NULL, bld, name, &oid, GIT_FILEMODE_BLOB) < 0)
		return lm__git_fail(name);
	return 0;
}

int lm_truth_write(lm_truth *truth, git_repository *repo, const char *base,
                   const git_signature *sig, git_commit *previous, lm_buf *sarif)
{
	lm_buf s = LM_BUF_INIT, jsonl = LM_BUF_INIT, csv = LM_BUF_INIT;
	git_treebuilder *bld = NULL;
	git_tree *tree = NULL;
	git_reference *ref = NULL;
	git_oid tree_id, oid;
	const git_commit *parents[1] = {previous};
	int error;

	if ((error = lm_truth_sarif(truth, base, &s)) < 0 ||
	    (error = lm_truth_jsonl(truth, &jsonl)) < 0 || (error = lm_truth_csv(truth, &csv)) < 0)
		goto cleanup;
	if (git_treebuilder_new(&bld, repo, NULL) < 0) {
		error = lm__git_fail("cannot build the truth tree");
		goto cleanup;
	}
	if ((error = insert_blob(repo, bld, "expected.csv", &csv)) < 0 ||
	    (error = insert_blob(repo, bld, "truth.jsonl", &jsonl)) < 0 ||
	    (error = insert_blob(repo, bld, "truth.sarif", &s)) < 0)
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
	if (sarif)
		error = lm_buf_put(sarif, s.ptr ? s.ptr : "", s.size);

cleanup:
	git_reference_free(ref);
	git_tree_free(tree);
	git_treebuilder_free(bld);
	lm_buf_dispose(&s);
	lm_buf_dispose(&jsonl);
	lm_buf_dispose(&csv);
	return error;
}

int lm_truth_set_witness(lm_truth *truth, const char *id, const char *status, const char *detail)
{
	json_t *rec = find(truth, id), *validation;

	if (!rec)
		return lm_error_set(LM_ENOTFOUND, "no truth record %s", id);
	validation = json_object_get(rec, "validation");
	if (!json_is_object(validation) ||
	    json_object_set_new(validation, "witness", json_string(status)) < 0 ||
	    json_object_set_new(validation, "witness_detail",
	                        detail ? json_string(detail) : json_null()) < 0)
		return lm_error_set(LM_ENOMEM, "out of memory");
	return 0;
}
