/*
 * bare-noqa: a class acquires a resource into `self.<attr>` in one method
 * and releases it in another.  The release goes, and the acquisition is
 * silenced with a bare `# noqa: SIM115`: the leak is real, and a detector
 * that honours noqa comments is expected to stay silent.
 */
#include <string.h>

#include "leakmut/leakmut.h"

#define NOQA "  # noqa: SIM115"

static const TSNode null_node;

static TSNode field(TSNode node, const char *name)
{
	if (ts_node_is_null(node))
		return null_node;
	return ts_node_child_by_field_name(node, name, (uint32_t)strlen(name));
}

static bool text_is(const lm_source *src, TSNode node, const char *str, size_t len)
{
	size_t n;
	const char *text = lm_node_text(src, node, &n);

	return !ts_node_is_null(node) && n == len && memcmp(text, str, len) == 0;
}

static bool is_self(const lm_source *src, TSNode node)
{
	return lm_node_is(node, "identifier") && lm_node_text_is(src, node, "self");
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

/* The class nearest above `node`, or a null node. */
static TSNode class_of(TSNode node)
{
	TSNode cur;

	for (cur = ts_node_parent(node); !ts_node_is_null(cur); cur = ts_node_parent(cur))
		if (lm_node_is(cur, "class_definition"))
			return cur;
	return null_node;
}

/* The method of `cls` that holds `node`: the outermost function below `cls`. */
static TSNode method_of(TSNode node, TSNode cls)
{
	TSNode cur, fn = null_node;

	for (cur = ts_node_parent(node); !ts_node_is_null(cur) && !ts_node_eq(cur, cls);
	     cur = ts_node_parent(cur))
		if (lm_node_is(cur, "function_definition"))
			fn = cur;
	return fn;
}

/* The top-level class of the module named as `name` (its last dotted part), or a null node. */
static TSNode find_class(const lm_source *src, TSNode name)
{
	TSNode root = lm_source_root(src);
	uint32_t i, n = ts_node_named_child_count(root);
	size_t len;
	const char *text;

	if (lm_node_is(name, "attribute"))
		name = field(name, "attribute");
	if (!lm_node_is(name, "identifier"))
		return null_node;
	text = lm_node_text(src, name, &len);
	for (i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(root, i);

		if (lm_node_is(c, "decorated_definition"))
			c = field(c, "definition");
		if (lm_node_is(c, "class_definition") && text_is(src, field(c, "name"), text, len))
			return c;
	}
	return null_node;
}

/*
 * Whether class `cls` derives from `base`, directly or through classes
 * of this module; bases are matched by name (`Base` or `mod.Base`).
 */
static bool descends(const lm_source *src, TSNode cls, TSNode base, int depth)
{
	TSNode bases = field(cls, "superclasses");
	uint32_t i, n = ts_node_is_null(bases) ? 0 : ts_node_named_child_count(bases);
	size_t len;
	const char *name = lm_node_text(src, field(base, "name"), &len);

	for (i = 0; i < n; i++) {
		TSNode b = ts_node_named_child(bases, i), up;

		if (text_is(src, lm_node_is(b, "attribute") ? field(b, "attribute") : b, name, len))
			return true;
		up = find_class(src, b);
		if (depth < 8 && !ts_node_is_null(up) && !ts_node_eq(up, cls) &&
		    descends(src, up, base, depth + 1))
			return true;
	}
	return false;
}

static bool name_in(const lm_source *src, TSNode node, const char *const *names, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (lm_node_text_is(src, node, names[i]))
			return true;
	return false;
}

/* The last name of a callee: `closing` in `contextlib.closing`. */
static TSNode callee_name(TSNode fn)
{
	return lm_node_is(fn, "attribute") ? field(fn, "attribute") : fn;
}

/* What one scan of the file found about `self.<attr>`. */
typedef struct scan {
	const lm_source *src;
	const lm_kind *kind;
	TSNode owner;  /* the class */
	TSNode assign; /* the acquisition */
	const char *attr;
	size_t len;
	TSNode last_class;     /* the class of the last use seen, and whether */
	bool last_related;     /* its `self` can be an instance of the owner */
	unsigned acquisitions; /* other acquisitions of the attribute */
	unsigned releases;
	TSNode release;       /* the first release: `self.<attr>.<method>` */
	bool release_outside; /* on another object, or in a subclass */
	bool joined;          /* a pool's join(), which fails on a running pool */
	const char *why;      /* the first use that rules the site out */
} scan;

static void rule_out(scan *s, const char *why)
{
	if (!s->why)
		s->why = why;
}

/* Whether a method name releases (or hands over) a resource of the kind. */
static bool is_release(const scan *s, TSNode name)
{
	static const char *const names[] = {"close", "__exit__", "detach"};

	return name_in(s->src, name, names, sizeof(names) / sizeof(names[0])) ||
	       lm_node_text_is(s->src, name, s->kind->release) ||
	       (!strcmp(s->kind->id, "subprocess") && lm_node_text_is(s->src, name, "communicate"));
}

/*
 * `target` (or a name inside it) is bound to the handle: the handle is
 * ruled out when that name is released or escapes within `scope`.
 */
static void alias(scan *s, TSNode target, TSNode binding, TSNode scope)
{
	const char *why;
	size_t len;
	const char *name;
	uint32_t i, n;

	if (lm_node_is(target, "identifier")) {
		name = lm_node_text(s->src, target, &len);
		if (lm_name_escapes(s->src, scope, binding, name, len, s->kind, &why))
			rule_out(s, "released or kept through an alias");
		return;
	}
	if (lm_node_is(target, "attribute") && is_self(s->src, field(target, "object")) &&
	    text_is(s->src, field(target, "attribute"), s->attr, s->len))
		return; /* the attribute itself, as in `f, self._f = self._f, None` */
	if (lm_node_is(target, "pattern_list") || lm_node_is(target, "tuple_pattern") ||
	    lm_node_is(target, "list_pattern") || lm_node_is(target, "list_splat_pattern") ||
	    lm_node_is(target, "parenthesized_expression") || lm_node_is(target, "tuple") ||
	    lm_node_is(target, "list")) {
		n = ts_node_named_child_count(target);
		for (i = 0; i < n; i++)
			alias(s, ts_node_named_child(target, i), binding, scope);
		return;
	}
	rule_out(s, "stored elsewhere");
}

/* Expressions a value flows through unchanged, or into a container. */
static bool passes_value(TSNode node)
{
	static const char *const types[] = {"parenthesized_expression",
	                                    "tuple",
	                                    "list",
	                                    "set",
	                                    "expression_list",
	                                    "pair",
	                                    "dictionary",
	                                    "conditional_expression",
	                                    "boolean_operator",
	                                    "as_pattern",
	                                    "keyword_argument",
	                                    "list_splat"};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (lm_node_is(node, types[i]))
			return true;
	return false;
}

/* `self.<attr>` used as a value (not as the receiver of a method). */
static void value_use(scan *s, TSNode use)
{
	static const char *const handoffs[] = {"enter_context", "closing",  "callback",
	                                       "push",          "aclosing", "enter_async_context"};
	static const char *const stores[] = {"append", "appendleft", "extend",    "add",
	                                     "insert", "put",        "setdefault"};
	TSNode child = use, up = ts_node_parent(use);

	while (passes_value(up)) {
		child = up;
		up = ts_node_parent(up);
	}
	if (lm_node_is(up, "assignment") || lm_node_is(up, "augmented_assignment")) {
		TSNode left = field(up, "left"), right = field(up, "right");

		if (ts_node_eq(child, right))
			alias(s, left, left, lm_scope_of(up));
		else if (ts_node_eq(child, use) && ts_node_eq(left, use) &&
		         lm_node_is(up, "assignment") && !ts_node_eq(up, s->assign) &&
		         lm_node_is(right, "call") && lm_kind_of_call(s->src, right))
			s->acquisitions++;
	} else if (lm_node_is(up, "for_statement") || lm_node_is(up, "for_in_clause")) {
		TSNode left = field(up, "left");

		if (ts_node_eq(child, field(up, "right")))
			alias(s, left, left,
			      lm_node_is(up, "for_statement") ? lm_scope_of(up)
			                                      : ts_node_parent(up));
	} else if (lm_node_is(up, "with_item")) {
		/* `with conn:` on a sqlite3 connection commits and keeps it open. */
		if (s->kind->with_releases)
			rule_out(s, "used as a context manager");
	} else if (lm_node_is(up, "argument_list")) {
		TSNode name = callee_name(field(ts_node_parent(up), "function"));

		if (name_in(s->src, name, handoffs, sizeof(handoffs) / sizeof(handoffs[0])))
			rule_out(s, "handed to a cleanup manager");
		else if (name_in(s->src, name, stores, sizeof(stores) / sizeof(stores[0])))
			rule_out(s, "stored elsewhere");
	} else if (lm_node_is(up, "return_statement") || lm_node_is(up, "yield") ||
	           lm_node_is(up, "lambda")) {
		rule_out(s, "handle returned or yielded");
	}
}

/*
 * Whether `self` in class `cls` can be an instance of the owner: in the
 * owner, its bases or its subclasses (of this module).
 */
static bool related(scan *s, TSNode cls)
{
	if (ts_node_eq(cls, s->owner))
		return true;
	if (!ts_node_eq(cls, s->last_class)) {
		s->last_class = cls;
		s->last_related =
		    descends(s->src, cls, s->owner, 0) || descends(s->src, s->owner, cls, 0);
	}
	return s->last_related;
}

/* An attribute node `<object>.<attr>`, anywhere in the file. */
static void visit(scan *s, TSNode node)
{
	TSNode object = field(node, "object"), parent = ts_node_parent(node);
	TSNode cls = class_of(node);
	bool self_recv = is_self(s->src, object) && !ts_node_is_null(cls);

	/* `self` of an unrelated class is another object. */
	if (self_recv && !related(s, cls))
		return;
	if (lm_node_is(parent, "attribute") && ts_node_eq(field(parent, "object"), node)) {
		TSNode name = field(parent, "attribute");

		if (self_recv && !strcmp(s->kind->id, "process_pool") &&
		    lm_node_text_is(s->src, name, "join"))
			s->joined = true;
		if (!is_release(s, name))
			return;
		if (s->releases++ == 0) {
			s->release = parent;
			s->release_outside = !self_recv || !ts_node_eq(cls, s->owner);
		}
		return;
	}
	if (self_recv)
		value_use(s, node);
}

static void scan_file(scan *s)
{
	TSTreeCursor cursor = ts_tree_cursor_new(lm_source_root(s->src));

	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cursor);

		if (lm_node_is(node, "attribute") &&
		    text_is(s->src, field(node, "attribute"), s->attr, s->len))
			visit(s, node);
		if (ts_tree_cursor_goto_first_child(&cursor))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cursor))
			if (!ts_tree_cursor_goto_parent(&cursor))
				goto done;
	}
done:
	ts_tree_cursor_delete(&cursor);
}

/* Past "SIM115" in a comment spelled `# noqa: SIM115...`, or 0. */
static size_t sim115_end(const char *c, size_t n)
{
	static const char noqa[] = "noqa";
	size_t i = 1, k;

	while (i < n && c[i] == ' ')
		i++;
	for (k = 0; k < 4; k++, i++)
		if (i >= n || (c[i] | 0x20) != noqa[k])
			return 0;
	if (i >= n || c[i++] != ':')
		return 0;
	while (i < n && c[i] == ' ')
		i++;
	if (n - i < 6 || memcmp(c + i, "SIM115", 6) != 0)
		return 0;
	return i + 6;
}

/* Whether `c` starts with another rule code (`E501`), as a noqa parser reads one. */
static bool starts_code(const char *c, size_t n)
{
	size_t i = 0, letters, digits;

	while (i < n && c[i] >= 'A' && c[i] <= 'Z')
		i++;
	letters = i;
	while (i < n && c[i] >= '0' && c[i] <= '9')
		i++;
	digits = i - letters;
	return letters > 0 && digits > 0 && (i == n || is_blank(c[i]) || c[i] == ',');
}

/*
 * The edit that leaves a bare `# noqa: SIM115` at the end of the
 * acquisition's line: appended, or what follows the code of an existing
 * one removed.  On a shape it does not handle, *why says which.
 */
static int noqa_edit(lm_edits *edits, const lm_source *src, TSNode stmt, const char **why)
{
	const char *text = lm_source_text(src);
	size_t end = ts_node_end_byte(stmt), le = lm_line_end(src, end), p = end, code_end = end;
	size_t k, q;

	while (p < le && is_blank(text[p]))
		p++;
	if (p < le && text[p] == ';') {
		code_end = ++p;
		while (p < le && is_blank(text[p]))
			p++;
	}
	if (p == le)
		return lm_edits_adds(edits, code_end, code_end, NOQA);
	if (text[p] != '#') {
		*why = "statement shares its line";
		return 0;
	}
	if ((k = sim115_end(text + p, le - p)) == 0 ||
	    (p + k < le && !is_blank(text[p + k]) && text[p + k] != ',')) {
		*why = "line already has a comment";
		return 0;
	}
	for (q = p + k; q < le && (is_blank(text[q]) || text[q] == ','); q++)
		;
	if (q == le)
		return 0; /* already bare */
	if (starts_code(text + q, le - q)) {
		*why = "line already has a comment";
		return 0;
	}
	return lm_edits_add(edits, p + k, le, "", 0); /* drop the reason */
}

/* The length of the line ending at `at`: 2 for CRLF, 0 at the end of the text. */
static size_t eol_len(const lm_source *src, size_t at)
{
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src);

	if (at >= len)
		return 0;
	if (text[at] == '\r' && at + 1 < len && text[at + 1] == '\n')
		return 2;
	return 1;
}

/*
 * The edit that removes the release statement: its whole lines, or only
 * itself when it shares a line with other statements, or `pass` in its
 * place when it is alone in its block.
 */
static int remove_release(lm_edits *edits, const lm_source *src, TSNode stmt, const char **why)
{
	const char *text = lm_source_text(src);
	TSNode block = ts_node_parent(stmt), prev = null_node, next = null_node;
	size_t start = ts_node_start_byte(stmt), end = ts_node_end_byte(stmt), ls, le, p;
	uint32_t i, n = ts_node_named_child_count(block);
	bool seen = false;

	for (i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(block, i);

		if (lm_node_is(c, "comment"))
			continue;
		if (ts_node_eq(c, stmt))
			seen = true;
		else if (!seen)
			prev = c;
		else if (ts_node_is_null(next))
			next = c;
	}
	if (ts_node_is_null(prev) && ts_node_is_null(next))
		return lm_edits_adds(edits, start, end, "pass");
	if (!ts_node_is_null(next) && ts_node_start_point(next).row == ts_node_end_point(stmt).row)
		return lm_edits_add(edits, start, ts_node_start_byte(next), "", 0);
	if (!ts_node_is_null(prev) && ts_node_end_point(prev).row == ts_node_start_point(stmt).row)
		return lm_edits_add(edits, ts_node_end_byte(prev), end, "", 0);
	ls = lm_line_start(src, start);
	le = lm_line_end(src, end);
	for (p = end; p < le && is_blank(text[p]); p++)
		;
	if (p < le && text[p] == ';')
		for (p++; p < le && is_blank(text[p]); p++)
			;
	if (ls + lm_indent_len(src, ls) != start || (p < le && text[p] != '#')) {
		*why = "release shares its line";
		return 0;
	}
	return lm_edits_add(edits, ls, le + eol_len(src, le), "", 0);
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	TSNode stmt = lm_rewrite_node(rw, m, "stmt"), assign = lm_rewrite_node(rw, m, "assign");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), attr = lm_rewrite_node(rw, m, "attr");
	TSNode cls, method, call, release_stmt;
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind = lm_kind_of_call(src, acquire);
	const char *why = NULL;
	scan s;
	uint32_t i, n, stmts = 0;
	int error;

	/* A lock is released by release(), not by losing its attribute. */
	if (!kind || !strcmp(kind->id, "lock"))
		return 0;
	cls = class_of(stmt);
	method = method_of(stmt, cls);
	if (ts_node_is_null(cls) || ts_node_is_null(method))
		return 0; /* not an attribute an object owns */
	if (lm_writer_needs_close(src, acquire, kind))
		return lm_rewrite_skip(rw, acquire, kind, "a writer that loses data unless closed");
	if (!ts_node_eq(lm_scope_of(stmt), method))
		return lm_rewrite_skip(rw, acquire, kind, "acquired in a nested function");

	memset(&s, 0, sizeof(s));
	s.src = src;
	s.kind = kind;
	s.owner = cls;
	s.assign = assign;
	s.attr = lm_node_text(src, attr, &s.len);
	scan_file(&s);
	if (s.acquisitions > 0)
		return lm_rewrite_skip(rw, acquire, kind, "acquired in several places");
	if (s.why)
		return lm_rewrite_skip(rw, acquire, kind, s.why);
	if (s.releases == 0)
		return lm_rewrite_skip(rw, acquire, kind, "never released by the class");
	if (s.releases > 1)
		return lm_rewrite_skip(rw, acquire, kind, "released elsewhere too");
	if (s.release_outside)
		return lm_rewrite_skip(rw, acquire, kind, "released outside the class");
	if (!lm_node_text_is(src, field(s.release, "attribute"), kind->release))
		return lm_rewrite_skip(rw, acquire, kind,
		                       "released by another method than the kind's release");
	call = ts_node_parent(s.release);
	if (!lm_node_is(call, "call") || !ts_node_eq(field(call, "function"), s.release))
		return lm_rewrite_skip(rw, acquire, kind, "release passed as a callback");
	release_stmt = ts_node_parent(call);
	n = ts_node_named_child_count(release_stmt);
	for (i = 0; i < n; i++)
		stmts += !lm_node_is(ts_node_named_child(release_stmt, i), "comment");
	if (!lm_node_is(release_stmt, "expression_statement") || stmts != 1)
		return lm_rewrite_skip(rw, acquire, kind, "release is part of an expression");
	if (ts_node_eq(method_of(release_stmt, cls), method))
		return lm_rewrite_skip(rw, acquire, kind, "released in the acquiring method");
	if (s.joined)
		return lm_rewrite_skip(rw, acquire, kind, "pool joined after its release");
	if (ts_node_start_point(stmt).row != ts_node_end_point(stmt).row)
		return lm_rewrite_skip(rw, acquire, kind, "acquisition spans lines");

	if ((error = noqa_edit(edits, src, stmt, &why)) < 0 ||
	    (!why && (error = remove_release(edits, src, release_stmt, &why)) < 0))
		return error;
	if (why)
		return lm_rewrite_skip(rw, acquire, kind, why);
	return lm_rewrite_emit(rw, acquire, assign, kind);
}

const lm_operator lm_op_bare_noqa = {
    .id = "bare-noqa",
    .version = 1,
    .family = LM_FAMILY_LEAK,
    .scope = LM_SCOPE_SUPPRESSED,
    .cwe = 775,
    .summary = "drop an owning class's release of an attribute, silence the acquisition with a "
               "bare noqa",
    .description =
        "A class acquires a resource into an attribute of self (`self._f = open(p)`: a kind's "
        "call as the whole right-hand side of a one-line plain assignment in a method) and "
        "releases it in another method with the kind's release (`self._f.close()`, "
        "`self._proc.wait()`). The release statement goes (its whole lines; only itself when "
        "it shares a line with other statements; `pass` in its place when it was alone in "
        "its block), and the acquisition's line gets `  # noqa: SIM115` with no reason; a "
        "justified `# noqa: SIM115  # reason` loses its reason instead. Each (acquisition, "
        "release) pair of an attribute is one site. Bases and subclasses in the same module "
        "count as the class. Skipped: an attribute released in more than one place "
        "(directly, through an alias or on another object), released outside the class or "
        "in the acquiring method, by another call than the kind's release, as a callback or "
        "inside an expression; acquired in several places; used in a `with` that releases "
        "it (a sqlite3 connection's `with` is only a transaction), handed to an ExitStack or "
        "closing, stored elsewhere or returned; an acquisition spanning lines, sharing its "
        "line with another statement, or whose line has another comment. Not a site: an "
        "attribute the class never releases (it leaks already), locks, local names.",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,subprocess,urlopen,process_pool,sqlite3",
    /* ruff and flake8-simplify honour noqa; pylint's R1732 does not. */
    .suppression = "# noqa: SIM115",
    .silences = "ruff:SIM115,flake8:SIM115",
    .before = "class Log:\n"
              "    def __init__(self, path):\n"
              "        self._f = open(path, \"a\")\n"
              "\n"
              "    def close(self):\n"
              "        self._f.flush()\n"
              "        self._f.close()\n",
    .after = "class Log:\n"
             "    def __init__(self, path):\n"
             "        self._f = open(path, \"a\")  # noqa: SIM115\n"
             "\n"
             "    def close(self):\n"
             "        self._f.flush()\n",
    .query = "((expression_statement\n"
             "   . (assignment\n"
             "       left: (attribute object: (identifier) @self attribute: (identifier) @attr)\n"
             "       right: (call) @acquire) @assign .) @stmt\n"
             " (#eq? @self \"self\"))\n",
    .rewrite = rewrite,
};
