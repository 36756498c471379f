/*
 * inline-open: `with R as f:` whose body is one simple statement that uses
 * f once becomes that statement with R written in place of f, so nothing
 * releases R: `pickle.dump(o, open(p, "wb"))`, `data = open(p).read()`.
 */
#include <string.h>

#include "leakmut/leakmut.h"

/* What an occurrence of the handle's name does, seen from after the with. */
enum occurrence { OCC_NONE, OCC_BIND, OCC_KILL, OCC_READ };

/* A textual scan for the handle's name over [from, to) of a scope. */
struct scan {
	const lm_source *src;
	const char *name;
	size_t len;
	TSNode with; /* the with being folded: skipped, and the anchor of kills */
	size_t from, to;
	size_t until;           /* uses before this belong to another binding */
	enum occurrence result; /* OCC_KILL or OCC_READ once decided */
	size_t at;              /* where it was decided */
};

static bool text_eq(const lm_source *src, TSNode node, const char *name, size_t len)
{
	size_t tlen;
	const char *text = lm_node_text(src, node, &tlen);

	return tlen == len && memcmp(text, name, len) == 0;
}

static bool field_is(TSNode parent, const char *field, TSNode node)
{
	TSNode f = ts_node_child_by_field_name(parent, field, (uint32_t)strlen(field));

	return !ts_node_is_null(f) && ts_node_eq(f, node);
}

static bool contains(TSNode outer, TSNode inner)
{
	return ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
	       ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

/* Whether `node` is an identifier spelled `name` that names a variable (not
 * an attribute's member, not a keyword argument's keyword). */
static bool is_name(const lm_source *src, TSNode node, const char *name, size_t len)
{
	TSNode parent;

	if (!lm_node_is(node, "identifier") || !text_eq(src, node, name, len))
		return false;
	parent = ts_node_parent(node);
	if (lm_node_is(parent, "attribute") && field_is(parent, "attribute", node))
		return false;
	if (lm_node_is(parent, "keyword_argument") && field_is(parent, "name", node))
		return false;
	return true;
}

/* Count the uses of the name under `node`; the first one goes to *first. */
static unsigned count_uses(const lm_source *src, TSNode node, const char *name, size_t len,
                           TSNode *first)
{
	unsigned n = 0;
	TSNode child;

	if (is_name(src, node, name, len)) {
		*first = node;
		return 1;
	}
	for (child = ts_node_named_child(node, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child)) {
		TSNode found = {{0}, NULL, NULL};
		unsigned k = count_uses(src, child, name, len, &found);

		if (k && n == 0)
			*first = found;
		n += k;
	}
	return n;
}

/*
 * Why the use cannot take the acquisition's place because of where it sits
 * in the statement, or NULL: a lambda, a generator expression or any part
 * of a comprehension but the iterable of its first `for` (evaluated once, in
 * the statement's own scope) would open the resource at another time or
 * several times; an f-string could not hold the call's quotes.
 */
static const char *use_context(TSNode use, TSNode stmt)
{
	TSNode below = use, child = use, node;

	for (node = ts_node_parent(use); !ts_node_is_null(node) && !ts_node_eq(node, stmt);
	     below = child, child = node, node = ts_node_parent(node)) {
		if (lm_node_is(node, "interpolation"))
			return "handle used in an f-string";
		if (lm_node_is(node, "lambda"))
			return "handle used in a lambda";
		if (lm_node_is(node, "generator_expression"))
			return "handle used in a generator expression";
		if (lm_node_is(node, "list_comprehension") ||
		    lm_node_is(node, "set_comprehension") ||
		    lm_node_is(node, "dictionary_comprehension")) {
			TSNode clause = ts_node_named_child(node, 0), in;

			while (!ts_node_is_null(clause) && !lm_node_is(clause, "for_in_clause"))
				clause = ts_node_next_named_sibling(clause);
			if (ts_node_is_null(clause) || !ts_node_eq(clause, child))
				return "handle used inside a comprehension";
			in = lm_node_token(clause, "in");
			if (ts_node_is_null(in) ||
			    ts_node_start_byte(below) < ts_node_end_byte(in) ||
			    !ts_node_is_null(lm_node_token(clause, "async")))
				return "handle used inside a comprehension";
		}
	}
	return NULL;
}

static bool text_is_any(const lm_source *src, TSNode node, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n && !ts_node_is_null(node); i++)
		if (lm_node_text_is(src, node, names[i]))
			return true;
	return false;
}

/*
 * Why this use of the handle is not one to fold, or NULL.  Folding needs a
 * use that consumes the handle there and then: the receiver of a method
 * (`f.read()`) or an argument of a call (`pickle.dump(o, f)`).
 */
static const char *use_escapes(const lm_source *src, TSNode use, const lm_kind *kind)
{
	static const char *const handoffs[] = {
	    "enter_context", "closing",  "callback",           "push",
	    "register",      "aclosing", "enter_async_context"};
	static const char *const stores[] = {"append", "appendleft", "add",     "insert",
	                                     "put",    "put_nowait", "setattr", "setdefault"};
	TSNode node = use, parent = ts_node_parent(use);
	bool contained = false;

	while (lm_node_is(parent, "parenthesized_expression")) {
		node = parent;
		parent = ts_node_parent(parent);
	}
	if (lm_node_is(parent, "attribute") && field_is(parent, "object", node)) {
		TSNode attr = ts_node_child_by_field_name(parent, "attribute", 9);

		if (lm_node_text_is(src, attr, "close") || lm_node_text_is(src, attr, "__exit__") ||
		    lm_node_text_is(src, attr, "detach") ||
		    lm_node_text_is(src, attr, kind->release) ||
		    (!strcmp(kind->id, "subprocess") && lm_node_text_is(src, attr, "communicate")))
			return "handle released in the body";
		return NULL;
	}
	if (lm_node_is(parent, "subscript") && field_is(parent, "value", node))
		return NULL;
	if (lm_node_is(parent, "list_splat") || lm_node_is(parent, "dictionary_splat"))
		return NULL; /* unpacked there and then: `[*f]`, `g(*f)` */
	if (lm_node_is(parent, "keyword_argument") && field_is(parent, "value", node)) {
		node = parent;
		parent = ts_node_parent(parent);
	}
	if (lm_node_is(parent, "argument_list")) {
		TSNode call = ts_node_parent(parent), fn;

		if (!lm_node_is(call, "call"))
			return "handle used as a plain value";
		fn = ts_node_child_by_field_name(call, "function", 8);
		if (lm_node_is(fn, "attribute"))
			fn = ts_node_child_by_field_name(fn, "attribute", 9);
		if (text_is_any(src, fn, handoffs, sizeof(handoffs) / sizeof(handoffs[0])))
			return "handle handed to a cleanup manager";
		if (text_is_any(src, fn, stores, sizeof(stores) / sizeof(stores[0])))
			return "handle stored for later";
		return NULL;
	}
	if (lm_node_is(parent, "for_in_clause"))
		return NULL; /* the first iterable of a comprehension: use_context() */
	/* Inside a tuple or a list, it goes where the container goes. */
	while (lm_node_is(parent, "expression_list") || lm_node_is(parent, "tuple") ||
	       lm_node_is(parent, "list") || lm_node_is(parent, "set") ||
	       lm_node_is(parent, "pair") || lm_node_is(parent, "dictionary") ||
	       lm_node_is(parent, "parenthesized_expression")) {
		contained = contained || !lm_node_is(parent, "parenthesized_expression");
		parent = ts_node_parent(parent);
	}
	if (lm_node_is(parent, "return_statement") || lm_node_is(parent, "yield"))
		return "handle returned or yielded";
	if (lm_node_is(parent, "assignment") || lm_node_is(parent, "augmented_assignment") ||
	    lm_node_is(parent, "named_expression") || lm_node_is(parent, "pattern_list") ||
	    contained)
		return "handle stored for later";
	return "handle used as a plain value";
}

/* Whether a function or lambda declares the name as a parameter. */
static bool has_parameter(const lm_source *src, TSNode fn, const char *name, size_t len)
{
	TSNode params = ts_node_child_by_field_name(fn, "parameters", 10), p;

	if (ts_node_is_null(params))
		return false; /* `lambda: ...` */
	for (p = ts_node_named_child(params, 0); !ts_node_is_null(p);
	     p = ts_node_next_named_sibling(p)) {
		TSNode id = p;

		if (lm_node_is(p, "default_parameter") || lm_node_is(p, "typed_default_parameter"))
			id = ts_node_child_by_field_name(p, "name", 4);
		else if (lm_node_is(p, "typed_parameter"))
			id = ts_node_named_child(p, 0);
		if (lm_node_is(id, "list_splat_pattern") ||
		    lm_node_is(id, "dictionary_splat_pattern"))
			id = ts_node_named_child(id, 0);
		if (lm_node_is(id, "identifier") && text_eq(src, id, name, len))
			return true;
	}
	return false;
}

/*
 * An occurrence of the name after the with (or before it, in a loop that
 * comes back to it): a read of the handle; a binding that kills it (an
 * assignment or a `with ... as` that runs every time after the folded with,
 * being a statement of a block that holds the with, or the target of a loop
 * that holds it); or another binding, whose own uses, up to *until (the end
 * of the block it dominates), are not the handle's.
 */
static enum occurrence classify(const struct scan *s, TSNode id, size_t *until)
{
	TSNode n = id, p = ts_node_parent(id), dummy;

	*until = 0;
	while (lm_node_is(p, "pattern_list") || lm_node_is(p, "tuple_pattern") ||
	       lm_node_is(p, "list_pattern") || lm_node_is(p, "list_splat_pattern")) {
		n = p;
		p = ts_node_parent(p);
	}
	if (lm_node_is(p, "assignment") && field_is(p, "left", n)) {
		TSNode right = ts_node_child_by_field_name(p, "right", 5);
		TSNode stmt = ts_node_parent(p);

		if (ts_node_is_null(right) || !lm_node_is(stmt, "expression_statement"))
			return OCC_BIND; /* `f: T` binds nothing */
		if (count_uses(s->src, right, s->name, s->len, &dummy) > 0)
			return OCC_READ; /* `f = g(f)` reads it first */
		if (contains(ts_node_parent(stmt), s->with))
			return OCC_KILL;
		*until = ts_node_end_byte(ts_node_parent(stmt));
		return OCC_BIND;
	}
	if (lm_node_is(p, "for_statement") && field_is(p, "left", n)) {
		TSNode right = ts_node_child_by_field_name(p, "right", 5);

		if (contains(p, s->with))
			return OCC_KILL;
		if (!ts_node_is_null(right) &&
		    count_uses(s->src, right, s->name, s->len, &dummy) > 0)
			return OCC_READ;
		*until = ts_node_end_byte(ts_node_child_by_field_name(p, "body", 4));
		return OCC_BIND;
	}
	if (lm_node_is(p, "as_pattern_target")) {
		TSNode q = ts_node_parent(ts_node_parent(p));

		while (lm_node_is(q, "parenthesized_expression") || lm_node_is(q, "tuple"))
			q = ts_node_parent(q);
		if (lm_node_is(q, "with_item")) {
			TSNode w = ts_node_parent(ts_node_parent(q));

			if (!lm_node_is(w, "with_statement"))
				return OCC_BIND;
			if (contains(ts_node_parent(w), s->with))
				return OCC_KILL;
			*until = ts_node_end_byte(ts_node_parent(w));
		} else if (lm_node_is(q, "except_clause")) {
			*until = ts_node_end_byte(q);
		}
		return OCC_BIND;
	}
	if ((lm_node_is(p, "for_in_clause") && field_is(p, "left", n)) ||
	    (lm_node_is(p, "named_expression") && field_is(p, "name", n)) ||
	    lm_node_is(p, "dotted_name") || lm_node_is(p, "aliased_import"))
		return OCC_BIND;
	return OCC_READ;
}

/* Whether a global or nonlocal statement under `node` names the handle. */
static bool declared_global(const lm_source *src, TSNode node, const char *name, size_t len)
{
	TSNode child;
	bool decl = lm_node_is(node, "global_statement") || lm_node_is(node, "nonlocal_statement");

	for (child = ts_node_named_child(node, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child))
		if ((decl && lm_node_is(child, "identifier") && text_eq(src, child, name, len)) ||
		    (!decl && declared_global(src, child, name, len)))
			return true;
	return false;
}

/* Whether an identifier is bound where it stands (not read). */
static bool is_binding(TSNode id)
{
	TSNode n = id, p = ts_node_parent(id);

	while (lm_node_is(p, "pattern_list") || lm_node_is(p, "tuple_pattern") ||
	       lm_node_is(p, "list_pattern") || lm_node_is(p, "list_splat_pattern")) {
		n = p;
		p = ts_node_parent(p);
	}
	if (lm_node_is(p, "assignment") || lm_node_is(p, "augmented_assignment") ||
	    lm_node_is(p, "for_statement"))
		return field_is(p, "left", n);
	if (lm_node_is(p, "named_expression") || lm_node_is(p, "function_definition") ||
	    lm_node_is(p, "class_definition"))
		return field_is(p, "name", n);
	if (lm_node_is(p, "aliased_import"))
		return field_is(p, "alias", n);
	if (lm_node_is(p, "dotted_name") && ts_node_named_child_count(p) == 1) {
		TSNode stmt = ts_node_parent(p);

		return lm_node_is(stmt, "import_statement") ||
		       (lm_node_is(stmt, "import_from_statement") && field_is(stmt, "name", p));
	}
	return lm_node_is(p, "as_pattern_target");
}

/*
 * Whether the body of a nested function binds the name, which makes it a
 * local of that function (nested functions and lambdas have their own).
 */
static bool binds_locally(const lm_source *src, TSNode node, const char *name, size_t len)
{
	TSNode child;

	for (child = ts_node_named_child(node, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child)) {
		if (lm_node_is(child, "function_definition") ||
		    lm_node_is(child, "class_definition")) {
			if (is_name(src, ts_node_child_by_field_name(child, "name", 4), name, len))
				return true;
		} else if (lm_node_is(child, "lambda")) {
			continue;
		} else if (is_name(src, child, name, len) ? is_binding(child)
		                                          : binds_locally(src, child, name, len)) {
			return true;
		}
	}
	return false;
}

/* The comprehension's first iterable, when one of its `for`s binds the name. */
static TSNode comprehension_shadows(const lm_source *src, TSNode comp, const char *name, size_t len)
{
	TSNode child, first = {{0}, NULL, NULL}, found;

	for (child = ts_node_named_child(comp, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child)) {
		TSNode left = ts_node_child_by_field_name(child, "left", 4);

		if (!lm_node_is(child, "for_in_clause"))
			continue;
		if (ts_node_is_null(first))
			first = child;
		if (!ts_node_is_null(left) && count_uses(src, left, name, len, &found) > 0)
			return ts_node_child_by_field_name(first, "right", 5);
	}
	return (TSNode){{0}, NULL, NULL};
}

static void visit(struct scan *s, TSNode node, bool nested)
{
	TSNode child, parent;
	bool inner = nested;

	if (ts_node_is_null(node) || s->result != OCC_NONE || ts_node_end_byte(node) <= s->from ||
	    ts_node_start_byte(node) >= s->to || ts_node_eq(node, s->with))
		return;
	if (is_name(s->src, node, s->name, s->len)) {
		enum occurrence o = OCC_BIND;
		size_t until = 0;

		parent = ts_node_parent(node);
		if (ts_node_start_byte(node) < s->until)
			return; /* a use of another binding */
		/* A nested def or class of the same name binds it, like an assignment. */
		if (!(lm_node_is(parent, "function_definition") ||
		      lm_node_is(parent, "class_definition")) ||
		    !field_is(parent, "name", node))
			o = nested ? OCC_READ : classify(s, node, &until);
		if (until > s->until)
			s->until = until;
		if (o == OCC_KILL || o == OCC_READ) {
			s->result = o;
			s->at = ts_node_start_byte(node);
		}
		return;
	}
	if (lm_node_is(node, "function_definition") || lm_node_is(node, "lambda")) {
		TSNode body = ts_node_child_by_field_name(node, "body", 4);
		TSNode params = ts_node_child_by_field_name(node, "parameters", 10);

		if (has_parameter(s->src, node, s->name, s->len) ||
		    (lm_node_is(node, "function_definition") &&
		     binds_locally(s->src, body, s->name, s->len) &&
		     !declared_global(s->src, body, s->name, s->len))) {
			/* Its own name, not the handle; defaults are evaluated here. */
			child = ts_node_is_null(params) ? params : ts_node_named_child(params, 0);
			for (; !ts_node_is_null(child); child = ts_node_next_named_sibling(child))
				if (lm_node_is(child, "default_parameter") ||
				    lm_node_is(child, "typed_default_parameter"))
					visit(s, ts_node_child_by_field_name(child, "value", 5),
					      nested);
			return;
		}
		inner = true;
	} else if (lm_node_is(node, "list_comprehension") ||
	           lm_node_is(node, "set_comprehension") ||
	           lm_node_is(node, "dictionary_comprehension") ||
	           lm_node_is(node, "generator_expression")) {
		TSNode iterable = comprehension_shadows(s->src, node, s->name, s->len);

		if (!ts_node_is_null(iterable)) {
			visit(s, iterable, nested); /* the rest is the comprehension's own */
			return;
		}
	} else if (lm_node_is(node, "class_definition")) {
		inner = true;
	}
	for (child = ts_node_named_child(node, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child))
		visit(s, child, inner);
}

/*
 * Whether the handle's name is read after the with, in `scope`: after it
 * in the text until a binding kills it, and, in a loop, from the loop's
 * start to the with unless the rest of the loop body killed it already.
 */
static bool used_after(const lm_source *src, TSNode scope, TSNode with, const char *name,
                       size_t len)
{
	struct scan s;
	TSNode root = lm_node_is(scope, "function_definition")
	                  ? ts_node_child_by_field_name(scope, "body", 4)
	                  : scope;
	TSNode loop;

	memset(&s, 0, sizeof(s));
	s.src = src;
	s.name = name;
	s.len = len;
	s.with = with;
	s.from = ts_node_end_byte(with);
	s.to = ts_node_end_byte(scope);
	visit(&s, root, false);
	if (s.result == OCC_READ)
		return true;
	for (loop = ts_node_parent(with); !ts_node_is_null(loop) && !ts_node_eq(loop, scope);
	     loop = ts_node_parent(loop)) {
		struct scan again = s;

		if (!lm_node_is(loop, "for_statement") && !lm_node_is(loop, "while_statement"))
			continue;
		if (s.result == OCC_KILL && s.at < ts_node_end_byte(loop))
			continue; /* the rest of the loop body rebinds it */
		again.result = OCC_NONE;
		again.until = 0;
		again.from = ts_node_start_byte(loop);
		again.to = ts_node_start_byte(with);
		visit(&again, root, false);
		if (again.result == OCC_READ)
			return true;
	}
	return false;
}

/* Whether a comment lies under `node` outside `keep`. */
static bool has_comment(TSNode node, TSNode keep)
{
	TSNode child;

	if (lm_node_is(node, "comment"))
		return true;
	for (child = ts_node_named_child(node, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child))
		if (!ts_node_eq(child, keep) && has_comment(child, keep))
			return true;
	return false;
}

static int skip(lm_rewrite *rw, TSNode at, const lm_kind *kind, const char *why)
{
	return lm_rewrite_skip(rw, at, kind, why);
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	const char *text = lm_source_text(src);
	TSNode with = lm_rewrite_node(rw, m, "with"), item = lm_rewrite_node(rw, m, "item");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), name = lm_rewrite_node(rw, m, "name");
	TSNode body = lm_rewrite_node(rw, m, "body"), clause = ts_node_parent(item);
	TSNode colon = lm_node_token(with, ":"), stmt = {{0}, NULL, NULL}, use = {{0}, NULL, NULL};
	TSNode header_comment = {{0}, NULL, NULL}, child;
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind = lm_kind_of_call(src, acquire);
	size_t ws, wlen, nlen, alen, body_ws, body_ilen;
	const char *ntext, *atext, *why;
	unsigned nitems = 0, nstmts = 0, uses;
	int error;

	if (!kind)
		return 0; /* not a resource this tool knows */
	if (!ts_node_is_null(lm_node_token(with, "async")))
		return skip(rw, acquire, kind, "async with");
	if (!kind->with_releases)
		return skip(rw, acquire, kind, "its with does not release it");
	if (!strcmp(kind->id, "lock"))
		return skip(rw, acquire, kind, "a lock is acquired by its with, not by the call");
	if (lm_writer_needs_close(src, acquire, kind))
		return skip(rw, acquire, kind, "a writer that loses data unless closed");
	for (child = ts_node_named_child(clause, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child))
		nitems += lm_node_is(child, "with_item");
	if (nitems != 1)
		return skip(rw, acquire, kind, "several with items");
	if (ts_node_is_null(colon))
		return skip(rw, acquire, kind, "unexpected statement shape");
	if (has_comment(clause, acquire))
		return skip(rw, acquire, kind, "comment in the with header");
	for (child = ts_node_named_child(with, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child)) {
		if (!lm_node_is(child, "comment"))
			continue;
		if (ts_node_start_byte(child) < ts_node_start_byte(colon))
			return skip(rw, acquire, kind, "comment in the with header");
		if (ts_node_start_point(child).row == ts_node_end_point(colon).row)
			header_comment = child;
	}
	for (child = ts_node_named_child(body, 0); !ts_node_is_null(child);
	     child = ts_node_next_named_sibling(child))
		if (!ts_node_is_extra(child) && nstmts++ == 0)
			stmt = child;
	if (nstmts != 1)
		return skip(rw, acquire, kind, "more than one statement in the body");
	if (!lm_node_is(stmt, "expression_statement") && !lm_node_is(stmt, "return_statement"))
		return skip(rw, acquire, kind,
		            ts_node_is_null(lm_node_token(stmt, ":")) &&
		                    !lm_node_is(stmt, "decorated_definition")
		                ? "body is not an expression, assignment or return"
		                : "body is a compound statement");

	ntext = lm_node_text(src, name, &nlen);
	uses = count_uses(src, stmt, ntext, nlen, &use);
	if (uses == 0)
		return skip(rw, acquire, kind, "handle not used in the body");
	if (uses > 1)
		return skip(rw, acquire, kind, "handle used more than once");
	if ((why = use_context(use, stmt)) != NULL || (why = use_escapes(src, use, kind)) != NULL)
		return skip(rw, acquire, kind, why);
	if (declared_global(src, lm_scope_of(with), ntext, nlen))
		return skip(rw, acquire, kind, "handle declared global or nonlocal");
	if (used_after(src, lm_scope_of(with), with, ntext, nlen))
		return skip(rw, acquire, kind, "handle used after the with");

	ws = lm_line_start(src, ts_node_start_byte(with));
	wlen = ts_node_start_byte(with) - ws;
	if (lm_indent_len(src, ws) != wlen)
		return skip(rw, acquire, kind, "statement shares its line");
	atext = lm_node_text(src, acquire, &alen);

	if (ts_node_start_point(stmt).row == ts_node_end_point(colon).row) {
		/* `with R as f: STMT` becomes STMT, where the with stood. */
		if ((error = lm_edits_add(edits, ts_node_start_byte(with), ts_node_start_byte(stmt),
		                          "", 0)) < 0)
			return error;
	} else {
		body_ws = lm_line_start(src, ts_node_start_byte(stmt));
		body_ilen = lm_indent_len(src, body_ws);
		if (body_ilen <= wlen || memcmp(text + body_ws, text + ws, wlen) != 0)
			return skip(rw, acquire, kind,
			            "body indentation does not extend the with's");
		if (lm_reindent_misses(src, body, text + body_ws, body_ilen, text + ws, wlen))
			return skip(rw, acquire, kind, LM_MIXED_INDENT);
		/* The header goes, with its line; a comment after its colon stays. */
		if (!ts_node_is_null(header_comment))
			error = lm_edits_add(edits, ts_node_start_byte(with),
			                     ts_node_start_byte(header_comment), "", 0);
		else
			error = lm_edits_add(edits, ws, lm_line_next(src, ts_node_end_byte(colon)),
			                     "", 0);
		if (error < 0)
			return error;
		/* Comment lines between the header and the body move out with it. */
		for (child = ts_node_named_child(with, 0); !ts_node_is_null(child);
		     child = ts_node_next_named_sibling(child)) {
			size_t ls = lm_line_start(src, ts_node_start_byte(child));

			if (!lm_node_is(child, "comment") || ts_node_eq(child, header_comment) ||
			    lm_indent_len(src, ls) != ts_node_start_byte(child) - ls ||
			    lm_indent_len(src, ls) < body_ilen ||
			    memcmp(text + ls, text + body_ws, body_ilen) != 0)
				continue;
			if ((error = lm_edits_add(edits, ls, ls + body_ilen, text + ws, wlen)) < 0)
				return error;
		}
		if ((error = lm_reindent(edits, src, body, text + body_ws, body_ilen, text + ws,
		                         wlen)) < 0)
			return error;
	}
	if ((error = lm_edits_add(edits, ts_node_start_byte(use), ts_node_end_byte(use), atext,
	                          alen)) < 0)
		return error;
	return lm_rewrite_emit(rw, acquire, item, kind);
}

const lm_operator lm_op_inline_open = {
    .id = "inline-open",
    .version = 1,
    .family = LM_FAMILY_LEAK,
    .scope = LM_SCOPE_INTRAPROCEDURAL,
    .cwe = 775,
    .summary = "fold the with into its one statement: pickle.dump(o, open(p, \"wb\"))",
    .description =
        "A `with R as f:` (one item, parenthesized or not) whose body is one simple statement "
        "(an expression, an assignment, an augmented assignment or a return) that uses the "
        "handle once, as a method's receiver (`f.read()`), a call's argument (`pickle.dump(o, "
        "f)`) or the first iterable of a list, set or dict comprehension, becomes that "
        "statement, dedented to the with's indentation, with the acquisition R written in "
        "place of the handle exactly as it stands: `pickle.dump(o, open(p, \"wb\"))`, `data = "
        "open(p).read()`, `return open(p).read()`. Nothing releases R; it lives until the "
        "garbage collector gets to it. A one-line body works too; comments after the colon and "
        "in the body are kept. Not a site: several items, a target that is not a plain name, "
        "a kind whose `with` does not release it (sqlite3.connect) or a lock, `async with`, a "
        "body of several statements or a compound one, a comment in the header, a handle used "
        "twice or not at all, used in a lambda, a generator expression, a comprehension (but "
        "its first iterable) or an f-string, released, returned, yielded, stored or handed to "
        "a cleanup manager in the body, declared global or nonlocal, or read after the with "
        "before it is bound again (in a loop, also before the with), nested functions "
        "included.",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,subprocess,urlopen,process_pool",
    .before = "import pickle\n"
              "\n"
              "\n"
              "def save(obj, path):\n"
              "    with open(path, \"wb\") as f:\n"
              "        pickle.dump(obj, f)\n",
    .after = "import pickle\n"
             "\n"
             "\n"
             "def save(obj, path):\n"
             "    pickle.dump(obj, open(path, \"wb\"))\n",
    .query = LM_QUERY_WITH_AS_CALL,
    .rewrite = rewrite,
};
