/*
 * Consoles: the guest's serial console through a libvirt stream
 * (virDomainOpenConsole), relayed to the terminal in the event loop
 * thread, and the graphical console through virt-viewer.
 *
 * Without a terminal on input (CI, a pipe) the console only shows the
 * guest's output; with one, the terminal goes raw and Ctrl-] detaches,
 * as with virsh console.
 */
#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/wait.h>
#include <libvirt/virterror.h>
#include "run-private.h"
#include "vminstall/error.h"

#define ESCAPE_CHAR 0x1d /* Ctrl-] */

struct _VmiConsole {
  gint refs;        /* the owner, plus one per libvirt registration */
  GMutex lock;
  virStreamPtr st;
  int in_fd;
  int out_fd;
  int in_watch;     /* virEventAddHandle id, -1 when not reading keys */
  gboolean raw;
  struct termios saved;
  gboolean closed;
  gboolean detached;
  GByteArray *to_guest;
  VmiWatch *watch;  /* borrowed: outlives the console */
};

static VmiConsole *
console_ref(VmiConsole *con)
{
  g_atomic_int_inc(&con->refs);
  return con;
}

static void
console_unref(void *opaque)
{
  VmiConsole *con = opaque;

  if (!g_atomic_int_dec_and_test(&con->refs))
    return;
  if (con->st)
    virStreamFree(con->st);
  g_byte_array_unref(con->to_guest);
  g_mutex_clear(&con->lock);
  g_free(con);
}

static void
write_all(int fd, const char *buf, gsize len)
{
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return; /* the terminal went away; the guest carries on */
    buf += n;
    len -= n;
  }
}

/* With the lock held.  @notify: wake the waiter (not when the owner
 * closes the console itself). */
static void
shut(VmiConsole *con, gboolean notify)
{
  if (con->closed)
    return;
  con->closed = TRUE;
  if (virStreamEventRemoveCallback(con->st) < 0)
    virResetLastError();
  if (con->in_watch >= 0)
    virEventRemoveHandle(con->in_watch);
  con->in_watch = -1;
  if (virStreamAbort(con->st) < 0)
    virResetLastError();
  if (con->raw)
    tcsetattr(con->in_fd, TCSAFLUSH, &con->saved);
  con->raw = FALSE;
  if (notify)
    vmi_watch_notify(con->watch, VMI_WAKE_CONSOLE);
}

static void
update_stream_events(VmiConsole *con)
{
  int events = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;

  if (con->to_guest->len)
    events |= VIR_STREAM_EVENT_WRITABLE;
  if (virStreamEventUpdateCallback(con->st, events) < 0)
    virResetLastError();
}

static void
on_stream(virStreamPtr st, int events, void *opaque)
{
  VmiConsole *con = opaque;
  char buf[4096];

  g_mutex_lock(&con->lock);
  if (con->closed)
    goto out;
  if (events & VIR_STREAM_EVENT_READABLE) {
    int n = virStreamRecv(st, buf, sizeof(buf));
    if (n > 0) {
      write_all(con->out_fd, buf, n);
    } else if (n != -2) {
      /* 0: the guest's end closed (it stopped); < 0: the stream broke */
      virResetLastError();
      shut(con, TRUE);
      goto out;
    }
  }
  if ((events & VIR_STREAM_EVENT_WRITABLE) && con->to_guest->len) {
    int n = virStreamSend(st, (const char *)con->to_guest->data, con->to_guest->len);
    if (n > 0) {
      g_byte_array_remove_range(con->to_guest, 0, n);
    } else if (n != -2) {
      virResetLastError();
      shut(con, TRUE);
      goto out;
    }
    update_stream_events(con);
  }
  if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP))
    shut(con, TRUE);
out:
  g_mutex_unlock(&con->lock);
}

static void
on_keys(int watch, int fd, int events, void *opaque)
{
  VmiConsole *con = opaque;
  char buf[1024];
  ssize_t n;
  char *esc;

  g_mutex_lock(&con->lock);
  if (con->closed)
    goto out;
  n = read(fd, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    goto out;
  if (n <= 0) {
    /* The terminal is gone: stop reading, keep showing output. */
    virEventRemoveHandle(con->in_watch);
    con->in_watch = -1;
    goto out;
  }
  esc = memchr(buf, ESCAPE_CHAR, n);
  g_byte_array_append(con->to_guest, (const guint8 *)buf, esc ? esc - buf : n);
  if (esc) {
    con->detached = TRUE;
    shut(con, TRUE);
    goto out;
  }
  update_stream_events(con);
out:
  g_mutex_unlock(&con->lock);
}

VmiConsole *
vmi_console_open(virConnectPtr conn, virDomainPtr dom, int in_fd, int out_fd, VmiWatch *watch,
                 GError **error)
{
  VmiConsole *con = g_new0(VmiConsole, 1);

  con->refs = 1;
  g_mutex_init(&con->lock);
  con->in_fd = in_fd;
  con->out_fd = out_fd;
  con->in_watch = -1;
  con->to_guest = g_byte_array_new();
  con->watch = watch;
  con->st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
  if (!con->st || virDomainOpenConsole(dom, NULL, con->st, 0) < 0) {
    vmi_libvirt_error(error, "cannot open the guest's console");
    con->closed = TRUE;
    console_unref(con);
    return NULL;
  }
  g_mutex_lock(&con->lock);
  /* No free function: libvirt drops it when the callback is removed
   * while it runs.  vmi_console_close frees the console later instead. */
  if (virStreamEventAddCallback(con->st,
                                VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR |
                                VIR_STREAM_EVENT_HANGUP,
                                on_stream, con, NULL) < 0) {
    vmi_libvirt_error(error, "cannot follow the guest's console");
    virStreamAbort(con->st);
    virResetLastError();
    con->closed = TRUE;
    g_mutex_unlock(&con->lock);
    console_unref(con);
    return NULL;
  }
  if (in_fd >= 0 && isatty(in_fd) && tcgetattr(in_fd, &con->saved) == 0) {
    struct termios raw = con->saved;
    cfmakeraw(&raw);
    if (tcsetattr(in_fd, TCSAFLUSH, &raw) == 0)
      con->raw = TRUE;
    con->in_watch = virEventAddHandle(in_fd, VIR_EVENT_HANDLE_READABLE, on_keys,
                                      console_ref(con), console_unref);
    if (con->in_watch < 0)
      console_unref(con);
  }
  g_mutex_unlock(&con->lock);
  return con;
}

gboolean
vmi_console_detached(VmiConsole *con)
{
  gboolean ret;

  g_mutex_lock(&con->lock);
  ret = con->detached;
  g_mutex_unlock(&con->lock);
  return ret;
}

/* Consoles closed but not yet freed by the event loop thread: the
 * closing thread waits for them, so none outlives the run (and none is
 * reported as leaked when the process exits right after). */
static GMutex pending_lock;
static GCond pending_cond;
static int pending;

/* In the event loop thread, after any stream callback that was running
 * when the console closed has returned. */
static void
free_later(int timer, void *opaque)
{
  virEventRemoveTimeout(timer);
  console_unref(opaque);
  g_mutex_lock(&pending_lock);
  pending--;
  g_cond_broadcast(&pending_cond);
  g_mutex_unlock(&pending_lock);
}

/* Not from the event loop thread (run.c closes consoles from the thread
 * that runs the install). */
void
vmi_console_close(VmiConsole *con)
{
  gint64 deadline;

  if (!con)
    return;
  g_mutex_lock(&con->lock);
  shut(con, FALSE);
  g_mutex_unlock(&con->lock);
  g_mutex_lock(&pending_lock);
  if (virEventAddTimeout(0, free_later, con, NULL) < 0) {
    g_mutex_unlock(&pending_lock);
    console_unref(con);
    return;
  }
  pending++;
  /* Bounded: a stuck event loop must not hang the run's end. */
  deadline = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
  while (pending > 0)
    if (!g_cond_wait_until(&pending_cond, &pending_lock, deadline))
      break;
  g_mutex_unlock(&pending_lock);
}

/* ---- virt-viewer ---- */

typedef struct {
  GPid pid;
  VmiWatch *watch;
} Viewer;

static gpointer
reap_viewer(gpointer data)
{
  Viewer *v = data;
  int status;

  while (waitpid(v->pid, &status, 0) < 0 && errno == EINTR) {
  }
  vmi_watch_notify(v->watch, VMI_WAKE_VIEWER);
  vmi_watch_unref(v->watch);
  g_free(v);
  return NULL;
}

gboolean
vmi_viewer_spawn(const char *uri, const char *name, VmiWatch *watch, GError **error)
{
  const char *argv[] = { "virt-viewer", "--connect", uri, "--wait", name, NULL };
  Viewer *v;
  GPid pid;

  if (!g_spawn_async(NULL, (char **)argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                     error))
    return FALSE;
  v = g_new0(Viewer, 1);
  v->pid = pid;
  v->watch = vmi_watch_ref(watch);
  /* Not joined: it ends with the viewer. */
  g_thread_unref(g_thread_new("vmi-viewer", reap_viewer, v));
  return TRUE;
}
