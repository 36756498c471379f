/*
 * Allocation failures, in curl's torture spirit: one representative
 * `generate` (no compile check, so no child process) over a small tree is
 * run again and again, failing its i-th allocation for every i, until a run
 * makes fewer allocations than i.  Every failed run must return an error
 * (never report success after losing an allocation) and, under ASan/LSan,
 * leak nothing.
 *
 *   torture INPUT SCRATCH
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "leakmut/leakmut.h"

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void quiet(const char *message, void *payload)
{
	(void)message;
	(void)payload;
}

int main(int argc, char **argv)
{
	lm_generate_opts opts = {0};
	lm_generate_stats stats;
	char out[4096];
	unsigned long i, allocations = 0;
	size_t passed = 0, failed = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: torture INPUT SCRATCH\n");
		return 2;
	}
	snprintf(out, sizeof(out), "%s/out.git", argv[2]);
	opts.input = argv[1];
	opts.out = out;
	opts.diag = quiet;
	if (lm_init() < 0)
		return 1;
	for (i = 1;; i++) {
		int rc;

		nftw(out, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		lm__alloc_fail_at(i);
		rc = lm_generate(&opts, &stats);
		allocations = lm__alloc_count();
		lm__alloc_fail_at(0);
		if (allocations < i) {
			/* Nothing failed: the run must have succeeded. */
			if (rc < 0 || stats.written == 0) {
				printf("FAIL the undisturbed run: %s\n", lm_error_last());
				failed++;
			} else {
				passed++;
			}
			break;
		}
		if (rc >= 0) {
			printf("FAIL allocation %lu failed and generate reported success\n", i);
			failed++;
		} else {
			passed++;
		}
	}
	/*
	 * The same with two scanning threads (--jobs 2), on a sample of about
	 * 100 allocations (the whole range, every step): the order of the
	 * workers' allocations varies, so the i-th is not always the same one,
	 * but any failure must still be an error that leaks nothing.
	 */
	opts.jobs = 2;
	nftw(out, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	lm__alloc_fail_at(0);
	if (lm_generate(&opts, &stats) < 0 || stats.written == 0) {
		printf("FAIL the undisturbed run with 2 threads: %s\n", lm_error_last());
		failed++;
	} else {
		unsigned long threaded = lm__alloc_count(), step = threaded / 100 + 1;

		for (i = 1; i <= threaded; i += step) {
			nftw(out, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
			lm__alloc_fail_at(i);
			if (lm_generate(&opts, &stats) >= 0) {
				printf("FAIL allocation %lu of a run with 2 threads failed and "
				       "generate "
				       "reported success\n",
				       i);
				failed++;
			} else {
				passed++;
			}
			lm__alloc_fail_at(0);
		}
		printf("%lu allocations in a run with 2 threads, every %lu failed in turn\n",
		       threaded, step);
	}
	nftw(out, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	lm_shutdown();
	printf("%lu allocations in a run\n%zu passed, %zu failed\n", allocations, passed, failed);
	return failed ? 1 : 0;
}
