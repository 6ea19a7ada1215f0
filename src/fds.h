/* Letting go of the descriptors reaper inherited and does not need, so
 * that it pins no mount and holds no pipe open while the workload runs. */
#ifndef REAPER_FDS_H
#define REAPER_FDS_H

#include <stddef.h>

/* Closes every descriptor but stderr, stdin when it is a
 * terminal (job control needs it), and reaper's own: the n in own. */
void fds_release_inherited(const int *own, size_t n);

#endif
