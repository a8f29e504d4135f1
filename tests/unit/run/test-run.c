/*
 * The runner against libvirt's test driver (test:///default, in this
 * process): the define-then-create order and what libvirt keeps, the
 * reboot into the installed guest on a lifecycle event, the undo at each
 * step before the guest runs, storage checks, and the cleanup guard.
 * Real installs on QEMU are tests/e2e/install-e2e.sh.
 */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>
#include "cli.h"
#include "install.h"
#include "vminstall/error.h"
#include "run.h"
#include "run-private.h"

#define URI "test:///default"

typedef struct {
  VmiRequest *req;
  VmiInstaller *inst;
  VmiConn *conn;        /* the installer's */
  GPtrArray *storage;   /* the installer's */
  const VmiPlan *plan;  /* the installer's */
  VmiStaged *staged;    /* the installer's */
  char *iso;
} Setup;

static void setup_clear(Setup *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Setup, setup_clear)

static void
setup_clear(Setup *s)
{
  vmi_installer_free(s->inst);
  vmi_request_free(s->req);
  if (s->iso)
    g_unlink(s->iso);
  g_free(s->iso);
}

/* The installer prepared for a --cdrom install of @name with extra
 * arguments @extra (NULL-terminated), as main.c does. */
static void
setup_install(Setup *s, const char *name, const char *const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  int fd;

  memset(s, 0, sizeof(*s));
  s->iso = g_build_filename(g_get_tmp_dir(), "vmi-test-run-XXXXXX.iso", NULL);
  fd = g_mkstemp(s->iso);
  g_assert_cmpint(fd, >=, 0);
  close(fd);
  const char *args[] = { "vminstall", "--connect", URI, "--name", name, "--memory", "64",
                         "--osinfo", "generic", "--disk", "size=1", "--cdrom", s->iso };
  for (guint i = 0; i < G_N_ELEMENTS(args); i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add(argv, (gpointer)extra[i]);
  g_ptr_array_add(argv, NULL);

  s->req = vmi_cli_parse(argv->len - 1, (char **)argv->pdata, &error);
  g_assert_no_error(error);
  s->inst = vmi_installer_new(s->req, NULL, &error);
  g_assert_no_error(error);
  g_assert_true(vmi_installer_prepare(s->inst, VMI_INSTALLER_INSTALL, &error));
  g_assert_no_error(error);
  s->conn = vmi_installer_get_connection(s->inst);
  s->storage = vmi_installer_storage(s->inst);
  s->plan = vmi_installer_plan(s->inst);
  s->staged = vmi_installer_staged(s->inst);
}

static virConnectPtr
test_conn(void)
{
  virConnectPtr c = virConnectOpen(URI);
  g_assert_nonnull(c);
  return c;
}

static gboolean
domain_exists(virConnectPtr c, const char *name)
{
  virDomainPtr d = virDomainLookupByName(c, name);
  if (d)
    virDomainFree(d);
  virResetLastError();
  return d != NULL;
}

static gboolean
pool_has_volume(virConnectPtr c, const char *pool, const char *vol)
{
  virStoragePoolPtr p = virStoragePoolLookupByName(c, pool);
  virStorageVolPtr v = p ? virStorageVolLookupByName(p, vol) : NULL;
  if (v)
    virStorageVolFree(v);
  if (p)
    virStoragePoolFree(p);
  virResetLastError();
  return v != NULL;
}

static gboolean
pool_exists(virConnectPtr c, const char *pool)
{
  virStoragePoolPtr p = virStoragePoolLookupByName(c, pool);
  if (p)
    virStoragePoolFree(p);
  virResetLastError();
  return p != NULL;
}

static void
remove_domain(virConnectPtr c, const char *name)
{
  virDomainPtr d = virDomainLookupByName(c, name);
  if (d) {
    virDomainDestroy(d);
    virDomainUndefine(d);
    virDomainFree(d);
  }
  virResetLastError();
}

static void
remove_default_pool(virConnectPtr c)
{
  virStoragePoolPtr p = virStoragePoolLookupByName(c, "default");
  if (p) {
    virStoragePoolDestroy(p);
    virStoragePoolUndefine(p);
    virStoragePoolFree(p);
  }
  virResetLastError();
}

/* ---- step names ---- */

static void
test_step_names(void)
{
  g_assert_cmpstr(vmi_run_step_name(VMI_RUN_STEP_START), ==, "start");
  g_assert_cmpstr(vmi_run_step_name(VMI_RUN_STEP_POOL), ==, "after-pool");
  g_assert_cmpstr(vmi_run_step_name(VMI_RUN_STEP_STORAGE), ==, "after-storage");
  g_assert_cmpstr(vmi_run_step_name(VMI_RUN_STEP_DEFINE), ==, "after-define");
  g_assert_cmpstr(vmi_run_step_name(VMI_RUN_STEP_CREATE), ==, "after-create");
  g_assert_cmpstr(vmi_run_step_name(VMI_RUN_STEP_INSTALL), ==, "after-install");
  g_assert_cmpstr(vmi_run_step_name(VMI_RUN_STEP_REBOOT), ==, "after-reboot");
  g_assert_null(vmi_run_step_name(VMI_RUN_STEP_LAST));
}

static void
test_stop_kinds(void)
{
  g_assert_cmpint(vmi_watch_stop_from_state(VIR_DOMAIN_RUNNING, 0), ==, VMI_STOP_NONE);
  g_assert_cmpint(vmi_watch_stop_from_state(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN),
                  ==, VMI_STOP_SHUTDOWN);
  g_assert_cmpint(vmi_watch_stop_from_state(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN),
                  ==, VMI_STOP_SHUTDOWN);
  g_assert_cmpint(vmi_watch_stop_from_state(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED),
                  ==, VMI_STOP_DESTROYED);
  g_assert_cmpint(vmi_watch_stop_from_state(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED),
                  ==, VMI_STOP_CRASHED);
  g_assert_cmpint(vmi_watch_stop_from_state(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FAILED),
                  ==, VMI_STOP_CRASHED);
  g_assert_cmpint(vmi_watch_stop_from_state(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED),
                  ==, VMI_STOP_SAVED);
  g_assert_cmpint(vmi_watch_stop_from_state(VIR_DOMAIN_CRASHED, 0), ==, VMI_STOP_CRASHED);
}

/* ---- the define-then-create order ---- */

static void
test_define_then_create(void)
{
  const char *extra[] = { "--noautoconsole", NULL };
  g_auto(Setup) s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiRun) run = NULL;
  virConnectPtr c = test_conn();
  VmiRunOutcome outcome;
  virDomainPtr dom;
  char *live, *inactive;

  setup_install(&s, "vmi-unit-order", extra);
  run = vmi_run_new(s.conn, s.req, s.storage, s.plan, s.staged, NULL);
  g_assert_true(vmi_run_install(run, &outcome, &error));
  g_assert_no_error(error);
  g_assert_cmpint(outcome, ==, VMI_RUN_RUNNING);

  /* libvirt runs the install phase once and keeps the definition made
   * before it for every later boot. */
  dom = virDomainLookupByName(c, "vmi-unit-order");
  g_assert_nonnull(dom);
  g_assert_cmpint(virDomainIsActive(dom), ==, 1);
  g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
  live = virDomainGetXMLDesc(dom, 0);
  inactive = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
  g_assert_nonnull(strstr(live, "<boot dev='cdrom'/>"));
  g_assert_nonnull(strstr(live, s.iso));
  g_assert_null(strstr(inactive, "<boot dev='cdrom'/>"));
  g_assert_null(strstr(inactive, s.iso));
  g_assert_nonnull(strstr(inactive, "<boot dev='hd'/>"));
  /* ... and once the install phase stops, that definition is what remains */
  g_assert_cmpint(virDomainDestroy(dom), ==, 0);
  free(live);
  live = virDomainGetXMLDesc(dom, 0);
  g_assert_null(strstr(live, s.iso));
  free(live);
  free(inactive);
  virDomainFree(dom);
  g_assert_true(pool_has_volume(c, "default", "vmi-unit-order.qcow2"));
  remove_domain(c, "vmi-unit-order");
  remove_default_pool(c);
  virConnectClose(c);
}

/* ---- waiting: the install phase's stop reboots the installed guest ---- */

typedef struct {
  VmiRun *run;
  VmiRunOutcome outcome;
  gboolean ok;
  GError *error;
} RunThread;

static gpointer
run_thread(gpointer data)
{
  RunThread *t = data;
  t->ok = vmi_run_install(t->run, &t->outcome, &t->error);
  return NULL;
}

static virDomainPtr
wait_active(virConnectPtr c, const char *name)
{
  for (int i = 0; i < 500; i++) {
    virDomainPtr d = virDomainLookupByName(c, name);
    if (d && virDomainIsActive(d) == 1)
      return d;
    if (d)
      virDomainFree(d);
    virResetLastError();
    g_usleep(10000);
  }
  return NULL;
}

static void
test_reboot_on_shutdown(void)
{
  const char *extra[] = { "--noautoconsole", "--wait", "-1", NULL };
  g_auto(Setup) s = { 0 };
  virConnectPtr c = test_conn();
  RunThread t = { 0 };
  GThread *thread;
  virDomainPtr dom;
  char *live;

  setup_install(&s, "vmi-unit-reboot", extra);
  t.run = vmi_run_new(s.conn, s.req, s.storage, s.plan, s.staged, NULL);
  thread = g_thread_new("run", run_thread, &t);
  dom = wait_active(c, "vmi-unit-reboot");
  g_assert_nonnull(dom);
  /* the installer powers off (test driver: a SHUTDOWN lifecycle event) */
  g_assert_cmpint(virDomainShutdown(dom), ==, 0);
  g_thread_join(thread);
  g_assert_no_error(t.error);
  g_assert_true(t.ok);
  g_assert_cmpint(t.outcome, ==, VMI_RUN_DONE);
  /* rebooted into the installed configuration */
  g_assert_cmpint(virDomainIsActive(dom), ==, 1);
  live = virDomainGetXMLDesc(dom, 0);
  g_assert_null(strstr(live, s.iso));
  g_assert_nonnull(strstr(live, "<boot dev='hd'/>"));
  free(live);
  virDomainFree(dom);
  vmi_run_free(t.run);
  remove_domain(c, "vmi-unit-reboot");
  remove_default_pool(c);
  virConnectClose(c);
}

static void
test_user_destroy_no_reboot(void)
{
  const char *extra[] = { "--noautoconsole", "--wait", "-1", NULL };
  g_auto(Setup) s = { 0 };
  virConnectPtr c = test_conn();
  RunThread t = { 0 };
  GThread *thread;
  virDomainPtr dom;

  setup_install(&s, "vmi-unit-destroy", extra);
  t.run = vmi_run_new(s.conn, s.req, s.storage, s.plan, s.staged, NULL);
  thread = g_thread_new("run", run_thread, &t);
  dom = wait_active(c, "vmi-unit-destroy");
  g_assert_nonnull(dom);
  g_assert_cmpint(virDomainDestroy(dom), ==, 0);
  g_thread_join(thread);
  g_assert_true(t.ok);
  g_assert_cmpint(t.outcome, ==, VMI_RUN_USER_STOPPED);
  g_assert_cmpint(virDomainIsActive(dom), ==, 0);
  virDomainFree(dom);
  vmi_run_free(t.run);
  remove_domain(c, "vmi-unit-destroy");
  remove_default_pool(c);
  virConnectClose(c);
}

static void
test_wait_timeout(void)
{
  const char *extra[] = { "--noautoconsole", "--wait", "1", NULL };
  g_auto(Setup) s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiRun) run = NULL;
  VmiRunOptions opts = { .console_in = -1, .console_out = -1, .wait_unit_seconds = 1 };
  virConnectPtr c = test_conn();
  VmiRunOutcome outcome;
  gint64 t0 = g_get_monotonic_time();

  setup_install(&s, "vmi-unit-timeout", extra);
  run = vmi_run_new(s.conn, s.req, s.storage, s.plan, s.staged, &opts);
  g_assert_true(vmi_run_install(run, &outcome, &error));
  g_assert_cmpint(outcome, ==, VMI_RUN_TIMEOUT);
  g_assert_cmpint(g_get_monotonic_time() - t0, >=, G_USEC_PER_SEC);
  g_assert_true(domain_exists(c, "vmi-unit-timeout"));
  remove_domain(c, "vmi-unit-timeout");
  remove_default_pool(c);
  virConnectClose(c);
}

/* ---- the default console of a guest with graphics ---- */

static void
collect_warnings(VmiRunLevel level, const char *message, gpointer data)
{
  if (level == VMI_RUN_WARNING)
    g_ptr_array_add(data, g_strdup(message));
}

/* virt-install's rule: graphics and no virt-viewer (or no DISPLAY) means
 * no console, said in one warning, and the run goes on. */
static void
check_graphics_console(const char *path, const char *display, const char *want)
{
  /* (--wait 0 would mean --noautoconsole; the test driver's guest never
   * stops, so the run ends at the 1 s deadline) */
  const char *extra[] = { "--graphics", "vnc", "--wait", "1", NULL };
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *saved_path = g_strdup(g_getenv("PATH"));
  g_autofree char *saved_display = g_strdup(g_getenv("DISPLAY"));
  g_auto(Setup) s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiRun) run = NULL;
  VmiRunOptions opts = { .console_in = -1, .console_out = -1, .message = collect_warnings,
                         .data = warnings, .wait_unit_seconds = 1 };
  virConnectPtr c = test_conn();
  VmiRunOutcome outcome;
  gboolean found = FALSE;

  setup_install(&s, "vmi-unit-gfx", extra);
  g_setenv("PATH", path, TRUE);
  if (display)
    g_setenv("DISPLAY", display, TRUE);
  else
    g_unsetenv("DISPLAY");
  run = vmi_run_new(s.conn, s.req, s.storage, s.plan, s.staged, &opts);
  g_assert_true(vmi_run_install(run, &outcome, &error));
  g_assert_no_error(error);
  g_setenv("PATH", saved_path, TRUE);
  if (saved_display)
    g_setenv("DISPLAY", saved_display, TRUE);
  else
    g_unsetenv("DISPLAY");
  for (guint i = 0; i < warnings->len; i++)
    found |= strstr(g_ptr_array_index(warnings, i), want) != NULL;
  if (!found)
    g_test_message("warnings: %u, want '%s'", warnings->len, want);
  g_assert_true(found);
  g_assert_true(domain_exists(c, "vmi-unit-gfx"));
  remove_domain(c, "vmi-unit-gfx");
  remove_default_pool(c);
  virConnectClose(c);
}

static void
test_graphics_no_viewer(void)
{
  g_autofree char *empty = g_dir_make_tmp("vmi-test-path-XXXXXX", NULL);

  g_assert_nonnull(empty);
  check_graphics_console(empty, ":0", "virt-viewer not installed");
  g_rmdir(empty);
}

static void
test_graphics_no_display(void)
{
  g_autofree char *dir = g_dir_make_tmp("vmi-test-path-XXXXXX", NULL);
  g_autofree char *viewer = g_build_filename(dir, "virt-viewer", NULL);

  /* a stand-in that is never run: only found on PATH */
  g_assert_true(g_file_set_contents(viewer, "#!/bin/false\n", -1, NULL));
  g_assert_cmpint(g_chmod(viewer, 0755), ==, 0);
  check_graphics_console(dir, NULL, "DISPLAY is not set");
  g_unlink(viewer);
  g_rmdir(dir);
}

/* ---- undo before the guest runs ---- */

typedef struct {
  VmiRun *run;
  VmiRunStep at;
  guint seen;
} InterruptAt;

static void
interrupt_at(VmiRunStep step, gpointer data)
{
  InterruptAt *ia = data;
  ia->seen |= 1u << step;
  if (step == ia->at)
    vmi_run_interrupt(ia->run);
}

static void
check_undo_at(VmiRunStep at)
{
  const char *extra[] = { "--noautoconsole", NULL };
  g_auto(Setup) s = { 0 };
  g_autoptr(GError) error = NULL;
  InterruptAt ia = { .at = at };
  VmiRunOptions opts = { .step = interrupt_at, .data = &ia, .console_in = -1,
                         .console_out = -1 };
  virConnectPtr c = test_conn();
  VmiRunOutcome outcome;

  remove_default_pool(c);
  setup_install(&s, "vmi-unit-undo", extra);
  ia.run = vmi_run_new(s.conn, s.req, s.storage, s.plan, s.staged, &opts);
  g_assert_false(vmi_run_install(ia.run, &outcome, &error));
  g_assert_error(error, VMI_ERROR, VMI_ERROR_FAILED);
  g_assert_true(ia.seen & (1u << at));
  /* the run made the 'default' pool (the test driver has none) */
  if (at >= VMI_RUN_STEP_STORAGE)
    g_assert_true(ia.seen & (1u << VMI_RUN_STEP_POOL));
  /* nothing it made is left */
  g_assert_false(domain_exists(c, "vmi-unit-undo"));
  g_assert_false(pool_exists(c, "default"));
  vmi_run_free(ia.run);
  virConnectClose(c);
}

static void
test_undo_at_start(void)
{
  check_undo_at(VMI_RUN_STEP_START);
}

static void
test_undo_after_storage(void)
{
  check_undo_at(VMI_RUN_STEP_STORAGE);
}

static void
test_undo_after_define(void)
{
  check_undo_at(VMI_RUN_STEP_DEFINE);
}

/* ---- storage checks ---- */

static void
test_existing_path_with_size(void)
{
  g_autofree char *path = g_build_filename(g_get_tmp_dir(), "vmi-test-run-XXXXXX.img", NULL);
  g_autofree char *disk = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiRequest) req = NULL;
  g_autoptr(VmiInstaller) inst = NULL;
  int fd = g_mkstemp(path);

  g_assert_cmpint(fd, >=, 0);
  close(fd);
  disk = g_strdup_printf("path=%s,size=1", path);
  const char *args[] = { "vminstall", "--connect", URI, "--name", "vmi-unit-exist",
                         "--memory", "64", "--osinfo", "generic", "--disk", disk, "--import",
                         NULL };
  req = vmi_cli_parse(G_N_ELEMENTS(args) - 1, (char **)args, &error);
  g_assert_no_error(error);
  inst = vmi_installer_new(req, NULL, &error);
  g_assert_true(vmi_installer_prepare(inst, VMI_INSTALLER_INSTALL, &error));
  g_assert_false(vmi_storage_check(vmi_installer_get_connection(inst),
                                   vmi_installer_storage(inst), NULL, &error));
  g_assert_error(error, VMI_ERROR, VMI_ERROR_CONFLICT);
  g_assert_nonnull(strstr(error->message, "never overwrites"));
  g_unlink(path);
}

/* ---- the guard ---- */

static gboolean
wait_gone(const char *path)
{
  for (int i = 0; i < 500; i++) {
    if (!g_file_test(path, G_FILE_TEST_EXISTS))
      return TRUE;
    g_usleep(10000);
  }
  return FALSE;
}

static char *
temp_file(void)
{
  char *path = g_build_filename(g_get_tmp_dir(), "vmi-test-guard-XXXXXX", NULL);
  int fd = g_mkstemp(path);
  g_assert_cmpint(fd, >=, 0);
  close(fd);
  return path;
}

typedef enum { GUARD_DIE, GUARD_COMMIT, GUARD_FINISH } GuardEnd;

static void
check_guard(GuardEnd end)
{
  const char *exe = g_getenv("VMI_TEST_VMINSTALL");
  g_autofree char *tmp = temp_file();
  g_autofree char *disk = temp_file();
  g_autoptr(GError) error = NULL;
  VmiGuard *guard;

  if (!exe) {
    g_test_skip("VMI_TEST_VMINSTALL is not set");
    return;
  }
  guard = vmi_guard_start(exe, "", "", &error);
  g_assert_no_error(error);
  vmi_guard_note_tmp(guard, tmp);
  vmi_guard_note_file(guard, disk);
  if (end == GUARD_COMMIT)
    vmi_guard_commit(guard);
  if (end == GUARD_FINISH)
    vmi_guard_finish(guard);
  /* closing the socket is what the run dying looks like */
  vmi_guard_free(guard);
  if (end == GUARD_FINISH) {
    g_usleep(200000);
    g_assert_true(g_file_test(tmp, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(disk, G_FILE_TEST_EXISTS));
  } else {
    g_assert_true(wait_gone(tmp));
    if (end == GUARD_DIE)
      g_assert_true(wait_gone(disk));
    else
      g_assert_true(g_file_test(disk, G_FILE_TEST_EXISTS));
  }
  g_unlink(tmp);
  g_unlink(disk);
}

static void
test_guard_run_died(void)
{
  check_guard(GUARD_DIE);
}

static void
test_guard_committed(void)
{
  check_guard(GUARD_COMMIT);
}

static void
test_guard_finished(void)
{
  check_guard(GUARD_FINISH);
}

/* ---- the embedded driver's root ---- */

static void
test_embed_root(void)
{
  g_autofree char *saved = g_strdup(g_getenv("VMINSTALL_EMBED_ROOT"));
  g_autofree char *dir = NULL;
  g_autofree char *uri = NULL;

  g_setenv("VMINSTALL_EMBED_ROOT", "/tmp/./vmi-embed", TRUE);
  dir = vmi_embed_root_dir();
  g_assert_cmpstr(dir, ==, "/tmp/vmi-embed");
  g_unsetenv("VMINSTALL_EMBED_ROOT");
  g_free(dir);
  dir = vmi_embed_root_dir();
  /* short enough for QEMU's monitor socket under it */
  g_assert_cmpuint(strlen(dir), <=, 56);
  if (geteuid() == 0)
    g_assert_cmpstr(dir, ==, "/var/lib/vminstall");
  uri = vmi_embed_uri("/tmp/a dir");
  g_assert_cmpstr(uri, ==, "qemu:///embed?root=/tmp/a%20dir");
  if (saved)
    g_setenv("VMINSTALL_EMBED_ROOT", saved, TRUE);
}

static void
test_embed_prepare(void)
{
  g_autofree char *root = g_dir_make_tmp("vmi-test-embed-XXXXXX", NULL);
  /* where libvirt's embedded QEMU driver reads it: ROOT/etc/qemu.conf */
  g_autofree char *conf = g_build_filename(root, "etc", "qemu.conf", NULL);
  g_autofree char *etc = g_build_filename(root, "etc", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true(vmi_embed_prepare(root, &error));
  g_assert_no_error(error);
  g_assert_true(g_file_get_contents(conf, &text, NULL, NULL));
  g_assert_nonnull(strstr(text, "stdio_handler = \"file\""));
  /* a configuration the user wrote is kept */
  g_assert_true(g_file_set_contents(conf, "# mine\n", -1, NULL));
  g_assert_true(vmi_embed_prepare(root, &error));
  g_free(text);
  g_assert_true(g_file_get_contents(conf, &text, NULL, NULL));
  g_assert_cmpstr(text, ==, "# mine\n");
  g_unlink(conf);
  g_rmdir(etc);
  g_rmdir(root);
}

/* With the default URI and no daemon answering, the connection is the
 * embedded driver, with a notice; an explicit URI never falls back. */
static void
test_embed_fallback(void)
{
  g_autofree char *root = g_dir_make_tmp("vmi-test-embed-XXXXXX", NULL);
  g_autofree char *saved = g_strdup(g_getenv("LIBVIRT_DEFAULT_URI"));
  g_autofree char *cmd = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiConn) conn = NULL;
  g_autoptr(VmiConn) explicit = NULL;

  g_autofree char *qemu = g_find_program_in_path("qemu-system-x86_64");

  if (!qemu) {
    g_test_skip("no QEMU");
    return;
  }
  g_unsetenv("LIBVIRT_DEFAULT_URI");
  g_setenv("VMI_TEST_DAEMON_URI", "qemu+unix:///system?socket=/nonexistent/vmi-sock", TRUE);
  g_setenv("VMINSTALL_EMBED_ROOT", root, TRUE);
  conn = vmi_conn_new(NULL, &error);
  g_assert_nonnull(vmi_conn_get(conn, &error));
  g_assert_no_error(error);
  g_assert_true(vmi_conn_is_embedded(conn));
  g_assert_true(g_str_has_prefix(vmi_conn_uri(conn), "qemu:///embed?root="));
  g_assert_nonnull(strstr(vmi_conn_notice(conn), "embedded"));

  explicit = vmi_conn_new("qemu+unix:///system?socket=/nonexistent/vmi-sock", &error);
  g_assert_null(vmi_conn_get(explicit, &error));
  g_assert_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT);
  g_assert_false(vmi_conn_is_embedded(explicit));

  g_unsetenv("VMI_TEST_DAEMON_URI");
  g_unsetenv("VMINSTALL_EMBED_ROOT");
  if (saved)
    g_setenv("LIBVIRT_DEFAULT_URI", saved, TRUE);
  g_clear_pointer(&conn, vmi_conn_free);
  cmd = g_strdup_printf("rm -rf %s", root);
  g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/run/step-names", test_step_names);
  g_test_add_func("/run/stop-kinds", test_stop_kinds);
  g_test_add_func("/run/define-then-create", test_define_then_create);
  g_test_add_func("/run/reboot-on-shutdown", test_reboot_on_shutdown);
  g_test_add_func("/run/user-destroy-no-reboot", test_user_destroy_no_reboot);
  g_test_add_func("/run/wait-timeout", test_wait_timeout);
  g_test_add_func("/run/graphics-no-viewer", test_graphics_no_viewer);
  g_test_add_func("/run/graphics-no-display", test_graphics_no_display);
  g_test_add_func("/run/undo-at-start", test_undo_at_start);
  g_test_add_func("/run/undo-after-storage", test_undo_after_storage);
  g_test_add_func("/run/undo-after-define", test_undo_after_define);
  g_test_add_func("/run/existing-path-with-size", test_existing_path_with_size);
  g_test_add_func("/run/guard-run-died", test_guard_run_died);
  g_test_add_func("/run/guard-committed", test_guard_committed);
  g_test_add_func("/run/guard-finished", test_guard_finished);
  g_test_add_func("/run/embed-root", test_embed_root);
  g_test_add_func("/run/embed-prepare", test_embed_prepare);
  g_test_add_func("/run/embed-fallback", test_embed_fallback);
  return g_test_run();
}
