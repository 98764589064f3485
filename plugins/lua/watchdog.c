/* watchdog.c -- see watchdog.h. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "watchdog.h"

/* SIGURG: its default action is to ignore it, so a stray or late one does
 * nothing even once the handler is gone; textmill does not use it, and it
 * is only sent by the kernel to a socket's owner for out-of-band data,
 * which a text pipeline does not ask for. */
#define WATCHDOG_SIGNAL SIGURG
#define WATCHDOG_SIGNAL_NAME "SIGURG"
#define POLL_NS 100000000LL    /* at most this long between looks */
#define RESEND_NS 1000000000LL /* again, while the state is still in C code */
#define STUCK_NS 5000000000LL  /* past the limit, with the hook set: give up */

long long watch_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The watch the calling thread is running a document of. initial-exec: a
 * signal handler reads it, and the default TLS model of a dlopen'ed object
 * may allocate on a thread's first access. */
static __thread watch *tls_running __attribute__((tls_model("initial-exec")));
static __thread int tls_unblocked __attribute__((tls_model("initial-exec")));

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int users; /* watches: the thread's life */
	int stop;
	struct sigaction old; /* the handler ours replaced */
	watch *list;
} wd = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Async-signal-safe: a TLS read, lock-free atomics, and lua_sethook, which
 * only writes fields of the state (lua.c calls it from its SIGINT handler).
 * A signal for a document that has finished finds running != interrupt,
 * or no watch at all, and does nothing. */
static void on_signal(int sig)
{
	(void)sig;
	watch *w = tls_running;
	if (!w)
		return;
	unsigned long seq = atomic_load(&w->running);
	if (seq && seq == atomic_load(&w->interrupt)) {
		lua_State *co = atomic_load(&w->coroutine);
		lua_sethook(w->L, w->on_time, LUA_MASKCOUNT, 1); /* sets no errno */
		if (co)
			lua_sethook(co, w->on_time, LUA_MASKCOUNT, 1);
	}
}

static void *watchdog_main(void *arg)
{
	(void)arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are for the host's threads */
	pthread_mutex_lock(&wd.lock);
	while (!wd.stop) {
		long long now = watch_now_ns(), wake = now + POLL_NS;
		for (watch *w = wd.list; w; w = w->next) {
			/* The worker writes started_ns between running = 0 and
			 * running = seq; the same seq before and after the read
			 * means started_ns belongs to it. */
			unsigned long seq = atomic_load(&w->running);
			long long deadline = atomic_load(&w->started_ns) + w->limit_ns;
			if (!seq || atomic_load(&w->running) != seq)
				continue;
			if (now < deadline) {
				if (deadline < wake)
					wake = deadline;
				continue;
			}
			if (atomic_load(&w->interrupt) == seq && now > deadline + STUCK_NS && w->stuck != seq &&
			    w->on_stuck) {
				w->stuck = seq;
				w->on_stuck(w, (now - atomic_load(&w->started_ns)) / 1e9);
				continue;
			}
			if (atomic_load(&w->interrupt) == seq && now - w->sent_ns < RESEND_NS)
				continue;
			/* With sending set and running seen unchanged, the worker
			 * waits in watch_end: its thread cannot be gone. */
			atomic_store(&w->sending, 1);
			if (atomic_load(&w->running) == seq) {
				atomic_store(&w->interrupt, seq);
				w->sent_ns = now;
				pthread_kill(atomic_load(&w->thread), WATCHDOG_SIGNAL);
			}
			atomic_store(&w->sending, 0);
		}
		struct timespec ts = {.tv_sec = wake / 1000000000LL, .tv_nsec = wake % 1000000000LL};
		pthread_cond_timedwait(&wd.wake, &wd.lock, &ts);
	}
	pthread_mutex_unlock(&wd.lock);
	return NULL;
}

/* The first watch installs the handler and starts the thread. */
static int start(char *err, size_t errsz)
{
	struct sigaction cur;
	sigaction(WATCHDOG_SIGNAL, NULL, &cur);
	if ((cur.sa_flags & SA_SIGINFO) || (cur.sa_handler != SIG_DFL && cur.sa_handler != SIG_IGN)) {
		snprintf(err, errsz, "%s already has a handler in this process", WATCHDOG_SIGNAL_NAME);
		return -1; /* someone else's: leave it alone */
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wd.wake, &ca);
	pthread_condattr_destroy(&ca);
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(WATCHDOG_SIGNAL, &sa, &wd.old);
	wd.stop = 0;
	int e = pthread_create(&wd.thread, NULL, watchdog_main, NULL);
	if (e) {
		sigaction(WATCHDOG_SIGNAL, &wd.old, NULL);
		pthread_cond_destroy(&wd.wake);
		snprintf(err, errsz, "cannot start the watchdog thread: %s", strerror(e));
		return -1;
	}
	return 0;
}

int watch_add(watch *w, char *err, size_t errsz)
{
	int rc = 0;
	pthread_mutex_lock(&wd.lock);
	if (wd.users == 0 && (rc = start(err, errsz)) != 0)
		goto out;
	wd.users++;
	w->watched = 1;
	w->prev = NULL;
	w->next = wd.list;
	if (wd.list)
		wd.list->prev = w;
	wd.list = w;
out:
	pthread_mutex_unlock(&wd.lock);
	return rc;
}

void watch_remove(watch *w)
{
	if (!w->watched)
		return;
	pthread_mutex_lock(&wd.lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		wd.list = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->watched = 0;
	int last = --wd.users == 0;
	if (last) {
		wd.stop = 1;
		pthread_cond_signal(&wd.wake);
	}
	pthread_mutex_unlock(&wd.lock);
	if (!last)
		return;
	pthread_join(wd.thread, NULL);
	struct sigaction cur;
	sigaction(WATCHDOG_SIGNAL, NULL, &cur);
	if (!(cur.sa_flags & SA_SIGINFO) && cur.sa_handler == on_signal)
		sigaction(WATCHDOG_SIGNAL, &wd.old, NULL);
	pthread_cond_destroy(&wd.wake);
}

void watch_begin(watch *w)
{
	if (!tls_unblocked) { /* once per thread: the host may block signals in workers */
		sigset_t one;
		sigemptyset(&one);
		sigaddset(&one, WATCHDOG_SIGNAL);
		pthread_sigmask(SIG_UNBLOCK, &one, NULL);
		tls_unblocked = 1;
	}
	pthread_t self = pthread_self();
	if (!pthread_equal(atomic_load(&w->thread), self))
		atomic_store(&w->thread, self);
	tls_running = w;
	atomic_store(&w->started_ns, watch_now_ns());
	atomic_store(&w->running, ++w->seq); /* last: the watchdog may act from here */
}

void watch_end(watch *w)
{
	atomic_store(&w->running, 0); /* first: a late signal finds nothing to stop */
	tls_running = NULL;
	atomic_store(&w->coroutine, NULL);
	while (atomic_load(&w->sending))
		sched_yield(); /* the length of one pthread_kill, and rare */
}
