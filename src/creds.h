/* Who the workload runs as: a user and groups resolved from passwd and
 * group files (fgetpwent/fgetgrent, no NSS, so a static binary works in a
 * FROM scratch image), capabilities through libcap, no_new_privs. The
 * parsing and resolving is done, and every value checked, before anything
 * is forked; creds_apply runs in the child. */
#ifndef REAPER_CREDS_H
#define REAPER_CREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CREDS_MAX_GROUPS 256

struct creds {
	bool set_user;
	uid_t uid;
	gid_t gid;
	size_t ngroups;
	gid_t groups[CREDS_MAX_GROUPS]; /* supplementary, the primary among them */
	char home[256];       /* HOME to set, or "" to leave it alone */
	uint64_t cap_drop;    /* bit N: capability N; CREDS_ALL for ALL */
	uint64_t cap_add;
	bool no_new_privs;
};

/* ALL, as written: every capability there is, those this kernel does not
 * know too; no list of names comes to it. */
#define CREDS_ALL UINT64_MAX

/* "NET_BIND_SERVICE,cap_chown" into a bitmask of capabilities the kernel
 * knows; "ALL" among them makes it CREDS_ALL. Returns false with the
 * offending name in bad. */
bool creds_parse_caps(const char *list, uint64_t *mask, char *bad, size_t len);

/* Resolves "USER[:GROUP]" (names or numbers) against the passwd and group
 * files at those paths; home is the caller's HOME (or NULL). On failure,
 * err says why in the "--user: 'spec': why" form. */
bool creds_resolve_user(struct creds *c, const char *spec, const char *passwd,
			const char *group, const char *home, char *err,
			size_t len);

/* Resolves the capability options against what reaper holds, before
 * anything is forked: --cap-add ALL becomes every capability reaper holds
 * (permitted and in its bounding set), so that it can be used where the
 * bounding set is small (14 in a default Docker container). Then checks
 * that reaper holds what c needs: every added capability, CAP_SETPCAP to
 * drop any, CAP_SETUID and CAP_SETGID for --user. */
bool creds_resolve_caps(struct creds *c, char *err, size_t len);

/* The capabilities in mask that this process cannot hand on (not in its
 * permitted set, or gone from its bounding set); 0 when it holds all. */
uint64_t creds_missing_caps(uint64_t mask);

/* In the child, before exec: groups, gid, uid (each checked), then
 * capabilities and no_new_privs. Returns 0, or an errno with *step naming
 * what failed. */
int creds_apply(const struct creds *c, const char **step);

#endif
