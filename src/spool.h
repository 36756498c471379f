/*
 * leakmut: the plan's spool, what generate's first pass keeps of each
 * mutant it plans for its second pass.
 *
 * The first pass parses and scans every input file and plans its mutants;
 * the second writes them.  Holding every planned site in memory would make
 * memory grow with the number of mutants, and parsing and scanning each
 * file again costs as much as the first time.  So the first pass writes
 * what the second needs of each site (the fields the mutant's commit and
 * its ground truth are made of, and its edits) to a temporary file, in plan
 * order, with the id of the content it was found in; the second reads them
 * back in the same order while it reads the files again for their text.
 *
 * A site of an interprocedural operator is kept with its mutant's texts
 * (each file's whole), which are few; the others with their edits only,
 * the second pass making the text from the file.  The file is unlinked as
 * soon as it is made, so that nothing is left behind by a run killed at any
 * moment.
 */
#ifndef LEAKMUT_SPOOL_H
#define LEAKMUT_SPOOL_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

#include "leakmut/leakmut.h"

typedef struct lm__spool lm__spool;

/* A new, empty spool in $TMPDIR (or /tmp).  Release with lm__spool_free(). */
int lm__spool_new(lm__spool **out);
/* Close and release a spool.  Accepts NULL. */
void lm__spool_free(lm__spool *sp);

/*
 * Append the site of plan entry `index` (greater than the last one put),
 * found in a file whose text (after any BOM) has blob id `content` (of
 * use for a site found in one file), with a BOM if `bom`.  LM_EINVALID for
 * a related location whose role the spool does not know.
 */
int lm__spool_put(lm__spool *sp, size_t index, const git_oid *content, bool bom,
                  const lm_site *site);

/* Start reading from the first record. */
int lm__spool_rewind(lm__spool *sp);

/*
 * The site of plan entry `index` (free it with lm__site_free()), with `op`
 * as its operator, and the content it was found in; records before it are
 * passed over.  Entries must be asked for in increasing order.  LM_ERROR
 * when no record has that index, LM_EIO when the file cannot be read.
 */
int lm__spool_get(lm__spool *sp, size_t index, const lm_operator *op, git_oid *content, bool *bom,
                  lm_site **site);

#endif
