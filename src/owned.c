#include "leakmut/leakmut.h"

#include <string.h>

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
	TSNode c, found = null_node;
	lm_kids kids;
	size_t len;
	const char *text;

	if (lm_node_is(name, "attribute"))
		name = field(name, "attribute");
	if (!lm_node_is(name, "identifier"))
		return null_node;
	text = lm_node_text(src, name, &len);
	for (lm_kids_start(&kids, lm_source_root(src), true);
	     ts_node_is_null(found) && lm_kids_next(&kids, &c);) {
		if (lm_node_is(c, "decorated_definition"))
			c = field(c, "definition");
		if (lm_node_is(c, "class_definition") && text_is(src, field(c, "name"), text, len))
			found = c;
	}
	lm_kids_end(&kids);
	return found;
}

/*
 * Whether class `cls` derives from `base`, directly or through classes
 * of this module; bases are matched by name (`Base` or `mod.Base`).
 */
static bool descends(const lm_source *src, TSNode cls, TSNode base, int depth)
{
	TSNode bases = field(cls, "superclasses"), b, up;
	size_t len;
	const char *name = lm_node_text(src, field(base, "name"), &len);
	bool found = false;
	lm_kids kids;

	if (ts_node_is_null(bases))
		return false;
	for (lm_kids_start(&kids, bases, true); !found && lm_kids_next(&kids, &b);) {
		if (text_is(src, lm_node_is(b, "attribute") ? field(b, "attribute") : b, name,
		            len)) {
			found = true;
			break;
		}
		up = find_class(src, b);
		found = depth < 8 && !ts_node_is_null(up) && !ts_node_eq(up, cls) &&
		        descends(src, up, base, depth + 1);
	}
	lm_kids_end(&kids);
	return found;
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
	lm_kids kids;
	TSNode part;

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
		for (lm_kids_start(&kids, target, true); lm_kids_next(&kids, &part);)
			alias(s, part, binding, scope);
		lm_kids_end(&kids);
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

int lm_owned_release(lm_owned *out, const lm_source *src, const lm_kind *kind, TSNode stmt,
                     TSNode assign, TSNode attr, const char **why)
{
	TSNode call;
	scan s;
	uint32_t i, n, stmts = 0;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	out->owner = class_of(stmt);
	out->method = method_of(stmt, out->owner);
	if (ts_node_is_null(out->owner) || ts_node_is_null(out->method))
		return -1; /* not an attribute an object owns */
	if (!ts_node_eq(lm_scope_of(stmt), out->method))
		return (*why = "acquired in a nested function"), 0;

	memset(&s, 0, sizeof(s));
	s.src = src;
	s.kind = kind;
	s.owner = out->owner;
	s.assign = assign;
	s.attr = lm_node_text(src, attr, &s.len);
	scan_file(&s);
	if (s.acquisitions > 0)
		return (*why = "acquired in several places"), 0;
	if (s.why)
		return (*why = s.why), 0;
	if (s.releases == 0)
		return (*why = "never released by the class"), 0;
	if (s.releases > 1)
		return (*why = "released elsewhere too"), 0;
	if (s.release_outside)
		return (*why = "released outside the class"), 0;
	if (!lm_node_text_is(src, field(s.release, "attribute"), kind->release))
		return (*why = "released by another method than the kind's release"), 0;
	call = ts_node_parent(s.release);
	if (!lm_node_is(call, "call") || !ts_node_eq(field(call, "function"), s.release))
		return (*why = "release passed as a callback"), 0;
	out->release_stmt = ts_node_parent(call);
	n = ts_node_named_child_count(out->release_stmt);
	for (i = 0; i < n; i++)
		stmts += !ts_node_is_extra(ts_node_named_child(out->release_stmt, i));
	if (!lm_node_is(out->release_stmt, "expression_statement") || stmts != 1)
		return (*why = "release is part of an expression"), 0;
	out->release_method = method_of(out->release_stmt, out->owner);
	if (ts_node_is_null(out->release_method))
		return (*why = "released outside a method"), 0;
	if (ts_node_eq(out->release_method, out->method))
		return (*why = "released in the acquiring method"), 0;
	if (s.joined)
		return (*why = "pool joined after its release"), 0;
	if (ts_node_start_point(stmt).row != ts_node_end_point(stmt).row)
		return (*why = "acquisition spans lines"), 0;
	return 1;
}

/* ---- noqa comments --------------------------------------------------------- */

size_t lm_noqa_sim115_end(const char *c, size_t n)
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

bool lm_noqa_starts_code(const char *c, size_t n)
{
	size_t i = 0, letters, digits;

	while (i < n && c[i] >= 'A' && c[i] <= 'Z')
		i++;
	letters = i;
	while (i < n && c[i] >= '0' && c[i] <= '9')
		i++;
	digits = i - letters;
	return letters > 0 && digits > 0 &&
	       (i == n || c[i] == ' ' || c[i] == '\t' || c[i] == '\f' || c[i] == ',');
}
