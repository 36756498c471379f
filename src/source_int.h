/*
 * leakmut: what source.c shows its tests and the library's other modules.
 */
#ifndef LEAKMUT_SOURCE_INT_H
#define LEAKMUT_SOURCE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

/*
 * Python's two columns of text[from, to), leading whitespace: tabs to the
 * next multiple of 8 (`col8`) and tabs as one (`col1`); a form feed sets
 * both back to 0, as Python's tokenizer does.
 */
void lm__columns(const char *text, size_t from, size_t to, size_t *col8, size_t *col1);

/*
 * Whether the checks' table of node types (built once from the grammar's
 * symbol names) says, for every node under `root`, what the node's own
 * type name says.  false, with the first node that disagrees in *bad (or a
 * null node when the table could not be built), when not.
 */
bool lm__node_types_agree(TSNode root, TSNode *bad);

#endif
