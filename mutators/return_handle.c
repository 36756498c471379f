/*
 * return-handle: a function whose with-block reads the handle and returns
 * what it read returns the open handle instead, and every call of it in the
 * input tree (its module, and modules importing it) is rewritten to do the
 * reading itself, so nothing ever closes the handle:
 *
 *   def load(p):                       def load(p):
 *       with open(p, "rb") as f:   ->      return open(p, "rb")
 *           return f.read()
 *   x = load(p)                        x = load(p).read()
 */
#include <string.h>

#include "leakmut/leakmut.h"

static const TSNode null_node = {{0}, NULL, NULL};

/* What a producer's function returns, once its with is gone. */
typedef struct producer {
	TSNode def;     /* function_definition */
	TSNode with;    /* with_statement */
	TSNode acquire; /* the call in the with item */
	TSNode handle;  /* the `as` name */
	TSNode expr;    /* the expression read from the handle */
	TSNode last;    /* the last statement removed (the with or the return after it) */
	TSNode use;     /* the handle's one identifier in expr */
} producer;

static TSNode last_named(TSNode node)
{
	uint32_t n = ts_node_named_child_count(node);

	return n ? ts_node_named_child(node, n - 1) : null_node;
}

/* The statements of a block, comments left out. */
static uint32_t statements(TSNode block, TSNode *out, uint32_t max)
{
	lm_kids kids;
	TSNode s;
	uint32_t k = 0;

	for (lm_kids_start(&kids, block, true); lm_kids_next(&kids, &s);) {
		if (ts_node_is_extra(s))
			continue;
		if (k < max)
			out[k] = s;
		k++;
	}
	lm_kids_end(&kids);
	return k;
}

/* `return NAME` and `NAME = EXPR` (one plain target), as nodes. */
static TSNode returned(TSNode stmt)
{
	if (!lm_node_is(stmt, "return_statement") || ts_node_named_child_count(stmt) != 1)
		return null_node;
	return ts_node_named_child(stmt, 0);
}

static bool assigned(TSNode stmt, TSNode *target, TSNode *value)
{
	TSNode a;

	if (!lm_node_is(stmt, "expression_statement") || ts_node_named_child_count(stmt) != 1)
		return false;
	a = ts_node_named_child(stmt, 0);
	if (!lm_node_is(a, "assignment"))
		return false;
	*target = ts_node_child_by_field_name(a, "left", 4);
	*value = ts_node_child_by_field_name(a, "right", 5);
	return lm_node_is(*target, "identifier") && !ts_node_is_null(*value) &&
	       ts_node_is_null(ts_node_child_by_field_name(a, "type", 4));
}

static bool same_text(const lm_source *src, TSNode a, TSNode b)
{
	size_t la, lb;
	const char *ta = lm_node_text(src, a, &la), *tb = lm_node_text(src, b, &lb);

	return la == lb && memcmp(ta, tb, la) == 0;
}

/* The identifiers named like `name` under `node`, counted; the last kept. */
static unsigned count_uses(const lm_source *src, TSNode node, TSNode name, TSNode *use)
{
	lm_kids kids;
	TSNode child;
	unsigned k = 0;

	if (lm_node_is(node, "identifier")) {
		if (same_text(src, node, name)) {
			*use = node;
			return 1;
		}
		return 0;
	}
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);) {
		/* `x.f` and `g(f=1)` name something else. */
		if ((lm_node_is(node, "attribute") && lm_node_field_is(node, "attribute", child)) ||
		    (lm_node_is(node, "keyword_argument") && lm_node_field_is(node, "name", child)))
			continue;
		k += count_uses(src, child, name, use);
	}
	lm_kids_end(&kids);
	return k;
}

/* Whether `node` yields, nested functions, classes and lambdas left out. */
static bool yields(TSNode node)
{
	lm_kids kids;
	TSNode child;
	bool found = false;

	if (lm_node_is(node, "yield"))
		return true;
	if (lm_is_nested_scope(node))
		return false;
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);) {
		if (yields(child)) {
			found = true;
			break;
		}
	}
	lm_kids_end(&kids);
	return found;
}

/*
 * The shapes, in a function whose last statement is the with (or the with
 * and a return after it):
 *   with R as f: return EXPR
 *   with R as f: v = EXPR; return v
 *   with R as f: v = EXPR        (then)  return v
 */
static bool producer_shape(const lm_source *src, TSNode def, producer *p)
{
	TSNode body = ts_node_child_by_field_name(def, "body", 4), last, with, block, st[3];
	TSNode item, value, alias, target, v;
	uint32_t n;

	memset(p, 0, sizeof(*p));
	if (!lm_node_is(body, "block") || !ts_node_is_null(lm_node_token(def, "async")))
		return false;
	last = last_named(body);
	while (!ts_node_is_null(last) && ts_node_is_extra(last) &&
	       !ts_node_is_null(ts_node_prev_named_sibling(last)))
		last = ts_node_prev_named_sibling(last);
	with = last;
	p->last = last;
	if (lm_node_is(last, "return_statement"))
		with = ts_node_prev_named_sibling(last);
	if (!lm_node_is(with, "with_statement") ||
	    lm_with_item_count(ts_node_named_child(with, 0)) != 1 ||
	    !ts_node_is_null(lm_node_token(with, "async")))
		return false;
	item = ts_node_named_child(ts_node_named_child(with, 0), 0);
	value = ts_node_child_by_field_name(item, "value", 5);
	if (lm_node_is(value, "parenthesized_expression"))
		value = ts_node_named_child(value, 0);
	if (!lm_node_is(value, "as_pattern"))
		return false;
	p->acquire = ts_node_named_child(value, 0);
	alias = ts_node_child_by_field_name(value, "alias", 5);
	if (!lm_node_is(p->acquire, "call") || ts_node_named_child_count(alias) != 1 ||
	    !lm_node_is(ts_node_named_child(alias, 0), "identifier"))
		return false;
	p->handle = ts_node_named_child(alias, 0);
	block = ts_node_child_by_field_name(with, "body", 4);
	n = statements(block, st, 3);
	if (lm_node_is(last, "return_statement")) {
		/* with R as f: v = EXPR  /  return v */
		if (n != 1 || !assigned(st[0], &target, &p->expr) ||
		    !lm_node_is(v = returned(last), "identifier") || !same_text(src, v, target))
			return false;
	} else if (n == 1) {
		p->expr = returned(st[0]);
	} else if (n == 2) {
		if (!assigned(st[0], &target, &p->expr) ||
		    !lm_node_is(v = returned(st[1]), "identifier") || !same_text(src, v, target))
			return false;
	} else {
		return false;
	}
	if (ts_node_is_null(p->expr) || lm_node_is(p->expr, "identifier") ||
	    count_uses(src, p->expr, p->handle, &p->use) != 1)
		return false;
	/* A generator's caller gets a generator, not the handle. */
	if (yields(body))
		return false;
	p->def = def;
	p->with = with;
	return true;
}

/* The top-level function definitions, decorated or not. */
static TSNode top_def(const lm_source *src, TSNode child, const char *name)
{
	TSNode def = child, id;

	if (lm_node_is(def, "decorated_definition"))
		def = ts_node_child_by_field_name(def, "definition", 10);
	if (!lm_node_is(def, "function_definition"))
		return null_node;
	id = ts_node_child_by_field_name(def, "name", 4);
	if (name && !lm_node_text_is(src, id, name))
		return null_node;
	return def;
}

static int candidates(lm_candidates *out, const lm_source *src)
{
	TSNode root = lm_source_root(src);
	lm_kids kids;
	TSNode child;
	producer p;
	int error = 0;

	for (lm_kids_start(&kids, root, true); lm_kids_next(&kids, &child);) {
		TSNode def = top_def(src, child, NULL);

		if (!ts_node_is_null(def) && producer_shape(src, def, &p) &&
		    (error = lm_candidate_add(out, ts_node_child_by_field_name(def, "name", 4))) <
		        0)
			break;
	}
	lm_kids_end(&kids);
	return error < 0 ? error : 0;
}

/* ---- the expression consumers now evaluate ------------------------------------- */

static const char *const builtins[] = {"bytes", "bytearray", "dict",   "frozenset", "len",
                                       "list",  "set",       "sorted", "str",       "tuple"};

static bool builtin(const lm_source *src, TSNode id)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (lm_node_text_is(src, id, builtins[i]))
			return lm_source_resolve(src, builtins[i], strlen(builtins[i])) == NULL;
	return false;
}

/*
 * Whether EXPR means the same in the consumer's module `dst`: every name in
 * it but the handle is an attribute, a keyword, a builtin, or an import
 * that `dst` binds to the same thing.
 */
static bool portable(const lm_source *src, TSNode node, const producer *p, const lm_source *dst)
{
	lm_kids kids;
	TSNode child;
	bool ok = true;

	if (lm_node_is(node, "identifier")) {
		TSNode parent = ts_node_parent(node);
		size_t len;
		const char *text = lm_node_text(src, node, &len), *here, *there;

		if (ts_node_eq(node, p->use) ||
		    (lm_node_is(parent, "attribute") &&
		     lm_node_field_is(parent, "attribute", node)) ||
		    (lm_node_is(parent, "keyword_argument") &&
		     lm_node_field_is(parent, "name", node)))
			return true;
		if (builtin(src, node))
			return dst == src || lm_source_resolve(dst, text, len) == NULL;
		here = lm_source_resolve(src, text, len);
		there = lm_source_resolve(dst, text, len);
		return here && there && !strcmp(here, there);
	}
	if (lm_node_is(node, "lambda") || lm_node_is(node, "generator_expression") ||
	    lm_node_is(node, "list_comprehension") || lm_node_is(node, "set_comprehension") ||
	    lm_node_is(node, "dictionary_comprehension") || lm_node_is(node, "named_expression") ||
	    lm_node_is(node, "await"))
		return false;
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);) {
		if (!portable(src, child, p, dst)) {
			ok = false;
			break;
		}
	}
	lm_kids_end(&kids);
	return ok;
}

/* ---- consumers ------------------------------------------------------------------- */

typedef struct consumer {
	size_t file;
	TSNode call;
} consumer;

#define MAX_CONSUMERS 64

typedef struct finder {
	lm_tree_rewrite *rw;
	const producer *p;
	consumer *found;
	size_t count;
	const char *why; /* set when a use cannot be rewritten */
	TSNode why_at;
	size_t why_file;
} finder;

static void refuse(finder *fd, size_t file, TSNode at, const char *why)
{
	if (!fd->why) {
		fd->why = why;
		fd->why_at = at;
		fd->why_file = file;
	}
}

static bool inside(TSNode node, TSNode outer)
{
	return ts_node_start_byte(node) >= ts_node_start_byte(outer) &&
	       ts_node_end_byte(node) <= ts_node_end_byte(outer);
}

static void take_call(finder *fd, size_t file, TSNode ref)
{
	TSNode call = ts_node_parent(ref);

	if (!lm_node_is(call, "call") || !lm_node_field_is(call, "function", ref)) {
		refuse(fd, file, ref, "used other than by a call");
		return;
	}
	if (file == 0 && inside(call, fd->p->def)) {
		refuse(fd, file, call, "called from itself");
		return;
	}
	if (fd->count == MAX_CONSUMERS) {
		refuse(fd, file, call, "too many callers");
		return;
	}
	fd->found[fd->count].file = file;
	fd->found[fd->count].call = call;
	fd->count++;
}

/* Whether `node` lies in an import statement. */
static bool in_import(TSNode node)
{
	for (; !ts_node_is_null(node); node = ts_node_parent(node))
		if (lm_node_is(node, "import_from_statement") ||
		    lm_node_is(node, "import_statement"))
			return true;
	return false;
}

/* The normalised text of `node` (no whitespace) equals `dotted`. */
static bool dotted_is(const lm_source *src, TSNode node, const char *dotted)
{
	size_t len, i, k = 0, want = strlen(dotted);
	const char *text = lm_node_text(src, node, &len);

	for (i = 0; i < len; i++) {
		char c = text[i];

		if (c == ' ' || c == '\t' || c == '\\' || c == '\n' || c == '\r')
			continue;
		if (k >= want || dotted[k] != c)
			return false;
		k++;
	}
	return k == want;
}

static void find_uses(finder *fd, size_t file, TSNode node, lm_binding kind, const char *local)
{
	const lm_source *src = lm_tree_source(fd->rw, file);
	lm_kids kids;
	TSNode child;

	if (fd->why)
		return;
	if (kind == LM_BIND_MODULE) {
		if (lm_node_is(node, "attribute")) {
			TSNode obj = ts_node_child_by_field_name(node, "object", 6);
			TSNode attr = ts_node_child_by_field_name(node, "attribute", 9);

			if (lm_node_text_is(src, attr, lm_tree_name(fd->rw)) &&
			    dotted_is(src, obj, local)) {
				take_call(fd, file, node);
				return;
			}
		}
	} else if (lm_node_is(node, "identifier") && lm_node_text_is(src, node, local)) {
		TSNode parent = ts_node_parent(node);

		if (lm_node_is(parent, "attribute") && lm_node_field_is(parent, "attribute", node))
			return;
		if (lm_node_is(parent, "keyword_argument") &&
		    lm_node_field_is(parent, "name", node))
			return;
		if (file == 0 && lm_node_field_is(fd->p->def, "name", node))
			return;
		if (in_import(node))
			return;
		if (lm_is_target(node) || lm_node_is(parent, "parameters") ||
		    lm_node_is(parent, "default_parameter") ||
		    lm_node_is(parent, "typed_parameter") ||
		    lm_node_is(parent, "typed_default_parameter") ||
		    lm_node_is(parent, "global_statement")) {
			refuse(fd, file, node, "its name is rebound");
			return;
		}
		take_call(fd, file, node);
		return;
	}
	if (lm_node_is(node, "string"))
		return;
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);)
		find_uses(fd, file, child, kind, local);
	lm_kids_end(&kids);
}

/* The simple statement holding `node`. */
static TSNode statement_of(TSNode node)
{
	TSNode parent;

	for (; !ts_node_is_null(node); node = parent) {
		parent = ts_node_parent(node);
		if (ts_node_is_null(parent) || lm_node_is(parent, "block") ||
		    lm_node_is(parent, "module"))
			return node;
	}
	return node;
}

/*
 * `json.loads(load(p))` with EXPR `f.read()`: the consumer's parse call
 * becomes the stream one, `json.load(load(p))`.  Returns the `loads` node
 * to rename, or a null node.
 */
static TSNode stream_parse(const lm_source *src, TSNode call, const producer *p,
                           const lm_source *psrc)
{
	TSNode args = ts_node_parent(call), outer, fn, obj, attr, fo, fa;
	const char *mod;
	size_t len;
	const char *text;

	if (!lm_node_is(args, "argument_list") || ts_node_named_child_count(args) != 1)
		return null_node;
	outer = ts_node_parent(args);
	fn = ts_node_child_by_field_name(outer, "function", 8);
	if (!lm_node_is(fn, "attribute"))
		return null_node;
	obj = ts_node_child_by_field_name(fn, "object", 6);
	attr = ts_node_child_by_field_name(fn, "attribute", 9);
	if (!lm_node_is(obj, "identifier") || !lm_node_text_is(src, attr, "loads"))
		return null_node;
	text = lm_node_text(src, obj, &len);
	mod = lm_source_resolve(src, text, len);
	if (!mod || (strcmp(mod, "json") && strcmp(mod, "pickle")))
		return null_node;
	/* EXPR must be exactly `f.read()`. */
	if (!lm_node_is(p->expr, "call") ||
	    ts_node_named_child_count(ts_node_child_by_field_name(p->expr, "arguments", 9)) != 0)
		return null_node;
	fo = ts_node_child_by_field_name(p->expr, "function", 8);
	fa = ts_node_child_by_field_name(fo, "attribute", 9);
	if (!lm_node_is(fo, "attribute") || !lm_node_text_is(psrc, fa, "read") ||
	    !ts_node_eq(ts_node_child_by_field_name(fo, "object", 6), p->use))
		return null_node;
	return attr;
}

/*
 * Whether EXPR keeps its meaning where a call was without parentheses: a
 * call, attribute, subscript or bracketed display binds as tightly as the
 * call did; `f.read() + b"!"` or the tuple `f.read(),` would not.
 */
static bool binds_as_call(TSNode expr)
{
	static const char *const kinds[] = {"call",       "attribute", "subscript",
	                                    "dictionary", "list",      "parenthesized_expression",
	                                    "set",        "string",    "tuple"};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (lm_node_is(expr, kinds[i]))
			return true;
	return false;
}

/* EXPR with `with` in place of the handle, in parentheses when it needs them. */
static int splice(lm_buf *out, const lm_source *psrc, const producer *p, const char *with,
                  size_t wlen)
{
	size_t elen, before = ts_node_start_byte(p->use) - ts_node_start_byte(p->expr);
	size_t after = ts_node_end_byte(p->use) - ts_node_start_byte(p->expr);
	const char *expr = lm_node_text(psrc, p->expr, &elen);
	bool parens = !binds_as_call(p->expr);

	return lm_buf_printf(out, "%s%.*s%.*s%.*s%s", parens ? "(" : "", (int)before, expr,
	                     (int)wlen, with, (int)(elen - after), expr + after, parens ? ")" : "");
}

static int rewrite_consumer(lm_tree_rewrite *rw, const consumer *c, const producer *p)
{
	const lm_source *psrc = lm_tree_source(rw, 0), *src = lm_tree_source(rw, c->file);
	lm_edits *edits = lm_tree_edits(rw, c->file);
	const char *call;
	size_t clen;
	lm_buf text = LM_BUF_INIT;
	TSNode loads = stream_parse(src, c->call, p, psrc);
	int error;

	if (!ts_node_is_null(loads))
		return lm_edits_adds(edits, ts_node_start_byte(loads), ts_node_end_byte(loads),
		                     "load");
	call = lm_node_text(src, c->call, &clen);
	if ((error = splice(&text, psrc, p, call, clen)) == 0)
		error = lm_edits_add(edits, ts_node_start_byte(c->call), ts_node_end_byte(c->call),
		                     text.ptr, text.size);
	lm_buf_dispose(&text);
	return error;
}

/* Whether `name` appears as an identifier under `node`. */
static bool name_used(const lm_source *src, TSNode node, const char *name)
{
	lm_kids kids;
	TSNode child;
	bool found = false;

	if (lm_node_is(node, "identifier"))
		return lm_node_text_is(src, node, name);
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);) {
		if (name_used(src, child, name)) {
			found = true;
			break;
		}
	}
	lm_kids_end(&kids);
	return found;
}

/*
 * The control: the caller's statement S holding the call C goes into
 * `with C as fh:`, reading fh where C was: the handle is closed as soon as
 * S is done.  S must be a simple statement on one line with C outside any
 * lambda or comprehension.
 */
static int wrap_consumer(lm_tree_rewrite *rw, const consumer *c, const producer *p,
                         const char **why)
{
	static const char *const names[] = {"fh", "stream", "handle", "fobj"};
	const lm_source *psrc = lm_tree_source(rw, 0), *src = lm_tree_source(rw, c->file);
	lm_edits *edits = lm_tree_edits(rw, c->file);
	TSNode stmt = statement_of(c->call), up;
	const char *name = NULL, *text = lm_source_text(src), *call;
	size_t ls = lm_line_start(src, ts_node_start_byte(stmt)), ws, k, clen;
	lm_buf head = LM_BUF_INIT, body = LM_BUF_INIT;
	int error;

	*why = NULL;
	ws = ts_node_start_byte(stmt) - ls;
	if (lm_indent_len(src, ls) != ws ||
	    ts_node_start_point(stmt).row != ts_node_end_point(stmt).row ||
	    !(lm_node_is(stmt, "expression_statement") || lm_node_is(stmt, "return_statement") ||
	      lm_node_is(stmt, "assert_statement"))) {
		*why = "a caller's statement is not one simple line";
		return 0;
	}
	for (up = ts_node_parent(c->call); !ts_node_eq(up, stmt); up = ts_node_parent(up))
		if (lm_is_nested_scope(up) || lm_node_is(up, "list_comprehension") ||
		    lm_node_is(up, "generator_expression") || lm_node_is(up, "set_comprehension") ||
		    lm_node_is(up, "dictionary_comprehension") ||
		    lm_node_is(up, "conditional_expression") ||
		    lm_node_is(up, "boolean_operator")) {
			*why = "a caller evaluates it conditionally or later";
			return 0;
		}
	for (k = 0; k < sizeof(names) / sizeof(names[0]) && !name; k++)
		if (!name_used(src, lm_scope_of(c->call), names[k]))
			name = names[k];
	if (!name) {
		*why = "no free name for the handle";
		return 0;
	}
	call = lm_node_text(src, c->call, &clen);
	if ((error = lm_buf_printf(&head, "with %.*s as %s:%s%.*s%s", (int)clen, call, name,
	                           lm_source_eol(src), (int)ws, text + ls, lm_source_indent(src))) <
	        0 ||
	    (error = splice(&body, psrc, p, name, strlen(name))) < 0)
		goto cleanup;
	if ((error = lm_edits_add(edits, ts_node_start_byte(stmt), ts_node_start_byte(stmt),
	                          head.ptr, head.size)) == 0)
		error = lm_edits_add(edits, ts_node_start_byte(c->call), ts_node_end_byte(c->call),
		                     body.ptr, body.size);

cleanup:
	lm_buf_dispose(&head);
	lm_buf_dispose(&body);
	return error;
}

static int rewrite_tree_as(lm_tree_rewrite *rw, bool safe)
{
	const lm_source *src = lm_tree_source(rw, 0);
	TSNode root = lm_source_root(src), def = null_node;
	consumer found[MAX_CONSUMERS];
	finder fd;
	producer p;
	const lm_kind *kind;
	lm_buf stmt = LM_BUF_INIT;
	const char *acq, *local;
	lm_binding binding;
	size_t i, k, len, first;
	lm_kids kids;
	TSNode child;
	int error;

	for (lm_kids_start(&kids, root, true); lm_kids_next(&kids, &child);) {
		def = top_def(src, child, lm_tree_name(rw));
		if (!ts_node_is_null(def))
			break;
	}
	lm_kids_end(&kids);
	if (ts_node_is_null(def) || !producer_shape(src, def, &p))
		return 0;
	kind = lm_kind_of_call(src, p.acquire);
	if (!kind)
		return lm_tree_skip(rw, 0, p.acquire, NULL, "not a known resource");
	if (!kind->with_releases)
		return lm_tree_skip(rw, 0, p.acquire, kind, "its with does not release it");
	if (lm_node_breaks_bare(src, p.acquire))
		return lm_tree_skip(rw, 0, p.acquire, kind,
		                    "the acquisition breaks a line only brackets around it join");
	if (lm_writer_needs_close(src, p.acquire, kind))
		return lm_tree_skip(rw, 0, p.acquire, kind, "a writer that must be closed");

	if (!portable(src, p.expr, &p, src))
		return lm_tree_skip(rw, 0, p.acquire, kind,
		                    "the read needs the function's own names");
	memset(&fd, 0, sizeof(fd));
	fd.rw = rw;
	fd.p = &p;
	fd.found = found;
	for (i = 0; i < lm_tree_count(rw); i++)
		for (k = 0; lm_tree_binding(rw, i, k, &binding, &local); k++)
			find_uses(&fd, i, lm_source_root(lm_tree_source(rw, i)), binding, local);
	if (fd.why)
		return lm_tree_skip(rw, fd.why_file, fd.why_at, kind, fd.why);
	for (i = 0; i < fd.count; i++) {
		for (k = 0; safe && k < fd.count; k++)
			if (k != i && found[k].file == found[i].file &&
			    ts_node_eq(statement_of(found[k].call), statement_of(found[i].call)))
				return lm_tree_skip(rw, found[i].file, found[i].call, kind,
				                    "two calls in one statement");
		if (!portable(src, p.expr, &p, lm_tree_source(rw, found[i].file)))
			return lm_tree_skip(rw, found[i].file, found[i].call, kind,
			                    "a caller's module lacks what the read needs");
		for (k = 0; k < fd.count; k++)
			if (k != i && found[k].file == found[i].file &&
			    inside(found[k].call, found[i].call) &&
			    !ts_node_eq(found[k].call, found[i].call))
				return lm_tree_skip(rw, found[i].file, found[i].call, kind,
				                    "nested calls");
	}

	/* The producer: `return R` in place of the with (and its return). */
	acq = lm_node_text(src, p.acquire, &len);
	if ((error = lm_buf_puts(&stmt, "return ")) < 0 ||
	    (error = lm_buf_put(&stmt, acq, len)) < 0)
		goto cleanup;
	if ((error = lm_edits_add(lm_tree_edits(rw, 0), ts_node_start_byte(p.with),
	                          ts_node_end_byte(p.last), stmt.ptr, stmt.size)) < 0 ||
	    (error = lm_tree_relate(rw, 0, p.acquire, "producer")) < 0)
		goto cleanup;
	/*
	 * The primary location: the first caller, by path and offset, that is
	 * not a verification driver (a driver only exercises the code).
	 */
	for (i = 0, first = SIZE_MAX; i < fd.count; i++) {
		const char *path = lm_tree_path(rw, found[i].file);

		const char *why = NULL;

		error = safe ? wrap_consumer(rw, &found[i], &p, &why)
		             : rewrite_consumer(rw, &found[i], &p);
		if (error == 0 && why) {
			error = lm_tree_skip(rw, found[i].file, found[i].call, kind, why);
			goto cleanup;
		}
		if (error < 0 ||
		    (error = lm_tree_relate(rw, found[i].file, found[i].call, "consumer")) < 0)
			goto cleanup;
		if (lm_is_driver(path))
			continue;
		if (first == SIZE_MAX || strcmp(path, lm_tree_path(rw, found[first].file)) < 0 ||
		    (found[i].file == found[first].file &&
		     ts_node_start_byte(found[i].call) < ts_node_start_byte(found[first].call)))
			first = i;
	}
	/* A control needs a caller to make safe: alone, it would leak as the mutant does. */
	if (safe && fd.count == 0) {
		error = lm_tree_skip(rw, 0, p.acquire, kind, "no caller in the tree");
		goto cleanup;
	}
	if (first != SIZE_MAX)
		error = lm_tree_emit(rw, found[first].file, found[first].call,
		                     statement_of(found[first].call), kind);
	else
		error = lm_tree_emit(rw, 0, p.acquire, p.acquire, kind);

cleanup:
	lm_buf_dispose(&stmt);
	return error;
}

static int rewrite_tree(lm_tree_rewrite *rw)
{
	return rewrite_tree_as(rw, false);
}

static int rewrite_tree_safe(lm_tree_rewrite *rw)
{
	return rewrite_tree_as(rw, true);
}

const lm_operator lm_op_return_handle = {
    .id = "return-handle",
    .version = 2,
    .family = LM_FAMILY_LEAK,
    .scope = LM_SCOPE_INTERPROCEDURAL,
    .cwe = 775,
    .summary = "a reader returns its open handle; every caller reads it and never closes it",
    .description =
        "A module-level function whose last statement is `with R as f:` returning what it "
        "read from f (`return f.read()`, `return json.load(f)`, or `data = ...` then "
        "`return data`) returns R itself, and every call of it in the input tree (in its "
        "module, and in modules importing it by name or through their module) is rewritten "
        "to do the read: `x = load(p)` becomes `x = load(p).read()`, and `json.loads(load(p))` "
        "becomes `json.load(load(p))`.  The handle is never closed.  The primary location "
        "is the first caller; the producer and every caller are related locations.  A "
        "function with no caller in the tree is still rewritten: the leak is at the "
        "producer.  Skipped when the name is used other than by a call, rebound, called from "
        "itself, or when a caller's module cannot evaluate the read (an import it lacks).",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,socket,urlopen",
    .before = "def load(p):\n    with open(p, \"rb\") as f:\n        return f.read()\n\n\n"
              "data = load(\"x\")\n",
    .after = "def load(p):\n    return open(p, \"rb\")\n\n\ndata = load(\"x\").read()\n",
    .candidates = candidates,
    .rewrite_tree = rewrite_tree,
};

/*
 * Its control shares the analysis above, so it lives in this file (an
 * exception to one operator a file: the two must find the same sites).
 */
const lm_operator lm_op_safe_with_callers = {
    .id = "safe-with-callers",
    .version = 2,
    .family = LM_FAMILY_CONTROL,
    .scope = LM_SCOPE_INTERPROCEDURAL,
    .cwe = 775,
    .summary = "a reader returns its open handle; every caller reads it inside a with",
    .description =
        "The safe twin of return-handle (same sites, same anchors).  The function returns "
        "R as in return-handle, and every caller's statement goes into `with load(p) as fh:` "
        "and reads fh where the call was (`x = load(p)` becomes `with load(p) as fh:` then "
        "`x = fh.read()`), so each handle is closed once its statement is done.  Skipped, "
        "besides return-handle's reasons, when a caller's statement is not one simple line, "
        "holds two calls, or evaluates the call conditionally or later (a lambda, a "
        "comprehension, `and`/`or`, `x if c else y`).",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,socket,urlopen",
    .before = "def load(p):\n    with open(p, \"rb\") as f:\n        return f.read()\n\n\n"
              "data = load(\"x\")\n",
    .after = "def load(p):\n    return open(p, \"rb\")\n\n\nwith load(\"x\") as fh:\n"
             "    data = fh.read()\n",
    .candidates = candidates,
    .rewrite_tree = rewrite_tree_safe,
};
