/* --user, --cap-drop, --cap-add, --no-new-privs, checked in the
 * workload's /proc/self/status. Needs root; skipped with the reason
 * otherwise. */
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static char status[8192];

/* Runs reaper with args before "cat /proc/self/status" and keeps the
 * output; returns the exit code. */
static int status_of(char *const args[])
{
	char *argv[32] = {REAPER};
	size_t n = 1;

	while (*args != NULL)
		argv[n++] = *args++;
	argv[n++] = "--";
	argv[n++] = "/bin/cat";
	argv[n++] = "/proc/self/status";
	argv[n] = NULL;
	return run(argv, status, sizeof status, NULL, 0);
}

/* The value of a status line, its tabs turned to spaces. */
static const char *field(const char *name)
{
	static char value[256];
	const char *at = strstr(status, name);
	size_t n;

	ck_assert_msg(at != NULL, "no %s in status", name);
	at += strlen(name);
	at += strspn(at, "\t ");
	n = strcspn(at, "\n");
	snprintf(value, sizeof value, "%.*s", (int)n, at);
	for (char *p = value; *p; p++)
		if (*p == '\t')
			*p = ' ';
	while (n > 0 && value[n - 1] == ' ')
		value[--n] = '\0';
	return value;
}

static void no_caps_but_bounding(void)
{
	ck_assert_str_eq(field("CapInh:"), "0000000000000000");
	ck_assert_str_eq(field("CapPrm:"), "0000000000000000");
	ck_assert_str_eq(field("CapEff:"), "0000000000000000");
	ck_assert_str_eq(field("CapAmb:"), "0000000000000000");
}

START_TEST(user_nobody)
{
	struct passwd *pw = getpwnam("nobody");
	char ids[64];

	ck_assert_ptr_nonnull(pw);
	ck_assert_int_eq(status_of(ARGV("--user", "nobody")), 0);
	snprintf(ids, sizeof ids, "%d %d %d %d", (int)pw->pw_uid,
		 (int)pw->pw_uid, (int)pw->pw_uid, (int)pw->pw_uid);
	ck_assert_str_eq(field("Uid:"), ids);
	snprintf(ids, sizeof ids, "%d %d %d %d", (int)pw->pw_gid,
		 (int)pw->pw_gid, (int)pw->pw_gid, (int)pw->pw_gid);
	ck_assert_str_eq(field("Gid:"), ids);
	no_caps_but_bounding();
	ck_assert_str_eq(field("NoNewPrivs:"), "0");
}
END_TEST

START_TEST(numeric_user_and_group)
{
	ck_assert_int_eq(status_of(ARGV("--user", "1234:5678")), 0);
	ck_assert_str_eq(field("Uid:"), "1234 1234 1234 1234");
	ck_assert_str_eq(field("Gid:"), "5678 5678 5678 5678");
	ck_assert_str_eq(field("Groups:"), "5678");
	no_caps_but_bounding();
	/* A bare uid's group is its own number, never root's. */
	ck_assert_int_eq(status_of(ARGV("--user", "1234")), 0);
	ck_assert_str_eq(field("Gid:"), "1234 1234 1234 1234");
	ck_assert_str_eq(field("Groups:"), "1234");
}
END_TEST

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(supplementary_groups_from_the_group_file)
{
	char dir[] = "/tmp/reaper-etc-XXXXXX", passwd[64], group[64];
	/* The test's own files, bind-mounted over /etc in a private mount
	 * namespace: reaper reads the real paths. */
	char *const argv[] = {
		"/usr/bin/unshare", "--mount", "/bin/sh", "-c",
		"mount --bind \"$1\" /etc/passwd && mount --bind \"$2\" /etc/group "
		"&& HOME=/root exec \"$3\" --user app -- /bin/sh -c "
		"'cat /proc/self/status; echo HOME=$HOME'",
		"sh", passwd, group, REAPER, NULL};

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(passwd, sizeof passwd, "%s/passwd", dir);
	snprintf(group, sizeof group, "%s/group", dir);
	write_file(passwd, "root:x:0:0::/root:/bin/sh\n"
			   "app:x:1500:1500::/home/app:/bin/sh\n");
	write_file(group, "root:x:0:\napp:x:1500:\ng1:x:1601:app\n"
			  "g2:x:1602:root,app\ng3:x:1603:root\n");
	ck_assert_int_eq(run(argv, status, sizeof status, NULL, 0), 0);
	unlink(passwd);
	unlink(group);
	rmdir(dir);
	ck_assert_str_eq(field("Uid:"), "1500 1500 1500 1500");
	ck_assert_str_eq(field("Gid:"), "1500 1500 1500 1500");
	ck_assert_str_eq(field("Groups:"), "1500 1601 1602");
	ck_assert_str_eq(field("HOME="), "/home/app");
}
END_TEST

START_TEST(cap_drop_all_leaves_nothing)
{
	ck_assert_int_eq(status_of(ARGV("--cap-drop", "ALL")), 0);
	ck_assert_str_eq(field("Uid:"), "0 0 0 0");
	no_caps_but_bounding();
	ck_assert_str_eq(field("CapBnd:"), "0000000000000000");
}
END_TEST

START_TEST(cap_drop_one_as_root)
{
	ck_assert_int_eq(status_of(ARGV("--cap-drop", "NET_RAW")), 0);
	/* NET_RAW is 13: bit 0x2000 gone from every set. */
	ck_assert_int_eq(strtoull(field("CapEff:"), NULL, 16) & 0x2000, 0);
	ck_assert_int_eq(strtoull(field("CapBnd:"), NULL, 16) & 0x2000, 0);
	ck_assert_int_ne(strtoull(field("CapEff:"), NULL, 16) & 0x1, 0);
}
END_TEST

START_TEST(non_root_user_binds_a_low_port_with_cap_add)
{
	char out[64];

	ck_assert_int_eq(status_of(ARGV("--user", "1000", "--cap-add",
					"NET_BIND_SERVICE")), 0);
	ck_assert_str_eq(field("Uid:"), "1000 1000 1000 1000");
	ck_assert_str_eq(field("CapInh:"), "0000000000000400");
	ck_assert_str_eq(field("CapPrm:"), "0000000000000400");
	ck_assert_str_eq(field("CapEff:"), "0000000000000400");
	ck_assert_str_eq(field("CapAmb:"), "0000000000000400");
	ck_assert_int_eq(run(ARGV(REAPER, "--user", "1000", "--cap-add",
				  "NET_BIND_SERVICE", "--", PROBE, "bind"),
			     out, sizeof out, NULL, 0), 0);
	ck_assert_int_eq(strncmp(out, "bound ", 6), 0);
	ck_assert_int_eq(run(ARGV(REAPER, "--user", "1000", "--", PROBE, "bind"),
			     out, sizeof out, NULL, 0), 0);
	ck_assert_str_eq(out, "denied\n");
}
END_TEST

/* A capability set of the status kept, as a mask. */
static unsigned long long caps_in(const char *set)
{
	return strtoull(field(set), NULL, 16);
}

/* A default Docker container holds 14 capabilities: --cap-add ALL is
 * every one reaper holds (its bounding set), not every one there is, or
 * it could never be used there. reaper runs here without NET_RAW in its
 * bounding set; the workload gets all the rest, as root and as another
 * user (ambient), and not NET_RAW. */
START_TEST(cap_add_all_is_every_capability_reaper_holds)
{
	char *const as_root[] = {"/usr/bin/setpriv", "--bounding-set", "-net_raw",
				 REAPER, "--cap-add", "ALL", "--", "/bin/cat",
				 "/proc/self/status", NULL};
	char *const as_user[] = {"/usr/bin/setpriv", "--bounding-set", "-net_raw",
				 REAPER, "--user", "1000", "--cap-add", "ALL",
				 "--", "/bin/cat", "/proc/self/status", NULL};
	const unsigned long long net_raw = 1ull << 13;
	unsigned long long held;

	ck_assert_int_eq(run(ARGV("/bin/cat", "/proc/self/status"), status,
			     sizeof status, NULL, 0), 0);
	held = caps_in("CapBnd:") & ~net_raw;
	ck_assert_int_eq(run(as_root, status, sizeof status, NULL, 0), 0);
	ck_assert_uint_eq(caps_in("CapBnd:"), held);
	ck_assert_uint_eq(caps_in("CapEff:"), held);
	ck_assert_int_eq(run(as_user, status, sizeof status, NULL, 0), 0);
	ck_assert_str_eq(field("Uid:"), "1000 1000 1000 1000");
	ck_assert_uint_eq(caps_in("CapEff:"), held);
	ck_assert_uint_eq(caps_in("CapAmb:"), held);
}
END_TEST

/* A setuid-root copy of the probe, dir/probe-setuid, in a directory dir
 * of its own beside the probe, where the harness made sure setuid works. */
static void setuid_probe(char dir[PATH_MAX], char path[PATH_MAX])
{
	char probe[PATH_MAX], cmd[3 * PATH_MAX];

	snprintf(probe, PATH_MAX, "%s", PROBE);
	snprintf(dir, PATH_MAX, "%s/suid-XXXXXX", dirname(probe));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	ck_assert_int_lt(snprintf(path, PATH_MAX, "%s/probe-setuid", dir), PATH_MAX);
	snprintf(cmd, sizeof cmd, "cp %s %s && chown 0:0 %s && chmod 4755 %s",
		 PROBE, path, path, path);
	ck_assert_int_eq(system(cmd), 0);
}

static void remove_setuid_probe(const char *dir, const char *path)
{
	unlink(path);
	rmdir(dir);
}

START_TEST(no_new_privs_defeats_a_setuid_helper)
{
	char dir[PATH_MAX], helper[PATH_MAX], out[64];

	setuid_probe(dir, helper);
	ck_assert_int_eq(run(ARGV(REAPER, "--user", "1000", "--", helper, "euid"),
			     out, sizeof out, NULL, 0), 0);
	ck_assert_str_eq(out, "0\n");
	ck_assert_int_eq(run(ARGV(REAPER, "--user", "1000", "--no-new-privs",
				  "--", helper, "euid"),
			     out, sizeof out, NULL, 0), 0);
	remove_setuid_probe(dir, helper);
	ck_assert_str_eq(out, "1000\n");
	ck_assert_int_eq(status_of(ARGV("--no-new-privs")), 0);
	ck_assert_str_eq(field("NoNewPrivs:"), "1");
}
END_TEST

/* reaper runs as an ordinary user, its workload a setuid-root program that
 * ignores SIGTERM (sudo, su): reaper may not signal it. --timeout is still
 * a limit: after the grace, SIGKILL for at most 5 s, then reaper names
 * what it could not end and why, and exits 124. */
START_TEST(a_descendant_it_may_not_signal_is_given_up_on)
{
	char dir[PATH_MAX], helper[PATH_MAX], line[128], why[128];
	struct proc p;
	long leftover;

	setuid_probe(dir, helper);
	proc_start(&p, ARGV("/usr/bin/setpriv", "--reuid=4242", "--regid=4242",
			    "--clear-groups", REAPER, "-v", "--timeout", "1s",
			    "--grace", "1s", "--", helper, "setuid"),
		   &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(sscanf(line, "ready %ld", &leftover), 1);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 124);
	remove_setuid_probe(dir, helper);
	snprintf(why, sizeof why, "reaper: giving up on %ld (probe-setuid): "
		 "Operation not permitted", leftover);
	read_until(p.err, why, BOUND_MS);
	ck_assert(proc_running((pid_t)leftover));
	ck_assert_int_eq(kill((pid_t)leftover, SIGKILL), 0);
}
END_TEST

START_TEST(demoted_workload_is_still_signalled_and_reaped)
{
	char *const orphans[] = {REAPER, "-w", "--user", "nobody", "--", PROBE,
				 "orphans", "100", NULL};
	static char err[16384];
	char out[64];
	struct proc p;

	start_probe(&p, ARGV(REAPER, "--user", "nobody", "--", PROBE, "signals"),
		    &default_opts, NULL);
	signal_and_expect(&p, SIGUSR1);
	signal_and_expect(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_int_eq(run(orphans, out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "reaped 100\n");
	ck_assert_int_eq(count_lines(err, "reaper: reaped orphan "), 100);
}
END_TEST

/* An image sets REAPER_USER; its workload starts a reaper of its own,
 * which must not try to change user again, as the demoted user. */
START_TEST(a_nested_reaper_does_not_inherit_reaper_user)
{
	char *env[] = {"REAPER_USER=nobody", NULL};
	struct start_opts o = default_opts;
	char out[64];
	struct proc p;

	/* The inner one would be valgrind too, run as nobody, whose log it
	 * may not write. */
	if (REAPER_UNDER_VALGRIND)
		return;
	o.env = env;
	proc_start(&p, ARGV(REAPER, "--", REAPER, "--", PROBE, "euid"), &o);
	read_all(p.out, out, sizeof out, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_str_eq(out, "65534\n");
}
END_TEST

START_TEST(what_reaper_cannot_grant_is_refused_before_forking)
{
	/* reaper run as an ordinary user by setpriv. */
#define AS_USER "/usr/bin/setpriv", "--reuid", "1000", "--regid", "1000", \
		"--clear-groups", "--inh-caps=-all", REAPER
	char err[512], out[64];

	ck_assert_int_eq(run(ARGV(AS_USER, "--user", "nobody", "--", "/bin/echo",
				  "started"), out, sizeof out, err, sizeof err), 125);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "reaper: --user: reaper needs CAP_SETUID and "
			      "CAP_SETGID to change user, and does not hold them\n");
	ck_assert_int_eq(run(ARGV(AS_USER, "--cap-add", "CHOWN", "--", "/bin/echo",
				  "started"), out, sizeof out, err, sizeof err), 125);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "reaper: --cap-add: 'CHOWN': reaper itself does not "
			      "hold it\n");
	/* ALL is what it holds: here, nothing. */
	ck_assert_int_eq(run(ARGV(AS_USER, "--cap-add", "ALL", "--", "/bin/echo",
				  "started"), out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "started\n");
	ck_assert_int_eq(run(ARGV(AS_USER, "--cap-drop", "NET_RAW", "--",
				  "/bin/echo", "started"),
			     out, sizeof out, err, sizeof err), 125);
	ck_assert_str_eq(out, "");
#undef AS_USER
}
END_TEST

START_TEST(unknown_names_are_refused)
{
	char err[512], out[64];

	ck_assert_int_eq(run(ARGV(REAPER, "--user", "no-such-user", "--",
				  "/bin/echo", "started"),
			     out, sizeof out, err, sizeof err), 125);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "reaper: --user: 'no-such-user': no user "
			      "'no-such-user' in /etc/passwd\n");
	ck_assert_int_eq(run(ARGV(REAPER, "--user", "nobody:no-such-group", "--",
				  "/bin/echo", "started"),
			     out, sizeof out, err, sizeof err), 125);
	ck_assert_str_eq(err, "reaper: --user: 'nobody:no-such-group': no group "
			      "'no-such-group' in /etc/group\n");
}
END_TEST

/* A FROM scratch image without an engine: a root holding only the static
 * reaper, a static busybox and the two files, entered with unshare
 * --root. There is no libc or NSS module to fall back on. */
START_TEST(gosu_chain_replaced_in_a_scratch_root)
{
	char root[] = "/tmp/reaper-scratch-XXXXXX", cmd[1024];
	char *const argv[] = {
		"/usr/bin/unshare", "--pid", "--fork", "--mount", "--mount-proc",
		"--root", root, "/reaper", "--user", "app", "--cap-drop", "ALL",
		"--no-new-privs", "--", "/bin/sh", "-c",
		"cat /proc/self/status; echo HOME=$HOME", NULL};

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(cmd, sizeof cmd,
		 "cd %s && chmod 755 . && mkdir bin etc proc && "
		 "cp /bin/busybox bin/ && ln -s busybox bin/sh && "
		 "ln -s busybox bin/cat && cp %s reaper && "
		 "printf 'root:x:0:0::/root:/bin/sh\\napp:x:1000:1000::/home/app:"
		 "/bin/sh\\n' > etc/passwd && "
		 "printf 'root:x:0:\\napp:x:1000:\\nstaff:x:50:app\\n' > etc/group",
		 root, REAPER);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(run(argv, status, sizeof status, NULL, 0), 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_str_eq(field("Uid:"), "1000 1000 1000 1000");
	ck_assert_str_eq(field("Groups:"), "50 1000");
	no_caps_but_bounding();
	ck_assert_str_eq(field("CapBnd:"), "0000000000000000");
	ck_assert_str_eq(field("NoNewPrivs:"), "1");
	ck_assert_str_eq(field("HOME="), "/home/app");
}
END_TEST

int main(void)
{
	const TTest *tests[] = {
		user_nobody,
		numeric_user_and_group,
		supplementary_groups_from_the_group_file,
		cap_drop_all_leaves_nothing,
		cap_drop_one_as_root,
		non_root_user_binds_a_low_port_with_cap_add,
		cap_add_all_is_every_capability_reaper_holds,
		no_new_privs_defeats_a_setuid_helper,
		a_descendant_it_may_not_signal_is_given_up_on,
		demoted_workload_is_still_signalled_and_reaped,
		a_nested_reaper_does_not_inherit_reaper_user,
		what_reaper_cannot_grant_is_refused_before_forking,
		unknown_names_are_refused,
		gosu_chain_replaced_in_a_scratch_root,
		NULL,
	};

	if (!REAPER_IS_STATIC) {
		puts("note: the scratch-root case needs the static build; "
		     "this build is dynamic");
		tests[sizeof tests / sizeof tests[0] - 2] = NULL;
	}
	if (geteuid() != 0) {
		puts("SKIP: changing users and capabilities needs root");
		return 77;
	}
	return harness_main("privileges", 60, tests);
}
