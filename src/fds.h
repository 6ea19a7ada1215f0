/* Letting go of what reaper inherited and does not need: its working
 * directory and its descriptors, so that it pins no mount and holds no
 * pipe open while the workload runs. */
#ifndef REAPER_FDS_H
#define REAPER_FDS_H

#include <stddef.h>

/* Changes to / and closes every descriptor but stderr, stdin when it is a
 * terminal (job control needs it), and reaper's own: the n in own. */
void fds_release_inherited(const int *own, size_t n);

#endif
