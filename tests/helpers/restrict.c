/* restrict: runs a command under a seccomp filter that refuses some
 * system calls, as a container runtime's profile may.
 *
 *   restrict ACTION CALL[,CALL...] -- COMMAND [ARG...]
 *
 * ACTION is EPERM or ENOSYS (the calls fail with that errno) or trap (the
 * kernel raises SIGSYS in the caller, a fault). The filter is inherited
 * by every process COMMAND starts. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *what, const char *detail)
{
	fprintf(stderr, "restrict: %s: %s\n", what, detail);
	return 2;
}

static int action(const char *name, uint32_t *out)
{
	if (strcmp(name, "EPERM") == 0)
		*out = SCMP_ACT_ERRNO(EPERM);
	else if (strcmp(name, "ENOSYS") == 0)
		*out = SCMP_ACT_ERRNO(ENOSYS);
	else if (strcmp(name, "trap") == 0)
		*out = SCMP_ACT_TRAP;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	uint32_t act;
	char *calls, *name, *save;
	int rc;

	if (argc < 5 || strcmp(argv[3], "--") != 0)
		return fail("usage", "restrict EPERM|ENOSYS|trap CALL[,CALL...] -- COMMAND");
	if (action(argv[1], &act) < 0)
		return fail("unknown action", argv[1]);
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return fail("seccomp_init", "failed");
	calls = argv[2];
	for (name = strtok_r(calls, ",", &save); name != NULL;
	     name = strtok_r(NULL, ",", &save)) {
		int nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR)
			return fail("unknown system call", name);
		if ((rc = seccomp_rule_add(ctx, act, nr, 0)) < 0)
			return fail(name, strerror(-rc));
	}
	if ((rc = seccomp_load(ctx)) < 0)
		return fail("seccomp_load", strerror(-rc));
	seccomp_release(ctx);
	execvp(argv[4], argv + 4);
	return fail(argv[4], strerror(errno));
}
