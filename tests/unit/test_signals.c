#include <check.h>
#include <signal.h>
#include <stdlib.h>

#include "runner.h"
#include "signals.h"

START_TEST(names_in_every_spelling)
{
	ck_assert_int_eq(signal_parse("TERM"), SIGTERM);
	ck_assert_int_eq(signal_parse("SIGTERM"), SIGTERM);
	ck_assert_int_eq(signal_parse("term"), SIGTERM);
	ck_assert_int_eq(signal_parse("sigTerm"), SIGTERM);
	ck_assert_int_eq(signal_parse("15"), SIGTERM);
	ck_assert_int_eq(signal_parse("HUP"), SIGHUP);
	ck_assert_int_eq(signal_parse("KILL"), SIGKILL);
	ck_assert_int_eq(signal_parse("CLD"), SIGCHLD);
	ck_assert_int_eq(signal_parse("IOT"), SIGABRT);
	ck_assert_int_eq(signal_parse("WINCH"), SIGWINCH);
	ck_assert_int_eq(signal_parse("1"), 1);
	ck_assert_int_eq(signal_parse("64"), SIGRTMAX);
}
END_TEST

START_TEST(realtime_names)
{
	ck_assert_int_eq(signal_parse("RTMIN"), SIGRTMIN);
	ck_assert_int_eq(signal_parse("SIGRTMIN"), SIGRTMIN);
	ck_assert_int_eq(signal_parse("RTMIN+3"), SIGRTMIN + 3);
	ck_assert_int_eq(signal_parse("rtmin+3"), SIGRTMIN + 3);
	ck_assert_int_eq(signal_parse("RTMAX"), SIGRTMAX);
	ck_assert_int_eq(signal_parse("SIGRTMAX-2"), SIGRTMAX - 2);
	ck_assert_int_eq(signal_parse("RTMIN+0"), SIGRTMIN);
}
END_TEST

START_TEST(rejections)
{
	static const char *const bad[] = {
		"", "0", "65", "99999999999999999999", "-1", "+1", " 15",
		"15 ", "TERMX", "SIG", "FOO", "RT", "RTMIN+", "RTMIN-1",
		"RTMAX+1", "RTMIN+99", "RTMAX-99", "0x0f", "SIGSIGTERM",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(signal_parse(bad[i]) == 0, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(names_round_trip)
{
	char buf[32];

	/* libc keeps the few numbers below SIGRTMIN for itself: unnamed. */
	for (int sig = 1; sig <= SIGRTMAX; sig++) {
		if (sig > SIGSYS && sig < SIGRTMIN)
			continue;
		const char *name = signal_name(sig, buf, sizeof buf);
		ck_assert_msg(signal_parse(name) == sig, "%d -> %s", sig, name);
	}
	ck_assert_str_eq(signal_name(SIGTERM, buf, sizeof buf), "SIGTERM");
	ck_assert_str_eq(signal_name(SIGABRT, buf, sizeof buf), "SIGABRT");
	ck_assert_str_eq(signal_name(SIGRTMIN + 3, buf, sizeof buf), "SIGRTMIN+3");
	ck_assert_str_eq(signal_name(SIGRTMAX - 1, buf, sizeof buf), "SIGRTMAX-1");
	ck_assert_str_eq(signal_name(99, buf, sizeof buf), "signal 99");
}
END_TEST

START_TEST(only_kill_and_stop_cannot_be_caught)
{
	for (int sig = 1; sig <= 64; sig++)
		ck_assert_msg(signal_catchable(sig) ==
				      (sig != SIGKILL && sig != SIGSTOP),
			      "signal %d", sig);
}
END_TEST

START_TEST(handled_set_is_every_signal)
{
	kernel_sigset set = signal_handled_set();

	/* The faults too: one sent with kill(2) is forwarded, and one the
	 * kernel raises in reaper is delivered whether blocked or not. */
	for (int sig = 1; sig <= 64; sig++)
		ck_assert_msg((set >> (sig - 1)) & 1, "signal %d", sig);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		names_in_every_spelling,
		realtime_names,
		rejections,
		names_round_trip,
		only_kill_and_stop_cannot_be_caught,
		handled_set_is_every_signal,
		NULL,
	};

	return run_tests("signals", 0, NULL, NULL, tests);
}
