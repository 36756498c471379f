#include "leakmut/source.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "leakmut/indent.h"
#include "source_int.h"

const TSLanguage *tree_sitter_python(void);

struct lm_parser {
	TSParser *ts;
};

typedef struct import_entry {
	char *name;   /* the local name */
	char *dotted; /* what it stands for */
} import_entry;

struct lm_source {
	char *name;
	char *bytes; /* the whole file, NUL-terminated */
	size_t size;
	const char *text; /* bytes, past any BOM */
	size_t len;
	bool bom;
	const char *eol;
	char indent[64];
	size_t *lines; /* offsets (into text) of each line's first byte */
	size_t nlines;
	size_t *newlines; /* offsets of each '\n': tree-sitter's rows */
	size_t nnewlines;
	TSTree *tree;
	import_entry *imports;
	size_t nimports;
	const char *misread; /* why tree-sitter-python may misread it (lm_source_misread()) */
	bool checked;        /* the tree passed every check of check_tree() */
	struct memo *memos;  /* lm_source_keep() */
};

typedef struct memo {
	const void *key;
	void *value;
	void (*release)(void *);
	struct memo *next;
} memo;

/*
 * The parts of an edited parse that may differ from the original's: the
 * edits' texts and the ranges tree-sitter re-parsed into another structure.
 * A statement outside all of them is the original's, byte for byte and node
 * for node, and the original passed every check: check_tree() skips it.
 */
typedef struct dirty {
	uint32_t (*spans)[2]; /* [start, end] in the mutant, ends included */
	size_t count;
} dirty;

/* Whether `node` may differ from the original's node (see dirty). */
static bool is_dirty(const dirty *d, TSNode node)
{
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	size_t i;

	if (!d)
		return true;
	for (i = 0; i < d->count; i++)
		if (start <= d->spans[i][1] && d->spans[i][0] <= end)
			return true;
	return false;
}

/*
 * What the checks of a parse ask of a node's type, as flags per grammar
 * symbol: one lookup instead of string comparisons on every node of every
 * parse (they were most of the time of checking a whole file).  Each flag is
 * computed once from the symbol's name with the test it replaces, so asking
 * the table says exactly what comparing ts_node_type() said.
 */
enum {
	TY_STATEMENT = 1u << 0,  /* is_statement() */
	TY_COMPOUND = 1u << 1,   /* may break lines after its header */
	TY_OPAQUE = 1u << 2,     /* bare_break_in() does not look inside */
	TY_OPEN = 1u << 3,       /* ( [ { */
	TY_CLOSE = 1u << 4,      /* ) ] } */
	TY_HAS_BLOCK = 1u << 5,  /* a block may hang off it: indents_agree() */
	TY_NO_BRACKET = 1u << 6, /* inside_brackets() stops there */
	TY_IDENTIFIER = 1u << 7,
	TY_COMMENT = 1u << 8,
	TY_COLON = 1u << 9,
	TY_COMMA = 1u << 10,
	TY_MODULE = 1u << 11,
	TY_BLOCK = 1u << 12,
	TY_ASSIGNMENT = 1u << 13,
	TY_AUGMENTED = 1u << 14,
	TY_AS_TARGET = 1u << 15,
	TY_IMPORT = 1u << 16,      /* import_statement */
	TY_IMPORT_FROM = 1u << 17, /* import_from_statement */
	TY_NO_IMPORTS = 1u << 18,  /* expression_statement, return_statement */
	TY_HEADER = 1u << 19       /* line_break_at_colon() looks at its colon */
};

static const char *const compound_types[] = {
    "with_statement",      "if_statement",    "elif_clause",         "else_clause",
    "for_statement",       "while_statement", "try_statement",       "except_clause",
    "except_group_clause", "finally_clause",  "function_definition", "class_definition",
    "match_statement",     "case_clause"};

static uint32_t *type_flags;
static uint32_t type_count;
static pthread_once_t type_once = PTHREAD_ONCE_INIT;

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && !strcmp(s + len - n, suffix);
}

static uint32_t flags_of_name(const char *t)
{
	static const char *const opaque[] = {"module",
	                                     "block",
	                                     "string",
	                                     "string_content",
	                                     "interpolation",
	                                     "format_specifier",
	                                     "decorated_definition",
	                                     "comment"};
	size_t len = strlen(t), i;
	uint32_t f = 0;

	if (ends_with(t, len, "_statement") || !strcmp(t, "function_definition") ||
	    !strcmp(t, "class_definition") || !strcmp(t, "decorated_definition"))
		f |= TY_STATEMENT;
	for (i = 0; i < sizeof(compound_types) / sizeof(*compound_types); i++)
		if (!strcmp(t, compound_types[i]))
			f |= TY_COMPOUND;
	for (i = 0; i < sizeof(opaque) / sizeof(*opaque); i++)
		if (!strcmp(t, opaque[i]))
			f |= TY_OPAQUE;
	if (!strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{"))
		f |= TY_OPEN;
	if (!strcmp(t, ")") || !strcmp(t, "]") || !strcmp(t, "}"))
		f |= TY_CLOSE;
	if (!strcmp(t, "block") || strstr(t, "_statement") || ends_with(t, len, "_clause") ||
	    ends_with(t, len, "_definition"))
		f |= TY_HAS_BLOCK;
	if (!strcmp(t, "module") || !strcmp(t, "block") || (f & TY_COMPOUND) ||
	    !strcmp(t, "decorated_definition"))
		f |= TY_NO_BRACKET;
	f |= !strcmp(t, "identifier") ? TY_IDENTIFIER : 0;
	f |= !strcmp(t, "comment") ? TY_COMMENT : 0;
	f |= !strcmp(t, ":") ? TY_COLON : 0;
	f |= !strcmp(t, ",") ? TY_COMMA : 0;
	f |= !strcmp(t, "module") ? TY_MODULE : 0;
	f |= !strcmp(t, "block") ? TY_BLOCK : 0;
	f |= !strcmp(t, "assignment") ? TY_ASSIGNMENT : 0;
	f |= !strcmp(t, "augmented_assignment") ? TY_AUGMENTED : 0;
	f |= !strcmp(t, "as_pattern_target") ? TY_AS_TARGET : 0;
	f |= !strcmp(t, "import_statement") ? TY_IMPORT : 0;
	f |= !strcmp(t, "import_from_statement") ? TY_IMPORT_FROM : 0;
	f |= !strcmp(t, "expression_statement") || !strcmp(t, "return_statement") ? TY_NO_IMPORTS
	                                                                          : 0;
	if (strstr("with_statement if_statement elif_clause else_clause for_statement "
	           "while_statement try_statement except_clause except_group_clause "
	           "finally_clause function_definition class_definition match_statement "
	           "case_clause",
	           t))
		f |= TY_HEADER;
	return f;
}

/*
 * The grammar's symbols are fixed: one table for the process, made on first
 * use, never freed (it holds no resource but its few hundred words).  When
 * it cannot be allocated, type_of() answers from the names, as before.
 */
static void make_type_flags(void)
{
	const TSLanguage *lang = tree_sitter_python();
	uint32_t i, n = ts_language_symbol_count(lang);
	uint32_t *flags = malloc(n * sizeof(*flags));

	if (!flags)
		return;
	for (i = 0; i < n; i++)
		flags[i] = flags_of_name(ts_language_symbol_name(lang, (TSSymbol)i));
	type_flags = flags;
	type_count = n;
}

/*
 * ts_node_type() names the node's own symbol, ts_node_symbol() gives its
 * public one (the first of the symbols of that name and kind): the same name.
 * ERROR (and its hidden repeat) lies beyond the count and has no flag.
 */
static uint32_t type_of(TSNode node)
{
	TSSymbol sym;

	if (pthread_once(&type_once, make_type_flags) != 0 || !type_flags)
		return flags_of_name(ts_node_type(node));
	sym = ts_node_symbol(node);
	return sym < type_count ? type_flags[sym] : 0;
}

/*
 * A statement: what check_tree() may skip whole.  Its checks look at its own
 * nodes only (inside_brackets() and bad_as_target() stop at a statement).
 */
static bool is_statement(TSNode node)
{
	return type_of(node) & TY_STATEMENT;
}

const TSLanguage *lm_language(void)
{
	return tree_sitter_python();
}

uint32_t lm_grammar_abi(void)
{
	return ts_language_version(tree_sitter_python());
}

void lm_grammar_abi_range(uint32_t *min, uint32_t *max)
{
	*min = TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION;
	*max = TREE_SITTER_LANGUAGE_VERSION;
}

int lm_parser_new(lm_parser **out)
{
	uint32_t abi = lm_grammar_abi(), min, max;
	lm_parser *parser;

	*out = NULL;
	lm_grammar_abi_range(&min, &max);
	if (abi < min || abi > max)
		return lm_error_set(LM_EABI,
		                    "tree-sitter-python has parser ABI %u, but this tree-sitter "
		                    "loads ABI %u to %u (use tree-sitter-python 0.23.6, ABI 14)",
		                    abi, min, max);
	parser = lm__calloc(1, sizeof(*parser));
	if (!parser)
		return lm_error_set(LM_ENOMEM, "out of memory");
	parser->ts = ts_parser_new();
	if (!parser->ts || !ts_parser_set_language(parser->ts, tree_sitter_python())) {
		lm_parser_free(parser);
		return lm_error_set(LM_EABI, "tree-sitter refused the Python grammar (ABI %u)",
		                    abi);
	}
	*out = parser;
	return 0;
}

void lm_parser_free(lm_parser *parser)
{
	if (!parser)
		return;
	if (parser->ts)
		ts_parser_delete(parser->ts);
	free(parser);
}

/* The length of the valid UTF-8 sequence at p, or 0. */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && p[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && p[1] < 0x90)
			return 0;
		if (c == 0xF4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

static int index_lines(lm_source *src)
{
	size_t i, n = 1, k = 0;

	for (i = 0; i < src->len; i++)
		if (src->text[i] == '\n' ||
		    (src->text[i] == '\r' && (i + 1 >= src->len || src->text[i + 1] != '\n')))
			n++;
	src->lines = lm__malloc(n * sizeof(size_t));
	if (!src->lines)
		return lm_error_set(LM_ENOMEM, "out of memory");
	src->lines[k++] = 0;
	for (i = 0; i < src->len; i++)
		if (src->text[i] == '\n' ||
		    (src->text[i] == '\r' && (i + 1 >= src->len || src->text[i + 1] != '\n')))
			src->lines[k++] = i + 1;
	src->nlines = k;
	for (i = 0, n = 0; i < src->len; i++)
		n += src->text[i] == '\n';
	src->newlines = lm__malloc((n ? n : 1) * sizeof(size_t));
	if (!src->newlines)
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (i = 0, k = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			src->newlines[k++] = i;
	src->nnewlines = k;
	return 0;
}

/* tree-sitter's point (rows counted by '\n', columns in bytes) of a byte. */
static TSPoint ts_point_of(const lm_source *src, size_t byte)
{
	size_t lo = 0, hi = src->nnewlines;

	/* The number of newlines before `byte`. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (src->newlines[mid] < byte)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (TSPoint){(uint32_t)lo, (uint32_t)(lo ? byte - src->newlines[lo - 1] - 1 : byte)};
}

static void detect_eol(lm_source *src)
{
	const char *nl = memchr(src->text, '\n', src->len);
	const char *cr = memchr(src->text, '\r', src->len);

	if (cr && (!nl || cr < nl))
		src->eol = (cr + 1 < src->text + src->len && cr[1] == '\n') ? "\r\n" : "\r";
	else
		src->eol = "\n";
}

void lm_source_position(const lm_source *src, size_t byte, uint32_t *line, uint32_t *col)
{
	size_t lo = 0, hi = src->nlines, i, c = 1;

	if (byte > src->len)
		byte = src->len;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (src->lines[mid] <= byte)
			lo = mid;
		else
			hi = mid;
	}
	for (i = src->lines[lo]; i < byte; i++)
		if (((unsigned char)src->text[i] & 0xC0) != 0x80)
			c++;
	*line = (uint32_t)(lo + 1);
	*col = (uint32_t)c;
}

static int check_encoding(lm_source *src)
{
	size_t i = 0;

	while (i < src->len) {
		const unsigned char *p = (const unsigned char *)src->text + i;
		size_t n;
		uint32_t line, col;

		if (*p == '\0') {
			lm_source_position(src, i, &line, &col);
			return lm_error_set(LM_EINVALID, "%s:%u:%u: NUL byte in source", src->name,
			                    line, col);
		}
		n = utf8_seq(p, src->len - i);
		if (!n) {
			lm_source_position(src, i, &line, &col);
			return lm_error_set(LM_EINVALID, "%s:%u:%u: not UTF-8 (byte 0x%02X)",
			                    src->name, line, col, *p);
		}
		i += n;
	}
	return 0;
}

static int source_init(lm_source *src)
{
	int error;

	src->bom = src->size >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0;
	src->text = src->bytes + (src->bom ? 3 : 0);
	src->len = src->size - (src->bom ? 3 : 0);
	strcpy(src->indent, "    ");
	detect_eol(src);
	if ((error = index_lines(src)) < 0)
		return error;
	return check_encoding(src);
}

int lm_source_from_bytes(lm_source **out, const char *name, const char *bytes, size_t len)
{
	lm_source *src;
	int error;

	*out = NULL;
	if (len > LM_SOURCE_MAX_BYTES)
		return lm_error_set(LM_ETOOBIG, "%s: %zu bytes is over the limit of %zu bytes",
		                    name, len, LM_SOURCE_MAX_BYTES);
	if (!(src = lm__calloc(1, sizeof(*src))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	src->name = lm__strdup(name);
	src->bytes = lm__malloc(len + 1);
	if (!src->name || !src->bytes) {
		lm_source_free(src);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	memcpy(src->bytes, bytes, len);
	src->bytes[len] = '\0';
	src->size = len;
	if ((error = source_init(src)) < 0) {
		lm_source_free(src);
		return error;
	}
	*out = src;
	return 0;
}

int lm_source_load(lm_source **out, const char *path, const char *name)
{
	struct stat st;
	lm_source *src = NULL;
	char *bytes = NULL;
	size_t got = 0;
	int fd, error = 0;

	*out = NULL;
	if (!name)
		name = path;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return lm_error_set(LM_EIO, "%s: cannot open: %s", name, strerror(errno));
	if (fstat(fd, &st) < 0) {
		error = lm_error_set(LM_EIO, "%s: cannot stat: %s", name, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		error = lm_error_set(LM_EINVALID, "%s: not a regular file", name);
		goto cleanup;
	}
	if ((size_t)st.st_size > LM_SOURCE_MAX_BYTES) {
		error = lm_error_set(LM_ETOOBIG, "%s: %lld bytes is over the limit of %zu bytes",
		                     name, (long long)st.st_size, LM_SOURCE_MAX_BYTES);
		goto cleanup;
	}
	/* Read one byte past the size seen, to notice a file that grew. */
	if (!(bytes = lm__malloc((size_t)st.st_size + 1))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (;;) {
		ssize_t n = read(fd, bytes + got, (size_t)st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = lm_error_set(LM_EIO, "%s: cannot read: %s", name, strerror(errno));
			goto cleanup;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > (size_t)st.st_size) {
			error = lm_error_set(LM_EIO, "%s: file changed while being read", name);
			goto cleanup;
		}
	}
	error = lm_source_from_bytes(&src, name, bytes, got);
	if (error == 0)
		*out = src;

cleanup:
	free(bytes);
	close(fd);
	return error;
}

static void free_imports(lm_source *src)
{
	size_t i;

	for (i = 0; i < src->nimports; i++) {
		free(src->imports[i].name);
		free(src->imports[i].dotted);
	}
	LM_FREE_AND_NULL(src->imports);
	src->nimports = 0;
}

void *lm_source_memo(const lm_source *src, const void *key)
{
	const memo *m;

	for (m = src->memos; m; m = m->next)
		if (m->key == key)
			return m->value;
	return NULL;
}

int lm_source_keep(const lm_source *src, const void *key, void *value, void (*release)(void *))
{
	/* A cache beside the source's content, which it does not change. */
	lm_source *owner = (lm_source *)src;
	memo *m = lm__malloc(sizeof(*m));

	if (!m) {
		release(value);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	m->key = key;
	m->value = value;
	m->release = release;
	m->next = owner->memos;
	owner->memos = m;
	return 0;
}

void lm_source_free(lm_source *src)
{
	if (!src)
		return;
	while (src->memos) {
		memo *m = src->memos;

		src->memos = m->next;
		m->release(m->value);
		free(m);
	}
	if (src->tree)
		ts_tree_delete(src->tree);
	free_imports(src);
	free(src->lines);
	free(src->newlines);
	free(src->bytes);
	free(src->name);
	free(src);
}

const char *lm_node_text(const lm_source *src, TSNode node, size_t *len)
{
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);

	*len = end - start;
	return src->text + start;
}

bool lm_node_text_is(const lm_source *src, TSNode node, const char *str)
{
	size_t len;
	const char *text = lm_node_text(src, node, &len);

	return len == strlen(str) && memcmp(text, str, len) == 0;
}

bool lm_node_is(TSNode node, const char *type)
{
	return !ts_node_is_null(node) && strcmp(ts_node_type(node), type) == 0;
}

/* Up to this many children, by index: about what a cursor's allocation costs. */
#define KIDS_BY_INDEX 16

void lm_kids_start(lm_kids *kids, TSNode node, bool named_only)
{
	memset(kids, 0, sizeof(*kids));
	kids->named_only = named_only;
	kids->node = node;
	/* A null node (a field a node lacks) has no children, and no cursor. */
	kids->done = ts_node_is_null(node);
	if (kids->done)
		return;
	kids->n = named_only ? ts_node_named_child_count(node) : ts_node_child_count(node);
	if (kids->n > KIDS_BY_INDEX)
		kids->cursor = ts_tree_cursor_new(node);
}

bool lm_kids_next(lm_kids *kids, TSNode *child)
{
	if (!kids->cursor.tree) {
		if (kids->done || kids->i >= kids->n) {
			kids->done = true;
			return false;
		}
		*child = kids->named_only ? ts_node_named_child(kids->node, kids->i)
		                          : ts_node_child(kids->node, kids->i);
		kids->i++;
		return true;
	}
	while (!kids->done) {
		bool moved;

		if (!kids->started) {
			moved = ts_tree_cursor_goto_first_child(&kids->cursor);
			kids->started = true;
		} else {
			moved = ts_tree_cursor_goto_next_sibling(&kids->cursor);
		}
		if (!moved) {
			kids->done = true;
			break;
		}
		*child = ts_tree_cursor_current_node(&kids->cursor);
		if (!kids->named_only || ts_node_is_named(*child))
			return true;
	}
	return false;
}

void lm_kids_end(lm_kids *kids)
{
	if (kids->cursor.tree)
		ts_tree_cursor_delete(&kids->cursor);
	kids->cursor.tree = NULL;
}

TSNode lm_node_token(TSNode node, const char *type)
{
	uint32_t i, n = ts_node_child_count(node);

	for (i = 0; i < n; i++) {
		TSNode child = ts_node_child(node, i);

		if (!ts_node_is_named(child) && strcmp(ts_node_type(child), type) == 0)
			return child;
	}
	return (TSNode){{0}, NULL, NULL};
}

/*
 * The first ERROR or MISSING node, depth first, or a null node.  A node
 * with an error that none of its children shows holds it in a hidden child
 * (a MISSING _newline, _indent or _dedent: ts_node_child() skips them, as
 * after `  2  return x` dedenting to no enclosing level): that node is
 * returned.
 */
static TSNode first_error(TSNode node)
{
	TSNode found = {{0}, NULL, NULL}, child;
	lm_kids kids;

	if (ts_node_is_missing(node) || strcmp(ts_node_type(node), "ERROR") == 0)
		return node;
	if (!ts_node_has_error(node))
		return found;
	for (lm_kids_start(&kids, node, false);
	     ts_node_is_null(found) && lm_kids_next(&kids, &child);)
		found = first_error(child);
	lm_kids_end(&kids);
	return ts_node_is_null(found) ? node : found;
}

static int add_import(lm_source *src, const char *name, size_t name_len, const char *dotted,
                      size_t dotted_len)
{
	import_entry *items, *e;

	items = lm__realloc(src->imports, (src->nimports + 1) * sizeof(*items));
	if (!items)
		return lm_error_set(LM_ENOMEM, "out of memory");
	src->imports = items;
	e = &items[src->nimports];
	e->name = lm__strndup(name, name_len);
	e->dotted = lm__strndup(dotted, dotted_len);
	if (!e->name || !e->dotted) {
		free(e->name);
		free(e->dotted);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	src->nimports++;
	return 0;
}

/* `import a.b.c` binds a; `import a.b as c` binds c to a.b. */
static int read_import(lm_source *src, TSNode stmt)
{
	lm_kids kids;
	TSNode item;
	int error = 0;

	for (lm_kids_start(&kids, stmt, true); !error && lm_kids_next(&kids, &item);) {
		size_t len, alen;
		const char *text;

		if (lm_node_is(item, "dotted_name")) {
			text = lm_node_text(src, item, &len);
			alen = strcspn(text, ".");
			if (alen > len)
				alen = len;
			error = add_import(src, text, alen, text, alen);
		} else if (lm_node_is(item, "aliased_import")) {
			TSNode name = ts_node_child_by_field_name(item, "name", 4);
			TSNode alias = ts_node_child_by_field_name(item, "alias", 5);
			const char *atext;

			if (ts_node_is_null(name) || ts_node_is_null(alias))
				continue;
			text = lm_node_text(src, name, &len);
			atext = lm_node_text(src, alias, &alen);
			error = add_import(src, atext, alen, text, len);
		}
	}
	lm_kids_end(&kids);
	return error < 0 ? error : 0;
}

/* `from m import x as y` binds y to m.x. */
static int read_import_from(lm_source *src, TSNode stmt)
{
	TSNode module = ts_node_child_by_field_name(stmt, "module_name", 11), item;
	lm_buf dotted = LM_BUF_INIT;
	const char *mtext;
	lm_kids kids;
	size_t mlen;
	int error = 0;

	if (ts_node_is_null(module))
		return 0;
	mtext = lm_node_text(src, module, &mlen);
	for (lm_kids_start(&kids, stmt, true); lm_kids_next(&kids, &item);) {
		TSNode name = item, alias = item;
		const char *text, *atext;
		size_t len, alen;

		if (ts_node_eq(item, module))
			continue;
		if (lm_node_is(item, "aliased_import")) {
			name = ts_node_child_by_field_name(item, "name", 4);
			alias = ts_node_child_by_field_name(item, "alias", 5);
		} else if (!lm_node_is(item, "dotted_name")) {
			continue;
		}
		if (ts_node_is_null(name) || ts_node_is_null(alias))
			continue;
		text = lm_node_text(src, name, &len);
		atext = lm_node_text(src, alias, &alen);
		lm_buf_clear(&dotted);
		if ((error = lm_buf_put(&dotted, mtext, mlen)) < 0 ||
		    (error = lm_buf_puts(&dotted, ".")) < 0 ||
		    (error = lm_buf_put(&dotted, text, len)) < 0 ||
		    (error = add_import(src, atext, alen, dotted.ptr, dotted.size)) < 0)
			break;
	}
	lm_kids_end(&kids);
	lm_buf_dispose(&dotted);
	return error;
}

static int read_imports(lm_source *src, TSNode node)
{
	uint32_t type = type_of(node);
	lm_kids kids;
	TSNode child;
	int error = 0;

	if (type & TY_IMPORT)
		return read_import(src, node);
	if (type & TY_IMPORT_FROM)
		return read_import_from(src, node);
	/* Imports are statements: no need to look inside expressions. */
	if (type & TY_NO_IMPORTS)
		return 0;
	for (lm_kids_start(&kids, node, true); error >= 0 && lm_kids_next(&kids, &child);)
		error = read_imports(src, child);
	lm_kids_end(&kids);
	return error < 0 ? error : 0;
}

/*
 * One level of indentation: what the first indented block adds to its parent,
 * both starting their lines (a block after a header spanning lines, as in
 * `with open("a\` / `b") as f:  body`, starts after text on its line), and
 * holding no form feed: one sets Python's column back to 0, so a level
 * written `\f   ` and put after a line's indentation would dedent the line.
 */
static bool detect_indent(lm_source *src, TSNode node, TSNode parent, int depth)
{
	bool found = false;
	lm_kids kids;
	TSNode child;

	if (depth > 64)
		return false;
	if (type_of(node) & TY_BLOCK) {
		size_t start = ts_node_start_byte(node);
		size_t pstart = ts_node_start_byte(parent);
		size_t bls = lm_line_start(src, start), pls = lm_line_start(src, pstart);
		size_t bind = start - bls, pind = pstart - pls;

		/* Both start their lines: only blanks before them. */
		if (lm_indent_len(src, bls) == bind && lm_indent_len(src, pls) == pind &&
		    bls != pls && bind > pind && bind - pind < sizeof(src->indent) &&
		    memcmp(src->text + bls, src->text + pls, pind) == 0 &&
		    !memchr(src->text + bls + pind, '\f', bind - pind)) {
			memcpy(src->indent, src->text + bls + pind, bind - pind);
			src->indent[bind - pind] = '\0';
			return true;
		}
	}
	for (lm_kids_start(&kids, node, true); !found && lm_kids_next(&kids, &child);)
		found = detect_indent(src, child, node, depth + 1);
	lm_kids_end(&kids);
	return found;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

void lm__columns(const char *text, size_t from, size_t to, size_t *col8, size_t *col1)
{
	size_t i;

	*col8 = *col1 = 0;
	for (i = from; i < to; i++) {
		if (text[i] == '\f') {
			*col8 = *col1 = 0; /* Python restarts the count */
		} else {
			*col8 = text[i] == '\t' ? (*col8 / 8 + 1) * 8 : *col8 + 1;
			*col1 += 1;
		}
	}
}

/*
 * Where `at` starts a line (only spaces, tabs and form feeds before it), its
 * indentation as Python measures it: columns with tabs to the next multiple
 * of 8 and with tabs as one column (the two must agree, else Python says
 * TabError).  Lines holding only blanks and a backslash before it continue
 * into its line: as CPython's tokenizer does, the first such backslash not
 * at column 0 sets the indentation.  False when `at` does not start a
 * line (a backslash ends a line of code above it).
 */
/* Whether the byte at `at` is inside a comment (a backslash there continues nothing). */
static bool in_comment(const lm_source *src, size_t at)
{
	TSNode n;

	if (!src->tree)
		return false;
	n = ts_node_descendant_for_byte_range(ts_tree_root_node(src->tree), (uint32_t)at,
	                                      (uint32_t)at + 1);
	return !ts_node_is_null(n) && strcmp(ts_node_type(n), "comment") == 0;
}

static bool line_indent(const lm_source *src, size_t at, size_t *col8, size_t *col1)
{
	const char *text = src->text;
	size_t s = at, nl, b, c8, c1;

	while (s > 0 && is_blank(text[s - 1]))
		s--;
	if (s > 0 && text[s - 1] != '\n' && text[s - 1] != '\r')
		return false;
	lm__columns(text, s, at, col8, col1);
	while (s > 0) {
		nl = s - 1;
		if (text[nl] == '\n' && nl > 0 && text[nl - 1] == '\r')
			nl--;
		if (nl == 0 || text[nl - 1] != '\\' || in_comment(src, nl - 1))
			break;
		b = nl - 1;
		s = b;
		while (s > 0 && is_blank(text[s - 1]))
			s--;
		if (s > 0 && text[s - 1] != '\n' && text[s - 1] != '\r')
			return false;
		lm__columns(text, s, b, &c8, &c1);
		if (c8 != 0) {
			*col8 = c8;
			*col1 = c1;
		}
	}
	return true;
}

/*
 * tree-sitter-python takes a line indented deeper than its block (Python's
 * "unexpected indent") as one more statement of the block: every statement
 * of a block that starts a line must be indented as the block's first one
 * (a block whose first statement is on its header's line has no other
 * line), and the module's at column 0.  It also takes a block without a
 * statement (a comment running on past a lone CR, which Python ends the
 * line at, left it empty), where Python expects an indented block.  A
 * block's first line must be indented deeper than its header's line
 * (`header`: its two columns, NULL for the module or a header not starting
 * a line).  The offending node goes into *bad and the reason into *why.
 */
static bool indents_agree(const lm_source *src, TSNode node, const size_t *header, TSNode *bad,
                          const char **why, const dirty *d)
{
	uint32_t type = type_of(node);
	bool module = type & TY_MODULE, ok = true;
	lm_kids kids;
	TSNode child;

	if (module || (type & TY_BLOCK)) {
		size_t want8 = 0, want1 = 0, col8, col1;
		bool first = !module, inline_body = false;

		for (lm_kids_start(&kids, node, true); ok && lm_kids_next(&kids, &child);) {
			bool starts;

			if (ts_node_is_extra(child))
				continue;
			starts = line_indent(src, ts_node_start_byte(child), &col8, &col1);
			if (first) {
				first = false;
				inline_body = !starts;
				want8 = col8;
				want1 = col1;
				/* Deeper than its header's line, both ways of counting tabs:
				 * tree-sitter-python adds up the blanks of a line of only a
				 * backslash and of the line it continues, Python takes the
				 * first (found by tests/fuzz: ` \` then a deeper line). */
				if (starts && header && (col8 <= header[0] || col1 <= header[1])) {
					*bad = child;
					*why = "expected an indented block";
					ok = false;
				}
			} else if (starts && (inline_body || col8 != want8 || col1 != want1)) {
				*bad = child;
				*why = "unexpected indent";
				ok = false;
			}
		}
		lm_kids_end(&kids);
		if (ok && first) {
			*bad = node;
			*why = "expected an indented block";
			ok = false;
		}
		if (!ok)
			return false;
	}
	for (lm_kids_start(&kids, node, true); ok && lm_kids_next(&kids, &child);) {
		size_t at[2];
		const size_t *hdr = NULL;

		/* Blocks hang off statements, clauses and definitions only. */
		if (!(type_of(child) & TY_HAS_BLOCK))
			continue;
		if (d && is_statement(child) && !is_dirty(d, child))
			continue;
		/* A block's header is `node`; it has a column when it starts a line. */
		if ((type_of(child) & TY_BLOCK) &&
		    line_indent(src, ts_node_start_byte(node), &at[0], &at[1]))
			hdr = at;
		ok = indents_agree(src, child, hdr, bad, why, d);
	}
	lm_kids_end(&kids);
	return ok;
}

static int check_tree(lm_source *src, const dirty *d);

/*
 * A CR not followed by LF ends a line for Python, but tree-sitter-python
 * 0.23.6 takes it for a space in some places (inside a comment, before an
 * inserted line): rewrites around it made mutants that do not parse (found by
 * tests/fuzz).  Such a file is refused, naming the first one.
 */
static int check_lone_cr(const lm_source *src)
{
	const char *cr = memchr(src->text, '\r', src->len);
	uint32_t line, col;

	while (cr && (size_t)(cr - src->text) + 1 < src->len && cr[1] == '\n')
		cr = memchr(cr + 2, '\r', src->len - (size_t)(cr + 2 - src->text));
	if (!cr)
		return 0;
	lm_source_position(src, (size_t)(cr - src->text), &line, &col);
	return lm_error_set(LM_EPARSE, "%s:%u:%u: a lone CR line ending (not supported)", src->name,
	                    line, col);
}

/*
 * The first line of text[from, to) (from starts a line; lines end at '\n',
 * as tree-sitter-python's scanner counts them) holding code indented over
 * LM_SOURCE_MAX_INDENT columns: its number counting from 1 at from, or 0.
 */
static uint32_t deep_line(const char *text, size_t from, size_t to)
{
	size_t i, col = 0;
	uint32_t line = 1;
	bool start = true;

	for (i = from; i < to; i++) {
		char c = text[i];

		if (c == '\n') {
			line++;
			start = true;
			col = 0;
		} else if (!start) {
			continue;
		} else if (c == ' ') {
			col++;
		} else if (c == '\t') {
			col += 8; /* as the scanner counts: not to a multiple of 8 */
		} else if (c == '\f') {
			col = 0; /* as the scanner counts */
		} else {
			if (c != '#' && c != '\r' && col > LM_SOURCE_MAX_INDENT)
				return line;
			start = false;
		}
	}
	return 0;
}

uint32_t lm_source_too_deep(const lm_source *src)
{
	return deep_line(src->text, 0, src->len);
}

bool lm_source_edited_plain(const lm_source *original, const lm_edits *edits, const char *mutant,
                            size_t mutant_len)
{
	const unsigned char *text = (const unsigned char *)original->text;
	size_t len = original->len, i, j, n = lm_edits_count(edits);

	if (mutant_len > LM_SOURCE_MAX_BYTES ||
	    (mutant_len >= 3 && memcmp(mutant, "\xEF\xBB\xBF", 3) == 0))
		return false;
	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);

		/* A continuation byte there: the edit cuts a character. */
		if ((e->start < len && (text[e->start] & 0xC0) == 0x80) ||
		    (e->end < len && (text[e->end] & 0xC0) == 0x80))
			return false;
		for (j = 0; j < e->len; j++)
			if (e->text[j] == '\0' || (unsigned char)e->text[j] >= 0x80)
				return false;
	}
	return true;
}

bool lm_source_edited_too_deep(const lm_edits *edits, const char *mutant, size_t mutant_len)
{
	size_t i, n = lm_edits_count(edits), done = 0;
	long long shift = 0; /* mutant offset minus original offset */

	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);
		size_t ms = (size_t)((long long)e->start + shift), me = ms + e->len, from, to;

		shift += (long long)e->len - (long long)(e->end - e->start);
		/* From the start of the line holding the edit to the end of the
		 * line holding its end (which may start there). */
		for (from = ms; from > done && mutant[from - 1] != '\n'; from--)
			;
		from = from > done ? from : done;
		for (to = me; to < mutant_len && mutant[to] != '\n'; to++)
			;
		if (from < to && deep_line(mutant, from, to))
			return true;
		done = to > done ? to : done;
	}
	return false;
}

void lm_text_position(const char *text, size_t len, size_t byte, uint32_t *line, uint32_t *col)
{
	size_t i, start = 0, lines = 1, c = 1;

	if (byte > len)
		byte = len;
	for (i = 0; i < byte; i++)
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
			lines++;
			start = i + 1;
		}
	for (i = start; i < byte; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			c++;
	*line = (uint32_t)lines;
	*col = (uint32_t)c;
}

/* A file tree-sitter-python may misread (LM_SOURCE_MAX_INDENT) is refused. */
static int check_depth(const lm_source *src)
{
	uint32_t line = lm_source_too_deep(src);

	if (!line)
		return 0;
	return lm_error_set(LM_EPARSE,
	                    "%s:%u:1: indented more than %d columns, a tab counting 8 "
	                    "(tree-sitter-python's limit; not supported)",
	                    src->name, line, LM_SOURCE_MAX_INDENT);
}

/* The first line of LM_SOURCE_MAX_EXTRAS comment or backslash lines in a row, or 0. */
static uint32_t extras_line(const char *text, size_t len)
{
	uint32_t line = 1, first = 0;
	size_t i = 0, run = 0;

	while (i < len) {
		bool extra = false, code = false;

		while (i < len && is_blank(text[i]))
			i++;
		if (i < len && text[i] == '#')
			extra = true;
		else if (i < len && text[i] == '\\' &&
		         (i + 1 >= len || text[i + 1] == '\n' || text[i + 1] == '\r'))
			extra = true;
		else if (i < len && text[i] != '\n' && text[i] != '\r')
			code = true;
		while (i < len && text[i] != '\n' && text[i] != '\r')
			i++;
		if (code) {
			run = 0; /* (a comment or a backslash after it: one more, in the margin) */
		} else if (extra && run++ == 0) {
			first = line;
		}
		if (run >= LM_SOURCE_MAX_EXTRAS)
			return first;
		/* Past the line's end: CR LF, LF or a lone CR. */
		if (i + 1 < len && text[i] == '\r' && text[i + 1] == '\n')
			i += 2;
		else if (i < len)
			i++;
		line++;
	}
	return 0;
}

static int check_extras(const lm_source *src)
{
	uint32_t line = extras_line(src->text, src->len);

	if (!line)
		return 0;
	return lm_error_set(LM_ETOOBIG,
	                    "%s:%u:1: %d lines in a row of comments or backslashes from here, "
	                    "where tree-sitter 0.20.7 fails on 65,534 (not supported)",
	                    src->name, line, LM_SOURCE_MAX_EXTRAS);
}

/*
 * A parse that does not depend on the ones before it.  tree-sitter-python
 * 0.23.6's scanner keeps whether it is inside an f-string across parses (its
 * state reset leaves that flag as it was), so a file ending inside an
 * f-string changed how the next file, or the next mutant, parsed (found by
 * tests/fuzz: `""""""f"`, then a with body ending in form feeds).  Setting
 * the language again makes a new scanner.
 */
static TSTree *parse_text(lm_parser *parser, const TSTree *old, const char *text, size_t len)
{
	if (!ts_parser_set_language(parser->ts, tree_sitter_python()))
		return NULL;
	return ts_parser_parse_string(parser->ts, old, text, (uint32_t)len);
}

int lm_source_parse(lm_source *src, lm_parser *parser)
{
	int error;

	if (src->tree)
		return 0;
	if (src->len > UINT32_MAX)
		return lm_error_set(LM_ETOOBIG, "%s: too large to parse", src->name);
	if ((error = check_lone_cr(src)) < 0 || (error = check_depth(src)) < 0 ||
	    (error = check_extras(src)) < 0)
		return error;
	src->tree = parse_text(parser, NULL, src->text, src->len);
	return check_tree(src, NULL);
}

/*
 * The dirty spans of a mutant: each edit's text (an empty one where text was
 * deleted) and each range tree-sitter reports as changed between the
 * original's tree, edited, and the mutant's.
 */
static int dirty_spans(dirty *d, const TSTree *old, const TSTree *new_tree, const lm_edits *edits)
{
	uint32_t nchanged = 0, k;
	TSRange *changed = ts_tree_get_changed_ranges(old, new_tree, &nchanged);
	size_t i, n = lm_edits_count(edits);
	int64_t shift = 0;

	d->count = 0;
	if (!(d->spans = lm__calloc(n + nchanged + 1, sizeof(*d->spans)))) {
		free(changed);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);
		uint32_t start = (uint32_t)((int64_t)e->start + shift);

		d->spans[d->count][0] = start;
		d->spans[d->count++][1] = start + (uint32_t)e->len;
		shift += (int64_t)e->len - (int64_t)(e->end - e->start);
	}
	for (k = 0; k < nchanged; k++) {
		d->spans[d->count][0] = changed[k].start_byte;
		d->spans[d->count++][1] = changed[k].end_byte;
	}
	free(changed);
	return 0;
}

int lm_source_parse_edited(lm_source *mutant, lm_parser *parser, const lm_source *original,
                           const lm_edits *edits)
{
	TSTree *old;
	size_t i = lm_edits_count(edits);
	dirty d = {NULL, 0};
	int error;

	if (mutant->tree)
		return 0;
	if ((error = check_depth(mutant)) < 0 || (error = check_extras(mutant)) < 0)
		return error;
	if (!original->tree || mutant->len > UINT32_MAX)
		return lm_source_parse(mutant, parser);
	if (!(old = ts_tree_copy(original->tree)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	/* Last edit first: offsets before an edit are the same in both texts. */
	while (i-- > 0) {
		const lm_edit *e = lm_edits_get(edits, i);
		TSPoint start = ts_point_of(original, e->start), end = start;
		TSInputEdit te;
		size_t k;

		for (k = 0; k < e->len; k++) {
			if (e->text[k] == '\n') {
				end.row++;
				end.column = 0;
			} else {
				end.column++;
			}
		}
		te.start_byte = (uint32_t)e->start;
		te.old_end_byte = (uint32_t)e->end;
		te.new_end_byte = (uint32_t)(e->start + e->len);
		te.start_point = start;
		te.old_end_point = ts_point_of(original, e->end);
		te.new_end_point = end;
		ts_tree_edit(old, &te);
	}
	mutant->tree = parse_text(parser, old, mutant->text, mutant->len);
	if (!original->checked || !mutant->tree) {
		ts_tree_delete(old);
		return check_tree(mutant, NULL);
	}
	error = dirty_spans(&d, old, mutant->tree, edits);
	ts_tree_delete(old);
	if (error == 0)
		error = check_tree(mutant, &d);
	free(d.spans);
	return error;
}

/*
 * A run of whole statements of one block (or of the module) holding some
 * of a mutant's edits, checked apart from the rest of the file (see
 * lm_source_check_edits()).
 */
typedef struct run {
	TSNode block;  /* the module, or a block */
	size_t lo, hi; /* the original's bytes: from a line start to a line start or the end */
	size_t k0, k1; /* its edits */
	size_t indent; /* the block's statements' indentation, in bytes */
} run;

/* Whether the line before the one starting at `ls` ends in a backslash. */
static bool line_before_continued(const lm_source *src, size_t ls)
{
	if (ls > 0 && src->text[ls - 1] == '\n')
		ls--;
	if (ls > 0 && src->text[ls - 1] == '\r')
		ls--;
	return ls > 0 && src->text[ls - 1] == '\\';
}

/*
 * Whether the last token of `node` (extras aside) is a comma:
 * tree-sitter-python may read the next line as going on from it (see
 * misread_comma), so a statement that ends so is not cut from the next.
 */
static bool ends_in_comma(TSNode node)
{
	for (;;) {
		uint32_t n = ts_node_child_count(node);
		TSNode last = {{0}, NULL, NULL};

		while (n > 0 && ts_node_is_null(last)) {
			TSNode c = ts_node_child(node, --n);

			if (!ts_node_is_extra(c))
				last = c;
		}
		if (ts_node_is_null(last))
			return (type_of(node) & TY_COMMA) != 0;
		node = last;
	}
}

/*
 * Whether statement `node` of a block whose statements are indented by
 * `indent` bytes (those of `first`'s line) starts a line the block can be
 * cut at: alone on its line's start, at the block's indentation, the line
 * before it not continued, and `prev` (the node before it, if any) ended
 * on an earlier line, not in a comma.
 */
static bool cut_at(const lm_source *src, TSNode node, TSNode prev, size_t first, size_t indent)
{
	size_t start = ts_node_start_byte(node), ls = lm_line_start(src, start);

	if (start - ls != indent || lm_indent_len(src, ls) != indent ||
	    memcmp(src->text + ls, src->text + first, indent) != 0 ||
	    line_before_continued(src, ls))
		return false;
	return ts_node_is_null(prev) ||
	       (ts_node_end_point(prev).row < ts_node_start_point(node).row &&
	        !line_before_continued(src, lm_line_next(src, ts_node_end_byte(prev) - 1)) &&
	        !ends_in_comma(prev));
}

/* Whether `e` inserts whole lines at a line start no backslash continues. */
static bool lines_at(const lm_source *src, const lm_edit *e)
{
	return e->start == e->end && e->len > 0 && e->text[e->len - 1] == '\n' &&
	       lm_line_start(src, e->start) == e->start && !line_before_continued(src, e->start);
}

/*
 * The run of `block` holding edit `e`: the statement holding it and the
 * ones after it up to the next cut (to the block's end), from the last
 * cut before it.  Whole lines inserted at a cut are a run of their own.
 * False when no run of this block holds the edit whole.
 */
static bool run_in(const lm_source *src, TSNode block, const lm_edit *e, run *r)
{
	TSTreeCursor cursor = ts_tree_cursor_new(block);
	TSNode prev = {{0}, NULL, NULL};
	bool module = strcmp(ts_node_type(block), "module") == 0, any = false, found = false;
	bool have_lo = false, done = false;
	size_t lo = 0, first_ls = 0, last_end = 0;

	r->block = block;
	r->indent = 0;
	if (ts_tree_cursor_goto_first_child(&cursor)) {
		do {
			TSNode node = ts_tree_cursor_current_node(&cursor);
			size_t ns = ts_node_start_byte(node), ne = ts_node_end_byte(node);
			bool cut;

			if (!ts_node_is_named(node) || strcmp(ts_node_type(node), "comment") == 0)
				continue;
			if (!any) {
				any = true;
				first_ls = lm_line_start(src, ns);
				r->indent = ns - first_ls;
				/* The first statement starts its line: not `if x: y`. */
				cut = module || (lm_indent_len(src, first_ls) == r->indent &&
				                 !line_before_continued(src, first_ls));
			} else {
				cut = cut_at(src, node, prev, first_ls, r->indent);
			}
			if (found) {
				if (cut) {
					r->hi = lm_line_start(src, ns);
					done = true;
					break;
				}
			} else {
				/* Whole lines inserted between two statements of the module. */
				if (module && lines_at(src, e) && e->start <= ns &&
				    (ts_node_is_null(prev) ||
				     (lm_line_next(src, ts_node_end_byte(prev) - 1) <= e->start &&
				      !ends_in_comma(prev)))) {
					r->lo = r->hi = e->start;
					found = done = true;
					break;
				}
				if (cut) {
					have_lo = true;
					lo = module && ts_node_is_null(prev)
					         ? 0
					         : lm_line_start(src, ns);
					if (lines_at(src, e) &&
					    e->start == lm_line_start(src, ns)) {
						r->lo = r->hi = e->start;
						found = done = true;
						break;
					}
				}
				if (e->start < ns && !(module && ts_node_is_null(prev)))
					break; /* between statements, or across them */
				if (e->end <= ne) {
					if (!have_lo)
						break;
					r->lo = lo;
					found = true;
				}
			}
			prev = node;
			last_end = ne;
		} while (ts_tree_cursor_goto_next_sibling(&cursor));
	}
	ts_tree_cursor_delete(&cursor);
	if (found && !done)
		r->hi = module ? src->len : lm_line_next(src, last_end - (last_end > 0));
	return found;
}

/*
 * The text of run `r` with its edits made, after `if 1:` when the block is
 * nested; false when it cannot be checked alone: its first line is not at
 * the block's indentation, or its last line is continued.
 */
static int run_text(lm_buf *out, const lm_source *src, const lm_edits *edits, const run *r,
                    bool *usable)
{
	size_t k, at = r->lo, body, i;
	bool nested = strcmp(ts_node_type(r->block), "module") != 0;
	int error;

	*usable = false;
	lm_buf_clear(out);
	if (nested && (error = lm_buf_printf(out, "if 1:%s", src->eol)) < 0)
		return error;
	body = out->size;
	for (k = r->k0; k < r->k1; k++) {
		const lm_edit *x = lm_edits_get(edits, k);

		if ((error = lm_buf_put(out, src->text + at, x->start - at)) < 0 ||
		    (error = lm_buf_put(out, x->text, x->len)) < 0)
			return error;
		at = x->end;
	}
	if ((error = lm_buf_put(out, src->text + at, r->hi - at)) < 0)
		return error;
	/* The first line at the block's indentation, with a statement on it. */
	if (!nested && r->lo == 0)
		i = 0; /* the file's head: as it is in the file */
	else
		for (i = 0; i < r->indent; i++)
			if (body + i >= out->size || out->ptr[body + i] != src->text[r->lo + i])
				return 0;
	if ((nested || r->lo > 0) &&
	    (body + i >= out->size || strchr(" \t\f\r\n#", out->ptr[body + i])))
		return 0;
	/* The last line not continued into what follows the run. */
	i = out->size;
	if (i > body && out->ptr[i - 1] == '\n')
		i--;
	if (i > body && out->ptr[i - 1] == '\r')
		i--;
	*usable = !(i > body && out->ptr[i - 1] == '\\');
	return 0;
}

/* The blocks holding [start, end], innermost first, then the module. */
static size_t blocks_holding(const lm_source *src, size_t start, size_t end, TSNode *out,
                             size_t max)
{
	TSNode root = ts_tree_root_node(src->tree), node;
	size_t n = 0;

	node = ts_node_descendant_for_byte_range(root, (uint32_t)start, (uint32_t)end);
	for (; !ts_node_is_null(node) && n + 1 < max; node = ts_node_parent(node))
		if (strcmp(ts_node_type(node), "block") == 0)
			out[n++] = node;
	out[n++] = root;
	return n;
}

/* Whether the module holds one statement (comments aside). */
static bool one_statement(const lm_source *src)
{
	TSNode child;
	lm_kids kids;
	uint32_t k = 0;

	for (lm_kids_start(&kids, ts_tree_root_node(src->tree), true);
	     k < 2 && lm_kids_next(&kids, &child);)
		k += strcmp(ts_node_type(child), "comment") != 0;
	lm_kids_end(&kids);
	return k == 1;
}

/* Whether node `outer` spans node `inner`. */
static bool spans(TSNode outer, TSNode inner)
{
	return ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
	       ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

/*
 * Make `b` the one run holding the edits of `a` and `b` (a's come first),
 * in the outer of their blocks; false when there is none.
 */
static bool merge_runs(const lm_source *src, const lm_edits *edits, const run *a, run *b)
{
	TSNode outer = spans(a->block, b->block) ? a->block : b->block;
	size_t k, lo = SIZE_MAX, hi = 0;
	run t;

	if (!spans(outer, a->block) || !spans(outer, b->block))
		return false;
	for (k = a->k0; k < b->k1; k++) {
		if (!run_in(src, outer, lm_edits_get(edits, k), &t))
			return false;
		lo = t.lo < lo ? t.lo : lo;
		hi = t.hi > hi ? t.hi : hi;
	}
	b->block = outer;
	b->lo = lo;
	b->hi = hi;
	b->indent = t.indent;
	b->k0 = a->k0;
	return true;
}

#define MAX_RUNS   8
#define MAX_LEVELS 32

int lm_source_check_edits(const lm_source *original, lm_parser *parser, const lm_edits *edits)
{
	size_t i, n = lm_edits_count(edits), nruns = 0, total = 0, levels, l;
	run runs[MAX_RUNS];
	TSNode chain[MAX_LEVELS];
	lm_buf text = LM_BUF_INIT;
	lm_source *part = NULL;
	int error = 0;

	if (!original->tree || !original->checked || n == 0 || original->len > UINT32_MAX)
		return 1;
	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);
		run r;

		levels = blocks_holding(original, e->start, e->end, chain, MAX_LEVELS);
		for (l = 0; l < levels; l++)
			if (run_in(original, chain[l], e, &r))
				break;
		if (l == levels)
			return 1;
		r.k0 = i;
		r.k1 = i + 1;
		/* Runs that overlap or touch become one, of the outer block. */
		while (nruns > 0 && (r.lo < runs[nruns - 1].hi ||
		                     (r.lo == runs[nruns - 1].hi &&
		                      ts_node_eq(runs[nruns - 1].block, r.block)))) {
			if (!merge_runs(original, edits, &runs[nruns - 1], &r))
				return 1;
			nruns--;
		}
		if (nruns == MAX_RUNS)
			return 1;
		runs[nruns++] = r;
	}
	for (i = 0; i < nruns; i++)
		total += runs[i].hi - runs[i].lo;
	/* No gain in parsing most of the file twice. */
	if (total > original->len / 2)
		return 1;
	for (i = 0; i < nruns && error == 0; i++) {
		bool usable;

		if ((error = run_text(&text, original, edits, &runs[i], &usable)) < 0)
			break;
		if (!usable) {
			error = 1;
			break;
		}
		if ((error = lm_source_from_bytes(&part, original->name, text.ptr, text.size)) == 0)
			error = lm_source_parse(part, parser);
		/* Nested: all of it inside `if 1:`, nothing left at the module's level. */
		if (error == 0 && strcmp(ts_node_type(runs[i].block), "module") != 0 &&
		    !one_statement(part))
			error = 1;
		/* Ending in a comma, it may be read on into what follows it. */
		if (error == 0 && ends_in_comma(lm_source_root(part)))
			error = 1;
		lm_source_free(part);
		part = NULL;
		if (error != LM_ENOMEM)
			error = error == 0 ? 0 : 1;
	}
	lm_buf_dispose(&text);
	return error;
}

/*
 * tree-sitter-python takes a keyword for an identifier in some places
 * (`with open(p) as for:`); Python refuses it, and rewrites that move the name
 * made mutants that do not parse (found by tests/fuzz).
 */
/*
 * A line break in [from, to) that no backslash continues (one ending a
 * comment is part of the comment: `x = f(1) *  # note \` does not go on
 * to the next line; found by tests/fuzz).
 */
static bool bare_line_break(const lm_source *src, size_t from, size_t to)
{
	size_t i, b;

	for (i = from; i < to; i++) {
		if (src->text[i] != '\n' && src->text[i] != '\r')
			continue;
		b = i > 0 && src->text[i] == '\n' && src->text[i - 1] == '\r' ? i - 1 : i;
		if (!(b > 0 && src->text[b - 1] == '\\') || in_comment(src, b - 1))
			return true;
	}
	return false;
}

/*
 * A compound statement's colon on a line after its header, or an
 * annotation's colon with a line break on either side (`f:  # note` then the
 * type on a later line, found by tests/fuzz): Python refuses both;
 * tree-sitter-python takes them.  `parent` holds `colon`, `prev` is the
 * child before it (comments count): both come from the caller's walk, as
 * ts_node_parent() and ts_node_prev_sibling() search from the root.
 */
static bool line_break_at_colon(const lm_source *src, TSNode parent, TSNode prev, TSNode colon)
{
	TSNode next;
	uint32_t type;

	if (ts_node_is_named(colon) || !(type_of(colon) & TY_COLON) || ts_node_is_null(prev))
		return false;
	type = type_of(parent);
	if (type & TY_ASSIGNMENT) {
		/* Comments may lie between the colon and the type. */
		next = ts_node_child_by_field_name(parent, "type", 4);
		return bare_line_break(src, ts_node_end_byte(prev), ts_node_start_byte(colon)) ||
		       (!ts_node_is_null(next) &&
		        bare_line_break(src, ts_node_end_byte(colon), ts_node_start_byte(next)));
	}
	if (!(type & TY_HEADER))
		return false;
	return bare_line_break(src, ts_node_end_byte(prev), ts_node_start_byte(colon));
}

/* How `child` (an anonymous bracket token or not) moves the bracket depth. */
static int bracket_step(TSNode child)
{
	uint32_t t;

	if (ts_node_is_named(child))
		return 0;
	t = type_of(child);
	if (t & TY_OPEN)
		return 1;
	if (t & TY_CLOSE)
		return -1;
	return 0;
}

/*
 * Whether the byte `at` of `node` lies inside brackets of it or of an
 * ancestor, up to `bound` (when not null) at most.
 */
static bool inside_brackets(TSNode node, uint32_t at, TSNode bound)
{
	for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
		lm_kids kids;
		int depth = 0;
		TSNode c;

		if (type_of(node) & TY_NO_BRACKET)
			return false;
		for (lm_kids_start(&kids, node, false); lm_kids_next(&kids, &c);) {
			if (ts_node_start_byte(c) >= at)
				break;
			depth += bracket_step(c);
		}
		lm_kids_end(&kids);
		if (depth > 0)
			return true;
		if (!ts_node_is_null(bound) && ts_node_eq(node, bound))
			return false;
	}
	return false;
}

/*
 * Whether `node` holds a line break that only brackets around it join: one
 * between two of its tokens that no bracket of `node` itself (or of a node
 * inside it) encloses, and no backslash continues.  Moved out of those
 * brackets (`with (open` / `(p)) as f:` to `f = open` / `(p)`), the text
 * would end its statement at the break (found by tests/fuzz).
 */
bool lm_node_breaks_bare(const lm_source *src, TSNode node)
{
	TSTreeCursor c = ts_tree_cursor_new(node);
	bool found = false, more = true;
	uint32_t end = ts_node_end_byte(node);

	/* Each gap between consecutive leaves, and the brackets open at it. */
	while (more && !found) {
		TSNode n = ts_tree_cursor_current_node(&c);

		if (ts_node_child_count(n) > 0) {
			more = ts_tree_cursor_goto_first_child(&c);
			continue;
		}
		{
			TSNode next = ts_node_next_sibling(n), up = n;

			while (ts_node_is_null(next) && !ts_node_eq(up, node)) {
				up = ts_node_parent(up);
				next = ts_node_eq(up, node) ? next : ts_node_next_sibling(up);
			}
			/* A bare break, outside every bracket of a node within `node`? */
			if (!ts_node_is_null(next) && ts_node_start_byte(next) <= end &&
			    bare_line_break(src, ts_node_end_byte(n), ts_node_start_byte(next)))
				found =
				    !inside_brackets(ts_node_parent(n), ts_node_end_byte(n), node);
		}
		/* The next leaf: a sibling, or an ancestor's within `node`. */
		while (!(more = ts_tree_cursor_goto_next_sibling(&c))) {
			if (!ts_tree_cursor_goto_parent(&c) ||
			    ts_node_eq(ts_tree_cursor_current_node(&c), node))
				break;
		}
	}
	ts_tree_cursor_delete(&c);
	return found;
}

/*
 * A line break no bracket or backslash joins, between two tokens of one
 * statement: Python ends the statement there and refuses what follows, while
 * tree-sitter-python takes a line break for a blank where its grammar wants
 * no newline (`f:~` then `   ~x` on the next line, found by tests/fuzz).
 * A break at a colon (line_break_at_colon) has its own message, in *why.
 * Returns the token after the break, or the colon, or a null node.
 */
static TSNode bare_break_in(const lm_source *src, TSNode node, TSTreeCursor *kids,
                            bool *after_comma, const char **why)
{
	uint32_t type = type_of(node);
	bool compound = type & TY_COMPOUND, more;
	TSNode prev = {{0}, NULL, NULL}, last = prev;
	int depth = 0;

	/* Blocks hold statements; strings' pieces are text (an f-string's
	 * replacement fields may span lines in a triple-quoted one). */
	if (type & TY_OPAQUE)
		return prev;
	/* A cursor over the children: ts_node_child(i) walks from the first. */
	ts_tree_cursor_reset(kids, node);
	for (more = ts_tree_cursor_goto_first_child(kids); more;
	     more = ts_tree_cursor_goto_next_sibling(kids)) {
		TSNode c = ts_tree_cursor_current_node(kids), before = last;
		uint32_t ct = type_of(c);

		last = c;
		if (line_break_at_colon(src, node, before, c)) {
			*why = "a line break at the colon";
			return c;
		}
		if (ct & TY_COMMENT)
			continue;
		if (!ts_node_is_null(prev) && depth == 0 &&
		    bare_line_break(src, ts_node_end_byte(prev), ts_node_start_byte(c)) &&
		    !inside_brackets(ts_node_parent(node), ts_node_start_byte(node),
		                     (TSNode){{0}, NULL, NULL})) {
			*after_comma = type_of(prev) & TY_COMMA;
			*why = "a line break inside a statement";
			return c;
		}
		if (compound && !ts_node_is_named(c) && (ct & TY_COLON) && depth == 0)
			break; /* the header ends */
		depth += bracket_step(c);
		prev = c;
	}
	return (TSNode){{0}, NULL, NULL};
}

/*
 * Whether Python can assign to `node`, written after `as` in a with item:
 * a name, an attribute, a subscript, or a tuple or list of such (starred
 * or not, in brackets or not).  tree-sitter-python takes any expression
 * there (`with open(p) as -f:`, found by tests/fuzz), which an operator
 * would turn into an assignment that does not parse.
 */
static bool assignable(TSNode node)
{
	const char *type = ts_node_type(node);
	bool ok = true;
	lm_kids kids;
	TSNode child;

	if (!strcmp(type, "identifier") || !strcmp(type, "attribute") || !strcmp(type, "subscript"))
		return true;
	if (!strcmp(type, "parenthesized_expression") || !strcmp(type, "list_splat"))
		return ts_node_named_child_count(node) == 1 &&
		       assignable(ts_node_named_child(node, 0));
	if (strcmp(type, "tuple") != 0 && strcmp(type, "list") != 0 &&
	    strcmp(type, "pattern_list") != 0)
		return false;
	for (lm_kids_start(&kids, node, true); ok && lm_kids_next(&kids, &child);)
		ok = assignable(child);
	lm_kids_end(&kids);
	return ok;
}

/* The target after `as` in a with item or an except clause, when Python refuses it. */
static bool bad_as_target(TSNode node)
{
	TSNode holder, target;

	if (!(type_of(node) & TY_AS_TARGET) || ts_node_named_child_count(node) != 1)
		return false;
	target = ts_node_named_child(node, 0);
	/* Up through the brackets of `with (a as b, c as d):`. */
	for (holder = ts_node_parent(ts_node_parent(node)); !ts_node_is_null(holder);
	     holder = ts_node_parent(holder)) {
		const char *type = ts_node_type(holder);

		if (!strcmp(type, "with_item"))
			return !assignable(target);
		if (!strcmp(type, "except_clause") || !strcmp(type, "except_group_clause"))
			return strcmp(ts_node_type(target), "identifier") != 0;
		if (strcmp(type, "parenthesized_expression") != 0 && strcmp(type, "tuple") != 0)
			return false;
	}
	return false;
}

/*
 * An assignment chained the way Python refuses: tree-sitter-python takes an
 * assignment or an augmented one as the right side of any other (`x = y +=
 * 1`, `x += y = 1`, `x: int = y = 3`, `x = y: int`; found by tests/fuzz).
 * Python chains plain `=` only.
 */
static bool bad_chain(TSNode node)
{
	const char *type, *inner;
	TSNode right;

	if (!(type_of(node) & (TY_ASSIGNMENT | TY_AUGMENTED)))
		return false;
	type = ts_node_type(node);
	right = ts_node_child_by_field_name(node, "right", 5);
	if (ts_node_is_null(right))
		return false;
	inner = ts_node_type(right);
	if (strcmp(inner, "assignment") != 0 && strcmp(inner, "augmented_assignment") != 0)
		return false;
	return strcmp(type, "assignment") != 0 || strcmp(inner, "assignment") != 0 ||
	       !ts_node_is_null(ts_node_child_by_field_name(node, "type", 4)) ||
	       !ts_node_is_null(ts_node_child_by_field_name(right, "type", 4));
}

/*
 * The reasons of lm_source_misread().  Python ends a statement at a
 * comma-ended line that tree-sitter-python joins to the next one.  And
 * inside brackets, a line starting left of its statement (which only a
 * rewrite that indents a statement makes: the lines inside its brackets
 * keep their place) after an operator is an error to tree-sitter-python
 * and not to Python (found by tests/fuzz: `f(o -` then `u)` at column 0 in
 * a function).
 */
static const char misread_comma[] =
    "tree-sitter-python would read the mutant's statement as continuing the line before it, "
    "which ends in a comma";
static const char misread_left[] =
    "tree-sitter-python may misread a line inside brackets that starts left of its statement";

/*
 * Whether token `tok` wants an operand after it: an operator, a dot, a
 * colon, a keyword.  After an opening bracket, a comma or an operand, a line
 * starting left of its statement is read as Python reads it.
 */
static bool wants_operand(TSNode tok)
{
	static const char *const fine[] = {"(", "[", "{", ",", ")", "]", "}"};
	size_t i;

	if (ts_node_is_named(tok))
		return false;
	for (i = 0; i < sizeof(fine) / sizeof(*fine); i++)
		if (lm_node_is(tok, fine[i]))
			return false;
	return true;
}

/*
 * One step of a depth-first walk with `cur`: into the current node's first
 * child when *down, else to its next sibling, else back up to its parent
 * (*down then false: the parent was seen on the way down).  false at the end.
 */
static bool walk_next(TSTreeCursor *cur, bool *down)
{
	if (*down && ts_tree_cursor_goto_first_child(cur))
		return true;
	if (ts_tree_cursor_goto_next_sibling(cur)) {
		*down = true;
		return true;
	}
	*down = false;
	return ts_tree_cursor_goto_parent(cur);
}

bool lm__node_types_agree(TSNode root, TSNode *bad)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	bool down = true, agree;

	*bad = (TSNode){{0}, NULL, NULL};
	(void)type_of(root);
	if (!(agree = type_flags != NULL))
		goto done;
	do {
		TSNode node = ts_tree_cursor_current_node(&cur);

		if (down && type_of(node) != flags_of_name(ts_node_type(node))) {
			*bad = node;
			agree = false;
			break;
		}
	} while (walk_next(&cur, &down));
done:
	ts_tree_cursor_delete(&cur);
	return agree;
}

/* The columns of the first non-blank byte of the line holding byte `at`. */
static void indent_of_line(const lm_source *src, size_t at, size_t *col8, size_t *col1)
{
	size_t s = at, e;

	while (s > 0 && src->text[s - 1] != '\n' && src->text[s - 1] != '\r')
		s--;
	for (e = s; e < at && is_blank(src->text[e]); e++)
		;
	lm__columns(src->text, s, e, col8, col1);
}

/*
 * The same shape found token by token, for a tree with an error (whose
 * statements may be ERROR nodes): a token inside brackets that starts its
 * line left of the line the outermost bracket opened on, after a token
 * that wants an operand.  A backslash ending the line before is passed
 * over, as comments are (found by tests/fuzz: `open(o -\`, a comment
 * line, then `u)` at column 0, moved into a block by safe-exitstack).
 */
static bool left_line_in(const lm_source *src, TSNode root)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	TSNode prev = {{0}, NULL, NULL};
	size_t want8 = 0, want1 = 0;
	int depth = 0;
	bool down = true, found = false;

	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cur);

		/* Tokens: not comments, nor the empty nodes an error leaves. */
		if (down && ts_node_child_count(node) == 0 && !lm_node_is(node, "comment") &&
		    !lm_node_is(node, "line_continuation") &&
		    ts_node_end_byte(node) > ts_node_start_byte(node)) {
			size_t at = ts_node_start_byte(node), s = at, col8, col1;
			bool first;

			while (s > 0 && is_blank(src->text[s - 1]))
				s--;
			first = s == 0 || src->text[s - 1] == '\n' || src->text[s - 1] == '\r';
			if (depth > 0 && first && !ts_node_is_null(prev) && wants_operand(prev)) {
				indent_of_line(src, at, &col8, &col1);
				if (col8 < want8 || col1 < want1) {
					found = true;
					break;
				}
			}
			if (!ts_node_is_named(node) &&
			    (lm_node_is(node, "(") || lm_node_is(node, "[") ||
			     lm_node_is(node, "{"))) {
				if (depth++ == 0)
					indent_of_line(src, at, &want8, &want1);
			} else if (!ts_node_is_named(node) && depth > 0 &&
			           (lm_node_is(node, ")") || lm_node_is(node, "]") ||
			            lm_node_is(node, "}"))) {
				depth--;
			}
			prev = node;
		}
		if (!walk_next(&cur, &down))
			break;
	}
	ts_tree_cursor_delete(&cur);
	return found;
}

static TSNode python_refuses(const lm_source *src, TSNode root, const char **why,
                             const char **misread, const dirty *d)
{
	static const char *const keywords[] = {
	    "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
	    "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
	    "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
	    "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
	TSTreeCursor cur = ts_tree_cursor_new(root), kids = ts_tree_cursor_new(root);
	TSNode found = {{0}, NULL, NULL};
	bool down = true, comma = false;
	/*
	 * Without a CR, a node's rows count the '\n' in it: on one row, it holds
	 * no line break for bare_break_in() to find (most nodes: walking their
	 * children was about a tenth of a scan).
	 */
	bool rows = !memchr(src->text, '\r', src->len);

	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cur);

		if (down && d && is_statement(node) && !is_dirty(d, node))
			down = false; /* the original's, checked: on to its sibling */
		if (down && (type_of(node) & TY_IDENTIFIER)) {
			size_t start = ts_node_start_byte(node),
			       len = ts_node_end_byte(node) - start;
			size_t i;

			for (i = 0; i < sizeof(keywords) / sizeof(*keywords); i++)
				if (strlen(keywords[i]) == len &&
				    !memcmp(src->text + start, keywords[i], len))
					break;
			if (i < sizeof(keywords) / sizeof(*keywords)) {
				found = node;
				*why = "a keyword used as a name";
				break;
			}
		}
		if (down && bad_as_target(node)) {
			found = node;
			*why = "cannot assign to this target";
			break;
		}
		if (down && bad_chain(node)) {
			found = node;
			*why = "an assignment chained the way Python does not allow";
			break;
		}
		if (down &&
		    (!rows || ts_node_end_point(node).row != ts_node_start_point(node).row) &&
		    !ts_node_is_null(found = bare_break_in(src, node, &kids, &comma, why))) {
			if (comma)
				*misread = misread_comma;
			break;
		}
		if (!walk_next(&cur, &down))
			break;
	}
	ts_tree_cursor_delete(&cur);
	ts_tree_cursor_delete(&kids);
	return found;
}

/*
 * Characters tree-sitter-python skips as blanks between tokens but Python
 * refuses there ("invalid non-printable character"): a vertical tab, and
 * the zero-width space, word joiner and byte order mark inside the text
 * (found by tests/fuzz: vertical tabs as indentation).  Inside a string or
 * a comment they are characters like any other.  Returns the offending
 * character's code point and where it is, or 0.
 */
static uint32_t invisible_blank(const lm_source *src, TSNode root, size_t *at)
{
	static const struct {
		const char *utf8;
		size_t len;
		uint32_t cp;
	} chars[] = {{"\v", 1, 0x0B},
	             {"\xE2\x80\x8B", 3, 0x200B},
	             {"\xE2\x81\xA0", 3, 0x2060},
	             {"\xEF\xBB\xBF", 3, 0xFEFF}};
	size_t i;

	for (i = 0; i < sizeof(chars) / sizeof(*chars); i++) {
		const char *p = src->text, *end = src->text + src->len;

		while ((p = memmem(p, (size_t)(end - p), chars[i].utf8, chars[i].len)) != NULL) {
			size_t off = (size_t)(p - src->text);
			TSNode n = ts_node_descendant_for_byte_range(
			    root, (uint32_t)off, (uint32_t)(off + chars[i].len));
			bool quoted = false;

			for (; !ts_node_is_null(n); n = ts_node_parent(n))
				if (!strcmp(ts_node_type(n), "string") ||
				    !strcmp(ts_node_type(n), "comment")) {
					quoted = ts_node_start_byte(n) <= off &&
					         off < ts_node_end_byte(n);
					break;
				}
			if (!quoted) {
				*at = off;
				return chars[i].cp;
			}
			p += chars[i].len;
		}
	}
	return 0;
}

/*
 * The first node deeper than LM_SOURCE_MAX_DEPTH, or a null node: with a
 * cursor, whose stack is on the heap, before anything walks the tree by
 * recursion.  For a mutant, the statements `d` marks (the others are the
 * original's, which passed).
 */
static TSNode too_deep(TSNode root, const dirty *d)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	TSNode found = {{0}, NULL, NULL};
	bool down = true;
	long depth = 0;

	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cur);

		if (down && d && is_statement(node) && !is_dirty(d, node))
			down = false;
		if (down && depth > LM_SOURCE_MAX_DEPTH) {
			found = node;
			break;
		}
		if (down && ts_tree_cursor_goto_first_child(&cur)) {
			depth++;
			continue;
		}
		if (ts_tree_cursor_goto_next_sibling(&cur)) {
			down = true;
			continue;
		}
		down = false;
		if (!ts_tree_cursor_goto_parent(&cur))
			break;
		depth--;
	}
	ts_tree_cursor_delete(&cur);
	return found;
}

static int check_tree(lm_source *src, const dirty *d)
{
	TSNode root, bad;
	uint32_t line, col, cp;
	const char *why = NULL;
	size_t at;

	src->misread = NULL;
	src->checked = false;
	if (!src->tree)
		return lm_error_set(LM_EPARSE, "%s: the parser gave up", src->name);
	root = ts_tree_root_node(src->tree);
	if (!ts_node_is_null(bad = too_deep(root, d))) {
		lm_source_position(src, ts_node_start_byte(bad), &line, &col);
		return lm_error_set(LM_ETOOBIG,
		                    "%s:%u:%u: nested deeper than %d levels (not supported)",
		                    src->name, line, col, LM_SOURCE_MAX_DEPTH);
	}
	bad = first_error(root);
	if (!ts_node_is_null(bad) && d && left_line_in(src, root)) {
		/* Python may well take it: not a syntax error, a misreading. */
		src->misread = misread_left;
		lm_source_position(src, ts_node_start_byte(bad), &line, &col);
		return lm_error_set(LM_EPARSE, "%s:%u:%u: %s", src->name, line, col, misread_left);
	}
	if (!ts_node_is_null(bad)) {
		lm_source_position(src, ts_node_start_byte(bad), &line, &col);
		if (ts_node_is_missing(bad))
			return lm_error_set(LM_EPARSE, "%s:%u:%u: syntax error: missing %s",
			                    src->name, line, col, ts_node_type(bad));
		if (strcmp(ts_node_type(bad), "ERROR") != 0)
			return lm_error_set(LM_EPARSE,
			                    "%s:%u:%u: syntax error: a line break or indentation "
			                    "is missing in this %s",
			                    src->name, line, col, ts_node_type(bad));
		return lm_error_set(LM_EPARSE, "%s:%u:%u: syntax error", src->name, line, col);
	}
	if (!ts_node_is_null(bad = python_refuses(src, root, &why, &src->misread, d))) {
		lm_source_position(src, ts_node_start_byte(bad), &line, &col);
		if (src->misread == misread_comma)
			return lm_error_set(LM_EPARSE,
			                    "%s:%u:%u: tree-sitter-python reads this line as "
			                    "continuing the one before, which ends in a comma "
			                    "(Python ends the statement there)",
			                    src->name, line, col);
		return lm_error_set(LM_EPARSE, "%s:%u:%u: syntax error: %s", src->name, line, col,
		                    why);
	}
	if ((cp = invisible_blank(src, root, &at)) != 0) {
		lm_source_position(src, at, &line, &col);
		return lm_error_set(
		    LM_EPARSE, "%s:%u:%u: syntax error: invalid non-printable character U+%04X",
		    src->name, line, col, (unsigned)cp);
	}
	if (!indents_agree(src, root, NULL, &bad, &why, d)) {
		lm_source_position(src, ts_node_start_byte(bad), &line, &col);
		return lm_error_set(LM_EPARSE, "%s:%u:%u: syntax error: %s", src->name, line, col,
		                    why);
	}
	src->checked = true;
	if (d)
		return 0; /* a mutant: only whether it parses matters */
	detect_indent(src, root, root, 0);
	return read_imports(src, root);
}

const char *lm_source_misread(const lm_source *src)
{
	return src->misread;
}

const char *lm_source_name(const lm_source *src)
{
	return src->name;
}

const char *lm_source_text(const lm_source *src)
{
	return src->text;
}

size_t lm_source_len(const lm_source *src)
{
	return src->len;
}

bool lm_source_bom(const lm_source *src)
{
	return src->bom;
}

const char *lm_source_eol(const lm_source *src)
{
	return src->eol;
}

const char *lm_source_indent(const lm_source *src)
{
	return src->indent;
}

TSNode lm_source_root(const lm_source *src)
{
	if (!src->tree)
		return (TSNode){{0}, NULL, NULL};
	return ts_tree_root_node(src->tree);
}

const char *lm_source_resolve(const lm_source *src, const char *name, size_t len)
{
	size_t i;

	/* The last binding wins, as a later import rebinds the name. */
	for (i = src->nimports; i > 0; i--) {
		const import_entry *e = &src->imports[i - 1];

		if (strlen(e->name) == len && memcmp(e->name, name, len) == 0)
			return e->dotted;
	}
	return NULL;
}
