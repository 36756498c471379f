#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "leakmut/leakmut.h"

static json_t *operator_json(const lm_operator *op)
{
	return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "id", op->id,
	                 "version", (int)op->version, "family", lm_family_name(op->family), "scope",
	                 lm_scope_name(op->scope), "summary", op->summary, "description",
	                 op->description, "kinds", op->kinds, "cwe", (int)op->cwe, "before",
	                 op->before, "after", op->after);
}

static void print_indented(const char *text)
{
	const char *line = text;

	while (*line) {
		size_t len = strcspn(line, "\n");

		printf("      %.*s\n", (int)len, line);
		line += len;
		if (*line == '\n')
			line++;
	}
}

int cmd_operators(int argc, char **argv)
{
	size_t n, i;
	const lm_operator *const *ops = lm_operators(&n);
	bool json = false;
	int k;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--json")) {
			json = true;
		} else {
			if (argv[k][0] == '-')
				return cli_misuse("operators", "unknown option %s", argv[k]);
			return cli_misuse("operators", "operators takes no argument (got %s)",
			                  argv[k]);
		}
	}
	for (i = 0; i < n; i++) {
		const lm_operator *op = ops[i];

		if (json) {
			json_t *obj = operator_json(op);
			char *line =
			    obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

			json_decref(obj);
			if (!line) {
				cli_error("out of memory");
				return 1;
			}
			puts(line);
			free(line);
			continue;
		}
		printf("%s v%u  (%s, %s, CWE-%u)\n", op->id, op->version,
		       lm_family_name(op->family), lm_scope_name(op->scope), op->cwe);
		printf("  %s\n", op->summary);
		printf("  %s\n", op->description);
		printf("  kinds: %s\n", op->kinds);
		printf("  before:\n");
		print_indented(op->before);
		printf("  after:\n");
		print_indented(op->after);
		if (i + 1 < n)
			putchar('\n');
	}
	return 0;
}
