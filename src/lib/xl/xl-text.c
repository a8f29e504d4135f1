/*
 * Values in xl files: control characters refused, strings quoted and
 * escaped the way libxlutil's parser reads them, Xen virtual device names.
 */
#include <string.h>
#include "xl-private.h"
#include "vminstall/error.h"

gboolean
xl_check_text(const char *what, const char *value, GError **error)
{
  for (const unsigned char *p = (const unsigned char *)value; p && *p; p++) {
    if (*p < 0x20 || *p == 0x7f) {
      g_autofree char *shown = g_strescape(value, NULL);
      g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                  "xl: %s \"%s\" contains a control character (\\%03o), "
                  "which an xl config cannot hold", what, shown, *p);
      return FALSE;
    }
  }
  return TRUE;
}

void
xl_append_string(GString *out, const char *value)
{
  g_string_append_c(out, '"');
  for (const char *p = value; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c(out, '\\');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}

gboolean
xl_vdev_parse(const char *vdev, const char **scheme, guint *index)
{
  static const char *const schemes[] = { "xvd", "hd", "sd", NULL };
  const char *letters = NULL;
  guint idx = 0;
  size_t n;

  if (!vdev)
    return FALSE;
  for (guint i = 0; schemes[i]; i++) {
    if (g_str_has_prefix(vdev, schemes[i])) {
      *scheme = schemes[i];
      letters = vdev + strlen(schemes[i]);
      break;
    }
  }
  n = letters ? strlen(letters) : 0;
  if (n == 0 || n > 2)
    return FALSE;
  /* a..z, then aa..zz: bijective base 26, as Xen and libvirt count */
  for (size_t i = 0; i < n; i++) {
    if (letters[i] < 'a' || letters[i] > 'z')
      return FALSE;
    idx = idx * 26 + (guint)(letters[i] - 'a' + 1);
  }
  *index = idx - 1;
  return TRUE;
}

guint
xl_vdev_scheme_limit(const char *scheme)
{
  if (strcmp(scheme, "hd") == 0)
    return 4;    /* hda..hdd: two emulated IDE buses, two devices each */
  if (strcmp(scheme, "sd") == 0)
    return 16;   /* sda..sdp */
  return 702;    /* xvda..xvdzz */
}
