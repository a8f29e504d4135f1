/*
 * libFuzzer target: the .treeinfo reader (src/lib/media/treeinfo.c).
 * Any input must parse or be refused with an error, never crash.
 */
#include <stdint.h>
#include <string.h>
#include "media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const sections[] = { "general", "images-x86_64", "images-xen", "tree",
                                          "release", "header", NULL };
  static const char *const keys[] = { "family", "version", "arch", "kernel", "initrd",
                                      "name", "variant", "VERSION", NULL };
  GError *error = NULL;
  VmiTreeinfo *ti = vmi_treeinfo_parse((const char *)data, size, &error);

  if (!ti) {
    g_assert(error != NULL && error->message != NULL);
    g_error_free(error);
    return 0;
  }
  for (const char *const *s = sections; *s; s++)
    for (const char *const *k = keys; *k; k++) {
      const char *v = vmi_treeinfo_get(ti, *s, *k);
      if (v)
        g_assert(strlen(v) <= size);
    }
  vmi_treeinfo_free(ti);
  return 0;
}
