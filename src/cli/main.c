#include <errno.h>
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
	const char *options; /* one line or more per option, then the environment it reads */
} command;

static const command commands[] = {
    {"export", cmd_export, "leakmut export --format diff|dir|jsonl -o DEST OUT.git",
     "export each mutant of OUT.git as a diff, a folder of changed files, or JSON lines",
     "  --format diff|dir|jsonl   diff: DEST/<id>.diff, a unified diff against base;\n"
     "                            dir: DEST/<id>/<path>, each file the mutant\n"
     "                            changed; jsonl: one JSON line per mutant and\n"
     "                            control, in the file DEST\n"
     "  -o, --output DEST         the folder (diff, dir; made when missing) or the\n"
     "                            file (jsonl)\n"},
    {"generate", cmd_generate,
     "leakmut generate [--operators LIST] [--sample N --seed S] [--shard K/N]\n"
     "                 [--rev REV] [--label] [--truth FILE] [--no-controls]\n"
     "                 [--no-compile] [--python PATH] [--jobs N] [--list] -o OUT.git INPUT",
     "write each mutant and control of INPUT as a branch of OUT.git, with the ground truth",
     "  -o, --output OUT.git   the bare repository to write (made when missing; a\n"
     "                         rerun adds only the branches it lacks)\n"
     "  --operators LIST       operator ids and groups, comma-separated: all, leak,\n"
     "                         control, or a scope (default: leak and control)\n"
     "  --no-controls          leave out the controls (the safe twins)\n"
     "  --sample N             keep, per operator, the N mutants whose SHA-256 of\n"
     "                         (seed, id) is smallest\n"
     "  --seed S               the seed of --sample (default 0)\n"
     "  --shard K/N            keep the mutants whose id, read as a number, is K-1\n"
     "                         modulo N\n"
     "  --rev REV              INPUT is a git repository, read at REV (no checkout)\n"
     "  --label                add Leakmut-* trailers to each commit (so other commit\n"
     "                         ids)\n"
     "  --truth FILE           also write the ground truth, truth.sarif, to FILE\n"
     "  --no-compile           check each mutant by parsing only, without compiling\n"
     "                         it\n"
     "  --python PATH          the python that compiles the mutants (default:\n"
     "                         $LEAKMUT_PYTHON, else python3)\n"
     "  --jobs N               scan files on N threads (default: $LEAKMUT_JOBS, else\n"
     "                         the processors online, at most 8); the output is the\n"
     "                         same for any N\n"
     "  --list                 print the planned mutants as JSON lines; write nothing\n"
     "\n"
     "Environment: LEAKMUT_JOBS and LEAKMUT_PYTHON (above); TMPDIR (temporary files).\n"},
    {"operators", cmd_operators, "leakmut operators [--json]",
     "describe every operator: id, version, scope, kinds, CWE, before/after",
     "  --json  one JSON object per line\n"},
    {"report", cmd_report, "leakmut report -o REPORT_DIR OUT.git",
     "write mutation-report.json and index.html from REPORT_DIR/score.json (score does it too)",
     "  -o, --output REPORT_DIR   the folder holding score.json, where the report\n"
     "                            goes\n"},
    {"score", cmd_score,
     "leakmut score [--detector NAME|'NAME=COMMAND ARGS {files}']... [--sarif NAME=FILE]...\n"
     "              [--materialise DIR] [--validated-only] [-o REPORT_DIR] OUT.git",
     "run detectors (ruff, pylint, ast-grep, any SARIF tool) over base and every mutant and "
     "control; recall and FPR",
     "  --detector NAME           a built-in detector: ruff, pylint or ast-grep\n"
     "  --detector 'NAME=COMMAND ARGS {files}'\n"
     "                            any tool that writes SARIF, run without a shell:\n"
     "                            {files} becomes the files, {sarif} the log it\n"
     "                            writes (else its standard output is read)\n"
     "  --sarif NAME=FILE         read a SARIF log made elsewhere over the\n"
     "                            --materialise layout\n"
     "  --materialise DIR         write the files the detectors see to DIR (new or\n"
     "                            empty) and keep them; with no detector, only that\n"
     "  --validated-only          count only the mutants verify validated (and every\n"
     "                            control)\n"
     "  -o, --output REPORT_DIR   write score.json, each detector's SARIF and the\n"
     "                            report files there (without it, only the table is\n"
     "                            printed)\n"
     "\n"
     "Environment: LEAKMUT_NODE_PATH (the node modules of ruff and ast-grep);\n"
     "LEAKMUT_RUFF_SCRIPT, LEAKMUT_AST_GREP and LEAKMUT_AST_GREP_RULE (the script,\n"
     "binary and rule used instead of the built-in ones).\n"},
    {"sites", cmd_sites,
     "leakmut sites [--operators LIST] [--json] [--why-not] [--no-compile]\n"
     "              [--python PATH] [--] PATH...",
     "list every site the operators would mutate under PATH, validating each mutant",
     "  --operators LIST   operator ids and groups, comma-separated: all, leak,\n"
     "                     control, or a scope (default: leak)\n"
     "  --json             one JSON object per line for each site\n"
     "  --why-not          also list the candidates that were skipped, and why\n"
     "  --no-compile       check each mutant by parsing only, without compiling it\n"
     "  --python PATH      the python that compiles the mutants (default:\n"
     "                     $LEAKMUT_PYTHON, else python3)\n"
     "\n"
     "Options and paths come in any order; after --, paths only. Environment:\n"
     "LEAKMUT_PYTHON (above).\n"},
    {"verify", cmd_verify, "leakmut verify [--python PATH] [--jobs N] [--timeout S] OUT.git",
     "run each module's driver on base and on each mutant and control: is the leak real?",
     "  --python PATH   the python that runs the drivers (default: $LEAKMUT_PYTHON,\n"
     "                  else python3)\n"
     "  --jobs N        drivers run at once (default 2)\n"
     "  --timeout S     seconds each driver run may take (default 60)\n"
     "\n"
     "Environment: LEAKMUT_PYTHON (above).\n"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void verror(const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 0)))
#endif
    ;

static void verror(const char *fmt, va_list ap)
{
	fputs("leakmut: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
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

int cli_misuse(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	return cli_usage(name);
}

bool cli_option(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t len = strlen(name);
	const char *arg = argv[*i];

	if (strncmp(arg, name, len) != 0)
		return false;
	if (arg[len] == '=')
		*value = arg + len + 1;
	else if (arg[len] != '\0')
		return false;
	else if (*i + 1 >= argc)
		*value = NULL;
	else
		*value = argv[++*i];
	/* An empty value (`-o ""` from an unset variable) means nothing. */
	if (!*value || !**value) {
		cli_error("%s needs a value%s", name, *value ? ", not an empty one" : "");
		*value = NULL;
	}
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
	printf("usage: %s\n\n%s\n\noptions:\n%s", cmd->usage, cmd->summary, cmd->options);
	return 0;
}

static int run(int argc, char **argv)
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

int main(int argc, char **argv)
{
	int rc = run(argc, argv);

	/* What a command printed must have reached its reader: a full disk
	 * (`--list >/dev/full`) is an error, not a silent success. */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("the standard output: cannot write: %s", strerror(errno ? errno : EIO));
		if (rc == 0)
			rc = 1;
	}
	return rc;
}
