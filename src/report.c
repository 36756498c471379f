#include "leakmut/leakmut.h"

#include <errno.h>
#include <git2.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "report_assets.h" /* generated from src/report/: report_css, report_js */
#include "util.h"
#include "whole.h"

/* The leak rule each built-in detector is scored on (rule map version 2); any
 * other detector's leak rules are one test, "NAME:leak". */
static const struct {
	const char *detector, *rule, *name;
} rules[] = {
    {"ruff", "SIM115", "open-file-with-context-handler"},
    {"pylint", "R1732", "consider-using-with"},
    {"ast-grep", "open-never-closed", "open-never-closed (leakmut's rule)"},
};

typedef struct report {
	git_repository *repo;
	git_tree *base;
	json_t *score;   /* score.json */
	json_t *rows;    /* one object per truth record, in truth order */
	json_t *by_id;   /* id -> its row (borrowed from rows) */
	json_t *sources; /* path -> base source text */
	const char *score_path;
} report;

static void report_dispose(report *r)
{
	json_decref(r->score);
	json_decref(r->rows);
	json_decref(r->by_id);
	json_decref(r->sources);
	git_tree_free(r->base);
	git_repository_free(r->repo);
}

static bool safe_path(const char *path)
{
	const char *p = path;

	if (!*path || path[0] == '/')
		return false;
	while (*p) {
		size_t len = strcspn(p, "/");

		if ((len == 2 && !strncmp(p, "..", 2)) || (len == 1 && p[0] == '.') || len == 0)
			return false;
		p += len;
		if (*p == '/')
			p++;
	}
	return true;
}

static const char *rule_of(const char *detector)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].detector, detector))
			return rules[i].rule;
	return "leak";
}

static const char *rule_name_of(const char *detector)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].detector, detector))
			return rules[i].name;
	return "leak rules of the rule map";
}

/* ---- positions ----------------------------------------------------------------------- */

/* 1-based line and column (in code points) of byte offset `off` of `s`. */
static void position(const char *s, size_t off, long *line, long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static bool continuation(const char *s, size_t len, size_t at)
{
	return at < len && ((unsigned char)s[at] & 0xC0) == 0x80;
}

/*
 * The one range of `a` that `b` replaces: the bytes between their common
 * prefix and common suffix, cut at code point boundaries.
 */
static void changed_range(const char *a, size_t alen, const char *b, size_t blen, size_t *start,
                          size_t *a_end, size_t *b_end)
{
	size_t p = 0, s = 0;

	while (p < alen && p < blen && a[p] == b[p])
		p++;
	while (p > 0 && (continuation(a, alen, p) || continuation(b, blen, p)))
		p--;
	while (s < alen - p && s < blen - p && a[alen - 1 - s] == b[blen - 1 - s])
		s++;
	while (s > 0 && (continuation(a, alen, alen - s) || continuation(b, blen, blen - s)))
		s--;
	*start = p;
	*a_end = alen - s;
	*b_end = blen - s;
}

/* ---- loading ------------------------------------------------------------------------- */

static int load_score(report *r, const char *report_dir, lm_buf *path)
{
	json_error_t jerr;
	json_t *detectors, *mutants;

	lm_buf_clear(path);
	if (lm_buf_printf(path, "%s/score.json", report_dir) < 0)
		return lm_error_set(LM_ENOMEM, "out of memory");
	if (access(path->ptr, F_OK) < 0)
		return lm_error_set(LM_ENOTFOUND, "%s: %s (`leakmut score -o %s` writes it)",
		                    path->ptr, strerror(errno), report_dir);
	if (!(r->score = json_load_file(path->ptr, 0, &jerr)))
		return lm_error_set(LM_EINVALID, "%s: line %d: %s", path->ptr, jerr.line,
		                    jerr.text);
	detectors = json_object_get(r->score, "detectors");
	mutants = json_object_get(r->score, "mutants");
	if (strcmp(lm__json_str(r->score, "schema"), "leakmut-score/1") ||
	    !json_is_array(detectors) || !json_is_array(mutants))
		return lm_error_set(LM_EINVALID,
		                    "%s: not a leakmut score (want schema leakmut-score/1 with "
		                    "detectors and mutants arrays)",
		                    path->ptr);
	return 0;
}

static int read_blob(git_blob **out, report *r, const char *spec)
{
	git_object *obj = NULL;
	int error = 0;

	if (git_revparse_single(&obj, r->repo, spec) < 0 ||
	    git_object_peel((git_object **)out, obj, GIT_OBJECT_BLOB) < 0)
		error = lm__git_fail(spec);
	git_object_free(obj);
	return error;
}

/* The unified diff of one file from `a` to `b`, appended to `out`. */
static int file_diff(lm_buf *out, git_blob *a, git_blob *b, const char *path)
{
	git_patch *patch = NULL;
	git_buf text = {0};
	int error = 0;

	if (git_patch_from_blobs(&patch, a, path, b, path, NULL) < 0 ||
	    git_patch_to_buf(&text, patch) < 0)
		error = lm__git_fail(path);
	else
		error = lm_buf_put(out, text.ptr ? text.ptr : "", text.size);
	git_buf_dispose(&text);
	git_patch_free(patch);
	return error;
}

/*
 * A file as base has it and as `branch` has it; `spec` is left naming the
 * latter (BRANCH:PATH), for messages.
 */
static int read_both(git_blob **before, git_blob **after, report *r, const char *branch,
                     const char *path, lm_buf *spec)
{
	int error;

	lm_buf_clear(spec);
	if ((error = lm_buf_printf(spec, "base:%s", path)) < 0 ||
	    (error = read_blob(before, r, spec->ptr)) < 0)
		return error;
	lm_buf_clear(spec);
	if ((error = lm_buf_printf(spec, "%s:%s", branch, path)) < 0)
		return error;
	return read_blob(after, r, spec->ptr);
}

/*
 * The diffs of the other files a multi-file mutant changes (its truth's
 * `files` past its own path: return-handle's callers, strip-exit's users),
 * appended to `out` after its own file's.
 */
static int other_diffs(lm_buf *out, report *r, const json_t *rec, const char *branch)
{
	const json_t *files = json_object_get(rec, "files"), *f;
	const char *path = lm__json_str(rec, "path");
	lm_buf spec = LM_BUF_INIT;
	size_t i;
	int error = 0;

	json_array_foreach(files, i, f)
	{
		const char *p = json_string_value(f);
		git_blob *before = NULL, *after = NULL;

		if (!p || !strcmp(p, path))
			continue;
		if (!safe_path(p)) {
			error = lm_error_set(LM_EINVALID, "%s: unsafe path %s", branch, p);
			break;
		}
		if ((error = read_both(&before, &after, r, branch, p, &spec)) == 0)
			error = file_diff(out, before, after, p);
		git_blob_free(before);
		git_blob_free(after);
		if (error < 0)
			break;
	}
	lm_buf_dispose(&spec);
	return error;
}

/* One row: the truth record's fields the report shows, the diff, the range. */
static int load_row(report *r, json_t *rec, size_t lineno)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	const char *path = json_string_value(json_object_get(rec, "path"));
	const char *branch = json_string_value(json_object_get(rec, "branch"));
	git_blob *before = NULL, *after = NULL;
	lm_buf spec = LM_BUF_INIT, diffs = LM_BUF_INIT;
	json_t *row = NULL, *diff = NULL, *replacement = NULL, *source;
	const char *a, *b;
	size_t alen, blen, start, a_end, b_end;
	long sl, sc, el, ec;
	int error = 0;

	if (!id || !path || !branch || !safe_path(path) ||
	    (strncmp(branch, "m/", 2) && strncmp(branch, "c/", 2)))
		return lm_error_set(
		    LM_EINVALID, "truth.jsonl line %zu: a record without a good id, path or branch",
		    lineno);
	if ((error = read_both(&before, &after, r, branch, path, &spec)) < 0 ||
	    (error = file_diff(&diffs, before, after, path)) < 0 ||
	    (error = other_diffs(&diffs, r, rec, branch)) < 0)
		goto cleanup;
	if (!(diff = json_stringn(diffs.ptr ? diffs.ptr : "", diffs.size))) {
		error = lm_error_set(LM_EINVALID, "%s: the diff is not UTF-8", spec.ptr);
		goto cleanup;
	}
	a = git_blob_rawcontent(before);
	alen = (size_t)git_blob_rawsize(before);
	b = git_blob_rawcontent(after);
	blen = (size_t)git_blob_rawsize(after);
	if (!json_object_get(r->sources, path)) {
		if (!(source = json_stringn(a, alen))) {
			error = lm_error_set(LM_EINVALID, "base:%s: not UTF-8", path);
			goto cleanup;
		}
		json_object_set_new(r->sources, path, source);
	}
	changed_range(a, alen, b, blen, &start, &a_end, &b_end);
	if (!(replacement = json_stringn(b + start, b_end - start))) {
		error = lm_error_set(LM_EINVALID, "%s: not UTF-8", spec.ptr);
		goto cleanup;
	}
	position(a, start, &sl, &sc);
	position(a, a_end, &el, &ec);
	row = json_pack(
	    "{s:O, s:O, s:O, s:O, s:O, s:O, s:b, s:O, s:O, s:O, s:O, s:O, s:O*, s:O*, "
	    "s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:{}, s:{}}",
	    "id", json_object_get(rec, "id"), "branch", json_object_get(rec, "branch"), "operator",
	    json_object_get(rec, "operator"), "family", json_object_get(rec, "family"), "kind",
	    json_object_get(rec, "resource_kind"), "api", json_object_get(rec, "api"), "control",
	    !strcmp(lm__json_str(rec, "result_kind"), "pass"), "path", json_object_get(rec, "path"),
	    "line", json_object_get(rec, "line"), "col", json_object_get(rec, "col"), "qualname",
	    json_object_get(rec, "qualname"), "acquisition", json_object_get(rec, "acquisition"),
	    "witness", json_object_get(json_object_get(rec, "validation"), "witness"),
	    "paired_with", json_object_get(rec, "paired_with"), "base_range", "start_line",
	    (json_int_t)sl, "start_col", (json_int_t)sc, "end_line", (json_int_t)el, "end_col",
	    (json_int_t)ec, "replacement", replacement, "diff", diff, "outcomes", "tiers");
	replacement = diff = NULL;
	if (!row) {
		error = lm_error_set(LM_EINVALID, "truth.jsonl line %zu (%s): a field is missing",
		                     lineno, id);
		goto cleanup;
	}
	if (json_object_get(r->by_id, id)) {
		error = lm_error_set(LM_EINVALID, "truth.jsonl line %zu: id %s twice", lineno, id);
		goto cleanup;
	}
	if (json_array_append(r->rows, row) < 0 || json_object_set(r->by_id, id, row) < 0)
		error = lm_error_set(LM_ENOMEM, "out of memory");

cleanup:
	json_decref(row);
	json_decref(replacement);
	json_decref(diff);
	git_blob_free(before);
	git_blob_free(after);
	lm_buf_dispose(&spec);
	lm_buf_dispose(&diffs);
	return error;
}

static int load_truth(report *r)
{
	git_blob *blob = NULL;
	const char *data;
	size_t len, pos, lineno = 0;
	int error = 0;

	if (read_blob(&blob, r, "leakmut/truth:truth.jsonl") < 0)
		return lm_error_set(LM_ENOTFOUND, "no leakmut truth in the repository (%s)",
		                    lm_error_last());
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	for (pos = 0; pos < len && error == 0;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		json_error_t jerr;
		json_t *rec;

		lineno++;
		if (end == pos) {
			pos = end + 1;
			continue;
		}
		if (!(rec = json_loadb(data + pos, end - pos, 0, &jerr))) {
			error = lm_error_set(LM_EINVALID, "truth.jsonl line %zu: %s", lineno,
			                     jerr.text);
			break;
		}
		pos = end + 1;
		error = load_row(r, rec, lineno);
		json_decref(rec);
	}
	git_blob_free(blob);
	return error;
}

/* Each (detector, id) outcome of score.json into its row. */
static int attach_outcomes(report *r)
{
	json_t *m;
	size_t i;

	json_array_foreach(json_object_get(r->score, "mutants"), i, m)
	{
		const char *det = json_string_value(json_object_get(m, "detector"));
		const char *id = json_string_value(json_object_get(m, "id"));
		const char *outcome = json_string_value(json_object_get(m, "outcome"));
		json_t *row = id ? json_object_get(r->by_id, id) : NULL;

		if (!det || !outcome)
			return lm_error_set(LM_EINVALID,
			                    "%s: mutants[%zu] has no detector, id or outcome",
			                    r->score_path, i);
		if (!row)
			return lm_error_set(
			    LM_EINVALID,
			    "%s: mutants[%zu]: id %s is not in the repository's truth "
			    "(a score of another repository?)",
			    r->score_path, i, id ? id : "?");
		if (json_object_set(json_object_get(row, "outcomes"), det,
		                    json_object_get(m, "outcome")) < 0 ||
		    json_object_set_new(
		        json_object_get(row, "tiers"), det,
		        json_integer(json_integer_value(json_object_get(m, "tier")))) < 0)
			return lm_error_set(LM_ENOMEM, "out of memory");
	}
	return 0;
}

/* ---- mutation-testing-report-schema ---------------------------------------------------- */

enum { KILLED, SURVIVED, IGNORED, RUNTIME_ERROR, NO_RESULT };
static const char *const stryker_status[] = {"Killed", "Survived", "Ignored", "RuntimeError",
                                             "Pending"};

/* One detector's outcome as a Stryker status (the order above is the precedence). */
static int status_of(const char *outcome)
{
	if (!strcmp(outcome, "DETECTED"))
		return KILLED;
	if (!strcmp(outcome, "MISSED") || !strcmp(outcome, "DETECTED_FUNC") ||
	    !strcmp(outcome, "NOT_DISCRIMINATED"))
		return SURVIVED;
	if (!strcmp(outcome, "SUPPRESSED"))
		return IGNORED;
	return RUNTIME_ERROR; /* TOOL_ERROR, or anything this version does not know */
}

static const char *tier_name(json_int_t tier)
{
	return tier == 0   ? " (T0: on the anchor)"
	       : tier == 1 ? " (T1: on its lines)"
	       : tier == 2 ? " (T2: on a related location)"
	       : tier == 3 ? " (T3: elsewhere in the function)"
	                   : "";
}

static int stryker_mutant(json_t **out, const json_t *row, const char *only)
{
	json_t *outcomes = json_object_get(row, "outcomes"), *killed = json_array(),
	       *covered = json_array(), *range = json_object_get(row, "base_range"), *value;
	const char *det;
	lm_buf reason = LM_BUF_INIT, description = LM_BUF_INIT;
	int status = NO_RESULT, error = 0;
	size_t ran = 0;

	*out = NULL;
	if (!killed || !covered) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	json_object_foreach(outcomes, det, value)
	{
		const char *outcome = json_string_value(value);
		int s = status_of(outcome);
		char test[256];

		if (only && strcmp(det, only))
			continue;
		snprintf(test, sizeof(test), "%s:%s", det, rule_of(det));
		if (s < status)
			status = s;
		if (s != RUNTIME_ERROR) {
			ran++;
			json_array_append_new(covered, json_string(test));
		}
		if (s == KILLED)
			json_array_append_new(killed, json_string(test));
		if ((error = lm_buf_printf(&reason, "%s%s: %s%s", reason.size ? "; " : "", test,
		                           outcome,
		                           tier_name(json_integer_value(json_object_get(
		                               json_object_get(row, "tiers"), det))))) < 0)
			goto cleanup;
	}
	if (status == NO_RESULT) {
		error = lm_error_set(LM_EINVALID,
		                     "mutant %s has no outcome for %s in score.json (scored before "
		                     "the repository gained it? score again)",
		                     lm__json_str(row, "id"), only ? only : "any detector");
		goto cleanup;
	}
	if ((error = lm_buf_printf(&description,
	                           "%s: %s in %s (leak anchor at %lld:%lld of the mutant)",
	                           lm__json_str(row, "operator"), lm__json_str(row, "acquisition"),
	                           lm__json_str(row, "qualname"),
	                           (long long)json_integer_value(json_object_get(row, "line")),
	                           (long long)json_integer_value(json_object_get(row, "col")))) < 0)
		goto cleanup;
	*out = json_pack(
	    "{s:O, s:O, s:O, s:s, s:{s:{s:O, s:O}, s:{s:O, s:O}}, s:s, s:s, s:o, s:o, s:I}", "id",
	    json_object_get(row, "id"), "mutatorName", json_object_get(row, "operator"),
	    "replacement", json_object_get(row, "replacement"), "description", description.ptr,
	    "location", "start", "line", json_object_get(range, "start_line"), "column",
	    json_object_get(range, "start_col"), "end", "line", json_object_get(range, "end_line"),
	    "column", json_object_get(range, "end_col"), "status", stryker_status[status],
	    "statusReason", reason.ptr, "killedBy", killed, "coveredBy", covered, "testsCompleted",
	    (json_int_t)ran);
	killed = covered = NULL;
	if (!*out)
		error = lm_error_set(LM_EINVALID, "mutant %s: cannot build its report entry",
		                     lm__json_str(row, "id"));

cleanup:
	json_decref(killed);
	json_decref(covered);
	lm_buf_dispose(&reason);
	lm_buf_dispose(&description);
	return error;
}

static int stryker_report(json_t **out, const report *r, const char *only)
{
	json_t *doc = NULL, *files = json_object(), *tests = json_object(),
	       *detectors = json_array(), *row, *det;
	size_t i;
	int error = 0;

	*out = NULL;
	if (!files || !tests || !detectors) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	json_array_foreach(json_object_get(r->score, "detectors"), i, det)
	{
		const char *name = lm__json_str(det, "name");
		char id[256], title[512];

		if (only && strcmp(name, only))
			continue;
		snprintf(id, sizeof(id), "%s:%s", name, rule_of(name));
		snprintf(title, sizeof(title), "%s %s %s (%s)", name, lm__json_str(det, "version"),
		         rule_of(name), rule_name_of(name));
		json_object_set_new(
		    tests, name, json_pack("{s:[{s:s, s:s}]}", "tests", "id", id, "name", title));
		json_array_append_new(detectors,
		                      json_pack("{s:s, s:O, s:O}", "name", name, "version",
		                                json_object_get(det, "version"), "command",
		                                json_object_get(det, "command")));
	}
	json_array_foreach(r->rows, i, row)
	{
		const char *path = lm__json_str(row, "path");
		json_t *file = json_object_get(files, path), *mutant = NULL;

		if (json_is_true(json_object_get(row, "control")))
			continue;
		if ((error = stryker_mutant(&mutant, row, only)) < 0)
			goto cleanup;
		if (!file) {
			file = json_pack("{s:s, s:O, s:[]}", "language", "python", "source",
			                 json_object_get(r->sources, path), "mutants");
			if (!file || json_object_set_new(files, path, file) < 0) {
				json_decref(mutant);
				error = lm_error_set(LM_ENOMEM, "out of memory");
				goto cleanup;
			}
		}
		json_array_append_new(json_object_get(file, "mutants"), mutant);
	}
	doc = json_pack(
	    "{s:s, s:{s:i, s:i}, s:{s:s, s:s}, s:{s:s, s:o, s:s}, s:o, s:o}", "schemaVersion", "2",
	    "thresholds", "high", 80, "low", 60, "framework", "name", "leakmut", "version",
	    LEAKMUT_VERSION, "config", "source", "score.json", "detectors", detectors, "statusMap",
	    "DETECTED=Killed; MISSED, DETECTED_FUNC, NOT_DISCRIMINATED=Survived; "
	    "SUPPRESSED=Ignored; TOOL_ERROR=RuntimeError; over detectors, the first of Killed, "
	    "Survived, Ignored, RuntimeError",
	    "files", files, "testFiles", tests);
	files = tests = detectors = NULL;
	if (!doc)
		error = lm_error_set(LM_ENOMEM, "out of memory");
	*out = doc;

cleanup:
	json_decref(files);
	json_decref(tests);
	json_decref(detectors);
	return error;
}

/* ---- writing ------------------------------------------------------------------------- */

/*
 * Write `len` bytes to report_dir/name, whole (see lm__write_whole); first
 * remove what a killed run left of it (name.tmpPID).
 */
static int write_whole(const char *report_dir, const char *name, const char *data, size_t len)
{
	lm_buf path = LM_BUF_INIT;
	int error;

	if ((error = lm_buf_printf(&path, "%s/%s", report_dir, name)) == 0 &&
	    (error = lm__clear_stale(path.ptr, path.size, ".tmp", S_IFREG)) == 0)
		error = lm__write_whole(path.ptr, data, len);
	lm_buf_dispose(&path);
	return error;
}

static int write_json(const char *report_dir, const char *name, const json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	int error;

	if (!text)
		return lm_error_set(LM_ENOMEM, "out of memory");
	error = write_whole(report_dir, name, text, strlen(text));
	free(text);
	return error;
}

/* Text as HTML character data or attribute value. */
static int html_escape(lm_buf *out, const char *s)
{
	int error = 0;

	for (; *s && error == 0; s++) {
		switch (*s) {
		case '<':
			error = lm_buf_puts(out, "&lt;");
			break;
		case '>':
			error = lm_buf_puts(out, "&gt;");
			break;
		case '&':
			error = lm_buf_puts(out, "&amp;");
			break;
		case '"':
			error = lm_buf_puts(out, "&quot;");
			break;
		case '\'':
			error = lm_buf_puts(out, "&#39;");
			break;
		default:
			error = lm_buf_put(out, s, 1);
		}
	}
	return error;
}

/*
 * JSON text inside <script type="application/json">: `<`, `>` and `&` only
 * occur inside JSON strings, where \u escapes mean the same, so no `</script`
 * or `<!--` can end or change the script element.
 */
static int script_json(lm_buf *out, const char *text)
{
	int error = 0;

	for (; *text && error == 0; text++) {
		if (*text == '<')
			error = lm_buf_puts(out, "\\u003c");
		else if (*text == '>')
			error = lm_buf_puts(out, "\\u003e");
		else if (*text == '&')
			error = lm_buf_puts(out, "\\u0026");
		else
			error = lm_buf_put(out, text, 1);
	}
	return error;
}

static int write_html(const report *r, const char *repo_path, const char *report_dir)
{
	json_t *data = NULL;
	char *text = NULL;
	lm_buf page = LM_BUF_INIT;
	int error = 0;

	data = json_pack("{s:s, s:s, s:b, s:O, s:O}", "repository", repo_path, "version",
	                 LEAKMUT_VERSION, "validated_only",
	                 json_is_true(json_object_get(r->score, "validated_only")), "detectors",
	                 json_object_get(r->score, "detectors"), "mutants", r->rows);
	if (!data || !(text = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((error = lm_buf_puts(&page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	                                "<meta charset=\"utf-8\">\n"
	                                "<meta name=\"viewport\" content=\"width=device-width\">\n"
	                                "<title>leakmut score: ")) < 0 ||
	    (error = html_escape(&page, repo_path)) < 0 ||
	    (error = lm_buf_puts(&page, "</title>\n<style>\n")) < 0 ||
	    (error = lm_buf_puts(&page, report_css)) < 0 ||
	    (error = lm_buf_puts(
	         &page, "</style>\n<script>\n"
	                /* First of all: any error or console.error goes into the page. */
	                "window.lmErrors = [];\n"
	                "window.addEventListener('error', function (e) { window.lmErrors.push("
	                "String(e.message)); });\n"
	                "(function () { var f = console.error; console.error = function () { "
	                "window.lmErrors.push(Array.prototype.join.call(arguments, ' ')); "
	                "return f.apply(console, arguments); }; })();\n"
	                "</script>\n</head>\n<body>\n<header><h1>leakmut score</h1>\n"
	                "<p>Repository <code>")) < 0 ||
	    (error = html_escape(&page, repo_path)) < 0 ||
	    (error = lm_buf_printf(&page,
	                           "</code>, leakmut %s. Every number below comes from "
	                           "<code>score.json</code> in this folder.</p></header>\n"
	                           "<noscript><p>This page draws its tables and charts with "
	                           "JavaScript; score.json and mutation-report.json hold the "
	                           "same data.</p></noscript>\n"
	                           "<main id=\"report\"></main>\n"
	                           "<div id=\"errors\" data-count=\"0\"></div>\n"
	                           "<script type=\"application/json\" id=\"data\">",
	                           LEAKMUT_VERSION)) < 0 ||
	    (error = script_json(&page, text)) < 0 ||
	    (error = lm_buf_puts(&page, "</script>\n<script>\n")) < 0 ||
	    (error = lm_buf_puts(&page, report_js)) < 0 ||
	    /* A script of its own, so that it runs even when the report's script threw. */
	    (error = lm_buf_puts(&page,
	                         "</script>\n<script>\n"
	                         "(function () { var box = document.getElementById('errors');\n"
	                         "box.setAttribute('data-count', String(window.lmErrors.length));\n"
	                         "window.lmErrors.forEach(function (m) { var p = "
	                         "document.createElement('p');\n"
	                         "p.textContent = 'error: ' + m; box.appendChild(p); }); })();\n"
	                         "</script>\n</body>\n</html>\n")) < 0)
		goto cleanup;
	error = write_whole(report_dir, "index.html", page.ptr, page.size);

cleanup:
	free(text);
	json_decref(data);
	lm_buf_dispose(&page);
	return error;
}

int lm_report_write(const char *repo_path, const char *report_dir)
{
	report r = {0};
	lm_buf path = LM_BUF_INIT, name = LM_BUF_INIT;
	json_t *doc = NULL, *det, *written = json_object(); /* the file names so far */
	size_t i;
	int error = 0;

	if (!(r.rows = json_array()) || !(r.by_id = json_object()) ||
	    !(r.sources = json_object()) || !written) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((error = load_score(&r, report_dir, &path)) < 0)
		goto cleanup;
	r.score_path = path.ptr;
	if (git_repository_open_ext(&r.repo, repo_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		error = lm_error_set(LM_ENOTFOUND, "%s: not a git repository", repo_path);
		goto cleanup;
	}
	if ((error = load_truth(&r)) < 0 || (error = attach_outcomes(&r)) < 0)
		goto cleanup;

	if ((error = stryker_report(&doc, &r, NULL)) < 0 ||
	    (error = write_json(report_dir, "mutation-report.json", doc)) < 0)
		goto cleanup;
	json_array_foreach(json_object_get(r.score, "detectors"), i, det)
	{
		const char *d = lm__json_str(det, "name"), *c;

		json_decref(doc);
		doc = NULL;
		lm_buf_clear(&name);
		if ((error = lm_buf_puts(&name, "mutation-report-")) < 0)
			goto cleanup;
		/* A detector's name becomes part of a file name: score takes no
		 * name with a slash or a control character, but a score.json
		 * made elsewhere might hold one. */
		for (c = d; *c && error == 0; c++)
			error = lm_buf_put(
			    &name, *c == '/' || *c == '\\' || (unsigned char)*c < ' ' ? "_" : c, 1);
		if (error < 0 || (error = lm_buf_puts(&name, ".json")) < 0)
			goto cleanup;
		if (json_object_get(written, name.ptr)) {
			error = lm_error_set(LM_EINVALID,
			                     "%s: detector '%s' and another would share the "
			                     "report file %s",
			                     path.ptr, d, name.ptr);
			goto cleanup;
		}
		if (json_object_set_new(written, name.ptr, json_true()) < 0) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		if ((error = stryker_report(&doc, &r, d)) < 0 ||
		    (error = write_json(report_dir, name.ptr, doc)) < 0)
			goto cleanup;
	}
	error = write_html(&r, repo_path, report_dir);

cleanup:
	json_decref(doc);
	json_decref(written);
	report_dispose(&r);
	lm_buf_dispose(&path);
	lm_buf_dispose(&name);
	return error;
}
