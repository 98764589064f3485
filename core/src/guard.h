/* guard.h -- what stops a run from outside, and what it leaves behind:
 * Ctrl-C and SIGTERM, and a plugin that crashes. */
#ifndef TM_GUARD_H
#define TM_GUARD_H

#include "util.h"

/* What a thread is running, for the crash report: set by the runner
 * before each call into a stage (three stores, no allocation). */
typedef struct guard_doing {
	const char *label, *stage; /* "stages.2", "dedup.minhash"; NULL: the host */
	const tm_doc *doc;         /* NULL: no document (create, finish) */
	int ready;                 /* this thread has its signal stack */
} guard_doing;

extern __thread guard_doing guard_now __attribute__((tls_model("initial-exec")));

TM_INTERNAL void guard_thread_setup(void);

static inline void guard_set(const char *label, const char *stage, const tm_doc *doc)
{
	guard_doing *d = &guard_now;
	if (!d->ready)
		guard_thread_setup();
	d->label = label;
	d->stage = stage;
	d->doc = doc;
}

/* For the run's own threads: block the signals that stop a run (the
 * handlers run elsewhere), but never those of a crash, which must reach
 * the crash handler. */
TM_INTERNAL void guard_block_interrupts(void);

/* Install the handlers for one run (an interrupt or a signal ignored
 * when textmill started stays ignored), and start the thread that ends a
 * run which has not stopped a second after an interrupt. */
TM_INTERNAL void guard_start(void);
/* The run is over: put the handlers back. */
TM_INTERNAL void guard_stop(void);
/* The signal (SIGINT, SIGTERM) that interrupted the run, or 0. */
TM_INTERNAL int guard_interrupted(void);
/* The point of no return: 0 if the run was interrupted before it (then
 * it must not publish), 1 if publishing may start. From here on the
 * watcher waits for the run to end, unless interrupted a second time. */
TM_INTERNAL int guard_begin_publish(void);
/* Every file is in place: what a crash or an interrupt now says. */
TM_INTERNAL void guard_published(void);

#endif
