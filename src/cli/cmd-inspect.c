/*
 * --inspect-media SRC [--json]: what vminstall finds on install media (an
 * ISO, a directory tree or a URL) without creating anything: the OS, the
 * family and layout, the kernel and initrd it would boot, the other boot
 * options the media offer and the kernel arguments the method needs.
 * Solaris media follow the xVM 32/64-bit rule as an install does: the
 * guest's --memory (1024 MiB, the rule's threshold, when not given) and
 * --arch (this host's when not given) on this host.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "commands.h"
#include "vminstall/error.h"
#include "xmlnode.h"

typedef struct {
  VmiMedia *media;              /* borrowed */
  VmiMediaInfo info;            /* for the guest's arch and hvm */
  const VmiBootPair *chosen;    /* borrowed from info */
  GPtrArray *options;           /* VmiBootPair *, borrowed: every existing pair */
  VmiMediaInfo xen;             /* the same medium for a Xen PV guest */
  char *kernel_args;
} Inspection;

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

static void
add_options(Inspection *in, const VmiMediaInfo *info)
{
  for (guint i = 0; info->pairs && i < info->pairs->len; i++) {
    const VmiBootPair *p = info->pairs->pdata[i];
    gboolean dup = FALSE;

    for (guint j = 0; j < in->options->len && !dup; j++) {
      const VmiBootPair *q = in->options->pdata[j];
      dup = g_str_equal(p->kernel, q->kernel) && g_str_equal(p->initrd, q->initrd);
    }
    if (!dup && vmi_media_has_file(in->media, p->kernel, NULL) &&
        vmi_media_has_file(in->media, p->initrd, NULL))
      g_ptr_array_add(in->options, (gpointer)p);
  }
}

static char *
render_text(const Inspection *in)
{
  GString *out = g_string_new(NULL);
  const VmiIsoInfo *iso = vmi_media_get_iso_info(in->media);
  const VmiMediaInfo *info = &in->info;

  g_string_append_printf(out, "Location:     %s\n", vmi_media_get_location(in->media));
  g_string_append_printf(out, "Kind:         %s\n",
                         vmi_media_kind_name(vmi_media_get_kind(in->media)));
  if (iso) {
    g_string_append_printf(out, "Volume id:    %s\n", iso->volume_id ? iso->volume_id : "");
    if (iso->system_id)
      g_string_append_printf(out, "System id:    %s\n", iso->system_id);
    if (iso->publisher_id)
      g_string_append_printf(out, "Publisher id: %s\n", iso->publisher_id);
    if (iso->application_id)
      g_string_append_printf(out, "Application:  %s\n", iso->application_id);
    g_string_append_printf(out, "El Torito:    %s\n", iso->el_torito ? "yes" : "no");
    g_string_append_printf(out, "Joliet:       %s\n", iso->joliet ? "yes" : "no");
    g_string_append_printf(out, "Rock Ridge:   %s\n", iso->rock_ridge ? "yes" : "no");
  }
  g_string_append_printf(out, "OS:           %s%s%s%s\n", info->os_name ? info->os_name : "unknown",
                         info->os_id ? " (" : "", info->os_id ? info->os_id : "",
                         info->os_id ? ")" : "");
  g_string_append_printf(out, "Family:       %s\n", info->family);
  g_string_append_printf(out, "Layout:       %s\n", info->layout ? info->layout : info->family);
  if (info->version)
    g_string_append_printf(out, "Version:      %s\n", info->version);
  g_string_append_printf(out, "Kernel:       %s\n", in->chosen ? in->chosen->kernel : "(none)");
  g_string_append_printf(out, "Initrd:       %s\n", in->chosen ? in->chosen->initrd : "(none)");
  g_string_append(out, "Boot options:\n");
  for (guint i = 0; i < in->options->len; i++) {
    const VmiBootPair *p = in->options->pdata[i];
    g_string_append_printf(out, "  %-5s %s %s\n", p->label, p->kernel, p->initrd);
  }
  if (in->kernel_args)
    g_string_append_printf(out, "Kernel args:  %s\n", in->kernel_args);
  g_string_append_printf(out, "Network install: %s\n",
                         vmi_media_get_kind(in->media) != VMI_MEDIA_ISO || info->netinst
                         ? "yes" : "no");
  return g_string_free(out, FALSE);
}

static char *
render_json(const Inspection *in)
{
  GString *out = g_string_new("{");
  const VmiIsoInfo *iso = vmi_media_get_iso_info(in->media);
  const VmiMediaInfo *info = &in->info;
  gboolean first = TRUE;

  json_member(out, "location", vmi_media_get_location(in->media), &first);
  json_member(out, "kind", vmi_media_kind_name(vmi_media_get_kind(in->media)), &first);
  g_string_append(out, ",\n  \"iso\": ");
  if (iso) {
    g_string_append(out, "{\"volume_id\": ");
    json_string(out, iso->volume_id);
    g_string_append(out, ", \"system_id\": ");
    json_string(out, iso->system_id);
    g_string_append(out, ", \"publisher_id\": ");
    json_string(out, iso->publisher_id);
    g_string_append(out, ", \"application_id\": ");
    json_string(out, iso->application_id);
    g_string_append_printf(out, ", \"volume_size\": %" G_GINT64_FORMAT
                           ", \"el_torito\": %s, \"joliet\": %s, \"rock_ridge\": %s}",
                           iso->volume_size, iso->el_torito ? "true" : "false",
                           iso->joliet ? "true" : "false", iso->rock_ridge ? "true" : "false");
  } else
    g_string_append(out, "null");
  json_member(out, "os", info->os_name, &first);
  json_member(out, "os_id", info->os_id, &first);
  json_member(out, "family", info->family, &first);
  json_member(out, "layout", info->layout ? info->layout : info->family, &first);
  json_member(out, "version", info->version, &first);
  json_member(out, "kernel", in->chosen ? in->chosen->kernel : NULL, &first);
  json_member(out, "initrd", in->chosen ? in->chosen->initrd : NULL, &first);
  g_string_append(out, ",\n  \"boot_options\": [");
  for (guint i = 0; i < in->options->len; i++) {
    const VmiBootPair *p = in->options->pdata[i];
    g_string_append(out, i ? ", {\"label\": " : "{\"label\": ");
    json_string(out, p->label);
    g_string_append(out, ", \"kernel\": ");
    json_string(out, p->kernel);
    g_string_append(out, ", \"initrd\": ");
    json_string(out, p->initrd);
    g_string_append_c(out, '}');
  }
  g_string_append(out, "]");
  json_member(out, "kernel_args", in->kernel_args, &first);
  g_string_append_printf(out, ",\n  \"network_install\": %s\n}\n",
                         vmi_media_get_kind(in->media) != VMI_MEDIA_ISO || info->netinst
                         ? "true" : "false");
  return g_string_free(out, FALSE);
}

int
cmd_inspect_media(VmiRequest *req)
{
  g_autoptr(VmiMedia) media = NULL;
  g_auto(VmiBootFiles) files = { 0 };
  Inspection in = { 0 };
  VmiMediaOptions opts = { .retries = -1 };
  struct utsname uts;
  const char *arch = req->arch;
  const char *host_arch = NULL;
  g_autofree char *text = NULL;
  g_autoptr(VmiOs) os = NULL;
  GError *error = NULL;
  VmiMediaQuery query = { 0 };
  int rc = 1;

  if (uname(&uts) == 0)
    host_arch = uts.machine;
  if (!arch)
    arch = host_arch;
  query.arch = arch;
  query.os_type = req->paravirt ? "xen" : "hvm";
  query.memory_mib = vmi_node_get_int(vmi_guest_root(req->guest), "memory", 1024 * 1024) / 1024;
  query.host_64bit = vmi_media_can_boot_64bit(host_arch, arch);

  media = vmi_media_open(req->inspect_media, &opts, &error);
  if (!media) {
    g_prefix_error(&error, "--inspect-media: ");
    return cmd_fail(error);
  }
  in.media = media;
  in.options = g_ptr_array_new();
  if (!vmi_media_detect(media, &query, &in.info, &error))
    goto fail;
  if (req->debug)
    for (guint i = 0; i < in.info.notes->len; i++)
      fprintf(stderr, "DEBUG    %s\n", (const char *)in.info.notes->pdata[i]);
  if (!in.info.family) {
    g_set_error(&error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "could not find an installable distribution at '%s'", req->inspect_media);
    goto fail;
  }
  in.chosen = vmi_media_info_find_pair(&in.info, media, &error);
  if (error)
    goto fail;
  if (!in.chosen) {
    g_set_error(&error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "found a %s install tree at '%s' but not its kernel and initrd",
                in.info.family, req->inspect_media);
    goto fail;
  }
  add_options(&in, &in.info);
  query.os_type = g_str_equal(query.os_type, "xen") ? "hvm" : "xen";
  if (!vmi_media_detect(media, &query, &in.xen, &error))
    goto fail;
  add_options(&in, &in.xen);

  /* the method's kernel arguments, as an install would add them */
  if (in.info.os_name)
    os = vmi_os_lookup(in.info.os_name, NULL);
  {
    VmiInstall with_location = req->install;

    with_location.location = req->inspect_media;
    files.media = media;
    in.kernel_args = vmi_media_kernel_args(&with_location, &files,
                                           os ? vmi_os_kernel_url_arg(os) : NULL, NULL);
    files.media = NULL;
  }

  text = req->json ? render_json(&in) : render_text(&in);
  fputs(text, stdout);
  rc = 0;
  goto out;
fail:
  g_prefix_error(&error, "--inspect-media: ");
  rc = cmd_fail(error);
out:
  vmi_media_info_clear(&in.info);
  vmi_media_info_clear(&in.xen);
  g_ptr_array_unref(in.options);
  g_free(in.kernel_args);
  return rc;
}
