#include "util.h"

#include <git2.h>

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
