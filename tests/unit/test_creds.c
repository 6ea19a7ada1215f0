/* creds: capability lists and user specs, resolved against passwd and
 * group files this suite writes itself. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <unistd.h>

#include "creds.h"
#include "runner.h"

static char dir[] = "/tmp/reaper-creds-XXXXXX";
static char passwd[64], group[64];
static struct creds c;
static char err[512];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(passwd, sizeof passwd, "%s/passwd", dir);
	snprintf(group, sizeof group, "%s/group", dir);
	write_file(passwd,
		   "root:x:0:0:root:/rootdir:/bin/sh\n"
		   "app:x:1000:1000:App:/home/app:/bin/sh\n"
		   "svc:x:2000:3000::/srv:/bin/false\n");
	write_file(group,
		   "root:x:0:\n"
		   "app:x:1000:\n"
		   "wheel:x:10:app,svc\n"
		   "audio:x:29:app\n"
		   "svcgrp:x:3000:\n"
		   "other:x:40:root\n");
	memset(&c, 0, sizeof c);
}

static void teardown(void)
{
	unlink(passwd);
	unlink(group);
	rmdir(dir);
	strcpy(dir, "/tmp/reaper-creds-XXXXXX");
}

static bool resolve(const char *spec, const char *home)
{
	err[0] = '\0';
	return creds_resolve_user(&c, spec, passwd, group, home, err, sizeof err);
}

static bool has_group(gid_t gid)
{
	for (size_t i = 0; i < c.ngroups; i++)
		if (c.groups[i] == gid)
			return true;
	return false;
}

START_TEST(named_user)
{
	ck_assert(resolve("app", NULL));
	ck_assert(c.set_user);
	ck_assert_int_eq(c.uid, 1000);
	ck_assert_int_eq(c.gid, 1000);
	ck_assert_uint_eq(c.ngroups, 3);
	ck_assert(has_group(1000) && has_group(10) && has_group(29));
	ck_assert_str_eq(c.home, "/home/app");
}
END_TEST

START_TEST(numeric_user_with_an_entry_is_that_user)
{
	ck_assert(resolve("2000", "/somewhere"));
	ck_assert_int_eq(c.uid, 2000);
	ck_assert_int_eq(c.gid, 3000);
	ck_assert_uint_eq(c.ngroups, 2);
	ck_assert(has_group(3000) && has_group(10));
	/* The caller's own HOME stays. */
	ck_assert_str_eq(c.home, "");
}
END_TEST

START_TEST(bare_uid_gets_its_own_number_as_group)
{
	ck_assert(resolve("1234", NULL));
	ck_assert_int_eq(c.uid, 1234);
	ck_assert_int_eq(c.gid, 1234);
	ck_assert_uint_eq(c.ngroups, 1);
	ck_assert_str_eq(c.home, "");
	ck_assert(resolve("1234:5678", NULL));
	ck_assert_int_eq(c.gid, 5678);
	ck_assert_uint_eq(c.ngroups, 1);
	ck_assert(has_group(5678));
}
END_TEST

START_TEST(explicit_group_by_name_or_number)
{
	ck_assert(resolve("app:audio", NULL));
	ck_assert_int_eq(c.uid, 1000);
	ck_assert_int_eq(c.gid, 29);
	/* As initgroups(): the given group and the ones listing the user;
	 * passwd's primary group is replaced. */
	ck_assert_uint_eq(c.ngroups, 2);
	ck_assert(has_group(29) && has_group(10) && !has_group(1000));
	ck_assert(resolve("app:4242", NULL));
	ck_assert_int_eq(c.gid, 4242);
	ck_assert(has_group(4242));
	ck_assert(resolve("0:0", NULL));
	ck_assert_int_eq(c.uid, 0);
	ck_assert(has_group(40));
}
END_TEST

START_TEST(home_replaces_none_or_roots)
{
	ck_assert(resolve("app", ""));
	ck_assert_str_eq(c.home, "/home/app");
	/* root's home is what passwd says, not a guess. */
	ck_assert(resolve("app", "/rootdir"));
	ck_assert_str_eq(c.home, "/home/app");
	ck_assert(resolve("app", "/root"));
	ck_assert_str_eq(c.home, "");
	ck_assert(resolve("app", "/home/me"));
	ck_assert_str_eq(c.home, "");
}
END_TEST

START_TEST(user_rejections)
{
	static const struct {
		const char *spec, *message;
	} bad[] = {
		{"nobody-here", "no user 'nobody-here' in "},
		{"app:nogroup", "no group 'nogroup' in "},
		{"", "not USER[:GROUP]"},
		{":app", "not USER[:GROUP]"},
		{"app:", "not USER[:GROUP]"},
		{"4294967295", "no user '4294967295' in "},
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char want[256];
		snprintf(want, sizeof want, "--user: '%s': %s", bad[i].spec,
			 bad[i].message);
		ck_assert_msg(!resolve(bad[i].spec, NULL), "%s", bad[i].spec);
		ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	}
}
END_TEST

START_TEST(missing_files_mean_no_names)
{
	unlink(passwd);
	ck_assert(!resolve("app", NULL));
	/* Numbers need no file: a FROM scratch image has none. */
	ck_assert(resolve("1000:1000", NULL));
	ck_assert_int_eq(c.uid, 1000);
}
END_TEST

static uint64_t caps(const char *list)
{
	uint64_t mask;
	char bad[64];

	ck_assert_msg(creds_parse_caps(list, &mask, bad, sizeof bad), "%s", list);
	return mask;
}

START_TEST(capability_spellings)
{
	const uint64_t nbs = 1ull << CAP_NET_BIND_SERVICE;

	ck_assert_uint_eq(caps("NET_BIND_SERVICE"), nbs);
	ck_assert_uint_eq(caps("net_bind_service"), nbs);
	ck_assert_uint_eq(caps("CAP_NET_BIND_SERVICE"), nbs);
	ck_assert_uint_eq(caps("cap_net_bind_service"), nbs);
	ck_assert_uint_eq(caps("Cap_Net_Bind_Service"), nbs);
	ck_assert_uint_eq(caps("CHOWN,KILL"),
			  (1ull << CAP_CHOWN) | (1ull << CAP_KILL));
	ck_assert_uint_eq(caps("SYS_ADMIN"), 1ull << CAP_SYS_ADMIN);
	/* ALL is every capability, not a list of those known: --cap-add
	 * resolves it against what reaper holds. */
	ck_assert_uint_eq(caps("all"), CREDS_ALL);
	ck_assert_uint_eq(caps("ALL,CHOWN"), CREDS_ALL);
	ck_assert_uint_eq(caps("CHOWN,All"), CREDS_ALL);
}
END_TEST

START_TEST(capability_rejections)
{
	static const char *const bad[][2] = {
		{"NOPE", "NOPE"}, {"CHOWN,NOPE", "NOPE"}, {"", ""},
		{"CHOWN,", ""}, {",CHOWN", ""}, {"CAP_", "CAP_"},
		{"cap_cap_chown", "cap_cap_chown"}, {"63", "63"},
	};
	uint64_t mask;
	char name[64];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(!creds_parse_caps(bad[i][0], &mask, name, sizeof name),
			      "'%s' accepted", bad[i][0]);
		ck_assert_str_eq(name, bad[i][1]);
	}
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		named_user,
		numeric_user_with_an_entry_is_that_user,
		bare_uid_gets_its_own_number_as_group,
		explicit_group_by_name_or_number,
		home_replaces_none_or_roots,
		user_rejections,
		missing_files_mean_no_names,
		capability_spellings,
		capability_rejections,
		NULL,
	};

	return run_tests("creds", 0, setup, teardown, tests);
}
