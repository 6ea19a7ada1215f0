/* The random system test's workload: a process tree whose every node
 * writes what happens to it to a report file, so that the test can judge
 * reaper by what the tree lived through.
 *
 *   probe tree REPORT ID ROOT CODE [GROUP...]
 *
 * ROOT is how the root behaves once its tree is built: "exit" (exits
 * CODE at once), or, waiting for signals and for "x CODE" lines on its
 * stdin, "die", "ignore", "slowMS", "lifeMS" (below). Each GROUP is
 * SHAPE:COUNT:KIND, made by the root:
 *   flat     COUNT children of the root
 *   chain    a chain COUNT deep, each node the parent of the next
 *   daemon   COUNT double-forked daemons, in the root's group
 *   setsid   COUNT double-forked daemons in sessions of their own
 *   orphans  COUNT orphans that exit at once (they write nothing)
 * and KIND how its nodes take TERM, INT, HUP and QUIT:
 *   die      at once, of that signal
 *   ignore   not at all
 *   slowMS   MS milliseconds later, of that signal
 *   stop     at once, but each stops itself first, once built
 *   lifeMS   at once, and they exit 0 by themselves MS after the build
 *
 * Report lines, "TYPE ID PID [ARG] TIME", appended whole (O_APPEND), PID
 * as the node sees itself, TIME in microseconds on the monotonic clock:
 *   S        the node started
 *   R        the root's whole tree is built (also said on stdout: "R ID")
 *   G SIG    it received SIG
 *   D SIG    it is about to die of SIG
 *   X CODE   it exits with CODE, by itself
 *   F        a fork failed
 * A node that ends with no D or X line was killed by SIGKILL. Node IDs
 * are the root's ID, then ".GROUP.INDEX". */
#ifndef REAPER_NODES_H
#define REAPER_NODES_H

int nodes_main(int argc, char **argv);

#endif
