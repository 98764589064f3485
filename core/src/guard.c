/* guard.c -- how a run ends when it is not allowed to finish.
 *
 * Ctrl-C and SIGTERM only set a flag: the runner sees it between batches
 * and fails the run, which then commits nothing. A stage stuck in a long
 * C call, or an input that never ends (stdin), would hold that up for
 * ever; so a watcher thread gives the run a second, then removes the
 * run's temporary files and ends the process (at once on a second
 * interrupt). A run that saw an interrupt before it began to publish
 * never publishes; once it has begun, the renames are let finish.
 *
 * A crash in a plugin (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) is
 * reported with the stage and the document the crashing thread was
 * running, the temporary files are removed, and the signal then takes
 * its course (a sanitizer's handler, if there was one, or the default
 * action), so the exit status still says which signal it was. The
 * handler uses only async-signal-safe calls: write, unlink, sigaction,
 * raise, and term_escape, which calls nothing. */
#include "guard.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "doc.h"
#include "tempfile.h"

__thread guard_doing guard_now __attribute__((tls_model("initial-exec")));

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static const char *const crash_names[] = {"SIGSEGV, a bad memory access", "SIGBUS, a bad memory access",
					  "SIGFPE, an arithmetic error", "SIGILL, an illegal instruction",
					  "SIGABRT, aborted"};
#define N_CRASH (sizeof crash_signals / sizeof *crash_signals)

static struct sigaction old_crash[N_CRASH], old_int, old_term;
static int took_int, took_term;

enum { IDLE, RUNNING, PUBLISHING, PUBLISHED, ENDED };
static atomic_int phase = IDLE;
static atomic_int interrupts, first_signal;
static atomic_int crashed; /* one thread reports (the handler blocks every signal) */
static sem_t wake;
static pthread_t watcher;
static int watching;

/* ---- messages from a signal handler ------------------------------------ */

typedef struct line {
	char p[2048];
	size_t n;
} line;

static void put(line *l, const char *s)
{
	while (*s && l->n < sizeof l->p)
		l->p[l->n++] = *s++;
}

static void put_escaped(line *l, const char *s)
{
	size_t used;
	l->n += term_escape(l->p + l->n, sizeof l->p - l->n, s, strlen(s), &used);
}

static void emit(const line *l)
{
	for (size_t off = 0; off < l->n;) {
		ssize_t k = write(STDERR_FILENO, l->p + off, l->n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		off += (size_t)k;
	}
}

/* "textmill: " why, then what a run that ends now leaves, by its phase. */
static void say_outcome(const char *why)
{
	int ph = atomic_load(&phase);
	line l = {.n = 0};
	put(&l, "textmill: ");
	put(&l, why);
	put(&l, ph == PUBLISHING  ? "it was putting its files in place: some may be new, some old"
		: ph == PUBLISHED ? "its files were all in place already"
				  : "nothing was committed");
	put(&l, "; the run's temporary files were removed\n");
	emit(&l);
}

/* ---- crashes ------------------------------------------------------------ */

static void on_crash(int sig, siginfo_t *info, void *context)
{
	size_t k = 0;
	while (k < N_CRASH && crash_signals[k] != sig)
		k++;
	int first = 0;
	if (!atomic_compare_exchange_strong(&crashed, &first, 1))
		for (;;)
			pause(); /* another thread is reporting its crash, and ends the process */
	const guard_doing *d = &guard_now;
	line l = {.n = 0};
	put(&l, "textmill: crashed (");
	put(&l, k < N_CRASH ? crash_names[k] : "a signal");
	put(&l, ")");
	if (d->label) {
		put(&l, " in ");
		put_escaped(&l, d->label);
		put(&l, " (");
		put_escaped(&l, d->stage ? d->stage : "?");
		put(&l, ")");
	} else {
		put(&l, " in the host, outside any stage");
	}
	if (d->doc) {
		put(&l, " on document ");
		put_escaped(&l, d->doc->id ? d->doc->id : "");
		put(&l, " from ");
		put_escaped(&l, d->doc->source ? d->doc->source : "?");
	}
	put(&l, "\n");
	emit(&l);
	temps_remove();
	say_outcome("");
	/* Then what would have happened without us. */
	const struct sigaction *old = k < N_CRASH ? &old_crash[k] : NULL;
	if (old && (old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
		old->sa_sigaction(sig, info, context);
	} else if (old && old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
	}
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	raise(sig); /* delivered on return; a fault also recurs by itself */
}

/* ---- interrupts --------------------------------------------------------- */

static void on_interrupt(int sig)
{
	int saved = errno, none = 0;
	atomic_compare_exchange_strong(&first_signal, &none, sig);
	atomic_fetch_add(&interrupts, 1);
	sem_post(&wake);
	errno = saved;
}

static _Noreturn void stop_now(const char *why)
{
	temps_remove();
	say_outcome(why);
	_exit(1);
}

static void *watch(void *arg)
{
	(void)arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (sem_wait(&wake) && errno == EINTR)
		;
	if (atomic_load(&phase) == ENDED)
		return NULL;
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 1;
	for (;;) {
		int timed_out = sem_timedwait(&wake, &deadline) != 0;
		if (timed_out && errno == EINTR)
			continue;
		int ph = atomic_load(&phase);
		if (ph == ENDED)
			return NULL;
		if (!timed_out && atomic_load(&interrupts) > 1)
			stop_now("interrupted again: stopped; ");
		if (timed_out && ph == PUBLISHING) {
			deadline.tv_sec += 1; /* let the renames finish */
		} else if (timed_out) {
			stop_now(
				"interrupted, and the run did not stop within a second (a stage busy in a long call, "
				"or input still open): stopped; ");
		}
	}
}

/* ---- the run's threads -------------------------------------------------- */

/* A crash handler needs a stack of its own to report a stack overflow. */
#define SIGNAL_STACK (64 * 1024)
static pthread_key_t stack_key;
static pthread_once_t stack_once = PTHREAD_ONCE_INIT;

static void drop_stack(void *mem)
{
	stack_t off;
	memset(&off, 0, sizeof off);
	off.ss_flags = SS_DISABLE;
	sigaltstack(&off, NULL);
	free(mem);
}

static void make_key(void) { pthread_key_create(&stack_key, drop_stack); }

void guard_thread_setup(void)
{
	guard_now.ready = 1;
	pthread_once(&stack_once, make_key);
	stack_t cur;
	if (sigaltstack(NULL, &cur) || !(cur.ss_flags & SS_DISABLE))
		return; /* one is there already (a sanitizer's) */
	stack_t ss;
	memset(&ss, 0, sizeof ss);
	ss.ss_sp = malloc(SIGNAL_STACK);
	ss.ss_size = SIGNAL_STACK;
	if (!ss.ss_sp)
		return;
	if (sigaltstack(&ss, NULL)) {
		free(ss.ss_sp);
		return;
	}
	pthread_setspecific(stack_key, ss.ss_sp);
}

void guard_block_interrupts(void)
{
	sigset_t set;
	sigfillset(&set);
	for (size_t k = 0; k < N_CRASH; k++)
		sigdelset(&set, crash_signals[k]);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* ---- one run ------------------------------------------------------------ */

/* Take sig unless it was ignored when we started (a background job). */
static int take(int sig, struct sigaction *old)
{
	sigaction(sig, NULL, old);
	if (old->sa_handler == SIG_IGN)
		return 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	return sigaction(sig, &sa, NULL) == 0;
}

void guard_start(void)
{
	atomic_store(&interrupts, 0);
	atomic_store(&first_signal, 0);
	atomic_store(&crashed, 0);
	atomic_store(&phase, RUNNING);
	sem_init(&wake, 0, 0);
	guard_thread_setup();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	for (size_t k = 0; k < N_CRASH; k++)
		sigaction(crash_signals[k], &sa, &old_crash[k]);
	took_int = take(SIGINT, &old_int);
	took_term = take(SIGTERM, &old_term);
	watching = pthread_create(&watcher, NULL, watch, NULL) == 0;
}

void guard_stop(void)
{
	atomic_store(&phase, ENDED);
	sem_post(&wake);
	if (watching)
		pthread_join(watcher, NULL);
	watching = 0;
	if (took_int)
		sigaction(SIGINT, &old_int, NULL);
	if (took_term)
		sigaction(SIGTERM, &old_term, NULL);
	for (size_t k = 0; k < N_CRASH; k++)
		sigaction(crash_signals[k], &old_crash[k], NULL);
	sem_destroy(&wake);
	atomic_store(&phase, IDLE);
}

int guard_interrupted(void) { return atomic_load(&first_signal); }

void guard_published(void) { atomic_store(&phase, PUBLISHED); }

int guard_begin_publish(void)
{
	atomic_store(&phase, PUBLISHING);
	if (atomic_load(&first_signal)) {
		atomic_store(&phase, RUNNING); /* never publish after an interrupt */
		return 0;
	}
	return 1;
}
