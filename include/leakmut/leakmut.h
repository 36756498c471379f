/* leakmut: the whole public API. */
#ifndef LEAKMUT_LEAKMUT_H
#define LEAKMUT_LEAKMUT_H

#include "common.h"
#include "edit.h"
#include "engine.h"
#include "export.h"
#include "generate.h"
#include "indent.h"
#include "kind.h"
#include "operator.h"
#include "pycheck.h"
#include "python.h"
#include "query.h"
#include "report.h"
#include "score.h"
#include "source.h"
#include "verify.h"
#include "walk.h"

/*
 * Initialise the libraries leakmut uses (libgit2 first of all).  Call once
 * before anything else; pair with lm_shutdown().
 */
int lm_init(void);
void lm_shutdown(void);

#endif
