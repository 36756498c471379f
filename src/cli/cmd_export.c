#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leakmut/leakmut.h"

int cmd_export(int argc, char **argv)
{
	const char *repo = NULL, *dest = NULL, *format = NULL, *value;
	lm_export_format fmt;
	size_t mutants = 0, controls = 0;
	int k;

	for (k = 1; k < argc; k++) {
		if (argv[k][0] != '-') {
			if (repo)
				return cli_misuse("export", "one OUT.git only (got %s and %s)",
				                  repo, argv[k]);
			repo = argv[k];
		} else if (cli_option(argc, argv, &k, "--format", &value)) {
			if (!value)
				return 2;
			format = value;
		} else if (cli_option(argc, argv, &k, "-o", &value) ||
		           cli_option(argc, argv, &k, "--output", &value)) {
			if (!value)
				return 2;
			dest = value;
		} else {
			return cli_misuse("export", "unknown option %s", argv[k]);
		}
	}
	if (!format)
		return cli_misuse("export", "export needs --format diff, dir or jsonl");
	if (!dest)
		return cli_misuse("export", "export needs -o DEST");
	if (!repo)
		return cli_misuse("export", "export needs OUT.git");
	if (!strcmp(format, "diff"))
		fmt = LM_EXPORT_DIFF;
	else if (!strcmp(format, "dir"))
		fmt = LM_EXPORT_DIR;
	else if (!strcmp(format, "jsonl"))
		fmt = LM_EXPORT_JSONL;
	else {
		cli_error("--format takes diff, dir or jsonl, not '%s'", format);
		return 2;
	}
	if (lm_export(repo, fmt, dest, &mutants, &controls) < 0) {
		cli_error("%s", lm_error_last());
		/* A JSONL export leaves DEST as it was; the others keep what they wrote. */
		if (fmt != LM_EXPORT_JSONL && mutants + controls > 0)
			cli_error("export stopped: %zu mutants and %zu controls written to %s "
			          "before the error",
			          mutants, controls, dest);
		return 1;
	}
	fprintf(stderr, "%zu mutants and %zu controls exported to %s\n", mutants, controls, dest);
	return 0;
}
