/*
 * leakmut: Python source files and the parser that reads them.
 *
 * A source owns the file's bytes, its parse tree and what the operators need
 * to know about the file as a whole: its line ending, its indentation unit
 * and its imports.  Offsets handed to operators are byte offsets into
 * lm_source_text(), which excludes a leading UTF-8 BOM; writers put the BOM
 * back (lm_source_bom()).
 */
#ifndef LEAKMUT_SOURCE_H
#define LEAKMUT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "common.h"
#include "edit.h"

/* Files larger than this are refused with LM_ETOOBIG. */
#define LM_SOURCE_MAX_BYTES ((size_t)8 * 1024 * 1024)

/*
 * tree-sitter-python 0.23.6 keeps each indentation level in one byte when
 * it saves its scanner's state: a line of code indented deeper than this
 * many columns, counted as its scanner counts them (a tab is 8 more, not
 * the way to the next multiple of 8: found by tests/fuzz), may be misread.
 * lm_source_parse() refuses such a file (LM_EPARSE).
 */
#define LM_SOURCE_MAX_INDENT 255

/*
 * tree-sitter 0.20.7 corrupts its memory (a bad free when the tree is
 * deleted) on 65,534 comments or line continuations in a row, with no other
 * token between them.  lm_source_parse() refuses (LM_ETOOBIG) a file with
 * this many lines in a row holding a comment or a lone backslash and
 * nothing else (blank lines between them neither count nor end the run;
 * lines inside a string count as they look).
 */
#define LM_SOURCE_MAX_EXTRAS 60000

/*
 * The deepest syntax tree lm_source_parse() takes (LM_ETOOBIG past it):
 * the operators and checks walk trees by recursion, and 100,000 nested
 * brackets overflowed the stack.  Python itself compiles no expression
 * nested much past 3,000 levels (a RecursionError), nor 200 brackets.
 */
#define LM_SOURCE_MAX_DEPTH 4000

typedef struct lm_parser lm_parser;
typedef struct lm_source lm_source;

/*
 * Create a parser for tree-sitter-python.  Fails with LM_EABI, saying what
 * was found and what is needed, when the linked grammar's ABI is one the
 * linked tree-sitter cannot load.  Release with lm_parser_free().
 */
int lm_parser_new(lm_parser **out);

/* Release a parser.  Accepts NULL. */
void lm_parser_free(lm_parser *parser);

/* The grammar's ABI version, and the range this tree-sitter accepts. */
uint32_t lm_grammar_abi(void);
void lm_grammar_abi_range(uint32_t *min, uint32_t *max);

/* The tree-sitter-python language (borrowed, static). */
const TSLanguage *lm_language(void);

/*
 * Read `path` from disk.  `name` is the path shown in messages and used as
 * the file's identity (for instance relative to the input root); NULL means
 * `path`.  Fails with LM_EIO (naming the file and errno's text), LM_ETOOBIG,
 * or LM_EINVALID (NUL bytes, or bytes that are not UTF-8, with their
 * line:col).  Release with lm_source_free().
 */
int lm_source_load(lm_source **out, const char *path, const char *name);

/* Same, from bytes in memory; the source keeps its own copy. */
int lm_source_from_bytes(lm_source **out, const char *name, const char *bytes, size_t len);

/* Release a source and its tree.  Accepts NULL. */
void lm_source_free(lm_source *src);

/*
 * Parse the source.  Fails with LM_EPARSE and "name:line:col: syntax error"
 * (or "missing X") at the first ERROR or MISSING node.  On success the tree
 * and the import table are available.
 */
int lm_source_parse(lm_source *src, lm_parser *parser);

/*
 * Parse `mutant`, made from `original` (parsed) by `edits` (checked, so
 * sorted), reusing the original's tree: tree-sitter re-parses only what the
 * edits touched.  Same result and errors as lm_source_parse(); when the
 * original passed lm_source_parse(), the checks Python's grammar needs run
 * only over the statements the edits touched or tree-sitter read anew (the
 * others are the original's), and the mutant's import table and indent
 * unit are not read.
 */
int lm_source_parse_edited(lm_source *mutant, lm_parser *parser, const lm_source *original,
                           const lm_edits *edits);

/*
 * Whether `original` (parsed, and it passed every check) with `edits`
 * (checked, so sorted) parses and passes the checks, told from the
 * statements the edits touch alone.  Each edit falls in a run of whole
 * statements of the innermost block that has one holding it (a block is
 * cut before a statement that starts its line at the block's indentation
 * after one that ended on an earlier line, no backslash continuing
 * either); whole lines inserted between statements are a run of their
 * own; runs that overlap become one of the outer block.  Each run is
 * parsed alone with every check, nested ones as the body of `if 1:`, and
 * must keep its first line at its block's indentation, not continue its
 * last line, and (nested) not leave the `if`.  0: every run passes, so
 * the whole edited text would (the rest is the original's).  1: that
 * cannot be told this way (no run holds an edit, runs are most of the
 * file, or one fails): lm_source_parse_edited() gives the verdict and its
 * error.  Negative on failure.
 */
int lm_source_check_edits(const lm_source *original, lm_parser *parser, const lm_edits *edits);

/*
 * Why the last parse refused the text only because tree-sitter-python may
 * misread it, or NULL: it reads a statement-level line ending in a comma as
 * continued on the next line (`x,` then `y = 1`), where Python ends the
 * statement at the comma; or, in a mutant (lm_source_parse_edited()), a
 * line inside a statement's brackets starts left of the statement after an
 * operator, which it reads as an error.
 * The text may well be Python, but it cannot be checked here.
 */
const char *lm_source_misread(const lm_source *src);

/* Borrowed accessors, valid while the source lives. */
const char *lm_source_name(const lm_source *src);
const char *lm_source_text(const lm_source *src); /* after any BOM */
size_t lm_source_len(const lm_source *src);
bool lm_source_bom(const lm_source *src);
/* The first line (from 1) of code indented over LM_SOURCE_MAX_INDENT columns, or 0. */
uint32_t lm_source_too_deep(const lm_source *src);
const char *lm_source_eol(const lm_source *src);    /* "\n", "\r\n" or "\r" */
const char *lm_source_indent(const lm_source *src); /* one level: "    ", "\t", ... */
TSNode lm_source_root(const lm_source *src);        /* null node before parse */

/* 1-based line and column (in code points) of a byte offset. */
void lm_source_position(const lm_source *src, size_t byte, uint32_t *line, uint32_t *col);

/*
 * Whether `mutant` (mutant_len bytes), the text `edits` make of
 * `original`'s, is one lm_source_from_bytes() takes byte for byte as it
 * took the original: each edit puts ASCII without NUL between whole
 * characters, and the mutant starts with no byte order mark and keeps
 * within the size limit.  Then lm_source_edited_too_deep() and
 * lm_text_position() tell what such a source of it would, without it.
 */
bool lm_source_edited_plain(const lm_source *original, const lm_edits *edits, const char *mutant,
                            size_t mutant_len);
/*
 * Whether a line of `mutant` that `edits` touched (in its text, or where it
 * starts) is indented over LM_SOURCE_MAX_INDENT columns: for a mutant of an
 * original that passed lm_source_parse(), which refuses a deeper one, that
 * is lm_source_too_deep() of the mutant.
 */
bool lm_source_edited_too_deep(const lm_edits *edits, const char *mutant, size_t mutant_len);
/* lm_source_position() of a text (NUL-terminated or not) that is not a source. */
void lm_text_position(const char *text, size_t len, size_t byte, uint32_t *line, uint32_t *col);

/*
 * The dotted name a local name stands for through the module's imports:
 * after `import gzip as gz`, "gz" resolves to "gzip"; after `from socket
 * import socket as Sock`, "Sock" to "socket.socket"; after `import
 * urllib.request`, "urllib" to "urllib".  Borrowed, or NULL when `name` was
 * not imported.
 */
const char *lm_source_resolve(const lm_source *src, const char *name, size_t len);

/*
 * What an operator worked out about a source once, to look up for each of
 * its sites: the value kept under `key` (an address of the operator's own),
 * or NULL.  lm_source_keep() keeps `value` under `key`, to be released
 * with `release` when the source is freed (released at once on failure).
 * A source is used by one thread at a time, so neither takes a lock.
 */
void *lm_source_memo(const lm_source *src, const void *key);
int lm_source_keep(const lm_source *src, const void *key, void *value, void (*release)(void *));

/* The text of a node (borrowed from the source, not NUL-terminated). */
const char *lm_node_text(const lm_source *src, TSNode node, size_t *len);

/* Whether the node's text equals `str`. */
bool lm_node_text_is(const lm_source *src, TSNode node, const char *str);

/* Whether the node's type is `type` (false for a null node). */
bool lm_node_is(TSNode node, const char *type);

/* Whether `node` holds a line break only brackets around it join. */
bool lm_node_breaks_bare(const lm_source *src, TSNode node);

/*
 * A node's children in one pass.  ts_node_named_child(node, i) and
 * ts_node_child(node, i) start again from the first child for each i, so a
 * loop over a module's statements by index costs the square of their
 * number.  A cursor walks them once:
 *
 *	lm_kids kids;
 *	TSNode child;
 *
 *	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);)
 *		...
 *	lm_kids_end(&kids);
 *
 * `named_only` skips anonymous children ("(", ",", keywords), as
 * ts_node_named_child() does; a null node has none.  A node of a few
 * children is read by index all the same (a cursor costs an allocation,
 * and most nodes have few).  lm_kids_end() releases the cursor; call it
 * after every lm_kids_start(), after a break as after the last child.
 */
typedef struct lm_kids {
	TSTreeCursor cursor; /* .tree NULL when there is none */
	TSNode node;
	uint32_t i, n;
	bool named_only;
	bool started;
	bool done;
} lm_kids;

void lm_kids_start(lm_kids *kids, TSNode node, bool named_only);
bool lm_kids_next(lm_kids *kids, TSNode *child);
void lm_kids_end(lm_kids *kids);

/* The first anonymous child of `node` whose type is `type` (":", "async",
 * "(" ...), or a null node. */
TSNode lm_node_token(TSNode node, const char *type);

#endif
