/*
 * Small ISO images written with libisofs: the cloud-init seed (CIDATA)
 * and the unattended-install script cdrom.  libisofs hands out a
 * burn_source whose read_xt produces the image 2048 bytes at a time; no
 * libburn is needed to write it to a file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lazy-libs.h"
#include "cloudinit.h"
#include "vminstall/error.h"

/* libisofs, loaded by isofs_start */
static const VmiIsofsFuncs *F;
static gsize iso_ready;

static gboolean
isofs_start(GError **error)
{
  if (!(F = vmi_isofs(error)))
    return FALSE;
  if (g_once_init_enter(&iso_ready)) {
    gsize ok = F->iso_init() >= 0 ? 2 : 1;
    /* Library code never prints: keep libisofs' messages out of stderr;
     * failures come back as return codes. */
    if (ok == 2)
      F->iso_set_msgs_severities("NEVER", "NEVER", "vminstall : ");
    g_once_init_leave(&iso_ready, ok);
  }
  if (iso_ready != 2) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_FAILED,
                        "cannot initialise libisofs to write an ISO image");
    return FALSE;
  }
  return TRUE;
}

static gboolean
seed_failed(int code, const char *what, GError **error)
{
  g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write the ISO image (%s): %s", what,
              F->iso_error_to_msg(code));
  return FALSE;
}

static gboolean
write_all(int fd, const unsigned char *buf, gsize len)
{
  while (len) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    buf += n;
    len -= (gsize)n;
  }
  return TRUE;
}

/* Builds the image tree; the files' bytes are copied into it. */
static gboolean
fill_root(IsoImage *image, const VmiIsoFile *files, guint n, GError **error)
{
  IsoDir *root = F->iso_image_get_root(image);

  for (guint i = 0; i < n; i++) {
    IsoStream *stream = NULL;
    IsoFile *file = NULL;
    unsigned char *copy = malloc(files[i].len ? files[i].len : 1);
    int r;

    if (!copy)
      return seed_failed(ISO_OUT_OF_MEM, files[i].name, error);
    if (files[i].len)
      memcpy(copy, files[i].data, files[i].len);
    /* the stream owns @copy from here on, even when this fails */
    r = F->iso_memory_stream_new(copy, files[i].len, &stream);
    if (r < 0)
      return seed_failed(r, files[i].name, error);
    /* the new file takes over our reference to the stream */
    r = F->iso_tree_add_new_file(root, files[i].name, stream, &file);
    if (r < 0) {
      F->iso_stream_unref(stream);
      return seed_failed(r, files[i].name, error);
    }
  }
  return TRUE;
}

gboolean
vmi_iso_write(int fd, const char *volume_id, const VmiIsoFile *files, guint n, GError **error)
{
  IsoImage *image = NULL;
  IsoWriteOpts *opts = NULL;
  struct burn_source *src = NULL;
  unsigned char buf[2048];
  gboolean ok = FALSE;
  int r;

  if (!isofs_start(error))
    return FALSE;
  r = F->iso_image_new(volume_id, &image);
  if (r < 0)
    return seed_failed(r, "new image", error);
  F->iso_image_set_volume_id(image, volume_id);
  if (!fill_root(image, files, n, error))
    goto out;

  /* profile 1: Rock Ridge; plus Joliet (Windows reads Joliet names) */
  r = F->iso_write_opts_new(&opts, 1);
  if (r < 0) {
    seed_failed(r, "options", error);
    goto out;
  }
  F->iso_write_opts_set_joliet(opts, 1);
  /* -rational-rock: owner root, read-only for everyone */
  F->iso_write_opts_set_replace_mode(opts, 1, 1, 1, 1);
  F->iso_write_opts_set_default_dir_mode(opts, 0555);
  F->iso_write_opts_set_default_file_mode(opts, 0444);
  F->iso_write_opts_set_default_uid(opts, 0);
  F->iso_write_opts_set_default_gid(opts, 0);
  F->iso_write_opts_set_always_gmt(opts, 1);

  r = F->iso_image_create_burn_source(image, opts, &src);
  if (r < 0) {
    seed_failed(r, "starting", error);
    goto out;
  }
  for (;;) {
    int got = src->read_xt(src, buf, sizeof(buf));
    if (got == 0)
      break;
    if (got < 0) {
      g_set_error_literal(error, VMI_ERROR, VMI_ERROR_FAILED,
                          "cannot write the ISO image: libisofs failed while producing it");
      src->cancel(src);
      goto out;
    }
    if (!write_all(fd, buf, (gsize)got)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write the ISO image: %s",
                  g_strerror(errno));
      src->cancel(src);
      goto out;
    }
  }
  ok = TRUE;
out:
  if (src) {
    /* what libburn's burn_source_free would do */
    src->free_data(src);
    free(src);
  }
  if (opts)
    F->iso_write_opts_free(opts);
  F->iso_image_unref(image);
  return ok;
}
