#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leakmut/leakmut.h"

int cmd_report(int argc, char **argv)
{
	const char *repo = NULL, *dir = NULL, *value;
	int k;

	for (k = 1; k < argc; k++) {
		if (argv[k][0] != '-') {
			if (repo)
				return cli_usage("report");
			repo = argv[k];
		} else if (cli_option(argc, argv, &k, "-o", &value) ||
		           cli_option(argc, argv, &k, "--output", &value)) {
			if (!value)
				return 2;
			dir = value;
		} else {
			cli_error("unknown option %s", argv[k]);
			return cli_usage("report");
		}
	}
	if (!repo || !dir)
		return cli_usage("report");
	if (lm_report_write(repo, dir) < 0) {
		cli_error("%s", lm_error_last());
		return 1;
	}
	return 0;
}
