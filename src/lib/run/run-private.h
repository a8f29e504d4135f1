/* Internals of the run module, shared by its files. */
#pragma once

#include <libvirt/libvirt.h>
#include "run.h"

/* ---- guard.c: the parent's side of the guard process ---- */

typedef struct _VmiGuard VmiGuard;

/* Starts @exe VMI_GUARD_ARG with a socket as its stdin.  @uri is where
 * the guard looks up volumes, pools and the domain @uuid ("" for none). */
VmiGuard *vmi_guard_start(const char *exe, const char *uri, const char *uuid,
                          GError **error);
/* What the run created; each must go if the run dies before committing.
 * NULL @guard is fine (no guard). */
void vmi_guard_note_file(VmiGuard *guard, const char *path);
void vmi_guard_note_dir(VmiGuard *guard, const char *path);
void vmi_guard_note_vol(VmiGuard *guard, const char *pool, const char *name);
void vmi_guard_note_pool(VmiGuard *guard, const char *pool, gboolean delete_dir);
/* A file removed whenever the run dies (staged kernel and initrd). */
void vmi_guard_note_tmp(VmiGuard *guard, const char *path);
/* The domain exists now: the storage belongs to it. */
void vmi_guard_commit(VmiGuard *guard);
/* The run undoes the domain: should it die now, the storage goes too (the
 * guard keeps it while a domain with the run's UUID still exists). */
void vmi_guard_uncommit(VmiGuard *guard);
/* The run cleaned up after itself: the guard exits doing nothing. */
void vmi_guard_finish(VmiGuard *guard);
/* Closes the guard's socket (after vmi_guard_finish, or to let it act). */
void vmi_guard_free(VmiGuard *guard);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiGuard, vmi_guard_free)

/* ---- storage.c ---- */

typedef enum {
  VMI_CREATED_FILE,
  VMI_CREATED_DIR,
  VMI_CREATED_VOL,
  VMI_CREATED_POOL,
} VmiCreatedKind;

/* Something the run created, to remove when it fails. */
typedef struct {
  VmiCreatedKind kind;
  char *path;          /* file, dir; the volume's or pool's path */
  char *pool;          /* vol, pool */
  char *name;          /* vol */
  gboolean delete_dir; /* pool: its directory was made by the build */
} VmiCreated;

void vmi_created_free(VmiCreated *created);

/* Checks every disk before anything is created: an existing path with
 * size=, room in the pool or file system.  Adds warnings to @warnings. */
gboolean vmi_storage_check(VmiConn *conn, GPtrArray *storage, GPtrArray *warnings,
                           GError **error);
/* Creates the storage @storage marks (will_create), appending each
 * thing made to @created (VmiCreated*) and telling @guard. */
gboolean vmi_storage_create(VmiConn *conn, GPtrArray *storage, VmiGuard *guard,
                            GPtrArray *created, VmiRunMessageFunc message, gpointer data,
                            VmiRunStepFunc step, GError **error);
/* Removes what @created lists, newest first; failures are added to
 * @problems as lines. */
void vmi_storage_undo(VmiConn *conn, GPtrArray *created, GPtrArray *problems);

/* ---- domain.c ---- */

/* Defines @xml (the installed guest); NULL with @error on failure. */
virDomainPtr vmi_domain_define(virConnectPtr conn, const char *xml, GError **error);
/* Starts @xml as a one-off (transient) run; NULL with @error. */
virDomainPtr vmi_domain_create_xml(virConnectPtr conn, const char *xml, GError **error);
/* Undefines @dom if it is still the domain with @uuid, with its NVRAM
 * and managed save.  FALSE with @error when libvirt refused. */
gboolean vmi_domain_undefine(virDomainPtr dom, const char *uuid, GError **error);

/* ---- watch.c: lifecycle events, console end, interrupts ---- */

typedef enum {
  VMI_STOP_NONE,
  VMI_STOP_SHUTDOWN,    /* the guest powered off or (on_reboot=destroy) rebooted */
  VMI_STOP_DESTROYED,   /* someone destroyed it */
  VMI_STOP_CRASHED,     /* panicked, or QEMU died */
  VMI_STOP_SAVED,       /* saved or migrated away */
  VMI_STOP_GONE,        /* no longer known to libvirt */
} VmiStopKind;

typedef struct _VmiWatch VmiWatch;

typedef enum {
  VMI_WAKE_STOPPED = 1 << 0,
  VMI_WAKE_CONSOLE = 1 << 1,   /* the console ended (EOF or Ctrl-]) */
  VMI_WAKE_VIEWER = 1 << 2,    /* the graphical viewer exited */
  VMI_WAKE_INTERRUPT = 1 << 3,
  VMI_WAKE_TIMEOUT = 1 << 4,
} VmiWake;

VmiWatch *vmi_watch_new(GError **error);
void vmi_watch_free(VmiWatch *watch);   /* detaches and drops the owner's reference */
VmiWatch *vmi_watch_ref(VmiWatch *watch);
void vmi_watch_unref(VmiWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiWatch, vmi_watch_free)
/* Follows the domain @uuid on @conn (lifecycle events, connection close). */
gboolean vmi_watch_attach(VmiWatch *watch, virConnectPtr conn, const char *uuid,
                          GError **error);
void vmi_watch_detach(VmiWatch *watch);
/* Async-signal-safe. */
void vmi_watch_interrupt(VmiWatch *watch);
/* Called from other threads: wakes vmi_watch_wait with @what. */
void vmi_watch_notify(VmiWatch *watch, VmiWake what);
/* Forgets the stops seen so far (before starting the next phase). */
void vmi_watch_reset_stop(VmiWatch *watch);
/* How the domain stopped, VMI_STOP_NONE while it runs. */
VmiStopKind vmi_watch_stop(VmiWatch *watch);
/* Sets the stop from the domain's state (after a reconnect). */
void vmi_watch_set_stop(VmiWatch *watch, VmiStopKind kind);
gboolean vmi_watch_disconnected(VmiWatch *watch);
/* Blocks until one of @wanted happens or @deadline (g_get_monotonic_time
 * µs, -1: never) passes; returns what happened (VMI_WAKE_TIMEOUT at the
 * deadline).  Returns 0 when the connection closed: reconnect, then call
 * again. */
VmiWake vmi_watch_wait(VmiWatch *watch, guint wanted, gint64 deadline);
/* How a stopped domain's state reason maps to a stop kind. */
VmiStopKind vmi_watch_stop_from_state(int state, int reason);

/* ---- console.c ---- */

typedef struct _VmiConsole VmiConsole;

/* Attaches the serial console of @dom: output to @out_fd, keys from
 * @in_fd when it is a terminal (put in raw mode; Ctrl-] detaches).  When
 * it ends, @watch is woken with VMI_WAKE_CONSOLE. */
VmiConsole *vmi_console_open(virConnectPtr conn, virDomainPtr dom, int in_fd, int out_fd,
                             VmiWatch *watch, GError **error);
/* Did the user detach (Ctrl-]) rather than the guest going away? */
gboolean vmi_console_detached(VmiConsole *console);
void vmi_console_close(VmiConsole *console);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiConsole, vmi_console_close)

/* virt-viewer --connect URI --wait NAME; wakes @watch with
 * VMI_WAKE_VIEWER when it exits.  FALSE with @error when it cannot run. */
gboolean vmi_viewer_spawn(const char *uri, const char *name, VmiWatch *watch,
                          GError **error);
