#include "leakmut/leakmut.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "util.h"
#include "scratch.h"
#include "truth.h"

extern char **environ;

/*
 * Runs a driver as __main__, noting whether any line of the anchor ran
 * (argv: driver, anchor file, first line, last line).  The tracer looks at
 * the anchor's file only.
 *
 * Under tracemalloc it also records where each subprocess.Popen is made:
 * CPython 3.11's tracemalloc.get_object_traceback() finds no allocation for an
 * instance of a class with a managed __dict__ (Popen is one; 3.12 finds it),
 * so Popen's own "still running" warning would come without a traceback.
 * Such a warning gets the stack of the Popen(...) call instead, under its own
 * heading ("Object created at"), only when tracemalloc gave none.
 */
static const char wrapper[] =
    "import os, runpy, sys, threading, tracemalloc\n"
    "if tracemalloc.is_tracing():\n"
    "    import functools, subprocess, traceback, warnings\n"
    "    _init, _fmt = subprocess.Popen.__init__, warnings._formatwarnmsg_impl\n"
    "    @functools.wraps(_init)\n"
    "    def _made(self, *args, **kwargs):\n"
    "        self._leakmut_made = traceback.extract_stack(sys._getframe(1), 25)\n"
    "        _init(self, *args, **kwargs)\n"
    "    def _fmt_made(msg):\n"
    "        text = _fmt(msg)\n"
    "        if isinstance(msg.source, subprocess.Popen) and "
    "'Object allocated at' not in text:\n"
    "            made = getattr(msg.source, '_leakmut_made', ())\n"
    "            if made:\n"
    "                text += 'Object created at (most recent call last):\\n' + ''.join(\n"
    "                    '  File \"%s\", lineno %s\\n' % (f.filename, f.lineno) "
    "for f in made)\n"
    "        return text\n"
    "    subprocess.Popen.__init__, warnings._formatwarnmsg_impl = _made, _fmt_made\n"
    "drv, afile, lo, hi = sys.argv[1], os.path.realpath(sys.argv[2]), int(sys.argv[3]), "
    "int(sys.argv[4])\n"
    "hit = [False]\n"
    "seen = {}\n"
    "def local(frame, event, arg):\n"
    "    if event == 'line' and lo <= frame.f_lineno <= hi:\n"
    "        hit[0] = True\n"
    "    return local\n"
    "def start(frame, event, arg):\n"
    "    name = frame.f_code.co_filename\n"
    "    mine = seen.get(name)\n"
    "    if mine is None:\n"
    "        mine = seen[name] = os.path.realpath(name) == afile\n"
    "    if mine and event == 'call' and frame.f_code.co_firstlineno <= hi:\n"
    "        if lo <= frame.f_lineno <= hi:\n"
    "            hit[0] = True\n"
    "        return local\n"
    "    return None\n"
    "sys.argv = [drv]\n"
    "sys.path.insert(0, os.path.dirname(os.path.abspath(drv)))\n"
    "sys.settrace(start)\n"
    "threading.settrace(start)\n"
    "try:\n"
    "    runpy.run_path(drv, run_name='__main__')\n"
    "finally:\n"
    "    sys.settrace(None)\n"
    "    sys.stderr.write('\\nLEAKMUT-REACHED %d\\n' % hit[0])\n";

bool lm_is_driver(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	return !strncmp(path, "drivers/", 8) && !strncmp(base, "drive_", 6) && len > 9 &&
	       !strcmp(base + len - 3, ".py");
}

int lm_driver_for(lm_buf *out, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return lm_buf_printf(out, "drivers/drive_%s", base);
}

/* ---- one driver run ----------------------------------------------------------- */

typedef struct run {
	char dir[256]; /* the scratch tree */
	char rev[256]; /* what it holds */
	bool traced;   /* under tracemalloc: warnings say where they were allocated */
	lm_buf driver; /* relative to dir */
	lm_buf anchor; /* the anchor's file, relative to dir */
	long lo, hi;   /* the anchor's lines */
	pid_t pid;
	struct timespec started;
	bool timed_out;
	int status;
	lm_buf err; /* what the driver wrote on stderr */
} run;

static int start_run(run *r, const char *python, const char *err_path)
{
	posix_spawn_file_actions_t actions;
	char lo[32], hi[32];
	char *argv[] = {(char *)python,
	                "-X",
	                "dev",
	                "-W",
	                "always::ResourceWarning",
	                "-X",
	                "tracemalloc=25",
	                "-c",
	                (char *)wrapper,
	                r->driver.ptr,
	                r->anchor.ptr,
	                lo,
	                hi,
	                NULL};
	int error;

	/* Untraced, the two tracemalloc arguments go: most runs warn about
	 * nothing, and tracemalloc makes a driver run several times slower. */
	if (!r->traced)
		memmove(&argv[5], &argv[7], 7 * sizeof(*argv));

	snprintf(lo, sizeof(lo), "%ld", r->lo);
	snprintf(hi, sizeof(hi), "%ld", r->hi);
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addchdir_np(&actions, r->dir);
	error = posix_spawnp(&r->pid, python, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (error)
		return lm_error_set(LM_ENOTFOUND, "%s: cannot run: %s", python, strerror(error));
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	return 0;
}

static int read_all(lm_buf *out, const char *path)
{
	char chunk[8192];
	FILE *f = fopen(path, "rb");
	size_t n;
	int error = 0;

	if (!f)
		return lm_error_set(LM_EIO, "%s: %s", path, strerror(errno));
	while (error == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		error = lm_buf_put(out, chunk, n);
	fclose(f);
	return error;
}

/* ---- reading what the driver said ------------------------------------------- */

typedef struct witness {
	size_t warnings; /* ResourceWarnings */
	bool at_anchor;  /* one allocated at the anchor */
	bool recorded;   /* ... found by the wrapper's record of a Popen(...) call */
	bool reached;
	char first[200]; /* the first warning's line */
} witness;

/*
 * Where the object of the warning starting at p was made, before end:
 * tracemalloc's allocation traceback, or else the wrapper's record of the
 * Popen(...) call (then *recorded).
 */
static const char *origin(const char *p, const char *end, bool *recorded)
{
	const char *alloc = strstr(p, "Object allocated at");
	const char *made = strstr(p, "Object created at");

	*recorded = false;
	if (alloc && alloc < end)
		return alloc;
	*recorded = made && made < end;
	return *recorded ? made : NULL;
}

static void read_witness(witness *w, const run *r)
{
	const char *text = r->err.ptr ? r->err.ptr : "", *p = text;
	char frame[512];

	memset(w, 0, sizeof(*w));
	w->reached = strstr(text, "LEAKMUT-REACHED 1") != NULL;
	snprintf(frame, sizeof(frame), "%s/%s\", lineno ", r->dir, r->anchor.ptr);
	while ((p = strstr(p, "ResourceWarning")) != NULL) {
		const char *next = strstr(p + 15, "ResourceWarning");
		const char *end = next ? next : text + strlen(text);
		bool recorded;
		const char *alloc = origin(p, end, &recorded);

		if (!w->warnings) {
			const char *ls = p, *le = strchr(p, '\n');

			while (ls > text && ls[-1] != '\n')
				ls--;
			snprintf(w->first, sizeof(w->first), "%.*s", (int)((le ? le : end) - ls),
			         ls);
		}
		w->warnings++;
		/* The allocation traceback, up to the next warning. */
		for (const char *f = alloc; f && f < end; f = strstr(f + 1, frame)) {
			f = strstr(f, frame);
			if (!f || f >= end)
				break;
			{
				long line = strtol(f + strlen(frame), NULL, 10);

				if (line >= r->lo && line <= r->hi && !w->at_anchor) {
					w->at_anchor = true;
					w->recorded = recorded;
				}
			}
		}
		p = end;
	}
}

/* ---- the whole run ----------------------------------------------------------- */

typedef struct job {
	char *strings; /* the record's id, branch, path and api, one after another */
	const char *id, *branch, *path, *api;
	bool control; /* result_kind "pass" */
	long line, end_line;
	const char *status;
	char detail[256];
	run r;
	int base; /* index of the base run of its driver, or -1 */
} job;

static long as_long(json_t *rec, const char *key)
{
	return (long)json_integer_value(json_object_get(rec, key));
}

/* What a job needs of its truth record, kept without the record. */
static int job_from(job *j, json_t *rec)
{
	const char *keys[] = {"id", "branch", "path", "api"};
	const char **fields[] = {&j->id, &j->branch, &j->path, &j->api};
	size_t total = 0, k;
	char *p;

	for (k = 0; k < 4; k++)
		total += strlen(lm__json_str(rec, keys[k])) + 1;
	if (!(p = j->strings = lm__malloc(total)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (k = 0; k < 4; k++) {
		size_t len = strlen(lm__json_str(rec, keys[k])) + 1;

		memcpy(p, lm__json_str(rec, keys[k]), len);
		*fields[k] = p;
		p += len;
	}
	j->control = !strcmp(lm__json_str(rec, "result_kind"), "pass");
	j->line = as_long(rec, "line");
	j->end_line = as_long(rec, "end_line");
	j->base = -1;
	return 0;
}

static bool kind_warns(const char *api)
{
	size_t i;

	for (i = 0; i < lm_kind_count(); i++)
		if (!strcmp(lm_kind_at(i)->api, api))
			return lm_kind_at(i)->warns;
	return false;
}

static bool tree_has(git_repository *repo, const char *rev, const char *path)
{
	git_object *obj = NULL;
	lm_buf spec = LM_BUF_INIT;
	bool found = lm_buf_printf(&spec, "%s:%s", rev, path) == 0 &&
	             git_revparse_single(&obj, repo, spec.ptr) == 0;

	git_object_free(obj);
	lm_buf_dispose(&spec);
	return found;
}

/* Run every pending run, `jobs` at a time, each within `timeout` seconds. */
static int run_all(run **runs, size_t n, const char *python, unsigned jobs, unsigned timeout,
                   const char *scratch)
{
	size_t next = 0, running = 0, i;
	lm_buf err_path = LM_BUF_INIT;
	int error = 0;

	while (error == 0 && (next < n || running)) {
		while (error == 0 && next < n && running < jobs) {
			lm_buf_clear(&err_path);
			if ((error = lm_buf_printf(&err_path, "%s/err-%zu", scratch, next)) == 0 &&
			    (error = start_run(runs[next], python, err_path.ptr)) == 0)
				running++;
			next++;
		}
		for (i = 0; i < next && error == 0; i++) {
			run *r = runs[i];
			struct timespec now;
			int status;
			pid_t got;

			if (r->pid <= 0)
				continue;
			got = waitpid(r->pid, &status, WNOHANG);
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (got == 0 && now.tv_sec - r->started.tv_sec >= (time_t)timeout) {
				kill(r->pid, SIGKILL);
				r->timed_out = true;
				got = waitpid(r->pid, &status, 0);
			}
			if (got != r->pid)
				continue;
			r->status = status;
			r->pid = 0;
			running--;
			lm_buf_clear(&err_path);
			if ((error = lm_buf_printf(&err_path, "%s/err-%zu", scratch, i)) == 0)
				error = read_all(&r->err, err_path.ptr);
			unlink(err_path.ptr);
			lm__remove_tree(r->dir);
		}
		if (running) {
			struct timespec pause = {0, 10 * 1000 * 1000};

			nanosleep(&pause, NULL);
		}
	}
	/* On an error, stop what still runs. */
	for (i = 0; i < next; i++)
		if (runs[i]->pid > 0) {
			kill(runs[i]->pid, SIGKILL);
			waitpid(runs[i]->pid, NULL, 0);
			runs[i]->pid = 0;
			lm__remove_tree(runs[i]->dir);
		}
	lm_buf_dispose(&err_path);
	return error;
}

static bool run_ok(const run *r)
{
	return !r->timed_out && WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0;
}

static int prepare_run(run *r, git_repository *repo, const char *scratch, const char *rev,
                       const char *driver, const char *anchor, long lo, long hi, size_t n)
{
	int error;

	snprintf(r->dir, sizeof(r->dir), "%s/t%zu", scratch, n);
	snprintf(r->rev, sizeof(r->rev), "%s", rev);
	if (mkdir(r->dir, 0755) < 0)
		return lm_error_set(LM_EIO, "%s: %s", r->dir, strerror(errno));
	r->lo = lo;
	r->hi = hi;
	if ((error = lm_buf_puts(&r->driver, driver)) < 0 ||
	    (error = lm_buf_puts(&r->anchor, anchor)) < 0)
		return error;
	return lm__write_tree(repo, rev, r->dir);
}

/*
 * A mutant's run that warned, again under tracemalloc: where the warnings'
 * objects were allocated decides whether the leak is the seeded one.
 */
static int retrace(run *r, git_repository *repo)
{
	r->traced = true;
	r->timed_out = false;
	r->status = 0;
	r->pid = 0;
	lm_buf_clear(&r->err);
	if (mkdir(r->dir, 0755) < 0)
		return lm_error_set(LM_EIO, "%s: %s", r->dir, strerror(errno));
	return lm__write_tree(repo, r->rev, r->dir);
}

static void decide(job *j, const run *base, lm_verify_stats *stats)
{
	witness w, wb;
	bool control = j->control;

	read_witness(&w, &j->r);
	read_witness(&wb, base);
	if (!run_ok(base) || wb.warnings) {
		j->status = "base-failed";
		snprintf(j->detail, sizeof(j->detail), "%s",
		         wb.warnings ? wb.first : "the driver fails on base");
		stats->base_failed++;
		return;
	}
	if (control) {
		bool silent = run_ok(&j->r) && !w.warnings;

		j->status = silent ? "confirmed" : "control-failed";
		snprintf(j->detail, sizeof(j->detail), "%s",
		         silent       ? ""
		         : w.warnings ? w.first
		                      : "the driver fails on the control");
		if (silent)
			stats->confirmed++;
		else
			stats->control_failed++;
		return;
	}
	if (w.at_anchor) {
		j->status = "validated";
		snprintf(j->detail, sizeof(j->detail), "%s%s", w.first,
		         w.recorded ? " (located by where the Popen was created)" : "");
		stats->validated++;
	} else if (!run_ok(&j->r)) {
		j->status = "failed";
		snprintf(j->detail, sizeof(j->detail), "%s",
		         j->r.timed_out ? "the driver timed out on the mutant"
		                        : "the driver fails on the mutant and not on base");
		stats->failed++;
	} else if (w.reached) {
		j->status = "reached";
		snprintf(j->detail, sizeof(j->detail), "%s",
		         w.warnings ? "warnings, none allocated at the anchor"
		                    : "the anchor ran; nothing warned");
		stats->reached++;
	} else {
		j->status = "not-reached";
		snprintf(j->detail, sizeof(j->detail), "the driver never ran the anchor");
		stats->not_reached++;
	}
}

/* Whether the truth commit holds truth.jsonl (without reading it). */
static bool has_jsonl(git_commit *truth)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	bool has;

	has = git_commit_tree(&tree, truth) == 0 &&
	      git_tree_entry_bypath(&entry, tree, "truth.jsonl") == 0;
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return has;
}

int lm_verify(const lm_verify_opts *opts, lm_verify_stats *stats)
{
	git_repository *repo = NULL;
	git_commit *previous = NULL;
	git_signature *sig = NULL;
	lm_truth *truth = NULL;
	job *jobs = NULL;
	run *bases = NULL, **runs = NULL;
	size_t njobs = 0, nbases = 0, nruns = 0, i, k;
	char scratch[] = "/tmp/leakmut-verify-XXXXXX";
	bool made_scratch = false;
	const char *python = opts->python;
	const char *env = getenv("LEAKMUT_PYTHON");
	lm_buf driver = LM_BUF_INIT;
	char base_hex[GIT_OID_HEXSZ + 1] = "";
	int error = 0;

	memset(stats, 0, sizeof(*stats));
	if (!python)
		python = env && *env ? env : "python3";
	if (git_repository_open_ext(&repo, opts->repo, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		error = lm_error_set(LM_ENOTFOUND, "%s: not a git repository", opts->repo);
		goto cleanup;
	}
	if ((error = lm_truth_new(&truth, git_repository_path(repo))) < 0 ||
	    (error = lm_truth_read(truth, repo, &previous)) < 0)
		goto cleanup;
	if (!previous || !has_jsonl(previous)) {
		error = lm_error_set(LM_EINVALID, "%s: no leakmut truth (run generate first)",
		                     opts->repo);
		goto cleanup;
	}
	if (!mkdtemp(scratch)) {
		error = lm_error_set(LM_EIO, "%s: %s", scratch, strerror(errno));
		goto cleanup;
	}
	made_scratch = true;

	/* One job per record, in truth.jsonl's order (the truth's, as read). */
	njobs = lm_truth_count(truth);
	if (!(jobs = lm__calloc(njobs ? njobs : 1, sizeof(*jobs))) ||
	    !(bases = lm__calloc(njobs ? njobs : 1, sizeof(*bases))) ||
	    !(runs = lm__calloc(2 * njobs + 1, sizeof(*runs)))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < njobs; i++) {
		json_t *rec = lm_truth_record(truth, i);

		if (!rec) {
			error = lm_error_code();
			goto cleanup;
		}
		snprintf(base_hex, sizeof(base_hex), "%s", lm__json_str(rec, "base"));
		error = job_from(&jobs[i], rec);
		json_decref(rec);
		if (error < 0)
			goto cleanup;
	}

	for (i = 0; i < njobs && error == 0; i++) {
		job *j = &jobs[i];
		const char *path = j->path;

		lm_buf_clear(&driver);
		if ((error = lm_driver_for(&driver, path)) < 0)
			break;
		if (!tree_has(repo, "base", driver.ptr)) {
			j->status = "unwitnessed";
			snprintf(j->detail, sizeof(j->detail), "no driver (%s)", driver.ptr);
			stats->unwitnessed++;
			continue;
		}
		if (!j->control && !kind_warns(j->api)) {
			j->status = "unwitnessed";
			snprintf(j->detail, sizeof(j->detail), "%s never warns when leaked",
			         j->api);
			stats->unwitnessed++;
			continue;
		}
		/* The base run of this driver, shared by its mutants. */
		for (k = 0; k < nbases; k++)
			if (!strcmp(bases[k].driver.ptr, driver.ptr))
				break;
		if (k == nbases) {
			error = prepare_run(&bases[nbases], repo, scratch, "base", driver.ptr, path,
			                    0, 0, nruns);
			runs[nruns++] = &bases[nbases++];
		}
		j->base = (int)k;
		if (error == 0)
			error = prepare_run(&j->r, repo, scratch, j->branch, driver.ptr, path,
			                    j->line, j->end_line, nruns);
		runs[nruns++] = &j->r;
	}
	if (error == 0)
		error = run_all(runs, nruns, python, opts->jobs ? opts->jobs : 2,
		                opts->timeout ? opts->timeout : 60, scratch);
	/* Base runs and controls need no allocation frames: any warning fails
	 * them.  A mutant that warned runs again, traced. */
	for (i = 0, k = 0; i < njobs && error == 0; i++) {
		job *j = &jobs[i];

		if (j->base < 0 || j->control || !j->r.err.ptr ||
		    !strstr(j->r.err.ptr, "ResourceWarning"))
			continue;
		error = retrace(&j->r, repo);
		runs[k++] = &j->r;
	}
	if (error == 0 && k > 0)
		error = run_all(runs, k, python, opts->jobs ? opts->jobs : 2,
		                opts->timeout ? opts->timeout : 60, scratch);
	for (i = 0; i < njobs && error == 0; i++) {
		job *j = &jobs[i];

		if (j->base >= 0)
			decide(j, &bases[j->base], stats);
		if (opts->result)
			opts->result(j->id, j->branch, j->status, j->detail, opts->payload);
		error = lm_truth_set_witness(truth, j->id, j->status, j->detail);
	}
	if (error == 0) {
		const git_signature *c = git_commit_committer(previous);

		if (git_signature_new(&sig, "leakmut", "leakmut@localhost", c->when.time,
		                      c->when.offset) < 0)
			error = lm__git_fail("cannot sign");
		else
			error = lm_truth_write(truth, repo, base_hex, sig, previous, NULL);
	}

cleanup:
	if (made_scratch)
		lm__remove_tree(scratch);
	for (i = 0; jobs && i < njobs; i++) {
		free(jobs[i].strings);
		lm_buf_dispose(&jobs[i].r.driver);
		lm_buf_dispose(&jobs[i].r.anchor);
		lm_buf_dispose(&jobs[i].r.err);
	}
	for (i = 0; bases && i < nbases; i++) {
		lm_buf_dispose(&bases[i].driver);
		lm_buf_dispose(&bases[i].anchor);
		lm_buf_dispose(&bases[i].err);
	}
	free(runs);
	free(bases);
	free(jobs);
	lm_buf_dispose(&driver);
	git_signature_free(sig);
	git_commit_free(previous);
	lm_truth_free(truth);
	git_repository_free(repo);
	return error;
}
