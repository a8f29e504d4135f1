/*
 * bench/iso-readers.c: "open an ISO, find two files and extract them" with
 * each candidate library, to choose the ISO reader of src/lib/media.
 *
 *   cc -O2 -o iso-readers bench/iso-readers.c \
 *      $(pkg-config --cflags --libs libarchive libiso9660 libisofs-1)
 *   iso-readers archive|cdio|isofs ISO PATH1 PATH2 OUTDIR
 *
 * Prints "LIB bytes_read=N seconds=S" where bytes_read is the growth of
 * rchar in /proc/self/io (every byte the process read with read/pread).
 * bench/media-extract.sh runs it; the numbers are in README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cdio/iso9660.h>
#include <libisofs/libisofs.h>

static long long
rchar(void)
{
  char line[128];
  long long v = -1;
  FILE *f = fopen("/proc/self/io", "r");

  if (!f)
    return -1;
  while (fgets(line, sizeof(line), f))
    if (sscanf(line, "rchar: %lld", &v) == 1)
      break;
  fclose(f);
  return v;
}

static double
now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
open_out(const char *dir, const char *path)
{
  char out[4096];
  const char *base = strrchr(path, '/');

  snprintf(out, sizeof(out), "%s/%s", dir, base ? base + 1 : path);
  return open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

/* ---- libarchive: a stream reader; skips are seeks when a seek callback exists */
struct arc { int fd; char buf[65536]; };

static la_ssize_t
arc_read(struct archive *a, void *data, const void **buf)
{
  struct arc *s = data;
  ssize_t n = read(s->fd, s->buf, sizeof(s->buf));
  *buf = s->buf;
  return n;
}

static la_int64_t
arc_skip(struct archive *a, void *data, la_int64_t req)
{
  struct arc *s = data;
  off_t cur = lseek(s->fd, 0, SEEK_CUR);
  return lseek(s->fd, req, SEEK_CUR) < 0 ? 0 : req + 0 * cur;
}

static la_int64_t
arc_seek(struct archive *a, void *data, la_int64_t off, int whence)
{
  struct arc *s = data;
  return lseek(s->fd, off, whence);
}

static int
run_archive(const char *iso, const char *p1, const char *p2, const char *outdir)
{
  struct archive *a = archive_read_new();
  struct archive_entry *e;
  struct arc s = { .fd = open(iso, O_RDONLY) };
  int found = 0;

  archive_read_support_format_iso9660(a);
  archive_read_set_read_callback(a, arc_read);
  archive_read_set_skip_callback(a, arc_skip);
  archive_read_set_seek_callback(a, arc_seek);
  archive_read_set_callback_data(a, &s);
  if (archive_read_open1(a) != ARCHIVE_OK) {
    fprintf(stderr, "libarchive: %s\n", archive_error_string(a));
    return 1;
  }
  while (found < 2 && archive_read_next_header(a, &e) == ARCHIVE_OK) {
    const char *name = archive_entry_pathname(e);
    if (strcmp(name, p1) == 0 || strcmp(name, p2) == 0) {
      int out = open_out(outdir, name);
      if (archive_read_data_into_fd(a, out) != ARCHIVE_OK)
        return 1;
      close(out);
      found++;
    }
  }
  archive_read_free(a);
  close(s.fd);
  return found == 2 ? 0 : 1;
}

/* ---- libcdio's libiso9660: random access by path */
static int
cdio_extract(iso9660_t *iso, const char *path, const char *outdir)
{
  iso9660_stat_t *st = iso9660_ifs_stat_translate(iso, path);
  static char buf[ISO_BLOCKSIZE * 32];
  int out;

  if (!st)
    return 1;
  out = open_out(outdir, path);
  for (uint32_t left = st->size, lsn = st->lsn; left > 0;) {
    uint32_t blocks = (left + ISO_BLOCKSIZE - 1) / ISO_BLOCKSIZE;
    if (blocks > 32)
      blocks = 32;
    long n = iso9660_iso_seek_read(iso, buf, lsn, blocks);
    if (n <= 0)
      return 1;
    uint32_t len = left < blocks * ISO_BLOCKSIZE ? left : blocks * ISO_BLOCKSIZE;
    if (write(out, buf, len) != (ssize_t)len)
      return 1;
    left -= len;
    lsn += blocks;
  }
  close(out);
  iso9660_stat_free(st);
  return 0;
}

static int
run_cdio(const char *iso_path, const char *p1, const char *p2, const char *outdir)
{
  iso9660_t *iso = iso9660_open_ext(iso_path, ISO_EXTENSION_ALL);
  int rc;

  if (!iso)
    return 1;
  rc = cdio_extract(iso, p1, outdir) || cdio_extract(iso, p2, outdir);
  iso9660_close(iso);
  return rc;
}

/* ---- libisofs: imports the whole directory tree, then streams by node */
static int
isofs_extract(IsoImage *image, const char *path, const char *outdir)
{
  char abs[4096];
  IsoNode *node;
  IsoStream *stream;
  static char buf[65536];
  int out, n;

  snprintf(abs, sizeof(abs), "/%s", path);
  if (iso_tree_path_to_node(image, abs, &node) != 1 || iso_node_get_type(node) != LIBISO_FILE)
    return 1;
  stream = iso_file_get_stream((IsoFile *)node);
  if (iso_stream_open(stream) < 0)
    return 1;
  out = open_out(outdir, path);
  while ((n = iso_stream_read(stream, buf, sizeof(buf))) > 0)
    if (write(out, buf, n) != n)
      return 1;
  iso_stream_close(stream);
  close(out);
  return n < 0;
}

static int
run_isofs(const char *iso_path, const char *p1, const char *p2, const char *outdir)
{
  IsoDataSource *src;
  IsoReadOpts *opts;
  IsoImage *image;
  IsoReadImageFeatures *features;
  int rc;

  iso_init();
  if (iso_data_source_new_from_file(iso_path, &src) < 0 || iso_read_opts_new(&opts, 0) < 0 ||
      iso_image_new("x", &image) < 0)
    return 1;
  if (iso_image_import(image, src, opts, &features) < 0)
    return 1;
  rc = isofs_extract(image, p1, outdir) || isofs_extract(image, p2, outdir);
  iso_read_image_features_destroy(features);
  iso_read_opts_free(opts);
  iso_image_unref(image);
  iso_data_source_unref(src);
  iso_finish();
  return rc;
}

int
main(int argc, char **argv)
{
  long long before;
  double t0;
  int rc;

  if (argc != 6) {
    fprintf(stderr, "usage: %s archive|cdio|isofs ISO PATH1 PATH2 OUTDIR\n", argv[0]);
    return 2;
  }
  before = rchar();
  t0 = now();
  if (strcmp(argv[1], "archive") == 0)
    rc = run_archive(argv[2], argv[3], argv[4], argv[5]);
  else if (strcmp(argv[1], "cdio") == 0)
    rc = run_cdio(argv[2], argv[3], argv[4], argv[5]);
  else if (strcmp(argv[1], "isofs") == 0)
    rc = run_isofs(argv[2], argv[3], argv[4], argv[5]);
  else
    return 2;
  printf("%s bytes_read=%lld seconds=%.4f%s\n", argv[1], rchar() - before, now() - t0,
         rc ? " FAILED" : "");
  return rc;
}
