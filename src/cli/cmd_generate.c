#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "leakmut/leakmut.h"

static void on_diag(const char *message, void *payload)
{
	(void)payload;
	cli_error("%s", message);
}

static int on_planned(const lm_site *site, const char *path, void *payload)
{
	char branch[32];
	json_t *obj;
	char *line;

	(void)payload;
	lm_site_branch(branch, site);
	obj =
	    json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:i, s:s}", "id", site->id, "branch",
	              branch, "operator", site->op->id, "operator_version", (int)site->op->version,
	              "api", site->kind ? site->kind->api : "", "path", path, "line",
	              (int)site->line, "col", (int)site->col, "qualname", site->qualname);
	line = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(obj);
	if (!line)
		return lm_error_set(LM_ENOMEM, "out of memory");
	puts(line);
	free(line);
	return 0;
}

/* A progress line on a terminal; nothing when stderr is not one. */
static void on_progress(const lm_generate_stats *stats, bool done, void *payload)
{
	struct timespec *start = payload, now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
	fprintf(stderr, "\r\033[Kfiles %zu, mutants %zu, branches %zu written %zu kept, %.0f/s",
	        stats->files, stats->mutants, stats->written, stats->existing,
	        secs > 0 ? (double)(stats->written + stats->existing) / secs : 0.0);
	if (done)
		fputs("\r\033[K", stderr);
}

static bool parse_shard(const char *text, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a = strtoul(text, &end, 10), b;

	if (end == text || *end != '/')
		return false;
	text = end + 1;
	b = strtoul(text, &end, 10);
	if (end == text || *end || a < 1 || b < 1 || a > b || b > 1000000)
		return false;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return true;
}

/* Digits only (strtoul alone takes blanks and a sign: " -1" is ULONG_MAX). */
static bool parse_count(const char *text, unsigned long *out)
{
	char *end;

	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	*out = strtoul(text, &end, 10);
	return !*end && errno != ERANGE;
}

/* A thread count, from --jobs or $LEAKMUT_JOBS: 1 to 256, else 0. */
static unsigned parse_jobs(const char *text)
{
	unsigned long count;

	return text && parse_count(text, &count) && count >= 1 && count <= 256 ? (unsigned)count
	                                                                       : 0;
}

/*
 * $LEAKMUT_JOBS, or the processors online, at most 8 (scanning scales little
 * beyond).  0 for a bad $LEAKMUT_JOBS.
 */
static unsigned default_jobs(void)
{
	const char *env = getenv("LEAKMUT_JOBS");
	long n;

	if (env && *env)
		return parse_jobs(env);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

int cmd_generate(int argc, char **argv)
{
	struct timespec start;
	unsigned long count;
	lm_generate_opts opts = {0};
	lm_generate_stats stats;
	const char *value;
	int k, error;

	opts.compile = true;
	opts.diag = on_diag;
	if (!(opts.jobs = default_jobs())) {
		cli_error("LEAKMUT_JOBS takes a number from 1 to 256");
		return 2;
	}
	for (k = 1; k < argc; k++) {
		if (argv[k][0] != '-') {
			if (opts.input) {
				return cli_misuse("generate", "one INPUT only (got %s and %s)",
				                  opts.input, argv[k]);
			}
			opts.input = argv[k];
		} else if (!strcmp(argv[k], "--list")) {
			opts.list = true;
		} else if (!strcmp(argv[k], "--label")) {
			opts.label = true;
		} else if (!strcmp(argv[k], "--no-controls")) {
			opts.no_controls = true;
		} else if (!strcmp(argv[k], "--no-compile")) {
			opts.compile = false;
		} else if (cli_option(argc, argv, &k, "-o", &value) ||
		           cli_option(argc, argv, &k, "--output", &value)) {
			if (!value)
				return 2;
			opts.out = value;
		} else if (cli_option(argc, argv, &k, "--operators", &value)) {
			if (!value)
				return 2;
			opts.operators = value;
		} else if (cli_option(argc, argv, &k, "--truth", &value)) {
			if (!value)
				return 2;
			opts.truth_path = value;
		} else if (cli_option(argc, argv, &k, "--python", &value)) {
			if (!value)
				return 2;
			opts.python = value;
		} else if (cli_option(argc, argv, &k, "--rev", &value)) {
			if (!value)
				return 2;
			opts.rev = value;
		} else if (cli_option(argc, argv, &k, "--shard", &value)) {
			if (!value)
				return 2;
			if (!parse_shard(value, &opts.shard_k, &opts.shard_n)) {
				cli_error("--shard takes K/N with 1 <= K <= N");
				return 2;
			}
		} else if (cli_option(argc, argv, &k, "--sample", &value)) {
			if (!value)
				return 2;
			if (!parse_count(value, &count) || count == 0) {
				cli_error("--sample takes a positive number");
				return 2;
			}
			opts.sample = count;
		} else if (cli_option(argc, argv, &k, "--jobs", &value)) {
			if (!value)
				return 2;
			if (!(opts.jobs = parse_jobs(value))) {
				cli_error("--jobs takes a number from 1 to 256");
				return 2;
			}
		} else if (cli_option(argc, argv, &k, "--seed", &value)) {
			if (!value)
				return 2;
			if (!parse_count(value, &count)) {
				cli_error("--seed takes a number");
				return 2;
			}
			opts.seed = count;
		} else {
			return cli_misuse("generate", "unknown option %s", argv[k]);
		}
	}
	if (!opts.out && !opts.list)
		return cli_misuse("generate", "generate needs -o OUT.git (or --list)");
	if (!opts.input)
		return cli_misuse("generate", "generate needs INPUT");
	if (opts.list)
		opts.planned = on_planned;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (isatty(2) && !opts.list) {
		opts.progress = on_progress;
		opts.payload = &start;
	}

	error = lm_generate(&opts, &stats);
	if (error < 0) {
		cli_error("%s", lm_error_last());
		return 1;
	}
	if (!opts.list)
		fprintf(stderr,
		        "%zu mutants and controls from %zu %s (%zu selected): %zu new %s, "
		        "%zu already there; %zu rejected, %zu %s with errors; base %s\n",
		        stats.mutants, stats.files, cli_plural(stats.files, "file", "files"),
		        stats.selected, stats.written,
		        cli_plural(stats.written, "branch", "branches"), stats.existing,
		        stats.rejected, stats.bad_files,
		        cli_plural(stats.bad_files, "file", "files"), stats.base);
	return stats.bad_files ? 1 : 0;
}
