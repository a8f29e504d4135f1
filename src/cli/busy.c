/*
 * A sign of life for long steps: once a step has gone two seconds without
 * any output, a line on stderr shows a spinner and the seconds elapsed,
 * redrawn in place and erased before anything else is printed.  Only on a
 * terminal, never with --quiet: a log or a pipe gets none of it.
 */
#include <stdio.h>
#include <unistd.h>
#include "commands.h"

#define QUIET_USEC (2 * G_USEC_PER_SEC)
#define TICK_USEC (G_USEC_PER_SEC / 4)

static struct {
  gboolean enabled;
  GMutex lock;        /* the fields up to @stop */
  GCond wake;
  GThread *thread;
  char *what;         /* the step, or NULL */
  gint64 since;       /* step start, for the seconds shown */
  gint64 last_output; /* the line waits this long after any output */
  gboolean stop;
  GRecMutex out;      /* held while writing to the terminal; nests */
  gboolean drawn;     /* under @out: the line is on the screen */
} busy;

void
cli_busy_init(gboolean quiet)
{
  busy.enabled = !quiet && isatty(STDERR_FILENO);
}

/* Under @out. */
static void
erase(void)
{
  if (!busy.drawn)
    return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  busy.drawn = FALSE;
}

static gpointer
ticker(gpointer data)
{
  static const char spin[] = "|/-\\";
  guint turn = 0;

  g_mutex_lock(&busy.lock);
  while (!busy.stop) {
    gint64 now = g_get_monotonic_time();

    if (busy.what && now - busy.last_output >= QUIET_USEC) {
      g_autofree char *what = g_strdup(busy.what);
      gint64 secs = (now - busy.since) / G_USEC_PER_SEC;

      g_mutex_unlock(&busy.lock);
      /* someone printing now: skip this turn */
      if (g_rec_mutex_trylock(&busy.out)) {
        fprintf(stderr, "\r\033[K%c %s (%" G_GINT64_FORMAT " s)", spin[turn++ % 4], what, secs);
        fflush(stderr);
        busy.drawn = TRUE;
        g_rec_mutex_unlock(&busy.out);
      }
      g_mutex_lock(&busy.lock);
      if (busy.stop)
        break;
    }
    g_cond_wait_until(&busy.wake, &busy.lock, now + TICK_USEC);
  }
  g_mutex_unlock(&busy.lock);
  g_rec_mutex_lock(&busy.out);
  erase();
  g_rec_mutex_unlock(&busy.out);
  return NULL;
}

void
cli_busy_begin(const char *what)
{
  if (!busy.enabled)
    return;
  g_mutex_lock(&busy.lock);
  g_free(busy.what);
  busy.what = g_strdup(what);
  busy.since = busy.last_output = g_get_monotonic_time();
  if (!busy.thread) {
    busy.stop = FALSE;
    busy.thread = g_thread_new("vminstall-busy", ticker, NULL);
  }
  g_mutex_unlock(&busy.lock);
  /* the line of the step before goes */
  g_rec_mutex_lock(&busy.out);
  erase();
  g_rec_mutex_unlock(&busy.out);
}

void
cli_busy_end(void)
{
  GThread *thread;

  if (!busy.enabled)
    return;
  g_mutex_lock(&busy.lock);
  g_clear_pointer(&busy.what, g_free);
  busy.stop = TRUE;
  thread = g_steal_pointer(&busy.thread);
  g_cond_signal(&busy.wake);
  g_mutex_unlock(&busy.lock);
  if (thread)
    g_thread_join(thread);
}

void
cli_busy_output_begin(void)
{
  if (!busy.enabled)
    return;
  g_rec_mutex_lock(&busy.out);
  erase();
}

void
cli_busy_output_end(void)
{
  if (!busy.enabled)
    return;
  g_mutex_lock(&busy.lock);
  busy.last_output = g_get_monotonic_time();
  g_mutex_unlock(&busy.lock);
  g_rec_mutex_unlock(&busy.out);
}
