/*
 * leakmut: scoring leak detectors against the ground truth.
 *
 * Each detector runs once over base and once over all mutants and
 * controls, whose changed files are written side by side (never one process
 * per mutant).  Findings of a leak rule (the versioned rule map: ruff
 * SIM115, pylint R1732 consider-using-with, ast-grep/semgrep
 * open-never-closed, CodeQL py/file-not-closed, SARIF rules tagged CWE-404,
 * 772 or 775) are matched to the seeded spot: T0 overlaps the anchor, T1
 * its lines, T2 a related location (in any file of a multi-file mutant), T3
 * the enclosing function (reported apart as lenient).  A finding counts only when it is new against
 * base, by a line-independent fingerprint (rule, path, normalised text of the reported line,
 * occurrence).  Outcomes per (detector, mutant): DETECTED, DETECTED_FUNC, SUPPRESSED (silent
 * natively, found with noqa comments stripped), NOT_DISCRIMINATED (the spot is flagged on base
 * too), MISSED, TOOL_ERROR; per control: FP or TN.
 */
#ifndef LEAKMUT_SCORE_H
#define LEAKMUT_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

/* The version of the rule map; it goes up when a rule is added or removed. */
#define LM_RULE_MAP_VERSION 2

typedef struct lm_score_opts {
	const char *repo;
	/* "ruff", "pylint", "ast-grep", or "NAME=COMMAND ARGS {files}" (a tool
	 * writing SARIF, {sarif} its output file, else its standard output) */
	const char *const *detectors;
	size_t ndetectors;
	/* "NAME=FILE": SARIF made elsewhere over the materialised layout */
	const char *const *sarif;
	size_t nsarif;
	/* Keep the layout (DIR/base/<path>, DIR/mutants/<id>/<path>) there; NULL: a
	 * temporary folder.  With no detector, score only writes it. */
	const char *materialise;
	const char *report_dir; /* score.json goes there; NULL: none */
	bool validated_only;    /* headline metrics over validated mutants only */
	/* The terminal table, line by line. */
	void (*line)(const char *text, void *payload);
	void *payload;
} lm_score_opts;

/* Wilson 95% interval of k successes in n trials. */
void lm_wilson(size_t k, size_t n, double *low, double *high);

/* Run the detectors, match, and report.  Fails when a detector cannot run at all. */
int lm_score(const lm_score_opts *opts);

#endif
