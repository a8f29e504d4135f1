/*
 * Solaris (xVM) install media: which release a medium holds (by its PV
 * kernel and ramdisk), its layout name, the kernel/ramdisk pairs of the
 * 32/64-bit rule, and the Xen disk numbers its boot path names.
 */
#include <string.h>
#include "solaris.h"
#include "error-util.h"

const char *
vmi_solaris_release_name(VmiSolarisRelease release)
{
  switch (release) {
  case VMI_SOLARIS_NEVADA:
    return "nevada";
  case VMI_SOLARIS_OPENSOLARIS:
    return "opensolaris";
  case VMI_SOLARIS_OPENSOLARIS_ARCHIVE:
    return "opensolaris-b128";
  case VMI_SOLARIS_NONE:
    break;
  }
  return "";
}

static gboolean
has(VmiSolarisHasFile has_file, gpointer data, const char *path, gboolean *yes,
    GError **error)
{
  *yes = FALSE;
  return has_file(path, data, yes, error);
}

static gboolean
has_any(VmiSolarisHasFile has_file, gpointer data, const char *a, const char *b,
        gboolean *yes, GError **error)
{
  if (!has(has_file, data, a, yes, error))
    return FALSE;
  if (*yes || !b)
    return TRUE;
  return has(has_file, data, b, yes, error);
}

gboolean
vmi_solaris_detect(VmiSolarisHasFile has_file, gpointer data, VmiSolarisMedia *out,
                   GError **error)
{
  gboolean k = FALSE, r = FALSE;

  memset(out, 0, sizeof(*out));
  /* Nevada keeps its PV kernel under boot/, with the x86.miniroot. */
  if (!has_any(has_file, data, "boot/platform/i86xpv/kernel/unix",
               "boot/platform/i86xpv/kernel/amd64/unix", &k, error) ||
      (k && !has_any(has_file, data, "boot/x86.miniroot", "boot/amd64/x86.miniroot", &r, error)))
    return FALSE;
  if (k && r) {
    out->release = VMI_SOLARIS_NEVADA;
    return TRUE;
  }
  /* OpenSolaris: the kernel at the root, then a boot_archive (b128 on)
   * or the x86.microroot (2009.06 and earlier). */
  if (!has_any(has_file, data, "platform/i86xpv/kernel/unix",
               "platform/i86xpv/kernel/amd64/unix", &k, error))
    return FALSE;
  if (!k)
    return TRUE;
  if (!has_any(has_file, data, "platform/i86pc/boot_archive",
               "platform/i86pc/amd64/boot_archive", &r, error))
    return FALSE;
  if (r) {
    out->release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE;
  } else {
    if (!has_any(has_file, data, "boot/x86.microroot", "boot/amd64/x86.microroot", &r, error))
      return FALSE;
    if (!r)
      return TRUE;
    out->release = VMI_SOLARIS_OPENSOLARIS;
  }
  return has(has_file, data, "auto_install/default.xml", &out->automated_installer, error);
}

char *
vmi_solaris_layout(const VmiSolarisMedia *media)
{
  return g_strdup_printf("solaris-%s%s", vmi_solaris_release_name(media->release),
                         media->automated_installer ? "-ai" : "");
}

VmiSolarisRelease
vmi_solaris_release_of_layout(const char *layout)
{
  for (VmiSolarisRelease r = VMI_SOLARIS_NEVADA; r <= VMI_SOLARIS_OPENSOLARIS_ARCHIVE; r++) {
    g_autofree char *l = g_strdup_printf("solaris-%s", vmi_solaris_release_name(r));
    g_autofree char *ai = g_strdup_printf("%s-ai", l);
    if (g_strcmp0(layout, l) == 0 || g_strcmp0(layout, ai) == 0)
      return r;
  }
  return VMI_SOLARIS_NONE;
}

const char *
vmi_solaris_os_name(VmiSolarisRelease release)
{
  return release == VMI_SOLARIS_OPENSOLARIS ? "opensolaris2009.06" : NULL;
}

gboolean
vmi_solaris_kernel_is_64bit(const char *kernel)
{
  return kernel && strstr(kernel, "/amd64/") != NULL;
}

gboolean
vmi_solaris_use_64bit(gint64 memory_mib, gboolean host_64bit)
{
  return memory_mib >= 1024 && host_64bit;
}

static const VmiSolarisPair pairs_32[][1] = {
  [VMI_SOLARIS_NEVADA] = {
    { "boot/platform/i86xpv/kernel/unix", "boot/x86.miniroot" } },
  [VMI_SOLARIS_OPENSOLARIS] = {
    { "platform/i86xpv/kernel/unix", "boot/x86.microroot" } },
  [VMI_SOLARIS_OPENSOLARIS_ARCHIVE] = {
    { "platform/i86xpv/kernel/unix", "platform/i86pc/boot_archive" } },
};

/* OpenSolaris up to 2009.06 has two 64-bit ramdisk places: the amd64
 * microroot where the medium has one, else the shared x86.microroot. */
static const VmiSolarisPair pairs_64[][2] = {
  [VMI_SOLARIS_NEVADA] = {
    { "boot/platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.miniroot" } },
  [VMI_SOLARIS_OPENSOLARIS] = {
    { "platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.microroot" },
    { "platform/i86xpv/kernel/amd64/unix", "boot/x86.microroot" } },
  [VMI_SOLARIS_OPENSOLARIS_ARCHIVE] = {
    { "platform/i86xpv/kernel/amd64/unix", "platform/i86pc/amd64/boot_archive" } },
};

const VmiSolarisPair *
vmi_solaris_boot_pairs(VmiSolarisRelease release, gboolean use_64bit, guint *n_pairs)
{
  *n_pairs = 0;
  if (release == VMI_SOLARIS_NONE || release > VMI_SOLARIS_OPENSOLARIS_ARCHIVE)
    return NULL;
  if (!use_64bit) {
    *n_pairs = 1;
    return pairs_32[release];
  }
  *n_pairs = release == VMI_SOLARIS_OPENSOLARIS ? 2 : 1;
  return pairs_64[release];
}

gboolean
vmi_solaris_find_boot_files(VmiSolarisHasFile has_file, gpointer data,
                            VmiSolarisRelease release, gboolean use_64bit,
                            const VmiSolarisPair **pair, GError **error)
{
  guint n;
  const VmiSolarisPair *pairs = vmi_solaris_boot_pairs(release, use_64bit, &n);

  for (guint i = 0; i < n; i++) {
    gboolean k, r;
    if (!has(has_file, data, pairs[i].kernel, &k, error) ||
        !has(has_file, data, pairs[i].ramdisk, &r, error))
      return FALSE;
    if (k && r) {
      *pair = &pairs[i];
      return TRUE;
    }
  }
  g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
              "%s media without a %s PV kernel and ramdisk (looked for %s and %s)",
              vmi_solaris_release_name(release), use_64bit ? "64-bit" : "32-bit",
              n ? pairs[0].kernel : "?", n ? pairs[0].ramdisk : "?");
  return FALSE;
}

const char *
vmi_solaris_unix_path(gboolean use_64bit)
{
  return use_64bit ? "/platform/i86xpv/kernel/amd64/unix" : "/platform/i86xpv/kernel/unix";
}

const VmiSolarisPair *
vmi_solaris_installed_pair(gboolean use_64bit)
{
  static const VmiSolarisPair p32 = { "platform/i86xpv/kernel/unix",
                                      "platform/i86pc/boot_archive" };
  static const VmiSolarisPair p64 = { "platform/i86xpv/kernel/amd64/unix",
                                      "platform/i86pc/amd64/boot_archive" };
  return use_64bit ? &p64 : &p32;
}

/* Xen's virtual block device numbers (docs/misc/vbd-interface). */
gint64
vmi_solaris_vdev_number(const char *vdev)
{
  static const struct { const char *prefix; gint64 base; guint max; } schemes[] = {
    { "xvd", 202 << 8, 16 },
    { "sd", 8 << 8, 16 },
  };
  const char *rest;

  if (!vdev)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS(schemes); i++) {
    if (g_str_has_prefix(vdev, schemes[i].prefix)) {
      rest = vdev + strlen(schemes[i].prefix);
      if (strlen(rest) != 1 || rest[0] < 'a' || rest[0] > 'z')
        return -1;
      guint idx = (guint)(rest[0] - 'a');
      if (idx < schemes[i].max)
        return schemes[i].base | (idx << 4);
      if (i == 0)   /* xvd beyond xvdp: the extended scheme */
        return (G_GINT64_CONSTANT(1) << 28) | (idx << 8);
      return -1;
    }
  }
  if (g_str_has_prefix(vdev, "hd") && strlen(vdev) == 3 && vdev[2] >= 'a' && vdev[2] <= 'd') {
    static const gint64 ide[] = { 3 << 8, (3 << 8) | 64, 22 << 8, (22 << 8) | 64 };
    return ide[vdev[2] - 'a'];
  }
  return -1;
}
