/* Orphans made fast, for the test probe and the benchmark's helpers,
 * which make them the same way: with clone(CLONE_VM), since on virtual
 * machines most of fork's cost is copying page tables (50,000 orphans
 * took 100 s with fork here). The reaper sees what it sees of any other
 * orphan: a child that ends, and its SIGCHLD. Each process that outlives
 * its parent runs on a stack of its own, ORPHAN_STACK bytes. The reaper
 * is the nearest (sub)reaper, the caller's parent: its children are
 * counted, not their pids, which pid reuse cannot fool. On a failure
 * these exit 2. */
#ifndef REAPER_ORPHAN_H
#define REAPER_ORPHAN_H

#include <sys/types.h>

#define ORPHAN_STACK (16 * 1024)

/* For a function that runs on such a stack: ASan takes the stack for a
 * corrupt one at its end, and says so on stderr, which a test may have
 * filled on purpose. */
#define ORPHAN_CODE __attribute__((no_sanitize_address))

/* Room for n stacks, one after another; exits 2 when there is none. */
char *orphan_stacks(long n);

/* Starts fn(arg) as an orphan, on the stack that ends at top: its parent
 * lives on a stack of its own until it has started fn and exited
 * (CLONE_VFORK holds the caller until then). Waits out the process limit;
 * returns -1 when the orphan could not be made for another reason. */
int orphan_start(int (*fn)(void *), char *top, void *arg);

/* How many children reaper has not reaped, zombies included. */
long orphan_children(pid_t reaper);

/* Returns once reaper has no more than outstanding children besides the
 * caller, looking every millisecond. */
void orphan_wait_reaped(pid_t reaper, long outstanding);

/* Leaves n orphans that end at once, one after another as fast as clone
 * allows; returns once reaper has reaped them all. */
void orphan_many(long n, pid_t reaper);

/* Hands n live orphans to reaper, each blocked on the pipe go until it
 * reads a byte, which it writes to gone (unless gone is -1), or the end;
 * returns, go[0] closed, once reaper holds them all. */
void orphan_hand_over(long n, int go[2], int gone, pid_t reaper);

/* Lets the orphans handed over go one at a time, each once the last has
 * said it is going, through go (go[1]) and gone (gone[0]). */
void orphan_trickle(long n, int go, int gone);

#endif
