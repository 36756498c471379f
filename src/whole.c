#include "whole.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "leakmut/leakmut.h"

int lm__write_whole(const char *path, const char *data, size_t len)
{
	lm_buf tmp = LM_BUF_INIT;
	FILE *f;
	int error, err = 0;

	if ((error = lm_buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid())) < 0)
		return error;
	if (!(f = fopen(tmp.ptr, "wb"))) {
		error = lm_error_set(LM_EIO, "%s: cannot create: %s", path, strerror(errno));
		goto cleanup;
	}
	if (fwrite(data, 1, len, f) != len)
		err = errno ? errno : EIO;
	if (fclose(f) != 0 && err == 0)
		err = errno ? errno : EIO;
	if (err == 0 && rename(tmp.ptr, path) < 0)
		err = errno;
	if (err != 0) {
		unlink(tmp.ptr);
		error = lm_error_set(LM_EIO, "%s: cannot write: %s", path, strerror(err));
	}

cleanup:
	lm_buf_dispose(&tmp);
	return error;
}
