/* Reading /proc for the tests: one file of a process, its children. */
#ifndef REAPER_TEST_PROCREAD_H
#define REAPER_TEST_PROCREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* /proc/PID/FILE, NUL-terminated, at most len - 1 bytes; false when it
 * cannot be read or is empty. */
bool procread_file(pid_t pid, const char *file, char *buf, size_t len);

/* pid's children, as its main thread's children file lists them; at
 * most max. */
size_t procread_children(pid_t pid, pid_t *out, size_t max);

#endif
