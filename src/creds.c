#include "creds.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "parse.h"

static uint64_t cap_bit(cap_value_t cap)
{
	return 1ull << cap;
}

/* Every capability this kernel knows, as a mask. */
static uint64_t known_caps(void)
{
	cap_value_t n = cap_max_bits();

	return n >= 64 ? ~0ull : cap_bit(n) - 1;
}

/* Docker's spelling or libcap's, in any case: NET_BIND_SERVICE,
 * net_bind_service, CAP_NET_BIND_SERVICE. */
static bool cap_number(const char *name, size_t n, cap_value_t *cap)
{
	char lower[64] = "cap_";
	size_t at = strncasecmp(name, "cap_", 4) == 0 ? 0 : 4;

	if (n == 0 || n + at >= sizeof lower)
		return false;
	for (size_t i = 0; i < n; i++)
		lower[at + i] = (char)tolower((unsigned char)name[i]);
	lower[at + n] = '\0';
	return cap_from_name(lower, cap) == 0 && *cap >= 0 &&
	       *cap < cap_max_bits() && *cap < 64;
}

bool creds_parse_caps(const char *list, uint64_t *mask, char *bad, size_t len)
{
	const char *s = list;

	*mask = 0;
	for (;;) {
		size_t n = strcspn(s, ",");
		cap_value_t cap;
		if (n == 3 && strncasecmp(s, "all", 3) == 0) {
			*mask = CREDS_ALL;
		} else if (cap_number(s, n, &cap)) {
			*mask |= cap_bit(cap);
		} else {
			snprintf(bad, len, "%.*s", (int)n, s);
			return false;
		}
		if (s[n] == '\0')
			return true;
		s += n + 1;
	}
}

static bool parse_id(const char *s, unsigned long *id)
{
	return parse_ulong(s, id) && *id < (unsigned long)(uint32_t)-1;
}

/* By name, or by uid when name is NULL. */
static bool find_user(const char *path, const char *name, uid_t uid,
		      struct passwd *out, char *home, size_t len)
{
	FILE *f = fopen(path, "re");
	struct passwd *pw;
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && (pw = fgetpwent(f)) != NULL) {
		found = name ? strcmp(pw->pw_name, name) == 0 : pw->pw_uid == uid;
		if (found) {
			*out = *pw;
			snprintf(home, len, "%s", pw->pw_dir);
		}
	}
	(void)fclose(f); /* read only: nothing to lose */
	return found;
}

static bool find_group(const char *path, const char *name, gid_t *gid)
{
	FILE *f = fopen(path, "re");
	struct group *gr;
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && (gr = fgetgrent(f)) != NULL) {
		if (strcmp(gr->gr_name, name) == 0) {
			*gid = gr->gr_gid;
			found = true;
		}
	}
	(void)fclose(f); /* read only: nothing to lose */
	return found;
}

static void add_group(struct creds *c, gid_t gid)
{
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return;
	if (c->ngroups < CREDS_MAX_GROUPS)
		c->groups[c->ngroups++] = gid;
}

/* initgroups() without NSS: every group that lists the user. */
static void member_groups(struct creds *c, const char *path, const char *user)
{
	FILE *f = fopen(path, "re");
	struct group *gr;

	if (f == NULL)
		return;
	while ((gr = fgetgrent(f)) != NULL)
		for (char **m = gr->gr_mem; m && *m; m++)
			if (strcmp(*m, user) == 0)
				add_group(c, gr->gr_gid);
	(void)fclose(f); /* read only: nothing to lose */
}

/* HOME follows the user when the caller had none, or root's. */
static void choose_home(struct creds *c, const char *passwd, const char *home,
			const char *user_home)
{
	struct passwd root;
	char root_home[256] = "/root";

	(void)find_user(passwd, NULL, 0, &root, root_home, sizeof root_home);
	c->home[0] = '\0';
	if (user_home[0] != '\0' &&
	    (home == NULL || home[0] == '\0' || strcmp(home, root_home) == 0))
		snprintf(c->home, sizeof c->home, "%s", user_home);
}

__attribute__((format(printf, 4, 5)))
static bool user_error(char *err, size_t len, const char *spec,
		       const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof why, fmt, ap); /* truncated at worst */
	va_end(ap);
	snprintf(err, len, "--user: '%s': %s", spec, why);
	parse_one_line(err);
	return false;
}

bool creds_resolve_user(struct creds *c, const char *spec, const char *passwd,
			const char *group, const char *home, char *err,
			size_t len)
{
	char user[256], user_home[256] = "";
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	struct passwd pw;
	unsigned long id;
	bool entry;

	if (n == 0 || n >= sizeof user || (colon && colon[1] == '\0'))
		return user_error(err, len, spec, "not USER[:GROUP]");
	memcpy(user, spec, n);
	user[n] = '\0';
	if (parse_id(user, &id))
		entry = find_user(passwd, NULL, (uid_t)id, &pw, user_home,
				  sizeof user_home);
	else if (!(entry = find_user(passwd, user, 0, &pw, user_home,
				     sizeof user_home)))
		return user_error(err, len, spec, "no user '%s' in %s", user, passwd);
	c->set_user = true;
	c->uid = entry ? pw.pw_uid : (uid_t)id;
	/* A bare uid with no entry gets its own number as group, never 0. */
	c->gid = entry ? pw.pw_gid : (gid_t)id;
	if (colon && parse_id(colon + 1, &id))
		c->gid = (gid_t)id;
	else if (colon && !find_group(group, colon + 1, &c->gid))
		return user_error(err, len, spec, "no group '%s' in %s", colon + 1, group);
	c->ngroups = 0;
	add_group(c, c->gid);
	if (entry)
		member_groups(c, group, pw.pw_name);
	choose_home(c, passwd, home, user_home);
	return true;
}

uint64_t creds_missing_caps(uint64_t mask)
{
	cap_t now = cap_get_proc();
	uint64_t missing = 0;

	for (cap_value_t cap = 0; cap < cap_max_bits() && cap < 64; cap++) {
		cap_flag_value_t held = CAP_CLEAR;
		if (!(mask & cap_bit(cap)))
			continue;
		if (now == NULL ||
		    cap_get_flag(now, cap, CAP_PERMITTED, &held) < 0 ||
		    held != CAP_SET || cap_get_bound(cap) != 1)
			missing |= cap_bit(cap);
	}
	cap_free(now);
	return missing;
}

/* "NET_BIND_SERVICE" for the lowest capability in mask. */
static const char *docker_name(uint64_t mask, char *buf, size_t len)
{
	char *name = cap_to_name((cap_value_t)__builtin_ctzll(mask));
	const char *bare = name && strncmp(name, "cap_", 4) == 0 ? name + 4 : name;

	snprintf(buf, len, "%s", bare ? bare : "?");
	cap_free(name);
	for (char *p = buf; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return buf;
}

bool creds_resolve_caps(struct creds *c, char *err, size_t len)
{
	uint64_t missing;

	if (c->cap_add == CREDS_ALL)
		c->cap_add = known_caps() & ~creds_missing_caps(known_caps());
	missing = creds_missing_caps(c->cap_add);
	if (missing != 0) {
		char name[64];
		snprintf(err, len, "--cap-add: '%s': reaper itself does not hold it",
			 docker_name(missing, name, sizeof name));
		return false;
	}
	if (c->cap_drop != 0 && creds_missing_caps(cap_bit(CAP_SETPCAP))) {
		snprintf(err, len, "--cap-drop: reaper needs CAP_SETPCAP to drop "
				   "capabilities, and does not hold it");
		return false;
	}
	if (c->set_user &&
	    creds_missing_caps(cap_bit(CAP_SETUID) | cap_bit(CAP_SETGID))) {
		snprintf(err, len, "--user: reaper needs CAP_SETUID and "
				   "CAP_SETGID to change user, and does not hold them");
		return false;
	}
	return true;
}

/* The sets the workload starts with: without --user (or as root), reaper's
 * own less what is dropped; as another user, only what is added. Added
 * ones are inheritable too, so that they can be ambient. */
static int set_caps(const struct creds *c)
{
	bool demoted = c->set_user && c->uid != 0;
	uint64_t drop = c->cap_drop & ~c->cap_add;
	cap_t t = cap_get_proc();
	int rc = -1;

	if (t == NULL)
		return -1;
	for (cap_value_t cap = 0; cap < cap_max_bits() && cap < 64; cap++) {
		cap_value_t one[1] = {cap};
		cap_flag_value_t held = CAP_CLEAR, keep;
		cap_flag_value_t added = (c->cap_add & cap_bit(cap)) != 0;
		/* Only ever lowered: a set can shrink, never grow. */
		if (cap_get_flag(t, cap, CAP_PERMITTED, &held) < 0)
			goto out;
		keep = held && (demoted ? added : !(drop & cap_bit(cap)));
		if (cap_set_flag(t, CAP_PERMITTED, 1, one, keep) < 0 ||
		    cap_set_flag(t, CAP_EFFECTIVE, 1, one, keep) < 0 ||
		    cap_set_flag(t, CAP_INHERITABLE, 1, one, added && held) < 0)
			goto out;
	}
	rc = cap_set_proc(t);
out:
	cap_free(t);
	return rc;
}

static int drop_bounding(uint64_t drop)
{
	for (cap_value_t cap = 0; cap < cap_max_bits() && cap < 64; cap++)
		if ((drop & cap_bit(cap)) && cap_drop_bound(cap) < 0)
			return -1;
	return 0;
}

static int raise_ambient(uint64_t add)
{
	for (cap_value_t cap = 0; cap < cap_max_bits() && cap < 64; cap++)
		if ((add & cap_bit(cap)) && cap_set_ambient(cap, CAP_SET) < 0)
			return -1;
	return 0;
}

/* The ids are all the target's, and root cannot be had back. */
static int verify_user(const struct creds *c)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (getresuid(&r, &e, &s) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return -1;
	if (r != c->uid || e != c->uid || s != c->uid || rg != c->gid ||
	    eg != c->gid || sg != c->gid || (c->uid != 0 && setuid(0) == 0)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* Records what was attempted, for the error message, and passes rc on. */
static int attempt(const char **step, const char *what, int rc)
{
	*step = what;
	return rc;
}

static int become_user(const struct creds *c, const char **step)
{
	if (attempt(step, "setgroups", setgroups(c->ngroups, c->groups)) < 0 ||
	    attempt(step, "setgid", setresgid(c->gid, c->gid, c->gid)) < 0)
		return -1;
	/* Added capabilities must outlive the change of uid. */
	if (c->cap_add != 0 &&
	    attempt(step, "keepcaps", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)) < 0)
		return -1;
	if (attempt(step, "setuid", setresuid(c->uid, c->uid, c->uid)) < 0)
		return -1;
	return attempt(step, "checking the new ids", verify_user(c));
}

int creds_apply(const struct creds *c, const char **step)
{
	bool caps = c->cap_drop != 0 || c->cap_add != 0;

	if (caps && attempt(step, "dropping from the bounding set",
			    drop_bounding(c->cap_drop & ~c->cap_add)) < 0)
		return errno;
	if (c->set_user && become_user(c, step) < 0)
		return errno;
	if (caps && (attempt(step, "setting capabilities", set_caps(c)) < 0 ||
		     attempt(step, "raising ambient capabilities",
			     raise_ambient(c->cap_add)) < 0))
		return errno;
	if (c->no_new_privs &&
	    attempt(step, "no_new_privs", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) < 0)
		return errno;
	*step = NULL;
	return 0;
}
