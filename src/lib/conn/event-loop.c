/*
 * libvirt's default event loop, run in a thread of its own.  The main
 * thread then makes ordinary blocking calls while events, stream data and
 * (for the embedded driver) QEMU monitor traffic are dispatched here.
 */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include "conn.h"

static gpointer
event_loop_thread(gpointer data)
{
  for (;;)
    if (virEventRunDefaultImpl() < 0)
      virResetLastError();
  return NULL;
}

void
vmi_event_loop_ensure(void)
{
  static gsize done;

  if (g_once_init_enter(&done)) {
    virEventRegisterDefaultImpl();
    /* Never joined: it lives as long as the process. */
    g_thread_unref(g_thread_new("vmi-events", event_loop_thread, NULL));
    g_once_init_leave(&done, 1);
  }
}
