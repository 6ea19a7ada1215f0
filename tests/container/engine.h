/* A real container engine for the tests: Podman, or Docker itself with a
 * daemon of the test's own, started in a temporary directory with reaper
 * as its --init-path and stopped by its pid at the end. Images are built
 * FROM scratch (no registry is reachable) by scripts/images.sh, as a
 * user without a registry builds them: a static busybox base, the
 * project's own docker/Dockerfile.entrypoint on it, and a pause image.
 * Podman keeps them in storage of the suite's own, as Docker's daemon
 * does: the user's own storage is never touched. */
#ifndef REAPER_ENGINE_H
#define REAPER_ENGINE_H

#include <stdbool.h>

/* The image the tests run: the base with reaper as its entry point.
 * Named after the test's pid, so that suites run side by side (ctest -j)
 * never remove each other's. */
extern char image[64];
/* reaper alone, reaper --pause its entry point: a pod's infra. */
extern char pause_image[72];

/* "podman" or "docker". */
extern const char *engine_name;

/* The engine's own directory, removed by engine_close: Podman's storage
 * (root/, run/), Docker's daemon with its data. */
extern char engine_dir[];

/* Readies the engine (Docker: starts its daemon) and builds the images.
 * Returns 0, or 77 having printed the SKIP line (not installed, not
 * root), or 1 having printed why it failed. */
int engine_open(const char *name);

/* Ends what engine_open started and removes engine_dir, with every image
 * and container in it; false, having said so, if the directory is left. */
bool engine_close(void);

/* argv for the engine's client: its path and global options, then args.
 * The result is a static buffer, good until the next call. */
char *const *engine_argv(char *const args[]);

/* The same for "run": --rm, no network, the limits this machine allows. */
char *const *engine_run(char *const args[]);

/* What PID 1's command line starts with when the engine runs its init
 * (reaper, by --init-path). */
const char *engine_init_path(void);

/* Runs the engine's client with args (words for the shell), its output
 * discarded: for clean-ups, whose failure fails no test. */
void engine_quietly(const char *args);

/* A name for the next container, and its removal by that name. */
const char *engine_name_container(void);
void engine_remove_container(void);

#define ENGINE(...) engine_argv((char *const[]){__VA_ARGS__, NULL})
#define RUN(...) engine_run((char *const[]){__VA_ARGS__, NULL})

#endif
