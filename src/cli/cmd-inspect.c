/*
 * --inspect-media SRC [--json]: what the installer finds on install media
 * (an ISO, a directory tree or a URL) without creating anything, printed
 * as text or JSON.
 */
#include <stdio.h>
#include "commands.h"

/* A JSON string: quotes, backslashes and control characters escaped,
 * invalid UTF-8 replaced. */
static void
json_string(GString *out, const char *s)
{
  g_autofree char *valid = NULL;

  if (!s) {
    g_string_append(out, "null");
    return;
  }
  valid = g_utf8_make_valid(s, -1);
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *)valid; *p; p++) {
    switch (*p) {
    case '"': g_string_append(out, "\\\""); break;
    case '\\': g_string_append(out, "\\\\"); break;
    case '\n': g_string_append(out, "\\n"); break;
    case '\r': g_string_append(out, "\\r"); break;
    case '\t': g_string_append(out, "\\t"); break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf(out, "\\u%04x", *p);
      else
        g_string_append_c(out, (char)*p);
    }
  }
  g_string_append_c(out, '"');
}

static void
json_member(GString *out, const char *key, const char *value, gboolean *first)
{
  g_string_append(out, *first ? "\n  " : ",\n  ");
  *first = FALSE;
  json_string(out, key);
  g_string_append(out, ": ");
  json_string(out, value);
}

/* A text field of @r. */
static const char *
get(const VmiMediaReport *r, VmiMediaField field)
{
  return vmi_media_report_get(r, field);
}

static const char *
yes_no(gboolean b)
{
  return b ? "yes" : "no";
}

static char *
render_text(const VmiMediaReport *r)
{
  GString *out = g_string_new(NULL);
  const char *os = get(r, VMI_MEDIA_OS);
  const char *os_id = get(r, VMI_MEDIA_OS_ID);
  const char *kernel = get(r, VMI_MEDIA_KERNEL);
  const char *initrd = get(r, VMI_MEDIA_INITRD);

  g_string_append_printf(out, "Location:     %s\n", get(r, VMI_MEDIA_LOCATION));
  g_string_append_printf(out, "Kind:         %s\n", get(r, VMI_MEDIA_KIND));
  if (vmi_media_report_has(r, VMI_MEDIA_IS_ISO)) {
    const char *volume = get(r, VMI_MEDIA_VOLUME_ID);

    g_string_append_printf(out, "Volume id:    %s\n", volume ? volume : "");
    if (get(r, VMI_MEDIA_SYSTEM_ID))
      g_string_append_printf(out, "System id:    %s\n", get(r, VMI_MEDIA_SYSTEM_ID));
    if (get(r, VMI_MEDIA_PUBLISHER_ID))
      g_string_append_printf(out, "Publisher id: %s\n", get(r, VMI_MEDIA_PUBLISHER_ID));
    if (get(r, VMI_MEDIA_APPLICATION_ID))
      g_string_append_printf(out, "Application:  %s\n", get(r, VMI_MEDIA_APPLICATION_ID));
    g_string_append_printf(out, "El Torito:    %s\n",
                           yes_no(vmi_media_report_has(r, VMI_MEDIA_EL_TORITO)));
    g_string_append_printf(out, "Joliet:       %s\n",
                           yes_no(vmi_media_report_has(r, VMI_MEDIA_JOLIET)));
    g_string_append_printf(out, "Rock Ridge:   %s\n",
                           yes_no(vmi_media_report_has(r, VMI_MEDIA_ROCK_RIDGE)));
  }
  g_string_append_printf(out, "OS:           %s%s%s%s\n", os ? os : "unknown",
                         os_id ? " (" : "", os_id ? os_id : "", os_id ? ")" : "");
  g_string_append_printf(out, "Family:       %s\n", get(r, VMI_MEDIA_FAMILY));
  g_string_append_printf(out, "Layout:       %s\n", get(r, VMI_MEDIA_LAYOUT));
  if (get(r, VMI_MEDIA_VERSION))
    g_string_append_printf(out, "Version:      %s\n", get(r, VMI_MEDIA_VERSION));
  g_string_append_printf(out, "Kernel:       %s\n", kernel ? kernel : "(none)");
  g_string_append_printf(out, "Initrd:       %s\n", initrd ? initrd : "(none)");
  g_string_append(out, "Boot options:\n");
  for (guint i = 0; i < vmi_media_report_n_boot_options(r); i++) {
    const char *label, *k, *in;

    vmi_media_report_boot_option(r, i, &label, &k, &in);
    g_string_append_printf(out, "  %-5s %s %s\n", label, k, in);
  }
  if (get(r, VMI_MEDIA_KERNEL_ARGS))
    g_string_append_printf(out, "Kernel args:  %s\n", get(r, VMI_MEDIA_KERNEL_ARGS));
  g_string_append_printf(out, "Network install: %s\n",
                         yes_no(vmi_media_report_has(r, VMI_MEDIA_NETWORK_INSTALL)));
  return g_string_free(out, FALSE);
}

static const char *
json_bool(gboolean b)
{
  return b ? "true" : "false";
}

static char *
render_json(const VmiMediaReport *r)
{
  GString *out = g_string_new("{");
  gboolean first = TRUE;

  json_member(out, "location", get(r, VMI_MEDIA_LOCATION), &first);
  json_member(out, "kind", get(r, VMI_MEDIA_KIND), &first);
  g_string_append(out, ",\n  \"iso\": ");
  if (vmi_media_report_has(r, VMI_MEDIA_IS_ISO)) {
    g_string_append(out, "{\"volume_id\": ");
    json_string(out, get(r, VMI_MEDIA_VOLUME_ID));
    g_string_append(out, ", \"system_id\": ");
    json_string(out, get(r, VMI_MEDIA_SYSTEM_ID));
    g_string_append(out, ", \"publisher_id\": ");
    json_string(out, get(r, VMI_MEDIA_PUBLISHER_ID));
    g_string_append(out, ", \"application_id\": ");
    json_string(out, get(r, VMI_MEDIA_APPLICATION_ID));
    g_string_append_printf(out, ", \"volume_size\": %" G_GINT64_FORMAT
                           ", \"el_torito\": %s, \"joliet\": %s, \"rock_ridge\": %s}",
                           vmi_media_report_volume_size(r),
                           json_bool(vmi_media_report_has(r, VMI_MEDIA_EL_TORITO)),
                           json_bool(vmi_media_report_has(r, VMI_MEDIA_JOLIET)),
                           json_bool(vmi_media_report_has(r, VMI_MEDIA_ROCK_RIDGE)));
  } else
    g_string_append(out, "null");
  json_member(out, "os", get(r, VMI_MEDIA_OS), &first);
  json_member(out, "os_id", get(r, VMI_MEDIA_OS_ID), &first);
  json_member(out, "family", get(r, VMI_MEDIA_FAMILY), &first);
  json_member(out, "layout", get(r, VMI_MEDIA_LAYOUT), &first);
  json_member(out, "version", get(r, VMI_MEDIA_VERSION), &first);
  json_member(out, "kernel", get(r, VMI_MEDIA_KERNEL), &first);
  json_member(out, "initrd", get(r, VMI_MEDIA_INITRD), &first);
  g_string_append(out, ",\n  \"boot_options\": [");
  for (guint i = 0; i < vmi_media_report_n_boot_options(r); i++) {
    const char *label, *kernel, *initrd;

    vmi_media_report_boot_option(r, i, &label, &kernel, &initrd);
    g_string_append(out, i ? ", {\"label\": " : "{\"label\": ");
    json_string(out, label);
    g_string_append(out, ", \"kernel\": ");
    json_string(out, kernel);
    g_string_append(out, ", \"initrd\": ");
    json_string(out, initrd);
    g_string_append_c(out, '}');
  }
  g_string_append(out, "]");
  json_member(out, "kernel_args", get(r, VMI_MEDIA_KERNEL_ARGS), &first);
  g_string_append_printf(out, ",\n  \"network_install\": %s\n}\n",
                         json_bool(vmi_media_report_has(r, VMI_MEDIA_NETWORK_INSTALL)));
  return g_string_free(out, FALSE);
}

static void
debug_note(const char *line, gpointer data)
{
  fprintf(stderr, "DEBUG    %s\n", line);
}

int
cmd_inspect_media(VmiInstaller *inst, const CliModes *modes)
{
  g_autoptr(VmiMediaReport) report = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  if (modes->debug)
    vmi_installer_set_debug(inst, debug_note, NULL);
  report = vmi_installer_inspect_media(inst, modes->inspect_media, &error);
  if (!report)
    return cmd_fail(error);
  text = modes->json ? render_json(report) : render_text(report);
  fputs(text, stdout);
  return 0;
}
