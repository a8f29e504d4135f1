/* Opening libisofs and libyaml at run time (see lazy-libs.h). */
#include <dlfcn.h>
#include "lazy-libs.h"
#include "vminstall/error.h"

typedef struct {
  const char *soname;
  const char *package;  /* Debian package, for the message */
  gsize once;
  char *error;          /* why loading failed, or NULL */
} Lib;

static gboolean
lib_open(Lib *lib, void **handle)
{
  *handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
  if (!*handle)
    lib->error = g_strdup(dlerror());
  return *handle != NULL;
}

static void *
lib_sym(Lib *lib, void *handle, const char *name)
{
  void *p = lib->error ? NULL : dlsym(handle, name);

  if (!p && !lib->error)
    lib->error = g_strdup_printf("%s has no %s", lib->soname, name);
  return p;
}

static gboolean
lib_ok(Lib *lib, GError **error)
{
  if (!lib->error)
    return TRUE;
  g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED, "cannot load %s (Debian package %s): %s",
              lib->soname, lib->package, lib->error);
  return FALSE;
}

static Lib isofs_lib = { "libisofs.so.6", "libisofs6", 0, NULL };
static VmiIsofsFuncs isofs_funcs;

const VmiIsofsFuncs *
vmi_isofs(GError **error)
{
  if (g_once_init_enter(&isofs_lib.once)) {
    void *h;
    if (lib_open(&isofs_lib, &h)) {
#define LOAD(f) isofs_funcs.f = (__typeof__(f) *)lib_sym(&isofs_lib, h, #f);
      VMI_ISOFS_FUNCS(LOAD)
#undef LOAD
    }
    g_once_init_leave(&isofs_lib.once, 1);
  }
  return lib_ok(&isofs_lib, error) ? &isofs_funcs : NULL;
}

static Lib yaml_lib = { "libyaml-0.so.2", "libyaml-0-2", 0, NULL };
static VmiYamlFuncs yaml_funcs;

const VmiYamlFuncs *
vmi_yaml(GError **error)
{
  if (g_once_init_enter(&yaml_lib.once)) {
    void *h;
    if (lib_open(&yaml_lib, &h)) {
#define LOAD(f) yaml_funcs.f = (__typeof__(f) *)lib_sym(&yaml_lib, h, #f);
      VMI_YAML_FUNCS(LOAD)
#undef LOAD
    }
    g_once_init_leave(&yaml_lib.once, 1);
  }
  return lib_ok(&yaml_lib, error) ? &yaml_funcs : NULL;
}
