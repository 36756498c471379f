/*
 * The leakmut executable: a thin table of commands over the library.
 *
 * Adding a command: write cmd_<name>.c with `int cmd_<name>(int argc, char
 * **argv)`, declare it here, add a row to the commands[] table in main.c
 * (usage and summary), and add the file to the leakmut target in
 * CMakeLists.txt.  A command returns 0 (ok), 1 (error, already reported
 * with cli_error) or 2 (usage).
 */
#ifndef LEAKMUT_CLI_H
#define LEAKMUT_CLI_H

#include <stdbool.h>
#include <stddef.h>

int cmd_export(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_operators(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_sites(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Print "leakmut: <message>" on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* `one` when n is 1, else `many`: "1 file", "2 files". */
const char *cli_plural(size_t n, const char *one, const char *many);

/* Print the usage of `command` on stderr and return 2. */
int cli_usage(const char *command);

/* Print "leakmut: <what is wrong>", then the usage of `command`; return 2. */
int cli_misuse(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Whether argv[*i] is `--name VALUE` or `--name=VALUE`; *value gets VALUE. */
bool cli_option(int argc, char **argv, int *i, const char *name, const char **value);

#endif
