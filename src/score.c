#include "leakmut/leakmut.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <jansson.h>
#include <math.h>
#include <nettle/sha2.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "util.h"
#include "scratch.h"
#include "truth.h"
#include "whole.h"

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
	static const char *const rules[] = {"SIM115",
	                                    "open-file-with-context-handler",
	                                    "R1732",
	                                    "consider-using-with",
	                                    "open-never-closed",
	                                    "py/file-not-closed"};
	const char *dot = strrchr(rule, '.');
	size_t i;

	/* semgrep prefixes its rule ids with the registry path. */
	if (dot && !strcmp(dot + 1, "open-never-closed"))
		return true;
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
	size_t *lines; /* where each line starts, once text_line() needed it */
	size_t nlines;
} text_file;

static int read_text(text_file *t, const char *path);

static void text_dispose(text_file *t)
{
	free(t->data);
	free(t->lines);
	memset(t, 0, sizeof(*t));
}

/*
 * Where line `line` (1-based) of t starts, or the text's end when it has no
 * such line.  The first call indexes the lines, so that each later one is
 * O(1): findings come by the thousand per file.
 */
static const char *text_line(text_file *t, long line)
{
	const char *p = t->data, *end = t->data ? t->data + t->len : NULL;
	long n = 1;

	if (!p || line < 1)
		return p;
	if (!t->lines) {
		size_t count = 1, i, k = 0;

		for (i = 0; i < t->len; i++)
			count += t->data[i] == '\n';
		if ((t->lines = lm__calloc(count, sizeof(*t->lines))) != NULL) {
			t->lines[k++] = 0;
			for (i = 0; i < t->len; i++)
				if (t->data[i] == '\n')
					t->lines[k++] = i + 1;
			t->nlines = count;
		}
	}
	if (t->lines)
		return (size_t)line <= t->nlines ? p + t->lines[line - 1] : end;
	while (p < end && n < line) /* out of memory for the index: scan */
		if (*p++ == '\n')
			n++;
	return p;
}

/* ---- running a detector ------------------------------------------------------------ */

typedef struct finding {
	char *rule;
	char *path;
	long line, col, end_line, end_col;
	bool on_base;    /* its fingerprint is also found on base */
	bool leak;       /* its rule is a leak rule (the rule map, or a CWE tag in SARIF) */
	bool suppressed; /* SARIF: the tool reports it suppressed (in source or outside) */
	int tier;        /* its own tier against its mutant's anchor, or -1 */
	int out;         /* the outcome it contributed to, or -1 (unmatched) */
	long rec;        /* the index of its mutant's or control's record, or -1 */
	size_t seq;      /* its place in the detector's output */
} finding;

typedef struct findings {
	finding *items;
	size_t count, alloc; /* sorted by path (findings_sort) before they are matched */
	json_t *errors;      /* paths the detector failed on */
	char *version;
	char *command;
	json_t *argv;   /* the argument vector of the last run */
	char *failure;  /* the run failed: every row of this detector is a TOOL_ERROR */
	double seconds; /* wall time of the runs */
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
	free(f->failure);
	json_decref(f->argv);
	json_decref(f->errors);
	memset(f, 0, sizeof(*f));
}

static int findings_add(findings *f, const char *rule, const char *path, long line, long col,
                        long end_line, long end_col)
{
	finding *items = f->items;

	if (f->count == f->alloc) {
		size_t alloc = f->alloc ? f->alloc * 2 : 64;

		if (!(items = lm__realloc(f->items, alloc * sizeof(*items))))
			return lm_error_set(LM_ENOMEM, "out of memory");
		f->items = items;
		f->alloc = alloc;
	}
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
	items[f->count].leak = leak_rule(rule);
	items[f->count].suppressed = false;
	items[f->count].tier = -1;
	items[f->count].out = -1;
	items[f->count].rec = -1;
	items[f->count].seq = f->count;
	f->count++;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	const finding *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* By path; a file's findings keep the detector's order. */
static void findings_sort(findings *f)
{
	if (f->count > 1)
		qsort(f->items, f->count, sizeof(*f->items), by_path);
}

/* The first finding (of sorted ones) whose path's first n bytes are not before `prefix`'s. */
static size_t findings_from(const findings *f, const char *prefix, size_t n)
{
	size_t lo = 0, hi = f->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(f->items[mid].path, prefix, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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

/* The command as one line (for the table) and as a JSON array of words. */
static int command_line(findings *f, char *const argv[])
{
	lm_buf b = LM_BUF_INIT;
	int error = 0;
	size_t i;

	json_decref(f->argv);
	free(f->command);
	if (!(f->argv = json_array()))
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (i = 0; argv[i] && error == 0; i++) {
		error = lm_buf_printf(&b, "%s%s", i ? " " : "", argv[i]);
		if (error == 0 && json_array_append_new(f->argv, json_string(argv[i])) < 0)
			error = lm_error_set(LM_ENOMEM, "out of memory");
	}
	f->command = lm_buf_detach(&b);
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
	if ((error = command_line(f, argv)) < 0 ||
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
static long code_point_column(text_file *t, long line, long byte_col)
{
	const char *p = text_line(t, line), *end = t->data ? t->data + t->len : NULL;
	long col = 1, k;

	if (!p)
		return byte_col + 1;
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
	if ((error = command_line(f, argv)) < 0 ||
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
				text_dispose(&t);
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
	text_dispose(&t);
	json_decref(doc);
	lm_buf_dispose(&out);
	lm_buf_dispose(&version);
	lm_buf_dispose(&path);
	return error;
}

/* ---- detectors that write SARIF, ast-grep, and the run's bookkeeping ----------------- */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sha256_hex(char out[65], const char *data, size_t len)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (i = 0; i < sizeof(digest); i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

typedef struct words {
	char **items;
	size_t count;
} words;

static void words_dispose(words *w)
{
	size_t i;

	for (i = 0; i < w->count; i++)
		free(w->items[i]);
	free(w->items);
	memset(w, 0, sizeof(*w));
}

static int words_push(words *w, char *word)
{
	char **items = lm__realloc(w->items, (w->count + 2) * sizeof(*items));

	if (!items || !word) {
		free(word);
		if (items)
			w->items = items;
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	w->items = items;
	items[w->count++] = word;
	items[w->count] = NULL;
	return 0;
}

/*
 * A command line into words, no shell involved: blanks separate words;
 * '...' is taken as it is; "..." too, but for \" and \\; outside quotes a
 * backslash takes the next character as it is.
 */
static int split_words(words *out, const char *s, const char *what)
{
	lm_buf w = LM_BUF_INIT;
	bool in_word = false;
	int error = 0;

	while (*s && error == 0) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (in_word)
				error = words_push(out, lm_buf_detach(&w));
			in_word = false;
			s++;
			continue;
		}
		/* A word, even "" (an empty argument), has its buffer. */
		if (!in_word && (error = lm_buf_put(&w, "", 0)) < 0)
			break;
		in_word = true;
		if (*s == '\'') {
			const char *end = strchr(s + 1, '\'');

			if (!end) {
				lm_buf_dispose(&w);
				return lm_error_set(LM_EINVALID, "%s: unclosed ' in the command",
				                    what);
			}
			error = lm_buf_put(&w, s + 1, (size_t)(end - s - 1));
			s = end + 1;
		} else if (*s == '"') {
			for (s++; *s && *s != '"' && error == 0; s++) {
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				error = lm_buf_put(&w, s, 1);
			}
			if (!*s) {
				lm_buf_dispose(&w);
				return lm_error_set(LM_EINVALID, "%s: unclosed \" in the command",
				                    what);
			}
			s++;
		} else if (*s == '\\' && s[1]) {
			error = lm_buf_put(&w, s + 1, 1);
			s += 2;
		} else {
			error = lm_buf_put(&w, s++, 1);
		}
	}
	if (error == 0 && in_word)
		error = words_push(out, lm_buf_detach(&w));
	lm_buf_dispose(&w);
	if (error == 0 && out->count == 0)
		error = lm_error_set(LM_EINVALID, "%s: empty command", what);
	return error;
}

/* A SARIF artifact URI as a path: no file:// scheme, %XX decoded, no "./". */
static char *uri_path(const char *uri)
{
	lm_buf b = LM_BUF_INIT;

	if (!strncmp(uri, "file://", 7))
		uri += 7;
	while (!strncmp(uri, "./", 2))
		uri += 2;
	for (; *uri; uri++) {
		unsigned v;

		if (*uri == '%' && sscanf(uri + 1, "%2x", &v) == 1 &&
		    isxdigit((unsigned char)uri[1]) && isxdigit((unsigned char)uri[2])) {
			char c = (char)v;

			lm_buf_put(&b, &c, 1);
			uri += 2;
		} else {
			lm_buf_put(&b, uri, 1);
		}
	}
	return lm_buf_detach(&b);
}

/* "CWE-772: ...", "external/cwe/cwe-772", "cwe-404": a tag naming a leak CWE. */
static bool leak_cwe_tag(const char *t)
{
	static const char *const cwes[] = {"cwe-404", "cwe-772", "cwe-775"};
	size_t k;

	for (k = 0; t && k < 3; k++) {
		const char *p = strcasestr(t, cwes[k]);

		if (p && !isdigit((unsigned char)p[7]))
			return true;
	}
	return false;
}

static bool leak_cwe_tags(json_t *properties)
{
	json_t *tags = json_object_get(properties, "tags");
	size_t j;

	for (j = 0; j < json_array_size(tags); j++)
		if (leak_cwe_tag(json_string_value(json_array_get(tags, j))))
			return true;
	return false;
}

/*
 * A reportingDescriptorReference (a result's taxa entry, a relationship's
 * target) to CWE-404, 772 or 775: its toolComponent is the CWE taxonomy (by
 * name, or by index into the run's taxonomies) and its id (or the taxon at
 * its index) is the number, bare or as "CWE-772".
 */
static bool leak_cwe_ref(json_t *run, json_t *ref)
{
	json_t *tc = json_object_get(ref, "toolComponent"), *tax = NULL, *index;
	const char *name = lm__json_str(tc, "name"), *id = lm__json_str(ref, "id");

	if (json_is_integer(json_object_get(tc, "index")))
		tax = json_array_get(json_object_get(run, "taxonomies"),
		                     (size_t)json_integer_value(json_object_get(tc, "index")));
	if (!*name)
		name = lm__json_str(tax, "name");
	if (strcasecmp(name, "CWE"))
		return false;
	index = json_object_get(ref, "index");
	if (!*id && json_is_integer(index))
		id = lm__json_str(
		    json_array_get(json_object_get(tax, "taxa"), (size_t)json_integer_value(index)),
		    "id");
	if (!strncasecmp(id, "CWE-", 4))
		id += 4;
	return !strcmp(id, "404") || !strcmp(id, "772") || !strcmp(id, "775");
}

/* The rule's descriptor: where result.rule (or ruleIndex) points, else by id. */
static json_t *rule_descriptor(json_t *run, json_t *res, const char *rule)
{
	json_t *tool = json_object_get(run, "tool"), *ref = json_object_get(res, "rule");
	json_t *tc = json_object_get(ref, "toolComponent"), *comp = json_object_get(tool, "driver");
	json_t *index = json_object_get(ref, "index"), *exts = json_object_get(tool, "extensions");
	json_t *rules, *d;
	size_t i, e;

	if (!json_is_integer(index))
		index = json_object_get(res, "ruleIndex");
	if (json_is_integer(json_object_get(tc, "index")))
		comp =
		    json_array_get(exts, (size_t)json_integer_value(json_object_get(tc, "index")));
	rules = json_object_get(comp, "rules");
	if (json_is_integer(index) &&
	    (d = json_array_get(rules, (size_t)json_integer_value(index))) != NULL)
		return d;
	for (i = 0; i < json_array_size(rules); i++)
		if (!strcmp(lm__json_str(json_array_get(rules, i), "id"), rule))
			return json_array_get(rules, i);
	for (e = 0; !tc && e < json_array_size(exts); e++) {
		rules = json_object_get(json_array_get(exts, e), "rules");
		for (i = 0; i < json_array_size(rules); i++)
			if (!strcmp(lm__json_str(json_array_get(rules, i), "id"), rule))
				return json_array_get(rules, i);
	}
	return NULL;
}

/*
 * A result SARIF says is about CWE-404, 772 or 775: its rule's tags or its
 * relationships to the CWE taxonomy, or the result's own taxa or tags.  The
 * rule is looked up in the driver or in the extension the result names.
 */
static bool cwe_tagged(json_t *run, json_t *res, const char *rule)
{
	json_t *d = rule_descriptor(run, res, rule), *rel = json_object_get(d, "relationships");
	json_t *taxa = json_object_get(res, "taxa");
	size_t i;

	if (leak_cwe_tags(json_object_get(d, "properties")) ||
	    leak_cwe_tags(json_object_get(res, "properties")))
		return true;
	for (i = 0; i < json_array_size(rel); i++)
		if (leak_cwe_ref(run, json_object_get(json_array_get(rel, i), "target")))
			return true;
	for (i = 0; i < json_array_size(taxa); i++)
		if (leak_cwe_ref(run, json_array_get(taxa, i)))
			return true;
	return false;
}

/*
 * A 1-based column in UTF-16 code units on line `line` of t, as a 1-based
 * column in code points: a character beyond the BMP (four UTF-8 bytes) is two
 * UTF-16 units but one code point.
 */
static long utf16_column(text_file *t, long line, long col)
{
	const unsigned char *p = (const unsigned char *)t->data, *end = p ? p + t->len : NULL;
	long units = 0, cp = 1;

	if (!p || col <= 1)
		return col;
	p = (const unsigned char *)text_line(t, line);
	while (units < col - 1 && p < end && *p != '\n') {
		int len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;

		units += len == 4 ? 2 : 1;
		cp++;
		for (p++, len--; len > 0 && p < end && (*p & 0xC0) == 0x80; len--)
			p++;
	}
	return cp + (col - 1 - units > 0 ? col - 1 - units : 0); /* past the line's end */
}

/*
 * Whether the tool reports a SARIF result suppressed (SARIF 2.1.0,
 * result.suppressions): a non-empty array none of whose suppressions is
 * underReview or rejected.
 */
static bool sarif_suppressed(const json_t *res)
{
	const json_t *list = json_object_get(res, "suppressions"), *one;
	size_t i;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return false;
	json_array_foreach(list, i, one)
	{
		const char *status = lm__json_str(one, "status");

		if (!strcmp(status, "underReview") || !strcmp(status, "rejected"))
			return false;
	}
	return true;
}

/*
 * A SARIF detector's suppressed results play the part of ruff's noqa: the
 * run with suppressions ignored, `all`, gets every finding of `native`
 * (as a run with noqa stripped gets ruff's), and `native` keeps those the
 * tool did not suppress.  `all` NULL: the suppressed ones are dropped (base).
 */
static int split_suppressed(findings *native, findings *all)
{
	size_t i, kept = 0;
	int error = 0;

	for (i = 0; i < native->count && error == 0; i++) {
		const finding *f = &native->items[i];

		if (all && (error = findings_add(all, f->rule, f->path, f->line, f->col,
		                                 f->end_line, f->end_col)) == 0)
			all->items[all->count - 1].leak = f->leak;
	}
	if (error < 0)
		return error;
	for (i = 0; i < native->count; i++) {
		if (native->items[i].suppressed) {
			free(native->items[i].rule);
			free(native->items[i].path);
			continue;
		}
		native->items[kept] = native->items[i];
		native->items[kept].seq = kept;
		kept++;
	}
	native->count = kept;
	return 0;
}

/*
 * Where a SARIF artifact URI points: `*rel`, the path relative to the folder
 * the tool ran in, inside `*p` (the caller frees it).  An absolute path not
 * under `root` is an error; `of` says what gave it ("result", ...).
 */
static int sarif_where(const char *uri, const char *of, const char *what, const char *root,
                       bool split, char **p, const char **rel)
{
	size_t n = root ? strlen(root) : 0;
	int error;

	if (!(*p = uri_path(uri)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	*rel = *p;
	if (**p != '/')
		return 0;
	if (root && !strncmp(*p, root, n) && (*p)[n] == '/') {
		*rel = *p + n + 1;
		return 0;
	}
	error = lm_error_set(LM_EINVALID,
	                     split ? "%s: %s path %s is absolute and not under the "
	                             "--materialise folder; give paths relative to it "
	                             "(base/<path>, mutants/<id>/<path>)"
	                           : "%s: %s path %s is absolute and not under %s",
	                     what, of, *p, root ? root : "?");
	free(*p);
	*p = NULL;
	return error;
}

/*
 * With `split`, the side of the materialised layout `*rel` is on (base/ or
 * mutants/), `*rel` then without that prefix; NULL: outside the layout.
 */
static findings *sarif_side(const char **rel, bool split, findings *mut, findings *base)
{
	if (!split)
		return mut;
	if (!strncmp(*rel, "base/", 5)) {
		*rel += 5;
		return base;
	}
	if (!strncmp(*rel, "mutants/", 8)) {
		*rel += 8;
		return mut;
	}
	return NULL;
}

/*
 * What a SARIF run says of its own execution.  An invocation that did not
 * complete (executionSuccessful false) fails the run: every row is a
 * TOOL_ERROR.  A notification of level "error" at a file says the tool
 * failed on that file: it goes to the `errors` of its side, and the
 * mutants and controls that change the file are TOOL_ERROR.
 */
static int sarif_invocations(json_t *run, size_t r, findings *mut, findings *base, const char *what,
                             const char *root, bool split)
{
	json_t *invocations = json_object_get(run, "invocations");
	size_t i, k, l;
	int error = 0;

	for (i = 0; i < json_array_size(invocations) && error == 0; i++) {
		json_t *inv = json_array_get(invocations, i);
		json_t *notes = json_object_get(inv, "toolExecutionNotifications");

		if (json_is_false(json_object_get(inv, "executionSuccessful")) && !mut->failure) {
			lm_buf msg = LM_BUF_INIT;

			lm_buf_printf(&msg,
			              "%s: run %zu: invocation %zu did not complete "
			              "(executionSuccessful is false)",
			              what, r, i);
			if (!(mut->failure = lm_buf_detach(&msg)))
				return lm_error_set(LM_ENOMEM, "out of memory");
		}
		for (k = 0; k < json_array_size(notes) && error == 0; k++) {
			json_t *note = json_array_get(notes, k),
			       *locs = json_object_get(note, "locations");
			const char *text = lm__json_str(json_object_get(note, "message"), "text");

			if (strcmp(lm__json_str(note, "level"), "error"))
				continue; /* a warning (the default), a note: the results stand */
			for (l = 0; l < json_array_size(locs) && error == 0; l++) {
				const char *uri = lm__json_str(
				               json_object_get(
				                   json_object_get(json_array_get(locs, l),
				                                   "physicalLocation"),
				                   "artifactLocation"),
				               "uri"),
				           *rel;
				findings *to;
				char *p = NULL;

				if (!*uri || (error = sarif_where(uri, "notification", what, root,
				                                  split, &p, &rel)) < 0)
					continue;
				if ((to = sarif_side(&rel, split, mut, base)) != NULL &&
				    ((!to->errors && !(to->errors = json_array())) ||
				     json_array_append_new(to->errors,
				                           json_pack("{s:s, s:s}", "path", rel,
				                                     "message", text)) < 0))
					error = lm_error_set(LM_ENOMEM, "out of memory");
				free(p);
			}
		}
	}
	return error;
}

/*
 * The findings of a SARIF log.  With `split` (a precomputed log over the
 * materialised layout), results under base/ go to `base` and those under
 * mutants/ to `mut`, without that prefix; otherwise all go to `mut` with the
 * path as given (relative to the folder the tool ran in, or absolute under
 * `root`).  `what` names the log in messages.
 */
static int sarif_parse(findings *mut, findings *base, const char *text, size_t len,
                       const char *what, const char *root, bool split)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text ? text : "", text ? len : 0, 0, &jerr), *runs;
	lm_buf file = LM_BUF_INIT, cached = LM_BUF_INIT;
	text_file t = {0};
	size_t r, i;
	int error = 0;

	if (!doc)
		return lm_error_set(LM_EINVALID, "%s: not SARIF: line %d: %s", what, jerr.line,
		                    jerr.text);
	runs = json_object_get(doc, "runs");
	if (!json_is_object(doc) || !json_is_array(runs)) {
		json_decref(doc);
		return lm_error_set(LM_EINVALID, "%s: not SARIF: no \"runs\" array", what);
	}
	for (r = 0; r < json_array_size(runs) && error == 0; r++) {
		json_t *run = json_array_get(runs, r), *results = json_object_get(run, "results");
		json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
		const char *v = lm__json_str(driver, "version");
		const char *kind = lm__json_str(run, "columnKind");
		bool utf16 = !*kind || !strcmp(kind, "utf16CodeUnits");

		if (!utf16 && strcmp(kind, "unicodeCodePoints")) {
			error = lm_error_set(LM_EINVALID,
			                     "%s: run %zu: columnKind \"%s\" is neither "
			                     "utf16CodeUnits nor unicodeCodePoints",
			                     what, r, kind);
			break;
		}
		if (!*v)
			v = lm__json_str(driver, "semanticVersion");
		if (*v && !mut->version)
			mut->version = lm__strdup(v);
		error = sarif_invocations(run, r, mut, base, what, root, split);
		for (i = 0; i < json_array_size(results) && error == 0; i++) {
			json_t *res = json_array_get(results, i);
			json_t *loc =
			    json_object_get(json_array_get(json_object_get(res, "locations"), 0),
			                    "physicalLocation");
			json_t *region = json_object_get(loc, "region");
			const char *rule = lm__json_str(res, "ruleId"), *uri;
			char *p = NULL;
			const char *rel;
			findings *to;
			long line, col, end_line, end_col;

			if (*lm__json_str(res, "kind") && strcmp(lm__json_str(res, "kind"), "fail"))
				continue; /* pass, open, review...: not a finding */
			if (!*rule)
				rule = lm__json_str(json_object_get(res, "rule"), "id");
			if (!*rule) /* by index, in the driver or the extension named */
				rule = lm__json_str(rule_descriptor(run, res, ""), "id");
			uri = lm__json_str(json_object_get(loc, "artifactLocation"), "uri");
			line = (long)json_integer_value(json_object_get(region, "startLine"));
			if (!*uri || line <= 0)
				continue; /* not a place in a file */
			if ((error = sarif_where(uri, "result", what, root, split, &p, &rel)) < 0)
				break;
			col = json_is_integer(json_object_get(region, "startColumn"))
			          ? (long)json_integer_value(json_object_get(region, "startColumn"))
			          : 1;
			end_line = (long)json_integer_value(json_object_get(region, "endLine"));
			end_col = (long)json_integer_value(json_object_get(region, "endColumn"));
			if (utf16 && root && (col > 1 || end_col > 1)) {
				/* leakmut counts code points: convert with the line's text. */
				lm_buf_clear(&file);
				if ((error = lm_buf_printf(&file, "%s/%s", root, rel)) < 0) {
					free(p);
					break;
				}
				if (!cached.ptr || strcmp(cached.ptr, file.ptr)) {
					text_dispose(&t);
					lm_buf_clear(&cached);
					if ((error = read_text(&t, file.ptr)) < 0 ||
					    (error = lm_buf_puts(&cached, file.ptr)) < 0) {
						free(p);
						break;
					}
				}
				col = utf16_column(&t, line, col);
				if (end_col > 0)
					end_col = utf16_column(&t, end_line > 0 ? end_line : line,
					                       end_col);
			}
			if (!(to = sarif_side(&rel, split, mut, base))) {
				free(p);
				continue; /* outside the layout: not ours */
			}
			error =
			    findings_add(to, *rule ? rule : "?", rel, line, col, end_line, end_col);
			if (error == 0 && cwe_tagged(run, res, rule))
				to->items[to->count - 1].leak = true;
			if (error == 0)
				to->items[to->count - 1].suppressed = sarif_suppressed(res);
			free(p);
		}
	}
	json_decref(doc);
	text_dispose(&t);
	lm_buf_dispose(&file);
	lm_buf_dispose(&cached);
	return error;
}

/* What one word of a new program's arguments or environment takes. */
#define ARG_COST(word) (strlen(word) + 1 + sizeof(char *))

/*
 * How many bytes (ARG_COST) of {files} one run of a command detector takes:
 * the system's limit on a new program's arguments and environment together
 * (ARG_MAX, a quarter of the stack limit on Linux), less the environment and
 * the command's other words (`argv` but its `nfiles` words from `at`),
 * halved for what the kernel adds.
 */
static size_t files_budget(char *const *argv, size_t count, size_t at, size_t nfiles)
{
	long max = sysconf(_SC_ARG_MAX);
	size_t used = 0, i, budget;

	for (i = 0; environ[i]; i++)
		used += ARG_COST(environ[i]);
	for (i = 0; i < count; i++)
		if (i < at || i >= at + nfiles)
			used += ARG_COST(argv[i]);
	budget = max > 0 ? (size_t)max : 131072;
	budget = budget > used ? (budget - used) / 2 : 0;
	return budget < 4096 ? 4096 : budget;
}

/* A run's SARIF, from the {sarif} file or its standard output, into `f`. */
static int read_run_sarif(findings *f, const char *name, const char *sarif, bool uses_sarif,
                          const lm_buf *out, const char *root)
{
	lm_buf what = LM_BUF_INIT;
	text_file t = {0};
	int error;

	if (uses_sarif) {
		if ((error = read_text(&t, sarif)) == 0 &&
		    (error = lm_buf_printf(&what, "detector %s: its SARIF file %s", name, sarif)) ==
		        0)
			error = sarif_parse(f, NULL, t.data, t.len, what.ptr, root, false);
	} else if ((error = lm_buf_printf(&what, "detector %s: its standard output", name)) == 0) {
		error = sarif_parse(f, NULL, out->ptr, out->size, what.ptr, root, false);
	}
	text_dispose(&t);
	lm_buf_dispose(&what);
	return error;
}

/*
 * A user's detector: COMMAND run as an argument vector in `root`, with
 * {files} expanded to the materialised files (relative to root) and {sarif}
 * to the path of a file it writes its SARIF to (else its standard output is
 * read).  When the files are more than one run's arguments can hold, the
 * command runs once for each part of them, in order, and their results are
 * taken together.  A non-zero exit or output that is not SARIF is a tool
 * error.
 */
static int run_command(findings *f, const char *name, const char *command, const char *root)
{
	words w = {0}, argv = {0};
	file_list files = {0};
	lm_buf out = LM_BUF_INIT, what = LM_BUF_INIT;
	char sarif[] = "/tmp/leakmut-sarif-XXXXXX", **run = NULL;
	bool uses_sarif = false;
	size_t i, j, at = 0, nfiles = 0, nat = 0, start, budget;
	int fd, status = 0, error;

	if ((fd = mkstemp(sarif)) < 0)
		return lm_error_set(LM_EIO, "%s: %s", sarif, strerror(errno));
	close(fd);
	if ((error = lm_buf_printf(&what, "detector %s", name)) < 0 ||
	    (error = split_words(&w, command, what.ptr)) < 0 ||
	    (error = lm_walk(root, collect_file, NULL, &files)) < 0 || (error = files.error) < 0)
		goto cleanup;
	for (i = 0; i < w.count && error == 0; i++) {
		lm_buf word = LM_BUF_INIT;
		const char *p = w.items[i], *hit;

		if (!strcmp(p, "{files}")) {
			at = argv.count; /* the last {files}: the one split over runs */
			nat++;
			for (j = 0; j < files.count && error == 0; j++)
				error = words_push(&argv, lm__strdup(files.items[j]));
			nfiles = files.count;
			continue;
		}
		while ((hit = strstr(p, "{sarif}")) != NULL && error == 0) {
			error = lm_buf_put(&word, p, (size_t)(hit - p));
			if (error == 0)
				error = lm_buf_puts(&word, sarif);
			uses_sarif = true;
			p = hit + 7;
		}
		if (error == 0 && (error = lm_buf_puts(&word, p)) == 0)
			error = words_push(&argv, lm_buf_detach(&word));
		lm_buf_dispose(&word);
	}
	if (error < 0 || (error = command_line(f, argv.items)) < 0)
		goto cleanup;
	if (nat != 1)
		at = nfiles = 0; /* no {files}, or several: one run with every word */
	if (!(run = lm__calloc(argv.count + 1, sizeof(*run)))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* The words around {files} stay in every run. */
	memcpy(run, argv.items, at * sizeof(*run));
	budget = files_budget(argv.items, argv.count, at, nfiles);
	start = 0;
	do {
		size_t n = 0, bytes = 0, k = at;

		/* As many files as the budget holds, and at least one. */
		while (start + n < nfiles &&
		       (n == 0 || bytes + ARG_COST(argv.items[at + start + n]) <= budget))
			bytes += ARG_COST(argv.items[at + start + n++]);
		for (j = 0; j < n; j++)
			run[k++] = argv.items[at + start + j];
		for (j = at + nfiles; j < argv.count; j++)
			run[k++] = argv.items[j];
		run[k] = NULL;
		start += n;
		lm_buf_clear(&out);
		/* A run that writes no SARIF must not find the last run's. */
		if (uses_sarif && truncate(sarif, 0) < 0) {
			error = lm_error_set(LM_EIO, "%s: %s", sarif, strerror(errno));
			goto cleanup;
		}
		if ((error = spawn_capture(run, root, environ, &out, &status)) < 0) {
			/* Cannot be started at all: a tool error too, said plainly. */
			lm_buf msg = LM_BUF_INIT;

			lm_buf_printf(&msg, "detector %s: %s", name, lm_error_last());
			f->failure = lm_buf_detach(&msg);
			error = f->failure ? 0 : lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			lm_buf msg = LM_BUF_INIT;

			lm_buf_printf(&msg, "detector %s: %s exited with status %d in %s", name,
			              run[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1, root);
			if (!(f->failure = lm_buf_detach(&msg)))
				error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		if ((error = read_run_sarif(f, name, sarif, uses_sarif, &out, root)) < 0) {
			if ((f->failure = lm__strdup(lm_error_last())) != NULL)
				error = 0;
			goto cleanup;
		}
	} while (start < nfiles);

cleanup:
	unlink(sarif);
	free(run);
	words_dispose(&w);
	words_dispose(&argv);
	for (i = 0; i < files.count; i++)
		free(files.items[i]);
	free(files.items);
	lm_buf_dispose(&out);
	lm_buf_dispose(&what);
	return error;
}

static const char *ast_grep_rule(void)
{
	const char *rule = getenv("LEAKMUT_AST_GREP_RULE");

	return rule ? rule : LEAKMUT_SOURCE_DIR "/src/detectors/ast-grep-open-never-closed.yml";
}

/* ast-grep (npm @ast-grep/cli) with leakmut's rule file; its JSON, 0-based. */
static int run_ast_grep(findings *f, const char *root)
{
	const char *bin = getenv("LEAKMUT_AST_GREP"), *node_path = getenv("LEAKMUT_NODE_PATH");
	lm_buf exe = LM_BUF_INIT, out = LM_BUF_INIT, version = LM_BUF_INIT;
	char *argv[] = {NULL,
	                "scan",
	                "--rule",
	                (char *)ast_grep_rule(),
	                "--json=compact",
	                "--no-ignore",
	                "hidden",
	                "--no-ignore",
	                "vcs",
	                "--no-ignore",
	                "dot",
	                "--no-ignore",
	                "parent",
	                ".",
	                NULL};
	char *vargv[] = {NULL, "--version", NULL};
	json_t *doc = NULL;
	int status = 0, error;
	size_t i;

	if (bin)
		error = lm_buf_puts(&exe, bin);
	else
		error = lm_buf_printf(&exe, "%s/.bin/ast-grep",
		                      node_path ? node_path : LEAKMUT_NODE_PATH);
	if (error < 0)
		goto cleanup;
	argv[0] = vargv[0] = exe.ptr;
	if ((error = command_line(f, argv)) < 0 ||
	    (error = spawn_capture(vargv, root, environ, &version, &status)) < 0)
		goto cleanup;
	{
		const char *v = version.ptr ? version.ptr : "?";

		if (!strncmp(v, "ast-grep ", 9))
			v += 9;
		f->version = lm__strndup(v, strcspn(v, "\n"));
	}
	if ((error = spawn_capture(argv, root, environ, &out, &status)) < 0)
		goto cleanup;
	doc = out.ptr ? json_loads(out.ptr, 0, NULL) : NULL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !json_is_array(doc)) {
		error = lm_error_set(LM_ERROR, "ast-grep (%s) failed on %s (status %d)", exe.ptr,
		                     root, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto cleanup;
	}
	for (i = 0; error == 0 && i < json_array_size(doc); i++) {
		json_t *it = json_array_get(doc, i), *range = json_object_get(it, "range");
		json_t *s = json_object_get(range, "start"), *e = json_object_get(range, "end");

		error = findings_add(f, lm__json_str(it, "ruleId"), lm__json_str(it, "file"),
		                     (long)json_integer_value(json_object_get(s, "line")) + 1,
		                     (long)json_integer_value(json_object_get(s, "column")) + 1,
		                     (long)json_integer_value(json_object_get(e, "line")) + 1,
		                     (long)json_integer_value(json_object_get(e, "column")) + 1);
	}

cleanup:
	json_decref(doc);
	lm_buf_dispose(&exe);
	lm_buf_dispose(&out);
	lm_buf_dispose(&version);
	return error;
}

typedef enum { DET_BUILTIN, DET_COMMAND, DET_SARIF } det_kind;

typedef struct det_spec {
	char *name;
	det_kind kind;
	const char *arg; /* DET_COMMAND: the command; DET_SARIF: the file */
} det_spec;

static int run_detector(findings *f, const det_spec *d, const char *root, bool strip_noqa)
{
	double start = now_seconds();
	int error;

	if (d->kind == DET_COMMAND)
		error = strip_noqa ? 0 : run_command(f, d->name, d->arg, root);
	else if (!strcmp(d->name, "ruff"))
		error = run_ruff(f, root, strip_noqa);
	else if (!strcmp(d->name, "pylint"))
		error = strip_noqa ? 0 : run_pylint(f, root); /* pylint ignores noqa anyway */
	else if (!strcmp(d->name, "ast-grep"))
		error = strip_noqa ? 0 : run_ast_grep(f, root); /* no noqa in ast-grep */
	else
		error = lm_error_set(LM_EINVALID,
		                     "unknown detector '%s' (ruff, pylint, ast-grep, or "
		                     "NAME='COMMAND ARGS {files}')",
		                     d->name);
	/* A built-in tool that fails (cannot start, crashes, says what cannot
	 * be read) is a tool error like any command's: every row of it says so,
	 * and the score goes on with the other detectors. */
	if (error < 0 && error != LM_ENOMEM && d->kind != DET_COMMAND &&
	    (!strcmp(d->name, "ruff") || !strcmp(d->name, "pylint") ||
	     !strcmp(d->name, "ast-grep"))) {
		lm_buf msg = LM_BUF_INIT;

		lm_buf_printf(&msg, "detector %s: %s", d->name, lm_error_last());
		free(f->failure);
		if (!(f->failure = lm_buf_detach(&msg)))
			return lm_error_set(LM_ENOMEM, "out of memory");
		error = 0;
	}
	f->seconds = now_seconds() - start;
	return error;
}

/* A precomputed SARIF log over the materialised layout, into base and mutants. */
static int load_sarif(findings *base, findings *mut, const det_spec *d, const char *root)
{
	text_file t = {0};
	lm_buf what = LM_BUF_INIT;
	struct stat st;
	int error;

	if (stat(d->arg, &st) < 0)
		return lm_error_set(LM_ENOTFOUND, "--sarif %s=%s: %s", d->name, d->arg,
		                    strerror(errno));
	if ((error = read_text(&t, d->arg)) < 0 ||
	    (error = lm_buf_printf(&what, "--sarif %s=%s", d->name, d->arg)) < 0)
		goto cleanup;
	error = sarif_parse(mut, base, t.data, t.len, what.ptr, root, true);
	if (error == 0 && mut->version)
		base->version = lm__strdup(mut->version);
	if (error == 0 && !(mut->argv = json_array()))
		error = lm_error_set(LM_ENOMEM, "out of memory");
	mut->command = lm__strdup(d->arg);

cleanup:
	text_dispose(&t);
	lm_buf_dispose(&what);
	return error;
}

/* What the detector's result depends on besides its version, hashed. */
static void config_hash(char out[65], const det_spec *d, const findings *f)
{
	text_file t = {0};
	const char *file = NULL;
	lm_buf path = LM_BUF_INIT;

	if (d->kind == DET_SARIF)
		file = d->arg;
	else if (d->kind == DET_BUILTIN && !strcmp(d->name, "ast-grep"))
		file = ast_grep_rule();
	else if (d->kind == DET_BUILTIN && !strcmp(d->name, "ruff")) {
		const char *script = getenv("LEAKMUT_RUFF_SCRIPT");

		lm_buf_puts(&path,
		            script ? script : LEAKMUT_SOURCE_DIR "/src/detectors/ruff-wasm.cjs");
		file = path.ptr;
	}
	if (file && read_text(&t, file) == 0 && t.data)
		sha256_hex(out, t.data, t.len);
	else if (d->kind == DET_COMMAND)
		sha256_hex(out, d->arg, strlen(d->arg));
	else
		sha256_hex(out, f->command ? f->command : "", f->command ? strlen(f->command) : 0);
	text_dispose(&t);
	lm_buf_dispose(&path);
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
static void line_text(char *out, size_t size, text_file *t, long line)
{
	const char *p = text_line(t, line), *end = t->data ? t->data + t->len : NULL;
	size_t k = 0;
	bool space = false;
	char quote = 0;

	out[0] = '\0';
	if (!p)
		return;
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

/*
 * A text of the scratch trees, and its tree once something asked for it:
 * tree-sitter's alone, without the checks generate makes (score only asks
 * where functions, classes and statements lie).  The tree leaves out a
 * leading UTF-8 BOM: its row 0 starts `bom` bytes into the text.
 */
typedef struct parsed_text {
	text_file t;
	TSTree *tree; /* NULL for a text that does not parse */
	uint32_t bom;
	bool parsed;
	char *path;
} parsed_text;

static void parsed_text_dispose(parsed_text *p)
{
	text_dispose(&p->t);
	if (p->tree)
		ts_tree_delete(p->tree);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

/* Make `p` the text of `path` (kept when it already is). */
static int parsed_text_read(parsed_text *p, const char *path)
{
	if (p->path && !strcmp(p->path, path))
		return 0;
	parsed_text_dispose(p);
	if (!(p->path = lm__strdup(path)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	return read_text(&p->t, path);
}

/* Parse `p` once; p->tree stays NULL for a text tree-sitter finds errors in. */
static void parsed_text_tree(parsed_text *p, TSParser *parser)
{
	if (p->parsed)
		return;
	p->parsed = true;
	if (!p->t.data)
		return;
	p->bom = p->t.len >= 3 && !memcmp(p->t.data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	/* A new scanner for each text: tree-sitter-python 0.23.6's keeps whether
	 * it is inside an f-string from the text before (see source.c). */
	if (p->t.len - p->bom > UINT32_MAX || !ts_parser_set_language(parser, lm_language()))
		return;
	p->tree =
	    ts_parser_parse_string(parser, NULL, p->t.data + p->bom, (uint32_t)(p->t.len - p->bom));
	if (p->tree && ts_node_has_error(ts_tree_root_node(p->tree))) {
		ts_tree_delete(p->tree);
		p->tree = NULL;
	}
}

/*
 * The qualified name of the functions and classes enclosing line `line`
 * ("Cls.method", "" at module level): the enclosing function of the
 * fingerprint.  A text that does not parse has none (the fingerprint is
 * then the rule, path, line text and occurrence, alike on both sides).
 */
static void scope_of(parsed_text *p, TSParser *parser, long line, char *out, size_t size)
{
	TSNode node, names[32];
	uint32_t row = (uint32_t)(line > 0 ? line - 1 : 0);
	size_t n = 0, k, at = 0;

	out[0] = '\0';
	parsed_text_tree(p, parser);
	if (!p->tree)
		return;
	node = ts_node_descendant_for_point_range(ts_tree_root_node(p->tree), (TSPoint){row, 0},
	                                          (TSPoint){row, 0});
	for (; !ts_node_is_null(node) && n < sizeof(names) / sizeof(*names);
	     node = ts_node_parent(node))
		if (lm_node_is(node, "function_definition") ||
		    lm_node_is(node, "class_definition")) {
			TSNode name = ts_node_child_by_field_name(node, "name", 4);

			if (!ts_node_is_null(name))
				names[n++] = name;
		}
	for (k = n; k-- > 0;) {
		uint32_t start = ts_node_start_byte(names[k]);
		size_t len = ts_node_end_byte(names[k]) - start;

		if (at + len + 2 > size)
			break;
		if (at)
			out[at++] = '.';
		memcpy(out + at, p->t.data + p->bom + start, len);
		at += len;
		out[at] = '\0';
	}
}

/* The lines of the function that encloses `line` in a source, or the whole file. */
static void function_lines(parsed_text *p, TSParser *parser, long line, long *lo, long *hi)
{
	TSNode node;
	uint32_t row = (uint32_t)(line > 0 ? line - 1 : 0);

	*lo = 1;
	*hi = 1L << 30;
	parsed_text_tree(p, parser);
	if (!p->tree)
		return;
	node = ts_node_descendant_for_point_range(ts_tree_root_node(p->tree), (TSPoint){row, 0},
	                                          (TSPoint){row, 0});
	for (; !ts_node_is_null(node); node = ts_node_parent(node))
		if (lm_node_is(node, "function_definition")) {
			*lo = (long)ts_node_start_point(node).row + 1;
			*hi = (long)ts_node_end_point(node).row + 1;
			break;
		}
}

/* ---- the score ------------------------------------------------------------------------ */

typedef struct record {
	json_t *rec;
	const char *id, *path, *op, *kind, *witness;
	bool control;
	long line, col, end_line, end_col;
	json_t *files;   /* every file the mutant changes ("files"), or NULL: just path */
	json_t *related; /* the related locations, in any of those files */
	json_t *twins;   /* a control: its twins' operators (paired_with), distinct */
	/* From the mutant's parse, once: its anchor's statement, its function. */
	bool lines_known;
	long stmt_lo, stmt_hi, func_lo, func_hi;
} record;

enum { DETECTED, DETECTED_FUNC, SUPPRESSED, NOT_DISCRIMINATED, MISSED, TOOL_ERROR, FP, TN };
static const char *const outcome_names[] = {
    "DETECTED", "DETECTED_FUNC", "SUPPRESSED", "NOT_DISCRIMINATED",
    "MISSED",   "TOOL_ERROR",    "FP",         "TN"};

/*
 * A 1-based code-point column on a line, as a 0-based byte offset into the
 * line as the tree has it (without a BOM the first line starts with).
 */
static uint32_t byte_column(parsed_text *pt, long line, long col)
{
	text_file *t = &pt->t;
	const char *p = text_line(t, line), *end = t->data ? t->data + t->len : NULL, *start;
	long k = 1;

	if (!p)
		return 0;
	if (line == 1)
		p += pt->bom;
	for (start = p; p < end && *p != '\n'; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && k++ == col)
			break;
	return (uint32_t)(p - start);
}

/*
 * The lines of the statement holding the anchor that starts at (line, col):
 * the simple statement, or a compound statement's header (up to its `:`),
 * never less than the anchor's own lines.  A text that does not parse: the
 * anchor's lines.
 */
static void statement_lines(parsed_text *p, TSParser *parser, const record *a, long *lo, long *hi)
{
	TSNode node, parent;
	TSPoint at;
	uint32_t i;

	*lo = a->line;
	*hi = a->end_line;
	parsed_text_tree(p, parser);
	if (!p->tree)
		return;
	at.row = (uint32_t)(a->line > 0 ? a->line - 1 : 0);
	at.column = byte_column(p, a->line, a->col);
	node = ts_node_descendant_for_point_range(ts_tree_root_node(p->tree), at, at);
	/* Up to a statement, or a clause with its own header (not a comprehension's). */
	for (; !ts_node_is_null(node); node = parent) {
		static const char *const clauses[] = {"elif_clause",    "else_clause",
		                                      "except_clause",  "except_group_clause",
		                                      "finally_clause", "case_clause"};
		size_t k;

		parent = ts_node_parent(node);
		if (ts_node_is_null(parent) || lm_node_is(parent, "block") ||
		    lm_node_is(parent, "module"))
			break;
		for (k = 0; k < sizeof(clauses) / sizeof(clauses[0]); k++)
			if (lm_node_is(node, clauses[k]))
				break;
		if (k < sizeof(clauses) / sizeof(clauses[0]))
			break;
	}
	if (ts_node_is_null(node) || lm_node_is(node, "module"))
		return;
	*lo = (long)ts_node_start_point(node).row + 1;
	*hi = (long)ts_node_end_point(node).row + 1;
	for (i = 0; i < ts_node_child_count(node); i++) {
		TSNode c = ts_node_child(node, i);

		if (!ts_node_is_named(c) && !strcmp(ts_node_type(c), ":")) {
			*hi = (long)ts_node_start_point(c).row + 1;
			break;
		}
	}
	*lo = *lo < a->line ? *lo : a->line;
	*hi = *hi > a->end_line ? *hi : a->end_line;
}

/* Learn a record's statement and function lines from its mutant's file, `p`. */
static void record_lines(record *r, parsed_text *p, TSParser *parser)
{
	statement_lines(p, parser, r, &r->stmt_lo, &r->stmt_hi);
	function_lines(p, parser, r->line, &r->func_lo, &r->func_hi);
	r->lines_known = true;
}

/* The record of a mutant's id, in `by_id` (sorted by id), or NULL. */
static record *record_of(record **by_id, size_t n, const char *id, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(by_id[mid]->id, id, len);

		if (c == 0 && by_id[mid]->id[len] == '\0')
			return by_id[mid];
		if (c < 0) /* a longer id with this one as prefix sorts after it */
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * What reading the scratch trees needs: a parser, and the records by id,
 * each of which learns its lines from the first parse of its mutant's file.
 */
typedef struct readers {
	TSParser *parser;
	record **by_id;
	size_t nrecs;
} readers;

static int by_id_cmp(const void *a, const void *b)
{
	return strcmp((*(record *const *)a)->id, (*(record *const *)b)->id);
}

/*
 * The fingerprint of each finding of `f` (sorted by path), whose files are
 * under `dir`: rule, path (a mutant's without its "<id>/"), the enclosing
 * functions and classes, the normalised text of its line, and its occurrence
 * among the findings of its file alike before it.  Without `mark`, each goes
 * into the set `prints`; with it, a leak finding whose fingerprint is in the
 * set is marked on_base.  Linear in the findings: a file's text is read and
 * parsed once, its lines indexed, occurrences counted in a map.
 */
static int fingerprints(findings *f, const char *dir, bool mutants, readers *rd, json_t *prints,
                        bool mark)
{
	lm_buf path = LM_BUF_INIT, key = LM_BUF_INIT;
	parsed_text t = {0};
	json_t *seen = NULL;
	const char *file = NULL;
	char scope[512], text[512];
	size_t i;
	int error = 0;

	for (i = 0; i < f->count && error == 0; i++) {
		finding *fi = &f->items[i];
		const char *rel = mutants ? strchr(fi->path, '/') : fi->path;
		json_int_t occ;

		if (!rel)
			continue;
		rel += mutants;
		if (!file || strcmp(fi->path, file)) {
			file = fi->path;
			json_decref(seen);
			lm_buf_clear(&path);
			if (!(seen = json_object())) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				break;
			}
			if ((error = lm_buf_printf(&path, "%s/%s", dir, fi->path)) < 0 ||
			    (error = parsed_text_read(&t, path.ptr)) < 0)
				break;
			if (mutants) {
				/* The anchor's file of its mutant: what outcome() will ask. */
				record *r = record_of(rd->by_id, rd->nrecs, fi->path,
				                      (size_t)(rel - 1 - fi->path));

				if (r && !r->lines_known && !strcmp(rel, r->path))
					record_lines(r, &t, rd->parser);
			}
		}
		line_text(text, sizeof(text), &t.t, fi->line);
		lm_buf_clear(&key);
		scope_of(&t, rd->parser, fi->line, scope, sizeof(scope));
		if ((error = lm_buf_printf(&key, "%s\x1f%s\x1f%s\x1f%s", fi->rule, rel, scope,
		                           text)) < 0)
			break;
		occ = json_integer_value(json_object_get(seen, key.ptr));
		if (json_object_set_new_nocheck(seen, key.ptr, json_integer(occ + 1)) < 0 ||
		    lm_buf_printf(&key, "\x1f%" JSON_INTEGER_FORMAT, occ) < 0 ||
		    (!mark && json_object_set_new_nocheck(prints, key.ptr, json_true()) < 0)) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			break;
		}
		if (mark)
			fi->on_base = fi->leak && json_object_get(prints, key.ptr) != NULL;
	}
	json_decref(seen);
	parsed_text_dispose(&t);
	lm_buf_dispose(&path);
	lm_buf_dispose(&key);
	return error;
}

/* Mark the mutant-run findings whose fingerprint is also on base. */
static int mark_base(findings *mut, findings *base, const char *scratch, readers *rd)
{
	lm_buf dir = LM_BUF_INIT;
	json_t *prints = json_object();
	int error;

	if (!prints)
		return lm_error_set(LM_ENOMEM, "out of memory");
	if ((error = lm_buf_printf(&dir, "%s/base", scratch)) == 0 &&
	    (error = fingerprints(base, dir.ptr, false, rd, prints, false)) == 0) {
		lm_buf_clear(&dir);
		if ((error = lm_buf_printf(&dir, "%s/mutants", scratch)) == 0)
			error = fingerprints(mut, dir.ptr, true, rd, prints, true);
	}
	json_decref(prints);
	lm_buf_dispose(&dir);
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

/* A finding in the anchor's file on one of its related locations. */
static bool related_hit(const record *r, const finding *f)
{
	size_t k;

	for (k = 0; k < json_array_size(r->related); k++) {
		json_t *rl = json_array_get(r->related, k);

		if (!strcmp(lm__json_str(rl, "path"), r->path) &&
		    overlaps(f, (long)json_integer_value(json_object_get(rl, "line")),
		             (long)json_integer_value(json_object_get(rl, "col")),
		             (long)json_integer_value(json_object_get(rl, "end_line")),
		             (long)json_integer_value(json_object_get(rl, "end_col"))))
			return true;
	}
	return false;
}

/* Whether a run failed on `path`: its errors name it, under "<prefix>/" when given. */
static bool failed_on(const findings *run, const char *prefix, const char *path)
{
	size_t i, n = prefix ? strlen(prefix) : 0;

	for (i = 0; run && run->errors && i < json_array_size(run->errors); i++) {
		const char *p =
		    json_string_value(json_object_get(json_array_get(run->errors, i), "path"));

		if (p && (!prefix || (!strncmp(p, prefix, n) && p[n] == '/')) &&
		    !strcmp(prefix ? p + n + 1 : p, path))
			return true;
	}
	return false;
}

/*
 * Whether the detector failed on a file of mutant or control `r`, in any of
 * the runs its outcome rests on: base (what is new), the mutant's, and the
 * one with suppressions ignored (SUPPRESSED).
 */
static bool failed_on_record(const record *r, const findings *base, const findings *mut,
                             const findings *stripped)
{
	size_t k, nfiles = r->files ? json_array_size(r->files) : 0;

	for (k = 0; k <= nfiles; k++) {
		const char *p =
		    k < nfiles ? json_string_value(json_array_get(r->files, k)) : r->path;

		if (p && (failed_on(base, NULL, p) || failed_on(mut, r->id, p) ||
		          failed_on(stripped, r->id, p)))
			return true;
	}
	return false;
}

static int outcome(const record *r, const findings *base, findings *mut, findings *stripped,
                   int *tier)
{
	lm_buf want = LM_BUF_INIT;
	/* The statement and the function around the anchor, which the
	 * fingerprints read from the mutant's file when it had findings. */
	long flo = r->lines_known ? r->func_lo : 0, fhi = r->lines_known ? r->func_hi : 0;
	long slo = r->lines_known ? r->stmt_lo : r->line,
	     shi = r->lines_known ? r->stmt_hi : r->end_line;
	bool at_spot_on_base = false, func = false;
	int best = 99;
	size_t i, idlen = strlen(r->id);

	*tier = -1;
	if (mut->failure || failed_on_record(r, base, mut, stripped) ||
	    lm_buf_printf(&want, "%s/%s", r->id, r->path) < 0)
		return TOOL_ERROR;
	/* Its findings: those under "<id>/" (want's start), a run of the sorted ones. */
	for (i = findings_from(mut, want.ptr, idlen + 1); i < mut->count; i++) {
		finding *f = &mut->items[i];
		size_t k;
		int t0;

		if (strncmp(f->path, want.ptr, idlen + 1))
			break;
		if (!f->leak)
			continue;
		if (strcmp(f->path, want.ptr)) {
			/* Another file of a multi-file mutant: T2 on a related location. */
			for (k = 0; k < json_array_size(r->related); k++) {
				json_t *rl = json_array_get(r->related, k);

				if (!strcmp(f->path + idlen + 1, lm__json_str(rl, "path")) &&
				    overlaps(
				        f, (long)json_integer_value(json_object_get(rl, "line")),
				        (long)json_integer_value(json_object_get(rl, "col")),
				        (long)json_integer_value(json_object_get(rl, "end_line")),
				        (long)json_integer_value(json_object_get(rl, "end_col")))) {
					f->tier = 2;
					if (f->on_base)
						at_spot_on_base = true;
					else
						best = best < 2 ? best : 2;
				}
			}
			continue;
		}
		if (overlaps(f, r->line, r->col, r->end_line, r->end_col))
			t0 = 0;
		else if (f->line <= shi && f->end_line >= slo)
			t0 = 1;
		else if (related_hit(r, f))
			t0 = 2;
		else {
			if (f->line >= flo && f->line <= fhi) {
				f->tier = 3;
				func = func || !f->on_base;
			}
			continue;
		}
		f->tier = t0;
		if (f->on_base) {
			at_spot_on_base = true;
			continue;
		}
		best = t0 < best ? t0 : best;
	}
	if (best <= 2) {
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
	for (i = stripped ? findings_from(stripped, want.ptr, want.size + 1) : 0;
	     stripped && i < stripped->count; i++) {
		finding *f = &stripped->items[i];

		if (strcmp(f->path, want.ptr))
			break;
		if (f->leak && f->line <= r->end_line && f->end_line >= r->line) {
			/* Flagged on base as well: silenced or not, nothing new. */
			f->out = f->on_base ? NOT_DISCRIMINATED : SUPPRESSED;
			lm_buf_dispose(&want);
			return f->out;
		}
	}
	lm_buf_dispose(&want);
	return MISSED;
}

/*
 * After outcome() gave record `ri` its outcome `o`: tie each finding of that
 * mutant or control to it, and mark those the outcome rests on.
 */
static void annotate(findings *mut, findings *stripped, const record *r, long ri, int o)
{
	lm_buf prefix = LM_BUF_INIT;
	size_t i;

	if (lm_buf_printf(&prefix, "%s/", r->id) < 0)
		return; /* out of memory: left unannotated */
	for (i = findings_from(mut, prefix.ptr, prefix.size); i < mut->count; i++) {
		finding *f = &mut->items[i];
		bool at_spot = f->tier >= 0 && f->tier <= 2;

		if (strncmp(f->path, prefix.ptr, prefix.size))
			break;
		f->rec = ri;
		if (!f->leak)
			continue;
		if (((o == DETECTED || o == FP) && at_spot && !f->on_base) ||
		    (o == NOT_DISCRIMINATED && at_spot && f->on_base) ||
		    (o == DETECTED_FUNC && f->tier == 3 && !f->on_base))
			f->out = o;
	}
	for (i = stripped ? findings_from(stripped, prefix.ptr, prefix.size) : 0;
	     stripped && i < stripped->count &&
	     !strncmp(stripped->items[i].path, prefix.ptr, prefix.size);
	     i++)
		stripped->items[i].rec = ri;
	lm_buf_dispose(&prefix);
}

/* Whether the annotated log lists finding `f` (of the noqa-stripped run: not all). */
static bool sarif_lists(const finding *f, bool stripped)
{
	return !stripped || f->out == SUPPRESSED || f->out == NOT_DISCRIMINATED;
}

/* The index of `rule` among `rules` ({"id": ...} objects), added when new; -1: no memory. */
static long sarif_rule(json_t *rules, const char *rule)
{
	size_t k;

	for (k = 0; k < json_array_size(rules); k++)
		if (!strcmp(lm__json_str(json_array_get(rules, k), "id"), rule))
			return (long)k;
	if (json_array_append_new(rules, json_pack("{s:s}", "id", rule)) < 0)
		return -1;
	return (long)k;
}

/* One finding as a SARIF result, annotated with what leakmut made of it; NULL: no memory. */
static json_t *sarif_result(long rule, const finding *f, const record *recs, bool on_base,
                            bool stripped)
{
	const record *r = f->rec >= 0 ? &recs[f->rec] : NULL;
	const char *path = f->path, *outcome_name;
	json_t *region, *props;

	if (!on_base) {
		const char *slash = strchr(f->path, '/'); /* "<id>/<path>" */

		path = slash ? slash + 1 : f->path;
	}
	outcome_name = on_base ? "base" : f->out >= 0 ? outcome_names[f->out] : "unmatched";
	region = json_pack("{s:I, s:I, s:I}", "startLine", (json_int_t)f->line, "startColumn",
	                   (json_int_t)(f->col > 0 ? f->col : 1), "endLine",
	                   (json_int_t)(f->end_line > 0 ? f->end_line : f->line));
	if (region && f->end_col > 0)
		json_object_set_new(region, "endColumn", json_integer(f->end_col));
	props = json_pack("{s:s, s:o, s:o, s:s, s:o, s:b, s:b, s:b}", "outcome", outcome_name, "id",
	                  r ? json_string(r->id) : json_null(), "control",
	                  r ? json_boolean(r->control) : json_null(), "branch",
	                  on_base ? "base"
	                  : r     ? lm__json_str(r->rec, "branch")
	                          : "",
	                  "tier", f->tier >= 0 && !on_base ? json_integer(f->tier) : json_null(),
	                  "leak_rule", f->leak, "on_base", on_base || f->on_base, "noqa_stripped",
	                  stripped);
	return json_pack("{s:s, s:I, s:{s:s}, s:[{s:{s:{s:s}, s:o}}], s:{s:o}}", "ruleId", f->rule,
	                 "ruleIndex", (json_int_t)rule, "message", "text",
	                 on_base ? "finding on base" : "finding on a mutant or control",
	                 "locations", "physicalLocation", "artifactLocation", "uri", path, "region",
	                 region, "properties", "leakmut", props);
}

/* `value` as JSON text on `out`, then `after`; false when it could not. */
static bool put_json_text(FILE *out, const json_t *value, size_t flags, const char *after)
{
	char *text = value ? json_dumps(value, flags | JSON_PRESERVE_ORDER) : NULL;
	bool ok = text && fputs(text, out) >= 0 && fputs(after, out) >= 0;

	free(text);
	return ok;
}

/*
 * The detector's findings on base and on the mutants as one SARIF 2.1.0 log,
 * written into `file` a result at a time (one a line): the log is never
 * whole in memory.  Its rules, which come before the results, are gathered
 * by a first pass over the findings.
 */
static int sarif_log_write(const char *file, const char *name, const findings *base,
                           const findings *mut, const findings *stripped, const record *recs)
{
	const findings *runs[3] = {base, mut, stripped};
	const char *version = mut->version ? mut->version : base->version;
	json_t *rules = json_array(), *driver = NULL, *inv = NULL;
	FILE *out = NULL;
	bool ok, first = true;
	size_t i, k;
	int error = 0;

	for (k = 0; rules && k < 3; k++)
		for (i = 0; runs[k] && i < runs[k]->count; i++)
			if (sarif_lists(&runs[k]->items[i], k == 2) &&
			    sarif_rule(rules, runs[k]->items[i].rule) < 0) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				goto cleanup;
			}
	driver = rules ? json_pack("{s:s, s:O}", "name", name, "rules", rules) : NULL;
	if (driver && version)
		json_object_set_new(driver, "version", json_string(version));
	inv = json_pack("{s:b}", "executionSuccessful", !mut->failure);
	if (inv && mut->command)
		json_object_set_new(inv, "commandLine", json_string(mut->command));
	if (!driver || !inv) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (!(out = fopen(file, "wb"))) {
		error = lm_error_set(LM_EIO, "%s: %s", file, strerror(errno));
		goto cleanup;
	}
	ok = fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	           "  \"version\": \"2.1.0\",\n  \"runs\": [{\n    \"tool\": {\"driver\": ",
	           out) >= 0 &&
	     put_json_text(out, driver, JSON_COMPACT, "},\n    \"invocations\": [") &&
	     put_json_text(out, inv, JSON_COMPACT,
	                   "],\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [");
	for (k = 0; k < 3 && ok; k++)
		for (i = 0; runs[k] && i < runs[k]->count && ok; i++) {
			const finding *f = &runs[k]->items[i];
			json_t *res;

			if (!sarif_lists(f, k == 2))
				continue;
			res = sarif_result(sarif_rule(rules, f->rule), f, recs, k == 0, k == 2);
			if (!res) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				ok = false;
				break;
			}
			ok = fputs(first ? "\n      " : ",\n      ", out) >= 0 &&
			     put_json_text(out, res, JSON_COMPACT, "");
			first = false;
			json_decref(res);
		}
	ok = ok && fputs("\n    ]\n  }]\n}\n", out) >= 0;
	if (fclose(out) != 0)
		ok = false;
	if (!ok && error == 0)
		error = lm_error_set(LM_EIO, "%s: cannot write", file);
	if (error < 0)
		unlink(file);

cleanup:
	json_decref(rules);
	json_decref(driver);
	json_decref(inv);
	return error;
}

/*
 * Each control's twins' operators (paired_with), each once: a control counts
 * for every operator it is the twin of.
 */
static int resolve_twins(record *recs, size_t nrecs)
{
	json_t *by_id = json_object();
	size_t i, p;
	int error = 0;

	for (i = 0; by_id && error == 0 && i < nrecs; i++)
		if (json_object_set_new(by_id, recs[i].id, json_integer((json_int_t)i)) < 0)
			error = -1;
	for (i = 0; by_id && error == 0 && i < nrecs; i++) {
		json_t *paired = json_object_get(recs[i].rec, "paired_with");

		if (!recs[i].control)
			continue;
		if (!(recs[i].twins = json_array())) {
			error = -1;
			break;
		}
		for (p = 0; error == 0 && p < json_array_size(paired); p++) {
			json_t *at =
			    json_object_get(by_id, json_string_value(json_array_get(paired, p)));
			const char *op;
			size_t k;

			if (!json_is_integer(at))
				continue;
			op = recs[json_integer_value(at)].op;
			for (k = 0; k < json_array_size(recs[i].twins); k++)
				if (!strcmp(json_string_value(json_array_get(recs[i].twins, k)),
				            op))
					break;
			if (k == json_array_size(recs[i].twins) &&
			    json_array_append_new(recs[i].twins, json_string(op)) < 0)
				error = -1;
		}
	}
	json_decref(by_id);
	return by_id && error == 0 ? 0 : lm_error_set(LM_ENOMEM, "out of memory");
}

typedef struct tally {
	size_t n, counts[8], tiers[4], validated_n, validated_detected, validated_errors;
	size_t controls, fp, control_errors; /* controls: those the detector ran on */
} tally;

/* The mutants the detector ran on, recall's denominator: one it failed on
 * (TOOL_ERROR) says nothing of what it finds, as a control it failed on says
 * nothing of false positives. */
static size_t ran_on(const tally *t)
{
	return t->n - t->counts[TOOL_ERROR];
}

static void count(tally *t, const record *r, int o, int tier)
{
	if (r->control) {
		/* One the detector failed on says nothing of false positives. */
		if (o == TOOL_ERROR) {
			t->control_errors++;
			return;
		}
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
		t->validated_errors += o == TOOL_ERROR;
	}
}

static json_t *tally_json(const tally *t)
{
	size_t i, ran = ran_on(t), vran = t->validated_n - t->validated_errors;
	double lo, hi, vlo, vhi, recall = ran ? (double)t->counts[DETECTED] / (double)ran : 0;
	double fpr = t->controls ? (double)t->fp / (double)t->controls : 0;
	json_t *outcomes = json_object();

	lm_wilson(t->counts[DETECTED], ran, &lo, &hi);
	lm_wilson(t->validated_detected, vran, &vlo, &vhi);
	for (i = 0; outcomes && i < 6; i++)
		json_object_set_new(outcomes, outcome_names[i],
		                    json_integer((json_int_t)t->counts[i]));
	/* Without a mutant it ran on there is no recall, without a control no
	 * false-positive rate, and without either no J. */
	return json_pack(
	    "{s:I, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:o,"
	    " s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:o, s:o}}",
	    "mutants", (json_int_t)t->n, "outcomes", outcomes, "recall",
	    ran ? json_real(recall) : json_null(), "recall_wilson95",
	    ran ? json_pack("[f,f]", lo, hi) : json_null(), "controls", (json_int_t)t->controls,
	    "control_tool_errors", (json_int_t)t->control_errors, "fp", (json_int_t)t->fp, "fpr",
	    t->controls ? json_real(fpr) : json_null(), "youden_j",
	    ran && t->controls ? json_real(recall - fpr) : json_null(), "tiers", "T0",
	    (json_int_t)t->tiers[0], "T1", (json_int_t)t->tiers[1], "T2", (json_int_t)t->tiers[2],
	    "T3_lenient", (json_int_t)t->tiers[3], "validated_only", "mutants",
	    (json_int_t)t->validated_n, "tool_errors", (json_int_t)t->validated_errors, "detected",
	    (json_int_t)t->validated_detected, "recall",
	    vran ? json_real((double)t->validated_detected / (double)vran) : json_null(),
	    "recall_wilson95", vran ? json_pack("[f,f]", vlo, vhi) : json_null());
}

static void table_row(const lm_score_opts *o, const char *name, const tally *t)
{
	char line[512];
	size_t ran = ran_on(t);
	double lo, hi, recall = ran ? (double)t->counts[DETECTED] / (double)ran : 0;
	double fpr = t->controls ? (double)t->fp / (double)t->controls : 0;

	char rates[32] = "    -      -", rec[32] = "     -            ";

	lm_wilson(t->counts[DETECTED], ran, &lo, &hi);
	if (ran)
		snprintf(rec, sizeof(rec), "%6.2f [%4.2f-%4.2f]", recall, lo, hi);
	if (t->controls && ran)
		snprintf(rates, sizeof(rates), "%5.2f %6.2f", fpr, recall - fpr);
	else if (t->controls)
		snprintf(rates, sizeof(rates), "%5.2f      -", fpr);
	snprintf(line, sizeof(line), "  %-18s %5zu %5zu %s %4zu %5zu %5zu %6zu %4zu | %5zu %4zu %s",
	         name, t->n, t->counts[DETECTED], rec, t->counts[DETECTED_FUNC],
	         t->counts[SUPPRESSED], t->counts[NOT_DISCRIMINATED], t->counts[MISSED],
	         t->counts[TOOL_ERROR], t->controls, t->fp, rates);
	if (o->line)
		o->line(line, o->payload);
}

static int count_file_lines(const char *path, const char *rel, void *payload)
{
	size_t *lines = payload;
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n, i;
	char last = '\n';

	(void)rel;
	if (!f)
		return 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		for (i = 0; i < n; i++)
			*lines += chunk[i] == '\n';
		last = chunk[n - 1];
	}
	*lines += last != '\n'; /* a last line without its newline */
	fclose(f);
	return 0;
}

/*
 * The detectors to run: a built-in name, NAME=COMMAND (a SARIF-writing
 * tool), and each --sarif NAME=FILE.
 */
static int detector_specs(det_spec **out, size_t *n, const lm_score_opts *opts)
{
	size_t total = opts->ndetectors + opts->nsarif, i;
	det_spec *specs = lm__calloc(total + 1, sizeof(*specs));

	*out = specs;
	*n = 0;
	if (!specs)
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (i = 0; i < total; i++) {
		const char *s =
		    i < opts->ndetectors ? opts->detectors[i] : opts->sarif[i - opts->ndetectors];
		const char *eq = strchr(s, '=');
		size_t k;

		if (i >= opts->ndetectors && (!eq || eq == s || !eq[1]))
			return lm_error_set(LM_EINVALID, "--sarif %s: give NAME=FILE", s);
		if (eq && (eq == s || strcspn(s, " \t'\"") < (size_t)(eq - s)))
			eq = NULL; /* not NAME=...: a name with blanks is no name */
		specs[i].kind = i >= opts->ndetectors ? DET_SARIF : eq ? DET_COMMAND : DET_BUILTIN;
		specs[i].name = eq ? lm__strndup(s, (size_t)(eq - s)) : lm__strdup(s);
		specs[i].arg = eq ? eq + 1 : NULL;
		*n = i + 1;
		if (!specs[i].name)
			return lm_error_set(LM_ENOMEM, "out of memory");
		for (k = 0; specs[i].name[k] && (unsigned char)specs[i].name[k] >= ' ' &&
		            specs[i].name[k] != '\\';
		     k++)
			;
		if (strchr(specs[i].name, '/') || specs[i].name[0] == '.' || specs[i].name[k])
			return lm_error_set(LM_EINVALID,
			                    "detector name '%s' cannot name a file (it names "
			                    "REPORT_DIR/NAME.sarif)",
			                    specs[i].name);
		if (specs[i].kind == DET_BUILTIN && strcmp(s, "ruff") && strcmp(s, "pylint") &&
		    strcmp(s, "ast-grep"))
			return lm_error_set(LM_EINVALID,
			                    "unknown detector '%s' (ruff, pylint, ast-grep, or "
			                    "NAME='COMMAND ARGS {files}')",
			                    s);
		for (k = 0; k < i; k++)
			if (!strcmp(specs[k].name, specs[i].name))
				return lm_error_set(LM_EINVALID, "detector name '%s' given twice",
				                    specs[i].name);
	}
	return 0;
}

int lm_score(const lm_score_opts *opts)
{
	git_repository *repo = NULL;
	git_commit *previous = NULL;
	git_object *obj = NULL;
	git_blob *blob = NULL;
	readers rd = {0};
	record *recs = NULL;
	size_t nrecs = 0, i, d, pos, len, fi, nspecs = 0;
	char scratch[] = "/tmp/leakmut-score-XXXXXX", *root = NULL;
	det_spec *specs = NULL;
	bool made = false;
	lm_buf path = LM_BUF_INIT, spec = LM_BUF_INIT;
	json_t *report = json_object(), *detectors = json_array(), *per_mutant = json_array();
	char **partial = NULL; /* each detector's annotated SARIF, until the run succeeds */
	bool made_report = false;
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
	if (!(rd.parser = ts_parser_new()) || !ts_parser_set_language(rd.parser, lm_language())) {
		error = lm_error_set(LM_EABI, "tree-sitter refused the Python grammar (ABI %u)",
		                     lm_grammar_abi());
		goto cleanup;
	}
	if ((error = detector_specs(&specs, &nspecs, opts)) < 0)
		goto cleanup;
	if (opts->materialise) {
		/* The caller's folder: new, or empty. */
		if (mkdir(opts->materialise, 0755) < 0 &&
		    (errno != EEXIST || rmdir(opts->materialise) < 0 ||
		     mkdir(opts->materialise, 0755) < 0)) {
			error = lm_error_set(LM_EIO, "--materialise %s: %s", opts->materialise,
			                     errno == ENOTEMPTY || errno == EEXIST
			                         ? "exists and is not empty"
			                         : strerror(errno));
			goto cleanup;
		}
		if (!(root = realpath(opts->materialise, NULL))) {
			error = lm_error_set(LM_EIO, "%s: %s", opts->materialise, strerror(errno));
			goto cleanup;
		}
	} else {
		if (!mkdtemp(scratch)) {
			error = lm_error_set(LM_EIO, "%s: %s", scratch, strerror(errno));
			goto cleanup;
		}
		made = true;
		if (!(root = lm__strdup(scratch))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
	}

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
		memset(&recs[nrecs], 0, sizeof(*recs));
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
		recs[nrecs].files = json_object_get(rec, "files");
		recs[nrecs].related = json_object_get(rec, "related");
		recs[nrecs].twins = NULL;
		nrecs++;
	}
	if ((error = resolve_twins(recs, nrecs)) < 0)
		goto cleanup;
	if (nrecs && !(rd.by_id = lm__calloc(nrecs, sizeof(*rd.by_id)))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < nrecs; i++)
		rd.by_id[i] = &recs[i];
	rd.nrecs = nrecs;
	if (nrecs)
		qsort(rd.by_id, nrecs, sizeof(*rd.by_id), by_id_cmp);
	lm_buf_clear(&path);
	if ((error = lm_buf_printf(&path, "%s/base", root)) < 0)
		goto cleanup;
	if (mkdir(path.ptr, 0755) < 0 || (error = lm__write_tree(repo, "base", path.ptr)) < 0) {
		if (!error)
			error = lm_error_set(LM_EIO, "%s: %s", path.ptr, strerror(errno));
		goto cleanup;
	}
	lm_buf_clear(&path);
	if ((error = lm_buf_printf(&path, "%s/mutants", root)) < 0)
		goto cleanup;
	if (mkdir(path.ptr, 0755) < 0) {
		error = lm_error_set(LM_EIO, "%s: cannot create: %s", path.ptr, strerror(errno));
		goto cleanup;
	}
	for (i = 0, fi = 0; i < nrecs && error == 0; fi = 0, i++)
		for (; error == 0; fi++) {
			git_object *o = NULL;
			git_blob *b = NULL;
			char *slash;
			/* Every file a multi-file mutant changes, else its one path. */
			const char *file =
			    json_array_size(recs[i].files)
			        ? json_string_value(json_array_get(recs[i].files, fi))
			    : fi == 0 ? recs[i].path
			              : NULL;

			if (!file)
				break;
			if (recs[i].id[0] == '\0' || strchr(recs[i].id, '/') ||
			    strstr(recs[i].id, "..")) {
				error = lm_error_set(
				    LM_EINVALID, "truth id '%s' is not a plain name", recs[i].id);
				break;
			}
			lm_buf_clear(&spec);
			lm_buf_clear(&path);
			if ((error = lm_buf_printf(
			         &spec, "%s:%s", lm__json_str(recs[i].rec, "branch"), file)) < 0 ||
			    (error = lm_buf_printf(&path, "%s/mutants/%s/%s", root, recs[i].id,
			                           file)) < 0)
				break;
			if (strstr(file, "..") || file[0] == '/') {
				error = lm_error_set(LM_EINVALID, "truth path %s leaves the tree",
				                     file);
				break;
			}
			if (git_revparse_single(&o, repo, spec.ptr) < 0 ||
			    git_object_peel((git_object **)&b, o, GIT_OBJECT_BLOB) < 0) {
				git_object_free(o);
				error = lm_error_set(LM_EGIT, "%s: %s", spec.ptr,
				                     git_error_last() ? git_error_last()->message
				                                      : "?");
				break;
			}
			for (slash = strchr(path.ptr + strlen(root) + 1, '/'); slash;
			     slash = strchr(slash + 1, '/')) {
				*slash = '\0';
				mkdir(path.ptr, 0755);
				*slash = '/';
			}
			error = lm__write_file(path.ptr, path.ptr, git_blob_rawcontent(b),
			                       (size_t)git_blob_rawsize(b));
			git_blob_free(b);
			git_object_free(o);
		}
	if (error < 0)
		goto cleanup;

	for (d = 0; d < nspecs && error == 0; d++) {
		const det_spec *ds = &specs[d];
		const char *name = ds->name;
		findings base = {0}, mut = {0}, stripped = {0};
		/* The run that tells SUPPRESSED from MISSED: ruff's with noqa
		 * comments stripped, a SARIF detector's suppressed results. */
		findings *noqa =
		    ds->kind != DET_BUILTIN || !strcmp(ds->name, "ruff") ? &stripped : NULL;
		tally all = {0}, *per_op = NULL, *per_kind = NULL;
		const char **ops = NULL, **kinds = NULL;
		size_t nops = 0, nkinds = 0, k, base_alerts = 0, base_lines = 0, macro_n = 0;
		double macro_j = 0;
		json_t *det = NULL, *by_op = json_object(), *by_kind = json_object();
		char head[512], sha[65];
		double seconds;

		if (ds->kind == DET_SARIF) {
			double start = now_seconds();

			if ((error = load_sarif(&base, &mut, ds, root)) < 0 ||
			    (error = split_suppressed(&mut, &stripped)) < 0 ||
			    (error = split_suppressed(&base, NULL)) < 0)
				goto next;
			findings_sort(&base);
			findings_sort(&mut);
			findings_sort(&stripped);
			if ((error = mark_base(&mut, &base, root, &rd)) < 0 ||
			    (error = mark_base(&stripped, &base, root, &rd)) < 0)
				goto next;
			mut.seconds = now_seconds() - start;
		} else {
			lm_buf_clear(&path);
			if ((error = lm_buf_printf(&path, "%s/base", root)) < 0 ||
			    (error = run_detector(&base, ds, path.ptr, false)) < 0)
				goto next;
			lm_buf_clear(&path);
			if ((error = lm_buf_printf(&path, "%s/mutants", root)) < 0 ||
			    (error = run_detector(&mut, ds, path.ptr, false)) < 0 ||
			    (error = run_detector(&stripped, ds, path.ptr, true)) < 0)
				goto next;
			/* A command's SARIF: its suppressed results, as for --sarif. */
			if (ds->kind == DET_COMMAND &&
			    ((error = split_suppressed(&mut, &stripped)) < 0 ||
			     (error = split_suppressed(&base, NULL)) < 0))
				goto next;
			findings_sort(&base);
			findings_sort(&mut);
			findings_sort(&stripped);
			if ((error = mark_base(&mut, &base, root, &rd)) < 0 ||
			    (error = mark_base(&stripped, &base, root, &rd)) < 0)
				goto next;
		}
		/* A failed run on either tree makes every row a tool error; so
		 * does a failed run with noqa comments removed, without which
		 * SUPPRESSED would pass for MISSED. */
		if (base.failure && !mut.failure && !(mut.failure = lm__strdup(base.failure))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto next;
		}
		if (stripped.failure && !mut.failure) {
			lm_buf_clear(&path);
			if ((error = lm_buf_printf(&path, "%s (its run with noqa comments removed)",
			                           stripped.failure)) < 0)
				goto next;
			if (!(mut.failure = lm__strdup(path.ptr))) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				goto next;
			}
		}
		if (mut.failure && opts->line) {
			snprintf(head, sizeof(head), "warning: %s (every row is TOOL_ERROR)",
			         mut.failure);
			opts->line(head, opts->payload);
		} else if (opts->line &&
		           json_array_size(base.errors) + json_array_size(mut.errors)) {
			/* Files it failed on: the rows that change them are TOOL_ERROR. */
			size_t nb = json_array_size(base.errors), nm = json_array_size(mut.errors);
			json_t *first = json_array_get(nb ? base.errors : mut.errors, 0);

			snprintf(head, sizeof(head),
			         "warning: detector %s failed on %zu file%s of base and %zu of the "
			         "mutants (%s%s: %s); each mutant or control that changes one is a "
			         "TOOL_ERROR",
			         name, nb, nb == 1 ? "" : "s", nm, nb ? "" : "mutants/",
			         lm__json_str(first, "path"), lm__json_str(first, "message"));
			opts->line(head, opts->payload);
		}
		seconds = base.seconds + mut.seconds + stripped.seconds;
		config_hash(sha, ds, &mut);
		for (k = 0; k < base.count; k++)
			base_alerts += base.items[k].leak;
		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&path, "%s/base", root)) < 0)
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
			int tier, o = outcome(&recs[i], &base, &mut, noqa, &tier);
			/* --validated-only: every row counts validated mutants alone. */
			bool counted = !opts->validated_only || recs[i].control ||
			               !strcmp(recs[i].witness, "validated");
			/* A control counts for each operator it is the twin of, else its own. */
			size_t t, nt = recs[i].twins ? json_array_size(recs[i].twins) : 0;

			for (t = 0; t < (nt ? nt : 1); t++) {
				const char *op =
				    nt ? json_string_value(json_array_get(recs[i].twins, t))
				       : recs[i].op;

				for (k = 0; k < nops && strcmp(ops[k], op); k++)
					;
				if (k == nops)
					ops[nops++] = op;
				if (counted)
					count(&per_op[k], &recs[i], o, tier);
			}
			annotate(&mut, noqa, &recs[i], (long)i, o);
			for (k = 0; k < nkinds && strcmp(kinds[k], recs[i].kind); k++)
				;
			if (k == nkinds)
				kinds[nkinds++] = recs[i].kind;
			if (counted) {
				count(&per_kind[k], &recs[i], o, tier);
				count(&all, &recs[i], o, tier);
			}
			json_array_append_new(
			    per_mutant,
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "detector", name, "id",
			              recs[i].id, "operator", recs[i].op, "kind", recs[i].kind,
			              "outcome", outcome_names[o], "tier", tier));
		}
		snprintf(head, sizeof(head), "%s %s: %zu leak alerts on base (%.2f per KLOC)%s",
		         name,
		         mut.version    ? mut.version
		         : base.version ? base.version
		                        : "?",
		         base_alerts,
		         base_lines ? 1000.0 * (double)base_alerts / (double)base_lines : 0.0,
		         opts->validated_only ? "; validated mutants only" : "");
		if (opts->line) {
			opts->line(head, opts->payload);
			opts->line("  operator           mutants det. recall [95% CI]    func "
			           "suppr notd. missed err "
			           "| ctrls   FP   FPR      J",
			           opts->payload);
		}
		for (k = 0, macro_j = 0, macro_n = 0; k < nops; k++) {
			const tally *t = &per_op[k];

			table_row(opts, ops[k], t);
			json_object_set_new(by_op, ops[k], tally_json(t));
			/* Youden J macro: the mean over the operators with a J. */
			if (ran_on(t) && t->controls) {
				macro_j += (double)t->counts[DETECTED] / (double)ran_on(t) -
				           (double)t->fp / (double)t->controls;
				macro_n++;
			}
		}
		table_row(opts, opts->validated_only ? "all (validated)" : "all", &all);
		for (k = 0; k < nkinds; k++)
			json_object_set_new(by_kind, kinds[k], tally_json(&per_kind[k]));
		det = json_pack(
		    "{s:s, s:s, s:s, s:O, s:s, s:f, s:{s:f, s:f, s:f}, s:o, s:i, s:I, s:f, s:o, "
		    "s:o, s:o, s:o}",
		    "name", name, "version",
		    mut.version    ? mut.version
		    : base.version ? base.version
		                   : "?",
		    "command", mut.command ? mut.command : "", "argv",
		    mut.argv ? mut.argv : json_null(), "config_sha256", sha, "seconds", seconds,
		    "seconds_per_run", "base", base.seconds, "mutants", mut.seconds,
		    "mutants_noqa_stripped", stripped.seconds, "error",
		    mut.failure ? json_string(mut.failure) : json_null(), "rule_map_version",
		    LM_RULE_MAP_VERSION, "base_alerts", (json_int_t)base_alerts,
		    "base_alerts_per_kloc",
		    base_lines ? 1000.0 * (double)base_alerts / (double)base_lines : 0.0, "overall",
		    tally_json(&all), "youden_j_macro",
		    macro_n ? json_real(macro_j / (double)macro_n) : json_null(), "per_operator",
		    by_op, "per_kind", by_kind);
		by_op = by_kind = NULL;
		json_array_append_new(detectors, det);
		if (opts->report_dir) {
			/* Written now, under a name of its own, and named at the end. */
			lm_buf_clear(&path);
			if (mkdir(opts->report_dir, 0755) == 0)
				made_report = true;
			if ((error = lm_buf_printf(&path, "%s/.%s.sarif.partial", opts->report_dir,
			                           name)) < 0 ||
			    (error = sarif_log_write(path.ptr, name, &base, &mut, noqa, recs)) < 0)
				goto next;
			if (!partial && !(partial = lm__calloc(nspecs, sizeof(*partial)))) {
				unlink(path.ptr);
				error = lm_error_set(LM_ENOMEM, "out of memory");
				goto next;
			}
			partial[d] = lm_buf_detach(&path);
		}
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
	if (error == 0 && opts->report_dir && nspecs > 0) {
		char *text;

		json_object_set_new(report, "schema", json_string("leakmut-score/1"));
		json_object_set_new(report, "validated_only", json_boolean(opts->validated_only));
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
		for (d = 0; partial && d < nspecs && error == 0; d++) {
			lm_buf_clear(&path);
			if (!partial[d])
				continue;
			if (lm_buf_printf(&path, "%s/%s.sarif", opts->report_dir, specs[d].name) <
			    0)
				error = lm_error_set(LM_ENOMEM, "out of memory");
			else if (rename(partial[d], path.ptr) < 0)
				error = lm_error_set(LM_EIO, "%s: %s", path.ptr, strerror(errno));
		}
		if (error == 0)
			error = lm_report_write(opts->repo, opts->report_dir);
	}

cleanup:
	if (made)
		lm__remove_tree(scratch);
	free(root);
	for (d = 0; d < nspecs; d++)
		free(specs[d].name);
	free(specs);
	for (i = 0; i < nrecs; i++) {
		json_decref(recs[i].twins);
		json_decref(recs[i].rec);
	}
	free(recs);
	json_decref(report);
	json_decref(detectors);
	json_decref(per_mutant);
	for (d = 0; partial && d < nspecs; d++) {
		if (partial[d])
			unlink(partial[d]); /* gone once named; else the run failed */
		free(partial[d]);
	}
	free(partial);
	if (error < 0 && made_report)
		rmdir(opts->report_dir); /* only when it is empty */
	lm_buf_dispose(&path);
	lm_buf_dispose(&spec);
	if (rd.parser)
		ts_parser_delete(rd.parser);
	free(rd.by_id);
	git_blob_free(blob);
	git_object_free(obj);
	git_commit_free(previous);
	git_repository_free(repo);
	return error;
}
