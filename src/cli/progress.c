/*
 * The download progress bar on stderr, for the media module's progress
 * reports: drawn only when stderr is a terminal and --quiet is not given.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"

static void
draw(const char *name, gint64 done, gint64 total, gboolean finished, gpointer data)
{
  const int width = 30;
  g_autofree char *have = g_format_size_full(done > 0 ? (guint64)done : 0,
                                              G_FORMAT_SIZE_IEC_UNITS);
  char bar[31];

  cli_busy_output_begin();
  if (total > 0) {
    int fill = (int)(done * width / total);
    memset(bar, ' ', width);
    memset(bar, '=', fill > width ? width : fill < 0 ? 0 : fill);
    bar[width] = '\0';
    fprintf(stderr, "\rRetrieving '%s' %3d%% [%s] %10s", name, (int)(done * 100 / total), bar,
            have);
  } else {
    fprintf(stderr, "\rRetrieving '%s' %10s", name, have);
  }
  if (finished)
    fputc('\n', stderr);
  fflush(stderr);
  cli_busy_output_end();
}

VmiMediaProgress
cli_progress(gboolean quiet)
{
  return !quiet && isatty(STDERR_FILENO) ? draw : NULL;
}
