/*
 * Shared by the caps and conn unit tests (header-only, so that each test
 * stays one .c file for tests/meson.build): where the test data is, the
 * expected-answers file written by virtinst-expected.py, and the same
 * answers computed by libvminstall in that file's notation.
 */
#pragma once

#include <string.h>
#include <glib.h>
#include "caps.h"

G_BEGIN_DECLS

/* The tests/ source directory: $VMI_TESTS_DIR, else the parent of the
 * harness's $VMI_TEST_DATADIR (tests/data), else a -DVMI_TESTS_DIR, else
 * found from this file's build-time path. */
static G_GNUC_UNUSED char *
facts_tests_dir(void)
{
  const char *env = g_getenv("VMI_TESTS_DIR");
  const char *datadir = g_getenv("VMI_TEST_DATADIR");
  g_autofree char *here = NULL;

  if (env && *env)
    return g_strdup(env);
  if (datadir && *datadir)
    return g_path_get_dirname(datadir);
#ifdef VMI_TESTS_DIR
  return g_strdup(VMI_TESTS_DIR);
#endif
  /* __FILE__ is tests/unit/caps/caps-facts.h, maybe relative to the
   * compiler's working directory (the build dir, where meson runs tests). */
  here = g_canonicalize_filename(__FILE__, NULL);
  for (int i = 0; i < 3; i++) {
    char *up = g_path_get_dirname(here);
    g_free(here);
    here = up;
  }
  return g_steal_pointer(&here);
}

/* An absolute path for @rel, relative to tests/. */
static G_GNUC_UNUSED char *
facts_path(const char *rel)
{
  g_autofree char *dir = facts_tests_dir();
  return g_build_filename(dir, rel, NULL);
}

/* A test data file's contents; the test fails when it cannot be read. */
static G_GNUC_UNUSED char *
facts_read(const char *rel)
{
  g_autofree char *path = facts_path(rel);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents(path, &text, NULL, &error)) {
    g_test_message("cannot read %s: %s", path, error->message);
    g_test_fail();
  }
  return text;
}

/* The lines of unit/caps/expected.txt split at tabs, comments dropped
 * (GPtrArray of GStrv).  Line format is documented in the script. */
static G_GNUC_UNUSED GPtrArray *
facts_expected(void)
{
  g_autofree char *path = facts_path("unit/caps/expected.txt");
  g_autofree char *text = NULL;
  GPtrArray *ret = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents(path, &text, NULL, NULL))
    return ret; /* the caller's count check reports it */
  lines = g_strsplit(text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] && lines[i][0] != '#')
      g_ptr_array_add(ret, g_strsplit(lines[i], "\t", -1));
  return ret;
}

/* '-' in the expected file means NULL. */
static G_GNUC_UNUSED const char *
facts_arg(const char *field)
{
  return g_strcmp0(field, "-") == 0 ? NULL : field;
}

static G_GNUC_UNUSED const char *
facts_s(const char *v)
{
  return v && *v ? v : "-";
}

static G_GNUC_UNUSED char *
facts_join(GPtrArray *arr)
{
  g_autoptr(GString) out = g_string_new(NULL);

  for (guint i = 0; arr && i < arr->len; i++)
    g_string_append_printf(out, "%s%s", i ? "," : "", (const char *)g_ptr_array_index(arr, i));
  return g_strdup(out->len ? out->str : "-");
}

/* "ok os_type=... machines=... aliases=..." or "error <message>". */
static G_GNUC_UNUSED char *
facts_caps_result(const VmiCaps *caps, const char *os_type, const char *arch,
                  const char *type, const char *machine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiCapsGuest) g = vmi_caps_lookup_guest(caps, os_type, arch, type, machine, &error);
  g_autoptr(GPtrArray) aliases = NULL;
  g_autofree char *machines = NULL;
  g_autofree char *alias_str = NULL;

  if (!g)
    return g_strdup_printf("error %s", error ? error->message : "(no error set)");
  aliases = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < g->aliases->len; i++)
    g_ptr_array_add(aliases, g_strdup_printf("%s>%s", (char *)g_ptr_array_index(g->aliases, i),
                                             (char *)g_ptr_array_index(g->alias_targets, i)));
  machines = facts_join(g->machines);
  alias_str = facts_join(aliases);
  return g_strdup_printf("ok os_type=%s arch=%s type=%s emulator=%s loader=%s pae=%s "
                         "acpi=%s apic=%s machines=%s aliases=%s",
                         facts_s(g->os_type), facts_s(g->arch), facts_s(g->domain_type),
                         facts_s(g->emulator), facts_s(g->loader), g->pae ? "1" : "0",
                         g->acpi_default ? "1" : "0", g->apic_default ? "1" : "0", machines,
                         alias_str);
}

static G_GNUC_UNUSED char *
facts_enum(const VmiDomcaps *dc, const char *path, const char *name)
{
  g_autoptr(GPtrArray) vals = vmi_domcaps_enum_values(dc, path, name);
  return facts_join(vals);
}

/* One named domcaps fact in the script's notation; NULL for a key this
 * code does not know. */
static G_GNUC_UNUSED char *
facts_domcaps(const VmiDomcaps *dc, const char *key)
{
  static const struct {
    const char *key;
    gboolean (*fn)(const VmiDomcaps *);
  } bools[] = {
    { "firmware_efi", vmi_domcaps_supports_firmware_efi },
    { "uefi_loader", vmi_domcaps_supports_uefi_loader },
    { "arch_can_uefi", vmi_domcaps_arch_can_uefi },
    { "tpm_emulator", vmi_domcaps_supports_tpm_emulator },
    { "safe_host_passthrough", vmi_domcaps_supports_safe_host_passthrough },
    { "safe_host_model", vmi_domcaps_supports_safe_host_model },
  };
  static const struct {
    const char *key, *path, *name;
  } enums[] = {
    { "tpm_model", "devices/tpm", "model" },
    { "video_modelType", "devices/video", "modelType" },
    { "graphics_type", "devices/graphics", "type" },
    { "disk_diskDevice", "devices/disk", "diskDevice" },
    { "disk_bus", "devices/disk", "bus" },
    { "hostdev_subsysType", "devices/hostdev", "subsysType" },
    { "gic_version", "features/gic", "version" },
  };
  static const struct {
    const char *key, *path, *name, *value;
  } has[] = {
    { "video_virtio", "devices/video", "modelType", "virtio" },
    { "video_bochs", "devices/video", "modelType", "bochs" },
    { "virtiofs", "devices/filesystem", "driverType", "virtiofs" },
    { "memfd", "memoryBacking", "sourceType", "memfd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS(bools); i++)
    if (strcmp(key, bools[i].key) == 0)
      return g_strdup(bools[i].fn(dc) ? "1" : "0");
  for (guint i = 0; i < G_N_ELEMENTS(enums); i++)
    if (strcmp(key, enums[i].key) == 0)
      return facts_enum(dc, enums[i].path, enums[i].name);
  for (guint i = 0; i < G_N_ELEMENTS(has); i++)
    if (strcmp(key, has[i].key) == 0)
      return g_strdup(vmi_domcaps_enum_has(dc, has[i].path, has[i].name, has[i].value) ? "1"
                                                                                      : "0");
  if (strcmp(key, "arch") == 0)
    return g_strdup(facts_s(vmi_domcaps_arch(dc)));
  if (strcmp(key, "machine") == 0)
    return g_strdup(facts_s(vmi_domcaps_machine(dc)));
  if (strcmp(key, "domain") == 0)
    return g_strdup(facts_s(vmi_domcaps_domain(dc)));
  if (strcmp(key, "path") == 0)
    return g_strdup(facts_s(vmi_domcaps_path(dc)));
  if (strcmp(key, "uefi_path") == 0)
    return g_strdup(facts_s(vmi_domcaps_find_uefi_path(dc)));
  if (strcmp(key, "loader_values") == 0) {
    g_autoptr(GPtrArray) vals = vmi_domcaps_values(dc, "os/loader");
    return facts_join(vals);
  }
  if (strcmp(key, "tpm_present") == 0)
    return g_strdup(vmi_domcaps_present(dc, "devices/tpm") ? "1" : "0");
  if (g_str_has_prefix(key, "mode_")) {
    g_autofree char *mode = g_strdelimit(g_strdup(key + 5), "_", '-');
    return g_strdup(vmi_domcaps_cpu_mode_supported(dc, mode) ? "1" : "0");
  }
  if (strcmp(key, "cpu_models") == 0) {
    g_autoptr(GPtrArray) models = vmi_domcaps_cpu_models(dc);
    return facts_join(models);
  }
  if (strcmp(key, "video_has_modelType") == 0)
    return g_strdup(vmi_domcaps_has_enum(dc, "devices/video", "modelType") ? "1" : "0");
  if (strcmp(key, "graphics_supported") == 0)
    return g_strdup(vmi_domcaps_supported(dc, "devices/graphics") ? "1" : "0");
  if (strcmp(key, "sev") == 0)
    return g_strdup(vmi_domcaps_supports_sev(dc, FALSE) ? "1" : "0");
  if (strcmp(key, "sev_es") == 0)
    return g_strdup(vmi_domcaps_supports_sev(dc, TRUE) ? "1" : "0");
  return NULL;
}

/* A test path component from free text ('/' would nest paths). */
static G_GNUC_UNUSED char *
facts_name(const char *text)
{
  return g_strdelimit(g_strdup(text), "/ ", '_');
}

G_END_DECLS
