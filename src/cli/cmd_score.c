#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "leakmut/leakmut.h"

static void on_line(const char *text, void *payload)
{
	(void)payload;
	puts(text);
}

int cmd_score(int argc, char **argv)
{
	lm_score_opts opts = {0};
	const char *detectors[16], *sarif[16], *value;
	int k;

	opts.line = on_line;
	opts.detectors = detectors;
	opts.sarif = sarif;
	for (k = 1; k < argc; k++) {
		if (argv[k][0] != '-') {
			if (opts.repo)
				return cli_misuse("score", "one OUT.git only (got %s and %s)",
				                  opts.repo, argv[k]);
			opts.repo = argv[k];
		} else if (cli_option(argc, argv, &k, "--detector", &value)) {
			if (!value)
				return 2;
			if (opts.ndetectors == sizeof(detectors) / sizeof(detectors[0])) {
				cli_error("too many detectors");
				return 2;
			}
			detectors[opts.ndetectors++] = value;
		} else if (cli_option(argc, argv, &k, "--sarif", &value)) {
			if (!value)
				return 2;
			if (opts.nsarif == sizeof(sarif) / sizeof(sarif[0])) {
				cli_error("too many --sarif files");
				return 2;
			}
			sarif[opts.nsarif++] = value;
		} else if (cli_option(argc, argv, &k, "--materialise", &value) ||
		           cli_option(argc, argv, &k, "--materialize", &value)) {
			if (!value)
				return 2;
			opts.materialise = value;
		} else if (cli_option(argc, argv, &k, "-o", &value) ||
		           cli_option(argc, argv, &k, "--output", &value)) {
			if (!value)
				return 2;
			opts.report_dir = value;
		} else if (!strcmp(argv[k], "--validated-only")) {
			opts.validated_only = true;
		} else {
			return cli_misuse("score", "unknown option %s", argv[k]);
		}
	}
	if (!opts.ndetectors && !opts.nsarif && !opts.materialise)
		return cli_misuse("score", "score needs --detector, --sarif or --materialise");
	if (!opts.repo)
		return cli_misuse("score", "score needs OUT.git");
	if (lm_score(&opts) < 0) {
		cli_error("%s", lm_error_last());
		return 1;
	}
	return 0;
}
