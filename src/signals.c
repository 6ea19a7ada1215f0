#include "signals.h"

#include <signal.h>
#include <stdio.h>
#include <strings.h>

#include "parse.h"

static const struct {
	const char *name;
	int number;
} names[] = {
	{"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT},
	{"ILL", SIGILL},       {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},
	{"IOT", SIGIOT},       {"BUS", SIGBUS},       {"FPE", SIGFPE},
	{"KILL", SIGKILL},     {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
	{"USR2", SIGUSR2},     {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},
	{"TERM", SIGTERM},     {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},
	{"CLD", SIGCHLD},      {"CONT", SIGCONT},     {"STOP", SIGSTOP},
	{"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},
	{"URG", SIGURG},       {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ},
	{"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},     {"WINCH", SIGWINCH},
	{"IO", SIGIO},         {"POLL", SIGPOLL},     {"PWR", SIGPWR},
	{"SYS", SIGSYS},
};

#define NNAMES (sizeof names / sizeof names[0])

static int valid(long n)
{
	return n >= 1 && n <= SIG_RT_MAX ? (int)n : 0;
}

/* "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N", with s just past "RT". */
static int parse_realtime(const char *s)
{
	int base;
	char sign;
	unsigned long off = 0;

	if (strncasecmp(s, "MIN", 3) == 0) {
		base = SIG_RT_MIN;
		sign = '+';
	} else if (strncasecmp(s, "MAX", 3) == 0) {
		base = SIG_RT_MAX;
		sign = '-';
	} else {
		return 0;
	}
	s += 3;
	if (*s != '\0') {
		if (*s != sign || !parse_ulong(s + 1, &off) || off > 64)
			return 0;
	}
	return valid(sign == '+' ? base + (long)off : base - (long)off);
}

int signal_parse(const char *s)
{
	unsigned long n;

	if (parse_ulong(s, &n))
		return n <= 64 ? valid((long)n) : 0;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (strncasecmp(s, "RT", 2) == 0)
		return parse_realtime(s + 2);
	for (size_t i = 0; i < NNAMES; i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].number;
	return 0;
}

const char *signal_name(int sig, char *buf, size_t len)
{
	for (size_t i = 0; i < NNAMES; i++) {
		if (names[i].number == sig) {
			snprintf(buf, len, "SIG%s", names[i].name);
			return buf;
		}
	}
	if (sig >= SIG_RT_MIN && sig <= SIG_RT_MAX) {
		if (sig == SIG_RT_MIN)
			snprintf(buf, len, "SIGRTMIN");
		else if (sig - SIG_RT_MIN <= SIG_RT_MAX - sig)
			snprintf(buf, len, "SIGRTMIN+%d", sig - SIG_RT_MIN);
		else if (sig == SIG_RT_MAX)
			snprintf(buf, len, "SIGRTMAX");
		else
			snprintf(buf, len, "SIGRTMAX-%d", SIG_RT_MAX - sig);
		return buf;
	}
	snprintf(buf, len, "signal %d", sig);
	return buf;
}

bool signal_catchable(int sig)
{
	return sig != SIGKILL && sig != SIGSTOP;
}

kernel_sigset signal_handled_set(void)
{
	return ~(kernel_sigset)0;
}
