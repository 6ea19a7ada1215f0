/* Orphans made fast, for the test probe and the benchmark's helpers: with
 * clone(CLONE_VM), since on virtual machines most of fork's cost is
 * copying page tables (50,000 orphans took 100 s with fork here). The
 * reaper sees what it sees of any other orphan: a child that ends, and
 * its SIGCHLD. Each process that outlives its parent runs on a stack of
 * its own, ORPHAN_STACK bytes. */
#ifndef REAPER_ORPHAN_H
#define REAPER_ORPHAN_H

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

#endif
