/* bench: reaper side by side with tini-static, tini, dumb-init, catatonit,
 * a bare launcher of our own (the floor), the same launcher waiting for
 * signals on a signalfd (the floor of reaper's design) and no init at all,
 * interleaved in one run so that ratios hold on a noisy machine.
 *
 *   bench REAPER HELPERS OUT   prints a markdown table on stdout, and
 *                              writes OUT.json (every figure) and OUT.dat
 *                              (the chart's: each init against the best
 *                              of tini-static, tini, dumb-init, catatonit)
 *
 * Each row says its method; every figure is a median unless it says not. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { REAPER, TINI_STATIC, TINI, DUMB_INIT, CATATONIT, FLOOR, SIGFLOOR, DIRECT, NINITS };

static const char *names[NINITS] = {
	"reaper", "tini-static", "tini", "dumb-init", "catatonit",
	"floor", "signalfd floor", "direct",
};
static const char *argvs[NINITS][4];
static const char *helpers;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* argv of init i around cmd, NULL-terminated, in out. */
static void with_init(int i, char *const cmd[], const char *out[], bool pid1)
{
	size_t n = 0;

	if (pid1) {
		out[n++] = "/usr/bin/unshare";
		out[n++] = "--pid";
		out[n++] = "--fork";
		out[n++] = "--mount-proc";
	}
	for (size_t k = 0; argvs[i][k] != NULL; k++)
		out[n++] = argvs[i][k];
	while (*cmd != NULL)
		out[n++] = *cmd++;
	out[n] = NULL;
}

/* Starts argv with stdout on a pipe whose read end is *out. */
static pid_t start(const char *const argv[], int *out)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	if ((pid = fork()) < 0)
		die("fork");
	if (pid == 0) {
		dup2(p[1], 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	*out = p[0];
	return pid;
}

/* Runs argv to its end; its first line of output in line. */
static long long run(const char *const argv[], char *line, size_t len)
{
	long long t0 = now_ns();
	int out, status;
	ssize_t n;
	pid_t pid = start(argv, &out);

	n = read(out, line, len - 1);
	line[n > 0 ? n : 0] = '\0';
	close(out);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: %s ... failed\n", argv[0]);
		exit(1);
	}
	return now_ns() - t0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long pct(long long *v, size_t n, int p)
{
	qsort(v, n, sizeof *v, cmp_ll);
	return v[(n - 1) * (size_t)p / 100];
}

static FILE *json;

/* The chart: a few rows, each init's figure over the best of the four
 * inits users have today (below 1: better than all of them); sizes over
 * the best of the static ones, as a dynamic binary's libc is not counted. */
static FILE *dat;

static void chart(const char *label, const double v[NINITS], bool static_only)
{
	double best = -1;

	for (int i = TINI_STATIC; i <= CATATONIT; i++)
		if (v[i] > 0 && (best < 0 || v[i] < best) &&
		    (!static_only || i == TINI_STATIC || i == CATATONIT))
			best = v[i];
	fprintf(dat, "\"%s\"", label);
	for (int i = REAPER; i <= CATATONIT; i++)
		fprintf(dat, " %.4g", best > 0 ? v[i] / best : 0);
	fprintf(dat, "\n");
}

static void json_value(const char *row, int init, double value)
{
	fprintf(json, "%s{\"row\": \"%s\", \"init\": \"%s\", \"value\": %.6g}",
		ftell(json) > 2 ? ",\n  " : "", row, names[init], value);
}

/* Row 1: wall time of INIT true, runs interleaved round-robin. */
static void startup(int rounds, double med[NINITS])
{
	static long long t[NINITS][1000];
	char line[64];
	char *const cmd[] = {"/bin/true", NULL};

	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < NINITS; i++) {
			const char *argv[16];
			with_init(i, cmd, argv, false);
			t[i][r] = run(argv, line, sizeof line);
		}
	for (int i = 0; i < NINITS; i++)
		med[i] = (double)pct(t[i], (size_t)rounds, 50) / 1000.0;
}

/* Instructions the init itself executes for INIT true (callgrind). */
static double instructions(int i)
{
	char out[64] = "/tmp/bench-callgrind.XXXXXX", opt[96], line[256];
	char *const cmd[] = {"/bin/true", NULL};
	const char *argv[24] = {"/usr/bin/valgrind", "--tool=callgrind", "-q", opt};
	const char *inner[16];
	double ir = -1;
	int fd = mkstemp(out);
	FILE *f;

	close(fd);
	snprintf(opt, sizeof opt, "--callgrind-out-file=%s", out);
	with_init(i, cmd, inner, false);
	for (size_t k = 0; inner[k] != NULL; k++)
		argv[4 + k] = inner[k];
	run(argv, line, sizeof line);
	if ((f = fopen(out, "r")) == NULL)
		die(out);
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "summary:", 8) == 0)
			ir = atof(line + 8);
	fclose(f);
	unlink(out);
	return ir;
}

/* Rows 2 and 3: a helper as PID 1's child reports PID 1's work. */
static void as_pid1(int i, const char *what, long n, double v[3])
{
	char num[24], line[128];
	char *const cmd[] = {(char *)helpers, (char *)what, num, NULL};
	const char *argv[24];

	snprintf(num, sizeof num, "%ld", n);
	with_init(i, cmd, argv, true);
	run(argv, line, sizeof line);
	v[2] = 0;
	if (sscanf(line, "%lf %lf %lf", &v[0], &v[1], &v[2]) < 2) {
		fprintf(stderr, "bench: %s %s %ld: '%s'\n", names[i], what, n, line);
		exit(1);
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* as_pid1 for every init, repeated in interleaved rounds; the median of
 * each of the three figures. */
static void as_pid1_rounds(const char *what, long n, int rounds,
			   double med[NINITS][3])
{
	static double all[NINITS][3][16];

	if (rounds < 1 || rounds > 16) {
		fprintf(stderr, "bench: %s: %d rounds; 1 to 16 fit\n", what, rounds);
		exit(1);
	}
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < DIRECT; i++) {
			double v[3];
			as_pid1(i, what, n, v);
			for (int f = 0; f < 3; f++)
				all[i][f][r] = v[f];
		}
	for (int i = 0; i < DIRECT; i++)
		for (int f = 0; f < 3; f++) {
			qsort(all[i][f], (size_t)rounds, sizeof(double), cmp_d);
			med[i][f] = all[i][f][rounds / 2];
		}
}

static void pin(bool one)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (one) {
		CPU_SET(0, &set);
	} else {
		for (int c = 0; c < CPU_SETSIZE; c++)
			CPU_SET(c, &set);
	}
	sched_setaffinity(0, sizeof set, &set);
}

/* Row 4: SIGUSR1 to the init (to the workload itself for "direct") until
 * the workload's handler answers on its stdout; rounds interleaved. */
static void latency(bool pinned, double med[NINITS], double p99[NINITS])
{
	static long long t[NINITS][4000];
	char *const cmd[] = {(char *)helpers, "sigecho", NULL};
	pid_t pid[NINITS], target[NINITS];
	int out[NINITS], per = 200, rounds = 10;
	char line[64], b;

	pin(pinned);
	for (int i = 0; i < NINITS; i++) {
		const char *argv[16];
		ssize_t n;
		with_init(i, cmd, argv, false);
		pid[i] = start(argv, &out[i]);
		n = read(out[i], line, sizeof line - 1);
		line[n > 0 ? n : 0] = '\0';
		target[i] = pid[i];
		if (strncmp(line, "ready ", 6) != 0)
			die("sigecho");
	}
	for (int r = -1; r < rounds; r++) /* round -1 warms up */
		for (int i = 0; i < NINITS; i++)
			for (int k = 0; k < per; k++) {
				long long t0 = now_ns();
				kill(target[i], SIGUSR1);
				if (read(out[i], &b, 1) != 1)
					die("read");
				if (r >= 0)
					t[i][r * per + k] = now_ns() - t0;
			}
	for (int i = 0; i < NINITS; i++) {
		kill(pid[i], SIGTERM);
		waitpid(pid[i], NULL, 0);
		close(out[i]);
		med[i] = (double)pct(t[i], (size_t)(per * rounds), 50) / 1000.0;
		p99[i] = (double)pct(t[i], (size_t)(per * rounds), 99) / 1000.0;
	}
	pin(false);
}

static long status_field(pid_t pid, const char *field)
{
	char path[64], buf[4096];
	const char *at;
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		die(path);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	at = strstr(buf, field);
	return at ? atol(at + strlen(field)) : -1;
}

static long long cpu_ns(pid_t pid)
{
	char path[64], buf[128] = "";
	int fd;

	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0 || read(fd, buf, sizeof buf - 1) < 0)
		die(path);
	close(fd);
	return atoll(buf);
}

/* Rows 5 and 6: all inits at once around a sleeping workload, 10 s. */
static void idle(int seconds, double sw[NINITS], double isw[NINITS],
		 double cpu[NINITS], double rss[NINITS], double hwm[NINITS])
{
	char *const cmd[] = {(char *)helpers, "sleeper", NULL};
	long v0[NINITS], i0[NINITS];
	long long c0[NINITS];
	pid_t pid[NINITS];
	int out[NINITS];

	for (int i = 0; i < DIRECT; i++) {
		const char *argv[16];
		with_init(i, cmd, argv, false);
		pid[i] = start(argv, &out[i]);
	}
	sleep(1);
	for (int i = 0; i < DIRECT; i++) {
		v0[i] = status_field(pid[i], "voluntary_ctxt_switches:");
		i0[i] = status_field(pid[i], "nonvoluntary_ctxt_switches:");
		c0[i] = cpu_ns(pid[i]);
	}
	sleep((unsigned)seconds);
	for (int i = 0; i < DIRECT; i++) {
		sw[i] = (double)(status_field(pid[i], "voluntary_ctxt_switches:") - v0[i]);
		isw[i] = (double)(status_field(pid[i], "nonvoluntary_ctxt_switches:") - i0[i]);
		cpu[i] = (double)(cpu_ns(pid[i]) - c0[i]) / 1000.0;
		rss[i] = (double)status_field(pid[i], "VmRSS:");
		hwm[i] = (double)status_field(pid[i], "VmHWM:");
		kill(pid[i], SIGTERM);
		waitpid(pid[i], NULL, 0);
		close(out[i]);
	}
}

static const char *fmt(double v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "–");
	else if (v >= 100 || v == (long long)v)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.2f", v);
	return buf;
}

/* One table row: the values, and each one's ratio to the floor. */
static void row(const char *key, const char *label, const double v[NINITS],
		bool ratio)
{
	char a[32], b[32];

	printf("| %s |", label);
	for (int i = 0; i < NINITS; i++) {
		if (v[i] < 0) {
			printf(" – |");
			continue;
		}
		printf(" %s", fmt(v[i], a, sizeof a));
		if (ratio && v[FLOOR] > 0)
			printf(" (%s×)", fmt(v[i] / v[FLOOR], b, sizeof b));
		printf(" |");
		json_value(key, i, v[i]);
	}
	printf("\n");
}

static void blank(double v[NINITS])
{
	for (int i = 0; i < NINITS; i++)
		v[i] = -1;
}

/* Row 3 and its variant: N live orphans of PID 1 end, all at once (burst)
 * or one at a time (trickle); for each N in ns, the wall time and PID 1's
 * CPU, then how the CPU per child grows from the first N to the last. */
static void ending(const char *what, const char *how, const long *ns,
		   int sizes, int rounds)
{
	double v[NINITS], w[NINITS], first[NINITS];
	char key[64], label[160];

	for (int k = 0; k < sizes; k++) {
		double r[NINITS][3];
		blank(v);
		blank(w);
		as_pid1_rounds(what, ns[k], rounds, r);
		for (int i = 0; i < DIRECT; i++) {
			v[i] = r[i][0] / 1e6;
			w[i] = r[i][1] / 1e6;
		}
		snprintf(key, sizeof key, "%s_wall_ms", what);
		snprintf(label, sizeof label, "%s %ld (%s): ms until the last is reaped (as PID 1; median of %d)",
			 what, ns[k], how, rounds);
		row(key, label, v, true);
		snprintf(key, sizeof key, "%s_cpu_ms", what);
		snprintf(label, sizeof label, "%s %ld: init CPU ms (schedstat)", what, ns[k]);
		row(key, label, w, true);
		if (k == sizes - 1) {
			snprintf(label, sizeof label, "%s %ldk CPU", what, ns[k] / 1000);
			chart(label, w, false);
		}
		for (int i = 0; i < DIRECT; i++)
			if (k == 0)
				first[i] = w[i] / (double)ns[k];
			else
				v[i] = w[i] / (double)ns[k] / first[i];
	}
	snprintf(key, sizeof key, "%s_growth", what);
	snprintf(label, sizeof label, "%s: init CPU per child, %ld ÷ %ld", what,
		 ns[sizes - 1], ns[0]);
	row(key, label, v, false);
}

int main(int argc, char **argv)
{
	double v[NINITS], w[NINITS], x[NINITS], y[NINITS], z[NINITS];
	const long orphan_n[] = {1000, 10000, 50000}, burst_n[] = {1000, 3000, 10000};
	const long trickle_n[] = {1000, 10000};
	const int orphan_rounds[] = {5, 3, 3};
	char label[128];
	struct stat st;

	char path[4096];

	if (argc != 4) {
		fprintf(stderr, "usage: bench REAPER HELPERS OUT\n");
		return 2;
	}
	helpers = argv[2];
	const char *base[NINITS][4] = {
		{argv[1], "--"}, {"/usr/bin/tini-static", "-s", "--"},
		{"/usr/bin/tini", "-s", "--"}, {"/usr/bin/dumb-init"},
		{"/usr/bin/catatonit", "--"}, {helpers, "launcher"},
		{helpers, "sigfloor"}, {NULL},
	};
	memcpy(argvs, base, sizeof base);
	snprintf(path, sizeof path, "%s.json", argv[3]);
	if ((json = fopen(path, "w")) == NULL)
		die(path);
	fprintf(json, "[");
	snprintf(path, sizeof path, "%s.dat", argv[3]);
	if ((dat = fopen(path, "w")) == NULL)
		die(path);
	fprintf(dat, "# row reaper tini-static tini dumb-init catatonit\n");

	printf("| row (method) |");
	for (int i = 0; i < NINITS; i++)
		printf(" %s |", names[i]);
	printf("\n|---|");
	for (int i = 0; i < NINITS; i++)
		printf("---|");
	printf("\n");

	startup(300, v);
	row("startup_us", "`INIT true` wall time, µs (300 interleaved runs; ×floor)", v, true);
	chart("start-up", v, false);
	blank(v);
	for (int i = 0; i < DIRECT; i++)
		v[i] = instructions(i);
	row("instructions", "instructions the init executes for `INIT true` (callgrind)", v, true);
	chart("instructions", v, false);

	for (int k = 0; k < 3; k++) {
		double r[NINITS][3];
		blank(v);
		blank(w);
		blank(x);
		as_pid1_rounds("orphans", orphan_n[k], orphan_rounds[k], r);
		for (int i = 0; i < DIRECT; i++) {
			v[i] = r[i][0] / 1e6;
			w[i] = r[i][1] / 1e3 / (double)orphan_n[k];
			x[i] = r[i][2];
		}
		snprintf(label, sizeof label, "orphans %ld: total ms (as PID 1; median of %d)",
			 orphan_n[k], orphan_rounds[k]);
		row("orphans_total_ms", label, v, true);
		snprintf(label, sizeof label, "orphans %ld: init CPU µs per orphan (schedstat)", orphan_n[k]);
		row("orphans_cpu_us", label, w, true);
		if (k == 2)
			chart("CPU/orphan 50k", w, false);
		snprintf(label, sizeof label, "orphans %ld: most zombies outstanding (sampled each ms)", orphan_n[k]);
		row("orphans_peak", label, x, false);
	}
	{
		double r[NINITS][3];
		blank(w);
		pin(true);
		as_pid1_rounds("orphans", orphan_n[1], 3, r);
		pin(false);
		for (int i = 0; i < DIRECT; i++)
			w[i] = r[i][1] / 1e3 / (double)orphan_n[1];
		row("orphans_pinned_cpu_us", "orphans 10000, all on one CPU: init CPU µs per orphan (median of 3)", w, true);
	}
	ending("burst", "all at once", burst_n, 3, 9);
	ending("trickle", "one at a time", trickle_n, 2, 3);

	for (int pinned = 1; pinned >= 0; pinned--) {
		latency(pinned, v, w);
		snprintf(label, sizeof label, "SIGUSR1 round trip µs, %s (2,000; ×direct)",
			 pinned ? "pinned to one CPU" : "unpinned");
		for (int i = 0; i < NINITS; i++)
			x[i] = v[i] / v[DIRECT];
		row(pinned ? "latency_pinned_us" : "latency_us", label, v, false);
		if (pinned)
			chart("signal latency", v, false);
		snprintf(label, sizeof label, "… ×direct, %s", pinned ? "pinned" : "unpinned");
		row(pinned ? "latency_pinned_ratio" : "latency_ratio", label, x, false);
		snprintf(label, sizeof label, "… p99 µs, %s", pinned ? "pinned" : "unpinned");
		row(pinned ? "latency_pinned_p99_us" : "latency_p99_us", label, w, false);
	}

	blank(v); blank(w); blank(x); blank(y); blank(z);
	idle(10, v, w, x, y, z);
	row("idle_voluntary", "idle 10 s: voluntary context switches", v, false);
	row("idle_involuntary", "idle 10 s: involuntary context switches", w, false);
	row("idle_cpu_us", "idle 10 s: CPU µs", x, false);
	row("rss_kib", "VmRSS KiB while the workload sleeps", y, false);
	chart("VmRSS", y, false);
	row("hwm_kib", "VmHWM KiB", z, false);
	blank(v);
	for (int i = 0; i < FLOOR; i++)
		if (stat(argvs[i][0], &st) == 0)
			v[i] = (double)st.st_size / 1024.0;
	row("size_kib", "binary on disk, KiB (tini and dumb-init are dynamic: libc comes on top)", v, false);
	chart("binary size (static)", v, true);

	fprintf(json, "]\n");
	fclose(json);
	fclose(dat);
	return 0;
}
