/*
 * An install tree behind a URL (http, https, ftp), fetched with libcurl:
 * redirects followed up to a bound, a timeout for connecting and for a
 * transfer that stalls, a few retries of transient failures, progress
 * reports to the caller (the tool draws a bar).  A missing file (HTTP 404/410, FTP 550) is an
 * answer, not an error: detection probes files that may not exist.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curl/curl.h>
#include "media-private.h"
#include "vminstall/error.h"

#define MAX_REDIRS 10
#define DEFAULT_TIMEOUT 30
#define DEFAULT_RETRIES 2

typedef struct {
  CURL *curl;
  char *base;          /* ends with '/' */
  int timeout;
  int retries;
  char errbuf[CURL_ERROR_SIZE];
} UrlSource;

typedef struct {
  VmiMedia *media;
  int fd;              /* -1: into @mem */
  GByteArray *mem;
  gsize max;
  gboolean too_big;
  gboolean write_failed;
  int write_errno;
  guint64 received;
  /* progress reports */
  VmiMediaProgress progress;
  gpointer progress_data;
  const char *name;
  gint64 last_report;
  gint64 first_call;   /* of on_progress: a server that sends nothing yet
                        * is reported after a while too */
  gint64 total;
} Transfer;

static int
env_int(const char *name, int fallback)
{
  const char *v = g_getenv(name);
  char *end;
  long n;

  if (!v || !*v)
    return fallback;
  n = strtol(v, &end, 10);
  return *end || n < 0 || n > 3600 ? fallback : (int)n;
}

static void
url_free(gpointer priv)
{
  UrlSource *u = priv;

  if (u->curl)
    curl_easy_cleanup(u->curl);
  g_free(u->base);
  g_free(u);
}

static char *
full_url(UrlSource *u, const char *path)
{
  g_autofree char *escaped = g_uri_escape_string(path, "/", FALSE);

  return g_strconcat(u->base, escaped, NULL);
}

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  Transfer *t = userdata;
  size_t len = size * nmemb;

  t->received += len;
  t->media->bytes_read += len;
  if (t->fd >= 0) {
    if (!vmi_media_write_all(t->fd, ptr, len)) {
      t->write_failed = TRUE;
      t->write_errno = errno;
      return 0;
    }
    return len;
  }
  if (!t->mem)
    return len; /* a HEAD: FTP servers' answers come as data (size, date) */
  if (t->mem->len + len > t->max) {
    t->too_big = TRUE;
    return 0;
  }
  g_byte_array_append(t->mem, (const guint8 *)ptr, (guint)len);
  return len;
}

static int
on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
            curl_off_t ulnow)
{
  Transfer *t = userdata;
  gint64 now = g_get_monotonic_time();

  t->total = dltotal > 0 ? dltotal : -1;
  if (!t->first_call)
    t->first_call = now;
  if (t->progress && (dlnow > 0 || now - t->first_call > 2 * G_USEC_PER_SEC) &&
      now - t->last_report > 100000) {
    t->last_report = now;
    t->progress(t->name, dlnow, t->total, FALSE, t->progress_data);
  }
  return 0;
}

static void
setup(UrlSource *u, const char *url, gboolean head)
{
  CURL *c = u->curl;
  const char *ca;

  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)MAX_REDIRS);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)u->timeout);
  /* a transfer that delivers nothing for @timeout seconds has stalled */
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)u->timeout);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "vminstall");
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, u->errbuf);
  curl_easy_setopt(c, CURLOPT_NOBODY, head ? 1L : 0L);
  /* A private mirror's CA, the way curl(1) and Python's requests take it;
   * otherwise the system's trust store. */
  ca = g_getenv("CURL_CA_BUNDLE");
  if (!ca || !*ca)
    ca = g_getenv("SSL_CERT_FILE");
  if (ca && *ca)
    curl_easy_setopt(c, CURLOPT_CAINFO, ca);
  u->errbuf[0] = '\0';
}

typedef enum {
  FETCH_OK,
  FETCH_MISSING,   /* 404, 410, FTP "no such file" */
  FETCH_FAILED,    /* @error set */
} FetchResult;

static gboolean
transient(CURLcode rc, long status)
{
  switch (rc) {
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_PARTIAL_FILE:
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_GOT_NOTHING:
    return TRUE;
  case CURLE_OK:
    return status == 500 || status == 502 || status == 503 || status == 504;
  default:
    return FALSE;
  }
}

static void
describe_failure(VmiMedia *media, UrlSource *u, const char *url, CURLcode rc, long status,
                 Transfer *t, GError **error)
{
  const char *detail = u->errbuf[0] ? u->errbuf : curl_easy_strerror(rc);

  if (rc == CURLE_OK)
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot fetch '%s': HTTP error %ld", url,
                status);
  else if (rc == CURLE_TOO_MANY_REDIRECTS)
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "cannot fetch '%s': more than %d redirects (a redirect loop?)", url,
                MAX_REDIRS);
  else if (rc == CURLE_OPERATION_TIMEDOUT)
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "cannot fetch '%s': the server sent nothing for %d seconds (%s)", url,
                u->timeout, detail);
  else if (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING)
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "cannot fetch '%s': the server closed the connection after %" G_GUINT64_FORMAT
                " bytes (%s)", url, t->received, detail);
  else if (rc == CURLE_WRITE_ERROR && t->too_big)
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "cannot fetch '%s': larger than %"
                G_GSIZE_FORMAT " bytes, which is not what an install tree holds there",
                url, t->max);
  else if (rc == CURLE_WRITE_ERROR && t->write_failed)
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot save '%s': %s", url,
                g_strerror(t->write_errno));
  else if (rc == CURLE_HTTP_RETURNED_ERROR)
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot fetch '%s': HTTP error %ld", url,
                status);
  else
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot fetch '%s': %s", url, detail);
}

/* GET (or HEAD with @t NULL) @path; retries transient failures. */
static FetchResult
fetch(VmiMedia *media, const char *path, Transfer *t, gint64 *size, GError **error)
{
  UrlSource *u = media->priv;
  g_autofree char *url = full_url(u, path);
  Transfer head = { .media = media, .fd = -1 };
  Transfer *x = t ? t : &head;

  for (int attempt = 0;; attempt++) {
    CURLcode rc;
    long status = 0;
    curl_off_t length = -1;

    setup(u, url, t == NULL);
    x->received = 0;
    x->too_big = x->write_failed = FALSE;
    if (x->mem)
      g_byte_array_set_size(x->mem, 0);
    if (x->fd >= 0 && (lseek(x->fd, 0, SEEK_SET) < 0 || ftruncate(x->fd, 0) < 0)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot save '%s': %s", url,
                  g_strerror(errno));
      return FETCH_FAILED;
    }
    curl_easy_setopt(u->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(u->curl, CURLOPT_WRITEDATA, x);
    if (t && t->progress) {
      curl_easy_setopt(u->curl, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(u->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
      curl_easy_setopt(u->curl, CURLOPT_XFERINFODATA, x);
    }
    rc = curl_easy_perform(u->curl);
    curl_easy_getinfo(u->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(u->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (t && t->progress && t->last_report)
      t->progress(t->name, (gint64)t->received, length > 0 ? length : -1, TRUE,
                  t->progress_data);

    /* FTP: a directory on the path that cannot be entered (CWD refused)
     * is as missing as the file */
    if (rc == CURLE_REMOTE_FILE_NOT_FOUND || status == 404 || status == 410 ||
        (rc == CURLE_REMOTE_ACCESS_DENIED && g_str_has_prefix(url, "ftp:")) ||
        (rc == CURLE_HTTP_RETURNED_ERROR && (status == 404 || status == 410)))
      return FETCH_MISSING;
    if (rc == CURLE_OK && (status < 400 || g_str_has_prefix(url, "ftp:"))) {
      if (size)
        *size = length;
      return FETCH_OK;
    }
    if (attempt < u->retries && transient(rc, status) && !x->too_big) {
      g_usleep(G_USEC_PER_SEC / 2 * (attempt + 1));
      continue;
    }
    describe_failure(media, u, url, rc, status, x, error);
    return FETCH_FAILED;
  }
}

static gboolean
url_stat(VmiMedia *media, const char *path, VmiEntryStat *st, GError **error)
{
  gint64 size = -1;

  switch (fetch(media, path, NULL, &size, error)) {
  case FETCH_OK:
    /* a server cannot tell files from directories over HEAD; the
     * paths asked for are files */
    st->type = VMI_ENTRY_FILE;
    st->size = size;
    return TRUE;
  case FETCH_MISSING:
    return TRUE;
  case FETCH_FAILED:
    break;
  }
  return FALSE;
}

static char *
url_read(VmiMedia *media, const char *path, gsize max, gsize *len, GError **error)
{
  g_autoptr(GByteArray) mem = g_byte_array_new();
  Transfer t = { .media = media, .fd = -1, .mem = mem, .max = max };

  switch (fetch(media, path, &t, NULL, error)) {
  case FETCH_OK:
    *len = mem->len;
    g_byte_array_append(mem, (const guint8 *)"", 1);
    return (char *)g_byte_array_free(g_steal_pointer(&mem), FALSE);
  case FETCH_MISSING:
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "'%s' has no file '%s'",
                media->location, path);
    return NULL;
  case FETCH_FAILED:
    break;
  }
  return NULL;
}

static gboolean
url_extract(VmiMedia *media, const char *const *paths, const int *fds, guint n,
            GError **error)
{
  for (guint i = 0; i < n; i++) {
    g_autofree char *name = g_path_get_basename(paths[i]);
    Transfer t = {
      .media = media,
      .fd = fds[i],
      .progress = media->opts.progress,
      .progress_data = media->opts.progress_data,
      .name = name,
    };

    switch (fetch(media, paths[i], &t, NULL, error)) {
    case FETCH_OK:
      if (t.received > (guint64)VMI_MEDIA_MAX_BOOT_FILE) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                    "'%s' in '%s' is too large for an installer kernel or initrd",
                    paths[i], media->location);
        return FALSE;
      }
      break;
    case FETCH_MISSING:
      g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "'%s' has no file '%s' (HTTP 404)",
                  media->location, paths[i]);
      return FALSE;
    case FETCH_FAILED:
      return FALSE;
    }
  }
  return TRUE;
}

static const VmiMediaOps url_ops = {
  .stat = url_stat,
  .read = url_read,
  .extract = url_extract,
  .free = url_free,
};

static gsize
init_curl(gpointer unused)
{
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 2 : 1;
}

gboolean
vmi_media_url_open(VmiMedia *media, const char *url, GError **error)
{
  static gsize once = 0;
  UrlSource *u;

  if (g_once_init_enter(&once))
    g_once_init_leave(&once, init_curl(NULL));
  media->location = g_str_has_suffix(url, "/") ? g_strdup(url) : g_strconcat(url, "/", NULL);
  if (once != 2) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot initialise libcurl");
    return FALSE;
  }
  u = g_new0(UrlSource, 1);
  u->base = g_strdup(media->location);
  u->timeout = media->opts.timeout > 0 ? media->opts.timeout
                                       : env_int("VMINSTALL_URL_TIMEOUT", DEFAULT_TIMEOUT);
  if (u->timeout == 0)
    u->timeout = DEFAULT_TIMEOUT;
  u->retries = media->opts.retries >= 0 ? media->opts.retries
                                        : env_int("VMINSTALL_URL_RETRIES", DEFAULT_RETRIES);
  u->curl = curl_easy_init();
  media->ops = &url_ops;
  media->priv = u;
  if (!u->curl) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot initialise libcurl");
    return FALSE;
  }
  return TRUE;
}

gboolean
vmi_media_url_accessible(VmiMedia *media)
{
  UrlSource *u = media->priv;
  CURLcode rc;
  long status = 0;

  if (media->kind != VMI_MEDIA_URL)
    return TRUE;
  setup(u, u->base, TRUE);
  rc = curl_easy_perform(u->curl);
  curl_easy_getinfo(u->curl, CURLINFO_RESPONSE_CODE, &status);
  return rc == CURLE_OK && status < 400;
}
