/*
 * leakmut: what source.c shows its tests.
 */
#ifndef LEAKMUT_SOURCE_INT_H
#define LEAKMUT_SOURCE_INT_H

#include <stdbool.h>
#include <tree_sitter/api.h>

/*
 * Whether the checks' table of node types (built once from the grammar's
 * symbol names) says, for every node under `root`, what the node's own
 * type name says.  false, with the first node that disagrees in *bad (or a
 * null node when the table could not be built), when not.
 */
bool lm__node_types_agree(TSNode root, TSNode *bad);

#endif
