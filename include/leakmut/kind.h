/*
 * leakmut: resource kinds, declared once (src/kinds.def), and how a call is
 * recognised as acquiring one.
 */
#ifndef LEAKMUT_KIND_H
#define LEAKMUT_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "source.h"

typedef struct lm_kind {
	const char *id;      /* "file", "socket", ... */
	const char *api;     /* the dotted name it is recognised by */
	const char *release; /* the method that releases it: "close", ... */
	bool with_releases;  /* whether leaving its `with` releases it */
	bool warns;          /* whether CPython warns (ResourceWarning) when it is
	                        collected unreleased */
	unsigned cwe;        /* 775 for handles and descriptors, 772 otherwise */
} lm_kind;

/* The number of declared (api, kind) entries, and the i-th (borrowed, static). */
size_t lm_kind_count(void);
const lm_kind *lm_kind_at(size_t i);

/*
 * The kind a `call` node acquires, or NULL.  The callee is resolved through
 * the module's imports (`import gzip as gz`, `from subprocess import
 * Popen`); a bare `open` is the builtin unless it was imported.  `X.open()`
 * is pathlib's Path.open when X is a Path: constructed (`Path(...)`,
 * `pathlib.Path(...)`, `X / "name"`, `X.with_suffix(...)` and friends on a
 * Path), annotated (a parameter of the enclosing function declared `Path`),
 * or by name (an identifier or attribute named path, file_path, ...,
 * matching `(^|_)path$`).
 */
const lm_kind *lm_kind_of_call(const lm_source *src, TSNode call);

/*
 * Whether `call` opens a compressed file or an archive (gzip, bz2, lzma,
 * zipfile, tarfile) for writing, or with a mode that is not a literal: such
 * a writer writes its trailer on close, so leaving it unclosed also loses
 * data, and a mutant would change more than the leak.
 */
bool lm_writer_needs_close(const lm_source *src, TSNode call, const lm_kind *kind);

/*
 * The kind of the value an expression holds: a call as lm_kind_of_call();
 * a name (`lock`) or an attribute of self (`self._lock`) through the
 * assignment that binds it to such a call, in the enclosing functions and
 * the module, or in the enclosing class (`self._lock = threading.Lock()` in
 * any method).  NULL when unknown.
 */
const lm_kind *lm_kind_of_value(const lm_source *src, TSNode expr);

/*
 * The qualified name of the function or class enclosing `node`, such as
 * "Store.load" or "<module>", appended to `out`.
 */
int lm_qualname(lm_buf *out, const lm_source *src, TSNode node);

/* The innermost function_definition enclosing `node`, or the module. */
TSNode lm_scope_of(TSNode node);

/*
 * Whether the handle named `name` escapes or is released anywhere in
 * `scope` outside `skip` (the binding itself): closed (`name.close()`,
 * `name.<release>()`, `name.__exit__`), handed to ExitStack.enter_context,
 * contextlib.closing, callback or push, returned or yielded, stored
 * (`self.x = name`, `y = name`), put in a container, captured by a nested
 * function or lambda, or declared global or nonlocal.  On true, `*why` is
 * a short static reason.
 */
bool lm_name_escapes(const lm_source *src, TSNode scope, TSNode skip, const char *name,
                     size_t name_len, const lm_kind *kind, const char **why);

#endif
