#include "leakmut/leakmut.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <jansson.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "util.h"
#include "scratch.h"
#include "truth.h"

extern char **environ;

#ifndef LEAKMUT_SOURCE_DIR
#define LEAKMUT_SOURCE_DIR "."
#endif
#ifndef LEAKMUT_NODE_PATH
#define LEAKMUT_NODE_PATH "build/node/node_modules"
#endif

/* ---- the rule map (LM_RULE_MAP_VERSION) ----------------------------------------- */

static bool leak_rule(const char *rule)
{
	static const char *const rules[] = {"SIM115", "open-file-with-context-handler", "R1732",
	                                    "consider-using-with"};
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rule, rules[i]))
			return true;
	return false;
}

void lm_wilson(size_t k, size_t n, double *low, double *high)
{
	const double z = 1.959963984540054;
	double p, denom, centre, half;

	if (n == 0) {
		*low = 0.0;
		*high = 1.0;
		return;
	}
	p = (double)k / (double)n;
	denom = 1.0 + z * z / (double)n;
	centre = (p + z * z / (2.0 * (double)n)) / denom;
	half = z * sqrt(p * (1.0 - p) / (double)n + z * z / (4.0 * (double)n * (double)n)) / denom;
	*low = centre - half < 0 ? 0 : centre - half;
	*high = centre + half > 1 ? 1 : centre + half;
}

typedef struct text_file {
	char *data;
	size_t len;
} text_file;

static int read_text(text_file *t, const char *path);

/* ---- running a detector ------------------------------------------------------------ */

typedef struct finding {
	char *rule;
	char *path;
	long line, col, end_line, end_col;
	bool on_base; /* its fingerprint is also found on base */
} finding;

typedef struct findings {
	finding *items;
	size_t count;
	json_t *errors; /* paths the detector failed on */
	char *version;
	char *command;
} findings;

static void findings_dispose(findings *f)
{
	size_t i;

	for (i = 0; i < f->count; i++) {
		free(f->items[i].rule);
		free(f->items[i].path);
	}
	free(f->items);
	free(f->version);
	free(f->command);
	json_decref(f->errors);
	memset(f, 0, sizeof(*f));
}

static int findings_add(findings *f, const char *rule, const char *path, long line, long col,
                        long end_line, long end_col)
{
	finding *items = lm__realloc(f->items, (f->count + 1) * sizeof(*items));

	if (!items)
		return lm_error_set(LM_ENOMEM, "out of memory");
	f->items = items;
	items[f->count].rule = lm__strdup(rule);
	items[f->count].path = lm__strdup(path);
	if (!items[f->count].rule || !items[f->count].path) {
		free(items[f->count].rule);
		free(items[f->count].path);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	items[f->count].line = line;
	items[f->count].col = col;
	items[f->count].end_line = end_line > 0 ? end_line : line;
	items[f->count].end_col = end_col;
	items[f->count].on_base = false;
	f->count++;
	return 0;
}

/* Run argv in `dir`, its stdout into `out`; *status gets the exit status. */
static int spawn_capture(char *const argv[], const char *dir, char *const envp[], lm_buf *out,
                         int *status)
{
	posix_spawn_file_actions_t actions;
	char path[] = "/tmp/leakmut-score-out-XXXXXX";
	int fd = mkstemp(path), error;
	pid_t pid;
	FILE *f;
	char chunk[65536];
	size_t n;

	if (fd < 0)
		return lm_error_set(LM_EIO, "%s: %s", path, strerror(errno));
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, fd, 1);
	posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addchdir_np(&actions, dir);
	error = posix_spawnp(&pid, argv[0], &actions, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&actions);
	close(fd);
	if (error) {
		unlink(path);
		return lm_error_set(LM_ENOTFOUND, "%s: cannot run: %s", argv[0], strerror(error));
	}
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	error = 0;
	if ((f = fopen(path, "rb")) != NULL) {
		while (error == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			error = lm_buf_put(out, chunk, n);
		fclose(f);
	}
	unlink(path);
	return error;
}

static int command_line(char **out, char *const argv[])
{
	lm_buf b = LM_BUF_INIT;
	int error = 0;
	size_t i;

	for (i = 0; argv[i] && error == 0; i++) {
		/* The wrapper script itself is long: name it, do not print it. */
		error = lm_buf_printf(&b, "%s%s", i ? " " : "", argv[i]);
	}
	*out = lm_buf_detach(&b);
	return error;
}

static int run_ruff(findings *f, const char *root, bool strip_noqa)
{
	const char *script = getenv("LEAKMUT_RUFF_SCRIPT");
	const char *node_path = getenv("LEAKMUT_NODE_PATH");
	lm_buf script_path = LM_BUF_INIT, env_node = LM_BUF_INIT, out = LM_BUF_INIT;
	char *argv[6], **envp = NULL;
	size_t nenv = 0, i, k = 0;
	json_t *doc = NULL, *items;
	int status = 0, error;

	if ((error = lm_buf_puts(&script_path, script ? script
	                                              : LEAKMUT_SOURCE_DIR
	                                           "/src/detectors/ruff-wasm.cjs")) < 0 ||
	    (error = lm_buf_printf(&env_node, "NODE_PATH=%s",
	                           node_path ? node_path : LEAKMUT_NODE_PATH)) < 0)
		goto cleanup;
	while (environ[nenv])
		nenv++;
	if (!(envp = lm__calloc(nenv + 2, sizeof(*envp)))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < nenv; i++)
		if (strncmp(environ[i], "NODE_PATH=", 10))
			envp[k++] = environ[i];
	envp[k++] = env_node.ptr;
	argv[0] = "node";
	argv[1] = script_path.ptr;
	i = 2;
	if (strip_noqa)
		argv[i++] = "--strip-noqa";
	argv[i++] = ".";
	argv[i] = NULL;
	if ((error = command_line(&f->command, argv)) < 0 ||
	    (error = spawn_capture(argv, root, envp, &out, &status)) < 0)
		goto cleanup;
	doc = out.ptr ? json_loads(out.ptr, 0, NULL) : NULL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !json_is_object(doc)) {
		error = lm_error_set(LM_ERROR, "ruff (%s) failed on %s", script_path.ptr, root);
		goto cleanup;
	}
	f->version = lm__strdup(*lm__json_str(doc, "version") ? lm__json_str(doc, "version") : "?");
	f->errors = json_incref(json_object_get(doc, "errors"));
	items = json_object_get(doc, "findings");
	for (i = 0; error == 0 && i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);

		error = findings_add(f, lm__json_str(it, "rule"), lm__json_str(it, "path"),
		                     (long)json_integer_value(json_object_get(it, "line")),
		                     (long)json_integer_value(json_object_get(it, "col")),
		                     (long)json_integer_value(json_object_get(it, "end_line")),
		                     (long)json_integer_value(json_object_get(it, "end_col")));
	}

cleanup:
	json_decref(doc);
	free(envp);
	lm_buf_dispose(&script_path);
	lm_buf_dispose(&env_node);
	lm_buf_dispose(&out);
	return error;
}

typedef struct file_list {
	char **items;
	size_t count;
	int error;
} file_list;

static int collect_file(const char *path, const char *rel, void *payload)
{
	file_list *l = payload;
	char **items = lm__realloc(l->items, (l->count + 1) * sizeof(*items));

	(void)path;
	if (!items || !(items[l->count] = lm__strdup(rel))) {
		if (items)
			l->items = items;
		return l->error = lm_error_set(LM_ENOMEM, "out of memory");
	}
	l->items = items;
	l->count++;
	return 0;
}

/* A 0-based byte offset on a line, as a 1-based code-point column. */
static long code_point_column(const text_file *t, long line, long byte_col)
{
	const char *p = t->data, *end = t->data ? t->data + t->len : NULL;
	long n = 1, col = 1, k;

	if (!p)
		return byte_col + 1;
	while (p < end && n < line)
		if (*p++ == '\n')
			n++;
	for (k = 0; k < byte_col && p < end && *p != '\n'; k++, p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			col++;
	return col;
}

/*
 * pylint over an explicit, sorted file list (its --recursive mode finds
 * nothing in a folder holding an __init__.py, in Debian's 2.16), in batches;
 * syntax-error is enabled so that a file it cannot parse is a tool error,
 * not a silent miss.  Its columns are 0-based byte offsets: converted.
 */
static int run_pylint(findings *f, const char *root)
{
	char *vargv[] = {"pylint", "--version", NULL};
	char *head[] = {"pylint", "--disable=all", "--enable=consider-using-with,syntax-error",
	                "--output-format=json", "--jobs=2"};
	enum { NHEAD = sizeof(head) / sizeof(head[0]), BATCH = 400 };
	char *argv[NHEAD + BATCH + 1];
	file_list files = {0};
	lm_buf out = LM_BUF_INIT, version = LM_BUF_INIT, path = LM_BUF_INIT;
	text_file t = {0};
	char *last = NULL;
	json_t *doc = NULL;
	int status = 0, error;
	size_t i, start;

	if ((error = lm_walk(root, collect_file, NULL, &files)) < 0 || files.error < 0)
		goto cleanup;
	memcpy(argv, head, sizeof(head));
	argv[NHEAD] = "FILES...";
	argv[NHEAD + 1] = NULL;
	if ((error = command_line(&f->command, argv)) < 0 ||
	    (error = spawn_capture(vargv, root, environ, &version, &status)) < 0)
		goto cleanup;
	{
		/* "pylint 2.16.2" on the first line. */
		const char *v = version.ptr ? version.ptr : "?";

		if (!strncmp(v, "pylint ", 7))
			v += 7;
		f->version = lm__strndup(v, strcspn(v, "\n"));
	}
	if (!(f->errors = json_array())) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (start = 0; start < files.count && error == 0; start += BATCH) {
		size_t n = files.count - start < BATCH ? files.count - start : BATCH;

		for (i = 0; i < n; i++)
			argv[NHEAD + i] = files.items[start + i];
		argv[NHEAD + n] = NULL;
		lm_buf_clear(&out);
		if ((error = spawn_capture(argv, root, environ, &out, &status)) < 0)
			break;
		/* pylint's status is a bit mask: 1 fatal, 32 usage error. */
		json_decref(doc);
		doc = out.ptr ? json_loads(out.ptr, 0, NULL) : NULL;
		if (!WIFEXITED(status) || (WEXITSTATUS(status) & (1 | 32)) || !json_is_array(doc)) {
			error = lm_error_set(LM_ERROR, "pylint failed on %s (status %d)", root,
			                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			break;
		}
		for (i = 0; error == 0 && i < json_array_size(doc); i++) {
			json_t *it = json_array_get(doc, i);
			const char *p = lm__json_str(it, "path");
			long line = (long)json_integer_value(json_object_get(it, "line"));
			long end_line = (long)json_integer_value(json_object_get(it, "endLine"));

			if (!strcmp(lm__json_str(it, "message-id"), "E0001")) {
				json_array_append_new(f->errors,
				                      json_pack("{s:s, s:s}", "path", p, "message",
				                                lm__json_str(it, "message")));
				continue;
			}
			if (!last || strcmp(last, p)) {
				free(last);
				free(t.data);
				last = lm__strdup(p);
				lm_buf_clear(&path);
				if (!last || (error = lm_buf_printf(&path, "%s/%s", root, p)) < 0 ||
				    (error = read_text(&t, path.ptr)) < 0) {
					if (!error)
						error = lm_error_set(LM_ENOMEM, "out of memory");
					break;
				}
			}
			error = findings_add(
			    f, lm__json_str(it, "message-id"), p, line,
			    code_point_column(
			        &t, line, (long)json_integer_value(json_object_get(it, "column"))),
			    end_line,
			    code_point_column(
			        &t, end_line > 0 ? end_line : line,
			        (long)json_integer_value(json_object_get(it, "endColumn"))));
		}
	}

cleanup:
	for (i = 0; i < files.count; i++)
		free(files.items[i]);
	free(files.items);
	free(last);
	free(t.data);
	json_decref(doc);
	lm_buf_dispose(&out);
	lm_buf_dispose(&version);
	lm_buf_dispose(&path);
	return error;
}

static int run_detector(findings *f, const char *name, const char *root, bool strip_noqa)
{
	if (!strcmp(name, "ruff"))
		return run_ruff(f, root, strip_noqa);
	if (!strcmp(name, "pylint"))
		return strip_noqa ? 0 : run_pylint(f, root); /* pylint ignores noqa anyway */
	return lm_error_set(LM_EINVALID, "unknown detector '%s' (ruff, pylint)", name);
}

/* ---- fingerprints and matching ------------------------------------------------------- */

static int read_text(text_file *t, const char *path)
{
	lm_buf b = LM_BUF_INIT;
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int error = 0;

	memset(t, 0, sizeof(*t));
	if (!f)
		return 0; /* a missing file has no lines */
	while (error == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		error = lm_buf_put(&b, chunk, n);
	fclose(f);
	t->len = b.size;
	t->data = lm_buf_detach(&b);
	return error;
}

/* The text of line `line` (1-based), whitespace runs folded, into out. */
static void line_text(char *out, size_t size, const text_file *t, long line)
{
	const char *p = t->data, *end = t->data ? t->data + t->len : NULL;
	size_t k = 0;
	bool space = false;
	char quote = 0;
	long n = 1;

	out[0] = '\0';
	if (!p)
		return;
	while (p < end && n < line) {
		if (*p++ == '\n')
			n++;
	}
	/* A comment is not part of the line's text: a mutant that adds one
	 * (a noqa) must still match the base line. */
	for (; p < end && *p != '\n' && k + 2 < size; p++) {
		if (*p == '\'' || *p == '"')
			quote = quote == *p ? 0 : quote ? quote : *p;
		else if (*p == '#' && !quote)
			break;
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = false;
		out[k++] = *p;
	}
	out[k] = '\0';
}

/* rule, path and the normalised line text of a finding, plus its occurrence. */
static int fingerprint(lm_buf *out, const finding *fi, const char *path, const text_file *t,
                       unsigned occurrence)
{
	char text[512];

	line_text(text, sizeof(text), t, fi->line);
	lm_buf_clear(out);
	return lm_buf_printf(out, "%s\x1f%s\x1f%s\x1f%u", fi->rule, path, text, occurrence);
}

/* The lines of the function that encloses `line` in a source, or the whole file. */
static void function_lines(const text_file *t, lm_parser *parser, long line, long *lo, long *hi)
{
	lm_source *src = NULL;
	TSNode node;
	uint32_t row = (uint32_t)(line > 0 ? line - 1 : 0);

	*lo = 1;
	*hi = 1L << 30;
	if (!t->data || lm_source_from_bytes(&src, "f", t->data, t->len) < 0 ||
	    lm_source_parse(src, parser) < 0) {
		lm_source_free(src);
		return;
	}
	node = ts_node_descendant_for_point_range(lm_source_root(src), (TSPoint){row, 0},
	                                          (TSPoint){row, 0});
	for (; !ts_node_is_null(node); node = ts_node_parent(node))
		if (lm_node_is(node, "function_definition")) {
			*lo = (long)ts_node_start_point(node).row + 1;
			*hi = (long)ts_node_end_point(node).row + 1;
			break;
		}
	lm_source_free(src);
}

/* ---- the score ------------------------------------------------------------------------ */

typedef struct record {
	json_t *rec;
	const char *id, *path, *op, *kind, *witness;
	bool control;
	long line, col, end_line, end_col;
} record;

enum { DETECTED, DETECTED_FUNC, SUPPRESSED, NOT_DISCRIMINATED, MISSED, TOOL_ERROR, FP, TN };
static const char *const outcome_names[] = {
    "DETECTED", "DETECTED_FUNC", "SUPPRESSED", "NOT_DISCRIMINATED",
    "MISSED",   "TOOL_ERROR",    "FP",         "TN"};

/* Mark the mutant-run findings whose fingerprint is also on base. */
static int mark_base(findings *mut, findings *base, const char *scratch, size_t prefix_len)
{
	lm_buf a = LM_BUF_INIT, b = LM_BUF_INIT, path = LM_BUF_INIT;
	text_file tm = {0}, tb = {0};
	size_t i, j, k;
	int error = 0;

	for (i = 0; i < mut->count && error == 0; i++) {
		finding *fi = &mut->items[i];
		const char *rel = strchr(fi->path, '/'); /* "<id>/<path>" */
		unsigned occ = 0;

		if (!rel || !leak_rule(fi->rule))
			continue;
		rel++;
		lm_buf_clear(&path);
		free(tm.data);
		if ((error = lm_buf_printf(&path, "%s/mutants/%s", scratch, fi->path)) < 0 ||
		    (error = read_text(&tm, path.ptr)) < 0)
			break;
		for (k = 0; k < i; k++)
			if (!strcmp(mut->items[k].path, fi->path) &&
			    !strcmp(mut->items[k].rule, fi->rule)) {
				char x[512], y[512];

				line_text(x, sizeof(x), &tm, mut->items[k].line);
				line_text(y, sizeof(y), &tm, fi->line);
				occ += !strcmp(x, y);
			}
		if ((error = fingerprint(&a, fi, rel, &tm, occ)) < 0)
			break;
		free(tb.data);
		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&path, "%s/base/%s", scratch, rel)) < 0 ||
		    (error = read_text(&tb, path.ptr)) < 0)
			break;
		for (j = 0; j < base->count && !fi->on_base && error == 0; j++) {
			unsigned bocc = 0;

			if (strcmp(base->items[j].path, rel) ||
			    strcmp(base->items[j].rule, fi->rule))
				continue;
			for (k = 0; k < j; k++)
				if (!strcmp(base->items[k].path, rel) &&
				    !strcmp(base->items[k].rule, fi->rule)) {
					char x[512], y[512];

					line_text(x, sizeof(x), &tb, base->items[k].line);
					line_text(y, sizeof(y), &tb, base->items[j].line);
					bocc += !strcmp(x, y);
				}
			if ((error = fingerprint(&b, &base->items[j], rel, &tb, bocc)) == 0)
				fi->on_base = !strcmp(a.ptr, b.ptr);
		}
	}
	(void)prefix_len;
	free(tm.data);
	free(tb.data);
	lm_buf_dispose(&a);
	lm_buf_dispose(&b);
	lm_buf_dispose(&path);
	return error;
}

static bool overlaps(const finding *f, long l0, long c0, long l1, long c1)
{
	if (f->end_line < l0 || f->line > l1)
		return false;
	if (f->end_line == l0 && f->end_col > 0 && f->end_col <= c0)
		return false;
	if (f->line == l1 && f->col >= c1)
		return false;
	return true;
}

static int outcome(const record *r, findings *mut, findings *stripped, const char *scratch,
                   lm_parser *parser, int *tier)
{
	lm_buf want = LM_BUF_INIT, path = LM_BUF_INIT;
	text_file t = {0};
	long flo = 0, fhi = 0;
	bool func_read = false, at_spot_on_base = false, func = false;
	int best = 99;
	size_t i;

	*tier = -1;
	if (lm_buf_printf(&want, "%s/%s", r->id, r->path) < 0)
		return TOOL_ERROR;
	for (i = 0; mut->errors && i < json_array_size(mut->errors); i++) {
		const char *p =
		    json_string_value(json_object_get(json_array_get(mut->errors, i), "path"));

		if (p && !strcmp(p, want.ptr)) {
			lm_buf_dispose(&want);
			return TOOL_ERROR;
		}
	}
	for (i = 0; i < mut->count; i++) {
		const finding *f = &mut->items[i];
		int t0;

		if (strcmp(f->path, want.ptr) || !leak_rule(f->rule))
			continue;
		if (overlaps(f, r->line, r->col, r->end_line, r->end_col))
			t0 = 0;
		else if (f->line <= r->end_line && f->end_line >= r->line)
			t0 = 1;
		else {
			if (!func_read) {
				lm_buf_clear(&path);
				if (lm_buf_printf(&path, "%s/mutants/%s", scratch, want.ptr) == 0 &&
				    read_text(&t, path.ptr) == 0)
					function_lines(&t, parser, r->line, &flo, &fhi);
				func_read = true;
			}
			if (f->line >= flo && f->line <= fhi && !f->on_base)
				func = true;
			continue;
		}
		if (f->on_base) {
			at_spot_on_base = true;
			continue;
		}
		best = t0 < best ? t0 : best;
	}
	free(t.data);
	lm_buf_dispose(&path);
	if (best <= 1) {
		*tier = best;
		lm_buf_dispose(&want);
		return r->control ? FP : DETECTED;
	}
	if (r->control) {
		lm_buf_dispose(&want);
		return TN;
	}
	if (at_spot_on_base) {
		lm_buf_dispose(&want);
		return NOT_DISCRIMINATED;
	}
	if (func) {
		*tier = 3;
		lm_buf_dispose(&want);
		return DETECTED_FUNC;
	}
	for (i = 0; stripped && i < stripped->count; i++) {
		const finding *f = &stripped->items[i];

		if (!strcmp(f->path, want.ptr) && leak_rule(f->rule) && f->line <= r->end_line &&
		    f->end_line >= r->line) {
			lm_buf_dispose(&want);
			return SUPPRESSED;
		}
	}
	lm_buf_dispose(&want);
	return MISSED;
}

typedef struct tally {
	size_t n, counts[8], tiers[4], validated_n, validated_detected;
	size_t controls, fp;
} tally;

static void count(tally *t, const record *r, int o, int tier)
{
	if (r->control) {
		t->controls++;
		t->fp += o == FP;
		return;
	}
	t->n++;
	t->counts[o]++;
	if (tier >= 0)
		t->tiers[tier]++;
	if (!strcmp(r->witness, "validated")) {
		t->validated_n++;
		t->validated_detected += o == DETECTED;
	}
}

static json_t *tally_json(const tally *t)
{
	double lo, hi, vlo, vhi, recall = t->n ? (double)t->counts[DETECTED] / (double)t->n : 0;
	double fpr = t->controls ? (double)t->fp / (double)t->controls : 0;
	json_t *outcomes = json_object();
	size_t i;

	lm_wilson(t->counts[DETECTED], t->n, &lo, &hi);
	lm_wilson(t->validated_detected, t->validated_n, &vlo, &vhi);
	for (i = 0; outcomes && i < 6; i++)
		json_object_set_new(outcomes, outcome_names[i],
		                    json_integer((json_int_t)t->counts[i]));
	return json_pack(
	    "{s:I, s:o, s:f, s:[f,f], s:I, s:I, s:f, s:f,"
	    " s:{s:I, s:I, s:I}, s:{s:I, s:I, s:f, s:[f,f]}}",
	    "mutants", (json_int_t)t->n, "outcomes", outcomes, "recall", recall, "recall_wilson95",
	    lo, hi, "controls", (json_int_t)t->controls, "fp", (json_int_t)t->fp, "fpr", fpr,
	    "youden_j", recall - fpr, "tiers", "T0", (json_int_t)t->tiers[0], "T1",
	    (json_int_t)t->tiers[1], "T3_lenient", (json_int_t)t->tiers[3], "validated_only",
	    "mutants", (json_int_t)t->validated_n, "detected", (json_int_t)t->validated_detected,
	    "recall", t->validated_n ? (double)t->validated_detected / (double)t->validated_n : 0.0,
	    "recall_wilson95", vlo, vhi);
}

static void table_row(const lm_score_opts *o, const char *name, const tally *t)
{
	char line[512];
	double lo, hi, recall = t->n ? (double)t->counts[DETECTED] / (double)t->n : 0;
	double fpr = t->controls ? (double)t->fp / (double)t->controls : 0;

	lm_wilson(t->counts[DETECTED], t->n, &lo, &hi);
	snprintf(line, sizeof(line),
	         "  %-18s %5zu %5zu %6.2f [%4.2f-%4.2f] %4zu %5zu %5zu %6zu %4zu | %5zu %4zu %5.2f "
	         "%6.2f",
	         name, t->n, t->counts[DETECTED], recall, lo, hi, t->counts[DETECTED_FUNC],
	         t->counts[SUPPRESSED], t->counts[NOT_DISCRIMINATED], t->counts[MISSED],
	         t->counts[TOOL_ERROR], t->controls, t->fp, fpr, recall - fpr);
	if (o->line)
		o->line(line, o->payload);
}

static int count_file_lines(const char *path, const char *rel, void *payload)
{
	size_t *lines = payload;
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n, i;

	(void)rel;
	if (!f)
		return 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		for (i = 0; i < n; i++)
			*lines += chunk[i] == '\n';
	fclose(f);
	return 0;
}

int lm_score(const lm_score_opts *opts)
{
	git_repository *repo = NULL;
	git_commit *previous = NULL;
	git_object *obj = NULL;
	git_blob *blob = NULL;
	lm_parser *parser = NULL;
	record *recs = NULL;
	size_t nrecs = 0, i, d, pos, len;
	char scratch[] = "/tmp/leakmut-score-XXXXXX";
	bool made = false;
	lm_buf path = LM_BUF_INIT, spec = LM_BUF_INIT;
	json_t *report = json_object(), *detectors = json_array(), *per_mutant = json_array();
	const char *data;
	int error = 0;

	if (!report || !detectors || !per_mutant) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (git_repository_open_ext(&repo, opts->repo, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		error = lm_error_set(LM_ENOTFOUND, "%s: not a git repository", opts->repo);
		goto cleanup;
	}
	if (git_revparse_single(&obj, repo, "leakmut/truth:truth.jsonl") < 0 ||
	    git_object_peel((git_object **)&blob, obj, GIT_OBJECT_BLOB) < 0) {
		error = lm_error_set(LM_EINVALID, "%s: no leakmut truth (run generate first)",
		                     opts->repo);
		goto cleanup;
	}
	if ((error = lm_parser_new(&parser)) < 0)
		goto cleanup;
	if (!mkdtemp(scratch)) {
		error = lm_error_set(LM_EIO, "%s: %s", scratch, strerror(errno));
		goto cleanup;
	}
	made = true;

	/* The records, and the trees: base whole, each mutant's file side by side. */
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	for (pos = 0; pos < len;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		json_t *rec = end > pos ? json_loadb(data + pos, end - pos, 0, NULL) : NULL;
		record *more;

		pos = end + 1;
		if (!rec)
			continue;
		if (!(more = lm__realloc(recs, (nrecs + 1) * sizeof(*recs)))) {
			json_decref(rec);
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		recs = more;
		recs[nrecs].rec = rec;
		recs[nrecs].id = lm__json_str(rec, "id");
		recs[nrecs].path = lm__json_str(rec, "path");
		recs[nrecs].op = lm__json_str(rec, "operator");
		recs[nrecs].kind = lm__json_str(rec, "resource_kind");
		recs[nrecs].witness = lm__json_str(json_object_get(rec, "validation"), "witness");
		recs[nrecs].control = !strcmp(lm__json_str(rec, "result_kind"), "pass");
		recs[nrecs].line = (long)json_integer_value(json_object_get(rec, "line"));
		recs[nrecs].col = (long)json_integer_value(json_object_get(rec, "col"));
		recs[nrecs].end_line = (long)json_integer_value(json_object_get(rec, "end_line"));
		recs[nrecs].end_col = (long)json_integer_value(json_object_get(rec, "end_col"));
		nrecs++;
	}
	lm_buf_clear(&path);
	if ((error = lm_buf_printf(&path, "%s/base", scratch)) < 0)
		goto cleanup;
	if (mkdir(path.ptr, 0755) < 0 || (error = lm__write_tree(repo, "base", path.ptr)) < 0) {
		if (!error)
			error = lm_error_set(LM_EIO, "%s: %s", path.ptr, strerror(errno));
		goto cleanup;
	}
	lm_buf_clear(&path);
	if ((error = lm_buf_printf(&path, "%s/mutants", scratch)) < 0 || mkdir(path.ptr, 0755) < 0)
		goto cleanup;
	for (i = 0; i < nrecs && error == 0; i++) {
		git_object *o = NULL;
		git_blob *b = NULL;
		char *slash;
		FILE *f;

		lm_buf_clear(&spec);
		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&spec, "%s:%s", lm__json_str(recs[i].rec, "branch"),
		                           recs[i].path)) < 0 ||
		    (error = lm_buf_printf(&path, "%s/mutants/%s/%s", scratch, recs[i].id,
		                           recs[i].path)) < 0)
			break;
		if (strstr(recs[i].path, "..") || recs[i].path[0] == '/') {
			error = lm_error_set(LM_EINVALID, "truth path %s leaves the tree",
			                     recs[i].path);
			break;
		}
		if (git_revparse_single(&o, repo, spec.ptr) < 0 ||
		    git_object_peel((git_object **)&b, o, GIT_OBJECT_BLOB) < 0) {
			git_object_free(o);
			error = lm_error_set(LM_EGIT, "%s: %s", spec.ptr,
			                     git_error_last() ? git_error_last()->message : "?");
			break;
		}
		for (slash = strchr(path.ptr + strlen(scratch) + 1, '/'); slash;
		     slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			mkdir(path.ptr, 0755);
			*slash = '/';
		}
		if ((f = fopen(path.ptr, "wb")) != NULL) {
			fwrite(git_blob_rawcontent(b), 1, (size_t)git_blob_rawsize(b), f);
			if (fclose(f) != 0)
				error = lm_error_set(LM_EIO, "%s: cannot write", path.ptr);
		} else {
			error = lm_error_set(LM_EIO, "%s: %s", path.ptr, strerror(errno));
		}
		git_blob_free(b);
		git_object_free(o);
	}
	if (error < 0)
		goto cleanup;

	for (d = 0; d < opts->ndetectors && error == 0; d++) {
		const char *name = opts->detectors[d];
		findings base = {0}, mut = {0}, stripped = {0};
		tally all = {0}, *per_op = NULL, *per_kind = NULL;
		const char **ops = NULL, **kinds = NULL;
		size_t nops = 0, nkinds = 0, k, base_alerts = 0, base_lines = 0;
		json_t *det = NULL, *by_op = json_object(), *by_kind = json_object();
		char head[512];

		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&path, "%s/base", scratch)) < 0 ||
		    (error = run_detector(&base, name, path.ptr, false)) < 0)
			goto next;
		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&path, "%s/mutants", scratch)) < 0 ||
		    (error = run_detector(&mut, name, path.ptr, false)) < 0 ||
		    (error = run_detector(&stripped, name, path.ptr, true)) < 0 ||
		    (error = mark_base(&mut, &base, scratch, strlen(scratch))) < 0)
			goto next;
		for (k = 0; k < base.count; k++)
			base_alerts += leak_rule(base.items[k].rule);
		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&path, "%s/base", scratch)) < 0)
			goto next;
		base_lines = 0;
		lm_walk(path.ptr, count_file_lines, NULL, &base_lines);
		if (!(ops = lm__calloc(nrecs + 1, sizeof(*ops))) ||
		    !(per_op = lm__calloc(nrecs + 1, sizeof(*per_op))) ||
		    !(kinds = lm__calloc(nrecs + 1, sizeof(*kinds))) ||
		    !(per_kind = lm__calloc(nrecs + 1, sizeof(*per_kind))) || !by_op || !by_kind) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto next;
		}
		for (i = 0; i < nrecs; i++) {
			int tier,
			    o = outcome(&recs[i], &mut, strcmp(name, "ruff") ? NULL : &stripped,
			                scratch, parser, &tier);
			/* A control counts for the operators it is the twin of. */
			const char *op = recs[i].op;
			json_t *paired = json_object_get(recs[i].rec, "paired_with");

			if (recs[i].control && json_array_size(paired) > 0) {
				size_t m;

				for (m = 0; m < nrecs; m++)
					if (!strcmp(recs[m].id,
					            json_string_value(json_array_get(paired, 0)))) {
						op = recs[m].op;
						break;
					}
			}
			for (k = 0; k < nops && strcmp(ops[k], op); k++)
				;
			if (k == nops)
				ops[nops++] = op;
			count(&per_op[k], &recs[i], o, tier);
			for (k = 0; k < nkinds && strcmp(kinds[k], recs[i].kind); k++)
				;
			if (k == nkinds)
				kinds[nkinds++] = recs[i].kind;
			count(&per_kind[k], &recs[i], o, tier);
			if (!opts->validated_only || recs[i].control ||
			    !strcmp(recs[i].witness, "validated"))
				count(&all, &recs[i], o, tier);
			json_array_append_new(
			    per_mutant,
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "detector", name, "id",
			              recs[i].id, "operator", recs[i].op, "kind", recs[i].kind,
			              "outcome", outcome_names[o], "tier", tier));
		}
		snprintf(head, sizeof(head), "%s %s: %zu leak alerts on base (%.2f per KLOC)", name,
		         base.version ? base.version : "?", base_alerts,
		         base_lines ? 1000.0 * (double)base_alerts / (double)base_lines : 0.0);
		if (opts->line) {
			opts->line(head, opts->payload);
			opts->line("  operator           mutants det. recall [95% CI]    func "
			           "suppr notd. missed err "
			           "| ctrls   FP   FPR      J",
			           opts->payload);
		}
		for (k = 0; k < nops; k++) {
			table_row(opts, ops[k], &per_op[k]);
			json_object_set_new(by_op, ops[k], tally_json(&per_op[k]));
		}
		table_row(opts, opts->validated_only ? "all (validated)" : "all", &all);
		for (k = 0; k < nkinds; k++)
			json_object_set_new(by_kind, kinds[k], tally_json(&per_kind[k]));
		det = json_pack(
		    "{s:s, s:s, s:s, s:i, s:I, s:f, s:o, s:o, s:o}", "name", name, "version",
		    base.version ? base.version : "?", "command", mut.command ? mut.command : "",
		    "rule_map_version", LM_RULE_MAP_VERSION, "base_alerts", (json_int_t)base_alerts,
		    "base_alerts_per_kloc",
		    base_lines ? 1000.0 * (double)base_alerts / (double)base_lines : 0.0, "overall",
		    tally_json(&all), "per_operator", by_op, "per_kind", by_kind);
		by_op = by_kind = NULL;
		json_array_append_new(detectors, det);
	next:
		json_decref(by_op);
		json_decref(by_kind);
		free(ops);
		free(per_op);
		free(kinds);
		free(per_kind);
		findings_dispose(&base);
		findings_dispose(&mut);
		findings_dispose(&stripped);
	}
	if (error == 0 && opts->report_dir) {
		char *text;

		json_object_set_new(report, "schema", json_string("leakmut-score/1"));
		json_object_set(report, "detectors", detectors);
		json_object_set(report, "mutants", per_mutant);
		lm_buf_clear(&path);
		mkdir(opts->report_dir, 0755);
		text = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!text || lm_buf_printf(&path, "%s/score.json", opts->report_dir) < 0) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
		} else {
			FILE *f = fopen(path.ptr, "wb");
			bool ok = f && fputs(text, f) >= 0;

			if (f && fclose(f) != 0)
				ok = false;
			if (!ok)
				error = lm_error_set(LM_EIO, "%s: cannot write", path.ptr);
		}
		free(text);
		if (error == 0)
			error = lm_report_write(opts->repo, opts->report_dir);
	}

cleanup:
	if (made)
		lm__remove_tree(scratch);
	for (i = 0; i < nrecs; i++)
		json_decref(recs[i].rec);
	free(recs);
	json_decref(report);
	json_decref(detectors);
	json_decref(per_mutant);
	lm_buf_dispose(&path);
	lm_buf_dispose(&spec);
	lm_parser_free(parser);
	git_blob_free(blob);
	git_object_free(obj);
	git_commit_free(previous);
	git_repository_free(repo);
	return error;
}
