#include "util.h"

#include <errno.h>
#include <git2.h>
#include <unistd.h>

#include "leakmut/common.h"

int lm__git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return lm_error_set(LM_EGIT, "%s: %s", what, e && e->message ? e->message : "failed");
}

const char *lm__json_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

int lm__write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}
