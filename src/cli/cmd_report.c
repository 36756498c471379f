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
				return cli_misuse("report", "one OUT.git only (got %s and %s)",
				                  repo, argv[k]);
			repo = argv[k];
		} else if (cli_option(argc, argv, &k, "-o", &value) ||
		           cli_option(argc, argv, &k, "--output", &value)) {
			if (!value)
				return 2;
			dir = value;
		} else {
			return cli_misuse("report", "unknown option %s", argv[k]);
		}
	}
	if (!dir)
		return cli_misuse("report", "report needs -o REPORT_DIR");
	if (!repo)
		return cli_misuse("report", "report needs OUT.git");
	if (lm_report_write(repo, dir) < 0) {
		cli_error("%s", lm_error_last());
		return 1;
	}
	return 0;
}
