/*
 * test-cli-cases: the data-driven command-line test.
 *
 * For every NAME.args in a case directory (default tests/data/cli) it runs
 * the built vminstall with those arguments and checks the result against
 * what virt-install 4.1.0 produced for the same arguments:
 *
 *   NAME.args  one argv element per line; lines starting with '#' and empty
 *              lines are skipped; @DATADIR@ becomes the absolute path of
 *              tests/data.  Without --connect the default connection
 *              (--connect-default) is put in front.  (-c is not looked for:
 *              in virt-install it is an alias of --cdrom.)
 *   NAME.xml   expected stdout, exit status 0.
 *   NAME.err   expected stderr, all of it (one ERROR line; a case that
 *              expects a warning before it says why in a comment of its
 *              NAME.args), exit status 1, empty stdout.
 *   NAME.out   expected stdout verbatim (help texts), exit status 0.
 *              @DATADIR@ in NAME.xml, NAME.err and NAME.out is replaced as
 *              in NAME.args; @VERSION@ becomes the project's version.
 *
 * With VMI_TEST_REGENERATE_OUTPUT=1, NAME.err and NAME.out (vminstall's
 * own words) are rewritten from what vminstall printed; NAME.xml stays
 * virt-install's (tests/regen-cli-expected.sh makes it).
 *
 * stdout is split into its top-level <domain> documents (--print-xml prints
 * the install phase and then the final configuration); each is parsed,
 * stripped of blank text, normalised by the rules in norm_rules[] and
 * canonicalised (C14N 1.0), and the canonical forms must be equal.  A
 * failure prints a unified diff of their indented forms as TAP comments.
 * tests/data/cli/README.md describes the corpus and the environment its
 * expected files assume; run_command() sets that environment.
 *
 * The program speaks TAP.  It runs vminstall with g_spawn (no shell), each
 * case under a time limit, and reports a crash or a sanitizer report as a
 * failure of that case.
 */
#include <errno.h>
#include <glib.h>
#include <glib-unix.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "compare.h"


/* ---- normalisation rules: the only differences the comparison forgives ---- */

typedef enum {
  NORM_ORDINAL, /* value -> LABEL-n, numbered by first appearance in one output */
  NORM_STAGED,  /* random part of a staged kernel/initrd file name */
} NormKind;

typedef struct {
  const char *xpath;
  const char *label;
  NormKind kind;
} NormRule;

/*
 * uuid and MAC addresses are generated at random by both tools.  A value the
 * case's arguments spell out (--uuid, mac=...) is compared literally.
 * Numbering by first appearance (instead of one fixed placeholder) keeps the
 * check that both phases of one output carry the same uuid and MACs.
 *
 * Kernel and initrd of an install are copied to scratch files named
 * SCRATCH/virtinst-XXXXXXXX-BASENAME, XXXXXXXX being 8 random characters of
 * [a-z0-9_] (Python's mkstemp).  Only those 8 characters are forgiven.
 *
 * --cloud-init and --unattended (with --cdrom) write their seed ISO to the
 * same scratch directory under the same kind of name
 * (virtinst-XXXXXXXX-cloudinit.iso, -unattended.iso) and attach it as a
 * <disk> source: the same rule applies to disk sources, and only names of
 * that form change (every other disk path stays literal).
 */
static const NormRule norm_rules[] = {
  { "/domain/uuid", "UUID", NORM_ORDINAL },
  { "/domain/devices/interface/mac/@address", "MAC", NORM_ORDINAL },
  { "/domain/os/kernel", NULL, NORM_STAGED },
  { "/domain/os/initrd", NULL, NORM_STAGED },
  { "/domain/devices/disk/source/@file", NULL, NORM_STAGED },
};

/* A staged kernel/initrd: a random unique file name (virt-install's
 * virtinst-XXXXXXXX-BASE, vminstall's vminstall-XXXXXX-BASE) in the scratch
 * directory.  The per-user scratch directory is each tool's own cache
 * directory ($XDG_CACHE_HOME/virt-manager/boot or .../vminstall/boot); the
 * system ones (/var/lib/libvirt/boot, /var/lib/xen) stay literal. */
#define STAGED_PATTERN "^(.*?)(/(?:virt-manager|vminstall)/boot)?/(?:virtinst-[a-z0-9_]{8}|vminstall-[a-z0-9_]{6})-([^/]+)$"
#define STAGED_REPLACEMENT "\\1\\2/STAGED-\\3"

/* Text in a child's stderr that means a sanitizer found a bug. */
static const char *const sanitizer_marks[] = {
  "ERROR: AddressSanitizer",
  "ERROR: LeakSanitizer",
  "runtime error:",
};

/* ---- options ---- */

static char *opt_vminstall;
static char *opt_datadir;
static char *opt_connect;
static char *opt_filter;
static int opt_timeout = 120;

static GRegex *staged_regex;

/*
 * Scratch files land in $XDG_CACHE_HOME/virt-manager/boot where the system
 * directory is not writable: the expected files pin XDG_CACHE_HOME to this
 * (override: VMINSTALL_TEST_CACHE_HOME, as for tests/regen-cli-expected.sh).
 */
#define DEFAULT_CACHE_HOME "/tmp/vminstall-test-cache"
static const char *cache_home = DEFAULT_CACHE_HOME;

static const char *const unset_env[] = {
  "LANGUAGE", "LIBVIRT_DEFAULT_URI", "VIRTINST_TEST_SUITE",
  "VIRTINSTALL_OSINFO_DISABLE_REQUIRE",
};

/* ---- running vminstall ---- */

typedef struct {
  GMainLoop *loop;
  int pending;        /* open pipes + the child itself */
  int wait_status;
  gboolean timed_out;
  GPid pid;           /* 0 once reaped */
  GPid pgid;
} Run;

typedef struct {
  Run *run;
  GString *sink;
  int fd;             /* -1 once closed */
} Stream;

static void
run_done_one(Run *run)
{
  if (--run->pending == 0)
    g_main_loop_quit(run->loop);
}

static gboolean
on_readable(int fd, GIOCondition cond, gpointer data)
{
  Stream *stream = data;
  char buf[65536];
  ssize_t n;

  (void)cond;
  n = read(fd, buf, sizeof buf);
  if (n > 0) {
    g_string_append_len(stream->sink, buf, n);
    return G_SOURCE_CONTINUE;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;
  close(fd);
  stream->fd = -1;
  run_done_one(stream->run);
  return G_SOURCE_REMOVE;
}

static void
on_child_exit(GPid pid, int wait_status, gpointer data)
{
  Run *run = data;

  run->wait_status = wait_status;
  g_spawn_close_pid(pid);
  run->pid = 0;
  run_done_one(run);
}

/* Kills the child's whole process group; stops waiting for pipes kept open by it. */
static gboolean
on_timeout(gpointer data)
{
  Run *run = data;

  run->timed_out = TRUE;
  kill(-run->pgid, SIGKILL);
  if (run->pid == 0)
    g_main_loop_quit(run->loop);
  return G_SOURCE_REMOVE;
}

static void
child_setup(gpointer data)
{
  (void)data;
  setpgid(0, 0);
}

/* Attaches src to ctx with callback fn(data); the context owns it. */
static GSource *
attach(GMainContext *ctx, GSource *src, GSourceFunc fn, gpointer data)
{
  g_source_set_callback(src, fn, data, NULL);
  g_source_attach(src, ctx);
  g_source_unref(src);
  return src;
}

/* Runs argv to completion (or to the time limit); FALSE if it could not start. */
static gboolean
run_command(char **argv, GString *out, GString *err, int *wait_status,
            gboolean *timed_out, GError **error)
{
  g_auto(GStrv) env = g_get_environ();
  g_autoptr(GMainContext) ctx = g_main_context_new();
  g_autoptr(GMainLoop) loop = NULL;
  Run run = { 0 };
  Stream so = { &run, out, -1 };
  Stream se = { &run, err, -1 };
  int in_fd = -1, out_fd = -1, err_fd = -1;
  GSource *timer;

  /* the environment the expected files were made in (tests/data/cli/README.md) */
  env = g_environ_setenv(env, "LANG", "C", TRUE);
  env = g_environ_setenv(env, "LC_ALL", "C", TRUE);
  env = g_environ_setenv(env, "XDG_CACHE_HOME", cache_home, TRUE);
  for (size_t i = 0; i < G_N_ELEMENTS(unset_env); i++)
    env = g_environ_unsetenv(env, unset_env[i]);
  if (!g_spawn_async_with_pipes(NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD,
                                child_setup, NULL, &run.pid, &in_fd, &out_fd, &err_fd,
                                error))
    return FALSE;
  run.pgid = run.pid;
  so.fd = out_fd;
  se.fd = err_fd;
  close(in_fd); /* the child reads end-of-file */

  g_main_context_push_thread_default(ctx);
  loop = g_main_loop_new(ctx, FALSE);
  run.loop = loop;
  run.pending = 3;
  g_unix_set_fd_nonblocking(out_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking(err_fd, TRUE, NULL);

  attach(ctx, g_unix_fd_source_new(out_fd, G_IO_IN | G_IO_HUP | G_IO_ERR),
         (GSourceFunc)(void (*)(void))on_readable, &so);
  attach(ctx, g_unix_fd_source_new(err_fd, G_IO_IN | G_IO_HUP | G_IO_ERR),
         (GSourceFunc)(void (*)(void))on_readable, &se);
  attach(ctx, g_child_watch_source_new(run.pid),
         (GSourceFunc)(void (*)(void))on_child_exit, &run);
  timer = g_source_ref(attach(ctx, g_timeout_source_new_seconds(opt_timeout),
                             on_timeout, &run));

  g_main_loop_run(loop);

  g_source_destroy(timer);
  g_source_unref(timer);
  g_main_context_pop_thread_default(ctx);
  if (so.fd >= 0)
    close(so.fd);
  if (se.fd >= 0)
    close(se.fd);
  *wait_status = run.wait_status;
  *timed_out = run.timed_out;
  return TRUE;
}

/* ---- reading a case ---- */

static gboolean
has_connect(GPtrArray *args)
{
  for (guint i = 0; i < args->len; i++) {
    const char *a = g_ptr_array_index(args, i);
    if (g_str_equal(a, "--connect") || g_str_has_prefix(a, "--connect="))
      return TRUE;
  }
  return FALSE;
}

static char *
substitute(const char *s, const char *datadir)
{
  g_auto(GStrv) parts = g_strsplit(s, "@DATADIR@", -1);
  return g_strjoinv(datadir, parts);
}

/* The other way, for rewriting expected files: the data directory as
 * @DATADIR@, the version as @VERSION@. */
static char *
unsubstitute(const char *s, const char *datadir)
{
  g_auto(GStrv) dirs = g_strsplit(s, datadir, -1);
  g_autofree char *spelled = g_strjoinv("@DATADIR@", dirs);
  g_auto(GStrv) versions = g_strsplit(spelled, VMI_TEST_VERSION, -1);

  return g_strjoinv("@VERSION@", versions);
}

/* argv for one case: vminstall [--connect URI] ARGS..., NULL-terminated. */
static GPtrArray *
case_argv(const char *args_text, const char *datadir)
{
  g_auto(GStrv) lines = g_strsplit(args_text, "\n", -1);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

  for (char **l = lines; *l; l++) {
    size_t len = strlen(*l);
    if (len > 0 && (*l)[len - 1] == '\r')
      (*l)[len - 1] = '\0';
    if ((*l)[0] == '\0' || (*l)[0] == '#')
      continue;
    g_ptr_array_add(args, substitute(*l, datadir));
  }
  g_ptr_array_add(argv, g_strdup(opt_vminstall));
  if (!has_connect(args)) {
    g_ptr_array_add(argv, g_strdup("--connect"));
    g_ptr_array_add(argv, substitute(opt_connect, datadir));
  }
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add(argv, g_strdup(g_ptr_array_index(args, i)));
  g_ptr_array_add(argv, NULL);
  return argv;
}

/* ---- canonical form of an output ---- */

typedef struct {
  GHashTable *seen;    /* original value -> placeholder */
  GHashTable *counts;  /* label -> count (GINT_TO_POINTER) */
  const char *literal; /* the case's arguments, lower case */
} Normaliser;

static void
normaliser_init(Normaliser *n, const char *literal)
{
  n->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  n->counts = g_hash_table_new(g_str_hash, g_str_equal);
  n->literal = literal;
}

static void
normaliser_clear(Normaliser *n)
{
  g_hash_table_destroy(n->seen);
  g_hash_table_destroy(n->counts);
}

static char *
normalise_value(Normaliser *n, const NormRule *rule, const char *value)
{
  g_autofree char *lower = g_ascii_strdown(value, -1);
  const char *old;
  int count;

  if (rule->kind == NORM_STAGED)
    {
      char *out = g_regex_replace(staged_regex, value, -1, 0, STAGED_REPLACEMENT, 0, NULL);
      char *app = out ? strstr(out, "/virt-manager/boot/STAGED-") : NULL;
      if (app) {
        /* same cache directory, each tool's own name for it */
        char *fixed = g_strdup_printf("%.*s/vminstall/boot/%s", (int)(app - out), out,
                                      app + strlen("/virt-manager/boot/"));
        g_free(out);
        out = fixed;
      }
      return out;
    }
  if (*value == '\0' || strstr(n->literal, lower))
    return g_strdup(value);
  old = g_hash_table_lookup(n->seen, lower);
  if (old)
    return g_strdup(old);
  count = GPOINTER_TO_INT(g_hash_table_lookup(n->counts, rule->label)) + 1;
  g_hash_table_insert(n->counts, (gpointer)rule->label, GINT_TO_POINTER(count));
  g_hash_table_insert(n->seen, g_strdup(lower),
                      g_strdup_printf("%s-%d", rule->label, count));
  return g_strdup(g_hash_table_lookup(n->seen, lower));
}

static void
set_node_text(xmlNodePtr node, const char *value)
{
  if (node->type == XML_ATTRIBUTE_NODE) {
    xmlSetProp(node->parent, node->name, BAD_CAST value);
  } else {
    xmlNodeSetContent(node, NULL);
    xmlNodeAddContent(node, BAD_CAST value);
  }
}

static void
apply_rules(xmlDocPtr doc, Normaliser *n)
{
  xmlXPathContextPtr xp = xmlXPathNewContext(doc);

  for (size_t r = 0; r < G_N_ELEMENTS(norm_rules); r++) {
    xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST norm_rules[r].xpath, xp);
    if (res && res->nodesetval) {
      for (int i = 0; i < res->nodesetval->nodeNr; i++) {
        xmlNodePtr node = res->nodesetval->nodeTab[i];
        xmlChar *value = xmlNodeGetContent(node);
        g_autofree char *repl = normalise_value(n, &norm_rules[r],
                                                value ? (const char *)value : "");
        set_node_text(node, repl);
        xmlFree(value);
      }
    }
    xmlXPathFreeObject(res);
  }
  xmlXPathFreeContext(xp);
}

static gboolean
is_blank(const xmlChar *s)
{
  for (; s && *s; s++)
    if (!g_ascii_isspace(*s))
      return FALSE;
  return TRUE;
}

/* Removes whitespace-only text beside elements (indentation), recursively. */
static void
strip_blanks(xmlNodePtr node)
{
  gboolean has_element = FALSE;
  xmlNodePtr c, next;

  for (c = node->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      has_element = TRUE;
  for (c = node->children; c; c = next) {
    next = c->next;
    if (c->type == XML_ELEMENT_NODE) {
      strip_blanks(c);
    } else if (c->type == XML_TEXT_NODE && has_element && is_blank(c->content)) {
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    }
  }
}

static xmlDocPtr
parse_xml(const char *text, size_t len, char **message)
{
  xmlDocPtr doc = xmlReadMemory(text, (int)len, "output.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) {
    const xmlError *e = xmlGetLastError();
    *message = g_strdup_printf("line %d: %s", e ? e->line : 0,
                               e && e->message ? e->message : "parse error");
    g_strchomp(*message);
  }
  return doc;
}

/*
 * One document -> its canonical form (C14N) and an indented rendering of it
 * for the diff.  A chunk that is not XML is kept as trimmed text.
 */
static void
canonical_doc(const char *chunk, Normaliser *n, GString *canon, GString *pretty)
{
  g_autofree char *trimmed = g_strstrip(g_strdup(chunk));
  g_autofree char *message = NULL;
  xmlDocPtr doc, again;
  xmlChar *c14n = NULL;
  int c14n_len;

  if (trimmed[0] != '<') {
    g_string_append_printf(canon, "text:\n%s\n", trimmed);
    g_string_append_printf(pretty, "text:\n%s\n", trimmed);
    return;
  }
  doc = parse_xml(trimmed, strlen(trimmed), &message);
  if (!doc) {
    g_string_append_printf(canon, "unparsable XML (%s):\n%s\n", message, trimmed);
    g_string_append_printf(pretty, "unparsable XML (%s):\n%s\n", message, trimmed);
    return;
  }
  strip_blanks((xmlNodePtr)doc);
  apply_rules(doc, n);
  c14n_len = xmlC14NDocDumpMemory(doc, NULL, XML_C14N_1_0, NULL, 0, &c14n);
  xmlFreeDoc(doc);
  if (c14n_len < 0) {
    g_string_append_printf(canon, "C14N failed:\n%s\n", trimmed);
    g_string_append_printf(pretty, "C14N failed:\n%s\n", trimmed);
    return;
  }
  g_string_append_len(canon, (const char *)c14n, c14n_len);
  g_string_append_c(canon, '\n');

  again = parse_xml((const char *)c14n, c14n_len, &message);
  if (again) {
    xmlBufferPtr buf = xmlBufferCreate();
    xmlNodeDump(buf, again, xmlDocGetRootElement(again), 0, 1);
    g_string_append_len(pretty, (const char *)xmlBufferContent(buf), xmlBufferLength(buf));
    g_string_append_c(pretty, '\n');
    xmlBufferFree(buf);
    xmlFreeDoc(again);
  } else {
    g_string_append_len(pretty, (const char *)c14n, c14n_len);
    g_string_append_c(pretty, '\n');
  }
  xmlFree(c14n);
}

/* Splits an output before every line that opens a top-level <domain>. */
static GPtrArray *
split_documents(const char *text)
{
  GPtrArray *chunks = g_ptr_array_new_with_free_func(g_free);
  const char *start = text;
  const char *p = text;

  while (*p) {
    gboolean line_start = (p == text || p[-1] == '\n');
    if (line_start && p != start && g_str_has_prefix(p, "<domain") &&
        (p[7] == ' ' || p[7] == '>' || p[7] == '/' || p[7] == '\n')) {
      g_ptr_array_add(chunks, g_strndup(start, p - start));
      start = p;
    }
    p++;
  }
  g_ptr_array_add(chunks, g_strdup(start));
  /* drop empty chunks (e.g. blank text before the first document) */
  for (guint i = chunks->len; i-- > 0;) {
    const char *c = g_ptr_array_index(chunks, i);
    if (is_blank((const xmlChar *)c))
      g_ptr_array_remove_index(chunks, i);
  }
  return chunks;
}

static void
canonical_output(const char *text, const char *literal, GString *canon, GString *pretty)
{
  g_autoptr(GPtrArray) chunks = split_documents(text);
  Normaliser n;

  normaliser_init(&n, literal);
  for (guint i = 0; i < chunks->len; i++) {
    g_string_append_printf(canon, "== document %u ==\n", i + 1);
    g_string_append_printf(pretty, "== document %u ==\n", i + 1);
    canonical_doc(g_ptr_array_index(chunks, i), &n, canon, pretty);
  }
  normaliser_clear(&n);
}

/* ---- one case ---- */

static char *
last_lines(const char *text, guint count)
{
  g_autofree char *copy = g_strstrip(g_strdup(text));
  g_auto(GStrv) lines = g_strsplit(copy, "\n", -1);
  guint n = g_strv_length(lines);
  guint from = n > count ? n - count : 0;
  return g_strjoinv("\n", lines + from);
}

static void
print_comment_block(const char *title, const char *text, guint max_lines)
{
  g_autofree char *tail = last_lines(text, max_lines);
  g_auto(GStrv) lines = g_strsplit(tail, "\n", -1);

  printf("# %s\n", title);
  for (char **l = lines; *l; l++)
    printf("#   %s\n", *l);
}

static const char *
sanitizer_report(const char *err)
{
  for (size_t i = 0; i < G_N_ELEMENTS(sanitizer_marks); i++)
    if (strstr(err, sanitizer_marks[i]))
      return sanitizer_marks[i];
  return NULL;
}

static char *
describe_status(int wait_status, gboolean timed_out)
{
  if (timed_out)
    return g_strdup_printf("killed after the %d s time limit", opt_timeout);
  if (WIFEXITED(wait_status))
    return g_strdup_printf("exit status %d", WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status))
    return g_strdup_printf("killed by signal %d (%s)", WTERMSIG(wait_status),
                           g_strsignal(WTERMSIG(wait_status)));
  return g_strdup_printf("wait status %d", wait_status);
}

/* Prints "ok"/"not ok" and the reasons; returns TRUE when the case passed. */
static gboolean
run_case(guint number, const char *dir, const char *name, const char *datadir)
{
  g_autofree char *args_path = g_strdup_printf("%s/%s.args", dir, name);
  g_autofree char *xml_path = g_strdup_printf("%s/%s.xml", dir, name);
  g_autofree char *err_path = g_strdup_printf("%s/%s.err", dir, name);
  g_autofree char *out_path = g_strdup_printf("%s/%s.out", dir, name);
  g_autofree char *args_text = NULL, *expected = NULL, *literal = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GString) err = g_string_new(NULL);
  g_autoptr(GString) reasons = g_string_new(NULL);
  g_autoptr(GString) want_c = g_string_new(NULL), want_p = g_string_new(NULL);
  g_autoptr(GString) got_c = g_string_new(NULL), got_p = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  gboolean expect_error, expect_text, ok;
  int wait_status = 0;
  gboolean timed_out = FALSE;
  const char *sanitizer;

  if (!g_file_get_contents(args_path, &args_text, NULL, &error)) {
    printf("not ok %u - %s\n# %s\n", number, name, error->message);
    return FALSE;
  }
  expect_error = g_file_test(err_path, G_FILE_TEST_EXISTS);
  expect_text = !expect_error && g_file_test(out_path, G_FILE_TEST_EXISTS);
  if (!g_file_get_contents(expect_error ? err_path : expect_text ? out_path : xml_path,
                           &expected, NULL, &error)) {
    printf("not ok %u - %s\n# no expected output: %s\n", number, name, error->message);
    return FALSE;
  }
  {
    /* expected files spell the data directory as @DATADIR@ too, and help
     * texts the version as @VERSION@ */
    g_autofree char *raw = g_steal_pointer(&expected);
    g_autofree char *with_dir = substitute(raw, datadir);
    g_auto(GStrv) parts = g_strsplit(with_dir, "@VERSION@", -1);
    expected = g_strjoinv(VMI_TEST_VERSION, parts);
  }
  argv = case_argv(args_text, datadir);
  {
    g_autofree char *sub = substitute(args_text, datadir);
    literal = g_ascii_strdown(sub, -1);
  }
  if (!run_command((char **)argv->pdata, out, err, &wait_status, &timed_out, &error)) {
    printf("not ok %u - %s\n# cannot run %s: %s\n", number, name, opt_vminstall,
           error->message);
    return FALSE;
  }
  status = describe_status(wait_status, timed_out);
  sanitizer = sanitizer_report(err->str);

  if (sanitizer)
    g_string_append_printf(reasons, "# sanitizer report (%s) on stderr\n", sanitizer);
  if ((expect_error || expect_text) && vmi_test_regenerate()) {
    g_autofree char *spelled = unsubstitute(expect_error ? err->str : out->str, datadir);

    g_autofree char *report = NULL;

    ok = vmi_test_compare_file(expect_error ? err_path : out_path, spelled, &report);
    printf("%s %u - %s # regenerated\n%s", ok ? "ok" : "not ok", number, name,
           report ? report : "");
    return ok;
  }
  if (expect_error) {
    /* stderr must be exactly the lines of NAME.err: one ERROR line, or a
     * deliberate warning the case's comment explains before it */
    g_autofree char *want = g_strconcat(g_strchomp(expected), "\n", NULL);

    if (timed_out || !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 1)
      g_string_append_printf(reasons, "# expected exit status 1, got %s\n", status);
    if (out->len > 0)
      g_string_append_printf(reasons, "# expected empty stdout, got %" G_GSIZE_FORMAT
                             " bytes\n", out->len);
    if (!g_str_equal(err->str, want)) {
      g_string_append_printf(reasons, "# stderr differs from %s.err\n", name);
      g_string_assign(want_p, want);
      g_string_assign(got_p, err->str);
    }
  } else if (expect_text) {
    if (timed_out || !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0)
      g_string_append_printf(reasons, "# expected exit status 0, got %s\n", status);
    if (!g_str_equal(out->str, expected)) {
      g_string_append_printf(reasons, "# stdout differs from %s.out\n", name);
      g_string_assign(want_p, expected);
      g_string_assign(got_p, out->str);
    }
  } else {
    if (timed_out || !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
      g_string_append_printf(reasons, "# expected exit status 0, got %s\n", status);
    } else {
      canonical_output(expected, literal, want_c, want_p);
      canonical_output(out->str, literal, got_c, got_p);
      if (!g_str_equal(want_c->str, got_c->str))
        g_string_append_printf(reasons, "# stdout differs from %s.xml (after normalisation)\n",
                               name);
      else
        g_string_truncate(want_p, 0);
    }
  }

  ok = reasons->len == 0;
  printf("%s %u - %s\n", ok ? "ok" : "not ok", number, name);
  if (!ok) {
    fputs(reasons->str, stdout);
    if (want_p->len > 0) {
      g_autofree char *diff = vmi_test_diff(want_p->str, got_p->str, "expected", "vminstall");
      fputs(diff, stdout);
    }
    if (err->len > 0 && !expect_error) /* an error case's diff shows it all */
      print_comment_block("stderr (last lines):", err->str, 15);
    if (out->len > 0 && expect_error)
      print_comment_block("stdout (last lines):", out->str, 5);
  }
  return ok;
}

/* ---- main ---- */

int
main(int argc, char **argv)
{
  g_autofree char *casedir = NULL;
  g_autofree char *datadir = NULL;
  g_autoptr(GOptionContext) octx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  guint failed = 0;
  GOptionEntry entries[] = {
    { "vminstall", 0, 0, G_OPTION_ARG_FILENAME, &opt_vminstall,
      "vminstall binary (default: $VMI_TEST_VMINSTALL)", "PATH" },
    { "datadir", 0, 0, G_OPTION_ARG_FILENAME, &opt_datadir,
      "what @DATADIR@ stands for (default: the case directory's parent)", "DIR" },
    { "connect-default", 0, 0, G_OPTION_ARG_STRING, &opt_connect,
      "URI for cases without --connect (default: test:///@DATADIR@/testdriver.xml)", "URI" },
    { "filter", 0, 0, G_OPTION_ARG_STRING, &opt_filter,
      "run only cases whose name contains SUBSTR", "SUBSTR" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout,
      "seconds one case may take (default 120)", "SECONDS" },
    { NULL }
  };

  octx = g_option_context_new("[CASEDIR] - run vminstall on the data-driven CLI cases (TAP)");
  g_option_context_add_main_entries(octx, entries, NULL);
  if (!g_option_context_parse(octx, &argc, &argv, &error) || argc > 2) {
    printf("Bail out! %s\n", error ? error->message : "at most one CASEDIR");
    return 2;
  }
  if (!opt_vminstall && g_getenv("VMI_TEST_VMINSTALL"))
    opt_vminstall = g_strdup(g_getenv("VMI_TEST_VMINSTALL"));
  if (!opt_vminstall) {
    printf("Bail out! no vminstall binary: pass --vminstall or set VMI_TEST_VMINSTALL\n");
    return 2;
  }
  if (!opt_connect)
    opt_connect = g_strdup("test:///@DATADIR@/testdriver.xml");
  if (g_getenv("VMINSTALL_TEST_CACHE_HOME"))
    cache_home = g_getenv("VMINSTALL_TEST_CACHE_HOME");
  if (g_mkdir_with_parents(cache_home, 0755) != 0) {
    printf("Bail out! cannot create %s: %s\n", cache_home, g_strerror(errno));
    return 2;
  }

  casedir = g_canonicalize_filename(argc > 1 ? argv[1] : "tests/data/cli", NULL);
  datadir = opt_datadir ? g_canonicalize_filename(opt_datadir, NULL)
                        : g_path_get_dirname(casedir);
  names = vmi_test_list_cases(casedir, ".args", opt_filter, &error);
  if (!names) {
    printf("Bail out! %s\n", error->message);
    return 2;
  }

  staged_regex = g_regex_new(STAGED_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
  g_assert(staged_regex);
  xmlInitParser();

  if (names->len == 0)
    printf("1..0 # SKIP no cases%s%s in %s\n", opt_filter ? " matching " : "",
           opt_filter ? opt_filter : "", casedir);
  else
    printf("1..%u\n", names->len);
  fflush(stdout);
  for (guint i = 0; i < names->len; i++) {
    if (!run_case(i + 1, casedir, g_ptr_array_index(names, i), datadir))
      failed++;
    fflush(stdout);
  }
  if (failed)
    printf("# %u of %u cases failed\n", failed, names->len);

  g_regex_unref(staged_regex);
  xmlCleanupParser();
  g_free(opt_vminstall);
  g_free(opt_datadir);
  g_free(opt_connect);
  g_free(opt_filter);
  return failed ? 1 : 0;
}
