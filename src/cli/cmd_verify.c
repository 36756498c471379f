#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "leakmut/leakmut.h"

static void on_result(const char *id, const char *branch, const char *status, const char *detail,
                      void *payload)
{
	(void)id;
	(void)payload;
	printf("%-16s %-14s %s\n", branch, status, detail ? detail : "");
}

static bool parse_positive(const char *text, unsigned *out)
{
	char *end;
	unsigned long n = strtoul(text, &end, 10);

	if (end == text || *end || text[0] == '-' || n == 0 || n > 100000)
		return false;
	*out = (unsigned)n;
	return true;
}

int cmd_verify(int argc, char **argv)
{
	lm_verify_opts opts = {0};
	lm_verify_stats st;
	const char *value;
	int k;

	opts.result = on_result;
	for (k = 1; k < argc; k++) {
		if (argv[k][0] != '-') {
			if (opts.repo)
				return cli_misuse("verify", "one OUT.git only (got %s and %s)",
				                  opts.repo, argv[k]);
			opts.repo = argv[k];
		} else if (cli_option(argc, argv, &k, "--python", &value)) {
			if (!value)
				return 2;
			opts.python = value;
		} else if (cli_option(argc, argv, &k, "--jobs", &value)) {
			if (!value)
				return 2;
			if (!parse_positive(value, &opts.jobs)) {
				cli_error("--jobs takes a positive number");
				return 2;
			}
		} else if (cli_option(argc, argv, &k, "--timeout", &value)) {
			if (!value)
				return 2;
			if (!parse_positive(value, &opts.timeout)) {
				cli_error("--timeout takes a positive number of seconds");
				return 2;
			}
		} else {
			return cli_misuse("verify", "unknown option %s", argv[k]);
		}
	}
	if (!opts.repo)
		return cli_misuse("verify", "verify needs OUT.git");
	if (lm_verify(&opts, &st) < 0) {
		cli_error("%s", lm_error_last());
		return 1;
	}
	printf("\nmutants: %zu validated, %zu reached, %zu not reached, %zu unwitnessed, "
	       "%zu failed, %zu with a failing base\ncontrols: %zu confirmed, %zu failed\n",
	       st.validated, st.reached, st.not_reached, st.unwitnessed, st.failed, st.base_failed,
	       st.confirmed, st.control_failed);
	if (st.failed || st.control_failed)
		cli_error("%zu mutants changed behaviour and %zu controls were not silent: "
		          "operator defects",
		          st.failed, st.control_failed);
	return st.failed || st.control_failed ? 1 : 0;
}
