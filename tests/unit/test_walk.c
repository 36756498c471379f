#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static char root[64];

static void touch(const char *rel)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
}

static void mkdir_rel(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static int setup(void **state)
{
	char path[256];

	(void)state;
	strcpy(root, "/tmp/lm-walk-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	mkdir_rel("pkg");
	mkdir_rel("pkg/sub");
	mkdir_rel(".git");
	mkdir_rel("__pycache__");
	mkdir_rel("venv");
	mkdir_rel("dir.py");
	touch("venv/pyvenv.cfg");
	touch("venv/inside.py");
	touch(".git/hook.py");
	touch("__pycache__/x.py");
	touch(".hidden.py");
	touch("b.py");
	touch("a.py");
	touch("B.py");
	touch("notes.txt");
	touch("pkg/z.py");
	touch("pkg/sub/y.py");
	touch("dir.py/inner.py");
	snprintf(path, sizeof(path), "%s/link.py", root);
	assert_int_equal(symlink("a.py", path), 0);
	snprintf(path, sizeof(path), "%s/loop", root);
	assert_int_equal(symlink(".", path), 0);
	snprintf(path, sizeof(path), "%s/outside", root);
	assert_int_equal(symlink("/usr/lib", path), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static int collect(const char *path, const char *rel, void *payload)
{
	lm_buf *out = payload;

	assert_non_null(strstr(path, rel));
	lm_buf_puts(out, rel);
	lm_buf_puts(out, " ");
	return 0;
}

static void walk__sorted_skipping_hidden_venvs_and_links(void **state)
{
	lm_buf out = LM_BUF_INIT;

	(void)state;
	assert_int_equal(lm_walk(root, collect, NULL, &out), 0);
	assert_string_equal(out.ptr, "B.py a.py b.py dir.py/inner.py pkg/sub/y.py pkg/z.py ");
	lm_buf_dispose(&out);
}

static void walk__file_root_is_visited(void **state)
{
	lm_buf out = LM_BUF_INIT;
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/pkg/z.py", root);
	assert_int_equal(lm_walk(path, collect, NULL, &out), 0);
	assert_string_equal(out.ptr, "z.py ");
	lm_buf_dispose(&out);
}

static void walk__missing_root_is_an_error(void **state)
{
	lm_buf out = LM_BUF_INIT;

	(void)state;
	assert_int_equal(lm_walk("/nonexistent/tree", collect, NULL, &out), LM_ENOTFOUND);
	assert_non_null(strstr(lm_error_last(), "/nonexistent/tree"));
	lm_buf_dispose(&out);
}

static int stop_at_second(const char *path, const char *rel, void *payload)
{
	int *n = payload;

	(void)path;
	(void)rel;
	return ++*n == 2 ? 5 : 0;
}

static void walk__callback_stops_the_walk(void **state)
{
	int n = 0;

	(void)state;
	assert_int_equal(lm_walk(root, stop_at_second, NULL, &n), 5);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(walk__sorted_skipping_hidden_venvs_and_links),
	    cmocka_unit_test(walk__file_root_is_visited),
	    cmocka_unit_test(walk__missing_root_is_an_error),
	    cmocka_unit_test(walk__callback_stops_the_walk),
	};
	return cmocka_run_group_tests_name("walk", tests, setup, teardown);
}
