#include "whole.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakmut/leakmut.h"
#include "scratch.h"

int lm__write_file(const char *file, const char *name, const char *data, size_t len)
{
	FILE *f;
	int err = 0;

	if (!(f = fopen(file, "wb")))
		return lm_error_set(LM_EIO, "%s: cannot create: %s", name, strerror(errno));
	errno = 0; /* not what an earlier call left */
	if (fwrite(data, 1, len, f) != len)
		err = errno ? errno : EIO;
	if (fclose(f) != 0 && err == 0)
		err = errno ? errno : EIO;
	if (err == 0)
		return 0;
	unlink(file);
	return lm_error_set(LM_EIO, "%s: cannot write: %s", name, strerror(err));
}

int lm__temp_file(char *path, size_t size, const char *name, int *fd)
{
	const char *dir = getenv("TMPDIR");
	int n;

	if (!dir || !*dir)
		dir = "/tmp";
	n = snprintf(path, size, "%s/%s-XXXXXX", dir, name);
	if (n < 0 || (size_t)n >= size)
		return lm_error_set(LM_EINVALID, "TMPDIR is too long (%zu bytes)", strlen(dir));
	if ((*fd = mkostemp(path, O_CLOEXEC)) < 0)
		return lm_error_set(LM_EIO, "%s: cannot create: %s", path, strerror(errno));
	return 0;
}

int lm__write_whole_via(const char *path, const char *tmp, const char *data, size_t len)
{
	int error;

	if ((error = lm__write_file(tmp, path, data, len)) < 0)
		return error;
	if (rename(tmp, path) == 0)
		return 0;
	error = lm_error_set(LM_EIO, "%s: cannot write: %s", path, strerror(errno));
	unlink(tmp);
	return error;
}

int lm__write_whole(const char *path, const char *data, size_t len)
{
	lm_buf tmp = LM_BUF_INIT;
	int error;

	if ((error = lm_buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid())) == 0)
		error = lm__write_whole_via(path, tmp.ptr, data, len);
	lm_buf_dispose(&tmp);
	return error;
}

int lm__clear_stale(const char *path, size_t len, const char *infix, mode_t type)
{
	lm_buf parent = LM_BUF_INIT, prefix = LM_BUF_INIT, entry = LM_BUF_INIT;
	const char *slash = NULL, *base;
	struct dirent *de;
	int error;
	DIR *d;
	size_t i;

	for (i = 0; i < len; i++)
		if (path[i] == '/')
			slash = path + i;
	base = slash ? slash + 1 : path;
	if ((error = lm_buf_put(&parent, slash ? path : ".",
	                        slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1)) < 0 ||
	    (error = lm_buf_printf(&prefix, "%.*s%s", (int)(path + len - base), base, infix)) < 0)
		goto done;
	if (!(d = opendir(parent.ptr)))
		goto done; /* nothing to clear where nothing can be read */
	while (!error && (de = readdir(d)) != NULL) {
		const char *digits = de->d_name + prefix.size;
		char *end;
		long pid;
		struct stat st;

		if (strncmp(de->d_name, prefix.ptr, prefix.size) || *digits < '1' || *digits > '9')
			continue;
		errno = 0;
		pid = strtol(digits, &end, 10);
		if (*end || errno || pid <= 0 || (pid_t)pid != pid ||
		    (pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)))
			continue;
		lm_buf_clear(&entry);
		if ((error = lm_buf_printf(&entry, "%s/%s", parent.ptr, de->d_name)) < 0 ||
		    lstat(entry.ptr, &st) < 0 || (st.st_mode & S_IFMT) != type)
			continue;
		if (type == S_IFDIR)
			lm__remove_tree(entry.ptr);
		else
			unlink(entry.ptr);
	}
	closedir(d);
done:
	lm_buf_dispose(&entry);
	lm_buf_dispose(&prefix);
	lm_buf_dispose(&parent);
	return error;
}
