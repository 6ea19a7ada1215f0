#include "procread.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

bool procread_file(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0;
}

size_t procread_children(pid_t pid, pid_t *out, size_t max)
{
	static char buf[65536];
	char file[48];
	size_t n = 0;

	snprintf(file, sizeof file, "task/%d/children", (int)pid);
	if (!procread_file(pid, file, buf, sizeof buf))
		return 0;
	for (char *s = buf, *end; n < max; s = end) {
		long v = strtol(s, &end, 10);
		if (end == s)
			break;
		out[n++] = (pid_t)v;
	}
	return n;
}
