/*
 * leakmut: the report files of a score.
 *
 * From REPORT_DIR/score.json (written by lm_score) and the mutant
 * repository it scored (its ground truth on leakmut/truth and each mutant's
 * diff against base), write into REPORT_DIR:
 *
 * - mutation-report.json: Stryker's mutation-testing-report-schema (version
 *   2).  Each detector's leak rule is a test (`ruff:SIM115`,
 *   `pylint:R1732`); each leak mutant is a mutant of the base file it
 *   changes, located in base coordinates, whose replacement is the mutant's
 *   text for that range.  Status over all detectors: Killed when one
 *   DETECTED it; else Survived when one MISSED it, found it only in the
 *   enclosing function (DETECTED_FUNC) or flagged the same spot on base
 *   (NOT_DISCRIMINATED); else Ignored when one was silenced by a
 *   suppression comment (SUPPRESSED); else RuntimeError (every detector
 *   failed on it).  Controls are not mutants and are left out.
 * - mutation-report-<detector>.json: the same for one detector, where the
 *   status is that detector's outcome mapped as above.
 * - index.html: one self-contained offline page (inline CSS, script and
 *   SVG): a summary table per detector, a recall-versus-FPR chart per
 *   detector, an operator x detector heat map, and a table of every mutant
 *   and control with its diff and each detector's outcome.
 */
#ifndef LEAKMUT_REPORT_H
#define LEAKMUT_REPORT_H

#include "common.h"

/*
 * Write the report files of `report_dir` (which holds score.json) for the
 * mutant repository `repo_path`.
 *
 * Returns 0; LM_ENOTFOUND when score.json, the repository or a branch is
 * missing; LM_EINVALID when score.json or the truth is malformed (the
 * message names the file and the problem); LM_EGIT, LM_EIO, LM_ENOMEM.
 * Files are written whole (a temporary file renamed into place).
 */
int lm_report_write(const char *repo_path, const char *report_dir);

#endif
