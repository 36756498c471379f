#include <jansson.h>
#include <stdbool.h>
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

/*
 * `text` (one paragraph) after `lead`, wrapped to lines of at most 79
 * columns where it has a blank (the blanks at a break are dropped, the
 * others kept as written), each line after the first indented by `indent`
 * spaces; a word longer than a line stands alone.  With `comma`, a comma
 * is a place to break too, and gets a blank after it.
 */
static void print_wrapped(const char *lead, const char *text, int indent, bool comma)
{
	const char *p = text;
	int col = printf("%s", lead), gap = 1;

	while (*p) {
		size_t word = comma ? strcspn(p, " ,") : strcspn(p, " ");

		if (comma && p[word] == ',')
			word++;
		if (col > indent && col + gap + (int)word > 79)
			col = printf("\n%*s", indent, "") - 1;
		else if (col > indent)
			col += printf("%*s", gap, "");
		col += printf("%.*s", (int)word, p);
		p += word;
		gap = (int)strspn(p, " ");
		if (comma && word > 0 && p[-1] == ',' && gap == 0)
			gap = 1;
		p += strspn(p, " ");
	}
	putchar('\n');
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
		print_wrapped("  ", op->summary, 2, false);
		print_wrapped("  ", op->description, 2, false);
		print_wrapped("  kinds:", op->kinds, 4, true);
		printf("  before:\n");
		print_indented(op->before);
		printf("  after:\n");
		print_indented(op->after);
		if (i + 1 < n)
			putchar('\n');
	}
	return 0;
}
