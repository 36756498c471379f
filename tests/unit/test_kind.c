#include <string.h>

#include "helpers.h"

/* The first call, in pre-order, under `node`; a null node when none. */
static TSNode first_call(TSNode node)
{
	uint32_t i;

	if (lm_node_is(node, "call"))
		return node;
	for (i = 0; i < ts_node_named_child_count(node); i++) {
		TSNode found = first_call(ts_node_named_child(node, i));

		if (!ts_node_is_null(found))
			return found;
	}
	return (TSNode){{0}, NULL, NULL};
}

/* The kind api of the outermost call of the last statement ("-" for none). */
static const char *api_of(const char *text)
{
	static char api[64];
	lm_source *src = parse_text(parser, text);
	TSNode root = lm_source_root(src);
	TSNode call = first_call(ts_node_named_child(root, ts_node_named_child_count(root) - 1));
	const lm_kind *kind;

	assert_false(ts_node_is_null(call));
	kind = lm_kind_of_call(src, call);
	strcpy(api, kind ? kind->api : "-");
	lm_source_free(src);
	return api;
}

static void kind__builtin_and_module_calls(void **state)
{
	(void)state;
	assert_string_equal(api_of("open(p)\n"), "open");
	assert_string_equal(api_of("import io\nio.open(p)\n"), "io.open");
	assert_string_equal(api_of("import tarfile\ntarfile.open(p)\n"), "tarfile.open");
	assert_string_equal(api_of("import sqlite3\nsqlite3.connect(p)\n"), "sqlite3.connect");
}

static void kind__aliases_resolve_through_imports(void **state)
{
	(void)state;
	assert_string_equal(api_of("import gzip as gz\ngz.open(p)\n"), "gzip.open");
	assert_string_equal(api_of("from socket import socket as Sock\nSock()\n"), "socket.socket");
	assert_string_equal(api_of("from subprocess import Popen\nPopen(c)\n"), "subprocess.Popen");
	assert_string_equal(api_of("import urllib.request\nurllib.request.urlopen(u)\n"),
	                    "urllib.request.urlopen");
	/* Not imported: an unknown module of the same name is not the kind. */
	assert_string_equal(api_of("gzip.open(p)\n"), "-");
	/* Imported under another meaning: open is no longer the builtin. */
	assert_string_equal(api_of("from webbrowser import open\nopen(u)\n"), "-");
	assert_string_equal(api_of("from io import open\nopen(p)\n"), "io.open");
}

static void kind__path_open_needs_a_path(void **state)
{
	(void)state;
	assert_string_equal(api_of("from pathlib import Path\nPath(p).open()\n"), ".open");
	assert_string_equal(api_of("import pathlib\n(pathlib.Path(d) / 'x').open()\n"), ".open");
	assert_string_equal(api_of("def f(cache: Path):\n    cache.open()\n"), ".open");
	assert_string_equal(api_of("file_path.open('rb')\n"), ".open");
	assert_string_equal(api_of("self.cache_path.with_suffix('.tmp').open('w')\n"), ".open");
	assert_string_equal(api_of("archive.open('member')\n"), "-");
	assert_string_equal(api_of("def f(cache: str):\n    cache.open()\n"), "-");
}

/* Whether the outermost call of the last statement is a writer that needs close. */
static bool writer(const char *text)
{
	lm_source *src = parse_text(parser, text);
	TSNode root = lm_source_root(src);
	TSNode call = first_call(ts_node_named_child(root, ts_node_named_child_count(root) - 1));
	bool yes = lm_writer_needs_close(src, call, lm_kind_of_call(src, call));

	lm_source_free(src);
	return yes;
}

static void kind__archive_writers_need_close(void **state)
{
	(void)state;
	assert_true(writer("import gzip\ngzip.open(p, 'wb')\n"));
	assert_true(writer("import lzma\nlzma.open(p, mode='xt')\n"));
	assert_true(writer("import tarfile\ntarfile.open(p, 'w:gz')\n"));
	assert_true(writer("import zipfile\nzipfile.ZipFile(p, 'a')\n"));
	assert_true(writer("import bz2\nbz2.open(p, mode)\n")); /* not a literal: may write */
	assert_true(writer("import gzip\ngzip.open(*args)\n"));
	assert_false(writer("import gzip\ngzip.open(p)\n"));
	assert_false(writer("import gzip\ngzip.open(p, 'rt')\n"));
	assert_false(writer("import zipfile\nzipfile.ZipFile(p)\n"));
	/* Plain files flush when collected: not concerned. */
	assert_false(writer("open(p, 'w')\n"));
}

static void kind__table_is_declared_once(void **state)
{
	size_t i, j;

	(void)state;
	assert_true(lm_kind_count() > 15);
	for (i = 0; i < lm_kind_count(); i++) {
		const lm_kind *k = lm_kind_at(i);

		assert_true(k->cwe == 772 || k->cwe == 775);
		assert_true(strlen(k->release) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(lm_kind_at(j)->api, k->api);
		if (!strcmp(k->api, "sqlite3.connect"))
			assert_false(k->with_releases);
	}
	assert_null(lm_kind_at(lm_kind_count()));
}

static void qualname__nests_classes_and_functions(void **state)
{
	lm_source *src = parse_text(parser, "class A:\n    def f(self):\n        def g():\n"
	                                    "            open(p)\nopen(q)\n");
	TSNode root = lm_source_root(src);
	lm_buf out = LM_BUF_INIT;

	(void)state;
	assert_int_equal(lm_qualname(&out, src, first_call(ts_node_named_child(root, 0))), 0);
	assert_string_equal(out.ptr, "A.f.g");
	lm_buf_clear(&out);
	assert_int_equal(lm_qualname(&out, src, first_call(ts_node_named_child(root, 1))), 0);
	assert_string_equal(out.ptr, "<module>");
	lm_buf_dispose(&out);
	lm_source_free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kind__builtin_and_module_calls),
	    cmocka_unit_test(kind__aliases_resolve_through_imports),
	    cmocka_unit_test(kind__path_open_needs_a_path),
	    cmocka_unit_test(kind__archive_writers_need_close),
	    cmocka_unit_test(kind__table_is_declared_once),
	    cmocka_unit_test(qualname__nests_classes_and_functions),
	};
	return cmocka_run_group_tests_name("kind", tests, parser_setup, parser_teardown);
}
