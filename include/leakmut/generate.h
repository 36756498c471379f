/*
 * leakmut: writing mutants as git branches, with the ground truth.
 *
 * OUT is a bare repository.  Branch `base` holds the input's .py files; each
 * mutant is one commit whose parent is base, changing only the file its
 * operator touched, on `m/<id>`; each control (a safe twin of a site) the
 * same on `c/<id>`.  The orphan branch `leakmut/truth` holds
 * truth.sarif (SARIF 2.1.0), truth.jsonl and expected.csv for every mutant
 * branch present.  Commits have a neutral message and a fixed author,
 * committer and time, so the same input, options and version give the same
 * commit ids on any machine.
 */
#ifndef LEAKMUT_GENERATE_H
#define LEAKMUT_GENERATE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

/* The branch of a site: "m/<id>" for a mutant, "c/<id>" for a control. */
void lm_site_branch(char out[16], const lm_site *site);

/* The fixed signature time of every commit leakmut writes (2000-01-01). */
#define LM_COMMIT_TIME 946684800

typedef struct lm_generate_stats lm_generate_stats;

typedef struct lm_generate_opts {
	const char *input;      /* a directory, or with `rev` a git repository */
	const char *rev;        /* a revision of `input` to read, or NULL */
	const char *out;        /* the bare repository; created if missing */
	const char *operators;  /* ids and groups; NULL: "leak" */
	const char *truth_path; /* also write truth.sarif here, or NULL */
	const char *python;     /* for the compile check; NULL: the default */
	bool label;             /* add Leakmut-* trailers to mutant commits */
	bool list;              /* plan only: report, write nothing */
	bool compile;           /* compile each mutant with python3 */
	bool no_controls;       /* leave the controls (safe twins) out */
	unsigned shard_k;       /* write only shard k of n (1-based); n 0: all */
	unsigned shard_n;
	unsigned jobs;      /* threads scanning files; 0 or 1: the calling thread only */
	size_t sample;      /* at most this many mutants per operator; 0: all */
	unsigned long seed; /* for the sample */
	/* Called as files are read and mutants written, and once at the end. */
	void (*progress)(const lm_generate_stats *stats, bool done, void *payload);
	/* A bad input file or a rejected mutant, as "path...: why". */
	void (*diag)(const char *message, void *payload);
	/* Each planned mutant that passed validation, in order. */
	int (*planned)(const lm_site *site, const char *path, void *payload);
	void *payload;
} lm_generate_opts;

struct lm_generate_stats {
	size_t files;     /* .py files read */
	size_t bad_files; /* files that could not be read or parsed */
	size_t mutants;   /* valid mutants planned */
	size_t rejected;  /* mutants that did not parse or compile */
	size_t written;   /* branches created by this run */
	size_t existing;  /* branches that were already there, unchanged */
	size_t selected;  /* of the valid mutants, those in the sample and shard */
	char base[41];    /* the base commit id */
};

/*
 * Which mutants a run keeps: --sample N --seed S takes, for each operator,
 * the N mutants whose SHA-256 of (seed, id) is smallest (so a sample does
 * not depend on the order of the input); --shard K/N then keeps those whose
 * id, read as a number, is K-1 modulo N.  The shards of a run partition it.
 */

/*
 * Generate.  Fails with LM_EINVALID when OUT exists and is not a leakmut
 * repository, or holds mutants of another base; LM_ELOCKED when another run
 * holds OUT's lock; LM_EGIT, LM_EIO on write failures.  Bad input files do
 * not fail the run: they go to opts->diag and stats->bad_files.
 */
int lm_generate(const lm_generate_opts *opts, lm_generate_stats *stats);

#endif
