/* The report files, from a one-mutant repository and a score.json written here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "helpers.h"
#include "scratch.h"

static char root[64];
static char id[13];
static char input[128], repo[128], report[128];

/* The acquisition's line is not the first, and the body ends in "é</script>". */
static const char module_text[] = "import os\n"
                                  "def f(p):\n"
                                  "    with open(p, \"w\") as fh:\n"
                                  "        fh.write(\"\xc3\xa9</script>\")\n";

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int planned(const lm_site *site, const char *path, void *payload)
{
	(void)path;
	(void)payload;
	memcpy(id, site->id, sizeof(id));
	return 0;
}

static int setup(void **state)
{
	lm_generate_opts opts = {0};
	lm_generate_stats stats;
	char path[192];

	(void)state;
	strcpy(root, "/tmp/lm-report<&\"-XXXXXX");
	if (!mkdtemp(root) || lm_init() < 0)
		return -1;
	snprintf(input, sizeof(input), "%s/in", root);
	snprintf(repo, sizeof(repo), "%s/m.git", root);
	snprintf(report, sizeof(report), "%s/report", root);
	if (mkdir(input, 0755) < 0 || mkdir(report, 0755) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/m.py", input);
	write_text(path, module_text);
	opts.input = input;
	opts.out = repo;
	opts.operators = "drop-with";
	opts.no_controls = true;
	opts.planned = planned;
	return lm_generate(&opts, &stats) < 0 || !id[0] ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	lm__remove_tree(root);
	lm_shutdown();
	return 0;
}

/* score.json with one outcome per detector for the mutant `mid`. */
static void write_score(const char *dir, const char *mid, const char *ruff, const char *pylint)
{
	char path[192];
	json_t *stats =
	    json_pack("{s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:f, s:[f, f], s:i, "
	              "s:i, s:n, s:n, s:{s:i, s:i}}",
	              "mutants", 1, "outcomes", "DETECTED", 1, "DETECTED_FUNC", 0, "SUPPRESSED", 0,
	              "NOT_DISCRIMINATED", 0, "MISSED", 0, "TOOL_ERROR", 0, "recall", 1.0,
	              "recall_wilson95", 0.2, 1.0, "controls", 0, "fp", 0, "fpr", "youden_j",
	              "validated_only", "mutants", 0, "detected", 0);
	json_t *doc = json_pack(
	    "{s:s, s:[{s:s, s:s, s:s, s:O, s:{s:O}}, {s:s, s:s, s:s, s:O, s:{s:O}}], "
	    "s:[{s:s, s:s, s:s, s:i}, {s:s, s:s, s:s, s:i}]}",
	    "schema", "leakmut-score/1", "detectors", "name", "ruff", "version", "0.17.4",
	    "command", "ruff", "overall", stats, "per_operator", "drop-with", stats, "name",
	    "pylint", "version", "2.16.2", "command", "pylint", "overall", stats, "per_operator",
	    "drop-with", stats, "mutants", "detector", "ruff", "id", mid, "outcome", ruff, "tier",
	    0, "detector", "pylint", "id", mid, "outcome", pylint, "tier", -1);

	assert_non_null(doc);
	snprintf(path, sizeof(path), "%s/score.json", dir);
	assert_int_equal(json_dump_file(doc, path, 0), 0);
	json_decref(doc);
	json_decref(stats);
}

static json_t *load(const char *name)
{
	char path[192];
	json_t *doc;

	snprintf(path, sizeof(path), "%s/%s", report, name);
	doc = json_load_file(path, 0, NULL);
	assert_non_null(doc);
	return doc;
}

static json_t *only_mutant(json_t *doc)
{
	json_t *file = json_object_get(json_object_get(doc, "files"), "m.py");

	assert_non_null(file);
	assert_int_equal(json_array_size(json_object_get(file, "mutants")), 1);
	return json_array_get(json_object_get(file, "mutants"), 0);
}

static long long at(json_t *m, const char *end, const char *what)
{
	return json_integer_value(
	    json_object_get(json_object_get(json_object_get(m, "location"), end), what));
}

static void report__stryker_location_replacement_and_status(void **state)
{
	json_t *doc, *m;

	(void)state;
	write_score(report, id, "DETECTED", "SUPPRESSED");
	assert_int_equal(lm_report_write(repo, report), 0);

	doc = load("mutation-report.json");
	assert_string_equal(json_string_value(json_object_get(doc, "schemaVersion")), "2");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(json_object_get(doc, "files"), "m.py"), "source")),
	                    module_text);
	m = only_mutant(doc);
	assert_string_equal(json_string_value(json_object_get(m, "id")), id);
	assert_string_equal(json_string_value(json_object_get(m, "mutatorName")), "drop-with");
	/* Base [3:5, 4:5) is `with open(p, "w") as fh:\n    `; the mutant has `fh = ...\n`. */
	assert_int_equal(at(m, "start", "line"), 3);
	assert_int_equal(at(m, "start", "column"), 5);
	assert_int_equal(at(m, "end", "line"), 4);
	assert_int_equal(at(m, "end", "column"), 5);
	assert_string_equal(json_string_value(json_object_get(m, "replacement")),
	                    "fh = open(p, \"w\")\n");
	assert_string_equal(json_string_value(json_object_get(m, "status")), "Killed");
	assert_int_equal(json_array_size(json_object_get(m, "killedBy")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(m, "killedBy"), 0)),
	                    "ruff:SIM115");
	assert_int_equal(json_array_size(json_object_get(m, "coveredBy")), 2);
	json_decref(doc);

	doc = load("mutation-report-pylint.json");
	m = only_mutant(doc);
	assert_string_equal(json_string_value(json_object_get(m, "status")), "Ignored");
	assert_int_equal(json_array_size(json_object_get(m, "killedBy")), 0);
	json_decref(doc);
}

static const char *status_of(const char *ruff, const char *pylint)
{
	static char status[32];
	json_t *doc, *m;

	write_score(report, id, ruff, pylint);
	assert_int_equal(lm_report_write(repo, report), 0);
	doc = load("mutation-report.json");
	m = only_mutant(doc);
	snprintf(status, sizeof(status), "%s", json_string_value(json_object_get(m, "status")));
	json_decref(doc);
	return status;
}

static void report__status_precedence(void **state)
{
	(void)state;
	assert_string_equal(status_of("MISSED", "DETECTED"), "Killed");
	assert_string_equal(status_of("DETECTED_FUNC", "SUPPRESSED"), "Survived");
	assert_string_equal(status_of("NOT_DISCRIMINATED", "TOOL_ERROR"), "Survived");
	assert_string_equal(status_of("SUPPRESSED", "TOOL_ERROR"), "Ignored");
	assert_string_equal(status_of("TOOL_ERROR", "TOOL_ERROR"), "RuntimeError");
}

static void report__html_keeps_script_text_inside_its_element(void **state)
{
	char path[192];
	const char *open_tag = "<script type=\"application/json\" id=\"data\">";
	char *page, *data, *close;
	long size;
	FILE *f;
	json_t *doc;

	(void)state;
	write_score(report, id, "DETECTED", "MISSED");
	assert_int_equal(lm_report_write(repo, report), 0);
	snprintf(path, sizeof(path), "%s/index.html", report);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	page = calloc((size_t)size + 1, 1);
	assert_non_null(page);
	assert_int_equal(fread(page, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	/* No external resource of any kind. */
	assert_null(strstr(page, "src=\"http"));
	assert_null(strstr(page, "href=\"http"));
	assert_null(strstr(page, "<link"));
	data = strstr(page, open_tag);
	assert_non_null(data);
	data += strlen(open_tag);
	close = strstr(data, "</script>");
	assert_non_null(close);
	*close = '\0';
	/* The code's "</script>" stayed inside the JSON, escaped, and it parses back. */
	assert_null(strchr(data, '<'));
	doc = json_loads(data, 0, NULL);
	assert_non_null(doc);
	assert_non_null(strstr(json_string_value(json_object_get(
	                           json_array_get(json_object_get(doc, "mutants"), 0), "diff")),
	                       "fh.write(\"\xc3\xa9</script>\")"));
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_array_get(json_object_get(doc, "mutants"), 0), "outcomes"),
	        "pylint")),
	    "MISSED");
	json_decref(doc);
	assert_non_null(strstr(close + 1, "</html>"));
	/* The repository's path (`<&"` in it) went into the title and header escaped. */
	*close = '<';
	assert_non_null(strstr(page, "<title>leakmut score: /tmp/lm-report&lt;&amp;&quot;-"));
	assert_null(strstr(page, "lm-report<&"));
	free(page);
}

static void report__bad_input_names_the_file(void **state)
{
	char dir[192], path[224];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/other", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(lm_report_write(repo, dir), LM_ENOTFOUND);
	assert_non_null(strstr(lm_error_last(), "other/score.json"));

	snprintf(path, sizeof(path), "%s/score.json", dir);
	write_text(path, "{\"schema\": \"something-else\"}");
	assert_int_equal(lm_report_write(repo, dir), LM_EINVALID);
	assert_non_null(strstr(lm_error_last(), "not a leakmut score"));

	write_text(path, "{\"schema\": ");
	assert_int_equal(lm_report_write(repo, dir), LM_EINVALID);
	assert_non_null(strstr(lm_error_last(), "other/score.json: line 1"));

	write_score(dir, "0123456789ab", "DETECTED", "MISSED");
	assert_int_equal(lm_report_write(repo, dir), LM_EINVALID);
	assert_non_null(strstr(lm_error_last(), "0123456789ab is not in the repository's truth"));

	write_score(dir, id, "DETECTED", "MISSED");
	assert_int_equal(lm_report_write(dir, dir), LM_ENOTFOUND);
	assert_non_null(strstr(lm_error_last(), "not a git repository"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(report__stryker_location_replacement_and_status),
	    cmocka_unit_test(report__status_precedence),
	    cmocka_unit_test(report__html_keeps_script_text_inside_its_element),
	    cmocka_unit_test(report__bad_input_names_the_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
