/* chaos: the random system test. Draws scenarios from seeds, runs each
 * against the real reaper binary, and checks invariants rather than
 * expected outputs (docs/guarantees.md, "What the random system test
 * checks"). Every failure prints its seed and the one line that replays
 * exactly that scenario.
 *
 *   chaos [--reaper PATH] [--probe PATH] [--restrict PATH] [-v] [--show]
 *         (--seed S --one [--repeat N] | [--seed S] --seconds N
 *          | [--seed S] --count N | --seeds FILE)
 *
 * -v says each scenario that passed too; --show prints the scenarios and
 * runs nothing; --repeat runs the one scenario N times, for a race that
 * shows in some runs only.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "run.h"
#include "scenario.h"

struct options {
	struct programs programs;
	const char *self, *seeds;
	uint64_t seed;
	bool seeded, one, verbose, show;
	long seconds, count, repeat;
};

struct tally {
	long passed, failed, skipped;
};

/* What the binary under test can take, asked once. */
struct fit {
	/* Built with a sanitizer, whose runtime cannot start without /proc,
	 * and whose exit (a leak check) takes signals. */
	bool sanitized;
	long cpu_floor_ms;
};

static struct fit fit;

static int usage(const char *why)
{
	fprintf(stderr, "chaos: %s\nusage: chaos [--reaper PATH] [--probe PATH] "
		"[--restrict PATH] [-v] [--show] (--seed S --one [--repeat N] | "
		"[--seed S] --seconds N | [--seed S] --count N | --seeds FILE)\n", why);
	return 125;
}

static bool number(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return s[0] != '\0' && s[0] != '-' && *end == '\0' && errno == 0;
}

static bool parse(struct options *o, int argc, char **argv)
{
	unsigned long long v;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = strcmp(a, "--one") != 0 && strcmp(a, "-v") != 0 &&
			     strcmp(a, "--show") != 0;
		if (takes && val == NULL)
			return false;
		if (strcmp(a, "--reaper") == 0)
			o->programs.reaper = val;
		else if (strcmp(a, "--probe") == 0)
			o->programs.probe = val;
		else if (strcmp(a, "--restrict") == 0)
			o->programs.restrict_bin = val;
		else if (strcmp(a, "--seeds") == 0)
			o->seeds = val;
		else if (strcmp(a, "--one") == 0)
			o->one = true;
		else if (strcmp(a, "-v") == 0)
			o->verbose = true;
		else if (strcmp(a, "--show") == 0)
			o->show = true;
		else if (strcmp(a, "--seed") == 0 && number(val, &v))
			o->seed = v, o->seeded = true;
		else if (strcmp(a, "--seconds") == 0 && number(val, &v))
			o->seconds = (long)v;
		else if (strcmp(a, "--count") == 0 && number(val, &v))
			o->count = (long)v;
		else if (strcmp(a, "--repeat") == 0 && number(val, &v) && v > 0)
			o->repeat = (long)v;
		else
			return false;
		i += takes;
	}
	return true;
}

static void print_argv(const struct scenario *s)
{
	char *argv[48], buf[1024];
	size_t n = scenario_options(s, argv, 48, buf, sizeof buf);

	printf("  reaper");
	for (size_t i = 0; i < n; i++)
		printf(" %s", argv[i]);
	if (s->family != FAMILY_PAUSE) {
		n = scenario_tree_args(&s->workload, argv, 48, buf, sizeof buf);
		printf(" -- probe tree REPORT r");
		for (size_t i = 0; i < n; i++)
			printf(" %s", argv[i]);
	}
	for (int j = 0; j < s->njoiners; j++) {
		n = scenario_tree_args(&s->joiners[j], argv, 48, buf, sizeof buf);
		printf("\n  joiner j.%d: nsenter -t REAPER -p -- probe tree REPORT j.%d", j, j);
		for (size_t i = 0; i < n; i++)
			printf(" %s", argv[i]);
	}
	printf("\n");
}

static void report(const struct options *o, const struct scenario *s,
		   const struct verdict *v, const char *tail, const char *dir)
{
	char line[1024];

	scenario_describe(s, line, sizeof line);
	printf("FAIL seed %llu: %s\n", (unsigned long long)s->seed, line);
	print_argv(s);
	fputs(v->text, stdout);
	if (tail[0] != '\0')
		printf("  reaper's stderr ended with:\n%s%s", tail,
		       tail[strlen(tail) - 1] == '\n' ? "" : "\n");
	printf("  the tree's report: %s/report\n", dir);
	printf("  replay: %s --reaper %s --seed %llu --one\n", o->self,
	       o->programs.reaper, (unsigned long long)s->seed);
	fflush(stdout);
}

/* One scenario, drawn from seed, run and checked. */
static bool one(const struct options *o, uint64_t seed, struct tally *t)
{
	static char tail[2048];
	struct scenario s;
	struct observed seen;
	struct verdict v;
	char line[1024];

	scenario_draw(&s, seed);
	if (!o->show && s.hide_proc && fit.sanitized) {
		t->skipped++;
		return true;
	}
	if (o->show) {
		scenario_describe(&s, line, sizeof line);
		printf("seed %llu: %s\n", (unsigned long long)seed, line);
		print_argv(&s);
		return true;
	}
	if (!run_scenario(&s, &o->programs, &seen, tail, sizeof tail)) {
		fprintf(stderr, "chaos: seed %llu: the runner could not set the "
			"scenario up: %s\n", (unsigned long long)seed, strerror(errno));
		run_release(&seen, false);
		return false;
	}
	seen.cpu_floor_ms = fit.cpu_floor_ms;
	seen.facts.open_exit = fit.sanitized;
	check_all(&s, &seen, &v);
	if (v.failures > 0) {
		t->failed++;
		report(o, &s, &v, tail, seen.dir);
	} else {
		t->passed++;
		if (o->verbose) {
			scenario_describe(&s, line, sizeof line);
			printf("ok seed %llu: %s\n", (unsigned long long)seed, line);
			fflush(stdout);
		}
	}
	run_release(&seen, v.failures > 0);
	return true;
}

static long elapsed(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - since->tv_sec);
}

static bool from_file(const struct options *o, struct tally *t)
{
	FILE *f = fopen(o->seeds, "re");
	char line[128];
	unsigned long long seed;

	if (f == NULL) {
		perror(o->seeds);
		return false;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, " #\n")] = '\0';
		if (line[0] != '\0' && number(line, &seed) && !one(o, seed, t))
			break;
	}
	fclose(f);
	return true;
}

static void series(const struct options *o, struct tally *t)
{
	struct timespec start;
	uint64_t base = o->seeded ? o->seed : (uint64_t)time(NULL) ^ (uint64_t)getpid();

	if (!o->seeded)
		printf("base seed %llu\n", (unsigned long long)base);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (uint64_t i = 0;; i++) {
		if (o->count > 0 && (long)i >= o->count)
			break;
		if (o->count == 0 && elapsed(&start) >= o->seconds)
			break;
		if (!one(o, scenario_seed(base, i), t))
			break;
	}
}

/* Whether path has an ELF interpreter: a dynamic binary. */
static bool dynamic(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	bool found = false;
	FILE *f = fopen(path, "rbe");

	if (f == NULL)
		return false;
	if (fread(&eh, sizeof eh, 1, f) == 1 && eh.e_ident[EI_CLASS] == ELFCLASS64)
		for (int i = 0; i < eh.e_phnum && !found; i++)
			found = fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize),
				      SEEK_SET) == 0 &&
				fread(&ph, sizeof ph, 1, f) == 1 && ph.p_type == PT_INTERP;
	fclose(f);
	return found;
}

/* reaper and the probe run once with /proc hidden, as the scenarios
 * hide it. */
static bool runs_without_proc(const struct programs *p)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		dup2(null, 2);
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("none", "/proc", "tmpfs", 0, NULL) < 0)
			_exit(1);
		execl(p->reaper, p->reaper, "--", p->probe, "euid", (char *)NULL);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
	struct options o = {.programs = {REAPER_BIN, PROBE_BIN, RESTRICT},
			    .self = argv[0], .repeat = 1};
	struct tally t = {0, 0, 0};

	if (!parse(&o, argc, argv))
		return usage("bad arguments");
	if (!o.one && o.seconds == 0 && o.count == 0 && o.seeds == NULL)
		return usage("say what to run");
	if (o.one && !o.seeded)
		return usage("--one needs --seed");
	if (geteuid() != 0) {
		puts("SKIP: the random system test needs root: PID and mount "
		     "namespaces, nsenter");
		return 77;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("chaos: set-up");
		return 1;
	}
	fit.sanitized = !runs_without_proc(&o.programs);
	fit.cpu_floor_ms = dynamic(o.programs.reaper) ? CHECK_CPU_FLOOR_DYNAMIC_MS
						      : CHECK_CPU_FLOOR_MS;
	if (o.one)
		for (long i = 0; i < o.repeat; i++)
			one(&o, o.seed, &t);
	else if (o.seeds != NULL && !from_file(&o, &t))
		return 1;
	else if (o.seeds == NULL)
		series(&o, &t);
	if (t.skipped > 0)
		printf("skipped %ld scenarios with /proc hidden: %s or %s cannot "
		       "run without /proc (a sanitizer's runtime needs it)\n",
		       t.skipped, o.programs.reaper, o.programs.probe);
	printf("%ld passed, %ld failed\n", t.passed, t.failed);
	return t.failed > 0 ? 1 : 0;
}
