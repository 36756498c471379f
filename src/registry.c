#include "leakmut/operator.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define LM_OPERATOR(name, id) extern const lm_operator lm_op_##name;
#include "mutators.def"
#undef LM_OPERATOR

static const lm_operator *const registry[] = {
#define LM_OPERATOR(name, id) &lm_op_##name,
#include "mutators.def"
#undef LM_OPERATOR
};

const char *lm_scope_name(lm_scope scope)
{
	switch (scope) {
	case LM_SCOPE_INTRAPROCEDURAL:
		return "intraprocedural";
	case LM_SCOPE_EXCEPTION_PATH:
		return "exception-path";
	case LM_SCOPE_INTERPROCEDURAL:
		return "interprocedural";
	case LM_SCOPE_SUPPRESSED:
		return "suppressed";
	}
	return "unknown";
}

const char *lm_family_name(lm_family family)
{
	return family == LM_FAMILY_CONTROL ? "control" : "leak";
}

const lm_operator *const *lm_operators(size_t *count)
{
	*count = sizeof(registry) / sizeof(registry[0]);
	return registry;
}

const lm_operator *lm_operator_find(const char *id)
{
	size_t i, n;
	const lm_operator *const *ops = lm_operators(&n);

	for (i = 0; i < n; i++)
		if (!strcmp(ops[i]->id, id))
			return ops[i];
	return NULL;
}

static bool in_group(const lm_operator *op, const char *group, size_t len)
{
	const char *names[] = {"all", lm_family_name(op->family), lm_scope_name(op->scope), op->id};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !memcmp(names[i], group, len))
			return true;
	return false;
}

/* A group name is known even when no operator is in it yet. */
static bool is_group(const char *name, size_t len)
{
	static const char *const groups[] = {
	    "all",       "leak", "control", "intraprocedural", "exception-path", "interprocedural",
	    "suppressed"};
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strlen(groups[i]) == len && !memcmp(groups[i], name, len))
			return true;
	return false;
}

int lm_operators_select(const lm_operator ***out, size_t *count, const char *list)
{
	size_t n, i, nsel = 0;
	const lm_operator *const *ops = lm_operators(&n);
	bool *chosen;
	const char *p;

	*out = NULL;
	*count = 0;
	if (!list || !*list)
		list = "leak";
	if (!(chosen = lm__calloc(n, sizeof(bool))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (p = list; *p;) {
		size_t len = strcspn(p, ","), hits = 0;

		for (i = 0; i < n; i++)
			if (in_group(ops[i], p, len)) {
				chosen[i] = true;
				hits++;
			}
		if (len && !hits && !is_group(p, len)) {
			int error = lm_error_set(LM_ENOTFOUND,
			                         "unknown operator or group '%.*s' (see "
			                         "`leakmut operators`)",
			                         (int)len, p);
			free(chosen);
			return error;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (!(*out = lm__calloc(n, sizeof(**out)))) {
		free(chosen);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		if (chosen[i])
			(*out)[nsel++] = ops[i];
	*count = nsel;
	free(chosen);
	return 0;
}
