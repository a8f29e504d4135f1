/*
 * The guard: a small process started before the run creates anything.
 * The run tells it, over a socket, each volume, file or pool it creates;
 * if the run dies (kill -9, a crash) before the installed guest's
 * configuration is defined, the socket closes and the guard removes them.
 * Without it, a run killed between creating a disk and defining the guest
 * would leave storage that nothing refers to.
 *
 * Protocol, one record per line, fields separated by tabs and escaped
 * with g_strescape:
 *   uuid UUID          the domain the storage is for
 *   file PATH | dir PATH | vol POOL NAME | pool NAME DELETE-DIR(0/1)
 *   tmp PATH           removed whenever the run dies (staged kernel/initrd)
 *   commit             the domain is defined: keep the storage
 *   uncommit           the run is taking the domain back: storage goes again
 *   done               the run finished or cleaned up itself
 */
/* POSIX_SPAWN_SETSID, environ */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>
#include "run-private.h"
#include "vminstall/error.h"

struct _VmiGuard {
  int fd;
  pid_t pid;  /* not waited for: it outlives the run on purpose */
};

/* ---- the run's side ---- */

static void send_record(VmiGuard *guard, const char *kind, const char *a, const char *b);

/* posix_spawn (no fork of this process's memory) with its own session:
 * Ctrl-C in the terminal is for vminstall, the guard must outlive it. */
VmiGuard *
vmi_guard_start(const char *exe, const char *uri, const char *uuid, GError **error)
{
  char *argv[] = { (char *)exe, (char *)VMI_GUARD_ARG, NULL };
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t none;
  VmiGuard *guard;
  pid_t pid;
  int sv[2];
  int rc;

  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot start the cleanup guard: %s",
                g_strerror(errno));
    return NULL;
  }
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  /* stderr stays shared: the guard reports there what it removed. */
  posix_spawnattr_init(&attr);
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
  rc = posix_spawn(&pid, exe, &actions, &attr, argv, environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  close(sv[1]);
  if (rc != 0) {
    close(sv[0]);
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot start the cleanup guard %s: %s",
                exe, g_strerror(rc));
    return NULL;
  }
  guard = g_new0(VmiGuard, 1);
  guard->fd = sv[0];
  guard->pid = pid;
  send_record(guard, "uuid", uuid ? uuid : "", uri ? uri : "");
  return guard;
}

static void
send_record(VmiGuard *guard, const char *kind, const char *a, const char *b)
{
  g_autoptr(GString) line = g_string_new(kind);
  const char *fields[] = { a, b };

  if (!guard || guard->fd < 0)
    return;
  for (guint i = 0; i < G_N_ELEMENTS(fields) && fields[i]; i++) {
    g_autofree char *esc = g_strescape(fields[i], NULL);
    g_string_append_printf(line, "\t%s", esc);
  }
  g_string_append_c(line, '\n');
  /* A dead guard must not kill the run with SIGPIPE. */
  if (send(guard->fd, line->str, line->len, MSG_NOSIGNAL) < 0) {
    close(guard->fd);
    guard->fd = -1;
  }
}

void
vmi_guard_note_file(VmiGuard *guard, const char *path)
{
  send_record(guard, "file", path, NULL);
}

void
vmi_guard_note_dir(VmiGuard *guard, const char *path)
{
  send_record(guard, "dir", path, NULL);
}

void
vmi_guard_note_vol(VmiGuard *guard, const char *pool, const char *name)
{
  send_record(guard, "vol", pool, name);
}

void
vmi_guard_note_pool(VmiGuard *guard, const char *pool, gboolean delete_dir)
{
  send_record(guard, "pool", pool, delete_dir ? "1" : "0");
}

void
vmi_guard_note_tmp(VmiGuard *guard, const char *path)
{
  if (path)
    send_record(guard, "tmp", path, NULL);
}

void
vmi_guard_commit(VmiGuard *guard)
{
  send_record(guard, "commit", NULL, NULL);
}

void
vmi_guard_uncommit(VmiGuard *guard)
{
  send_record(guard, "uncommit", NULL, NULL);
}

void
vmi_guard_finish(VmiGuard *guard)
{
  send_record(guard, "done", NULL, NULL);
}

void
vmi_guard_free(VmiGuard *guard)
{
  if (!guard)
    return;
  if (guard->fd >= 0)
    close(guard->fd);
  g_free(guard);
}

/* ---- the guard process ---- */

typedef struct {
  char *kind;
  char *a;
  char *b;
} Record;

static void
record_free(Record *r)
{
  g_free(r->kind);
  g_free(r->a);
  g_free(r->b);
  g_free(r);
}

static Record *
parse_record(const char *line)
{
  g_auto(GStrv) f = g_strsplit(line, "\t", 3);
  Record *r;

  if (!f[0] || !*f[0])
    return NULL;
  r = g_new0(Record, 1);
  r->kind = g_strdup(f[0]);
  r->a = f[1] ? g_strcompress(f[1]) : NULL;
  r->b = f[1] && f[2] ? g_strcompress(f[2]) : NULL;
  return r;
}

/* Was the domain defined after all (the run died between the define and
 * telling us)?  Then the storage is its and stays. */
static gboolean
domain_exists(virConnectPtr conn, const char *uuid)
{
  virDomainPtr dom;

  if (!conn || !uuid || !*uuid)
    return FALSE;
  dom = virDomainLookupByUUIDString(conn, uuid);
  if (!dom) {
    virResetLastError();
    return FALSE;
  }
  virDomainFree(dom);
  return TRUE;
}

static void
report_libvirt(GPtrArray *report, const char *what)
{
  virErrorPtr err = virGetLastError();
  g_ptr_array_add(report, g_strdup_printf("could not remove %s: %s", what,
                                          err && err->message ? err->message : "unknown error"));
  virResetLastError();
}

static void
remove_vol(virConnectPtr conn, const Record *r, GPtrArray *report)
{
  g_autofree char *what = g_strdup_printf("volume '%s' of pool '%s'", r->b, r->a);
  virStoragePoolPtr pool = conn ? virStoragePoolLookupByName(conn, r->a) : NULL;
  virStorageVolPtr vol = pool ? virStorageVolLookupByName(pool, r->b) : NULL;

  if (!vol) {
    virResetLastError();
  } else if (virStorageVolDelete(vol, 0) == 0) {
    g_ptr_array_add(report, g_strdup_printf("removed %s", what));
  } else {
    report_libvirt(report, what);
  }
  if (vol)
    virStorageVolFree(vol);
  if (pool)
    virStoragePoolFree(pool);
}

static void
remove_pool(virConnectPtr conn, const Record *r, GPtrArray *report)
{
  g_autofree char *what = g_strdup_printf("storage pool '%s'", r->a);
  virStoragePoolPtr pool = conn ? virStoragePoolLookupByName(conn, r->a) : NULL;

  if (!pool) {
    virResetLastError();
    return;
  }
  if (virStoragePoolIsActive(pool) == 1)
    virStoragePoolDestroy(pool);
  if (g_strcmp0(r->b, "1") == 0)
    virStoragePoolDelete(pool, 0);
  virResetLastError();
  if (virStoragePoolUndefine(pool) == 0)
    g_ptr_array_add(report, g_strdup_printf("removed %s", what));
  else
    report_libvirt(report, what);
  virStoragePoolFree(pool);
}

static void
cleanup(GPtrArray *records, const char *uri, const char *uuid, gboolean committed,
        GPtrArray *report)
{
  virConnectPtr conn = NULL;
  gboolean need_conn = FALSE;

  for (guint i = 0; i < records->len; i++) {
    Record *r = g_ptr_array_index(records, i);
    if (strcmp(r->kind, "tmp") == 0 && g_unlink(r->a) == 0)
      g_ptr_array_add(report, g_strdup_printf("removed %s", r->a));
    if (strcmp(r->kind, "tmp") != 0)
      need_conn = TRUE;
  }
  if (committed || !need_conn)
    return;
  if (uri && *uri) {
    conn = virConnectOpen(uri);
    if (!conn)
      virResetLastError();
    if (domain_exists(conn, uuid)) {
      virConnectClose(conn);
      return;
    }
  }
  for (guint i = records->len; i-- > 0;) {
    Record *r = g_ptr_array_index(records, i);
    if (strcmp(r->kind, "file") == 0) {
      if (g_unlink(r->a) == 0)
        g_ptr_array_add(report, g_strdup_printf("removed %s", r->a));
    } else if (strcmp(r->kind, "dir") == 0) {
      if (g_rmdir(r->a) == 0)
        g_ptr_array_add(report, g_strdup_printf("removed %s", r->a));
    } else if (strcmp(r->kind, "vol") == 0) {
      remove_vol(conn, r, report);
    } else if (strcmp(r->kind, "pool") == 0) {
      remove_pool(conn, r, report);
    }
  }
  if (conn)
    virConnectClose(conn);
}

static void
silent_error(void *data, virErrorPtr err)
{
}

/* Handles one line; FALSE on "done". */
static gboolean
take_line(const char *line, GPtrArray *records, char **uri, char **uuid, gboolean *committed)
{
  Record *r = parse_record(line);

  if (!r)
    return TRUE;
  if (strcmp(r->kind, "done") == 0) {
    record_free(r);
    return FALSE;
  }
  if (strcmp(r->kind, "commit") == 0 || strcmp(r->kind, "uncommit") == 0) {
    *committed = strcmp(r->kind, "commit") == 0;
    record_free(r);
  } else if (strcmp(r->kind, "uuid") == 0) {
    g_free(*uuid);
    g_free(*uri);
    *uuid = g_steal_pointer(&r->a);
    *uri = g_steal_pointer(&r->b);
    record_free(r);
  } else {
    g_ptr_array_add(records, r);
  }
  return TRUE;
}

int
vmi_guard_main(int in_fd, GPtrArray *report)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func((GDestroyNotify)record_free);
  g_autoptr(GString) buf = g_string_new(NULL);
  g_autofree char *uri = NULL;
  g_autofree char *uuid = NULL;
  gboolean committed = FALSE;
  char chunk[4096];

  /* Errors are reported through @report, never by libvirt itself. */
  virSetErrorFunc(NULL, silent_error);
  /* Only the end of the run's socket may end the guard. */
  signal(SIGINT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);

  for (;;) {
    ssize_t n = read(in_fd, chunk, sizeof(chunk));
    char *nl;

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    g_string_append_len(buf, chunk, n);
    while ((nl = memchr(buf->str, '\n', buf->len))) {
      g_autofree char *line = g_strndup(buf->str, nl - buf->str);
      g_string_erase(buf, 0, nl - buf->str + 1);
      if (!take_line(line, records, &uri, &uuid, &committed))
        return 0;
    }
  }
  /* The run went away without saying it was done. */
  cleanup(records, uri, uuid, committed, report);
  return 0;
}
