#include "leakmut/leakmut.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <git2/sys/commit.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <pthread.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <nettle/sha2.h>
#include <zlib.h>

#include "alloc.h"
#include "engine_int.h"
#include "packed.h"
#include "packw.h"
#include "scratch.h"
#include "spool.h"
#include "truth.h"
#include "util.h"
#include "whole.h"

#define TRUTH_REF "refs/heads/leakmut/truth"
#define BASE_REF  "refs/heads/base"
/* flush_writes() when this many refs or bytes of objects wait. */
#define FLUSH_REFS  512
#define FLUSH_BYTES (8u << 20)

typedef struct plan_entry {
	char id[13];
	const char *file; /* the input file it comes from (in gen.files); NULL: interprocedural */
	const lm_operator *op;
	size_t check;   /* index in the compile checker (of its first file) */
	size_t nchecks; /* how many of its files were given to it */
	bool checked;
	bool selected;  /* compiled, and in the sample and the shard */
	uint8_t key[8]; /* sample rank */
} plan_entry;

/* A tree of the base on the path of a file, and where that path goes on in it. */
typedef struct tree_level {
	git_oid oid;
	git_odb_object *obj;
	size_t at;       /* the entry's first byte (its mode) */
	size_t name_end; /* past the entry's name and its NUL: its id follows */
} tree_level;

typedef struct gen {
	const lm_generate_opts *opts;
	lm_generate_stats *stats;
	lm_parser *parser;
	lm_engine *engine;
	lm_pycheck *pycheck;
	const lm_operator **ops;
	size_t nops;
	git_repository *repo;
	git_index *index;
	git_signature *sig;
	git_commit *base;
	git_tree *base_tree;
	char base_hex[GIT_OID_HEXSZ + 1];
	lm_truth *truth;
	plan_entry *plan;
	size_t nplan, aplan, cursor;
	char **files; /* the input files with planned mutants, in walk order */
	size_t nfiles, afiles;
	char **sorted; /* the same, sorted, for the second pass to look a file up */
	int pass;
	char lock_path[4096];
	bool locked; /* lock_fd holds leakmut.lock */
	int lock_fd;
	lm_buf scratch;
	git_repository *input_repo; /* with opts->rev */
	git_commit *input_commit;
	git_time_t when; /* the commits' time */
	int offset;
	struct pool *pool; /* with opts->jobs > 1, during a walk */
	/*
	 * Objects are written through a second handle on OUT whose object
	 * database keeps them in memory (a mempack, owned by its odb):
	 * flush_writes() packs the ones not already in OUT into one pack, then
	 * creates the refs queued since, so that no ref ever names an object
	 * not on disk.  The handle is opened anew after each flush, which
	 * empties its object cache.
	 */
	git_repository *wrepo;
	git_odb_backend *mempack; /* wrepo's, owned by its odb */
	git_odb *disk;            /* OUT's objects, without the mempack */
	git_oid *batch;           /* the objects to pack */
	size_t nbatch, abatch;
	size_t unflushed; /* bytes of files among them */
	struct queued_ref *refs;
	size_t nrefs, arefs;
	lm__packed *packed; /* OUT's packed-refs, where the branches go */
	/*
	 * The base's blobs, and the blobs, trees and commits of the mutants of
	 * one file, go to packs leakmut writes itself (packw.h): a mutant's
	 * blob and trees as deltas against the base's, which the pack then
	 * holds too.  Other objects (the base's trees, the mutants of several
	 * files, trees libgit2 would write otherwise) go through the mempack.
	 */
	lm__packw *pw;
	const lm_source *blob_src; /* the file finish() is at, once its blob is known */
	git_oid blob_oid;
	const char *blob_data; /* its content: the source's text, or `blob` with a BOM */
	size_t blob_len;
	lm_buf blob;
	char *path;         /* the file whose base trees these are, or NULL */
	tree_level *levels; /* root first */
	size_t nlevels, alevels;
	bool path_ok; /* its trees are as libgit2 would write them */
	lm__piece *pieces;
	size_t apieces;
	lm_buf object; /* a commit's content */
	/*
	 * What the first pass planned of each file's sites, for the second
	 * (spool.h); the source the last was found in, and its content's id.
	 */
	lm__spool *spool;
	const lm_source *spool_src;
	git_oid spool_content;
} gen;

typedef struct queued_ref {
	char name[80];
	git_oid oid;
} queued_ref;

static void diag(gen *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void diag(gen *g, const char *fmt, ...)
{
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (g->opts->diag)
		g->opts->diag(message, g->opts->payload);
}

/* ---- the repository ------------------------------------------------------ */

static int out_fail(gen *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * A write into OUT failed: say so naming OUT, not the input file the object
 * came from (the cause is OUT's disk: full, read-only, gone).
 */
static int out_fail(gen *g, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	char what[512];
	va_list ap;

	struct statvfs fs;
	const char *disk = NULL;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/*
	 * libgit2 1.5 can report a failed object write as success, and the
	 * failure then surfaces later as a missing object: say what the disk says.
	 */
	if (statvfs(g->opts->out, &fs) == 0) {
		if (fs.f_flag & ST_RDONLY)
			disk = strerror(EROFS);
		else if (fs.f_bavail == 0 || (fs.f_files && fs.f_favail == 0))
			disk = strerror(ENOSPC);
	}
	if (disk && !(e && e->message && strstr(e->message, disk)))
		return lm_error_set(LM_EGIT, "%s: %s: %s (%s)", g->opts->out, what, disk,
		                    e && e->message ? e->message : "failed");
	return lm_error_set(LM_EGIT, "%s: %s: %s", g->opts->out, what,
	                    e && e->message ? e->message : "failed");
}

/* Whether `path` is missing or an empty directory: a place to create OUT. */
static bool dir_is_empty(const char *path)
{
	struct stat st;
	struct dirent *de;
	bool empty = true;
	DIR *d;

	if (stat(path, &st) < 0)
		return errno == ENOENT;
	if (!S_ISDIR(st.st_mode) || !(d = opendir(path)))
		return false;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	closedir(d);
	return empty;
}

static int open_repo(gen *g)
{
	const char *out = g->opts->out;
	git_config *cfg = NULL, *local = NULL;
	int32_t format = 0;
	int error = 0;
	size_t len = strlen(out);

	while (len > 1 && out[len - 1] == '/')
		len--; /* OUT/ names OUT: its scratch goes beside it, not inside */
	/* A run killed while it made OUT aside (below) left OUT.leakmut-init-PID. */
	if ((error = lm__clear_stale(out, len, ".leakmut-init-", S_IFDIR)) < 0)
		return error;
	if (dir_is_empty(out)) {
		/* Made aside and renamed into place, so that OUT exists only whole. */
		char tmp[4096];
		git_repository *fresh = NULL;

		snprintf(tmp, sizeof(tmp), "%.*s.leakmut-init-%ld", (int)len, out, (long)getpid());
		if (git_repository_init(&fresh, tmp, 1) < 0) {
			error = lm__git_fail(out);
		} else if (git_repository_config(&cfg, fresh) < 0 ||
		           git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
		           git_config_set_int32(local, "leakmut.format", 1) < 0) {
			error = lm__git_fail(out);
		}
		git_config_free(local);
		git_config_free(cfg);
		local = cfg = NULL;
		git_repository_free(fresh);
		if (error == 0 && rename(tmp, out) < 0) {
			/* Another run made OUT first: use its repository (and meet its lock). */
			if (errno != ENOTEMPTY && errno != EEXIST)
				error = lm_error_set(LM_EIO, "%s: cannot create: %s", out,
				                     strerror(errno));
		}
		lm__remove_tree(tmp); /* what is left of it: nothing once renamed */
		if (error < 0)
			return error;
	}
	if (git_repository_open_ext(&g->repo, out, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		error = lm_error_set(
		    LM_EINVALID, "%s: exists and is not a git repository; refusing to write there",
		    out);
		goto cleanup;
	}
	if (!git_repository_is_bare(g->repo) || git_repository_config(&cfg, g->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_get_int32(&format, local, "leakmut.format") < 0 || format != 1) {
		error = lm_error_set(LM_EINVALID,
		                     "%s: is not a leakmut repository (no leakmut.format in its "
		                     "config); refusing to write there",
		                     out);
		goto cleanup;
	}

cleanup:
	git_config_free(local);
	git_config_free(cfg);
	return error;
}

/*
 * The run that holds the lock on `fd`, as a message: its pid is read from
 * the file, which it writes just after taking the lock, so an empty file is
 * read again for a while before the pid is left out.
 */
static int lock_held(gen *g, int fd)
{
	char pid[32];
	long owner = 0;
	int tries;

	for (tries = 0; tries < 100 && owner <= 0; tries++) {
		ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);

		pid[n > 0 ? n : 0] = '\0';
		if (sscanf(pid, "%ld", &owner) != 1 || owner <= 0) {
			owner = 0;
			usleep(10000);
		}
	}
	if (owner > 0)
		return lm_error_set(LM_ELOCKED,
		                    "%s: another leakmut run (pid %ld) is writing this repository",
		                    g->opts->out, owner);
	return lm_error_set(LM_ELOCKED, "%s: another leakmut run is writing this repository",
	                    g->opts->out);
}

/*
 * The lock: leakmut.lock, held with flock(2) for the whole run and holding
 * the owner's pid (for the message only).  The kernel lets the lock go when
 * its holder dies, so a lock a killed run left is simply taken, whatever
 * pid the file names.  A run that ends unlinks the file while it still
 * holds it, so a run that was waiting on that file finds, once it has the
 * lock, that the path names another file (or none), and starts again.
 */
static int take_lock(gen *g)
{
	const char *dir = git_repository_path(g->repo);
	int attempt;

	snprintf(g->lock_path, sizeof(g->lock_path), "%sleakmut.lock", dir);
	for (attempt = 0; attempt < 16; attempt++) {
		struct stat held, named;
		char pid[32];
		int len, fd = open(g->lock_path, O_CREAT | O_RDWR | O_CLOEXEC, 0644);

		if (fd < 0)
			return lm_error_set(LM_EIO, "%s: cannot create: %s", g->lock_path,
			                    strerror(errno));
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int error = errno == EWOULDBLOCK
			                ? lock_held(g, fd)
			                : lm_error_set(LM_EIO, "%s: cannot lock: %s", g->lock_path,
			                               strerror(errno));

			close(fd);
			return error;
		}
		if (fstat(fd, &held) < 0 || stat(g->lock_path, &named) < 0 ||
		    held.st_dev != named.st_dev || held.st_ino != named.st_ino) {
			close(fd); /* unlinked by the run that held it */
			continue;
		}
		len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
			int error = lm_error_set(LM_EIO, "%s: cannot write: %s", g->lock_path,
			                         strerror(errno));

			unlink(g->lock_path);
			close(fd);
			return error;
		}
		g->lock_fd = fd;
		g->locked = true;
		return 0;
	}
	return lm_error_set(LM_ELOCKED, "%s: cannot take the lock %s", g->opts->out, g->lock_path);
}

/*
 * What a killed run left in OUT's git directory. Lock files: libgit2 writes
 * HEAD, packed-refs, each ref and each reflog through NAME.lock and renames it
 * into place, so a SIGKILL between the two leaves the lock, and every later
 * write of that file fails. Temporary object files: a loose object
 * (libgit2's objects/tmp_object_git2_*), a pack (packw's
 * objects/pack/tmp_pack_*, libgit2's indexer's objects/pack/pack_git2_*) or
 * a pack index (objects/pack/pack-*.idx.lock) killed before its rename;
 * harmless to git, but litter. They are taken for ours: no other leakmut
 * run writes OUT while we hold leakmut.lock, and no git command is to
 * write it during a run (the README says so).
 */
static int remove_stale_lock(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t len = strlen(path);

	(void)st;
	(void)ftw;
	if (type == FTW_F && len > 5 && !strcmp(path + len - 5, ".lock"))
		unlink(path);
	return 0;
}

/* Remove the files of folder `dir` (not below it) whose name starts with `prefix`. */
static int remove_prefixed(lm_buf *path, const char *dir, const char *prefix)
{
	struct dirent *de;
	int error = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while (!error && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		lm_buf_clear(path);
		if ((error = lm_buf_printf(path, "%s/%s", dir, de->d_name)) == 0)
			unlink(path->ptr);
	}
	closedir(d);
	return error;
}

static int clear_stale_git_files(gen *g)
{
	/* Folders are walked for *.lock; a file given by name is removed when it is there. */
	static const char *const places[] = {"refs", "logs", "objects/pack", "HEAD.lock",
	                                     "packed-refs.lock"};
	/* A folder, and the prefix of the temporary files to remove from it. */
	static const char *const temps[][2] = {{"objects", "tmp_object_git2_"},
	                                       {"objects/pack", "tmp_pack_"},
	                                       {"objects/pack", "pack_git2_"}};
	const char *git = git_repository_path(g->repo);
	lm_buf path = LM_BUF_INIT, dir = LM_BUF_INIT;
	int error = 0;
	size_t i;

	for (i = 0; !error && i < sizeof(places) / sizeof(places[0]); i++) {
		lm_buf_clear(&path);
		if ((error = lm_buf_printf(&path, "%s%s", git, places[i])) == 0)
			nftw(path.ptr, remove_stale_lock, 16, FTW_PHYS);
	}
	for (i = 0; !error && i < sizeof(temps) / sizeof(temps[0]); i++) {
		lm_buf_clear(&dir);
		if ((error = lm_buf_printf(&dir, "%s%s", git, temps[i][0])) == 0)
			error = remove_prefixed(&path, dir.ptr, temps[i][1]);
	}
	lm_buf_dispose(&dir);
	lm_buf_dispose(&path);
	return error;
}

/* Unlinked while still held: see take_lock. */
static void drop_lock(gen *g)
{
	if (g->locked) {
		unlink(g->lock_path);
		close(g->lock_fd);
	}
	g->locked = false;
}

/* Point `refname` at `oid`; *changed says whether it moved. */
static int set_ref(gen *g, const char *refname, const git_oid *oid, bool *changed)
{
	git_reference *ref = NULL;
	git_oid current;
	int valid = 0;

	*changed = false;
	if (git_reference_name_is_valid(&valid, refname) < 0 || !valid)
		return lm_error_set(LM_EINVALID, "%s: not a valid reference name", refname);
	if (git_reference_name_to_id(&current, g->repo, refname) == 0 &&
	    git_oid_equal(&current, oid))
		return 0;
	if (git_reference_create(&ref, g->repo, refname, oid, 1, "leakmut") < 0)
		return out_fail(g, "cannot write %s", refname);
	git_reference_free(ref);
	*changed = true;
	return 0;
}

/* The second handle on OUT, whose writes go to memory until flush_writes(). */
static int open_writer(gen *g)
{
	git_odb *odb = NULL;
	git_odb_backend *mempack = NULL;
	int error = 0;

	if ((!g->disk && git_repository_odb(&g->disk, g->repo) < 0) ||
	    git_repository_open_ext(&g->wrepo, git_repository_path(g->repo),
	                            GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_odb(&odb, g->wrepo) < 0 || git_mempack_new(&mempack) < 0) {
		error = out_fail(g, "cannot open for writing");
	} else if (git_odb_add_backend(odb, mempack, 1000) < 0) {
		mempack->free(mempack);
		error = out_fail(g, "cannot open for writing");
	} else {
		g->mempack = mempack;
	}
	git_odb_free(odb);
	return error;
}

/*
 * An object just written: packed at the next flush, unless OUT had it
 * already (libgit2 then leaves it out of the mempack).
 */
static int track(gen *g, const git_oid *oid, size_t bytes)
{
	if (!g->mempack->exists(g->mempack, oid))
		return 0;
	if (g->nbatch == g->abatch) {
		size_t alloc = g->abatch ? g->abatch * 2 : 256;
		git_oid *items = lm__realloc(g->batch, alloc * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		g->batch = items;
		g->abatch = alloc;
	}
	git_oid_cpy(&g->batch[g->nbatch++], oid);
	g->unflushed += bytes;
	return 0;
}

typedef struct subtrees {
	gen *g;
	int error;
} subtrees;

/* A tree under the base's root: packed with it. */
static int track_subtree(const char *root, const git_tree_entry *entry, void *payload)
{
	subtrees *st = payload;

	(void)root;
	if (git_tree_entry_type(entry) != GIT_OBJECT_TREE)
		return 0;
	return (st->error = track(st->g, git_tree_entry_id(entry), 0)) < 0 ? -1 : 0;
}

/* The trees a tree update made: the root's and each updated path's folders'. */
static int track_trees(gen *g, const git_oid *root, const git_tree_update *updates, size_t n)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	char dir[4096];
	size_t i;
	int error;

	if ((error = track(g, root, 0)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		const char *slash = updates[i].path;

		while ((slash = strchr(slash, '/')) != NULL) {
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - updates[i].path),
			         updates[i].path);
			slash++;
			if (!tree && git_tree_lookup(&tree, g->wrepo, root) < 0) {
				error = out_fail(g, "cannot read back the tree of a mutant");
				goto cleanup;
			}
			if (git_tree_entry_bypath(&entry, tree, dir) < 0) {
				error = out_fail(g, "cannot read back the tree of a mutant");
				goto cleanup;
			}
			error = track(g, git_tree_entry_id(entry), 0);
			git_tree_entry_free(entry);
			if (error < 0)
				goto cleanup;
		}
	}

cleanup:
	git_tree_free(tree);
	return error;
}

/* leakmut's own packs go to OUT's objects/pack. */
static int open_packw(gen *g)
{
	lm_buf dir = LM_BUF_INIT;
	int error;

	if ((error = lm_buf_printf(&dir, "%sobjects/pack", git_repository_path(g->repo))) == 0) {
		if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST)
			error =
			    lm_error_set(LM_EIO, "%s: cannot create: %s", dir.ptr, strerror(errno));
		else
			error = lm__packw_new(&g->pw, dir.ptr);
	}
	lm_buf_dispose(&dir);
	return error;
}

/* Move the objects written since the last flush into OUT as a pack; then the refs. */
static int flush_writes(gen *g)
{
	git_buf pack = GIT_BUF_INIT;
	git_packbuilder *pb = NULL;
	git_odb_writepack *wp = NULL;
	git_indexer_progress progress;
	size_t i;
	int error = 0;

	/* leakmut's own pack first: the mempack's objects may name its blobs. */
	if ((error = lm__packw_write(g->pw)) < 0) {
		char why[1024];

		snprintf(why, sizeof(why), "%s", lm_error_last());
		return lm_error_set(error, "%s: %s", g->opts->out, why);
	}
	if (git_odb_refresh(g->disk) < 0)
		return out_fail(g, "cannot read its objects");
	/* Only what was written: packing a commit would walk its whole tree. */
	if (g->nbatch) {
		memset(&progress, 0, sizeof(progress));
		if (git_packbuilder_new(&pb, g->wrepo) < 0)
			error = out_fail(g, "cannot write a pack of objects");
		for (i = 0; error == 0 && i < g->nbatch; i++)
			if (git_packbuilder_insert(pb, &g->batch[i], NULL) < 0)
				error = out_fail(g, "cannot write a pack of objects");
		if (error == 0 && (git_packbuilder_write_buf(&pack, pb) < 0 ||
		                   git_odb_write_pack(&wp, g->disk, NULL, NULL) < 0 ||
		                   wp->append(wp, pack.ptr, pack.size, &progress) < 0 ||
		                   wp->commit(wp, &progress) < 0))
			error = out_fail(g, "cannot write a pack of objects");
		if (wp)
			wp->free(wp);
		git_packbuilder_free(pb);
		git_buf_dispose(&pack);
		if (error < 0)
			return error;
	}
	g->nbatch = 0;
	g->unflushed = 0;
	/* A new writer: an empty mempack and object cache. */
	git_repository_free(g->wrepo);
	g->wrepo = NULL;
	g->mempack = NULL;
	if ((error = open_writer(g)) < 0)
		return error;
	for (i = 0; i < g->nrefs; i++) {
		git_reference *ref = NULL;

		/* A loose ref (an older run's) would hide a packed one. */
		if (!lm__packed_is_loose(g->packed, g->refs[i].name)) {
			if ((error = lm__packed_set(g->packed, g->refs[i].name, &g->refs[i].oid)) <
			    0) {
				g->nrefs = 0;
				return error;
			}
			continue;
		}
		if (git_reference_create(&ref, g->repo, g->refs[i].name, &g->refs[i].oid, 1,
		                         "leakmut") < 0) {
			g->nrefs = 0;
			return out_fail(g, "cannot write %s", g->refs[i].name);
		}
		git_reference_free(ref);
	}
	g->nrefs = 0;
	if ((error = lm__packed_write(g->packed)) < 0) {
		char why[1024];

		snprintf(why, sizeof(why), "%s", lm_error_last());
		return lm_error_set(error, "%s: %s", g->opts->out, why);
	}
	return 0;
}

/* The id `refname` has in OUT: 1, or 0 when it has none. */
static int current_ref(gen *g, const char *refname, git_oid *oid)
{
	if (lm__packed_is_loose(g->packed, refname))
		return git_reference_name_to_id(oid, g->repo, refname) == 0;
	return lm__packed_get(g->packed, refname, oid);
}

/* Point `refname` at `oid` once its objects are on disk; *changed: whether it moves. */
static int queue_ref(gen *g, const char *refname, const git_oid *oid, bool *changed)
{
	git_oid current;
	queued_ref *r;
	int valid = 0;

	*changed = false;
	if (git_reference_name_is_valid(&valid, refname) < 0 || !valid ||
	    strlen(refname) >= sizeof(r->name))
		return lm_error_set(LM_EINVALID, "%s: not a valid reference name", refname);
	if (current_ref(g, refname, &current) == 1 && git_oid_equal(&current, oid))
		return 0;
	if (g->nrefs == g->arefs) {
		size_t alloc = g->arefs ? g->arefs * 2 : 64;
		queued_ref *items = lm__realloc(g->refs, alloc * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		g->refs = items;
		g->arefs = alloc;
	}
	r = &g->refs[g->nrefs++];
	snprintf(r->name, sizeof(r->name), "%s", refname);
	git_oid_cpy(&r->oid, oid);
	*changed = true;
	/* Each flush rewrites packed-refs: flush less often as it grows. */
	return g->nrefs >= FLUSH_REFS && g->nrefs >= lm__packed_count(g->packed) / 8
	           ? flush_writes(g)
	           : 0;
}

static int commit(gen *g, git_oid *out, const git_oid *tree_oid, const char *message,
                  const git_commit *parent)
{
	const git_oid *parents[1] = {parent ? git_commit_id(parent) : NULL};

	/* By ids: looking the tree up would keep it in libgit2's object cache. */
	if (git_commit_create_from_ids(out, g->wrepo, NULL, g->sig, g->sig, NULL, message, tree_oid,
	                               parent ? 1 : 0, parents) < 0)
		return out_fail(g, "cannot write a commit");
	return track(g, out, 0);
}

/* ---- mutants written to leakmut's own packs -------------------------------- */

/* Whether OUT has `oid`, or the pack being built does. */
static bool has_object(gen *g, const git_oid *oid)
{
	return lm__packw_find(g->pw, oid) >= 0 ||
	       git_odb_exists_ext(g->disk, oid, GIT_ODB_LOOKUP_NO_REFRESH) == 1;
}

/* The index in the pack being built of an object OUT has: added whole if need be. */
static int pack_whole(gen *g, git_object_t type, const git_oid *oid, const char *data, size_t len,
                      size_t *index)
{
	lm__piece piece = {data, len, false};
	long at = lm__packw_find(g->pw, oid);

	if (at >= 0) {
		*index = (size_t)at;
		return 0;
	}
	return lm__packw_add(g->pw, type, oid, &piece, 1, -1, NULL, 0, index);
}

static int room_for_pieces(gen *g, size_t n)
{
	if (n > g->apieces) {
		lm__piece *items = lm__realloc(g->pieces, n * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		g->pieces = items;
		g->apieces = n;
	}
	return 0;
}

static void drop_path(gen *g)
{
	size_t i;

	for (i = 0; i < g->nlevels; i++)
		git_odb_object_free(g->levels[i].obj);
	g->nlevels = 0;
	LM_FREE_AND_NULL(g->path);
	g->path_ok = false;
}

/*
 * Whether a tree's content is what libgit2 writes for its entries: a mode
 * it writes, a name without '/', in git's order.  Only such a tree can be
 * rewritten here byte for byte as git_tree_create_updated() would.
 */
static bool canonical_tree(const char *data, size_t len)
{
	static const char *const modes[] = {"100644", "100755", "120000", "40000", "160000"};
	const char *prev = NULL;
	size_t prev_len = 0, i = 0, m;
	bool prev_tree = false;

	while (i < len) {
		const char *sp = memchr(data + i, ' ', len - i), *name, *nul;
		size_t mode_len, name_len;
		bool tree, known = false;

		if (!sp)
			return false;
		mode_len = (size_t)(sp - (data + i));
		for (m = 0; m < sizeof(modes) / sizeof(*modes); m++)
			known |=
			    strlen(modes[m]) == mode_len && !memcmp(modes[m], data + i, mode_len);
		name = sp + 1;
		if (!known || !(nul = memchr(name, '\0', len - (size_t)(name - data))))
			return false;
		name_len = (size_t)(nul - name);
		if (name_len == 0 || memchr(name, '/', name_len) ||
		    (size_t)(nul + 1 - data) + GIT_OID_RAWSZ > len)
			return false;
		tree = mode_len == 5;
		if (prev) {
			/* git compares a tree's name as if it ended in '/'. */
			size_t k = 0;
			int a = 0, b = 0;

			while (k < prev_len && k < name_len && prev[k] == name[k])
				k++;
			a = k < prev_len ? (unsigned char)prev[k] : prev_tree ? '/' : 0;
			b = k < name_len ? (unsigned char)name[k] : tree ? '/' : 0;
			if (a >= b)
				return false;
		}
		prev = name;
		prev_len = name_len;
		prev_tree = tree;
		i = (size_t)(nul + 1 - data) + GIT_OID_RAWSZ;
	}
	return true;
}

/* The base's trees on the path of `rel`, read once for all its mutants. */
static int load_path(gen *g, const char *rel)
{
	git_oid cur;
	const char *part = rel;

	if (g->path && !strcmp(g->path, rel))
		return 0;
	drop_path(g);
	if (!(g->path = lm__strdup(rel)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	git_oid_cpy(&cur, git_tree_id(g->base_tree));
	for (;;) {
		const char *slash = strchr(part, '/'), *data;
		size_t part_len = slash ? (size_t)(slash - part) : strlen(part), len, i = 0;
		tree_level *L;

		if (g->nlevels == g->alevels) {
			size_t alloc = g->alevels ? g->alevels * 2 : 8;
			tree_level *items = lm__realloc(g->levels, alloc * sizeof(*items));

			if (!items)
				return lm_error_set(LM_ENOMEM, "out of memory");
			g->levels = items;
			g->alevels = alloc;
		}
		L = &g->levels[g->nlevels];
		memset(L, 0, sizeof(*L));
		git_oid_cpy(&L->oid, &cur);
		if (git_odb_read(&L->obj, g->disk, &cur) < 0)
			return out_fail(g, "cannot read the base tree of %s", rel);
		g->nlevels++;
		data = git_odb_object_data(L->obj);
		len = git_odb_object_size(L->obj);
		if (git_odb_object_type(L->obj) != GIT_OBJECT_TREE || !canonical_tree(data, len))
			return 0;
		/* Its entry named `part`: a tree on the way, a file at the end. */
		for (;;) {
			const char *sp, *nul;

			if (i >= len)
				return 0;
			sp = memchr(data + i, ' ', len - i);
			nul = memchr(sp, '\0', len - (size_t)(sp - data));
			if ((size_t)(nul - sp - 1) == part_len && !memcmp(sp + 1, part, part_len)) {
				size_t mode_len = (size_t)(sp - (data + i));

				if (slash ? mode_len != 5
				          : mode_len != 6 || (memcmp(data + i, "100644", 6) &&
				                              memcmp(data + i, "100755", 6)))
					return 0;
				L->at = i;
				L->name_end = (size_t)(nul + 1 - data);
				break;
			}
			i = (size_t)(nul + 1 - data) + GIT_OID_RAWSZ;
		}
		if (!slash)
			break;
		git_oid_fromraw(&cur, (const unsigned char *)data + L->name_end);
		part = slash + 1;
	}
	g->path_ok = true;
	return 0;
}

/*
 * The base blob of `src`, the file finish() is at (its content and id),
 * once a file: finish() forgets it when done with the file.
 */
static int load_blob(gen *g, const lm_source *src)
{
	lm__piece piece;
	int error;

	if (g->blob_src == src)
		return 0;
	g->blob_data = lm_source_text(src);
	g->blob_len = lm_source_len(src);
	if (lm_source_bom(src)) {
		lm_buf_clear(&g->blob);
		if ((error = lm_buf_puts(&g->blob, "\xEF\xBB\xBF")) < 0 ||
		    (error = lm_buf_put(&g->blob, g->blob_data, g->blob_len)) < 0)
			return error;
		g->blob_data = g->blob.ptr;
		g->blob_len = g->blob.size;
	}
	piece = (lm__piece){g->blob_data, g->blob_len, false};
	lm__object_id(&g->blob_oid, GIT_OBJECT_BLOB, &piece, 1);
	g->blob_src = src;
	return 0;
}

/* The commit of a mutant, as git_commit_create_from_ids() writes it. */
static int commit_text(gen *g, const git_oid *tree, const char *message)
{
	const git_signature *sig = g->sig;
	char tree_hex[GIT_OID_HEXSZ + 1];
	int offset = sig->when.offset < 0 ? -sig->when.offset : sig->when.offset;
	char sign = sig->when.offset < 0 || sig->when.sign == '-' ? '-' : '+';
	const char *who[2] = {"author", "committer"};
	size_t i;
	int error;

	git_oid_tostr(tree_hex, sizeof(tree_hex), tree);
	lm_buf_clear(&g->object);
	if ((error = lm_buf_printf(&g->object, "tree %s\nparent %s\n", tree_hex, g->base_hex)) < 0)
		return error;
	for (i = 0; i < 2; i++)
		if ((error = lm_buf_printf(&g->object, "%s %s <%s> %u %c%02d%02d\n", who[i],
		                           sig->name, sig->email, (unsigned)sig->when.time, sign,
		                           offset / 60, offset % 60)) < 0)
			return error;
	return lm_buf_printf(&g->object, "\n%s", message);
}

/*
 * Write the mutant of one file (`site`, of `src`) into the pack being
 * built: its blob and its trees as deltas against the base's.  1 when it
 * cannot be written so (the caller then writes it through libgit2).
 */
static int pack_mutant(gen *g, const lm_site *site, const lm_source *src, const char *rel,
                       const char *message, git_oid *out)
{
	const char *base;
	size_t n = 0, pos = 0, i, k, count, base_len, index, blob_at = 0, shift;
	bool bom = lm_source_bom(src);
	git_oid child;
	int error;

	if ((error = load_path(g, rel)) < 0 || (error = load_blob(g, src)) < 0)
		return error;
	if (!g->path_ok)
		return 1;
	git_oid_fromraw(&child,
	                (const unsigned char *)git_odb_object_data(g->levels[g->nlevels - 1].obj) +
	                    g->levels[g->nlevels - 1].name_end);
	if (!git_oid_equal(&child, &g->blob_oid))
		return 1; /* not the file the base holds */
	if ((error = lm_edits_check(site->edits, lm_source_len(src))) < 0)
		return error;
	count = lm_edits_count(site->edits);
	if ((error = room_for_pieces(g, 2 * count + 8)) < 0)
		return error;
	base = g->blob_data;
	base_len = g->blob_len;
	shift = bom ? 3 : 0;

	/* The blob: the base's bytes between the edits, each edit's text. */
	if (bom)
		g->pieces[n++] = (lm__piece){base, 3, true};
	for (i = 0; i < count; i++) {
		const lm_edit *e = lm_edits_get(site->edits, i);

		g->pieces[n++] = (lm__piece){base + shift + pos, e->start - pos, true};
		g->pieces[n++] = (lm__piece){e->text, e->len, false};
		pos = e->end;
	}
	g->pieces[n++] = (lm__piece){base + shift + pos, lm_source_len(src) - pos, true};
	lm__object_id(&child, GIT_OBJECT_BLOB, g->pieces, n);
	if (!has_object(g, &child)) {
		if ((error = pack_whole(g, GIT_OBJECT_BLOB, &g->blob_oid, base, base_len,
		                        &blob_at)) < 0 ||
		    (error = lm__packw_add(g->pw, GIT_OBJECT_BLOB, &child, g->pieces, n,
		                           (long)blob_at, base, base_len, &index)) < 0)
			return error;
	}

	/* Each tree on the way up: the base's, with the entry below pointing at its new id. */
	for (k = g->nlevels; k-- > 0;) {
		const tree_level *L = &g->levels[k];
		const char *data = git_odb_object_data(L->obj);
		size_t len = git_odb_object_size(L->obj), at_tree;
		bool file = k == g->nlevels - 1;
		git_oid below = child; /* the pieces point at it: `child` becomes this tree's */

		n = 0;
		if (file && memcmp(data + L->at, "100644", 6)) {
			/* libgit2 writes the mutant as a plain file, as it was not. */
			g->pieces[n++] = (lm__piece){data, L->at, true};
			g->pieces[n++] = (lm__piece){"100644", 6, false};
			g->pieces[n++] =
			    (lm__piece){data + L->at + 6, L->name_end - L->at - 6, true};
		} else {
			g->pieces[n++] = (lm__piece){data, L->name_end, true};
		}
		g->pieces[n++] = (lm__piece){(const char *)below.id, GIT_OID_RAWSZ, false};
		g->pieces[n++] = (lm__piece){data + L->name_end + GIT_OID_RAWSZ,
		                             len - L->name_end - GIT_OID_RAWSZ, true};
		lm__object_id(&child, GIT_OBJECT_TREE, g->pieces, n);
		if (has_object(g, &child))
			continue;
		if ((error = pack_whole(g, GIT_OBJECT_TREE, &L->oid, data, len, &at_tree)) < 0 ||
		    (error = lm__packw_add(g->pw, GIT_OBJECT_TREE, &child, g->pieces, n,
		                           (long)at_tree, data, len, &index)) < 0)
			return error;
	}

	if ((error = commit_text(g, &child, message)) < 0)
		return error;
	g->pieces[0] = (lm__piece){g->object.ptr, g->object.size, false};
	lm__object_id(out, GIT_OBJECT_COMMIT, g->pieces, 1);
	if (!has_object(g, out) && (error = lm__packw_add(g->pw, GIT_OBJECT_COMMIT, out, g->pieces,
	                                                  1, -1, NULL, 0, &index)) < 0)
		return error;
	return 0;
}

/* ---- the two passes over the input ---------------------------------------- */

static int plan_push(gen *g, const lm_site *site, const char *rel, size_t check, size_t nchecks,
                     bool checked)
{
	plan_entry *e;

	if (!site->path && (!g->nfiles || strcmp(g->files[g->nfiles - 1], rel))) {
		if (g->nfiles == g->afiles) {
			size_t alloc = g->afiles ? g->afiles * 2 : 64;
			char **items = lm__realloc(g->files, alloc * sizeof(*items));

			if (!items)
				return lm_error_set(LM_ENOMEM, "out of memory");
			g->files = items;
			g->afiles = alloc;
		}
		if (!(g->files[g->nfiles] = lm__strdup(rel)))
			return lm_error_set(LM_ENOMEM, "out of memory");
		g->nfiles++;
	}

	if (g->nplan == g->aplan) {
		size_t alloc = g->aplan ? g->aplan * 2 : 256;
		plan_entry *items = lm__realloc(g->plan, alloc * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		g->plan = items;
		g->aplan = alloc;
	}
	e = &g->plan[g->nplan++];
	memset(e, 0, sizeof(*e));
	memcpy(e->id, site->id, sizeof(e->id));
	e->op = site->op;
	e->file = site->path ? NULL : g->files[g->nfiles - 1];
	e->check = check;
	e->nchecks = nchecks;
	e->checked = checked;
	return 0;
}

/* The file's bytes as git stores them: BOM, then the text. */
static int with_bom(gen *g, bool bom, const char *text, size_t len)
{
	int error;

	lm_buf_clear(&g->scratch);
	if ((error = lm_buf_puts(&g->scratch, bom ? "\xEF\xBB\xBF" : "")) < 0)
		return error;
	return lm_buf_put(&g->scratch, text, len);
}

static int add_base_file(gen *g, const lm_source *src, const char *rel)
{
	git_index_entry entry;
	size_t index;
	int error;

	if ((error = load_blob(g, src)) < 0 ||
	    (!has_object(g, &g->blob_oid) &&
	     (error = pack_whole(g, GIT_OBJECT_BLOB, &g->blob_oid, g->blob_data, g->blob_len,
	                         &index)) < 0))
		return error;
	if (lm__packw_size(g->pw) >= FLUSH_BYTES && (error = flush_writes(g)) < 0)
		return error;
	memset(&entry, 0, sizeof(entry));
	entry.mode = GIT_FILEMODE_BLOB;
	entry.id = g->blob_oid;
	entry.path = rel;
	if (git_index_add(g->index, &entry) < 0)
		return lm_error_set(LM_EINVALID, "%s: cannot be stored in git: %s", rel,
		                    git_error_last() ? git_error_last()->message : "?");
	return 0;
}

void lm_site_branch(char out[16], const lm_site *site)
{
	snprintf(out, 16, "%s/%s", site->op->family == LM_FAMILY_CONTROL ? "c" : "m", site->id);
}

/*
 * The blob of a mutant's file `rel`, as an update of the base tree.  Its
 * text is `text` when there is one, else `src` with `edits` made.
 */
static int mutant_blob(gen *g, git_tree_update *update, bool bom, const char *text, size_t len,
                       const lm_source *src, lm_edits *edits, const char *rel)
{
	int error;

	if (text)
		error = with_bom(g, bom, text, len);
	else if ((error = with_bom(g, bom, "", 0)) == 0)
		error = lm_edits_apply(&g->scratch, lm_source_text(src), lm_source_len(src), edits);
	if (error < 0)
		return error;
	memset(update, 0, sizeof(*update));
	if (git_blob_create_from_buffer(&update->id, g->wrepo, g->scratch.ptr, g->scratch.size) < 0)
		return out_fail(g, "cannot write a mutant of %s", rel);
	if ((error = track(g, &update->id, g->scratch.size)) < 0)
		return error;
	update->action = GIT_TREE_UPDATE_UPSERT;
	update->filemode = GIT_FILEMODE_BLOB;
	update->path = rel;
	return 0;
}

static int write_mutant(gen *g, const lm_site *site, const lm_source *src, bool bom,
                        const char *rel, bool compiled)
{
	char branch[64], refname[80], hex[GIT_OID_HEXSZ + 1];
	git_tree_update *updates = NULL;
	git_oid tree, oid;
	lm_buf message = LM_BUF_INIT;
	size_t i;
	bool changed;
	int error;

	lm_site_branch(branch, site);
	snprintf(refname, sizeof(refname), "refs/heads/%s", branch);
	/* Neutral: nothing in the message says what changed or why. */
	error = lm_buf_puts(&message, "change\n");
	if (!error && g->opts->label)
		error = lm_buf_printf(&message,
		                      "\nLeakmut-Operator: %s/%u\nLeakmut-Site: %s:%u:%u\n"
		                      "Leakmut-Cwe: CWE-%u\n",
		                      site->op->id, site->op->version, rel, site->line, site->col,
		                      site->kind ? site->kind->cwe : site->op->cwe);
	if (error < 0)
		goto cleanup;
	if (src && site->nmore == 0 &&
	    (error = pack_mutant(g, site, src, rel, message.ptr, &oid)) < 0)
		goto cleanup;
	if (!src || site->nmore > 0 || error == 1) {
		if (!(updates = lm__calloc(site->nmore + 1, sizeof(*updates)))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		error = mutant_blob(g, &updates[0], bom, site->mutant, site->mutant_len, src,
		                    site->edits, rel);
		for (i = 0; error == 0 && i < site->nmore; i++)
			error =
			    mutant_blob(g, &updates[i + 1], site->more[i].bom, site->more[i].mutant,
			                site->more[i].mutant_len, NULL, NULL, site->more[i].path);
		if (error < 0)
			goto cleanup;
		if (git_tree_create_updated(&tree, g->wrepo, g->base_tree, site->nmore + 1,
		                            updates) < 0) {
			error = out_fail(g, "cannot write the tree of %s", branch);
			goto cleanup;
		}
		if ((error = track_trees(g, &tree, updates, site->nmore + 1)) < 0 ||
		    (error = commit(g, &oid, &tree, message.ptr, g->base)) < 0)
			goto cleanup;
	}
	error = queue_ref(g, refname, &oid, &changed);
	if (!error && (g->unflushed >= FLUSH_BYTES || lm__packw_size(g->pw) >= FLUSH_BYTES))
		error = flush_writes(g);
	if (!error) {
		if (changed)
			g->stats->written++;
		else
			g->stats->existing++;
		git_oid_tostr(hex, sizeof(hex), &oid);
		error = lm_truth_add(g->truth, site, rel, branch, hex, g->base_hex, compiled);
	}

cleanup:
	free(updates);
	lm_buf_dispose(&message);
	return error;
}

/*
 * A planned site in the second pass: left out if the compile check refused
 * it or the sample or shard has not selected it, else listed or written.
 */
static int write_planned(gen *g, const plan_entry *e, const lm_site *site, const lm_source *src,
                         bool bom, const char *path, const char *rel)
{
	const char *why = NULL;
	size_t c;
	int error;

	for (c = 0; e->checked && !why && c < e->nchecks; c++)
		why = lm_pycheck_result(g->pycheck, e->check + c);
	if (why) {
		diag(g, "%s:%u:%u: %s: mutant rejected: %s", path, site->line, site->col,
		     site->op->id, why);
		return 0;
	}
	if (!e->selected)
		return 0;
	if (g->opts->planned && (error = g->opts->planned(site, rel, g->opts->payload)) != 0)
		return error;
	if (g->opts->list)
		return 0;
	return write_mutant(g, site, src, bom, rel,
	                    e->checked && g->pycheck && lm_pycheck_available(g->pycheck));
}

/*
 * Keep what the second pass needs of a site just planned: found in `src`,
 * or, for an interprocedural operator's (`src` NULL), with its texts.
 */
static int spool_site(gen *g, const lm_site *site, const lm_source *src, bool bom)
{
	git_oid none;

	if (!src) {
		memset(&none, 0, sizeof(none));
		return lm__spool_put(g->spool, g->nplan - 1, &none, bom, site);
	}
	if (g->spool_src != src) {
		if (git_odb_hash(&g->spool_content, lm_source_text(src), lm_source_len(src),
		                 GIT_OBJECT_BLOB) < 0)
			return lm__git_fail("cannot hash a file");
		g->spool_src = src;
	}
	return lm__spool_put(g->spool, g->nplan - 1, &g->spool_content, bom, site);
}

/* One site found in the first pass, planned, or rejected with a message. */
static int plan_site(gen *g, const lm_site *site, const lm_source *src, bool bom, const char *path,
                     const char *rel)
{
	size_t c, check = 0, more;
	int error;

	if (site->skip_reason)
		return 0;
	if (!site->valid) {
		diag(g, "%s:%u:%u: %s: mutant rejected: %s", path, site->line, site->col,
		     site->op->id, site->invalid ? site->invalid : "does not parse");
		g->stats->rejected++;
		return 0;
	}
	if (g->pycheck && src && site->nmore == 0) {
		if ((error = lm_pycheck_add_edits(g->pycheck, path, bom, lm_source_text(src),
		                                  lm_source_len(src), site->edits, &check)) < 0)
			return error;
	} else if (g->pycheck) {
		if ((error = with_bom(g, bom, site->mutant, site->mutant_len)) < 0 ||
		    (error = lm_pycheck_add(g->pycheck, path, g->scratch.ptr, g->scratch.size,
		                            &check)) < 0)
			return error;
		for (c = 0; c < site->nmore; c++)
			if ((error = with_bom(g, site->more[c].bom, site->more[c].mutant,
			                      site->more[c].mutant_len)) < 0 ||
			    (error = lm_pycheck_add(g->pycheck, site->more[c].path, g->scratch.ptr,
			                            g->scratch.size, &more)) < 0)
				return error;
	}
	if ((error = plan_push(g, site, rel, check, site->nmore + 1, g->pycheck != NULL)) < 0)
		return error;
	return spool_site(g, site, src, bom);
}

/*
 * The site of the plan's next entry, read back from the spool, and the
 * content it was found in.
 */
static int next_planned(gen *g, lm_site **site, git_oid *content, bool *bom)
{
	const plan_entry *e = &g->plan[g->cursor];
	int error = lm__spool_get(g->spool, g->cursor, e->op, content, bom, site);

	if (error == 0 && strcmp((*site)->id, e->id)) {
		lm__site_free(*site);
		*site = NULL;
		return lm_error_set(LM_ERROR, "the plan's spool is out of step at mutant %s",
		                    e->id);
	}
	return error;
}

/*
 * One input file on its way: read (`error` 0) or not, scanned (by a worker
 * when there are several), then planned or written by the main thread, in
 * walk order.  A task without a file carries a message of the walk.
 */
typedef struct task {
	lm_source *src;
	char *path, *rel;
	int error; /* reading it, then scanning it */
	lm_sites sites;
	char message[1024]; /* lm_error_last() of a failed read or scan, or the walk's */
	bool bad;           /* a walk message that counts a bad file */
	bool done;          /* scanned */
} task;

static void task_dispose(task *t)
{
	lm_sites_dispose(&t->sites);
	lm_source_free(t->src);
	free(t->path);
	free(t->rel);
	memset(t, 0, sizeof(*t));
}

/* Parse and scan a task's file (drivers are only parsed: never mutated). */
static void scan(lm_engine *engine, lm_parser *parser, task *t)
{
	if (t->error != 0 || !t->rel)
		return; /* not read, or a message */
	if (!lm_is_driver(t->rel))
		t->error = lm_engine_scan(engine, t->src, parser, t->rel, &t->sites);
	else
		t->error = lm_source_parse(t->src, parser);
	if (t->error < 0)
		snprintf(t->message, sizeof(t->message), "%s", lm_error_last());
}

static void drop_vanished(gen *g, const char *until);

/* Pass over the rest of the plan of file `rel`. */
static void skip_file(gen *g, const char *rel)
{
	while (g->cursor < g->nplan && g->plan[g->cursor].file &&
	       !strcmp(g->plan[g->cursor].file, rel))
		g->cursor++;
}

/*
 * A file read again in the second pass: its planned mutants, read back from
 * the spool, if it holds what the first pass read; else none.
 */
static int write_file(gen *g, const lm_source *src, const char *path, const char *rel)
{
	bool bom = lm_source_bom(src), was_bom;
	git_oid content, was;
	bool hashed = false;
	int error = 0;

	/* Files planned before this one that never came have vanished. */
	drop_vanished(g, rel);
	while (error == 0 && g->cursor < g->nplan && g->plan[g->cursor].file &&
	       !strcmp(g->plan[g->cursor].file, rel)) {
		const plan_entry *e = &g->plan[g->cursor];
		lm_site *site;

		if (!hashed && git_odb_hash(&content, lm_source_text(src), lm_source_len(src),
		                            GIT_OBJECT_BLOB) < 0)
			return lm__git_fail(path);
		hashed = true;
		if ((error = next_planned(g, &site, &was, &was_bom)) < 0)
			return error;
		if (!git_oid_equal(&was, &content) || was_bom != bom) {
			lm__site_free(site);
			diag(g, "%s: changed during the run; its mutants were left out", path);
			skip_file(g, rel);
			break;
		}
		g->cursor++;
		error = write_planned(g, e, site, src, bom, path, rel);
		lm__site_free(site);
	}
	return error;
}

/* A file scanned (pass 1: plan its mutants) or read again (pass 2: write them). */
static int finish_file(gen *g, task *t)
{
	lm_source *src = t->src;
	const char *path = t->path, *rel = t->rel;
	size_t i;
	int error = t->error;

	if (!rel) {
		diag(g, "%s", t->message);
		if (t->bad)
			g->stats->bad_files++;
		return 0;
	}
	if (error == LM_ENOMEM || error == LM_EGIT)
		return lm_error_set(error, "%s", t->message);
	if (error < 0) {
		if (g->pass == 1) {
			diag(g, "%s", t->message);
			g->stats->bad_files++;
		}
		return 0;
	}
	if (g->pass == 2)
		return write_file(g, src, path, rel);
	g->stats->files++;
	if ((error = lm_engine_index(g->engine, src, rel)) < 0)
		return error;
	if (g->opts->progress)
		g->opts->progress(g->stats, false, g->opts->payload);
	if (!g->opts->list && !g->opts->rev && (error = add_base_file(g, src, rel)) < 0) {
		if (error != LM_EINVALID)
			return error;
		diag(g, "%s", lm_error_last());
		g->stats->bad_files++;
		return 0;
	}
	for (i = 0; i < t->sites.count; i++)
		if ((error = plan_site(g, t->sites.items[i], src, lm_source_bom(src), path, rel)) <
		    0)
			return error;
	return 0;
}

static int finish(gen *g, task *t)
{
	int error = finish_file(g, t);

	/* its source is freed next: the address may come again */
	g->blob_src = NULL;
	g->spool_src = NULL;
	return error;
}

/* ---- scanning files on several threads -------------------------------------- */

/*
 * A ring of tasks: the main thread reads files and adds them, workers (each
 * with its own engine and parser) scan them, and the main thread finishes
 * them in the order they were added, so that the plan, the diagnostics and
 * the repository are the same whatever the number of workers.  The ring
 * holds RING_PER_JOB tasks a worker: while the oldest (a big file, say) is
 * scanned, or the main thread waits for a python compiling, the other
 * workers go on with the next files (with two a worker, they stood idle).
 */
#define RING_PER_JOB 8

typedef struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	task *ring;
	size_t size, added, taken, finished; /* counts: ring[n % size] */
	pthread_t *threads;
	lm_engine **engines;
	lm_parser **parsers;
	size_t jobs, nthreads;
	bool stop;
} pool;

static void *worker(void *arg)
{
	pool *p = ((void **)arg)[0];
	size_t me = (size_t)(uintptr_t)((void **)arg)[1];

	free(arg);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		task *t;

		while (!p->stop && p->taken == p->added)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stop)
			break;
		t = &p->ring[p->taken++ % p->size];
		pthread_mutex_unlock(&p->lock);
		scan(p->engines[me], p->parsers[me], t);
		pthread_mutex_lock(&p->lock);
		t->done = true;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void pool_free(pool *p)
{
	size_t i;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	for (i = p->finished; i < p->added; i++)
		task_dispose(&p->ring[i % p->size]);
	/* Either array may be missing when pool_new() ran out of memory. */
	for (i = 0; i < p->jobs; i++) {
		if (p->engines)
			lm_engine_free(p->engines[i]);
		if (p->parsers)
			lm_parser_free(p->parsers[i]);
	}
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->lock);
	free(p->ring);
	free(p->threads);
	free(p->engines);
	free(p->parsers);
	free(p);
}

static int pool_new(gen *g, unsigned jobs)
{
	pool *p = lm__calloc(1, sizeof(*p));
	size_t i;
	int error = 0;

	if (!p)
		return lm_error_set(LM_ENOMEM, "out of memory");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->jobs = jobs;
	p->size = RING_PER_JOB * (size_t)jobs;
	if (!(p->ring = lm__calloc(p->size, sizeof(*p->ring))) ||
	    !(p->threads = lm__calloc(jobs, sizeof(*p->threads))) ||
	    !(p->engines = lm__calloc(jobs, sizeof(*p->engines))) ||
	    !(p->parsers = lm__calloc(jobs, sizeof(*p->parsers)))) {
		pool_free(p);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	for (i = 0; i < jobs && error == 0; i++) {
		void **arg;

		if ((error = lm_parser_new(&p->parsers[i])) < 0 ||
		    (error = lm_engine_new(&p->engines[i], g->ops, g->nops)) < 0)
			break;
		lm_engine_keep_texts(p->engines[i], false);
		if (!(arg = lm__malloc(2 * sizeof(*arg)))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			break;
		}
		arg[0] = p;
		arg[1] = (void *)(uintptr_t)i;
		if (pthread_create(&p->threads[i], NULL, worker, arg) != 0) {
			free(arg);
			error =
			    lm_error_set(LM_ERROR, "cannot start a thread: %s", strerror(errno));
			break;
		}
		p->nthreads++;
	}
	if (error < 0) {
		pool_free(p);
		return error;
	}
	g->pool = p;
	return 0;
}

/* Finish the oldest task once it is scanned. */
static int pool_finish_one(gen *g)
{
	pool *p = g->pool;
	task *t = &p->ring[p->finished % p->size];
	int error;

	pthread_mutex_lock(&p->lock);
	while (!t->done)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
	error = finish(g, t);
	task_dispose(t);
	p->finished++;
	return error;
}

/* Finish every task added. */
static int pool_drain(gen *g)
{
	int error = 0;

	while (error == 0 && g->pool && g->pool->finished < g->pool->added)
		error = pool_finish_one(g);
	return error;
}

/*
 * One input file, read (`error` 0) or not, or a message of the walk (`rel`
 * NULL): scanned and finished now, or handed to the workers.
 */
static int submit(gen *g, int error, lm_source *src, const char *path, const char *rel,
                  const char *message, bool bad)
{
	task one = {0}, *t = &one;
	pool *p = g->pool;
	char why[sizeof(t->message)];
	int failed;

	/* The reading's message, before finishing another task can replace it. */
	snprintf(why, sizeof(why), "%s", message ? message : error < 0 ? lm_error_last() : "");
	if (p) {
		if (p->added - p->finished == p->size && (failed = pool_finish_one(g)) != 0) {
			lm_source_free(src);
			return failed;
		}
		t = &p->ring[p->added % p->size];
	}
	t->src = src;
	t->error = error;
	t->bad = bad;
	memcpy(t->message, why, sizeof(why));
	if ((path && !(t->path = lm__strdup(path))) || (rel && !(t->rel = lm__strdup(rel)))) {
		task_dispose(t);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	if (p) {
		pthread_mutex_lock(&p->lock);
		p->added++;
		pthread_cond_signal(&p->work);
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	if (g->pass == 1)
		scan(g->engine, g->parser, t);
	error = finish(g, t);
	task_dispose(t);
	return error;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pass over the plan of files the first pass read and the second did not find. */
static void drop_vanished(gen *g, const char *until)
{
	while (g->cursor < g->nplan && g->plan[g->cursor].file &&
	       (!until || strcmp(g->plan[g->cursor].file, until))) {
		const char *file = g->plan[g->cursor].file;

		diag(g, "%s/%s: vanished during the run; its mutants were left out", g->opts->input,
		     file);
		g->stats->bad_files++;
		while (g->cursor < g->nplan && g->plan[g->cursor].file == file)
			g->cursor++;
	}
}

/*
 * In the second pass, whether an input file can be passed over because the
 * first planned no mutant in it (most files, on a large tree).  Files are
 * matched by name, so that one deleted between the passes costs only its
 * own mutants.
 */
static bool next_file_skipped(gen *g, const char *rel)
{
	const char *key = rel;

	if (g->pass != 2)
		return false;
	/* not planned (or new since the first pass); vanished files are
	 * passed over when the next planned one is finished */
	return !g->nfiles || !bsearch(&key, g->sorted, g->nfiles, sizeof(*g->sorted), cmp_str);
}

static int on_file(const char *path, const char *rel, void *payload)
{
	gen *g = payload;
	lm_source *src = NULL;
	int error;

	if (next_file_skipped(g, rel))
		return 0;
	error = lm_source_load(&src, path, path);
	return submit(g, error, src, path, rel, NULL, false);
}

static void on_walk_error(const char *path, const char *why, void *payload)
{
	gen *g = payload;
	char message[1024];

	if (g->pass == 1) {
		snprintf(message, sizeof(message), "%s: %s", path, why);
		/* A failure to queue it (out of memory) shows at the next file. */
		(void)submit(g, 0, NULL, NULL, NULL, message, strcmp(why, LM_WALK_SYMLINK) != 0);
	}
}

/* ---- base and truth ------------------------------------------------------- */

static int write_base(gen *g)
{
	git_oid tree, oid, current;
	bool changed;
	int error;

	if (g->opts->rev) {
		git_oid_cpy(&oid, git_commit_id(g->input_commit));
	} else {
		git_tree *written = NULL;
		subtrees st = {g, 0};

		/* The base's blobs on disk first: libgit2 checks that a tree's entries exist. */
		if ((error = flush_writes(g)) < 0)
			return error;
		if (git_index_write_tree_to(&tree, g->index, g->wrepo) < 0)
			return out_fail(g, "cannot write the base tree");
		if ((error = track(g, &tree, 0)) < 0)
			return error;
		if (git_tree_lookup(&written, g->wrepo, &tree) < 0 ||
		    git_tree_walk(written, GIT_TREEWALK_PRE, track_subtree, &st) < 0) {
			git_tree_free(written);
			return st.error < 0 ? st.error : out_fail(g, "cannot write the base tree");
		}
		git_tree_free(written);
		if ((error = commit(g, &oid, &tree, "base\n", NULL)) < 0 ||
		    (error = flush_writes(g)) < 0)
			return error;
	}
	if (git_reference_name_to_id(&current, g->repo, BASE_REF) == 0 &&
	    !git_oid_equal(&current, &oid)) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &current);
		return lm_error_set(LM_EINVALID,
		                    "%s: holds mutants of another input (base %s); write to a new "
		                    "repository",
		                    g->opts->out, hex);
	}
	if ((error = set_ref(g, BASE_REF, &oid, &changed)) < 0)
		return error;
	if (git_repository_set_head(g->repo, BASE_REF) < 0)
		return out_fail(g, "cannot point HEAD at base");
	git_oid_tostr(g->base_hex, sizeof(g->base_hex), &oid);
	memcpy(g->stats->base, g->base_hex, sizeof(g->base_hex));
	if (git_commit_lookup(&g->base, g->repo, &oid) < 0 ||
	    git_commit_tree(&g->base_tree, g->base) < 0)
		return out_fail(g, "cannot read the base commit back");
	return 0;
}

static int write_truth(gen *g, git_commit *previous)
{
	const char *copy = g->opts->truth_path;
	int error;

	/* A run killed while it copied the truth left FILE.tmpPID beside FILE. */
	if (copy && (error = lm__clear_stale(copy, strlen(copy), ".tmp", S_IFREG)) < 0)
		return error;
	error = lm_truth_write(g->truth, g->repo, g->base_hex, g->sig, previous, copy);
	if (error == LM_EGIT) {
		char why[1024];

		snprintf(why, sizeof(why), "%s", lm_error_last());
		error = lm_error_set(LM_EGIT, "%s: %s", g->opts->out, why);
	}
	return error;
}

/* ---- which mutants are kept ----------------------------------------------- */

static int cmp_keys(const void *a, const void *b)
{
	const plan_entry *x = *(plan_entry *const *)a, *y = *(plan_entry *const *)b;
	int c = memcmp(x->key, y->key, sizeof(x->key));

	return c ? c : strcmp(x->id, y->id);
}

/* The first 8 hex digits of a mutant id, as a number. */
static unsigned long id_number(const char *id)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < 8 && id[i]; i++)
		n = n * 16 + (unsigned long)(id[i] <= '9' ? id[i] - '0' : id[i] - 'a' + 10);
	return n;
}

/* Mark the plan entries that compiled and are in the sample and the shard. */
static int select_mutants(gen *g)
{
	plan_entry **ranked = NULL;
	size_t i, j, n;

	for (i = 0; i < g->nplan; i++) {
		plan_entry *e = &g->plan[i];
		size_t c;

		e->selected = true;
		for (c = 0; e->checked && c < e->nchecks; c++)
			if (lm_pycheck_result(g->pycheck, e->check + c))
				e->selected = false;
		if (!e->selected) {
			g->stats->rejected++;
			continue;
		}
		g->stats->mutants++;
		if (g->opts->sample) {
			struct sha256_ctx ctx;
			uint8_t digest[SHA256_DIGEST_SIZE];
			char seed[32];

			snprintf(seed, sizeof(seed), "%lu", g->opts->seed);
			sha256_init(&ctx);
			sha256_update(&ctx, strlen(seed) + 1, (const uint8_t *)seed);
			sha256_update(&ctx, strlen(e->id), (const uint8_t *)e->id);
			sha256_digest(&ctx, sizeof(digest), digest);
			memcpy(e->key, digest, sizeof(e->key));
		}
	}
	if (g->opts->sample && g->nplan) {
		if (!(ranked = lm__calloc(g->nplan, sizeof(*ranked))))
			return lm_error_set(LM_ENOMEM, "out of memory");
		for (j = 0; j < g->nops; j++) {
			for (i = 0, n = 0; i < g->nplan; i++)
				if (g->plan[i].selected && g->plan[i].op == g->ops[j])
					ranked[n++] = &g->plan[i];
			if (n > 1)
				qsort(ranked, n, sizeof(*ranked), cmp_keys);
			for (i = g->opts->sample; i < n; i++)
				ranked[i]->selected = false;
		}
		free(ranked);
	}
	for (i = 0; i < g->nplan; i++) {
		plan_entry *e = &g->plan[i];

		if (e->selected && g->opts->shard_n &&
		    id_number(e->id) % g->opts->shard_n != g->opts->shard_k - 1)
			e->selected = false;
		if (e->selected)
			g->stats->selected++;
	}
	return 0;
}

/* ---- a git revision as the input -------------------------------------------- */

/* Reading the input repository failed: name it, then the object. */
static int input_fail(gen *g, const char *what)
{
	const git_error *e = git_error_last();

	return lm_error_set(LM_EGIT, "%s: %s: %s", g->opts->input, what,
	                    e && e->message ? e->message : "failed");
}

static int open_input_repo(gen *g)
{
	if (git_repository_open_ext(&g->input_repo, g->opts->input, GIT_REPOSITORY_OPEN_NO_SEARCH,
	                            NULL) < 0)
		return lm_error_set(LM_ENOTFOUND, "%s: not a git repository: %s", g->opts->input,
		                    git_error_last() ? git_error_last()->message : "?");
	return 0;
}

static int open_input(gen *g)
{
	git_object *obj = NULL;
	int error = 0;

	if (git_revparse_single(&obj, g->input_repo, g->opts->rev) < 0 ||
	    git_object_peel((git_object **)&g->input_commit, obj, GIT_OBJECT_COMMIT) < 0)
		error =
		    lm_error_set(LM_ENOTFOUND, "%s: no commit '%s': %s", g->opts->input,
		                 g->opts->rev, git_error_last() ? git_error_last()->message : "?");
	git_object_free(obj);
	if (error == 0) {
		const git_signature *c = git_commit_committer(g->input_commit);

		g->when = c->when.time;
		g->offset = c->when.offset;
	}
	return error;
}

/*
 * Whether a loose object file inflates whole and holds what its header says.
 * libgit2 1.5 loops forever on a truncated loose object (libgit2 issue 7342,
 * fixed after 1.9) and writes past its buffer on one whose header understates
 * its size (issue 7177), so the input's loose objects are checked here first.
 */
static bool loose_object_ok(const char *path)
{
	unsigned char in[16384], out[16384];
	char header[64];
	size_t hlen = 0, want = 0;
	bool have_header = false, ok = false;
	z_stream z;
	int fd = open(path, O_RDONLY | O_CLOEXEC), zr = Z_OK;

	if (fd < 0)
		return false;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		close(fd);
		return false;
	}
	while (zr != Z_STREAM_END) {
		ssize_t n = read(fd, in, sizeof(in));

		if (n <= 0)
			break; /* truncated (or unreadable) before the stream's end */
		z.next_in = in;
		z.avail_in = (uInt)n;
		do {
			size_t i, made;

			z.next_out = out;
			z.avail_out = sizeof(out);
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
				goto done;
			made = sizeof(out) - z.avail_out;
			for (i = 0; !have_header && i < made; i++) {
				if (hlen == sizeof(header) - 1)
					goto done;
				header[hlen++] = (char)out[i];
				if (out[i] == '\0') {
					char *sp = strchr(header, ' '), *end;

					if (!sp)
						goto done;
					want = strtoul(sp + 1, &end, 10);
					if (end == sp + 1 || *end)
						goto done;
					have_header = true;
				}
			}
		} while (z.avail_in > 0 && zr != Z_STREAM_END);
	}
	ok = zr == Z_STREAM_END && have_header && z.total_out == hlen + want;
done:
	inflateEnd(&z);
	close(fd);
	return ok;
}

/* Every loose object of the input repository, checked before libgit2 reads any. */
static int check_input_objects(gen *g)
{
	lm_buf path = LM_BUF_INIT;
	size_t base;
	int error, d;

	if ((error = lm_buf_printf(&path, "%sobjects/", git_repository_path(g->input_repo))) < 0)
		return error;
	base = path.size;
	for (d = 0; d < 256 && error == 0; d++) {
		struct dirent *de;
		DIR *dir;

		path.size = base;
		if ((error = lm_buf_printf(&path, "%02x", d)) < 0 || !(dir = opendir(path.ptr)))
			continue;
		while (error == 0 && (de = readdir(dir)) != NULL) {
			size_t here = path.size;

			if (strlen(de->d_name) != GIT_OID_HEXSZ - 2 ||
			    strspn(de->d_name, "0123456789abcdef") != GIT_OID_HEXSZ - 2)
				continue;
			if ((error = lm_buf_printf(&path, "/%s", de->d_name)) == 0 &&
			    !loose_object_ok(path.ptr))
				error =
				    lm_error_set(LM_EGIT,
				                 "%s: corrupt object %02x%s (truncated or garbled "
				                 "loose object %s)",
				                 g->opts->input, d, de->d_name, path.ptr);
			path.size = here;
			path.ptr[here] = '\0';
		}
		closedir(dir);
	}
	lm_buf_dispose(&path);
	return error;
}

/*
 * A tree entry name git itself would never write (it holds '/'), or that
 * climbs ("." and ".."), or holds a control character (a newline would split
 * every line-based record and message it appears in).
 */
static bool safe_name(const char *name)
{
	const unsigned char *p;

	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

typedef struct tree_walk {
	gen *g;
	int error;
	lm_buf rel;
	lm_buf display;
} tree_walk;

static int on_tree_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	tree_walk *w = payload;
	gen *g = w->g;
	const char *name = git_tree_entry_name(entry);
	git_filemode_t mode = git_tree_entry_filemode(entry);
	git_blob *blob = NULL;
	lm_source *src = NULL;
	size_t len = strlen(name);
	int error;

	if (!safe_name(name)) {
		if (g->pass == 1) {
			char message[1024];

			snprintf(
			    message, sizeof(message),
			    "%s: %s:%s%s: not a safe path (a '/', '..' or control character in "
			    "a tree entry name); skipped",
			    g->opts->input, g->opts->rev, root, name);
			if ((w->error = submit(g, 0, NULL, NULL, NULL, message, true)) != 0)
				return -1;
		}
		return 1;
	}
	if (name[0] == '.' || !strcmp(name, "__pycache__"))
		return 1; /* skip it (and, for a tree, what is under it) */
	if (mode == GIT_FILEMODE_TREE) {
		git_tree *tree = NULL;
		git_tree_entry *venv = NULL;
		bool skip = false;

		if (git_tree_lookup(&tree, g->input_repo, git_tree_entry_id(entry)) == 0 &&
		    git_tree_entry_bypath(&venv, tree, "pyvenv.cfg") == 0)
			skip = true;
		git_tree_entry_free(venv);
		git_tree_free(tree);
		return skip ? 1 : 0;
	}
	/* Regular files only: links and submodules are not followed. */
	if ((mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) || len < 3 ||
	    strcmp(name + len - 3, ".py"))
		return 0;
	lm_buf_clear(&w->rel);
	lm_buf_clear(&w->display);
	if ((error = lm_buf_printf(&w->rel, "%s%s", root, name)) < 0)
		goto fail;
	if (next_file_skipped(g, w->rel.ptr))
		return 0;
	if ((error = lm_buf_printf(&w->display, "%s:%s", g->opts->rev, w->rel.ptr)) < 0)
		goto fail;
	if (git_blob_lookup(&blob, g->input_repo, git_tree_entry_id(entry)) < 0) {
		error = input_fail(g, w->display.ptr);
		goto fail;
	}
	if ((size_t)git_blob_rawsize(blob) > LM_SOURCE_MAX_BYTES)
		error = lm_error_set(LM_ETOOBIG, "%s: %lld bytes is over the limit of %zu bytes",
		                     w->display.ptr, (long long)git_blob_rawsize(blob),
		                     LM_SOURCE_MAX_BYTES);
	else
		error = lm_source_from_bytes(&src, w->display.ptr, git_blob_rawcontent(blob),
		                             (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	if ((error = submit(g, error, src, w->display.ptr, w->rel.ptr, NULL, false)) == 0)
		return 0;
fail:
	w->error = error;
	return -1;
}

static int walk_files(gen *g)
{
	tree_walk w = {g, 0, LM_BUF_INIT, LM_BUF_INIT};
	git_tree *tree = NULL;
	int error;

	if (!g->opts->rev)
		return lm_walk(g->opts->input, on_file, g->pass == 1 ? on_walk_error : NULL, g);
	if (git_commit_tree(&tree, g->input_commit) < 0)
		return lm__git_fail(g->opts->input);
	error = git_tree_walk(tree, GIT_TREEWALK_PRE, on_tree_entry, &w);
	if (error < 0)
		error = w.error < 0 ? w.error : lm__git_fail(g->opts->input);
	git_tree_free(tree);
	lm_buf_dispose(&w.rel);
	lm_buf_dispose(&w.display);
	return error;
}

/*
 * Every input file, finished in walk order: in the first pass scanned by
 * opts->jobs threads; in the second read again, not parsed.
 */
static int walk_input(gen *g)
{
	int error;

	if (g->pass == 1 && g->opts->jobs > 1 && (error = pool_new(g, g->opts->jobs)) < 0)
		return error;
	error = walk_files(g);
	if (error == 0)
		error = pool_drain(g);
	pool_free(g->pool);
	g->pool = NULL;
	return error;
}

/* Copy the input commit and its history into OUT: it becomes the base. */
static int copy_input_commit(gen *g)
{
	const git_oid *oid = git_commit_id(g->input_commit);
	git_packbuilder *pb = NULL;
	git_revwalk *walk = NULL;
	git_odb *odb = NULL;
	lm_buf dir = LM_BUF_INIT;
	int error = 0;

	if (git_repository_odb(&odb, g->repo) < 0)
		return lm__git_fail(g->opts->out);
	if (!git_odb_exists(odb, oid)) {
		if ((error = lm_buf_printf(&dir, "%sobjects/pack", git_repository_path(g->repo))) <
		    0)
			goto cleanup;
		if (git_packbuilder_new(&pb, g->input_repo) < 0 ||
		    git_revwalk_new(&walk, g->input_repo) < 0 || git_revwalk_push(walk, oid) < 0 ||
		    git_packbuilder_insert_walk(pb, walk) < 0 ||
		    git_packbuilder_write(pb, dir.ptr, 0, NULL, NULL) < 0) {
			error = out_fail(g, "cannot copy %s of %s", g->opts->rev, g->opts->input);
			goto cleanup;
		}
		git_odb_refresh(odb);
	}

cleanup:
	git_revwalk_free(walk);
	git_packbuilder_free(pb);
	git_odb_free(odb);
	lm_buf_dispose(&dir);
	return error;
}

/* The operators asked for; by default the leaky ones and their controls. */
static int select_operators(gen *g)
{
	const char *list = g->opts->operators;
	size_t i, k = 0;
	int error;

	if (!list || !*list)
		list = g->opts->no_controls ? "leak" : "leak,control";
	if ((error = lm_operators_select(&g->ops, &g->nops, list)) < 0)
		return error;
	for (i = 0; i < g->nops; i++)
		if (!g->opts->no_controls || g->ops[i]->family != LM_FAMILY_CONTROL)
			g->ops[k++] = g->ops[i];
	g->nops = k;
	return 0;
}

/* ---- interprocedural sites ------------------------------------------------------- */

/*
 * Whether a file of the input folder read again holds what the walk read
 * (and the base holds): 0, or LM_EINVALID after a message.  Without a base
 * (--list), 0.
 */
static int same_as_base(gen *g, const lm_source *src, const char *path, const char *rel)
{
	const git_index_entry *entry = g->index ? git_index_get_bypath(g->index, rel, 0) : NULL;
	git_oid oid;
	int error;

	if (!entry)
		return 0;
	if ((error = with_bom(g, lm_source_bom(src), lm_source_text(src), lm_source_len(src))) < 0)
		return error;
	if (git_odb_hash(&oid, g->scratch.ptr, g->scratch.size, GIT_OBJECT_BLOB) < 0)
		return lm__git_fail(path);
	if (git_oid_equal(&oid, &entry->id))
		return 0;
	diag(g, "%s: changed during the run; its mutants were left out", path);
	return lm_error_set(LM_EINVALID, "%s: changed during the run", path);
}

/* Load an input file by its path relative to the input root. */
static int load_input(lm_source **out, const char *rel, void *payload)
{
	gen *g = payload;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	lm_buf path = LM_BUF_INIT;
	int error;

	*out = NULL;
	if (!g->opts->rev) {
		if ((error = lm_buf_printf(&path, "%s/%s", g->opts->input, rel)) == 0 &&
		    (error = lm_source_load(out, path.ptr, path.ptr)) == 0 &&
		    (error = same_as_base(g, *out, path.ptr, rel)) < 0) {
			lm_source_free(*out);
			*out = NULL;
		}
		lm_buf_dispose(&path);
		return error;
	}
	if ((error = lm_buf_printf(&path, "%s:%s", g->opts->rev, rel)) < 0)
		return error;
	if (git_commit_tree(&tree, g->input_commit) < 0 ||
	    git_tree_entry_bypath(&entry, tree, rel) < 0 ||
	    git_blob_lookup(&blob, g->input_repo, git_tree_entry_id(entry)) < 0)
		error = input_fail(g, path.ptr);
	else if ((size_t)git_blob_rawsize(blob) > LM_SOURCE_MAX_BYTES)
		error = lm_error_set(LM_ETOOBIG, "%s: over the size limit", path.ptr);
	else
		error = lm_source_from_bytes(out, path.ptr, git_blob_rawcontent(blob),
		                             (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	lm_buf_dispose(&path);
	return error;
}

/* How messages name input file `rel`: INPUT/rel, or REV:rel. */
static int display_path(gen *g, lm_buf *out, const char *rel)
{
	lm_buf_clear(out);
	return lm_buf_printf(out, "%s%s%s", g->opts->input, g->opts->rev ? ":" : "/", rel);
}

/* One candidate's interprocedural sites, planned. */
static int tree_sites(const lm_sites *sites, void *payload)
{
	gen *g = payload;
	lm_buf display = LM_BUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; error == 0 && i < sites->count; i++) {
		const lm_site *site = sites->items[i];

		if ((error = display_path(g, &display, site->path)) == 0)
			error = plan_site(g, site, NULL, site->bom, display.ptr, site->path);
	}
	lm_buf_dispose(&display);
	return error;
}

/* The sites of the interprocedural operators, one candidate at a time. */
static int tree_pass(gen *g)
{
	return lm_engine_scan_tree_each(g->engine, g->parser, load_input, g, tree_sites, g);
}

/*
 * The interprocedural sites the first pass planned (after every other),
 * read back from the spool with their texts and written.
 */
static int write_tree_sites(gen *g)
{
	lm_buf display = LM_BUF_INIT;
	git_oid unused;
	bool bom;
	int error = 0;

	while (error == 0 && g->cursor < g->nplan) {
		const plan_entry *e = &g->plan[g->cursor];
		lm_site *site = NULL;

		if ((error = next_planned(g, &site, &unused, &bom)) < 0)
			break;
		g->cursor++;
		if ((error = display_path(g, &display, site->path)) == 0)
			error = write_planned(g, e, site, NULL, site->bom, display.ptr, site->path);
		lm__site_free(site);
	}
	lm_buf_dispose(&display);
	return error;
}

/* ---- the whole run ------------------------------------------------------------ */

static int run(gen *g)
{
	git_commit *previous = NULL;
	int error;

	g->when = LM_COMMIT_TIME;
	if (g->opts->shard_n && (g->opts->shard_k < 1 || g->opts->shard_k > g->opts->shard_n))
		return lm_error_set(LM_EINVALID, "shard %u/%u: K must be from 1 to N",
		                    g->opts->shard_k, g->opts->shard_n);
	if ((error = select_operators(g)) < 0 || (error = lm_parser_new(&g->parser)) < 0 ||
	    (error = lm_engine_new(&g->engine, g->ops, g->nops)) < 0 ||
	    (g->opts->compile && (error = lm_pycheck_new(&g->pycheck, g->opts->python)) < 0))
		return error;
	lm_engine_keep_texts(g->engine, false); /* write_mutant() makes them */
	if (g->opts->rev && ((error = open_input_repo(g)) < 0 ||
	                     (error = check_input_objects(g)) < 0 || (error = open_input(g)) < 0))
		return error;
	if (!g->opts->list) {
		if ((error = open_repo(g)) < 0 || (error = take_lock(g)) < 0 ||
		    (error = clear_stale_git_files(g)) < 0 ||
		    (error = lm__packed_open(&g->packed, git_repository_path(g->repo))) < 0)
			return error;
		if (git_index_new(&g->index) < 0 ||
		    git_signature_new(&g->sig, "leakmut", "leakmut@localhost", g->when, g->offset) <
		        0)
			return lm__git_fail("cannot start");
		if ((error = lm_truth_new(&g->truth, git_repository_path(g->repo))) < 0 ||
		    (error = open_writer(g)) < 0 || (error = open_packw(g)) < 0)
			return error;
	}

	if (!g->opts->rev) {
		char *package = NULL;

		if ((error = lm_package_of_dir(&package, g->opts->input)) == 0)
			error = lm_engine_set_package(g->engine, package);
		free(package);
		if (error < 0)
			return error;
	}
	if ((error = lm__spool_new(&g->spool)) < 0)
		return error;
	g->pass = 1;
	if ((error = walk_input(g)) != 0)
		return error < 0 ? error : LM_ERROR;
	if ((error = tree_pass(g)) < 0)
		return error;
	if (g->pycheck && (error = lm_pycheck_run(g->pycheck)) < 0)
		return error;
	if (g->pycheck && !lm_pycheck_available(g->pycheck))
		diag(g, "no Python interpreter: mutants were re-parsed but not compiled");
	if ((error = select_mutants(g)) < 0)
		return error;
	if (!g->opts->list) {
		if (g->opts->rev)
			error = copy_input_commit(g);
		if (error == 0)
			error = write_base(g);
		if (error < 0)
			return error;
	}

	g->pass = 2;
	g->cursor = 0;
	if ((error = lm__spool_rewind(g->spool)) < 0)
		return error;
	if (g->nfiles) {
		if (!(g->sorted = lm__calloc(g->nfiles, sizeof(*g->sorted))))
			return lm_error_set(LM_ENOMEM, "out of memory");
		memcpy(g->sorted, g->files, g->nfiles * sizeof(*g->sorted));
		qsort(g->sorted, g->nfiles, sizeof(*g->sorted), cmp_str);
	}
	if ((error = walk_input(g)) != 0)
		return error < 0 ? error : LM_ERROR;
	drop_vanished(g, NULL);
	if ((error = write_tree_sites(g)) < 0)
		return error;
	if (!g->opts->list) {
		if ((error = flush_writes(g)) < 0)
			return error;
		if ((error = lm_truth_read(g->truth, g->repo, &previous)) == 0)
			error = write_truth(g, previous);
		git_commit_free(previous);
	}
	if (g->opts->progress)
		g->opts->progress(g->stats, true, g->opts->payload);
	return error;
}

int lm_generate(const lm_generate_opts *opts, lm_generate_stats *stats)
{
	gen g;
	size_t i;
	int error;

	memset(&g, 0, sizeof(g));
	memset(stats, 0, sizeof(*stats));
	g.opts = opts;
	g.stats = stats;
	error = run(&g);
	drop_lock(&g);
	lm_buf_dispose(&g.scratch);
	lm_truth_free(g.truth);
	free(g.plan);
	for (i = 0; i < g.nfiles; i++)
		free(g.files[i]);
	free(g.files);
	free(g.sorted);
	git_tree_free(g.base_tree);
	git_commit_free(g.base);
	git_signature_free(g.sig);
	git_index_free(g.index);
	free(g.refs);
	lm__packed_free(g.packed);
	free(g.batch);
	drop_path(&g);
	free(g.levels);
	free(g.pieces);
	lm_buf_dispose(&g.blob);
	lm_buf_dispose(&g.object);
	lm__packw_free(g.pw);
	lm__spool_free(g.spool);
	git_odb_free(g.disk);
	git_repository_free(g.wrepo);
	git_repository_free(g.repo);
	git_commit_free(g.input_commit);
	git_repository_free(g.input_repo);
	lm_pycheck_free(g.pycheck);
	lm_engine_free(g.engine);
	lm_parser_free(g.parser);
	free(g.ops);
	return error;
}
