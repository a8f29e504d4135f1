/*
 * Opening libosinfo at run time.  Linking it would load it, libsoup,
 * sqlite, kerberos ... into every vminstall run; only --unattended
 * needs it.
 */
#include <dlfcn.h>
#include "osinfo-dl.h"
#include "vminstall/error.h"

#define LIBOSINFO_SONAME "libosinfo-1.0.so.0"

static VmiOsinfoFuncs funcs;
static char *load_error;
static gsize loaded;

static void
load(void)
{
  void *h = dlopen(LIBOSINFO_SONAME, RTLD_NOW | RTLD_LOCAL);

  if (!h) {
    load_error = g_strdup(dlerror());
    return;
  }
#define OSINFO_DL_LOAD(f)                                       \
  if (!load_error && !(funcs.f = (__typeof__(f) *)dlsym(h, #f))) \
    load_error = g_strdup_printf("%s has no %s", LIBOSINFO_SONAME, #f);
  OSINFO_DL_FUNCS(OSINFO_DL_LOAD)
#undef OSINFO_DL_LOAD
  /* kept open for the life of the process: its GTypes stay registered */
}

const VmiOsinfoFuncs *
vmi_osinfo_dl(GError **error)
{
  if (g_once_init_enter(&loaded)) {
    load();
    g_once_init_leave(&loaded, 1);
  }
  if (load_error) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--unattended needs libosinfo (Debian package libosinfo-1.0-0): %s",
                load_error);
    return NULL;
  }
  return &funcs;
}

OsinfoDb *
vmi_osinfo_dl_db(GError **error)
{
  static OsinfoLoader *loader;
  static gsize done;
  static GError *db_error;
  const VmiOsinfoFuncs *f = vmi_osinfo_dl(error);

  if (!f)
    return NULL;
  if (g_once_init_enter(&done)) {
    loader = f->osinfo_loader_new();
    f->osinfo_loader_process_default_path(loader, &db_error);
    g_once_init_leave(&done, 1);
  }
  if (db_error) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot load osinfo-db with libosinfo: %s",
                db_error->message);
    return NULL;
  }
  return f->osinfo_loader_get_db(loader);
}

