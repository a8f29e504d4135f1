/*
 * Waiting on what happens to the guest: libvirt's lifecycle events, the
 * connection closing, the console ending, Ctrl-C.  Everything that can
 * end a wait writes a byte to one pipe; the waiting thread sleeps in
 * poll() on it until then or until its deadline.  Nothing polls the
 * domain's state on a timer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>
#include <libvirt/virterror.h>
#include "run-private.h"
#include "vminstall/error.h"

struct _VmiWatch {
  gint refs;           /* the owner, plus one per libvirt registration */
  GMutex lock;
  int pipe[2];
  volatile sig_atomic_t interrupted;
  guint pending;       /* VmiWake bits not yet returned */
  VmiStopKind stop;
  gboolean disconnected;
  virConnectPtr conn;  /* where the callbacks are registered */
  int lifecycle_id;
  gboolean close_registered;
  char uuid[VIR_UUID_STRING_BUFLEN];
};

static void watch_unref(void *opaque);

VmiWatch *
vmi_watch_ref(VmiWatch *w)
{
  g_atomic_int_inc(&w->refs);
  return w;
}

void
vmi_watch_unref(VmiWatch *w)
{
  watch_unref(w);
}

static void
watch_unref(void *opaque)
{
  VmiWatch *w = opaque;

  if (!g_atomic_int_dec_and_test(&w->refs))
    return;
  close(w->pipe[0]);
  close(w->pipe[1]);
  g_mutex_clear(&w->lock);
  g_free(w);
}

VmiWatch *
vmi_watch_new(GError **error)
{
  VmiWatch *w = g_new0(VmiWatch, 1);

  if (!g_unix_open_pipe(w->pipe, FD_CLOEXEC, error)) {
    g_free(w);
    return NULL;
  }
  g_unix_set_fd_nonblocking(w->pipe[0], TRUE, NULL);
  g_unix_set_fd_nonblocking(w->pipe[1], TRUE, NULL);
  g_mutex_init(&w->lock);
  w->refs = 1;
  w->lifecycle_id = -1;
  return w;
}

void
vmi_watch_free(VmiWatch *w)
{
  if (!w)
    return;
  vmi_watch_detach(w);
  watch_unref(w);
}

static void
wake(VmiWatch *w)
{
  char c = 1;
  /* A full pipe already wakes the waiter. */
  if (write(w->pipe[1], &c, 1) < 0) {
  }
}

void
vmi_watch_notify(VmiWatch *w, VmiWake what)
{
  g_mutex_lock(&w->lock);
  w->pending |= what;
  g_mutex_unlock(&w->lock);
  wake(w);
}

void
vmi_watch_interrupt(VmiWatch *w)
{
  w->interrupted = 1;
  wake(w);
}

VmiStopKind
vmi_watch_stop_from_state(int state, int reason)
{
  if (state == VIR_DOMAIN_CRASHED)
    return VMI_STOP_CRASHED;
  if (state != VIR_DOMAIN_SHUTOFF)
    return VMI_STOP_NONE;
  switch (reason) {
  case VIR_DOMAIN_SHUTOFF_DESTROYED:
    return VMI_STOP_DESTROYED;
  case VIR_DOMAIN_SHUTOFF_CRASHED:
  case VIR_DOMAIN_SHUTOFF_FAILED:
    return VMI_STOP_CRASHED;
  case VIR_DOMAIN_SHUTOFF_SAVED:
  case VIR_DOMAIN_SHUTOFF_MIGRATED:
    return VMI_STOP_SAVED;
  default:
    /* shutdown, and "unknown" when QEMU went away while no daemon
     * watched (an installer's reboot under on_reboot=destroy) */
    return VMI_STOP_SHUTDOWN;
  }
}

static VmiStopKind
stop_from_event(int event, int detail)
{
  if (event == VIR_DOMAIN_EVENT_CRASHED)
    return VMI_STOP_CRASHED;
  if (event != VIR_DOMAIN_EVENT_STOPPED)
    return VMI_STOP_NONE;
  switch (detail) {
  case VIR_DOMAIN_EVENT_STOPPED_DESTROYED:
    return VMI_STOP_DESTROYED;
  case VIR_DOMAIN_EVENT_STOPPED_CRASHED:
  case VIR_DOMAIN_EVENT_STOPPED_FAILED:
    return VMI_STOP_CRASHED;
  case VIR_DOMAIN_EVENT_STOPPED_SAVED:
  case VIR_DOMAIN_EVENT_STOPPED_MIGRATED:
    return VMI_STOP_SAVED;
  default:
    return VMI_STOP_SHUTDOWN;
  }
}

void
vmi_watch_set_stop(VmiWatch *w, VmiStopKind kind)
{
  if (kind == VMI_STOP_NONE)
    return;
  g_mutex_lock(&w->lock);
  /* The first reason wins: a panic's CRASHED comes before its STOPPED. */
  if (w->stop == VMI_STOP_NONE)
    w->stop = kind;
  w->pending |= VMI_WAKE_STOPPED;
  g_mutex_unlock(&w->lock);
  wake(w);
}

static int
on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
  VmiWatch *w = opaque;
  char uuid[VIR_UUID_STRING_BUFLEN];

  if (virDomainGetUUIDString(dom, uuid) < 0 || strcmp(uuid, w->uuid) != 0)
    return 0;
  vmi_watch_set_stop(w, stop_from_event(event, detail));
  return 0;
}

static void
on_close(virConnectPtr conn, int reason, void *opaque)
{
  VmiWatch *w = opaque;

  g_mutex_lock(&w->lock);
  w->disconnected = TRUE;
  g_mutex_unlock(&w->lock);
  wake(w);
}

gboolean
vmi_watch_attach(VmiWatch *w, virConnectPtr conn, const char *uuid, GError **error)
{
  vmi_watch_detach(w);
  g_strlcpy(w->uuid, uuid, sizeof(w->uuid));
  w->lifecycle_id = virConnectDomainEventRegisterAny(
      conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
      vmi_watch_ref(w), watch_unref);
  if (w->lifecycle_id < 0) {
    watch_unref(w);
    vmi_libvirt_error(error, "cannot follow the guest's lifecycle events");
    return FALSE;
  }
  w->conn = conn;
  virConnectRef(conn);
  /* No reference for this one: drivers in this process (embedded, test)
   * accept it and never call it nor its free function, and libvirt calls
   * it under a lock that unregistering takes, so after vmi_watch_detach
   * it is not running. */
  if (virConnectRegisterCloseCallback(conn, on_close, w, NULL) == 0)
    w->close_registered = TRUE;
  else
    virResetLastError();
  g_mutex_lock(&w->lock);
  w->disconnected = FALSE;
  g_mutex_unlock(&w->lock);
  return TRUE;
}

void
vmi_watch_detach(VmiWatch *w)
{
  if (!w->conn)
    return;
  if (w->lifecycle_id >= 0 && virConnectDomainEventDeregisterAny(w->conn, w->lifecycle_id) < 0)
    virResetLastError();
  if (w->close_registered && virConnectUnregisterCloseCallback(w->conn, on_close) < 0)
    virResetLastError();
  w->lifecycle_id = -1;
  w->close_registered = FALSE;
  virConnectClose(w->conn);
  w->conn = NULL;
}

void
vmi_watch_reset_stop(VmiWatch *w)
{
  g_mutex_lock(&w->lock);
  w->stop = VMI_STOP_NONE;
  w->pending &= ~VMI_WAKE_STOPPED;
  g_mutex_unlock(&w->lock);
}

VmiStopKind
vmi_watch_stop(VmiWatch *w)
{
  VmiStopKind kind;

  g_mutex_lock(&w->lock);
  kind = w->stop;
  g_mutex_unlock(&w->lock);
  return kind;
}

gboolean
vmi_watch_disconnected(VmiWatch *w)
{
  gboolean ret;

  g_mutex_lock(&w->lock);
  ret = w->disconnected;
  g_mutex_unlock(&w->lock);
  return ret;
}

VmiWake
vmi_watch_wait(VmiWatch *w, guint wanted, gint64 deadline)
{
  for (;;) {
    struct pollfd pfd = { .fd = w->pipe[0], .events = POLLIN };
    char drain[64];
    guint got;
    int timeout = -1;

    g_mutex_lock(&w->lock);
    if (w->interrupted)
      w->pending |= VMI_WAKE_INTERRUPT;
    got = w->pending & wanted;
    w->pending &= ~got;
    if (!got && w->disconnected) {
      g_mutex_unlock(&w->lock);
      return 0;
    }
    g_mutex_unlock(&w->lock);
    if (got)
      return got;
    if (deadline >= 0) {
      gint64 left = deadline - g_get_monotonic_time();
      if (left <= 0)
        return VMI_WAKE_TIMEOUT;
      timeout = (int)MIN(left / 1000 + 1, G_MAXINT);
    }
    if (poll(&pfd, 1, timeout) < 0 && errno != EINTR)
      return VMI_WAKE_TIMEOUT; /* cannot happen with a valid pipe */
    while (read(w->pipe[0], drain, sizeof(drain)) > 0) {
    }
  }
}
