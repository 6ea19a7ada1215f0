/* What the integration tests share: starting the built reaper with pipes,
 * waiting with a bound, reading lines, and ending every process a test
 * started by its pid. */
#ifndef REAPER_HARNESS_H
#define REAPER_HARNESS_H

#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Long enough for a loaded machine; only a broken reaper reaches it. */
#define BOUND_MS 20000

struct proc {
	pid_t pid;
	int in, out, err; /* our ends of its stdin, stdout and stderr */
	long started_ms;  /* on the monotonic clock */
};

struct start_opts {
	const sigset_t *block; /* its signal mask; empty when NULL */
	int ignore;            /* a signal it starts with ignored, or 0 */
	int fd3;               /* passed as descriptor 3, or -1 */
	int err_fd;            /* its stderr, when not 0: a descriptor of
				* ours rather than a pipe (p->err is then
				* at EOF from the start) */
	const char *cwd;       /* its working directory, or NULL */
	const char *tty;       /* a terminal to make its controlling one */
	char *const *env;      /* "NAME=value" to add, NULL-terminated */
	bool keep_stdin;       /* its stdin is ours, not a pipe */
	bool pid1;             /* PID 1 of a new PID namespace, with its own
				* /proc, as unshare --pid --fork --mount-proc
				* makes it, but our child (needs root) */
};

extern const struct start_opts default_opts;

void proc_start(struct proc *p, char *const argv[], const struct start_opts *o);

/* Its wait status; fails the test after ms milliseconds. When it is
 * reaper, fails it too when reaper used more CPU than its budget. */
int proc_wait(struct proc *p, int ms);

/* reaper's CPU budget: share of the wall time it ran, plus a floor for
 * its start-up (more under a sanitizer). A loop that spins fails
 * whichever test it happens in; a slow machine makes the wall time
 * longer, not the share larger. The default share is 10%; a suite whose
 * reaper works hard (test_stress) states its own. Not checked under
 * valgrind, whose own CPU it would be. */
void harness_cpu_share(double share);

/* Returns once pid has ended (a zombie has), our child or not; a pid
 * already gone is. Fails the test after BOUND_MS. */
void wait_gone(pid_t pid);

/* The exit code a shell would show: the code, or 128+N. */
int exit_code(int wstatus);

/* One line without its newline; fails the test on EOF or after ms. */
void read_line(int fd, char *buf, size_t len, int ms);

/* Reads until needle has been seen; fails the test on EOF or after ms. */
void read_until(int fd, const char *needle, int ms);

/* Everything up to EOF, NUL-terminated; fails the test after ms. */
size_t read_all(int fd, char *buf, size_t len, int ms);

/* A FIFO in a directory of its own, dir/name, made from dir's template
 * ("/tmp/x-XXXXXX"); its path goes to path. */
void fifo_make(char *dir, const char *name, char *path, size_t len);

/* Opens the FIFO at path for writing: returns once a reader has it open,
 * and so waits on where the reader is. */
int fifo_writer(const char *path);

/* Writes text to fd, whole, and closes it. */
void write_and_close(int fd, const char *text);

/* Runs argv to its end; returns the shell-style exit code, with its
 * stdout and stderr in out and err when they are not NULL. */
int run(char *const argv[], char *out, size_t outlen, char *err, size_t errlen);

/* The same, bounded by ms rather than BOUND_MS. */
int run_within(int ms, char *const argv[], char *out, size_t outlen, char *err,
	       size_t errlen);

/* The same, started with o. */
int run_opts(const struct start_opts *o, int ms, char *const argv[], char *out,
	     size_t outlen, char *err, size_t errlen);

/* Whether pid is there and has not ended: a zombie, which still answers
 * kill(pid, 0), has. */
bool proc_running(pid_t pid);

/* Whether pid is blocked in the kernel, off the CPU. */
bool proc_sleeping(pid_t pid);

/* A field of /proc/PID/status, as a number. */
long proc_status_field(pid_t pid, const char *field);

/* The flags of pid's descriptor fd, from its fdinfo (O_NONBLOCK...). */
long fd_flags(pid_t pid, int fd);

/* A new pseudo-terminal: returns its master, with the slave's path in
 * slave; echo and output processing off, so that what is written to the
 * slave reads back from the master as plain lines. */
int terminal_open(char *slave, size_t len);

/* The tests run as a subreaper, so that whatever a test leaves behind is
 * reparented here; teardown kills all of it by pid. */
void harness_setup(void);
void harness_teardown(void);

/* Counts the lines of text that contain needle. */
int count_lines(const char *text, const char *needle);

/* Runs tests, a NULL-terminated list, as one suite with the harness's
 * fixture and a bound of timeout seconds each, from a subreaper that ends
 * every leftover; returns the exit status for ctest. */
int harness_main(const char *name, int timeout, const TTest *const tests[]);

/* A suite run twice, as a subreaper and (pid1) as PID 1: the tests of
 * both runs, then those of this one only. */
int harness_main_modes(const char *name, int timeout, bool pid1,
		       const TTest *const both[],
		       const TTest *const subreaper_only[],
		       const TTest *const pid1_only[]);

/* The same with a fixture of the suite's own, which must call
 * harness_setup and harness_teardown. */
int harness_main_with(const char *name, int timeout, const TTest *const tests[],
		      void (*setup)(void), void (*teardown)(void));

/* Starts argv, which runs `probe signals`, and returns once the probe is
 * ready; the numbers of its ready line (pid, pgid, sid, foreground) go to
 * info when it is not NULL. */
void start_probe(struct proc *p, char *const argv[],
		 const struct start_opts *o, long info[4]);

/* The probe's next line is sig's number. */
void expect_signal(struct proc *p, int sig);

/* A round trip: sig to p, by its pid, then the probe's line for it. Once
 * it comes, reaper is in its loop and forwarded it. */
void signal_and_expect(struct proc *p, int sig);

/* reaper as PID 1 of a new PID namespace: prefix its argv with this. */
#define UNSHARE "/usr/bin/unshare", "--pid", "--fork", "--mount-proc"

/* Whether this machine lets us create a PID namespace (root, in practice);
 * prints the SKIP line for ctest when it does not. */
bool can_unshare(void);

/* The namespace's PID 1, as seen from here: unshare's only child. Call it
 * once the child is known to exist (it has said something). */
pid_t pid1_of(pid_t unshare);

#define ARGV(...) ((char *const[]){__VA_ARGS__, NULL})

/* The binaries the suites run, copied before main into a directory of
 * their own that every user may enter (0755, on a filesystem that allows
 * exec and setuid), and removed at exit: a workload run as another user
 * (--user 1000, setpriv --reuid) must reach them wherever the checkout
 * is; under /root, mode 0700, it could not. Under valgrind, reaper is the
 * wrapper that runs the copy beside it. */
extern char harness_reaper[], harness_probe[], harness_restrict[];

#define REAPER harness_reaper
#define PROBE harness_probe
#define RESTRICT harness_restrict

#endif
