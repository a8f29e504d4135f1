/*
 * libFuzzer target: directory trees (src/lib/media/source-dir.c) and the
 * distribution detection over them (detect.c: .treeinfo, SUSE content,
 * Debian MANIFEST, .disk/info, VERSION ...).
 *
 * The input describes a tree: NUL-separated triples TYPE, PATH, DATA where
 * TYPE 'd' makes the directory PATH, 'f' the file PATH holding DATA and
 * 'l' a symbolic link PATH -> DATA (any target: links out of the tree and
 * loops are the point).  PATHs stay inside a fresh temporary directory.
 * Whatever the tree, detection must answer or fail with an error and
 * never read outside the tree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st; (void)flag; (void)ftw;
  return remove(path) != 0 && errno != ENOENT;
}

/* No record may write through a symbolic link made by an earlier one
 * (a link to / must not let the fuzzer write host files). */
static gboolean
through_link(const char *root, const char *rel)
{
  g_auto(GStrv) parts = g_strsplit(rel, "/", -1);
  g_autoptr(GString) cur = g_string_new(root);

  for (char **c = parts; *c && c[1]; c++) {
    struct stat st;
    g_string_append_printf(cur, "/%s", *c);
    if (lstat(cur->str, &st) == 0 && S_ISLNK(st.st_mode))
      return TRUE;
  }
  return FALSE;
}

static gboolean
safe_relative(const char *p)
{
  if (!*p || p[0] == '/' || strlen(p) > 200)
    return FALSE;
  g_auto(GStrv) parts = g_strsplit(p, "/", -1);
  for (char **c = parts; *c; c++)
    if (strcmp(*c, "..") == 0)
      return FALSE;
  return TRUE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char root[] = "/tmp/vmi-fuzz-tree-XXXXXX";
  const char *p = (const char *)data, *end = p + size;
  GError *error = NULL;
  VmiMedia *media;

  if (!mkdtemp(root))
    return 0;
  for (int records = 0; p < end && records < 64; records++) {
    const char *fields[3];
    size_t lens[3];
    for (int i = 0; i < 3; i++) {
      const char *z = memchr(p, '\0', (size_t)(end - p));
      fields[i] = p;
      lens[i] = z ? (size_t)(z - p) : (size_t)(end - p);
      p = z ? z + 1 : end;
    }
    g_autofree char *rel = g_strndup(fields[1], lens[1]);
    g_autofree char *value = g_strndup(fields[2], lens[2]);
    g_autofree char *full = NULL;
    g_autofree char *dir = NULL;
    if (lens[0] < 1 || !safe_relative(rel) || strlen(rel) != lens[1] ||
        through_link(root, rel))
      continue;
    full = g_build_filename(root, rel, NULL);
    dir = g_path_get_dirname(full);
    g_mkdir_with_parents(dir, 0755);
    switch (fields[0][0]) {
    case 'd': {
      struct stat st;
      if (lstat(full, &st) != 0)
        mkdir(full, 0755);
      break;
    }
    case 'f':
      g_file_set_contents(full, fields[2], (gssize)lens[2], NULL);
      break;
    case 'l':
      if (symlink(value, full) != 0)
        break;
      break;
    }
  }

  media = vmi_media_open(root, NULL, &error);
  if (!media) {
    g_clear_error(&error);
  } else {
    for (int xen = 0; xen < 2; xen++) {
      VmiMediaQuery query = { .arch = xen ? "i686" : "x86_64", .os_type = xen ? "xen" : "hvm" };
      VmiMediaInfo info;
      if (!vmi_media_detect(media, &query, &info, &error)) {
        g_clear_error(&error);
        continue;
      }
      const VmiBootPair *pair = vmi_media_info_find_pair(&info, media, &error);
      g_clear_error(&error);
      if (pair) {
        int out[2] = { open("/dev/null", O_WRONLY | O_CLOEXEC),
                       open("/dev/null", O_WRONLY | O_CLOEXEC) };
        const char *paths[2] = { pair->kernel, pair->initrd };
        if (!vmi_media_extract(media, paths, out, 2, &error))
          g_clear_error(&error);
        close(out[0]);
        close(out[1]);
      }
      vmi_media_info_clear(&info);
    }
    vmi_media_free(media);
  }
  nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  return 0;
}
