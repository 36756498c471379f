#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	snprintf(branch, sizeof(branch), "m/%s", site->id);
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

int cmd_generate(int argc, char **argv)
{
	lm_generate_opts opts = {0};
	lm_generate_stats stats;
	const char *value;
	int k, error;

	opts.compile = true;
	opts.diag = on_diag;
	for (k = 1; k < argc; k++) {
		if (argv[k][0] != '-') {
			if (opts.input) {
				cli_error("one INPUT only (got %s and %s)", opts.input, argv[k]);
				return cli_usage("generate");
			}
			opts.input = argv[k];
		} else if (!strcmp(argv[k], "--list")) {
			opts.list = true;
		} else if (!strcmp(argv[k], "--label")) {
			opts.label = true;
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
		} else {
			cli_error("unknown option %s", argv[k]);
			return cli_usage("generate");
		}
	}
	if (!opts.input || (!opts.out && !opts.list))
		return cli_usage("generate");
	if (opts.list)
		opts.planned = on_planned;

	error = lm_generate(&opts, &stats);
	if (error < 0) {
		cli_error("%s", lm_error_last());
		return 1;
	}
	if (!opts.list)
		fprintf(stderr,
		        "%zu mutants from %zu files: %zu new branches, %zu already there; "
		        "%zu rejected, %zu files with errors; base %s\n",
		        stats.mutants, stats.files, stats.written, stats.existing, stats.rejected,
		        stats.bad_files, stats.base);
	return stats.bad_files ? 1 : 0;
}
