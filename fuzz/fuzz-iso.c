/*
 * libFuzzer target: ISO 9660 images (src/lib/media/source-iso.c and
 * iso-info.c, i.e. libarchive's reader and our volume descriptors), then
 * detection and extraction on what opened.  Any image must open or be
 * refused with an error, never crash, never make us read outside it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  int fd = memfd_create("fuzz-iso", MFD_CLOEXEC);
  char path[64];
  GError *error = NULL;
  VmiMedia *media;

  if (fd < 0)
    return 0;
  if (write(fd, data, size) != (ssize_t)size) {
    close(fd);
    return 0;
  }
  snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
  media = vmi_media_open(path, NULL, &error);
  if (!media) {
    g_assert(error != NULL);
    g_error_free(error);
  } else {
    VmiMediaQuery query = { .arch = "x86_64", .os_type = "hvm" };
    VmiMediaInfo info;

    if (vmi_media_detect(media, &query, &info, &error)) {
      const VmiBootPair *pair = vmi_media_info_find_pair(&info, media, &error);
      if (pair) {
        int out[2] = { open("/dev/null", O_WRONLY | O_CLOEXEC),
                       open("/dev/null", O_WRONLY | O_CLOEXEC) };
        const char *paths[2] = { pair->kernel, pair->initrd };
        if (!vmi_media_extract(media, paths, out, 2, &error))
          g_clear_error(&error);
        close(out[0]);
        close(out[1]);
      }
      g_clear_error(&error);
      vmi_media_info_clear(&info);
    } else {
      g_clear_error(&error);
    }
    vmi_media_free(media);
  }
  close(fd);
  return 0;
}
