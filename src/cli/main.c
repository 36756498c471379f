#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leakmut/leakmut.h"

typedef struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *summary;
} command;

static const command commands[] = {
    {"export", cmd_export, "leakmut export --format diff|dir|jsonl -o DEST OUT.git",
     "export each mutant of OUT.git as a diff, a folder of changed files, or JSON lines"},
    {"generate", cmd_generate,
     "leakmut generate [--operators LIST] [--sample N --seed S] [--shard K/N]\n"
     "                 [--rev REV] [--label] [--truth FILE] [--no-controls]\n"
     "                 [--no-compile] [--python PATH] [--jobs N] [--list] -o OUT.git INPUT",
     "write each mutant and control of INPUT as a branch of OUT.git, with the ground truth"},
    {"operators", cmd_operators, "leakmut operators [--json]",
     "describe every operator: id, version, scope, kinds, CWE, before/after"},
    {"report", cmd_report, "leakmut report -o REPORT_DIR OUT.git",
     "write mutation-report.json and index.html from REPORT_DIR/score.json (score does it too)"},
    {"score", cmd_score,
     "leakmut score [--detector NAME|'NAME=COMMAND ARGS {files}']... [--sarif NAME=FILE]...\n"
     "              [--materialise DIR] [--validated-only] [-o REPORT_DIR] OUT.git",
     "run detectors (ruff, pylint, ast-grep, any SARIF tool) over base and every mutant and "
     "control; recall and FPR"},
    {"sites", cmd_sites,
     "leakmut sites [--operators LIST] [--json] [--why-not] [--no-compile]\n"
     "              [--python PATH] PATH...",
     "list every site the operators would mutate under PATH, validating each mutant"},
    {"verify", cmd_verify, "leakmut verify [--python PATH] [--jobs N] [--timeout S] OUT.git",
     "run each module's driver on base and on each mutant and control: is the leak real?"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("leakmut: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *cli_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static const command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int cli_usage(const char *name)
{
	const command *cmd = find_command(name);

	if (cmd)
		fprintf(stderr, "usage: %s\n", cmd->usage);
	return 2;
}

bool cli_option(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t len = strlen(name);
	const char *arg = argv[*i];

	if (strncmp(arg, name, len) != 0)
		return false;
	if (arg[len] == '=') {
		*value = arg + len + 1;
		return true;
	}
	if (arg[len] != '\0')
		return false;
	if (*i + 1 >= argc) {
		cli_error("%s needs a value", name);
		*value = NULL;
		return true;
	}
	*value = argv[++*i];
	return true;
}

static void print_help(FILE *out)
{
	size_t i;

	fputs("usage: leakmut [--version] [--help] COMMAND [ARGS]\n\n"
	      "Seeds known resource leaks into clean Python by mutation.\n\n"
	      "Commands:\n",
	      out);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n`leakmut help COMMAND` shows a command's options.\n", out);
}

static int help(const char *name)
{
	const command *cmd = find_command(name);

	if (!cmd) {
		cli_error("'%s' is not a command; see `leakmut --help`", name);
		return 2;
	}
	printf("usage: %s\n\n%s\n", cmd->usage, cmd->summary);
	return 0;
}

int main(int argc, char **argv)
{
	const command *cmd;
	int rc;

	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		uint32_t min, max;

		lm_grammar_abi_range(&min, &max);
		printf("leakmut %s (tree-sitter-python ABI %u, tree-sitter ABI %u-%u)\n",
		       LEAKMUT_VERSION, lm_grammar_abi(), min, max);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			print_help(stdout);
			return 0;
		}
		return help(argv[2]);
	}
	if (!(cmd = find_command(argv[1]))) {
		cli_error("'%s' is not a command; see `leakmut --help`", argv[1]);
		return 2;
	}
	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))
		return help(argv[1]);
	if (lm_init() < 0) {
		cli_error("%s", lm_error_last());
		return 1;
	}
	rc = cmd->fn(argc - 1, argv + 1);
	lm_shutdown();
	return rc;
}
