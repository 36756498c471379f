/*
 * The ground truth of a mutant repository: one flat record per mutant
 * (truth.jsonl), rendered as SARIF 2.1.0 (truth.sarif) and as an answer key
 * in the OWASP Benchmark's columns (expected.csv).
 */
#ifndef LEAKMUT_TRUTH_H
#define LEAKMUT_TRUTH_H

#include <git2.h>
#include <jansson.h>
#include <stdbool.h>

#include "leakmut/engine.h"

typedef struct lm_truth lm_truth;

/*
 * Create an empty truth whose records are kept in an anonymous file in `dir`
 * (the repository's folder; NULL: the system's temporary folder), so that
 * memory does not grow with them.  Release with lm_truth_free().
 */
int lm_truth_new(lm_truth **out, const char *dir);
void lm_truth_free(lm_truth *truth);

/* Add the records of a truth.jsonl (a previous run's); `name` for messages. */
int lm_truth_load_jsonl(lm_truth *truth, const char *name, const char *data, size_t len);

/*
 * Add (or replace, by mutant id) the record of a site written as `commit`
 * on `branch`, on top of `base`; `compiled` says whether CPython compiled
 * the mutant (else that check was not made).
 */
int lm_truth_add(lm_truth *truth, const lm_site *site, const char *path, const char *branch,
                 const char *commit, const char *base, bool compiled);

/* The number of records. */
size_t lm_truth_count(const lm_truth *truth);

/*
 * A new reference to the i-th record, in the order they were added (or
 * sorted in by the last lm_truth_write()); NULL with the error set.
 */
json_t *lm_truth_record(lm_truth *truth, size_t i);

/*
 * Add the records of refs/heads/leakmut/truth's truth.jsonl, if there is
 * one; *previous gets that commit (NULL when none; free with
 * git_commit_free()).
 */
int lm_truth_read(lm_truth *truth, git_repository *repo, git_commit **previous);

/*
 * Write truth.sarif, truth.jsonl and expected.csv, each sorted by (path,
 * line, column, operator, id), as a tree and, when it differs from
 * `previous`'s, a commit on leakmut/truth whose parent is `previous`.
 * With `sarif_path`, truth.sarif is also written there (atomically).
 */
int lm_truth_write(lm_truth *truth, git_repository *repo, const char *base,
                   const git_signature *sig, git_commit *previous, const char *sarif_path);

/* Set a record's validation.witness (and its detail); LM_ENOTFOUND if no such id. */
int lm_truth_set_witness(lm_truth *truth, const char *id, const char *status, const char *detail);

#endif
