/*
 * Internals of the osinfo module: the index of the database (which file
 * defines which OS) and the records read from those files.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ---- index (osinfo-index.c) ---- */

/* One <tree> of an OS that has <treeinfo> data: what libosinfo's
 * osinfo_tree_matches() compares.  NULL where the database gives nothing;
 * the treeinfo fields are regular expressions.  Allocated in one block
 * with its strings. */
typedef struct {
  char *arch;   /* the <tree arch> attribute */
  char *family, *variant, *version, *treeinfo_arch;
} VmiOsTree;

typedef struct {
  char *id;             /* full id, e.g. http://fedoraproject.org/fedora/36 */
  GPtrArray *short_ids; /* char *, in libosinfo's load order, may repeat */
  GPtrArray *files;     /* char *, absolute paths, in libosinfo's load order */
  /* Position in the order libosinfo's OsinfoDb iterates its OSes (a hash
   * table's order, which osinfo_db_identify_tree() and virt-install's
   * OSDB.list_os() before sorting both see); only the relative order of
   * two entries means anything. */
  guint rank;
  /* <codename>, when the index can know it for every language; when
   * codename_unknown, only reading the record tells (xml:lang variants). */
  char *codename;
  gboolean codename_unknown;
  GPtrArray *trees;     /* VmiOsTree *, those with <treeinfo> data; NULL
                         * when none */
} VmiOsIndexEntry;

typedef struct {
  GPtrArray *entries;      /* VmiOsIndexEntry *, owned, ordered by path */
  GHashTable *by_id;       /* id -> VmiOsIndexEntry *, borrowed */
  GHashTable *by_short_id; /* short id -> first VmiOsIndexEntry *, borrowed */
  GPtrArray *with_trees;   /* VmiOsIndexEntry *, borrowed: those with
                            * trees, by rank */
} VmiOsIndex;

/* The index for the current database locations (new reference): kept for
 * the process, read from the cache while that is valid, else scanned. */
VmiOsIndex *vmi_os_index_get(GError **error);

/* Builds the index by scanning @roots (system, local, user) without any
 * cache; @stamps (optional) receives the stamps of what was scanned, in the
 * cache's text form.  Missing locations and unparsable files define
 * nothing, so this cannot fail. */
VmiOsIndex *vmi_os_index_scan(const char *const *roots, GString *stamps);
VmiOsIndex *vmi_os_index_ref(VmiOsIndex *index);
void vmi_os_index_unref(VmiOsIndex *index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiOsIndex, vmi_os_index_unref)

/* The database locations libosinfo would read, in its order. */
GStrv vmi_os_db_roots(void);

/* ---- locations and stamps (osinfo-roots.c) ---- */

/* "dev:inode:mtime" of @path, "-" when it does not exist. */
char *vmi_os_stamp_of(const char *path);
/* @stamp is too recent to be sure no change in the same tick is missed. */
gboolean vmi_os_stamp_is_racy(const char *stamp, gint64 now_sec);
/* Appends "KIND\tSTAMP\tPATH" to @stamps (may be NULL). */
void vmi_os_add_stamp(GString *stamps, char kind, const char *path, const char *stamp);

/* ---- the files of one location (osinfo-walk.c) ---- */

/* The files one location gives to one key (a path like os/vendor/name). */
typedef struct {
  char *master;
  GPtrArray *extensions;
} VmiOsKeyFiles;

void vmi_os_key_files_free(gpointer kf);

/* What one database location holds, as libosinfo's loader gathers it. */
typedef struct {
  /* every key (os/, device/, platform/...) as libosinfo names it
   * ("/os/vendor/name"), in the order its directory walk first meets it */
  GPtrArray *keys;
  GHashTable *seen; /* the same strings */
  GHashTable *os;   /* "os/vendor/name" -> VmiOsKeyFiles * */
} VmiOsRootScan;

/* libosinfo's osinfo_loader_find_files() below @dir (@rel: its path
 * below the location, "" for the location), into @rs; the stamps of the
 * directories (and with @stamp_files of the OS files) go to @stamps. */
void vmi_os_walk_dir(const char *dir, const char *rel, int level, VmiOsRootScan *rs,
                     gboolean stamp_files, GString *stamps);

/* ---- the order libosinfo lists OSes in (osinfo-rank.c) ---- */

/* Sets each entry's rank.  @root_keys: per location, its keys in walk
 * order; @mentions: key -> ids, in the order the loader meets them. */
void vmi_os_assign_ranks(VmiOsIndex *index, GPtrArray *root_keys, GHashTable *mentions);

/* ---- building an index (osinfo-index.c), for the cache ---- */

VmiOsIndex *vmi_os_index_new(void);
/* Takes @id. */
VmiOsIndexEntry *vmi_os_index_entry_new(char *id);
void vmi_os_index_entry_free(gpointer entry);
void vmi_os_index_add(VmiOsIndex *index, VmiOsIndexEntry *entry);
/* Done once all entries are in. */
void vmi_os_index_finish(VmiOsIndex *index);
/* A tree and its strings in one block, which g_free() frees. */
VmiOsTree *vmi_os_tree_new(const char *arch, const char *family, const char *variant,
                           const char *version, const char *treeinfo_arch);
void vmi_os_entry_add_tree(VmiOsIndexEntry *entry, VmiOsTree *tree);

/* ---- the cache (osinfo-cache.c) ---- */

/* Path of the index cache for @roots. */
char *vmi_os_index_cache_path(const char *const *roots);
/* The cached index if it is still valid for @roots, else NULL. */
VmiOsIndex *vmi_os_index_load_cache(const char *path, const char *const *roots);
/* Writes it, unless a stamp is too recent to trust (any failure only
 * costs the next run a rescan). */
void vmi_os_index_save_cache(const char *path, const char *const *roots, GString *stamps,
                             const VmiOsIndex *index);

/* ---- records (osinfo-record.c) ---- */

typedef enum {
  VMI_OS_RES_MINIMUM,
  VMI_OS_RES_RECOMMENDED,
  VMI_OS_RES_NETWORK_INSTALL,
  VMI_OS_RES_N_KINDS,
} VmiOsResKind;

typedef struct {
  char *arch;
  gboolean inherit;
  gint64 n_cpus, cpu, ram, storage; /* -1 when absent */
} VmiOsResources;

typedef struct {
  char *arch;
  char *type;
  gboolean supported;
} VmiOsFirmware;

/* One OS as its own files describe it, before any inheritance. */
typedef struct {
  char *id;
  gboolean defined;       /* FALSE for a referenced but undefined OS */
  GPtrArray *short_ids;   /* char * */
  char *name, *family, *distro, *release_status, *kernel_url_arg, *codename;
  char *release_date, *eol_date;
  /* related ids, each in the order libosinfo walks them */
  GPtrArray *derives_from, *clones, *upgrades;
  /* device id -> GINT_TO_POINTER(supported + 1) */
  GHashTable *devices;
  GPtrArray *firmware;                      /* VmiOsFirmware * */
  GPtrArray *resources[VMI_OS_RES_N_KINDS]; /* VmiOsResources * */
} VmiOsRecord;

VmiOsRecord *vmi_os_record_new(const char *id);
void vmi_os_record_free(VmiOsRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiOsRecord, vmi_os_record_free)

/* Reads @rec->id from @files (master file first, then extensions). */
gboolean vmi_os_record_load(VmiOsRecord *rec, GPtrArray *files,
                            GError **error);

/* Maps an OS id to the path, relative to a database root and without
 * ".xml", where libosinfo requires it to be defined. */
char *vmi_os_id_to_key(const char *id);

G_END_DECLS
