/* --user against passwd and group files of the fuzzer's making: three
 * NUL-separated parts, the spec, the passwd file and the group file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "creds.h"

static char passwd[] = "/tmp/fuzz-passwd-XXXXXX", group[] = "/tmp/fuzz-group-XXXXXX";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int made;
	char *copy = malloc(size + 3), *spec, *pw, *gr;
	struct creds c;
	char err[512];

	if (copy == NULL)
		return 0;
	if (!made) {
		close(mkstemp(passwd));
		close(mkstemp(group));
		made = 1;
	}
	memcpy(copy, data, size);
	copy[size] = copy[size + 1] = copy[size + 2] = '\0';
	spec = copy;
	pw = spec + strlen(spec) + 1;
	gr = pw + (pw < copy + size ? strlen(pw) + 1 : 0);
	put(passwd, pw < copy + size ? pw : "");
	put(group, gr < copy + size ? gr : "");
	memset(&c, 0, sizeof c);
	if (creds_resolve_user(&c, spec, passwd, group, NULL, err, sizeof err)) {
		/* The primary group is always among the groups. */
		size_t i = 0;
		while (i < c.ngroups && c.groups[i] != c.gid)
			i++;
		if (!c.set_user || c.ngroups == 0 || i == c.ngroups ||
		    c.ngroups > CREDS_MAX_GROUPS)
			abort();
	} else if (strncmp(err, "--user: '", 9) != 0) {
		abort();
	}
	free(copy);
	return 0;
}
