/*
 * Facts about one OS, answering what virt-install 4.1.0's osdict answers.
 *
 * A lookup reads the OS's own files and those of every OS it derives from,
 * clones or upgrades (found through the index), then computes the facts
 * the way libosinfo's accessors combine related OSes, because that is what
 * osdict sees.
 */
#include "osinfo.h"

#include <string.h>

#include "osinfo-private.h"
#include "vminstall/error.h"

#define GENERIC_NAME "generic"
#define GENERIC_LABEL "Generic or unknown OS. Usage is not recommended."

struct _VmiOs {
  gboolean generic;
  char *full_id;
  GPtrArray *short_ids;
  char *label, *family, *distro, *release_status, *release_date, *eol_date;
  char *codename;
  char *kernel_url_arg;  /* the database's, inherited; no fallback */
  GHashTable *devices;   /* supported device ids (set) */
  GHashTable *relatives; /* first short ids over derives/clones/upgrades */
  GPtrArray *firmware;   /* VmiOsFirmware *, borrowed, first wins */
  GPtrArray *resources[VMI_OS_RES_N_KINDS]; /* VmiOsResources *, owned */
  GHashTable *records;   /* id -> VmiOsRecord *, owning what is borrowed */
};

void
vmi_os_free(VmiOs *os)
{
  if (!os)
    return;
  g_free(os->full_id);
  g_ptr_array_unref(os->short_ids);
  g_free(os->label);
  g_free(os->family);
  g_free(os->distro);
  g_free(os->release_status);
  g_free(os->release_date);
  g_free(os->eol_date);
  g_free(os->codename);
  g_free(os->kernel_url_arg);
  g_hash_table_unref(os->devices);
  g_hash_table_unref(os->relatives);
  g_ptr_array_unref(os->firmware);
  for (int k = 0; k < VMI_OS_RES_N_KINDS; k++)
    g_ptr_array_unref(os->resources[k]);
  g_clear_pointer(&os->records, g_hash_table_unref);
  g_free(os);
}

static VmiOs *
os_new(void)
{
  VmiOs *os = g_new0(VmiOs, 1);

  os->short_ids = g_ptr_array_new_with_free_func(g_free);
  os->devices = g_hash_table_new(g_str_hash, g_str_equal);
  os->relatives = g_hash_table_new(g_str_hash, g_str_equal);
  os->firmware = g_ptr_array_new();
  for (int k = 0; k < VMI_OS_RES_N_KINDS; k++)
    os->resources[k] = g_ptr_array_new_with_free_func(g_free);
  return os;
}

static VmiOs *
generic_new(void)
{
  /* virt-install's own entry, which is not in osinfo-db */
  VmiOs *os = os_new();

  os->generic = TRUE;
  g_ptr_array_add(os->short_ids, g_strdup(GENERIC_NAME));
  os->label = g_strdup(GENERIC_LABEL);
  g_hash_table_add(os->relatives, (gpointer)GENERIC_NAME);
  return os;
}

/* ------------------------------------------------------------ loading */

static void
record_free_cb(gpointer data)
{
  vmi_os_record_free(data);
}

/* Reads @id and, transitively, every OS it names; an id that no file
 * defines stays an empty placeholder, as in libosinfo. */
static gboolean
load_closure(const VmiOsIndex *index, const char *first_id,
             GHashTable *records, GError **error)
{
  g_autoptr(GPtrArray) todo = g_ptr_array_new_with_free_func(g_free);

  g_ptr_array_add(todo, g_strdup(first_id));
  while (todo->len > 0) {
    g_autofree char *id = g_ptr_array_steal_index(todo, todo->len - 1);
    VmiOsIndexEntry *entry;
    VmiOsRecord *rec;
    GPtrArray *rels[3];

    if (g_hash_table_contains(records, id))
      continue;
    rec = vmi_os_record_new(id);
    g_hash_table_insert(records, rec->id, rec);
    entry = g_hash_table_lookup(index->by_id, id);
    if (entry && !vmi_os_record_load(rec, entry->files, error))
      return FALSE;

    rels[0] = rec->derives_from;
    rels[1] = rec->clones;
    rels[2] = rec->upgrades;
    for (int r = 0; r < 3; r++) {
      for (guint i = 0; i < rels[r]->len; i++) {
        if (!g_hash_table_contains(records, rels[r]->pdata[i]))
          g_ptr_array_add(todo, g_strdup(rels[r]->pdata[i]));
      }
    }
  }
  return TRUE;
}

typedef void (*VisitFunc)(VmiOsRecord *rec, gpointer data);

/* libosinfo's osinfo_product_foreach_related() over derives-from and clones:
 * depth first, the OS itself first, derived-from before cloned.  libosinfo
 * revisits shared ancestors; skipping them changes nothing, as every
 * accessor built on it keeps the first value found. */
static void
walk(GHashTable *records, VmiOsRecord *rec, GHashTable *seen, VisitFunc fn,
     gpointer data)
{
  GPtrArray *rels[2] = { rec->derives_from, rec->clones };

  if (!g_hash_table_add(seen, rec->id))
    return;
  fn(rec, data);
  for (int r = 0; r < 2; r++) {
    for (guint i = 0; i < rels[r]->len; i++) {
      VmiOsRecord *next = g_hash_table_lookup(records, rels[r]->pdata[i]);

      if (next)
        walk(records, next, seen, fn, data);
    }
  }
}

typedef struct {
  VmiOs *os;
  VmiOsRecord *self;
  GHashTable *links; /* device id -> supported, first OS in the walk wins */
} Gather;

static void
gather_cb(VmiOsRecord *rec, gpointer data)
{
  Gather *g = data;
  GHashTableIter iter;
  gpointer key, value;

  /* osinfo_os_get_all_devices(): every device linked in the walk, minus
   * those whose nearest link says supported="false" */
  g_hash_table_iter_init(&iter, rec->devices);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    if (!g_hash_table_contains(g->links, key))
      g_hash_table_insert(g->links, key, value);
  }

  /* osinfo_os_get_kernel_url_argument(): the first one found */
  if (!g->os->kernel_url_arg && rec->kernel_url_arg)
    g->os->kernel_url_arg = g_strdup(rec->kernel_url_arg);

  /* osinfo_os_get_complete_firmware_list(): an arch/type pair already
   * listed by a nearer OS hides this one */
  {
    guint before = g->os->firmware->len;

    for (guint i = 0; i < rec->firmware->len; i++) {
      VmiOsFirmware *fw = rec->firmware->pdata[i];
      gboolean hidden = FALSE;

      for (guint j = 0; j < before && !hidden; j++) {
        VmiOsFirmware *in = g->os->firmware->pdata[j];

        hidden = g_strcmp0(in->arch, fw->arch) == 0 &&
                 g_strcmp0(in->type, fw->type) == 0;
      }
      if (!hidden)
        g_ptr_array_add(g->os->firmware, fw);
    }
  }

  /* osinfo_os_get_*_resources(): an entry that asks to inherit takes each
   * missing value from the ancestors' entries for the same arch */
  if (rec == g->self)
    return;
  for (int k = 0; k < VMI_OS_RES_N_KINDS; k++) {
    GPtrArray *mine = g->os->resources[k];
    GPtrArray *theirs = rec->resources[k];

    for (guint i = 0; i < mine->len; i++) {
      VmiOsResources *res = mine->pdata[i];
      VmiOsResources orig = *res;

      if (!res->inherit)
        continue;
      for (guint j = 0; j < theirs->len; j++) {
        VmiOsResources *anc = theirs->pdata[j];

        if (g_strcmp0(orig.arch, anc->arch) != 0)
          continue;
        if (orig.n_cpus == -1)
          res->n_cpus = anc->n_cpus;
        if (orig.cpu == -1)
          res->cpu = anc->cpu;
        if (orig.ram == -1)
          res->ram = anc->ram;
        if (orig.storage == -1)
          res->storage = anc->storage;
      }
    }
  }
}

/* Every OS reachable through derives-from, clones and upgrades, the
 * relation virt-install's _is_related_to() follows. */
static void
collect_relatives(GHashTable *records, VmiOsRecord *rec, GHashTable *seen,
                  GHashTable *names)
{
  GPtrArray *rels[3] = { rec->derives_from, rec->clones, rec->upgrades };

  if (!g_hash_table_add(seen, rec->id))
    return;
  /* osdict compares the first short id only */
  if (rec->short_ids->len > 0)
    g_hash_table_add(names, rec->short_ids->pdata[0]);
  for (int r = 0; r < 3; r++) {
    for (guint i = 0; i < rels[r]->len; i++) {
      VmiOsRecord *next = g_hash_table_lookup(records, rels[r]->pdata[i]);

      if (next)
        collect_relatives(records, next, seen, names);
    }
  }
}

static VmiOs *
build(GHashTable *records, VmiOsRecord *self)
{
  VmiOs *os = os_new();
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GHashTable) links = g_hash_table_new(g_str_hash, g_str_equal);
  Gather g = { os, self, links };
  GHashTableIter iter;
  gpointer key, value;

  os->full_id = g_strdup(self->id);
  for (guint i = 0; i < self->short_ids->len; i++)
    g_ptr_array_add(os->short_ids, g_strdup(self->short_ids->pdata[i]));
  os->label = g_strdup(self->name);
  os->family = g_strdup(self->family);
  os->distro = g_strdup(self->distro);
  os->release_status = g_strdup(self->release_status);
  os->release_date = g_strdup(self->release_date);
  os->eol_date = g_strdup(self->eol_date);
  os->codename = g_strdup(self->codename);
  for (int k = 0; k < VMI_OS_RES_N_KINDS; k++) {
    for (guint i = 0; i < self->resources[k]->len; i++) {
      VmiOsResources *copy = g_new(VmiOsResources, 1);

      *copy = *(VmiOsResources *)self->resources[k]->pdata[i];
      g_ptr_array_add(os->resources[k], copy);
    }
  }

  walk(records, self, seen, gather_cb, &g);

  g_hash_table_iter_init(&iter, links);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    if (GPOINTER_TO_INT(value) == 2)
      g_hash_table_add(os->devices, key);
  }

  g_hash_table_remove_all(seen);
  collect_relatives(records, self, seen, os->relatives);

  /* firmware entries, device ids, relatives' names and the copied
   * resources' arch strings point into the records: keep them */
  os->records = g_hash_table_ref(records);
  return os;
}

static VmiOs *
lookup_entry(const VmiOsIndex *index, const char *full_id, GError **error)
{
  g_autoptr(GHashTable) records =
      g_hash_table_new_full(g_str_hash, g_str_equal, NULL, record_free_cb);
  VmiOsRecord *self;

  if (!load_closure(index, full_id, records, error))
    return NULL;
  self = g_hash_table_lookup(records, full_id);
  if (!self->defined || self->short_ids->len == 0) {
    /* osdict cannot handle an OS without a short id either */
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "OS '%s' in osinfo-db has no short id", full_id);
    return NULL;
  }
  return build(records, self);
}

VmiOs *
vmi_os_lookup(const char *short_id, GError **error)
{
  g_autoptr(VmiOsIndex) index = NULL;
  VmiOsIndexEntry *entry;

  if (!short_id || g_str_equal(short_id, GENERIC_NAME))
    return generic_new();

  index = vmi_os_index_get(error);
  if (!index)
    return NULL;
  entry = g_hash_table_lookup(index->by_short_id, short_id);
  if (!entry) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "Unknown OS name '%s'. See `--osinfo list` for valid values.",
                short_id);
    return NULL;
  }
  return lookup_entry(index, entry->id, error);
}

VmiOs *
vmi_os_lookup_by_id(const char *full_id, GError **error)
{
  g_autoptr(VmiOsIndex) index = NULL;

  if (!full_id)
    return generic_new();

  index = vmi_os_index_get(error);
  if (!index)
    return NULL;
  if (!g_hash_table_contains(index->by_id, full_id)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "Unknown libosinfo ID '%s'", full_id);
    return NULL;
  }
  return lookup_entry(index, full_id, error);
}

/* ------------------------------------------------------------ facts */

static gint
compare_strptr(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *
vmi_os_short_id(const VmiOs *os)
{
  return os->short_ids->pdata[0];
}

GPtrArray *
vmi_os_all_short_ids(const VmiOs *os)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

  for (guint i = 0; i < os->short_ids->len; i++) {
    if (g_hash_table_add(seen, os->short_ids->pdata[i]))
      g_ptr_array_add(ret, g_strdup(os->short_ids->pdata[i]));
  }
  g_ptr_array_sort(ret, compare_strptr);
  return ret;
}

const char *
vmi_os_full_id(const VmiOs *os)
{
  return os->full_id;
}

const char *
vmi_os_family(const VmiOs *os)
{
  return os->family;
}

const char *
vmi_os_label(const VmiOs *os)
{
  return os->label;
}

const char *
vmi_os_codename(const VmiOs *os)
{
  return os->codename;
}

gboolean
vmi_os_is_generic(const VmiOs *os)
{
  return g_str_equal(vmi_os_short_id(os), GENERIC_NAME);
}

gboolean
vmi_os_is_windows(const VmiOs *os)
{
  return g_strcmp0(os->family, "win9x") == 0 ||
         g_strcmp0(os->family, "winnt") == 0 ||
         g_strcmp0(os->family, "win16") == 0;
}

gboolean
vmi_os_is_linux_generic(const VmiOs *os)
{
  /* osdict: re.match(r"linux\d\d\d\d") on the name, a prefix match */
  const char *name = vmi_os_short_id(os);

  if (!g_str_has_prefix(name, "linux"))
    return FALSE;
  for (int i = 5; i < 9; i++) {
    if (!g_ascii_isdigit(name[i]))
      return FALSE;
  }
  return TRUE;
}

/* libosinfo's date parser (year-month-day, lenient), NULL if invalid. */
static GDate *
parse_date(const char *str)
{
  const char *m, *d;
  gint64 year, month, day;

  if (!str)
    return NULL;
  m = strchr(str, '-');
  d = m ? strchr(m + 1, '-') : NULL;
  if (!d)
    return NULL;
  year = g_ascii_strtoll(str, NULL, 10);
  month = g_ascii_strtoll(m + 1, NULL, 10);
  day = g_ascii_strtoll(d + 1, NULL, 10);
  if (year < 1 || year > G_MAXUINT16 || month < 1 || month > 12 || day < 1 ||
      day > 31 || !g_date_valid_dmy((GDateDay)day, (GDateMonth)month,
                                    (GDateYear)year))
    return NULL;
  return g_date_new_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

gboolean
vmi_os_is_eol_on(const VmiOs *os, const GDate *today)
{
  g_autoptr(GDate) eol = parse_date(os->eol_date);
  g_autoptr(GDate) rel = NULL;

  /* osdict compares "now" with midnight of the date, so the day itself
   * already counts */
  if (eol)
    return g_date_compare(today, eol) >= 0;
  /* rolling distributions never end */
  if (g_strcmp0(os->release_status, "rolling") == 0)
    return FALSE;
  /* without an end date, ten years (of 365 days) after the release */
  rel = parse_date(os->release_date);
  if (rel) {
    g_date_add_days(rel, 365 * 10);
    return g_date_compare(today, rel) >= 0;
  }
  return FALSE;
}

gboolean
vmi_os_is_eol(const VmiOs *os)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local();
  g_autoptr(GDate) today = g_date_new_dmy(
      (GDateDay)g_date_time_get_day_of_month(now),
      (GDateMonth)g_date_time_get_month(now),
      (GDateYear)g_date_time_get_year(now));

  return vmi_os_is_eol_on(os, today);
}

gboolean
vmi_os_is_related_to(const VmiOs *os, const char *short_id)
{
  return short_id && g_hash_table_contains(os->relatives, short_id);
}

static gboolean
has_device(const VmiOs *os, const char *const *ids)
{
  for (int i = 0; ids[i]; i++) {
    if (g_hash_table_contains(os->devices, ids[i]))
      return TRUE;
  }
  return FALSE;
}

#define PCI_VIRTIO "http://pcisig.com/pci/1af4/"

gboolean
vmi_os_supports(const VmiOs *os, VmiOsFeature feature)
{
  /* the device ids osdict checks, legacy and virtio 1.0 variants */
  static const char *const disk[] = { PCI_VIRTIO "1001", PCI_VIRTIO "1042", NULL };
  static const char *const scsi[] = { PCI_VIRTIO "1004", PCI_VIRTIO "1048", NULL };
  static const char *const net[] = { PCI_VIRTIO "1000", PCI_VIRTIO "1041", NULL };
  static const char *const rng[] = { PCI_VIRTIO "1005", PCI_VIRTIO "1044", NULL };
  static const char *const gpu[] = { PCI_VIRTIO "1050", NULL };
  static const char *const balloon[] = { PCI_VIRTIO "1002", PCI_VIRTIO "1045", NULL };
  static const char *const serial[] = { PCI_VIRTIO "1003", PCI_VIRTIO "1043", NULL };
  static const char *const input[] = { PCI_VIRTIO "1052", NULL };
  static const char *const usb3[] = { "http://pcisig.com/pci/1b36/0004", NULL };
  /* virtio1.0-net stands for virtio 1.0 as a whole */
  static const char *const virtio1[] = { PCI_VIRTIO "1041", NULL };
  static const char *const q35[] = { "http://qemu.org/chipset/x86/q35", NULL };

  switch (feature) {
  case VMI_OS_VIRTIO_DISK:
    return has_device(os, disk);
  case VMI_OS_VIRTIO_SCSI:
    return has_device(os, scsi);
  case VMI_OS_VIRTIO_NET:
    return has_device(os, net);
  case VMI_OS_VIRTIO_RNG:
    return has_device(os, rng);
  case VMI_OS_VIRTIO_GPU:
    return has_device(os, gpu);
  case VMI_OS_VIRTIO_BALLOON:
    return has_device(os, balloon);
  case VMI_OS_VIRTIO_SERIAL:
    if (has_device(os, serial))
      return TRUE;
    /* osdict's workaround for old RHEL data: "name in 'rhel6.0'" is a
     * substring test, so any relative named e.g. "rhel6" matches too */
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init(&iter, os->relatives);
      while (g_hash_table_iter_next(&iter, &key, NULL)) {
        if (strstr("rhel6.0", key))
          return TRUE;
      }
    }
    return FALSE;
  case VMI_OS_VIRTIO_INPUT:
    return has_device(os, input);
  case VMI_OS_USB3:
    return has_device(os, usb3);
  case VMI_OS_VIRTIO1:
    return has_device(os, virtio1);
  case VMI_OS_CHIPSET_Q35:
    /* q35 only together with virtio 1.0, where virtio matters at all */
    if (has_device(os, net) && !has_device(os, virtio1))
      return FALSE;
    return has_device(os, q35);
  }
  return FALSE;
}

static gboolean
firmware_supported(const VmiOs *os, const char *arch, const char *type,
                   gboolean fallback)
{
  for (guint i = 0; i < os->firmware->len; i++) {
    VmiOsFirmware *fw = os->firmware->pdata[i];

    if (g_strcmp0(fw->arch, arch) == 0 && g_strcmp0(fw->type, type) == 0)
      return fw->supported;
  }
  return fallback;
}

gboolean
vmi_os_requires_efi(const VmiOs *os, const char *arch)
{
  /* virt-install hardcodes win11, from before osinfo-db knew it */
  if (g_str_equal(vmi_os_short_id(os), "win11"))
    return TRUE;
  return firmware_supported(os, arch, "efi", FALSE) &&
         !firmware_supported(os, arch, "bios", TRUE);
}

const char *
vmi_os_clock(const VmiOs *os)
{
  if (vmi_os_is_windows(os) || g_strcmp0(os->family, "solaris") == 0)
    return "localtime";
  return "utc";
}

typedef enum { RES_RAM, RES_NCPUS, RES_STORAGE } ResField;

static gint64
res_value(const VmiOsResources *res, ResField field)
{
  switch (field) {
  case RES_RAM:
    return res->ram;
  case RES_NCPUS:
    return (gint)res->n_cpus; /* libosinfo returns the count as a gint */
  case RES_STORAGE:
    return res->storage;
  }
  return -1;
}

/* osdict's _get_key(): the value for @arch, else for "all"; entries for
 * the same arch overwrite each other in list order. */
static gint64
res_lookup(const VmiOs *os, VmiOsResKind kind, const char *arch,
           ResField field)
{
  const char *archs[] = { arch, "all" };

  for (int a = 0; a < 2; a++) {
    gint64 val = -1;
    gboolean found = FALSE;

    for (guint i = 0; i < os->resources[kind]->len; i++) {
      VmiOsResources *res = os->resources[kind]->pdata[i];

      if (g_strcmp0(res->arch, archs[a]) == 0) {
        val = res_value(res, field);
        found = TRUE;
      }
    }
    if (found && val != -1)
      return val;
  }
  return -1;
}

static gint64
res_minimum(const VmiOs *os, const char *arch, ResField field)
{
  gint64 val = res_lookup(os, VMI_OS_RES_MINIMUM, arch, field);

  return val > 0 ? val : -1;
}

static gint64
res_recommended(const VmiOs *os, const char *arch, ResField field)
{
  gint64 val = res_lookup(os, VMI_OS_RES_RECOMMENDED, arch, field);

  if (val > 0)
    return val;
  /* with only a minimum known, osdict recommends twice that */
  val = res_minimum(os, arch, field);
  return val > 0 ? val * 2 : -1;
}

gint64
vmi_os_minimum_ram(const VmiOs *os, const char *arch)
{
  return res_minimum(os, arch, RES_RAM);
}

gint64
vmi_os_recommended_ram(const VmiOs *os, const char *arch)
{
  return res_recommended(os, arch, RES_RAM);
}

gint64
vmi_os_recommended_ncpus(const VmiOs *os, const char *arch)
{
  return res_recommended(os, arch, RES_NCPUS);
}

gint64
vmi_os_recommended_storage(const VmiOs *os, const char *arch)
{
  return res_recommended(os, arch, RES_STORAGE);
}

gint64
vmi_os_network_install_ram(const VmiOs *os, const char *arch)
{
  GPtrArray *list = os->resources[VMI_OS_RES_NETWORK_INSTALL];

  /* the first entry for the arch or for "all", in the database's order */
  for (guint i = 0; i < list->len; i++) {
    VmiOsResources *res = list->pdata[i];

    if (g_strcmp0(res->arch, arch) == 0 || g_strcmp0(res->arch, "all") == 0)
      return res->ram > 0 ? res->ram : -1;
  }
  return -1;
}

const char *
vmi_os_kernel_url_arg(const VmiOs *os)
{
  static const char *const suse[] = { "caasp", "sle", "sled", "sles",
                                      "opensuse", NULL };
  static const char *const redhat[] = { "centos", "rhel", "fedora", NULL };

  if (os->kernel_url_arg)
    return os->kernel_url_arg;
  if (os->distro && g_strv_contains(suse, os->distro))
    return "install";
  if (os->distro && g_strv_contains(redhat, os->distro))
    return "inst.repo";
  return NULL;
}

/* ------------------------------------------------------------ listing */

/* osdict's list order: case-insensitive, digit runs compared as numbers
 * and larger numbers first ("fedora36" before "fedora9"). */
static int
alphanum_compare(const char *a, const char *b)
{
  while (*a || *b) {
    gboolean da = g_ascii_isdigit(*a);
    gboolean db = g_ascii_isdigit(*b);

    if (da && db) {
      const char *ea, *eb;
      gsize la, lb;
      int c;

      while (*a == '0' && g_ascii_isdigit(a[1]))
        a++;
      while (*b == '0' && g_ascii_isdigit(b[1]))
        b++;
      for (ea = a; g_ascii_isdigit(*ea); ea++)
        ;
      for (eb = b; g_ascii_isdigit(*eb); eb++)
        ;
      la = ea - a;
      lb = eb - b;
      if (la != lb)
        return la > lb ? -1 : 1;
      c = strncmp(a, b, la);
      if (c)
        return -c;
      a = ea;
      b = eb;
      continue;
    }
    /* a text run ends where a digit run starts: compare the runs as
     * strings, so a shorter run that is a prefix sorts first */
    {
      const char *ea = a, *eb = b;
      gsize la, lb;

      while (*ea && !g_ascii_isdigit(*ea))
        ea++;
      while (*eb && !g_ascii_isdigit(*eb))
        eb++;
      la = ea - a;
      lb = eb - b;
      for (gsize i = 0; i < MIN(la, lb); i++) {
        int ca = (guchar)g_ascii_tolower(a[i]);
        int cb = (guchar)g_ascii_tolower(b[i]);

        if (ca != cb)
          return ca < cb ? -1 : 1;
      }
      if (la != lb)
        return la < lb ? -1 : 1;
      a = ea;
      b = eb;
      /* after equal text runs, a name that ended sorts first */
      if (!*a || !*b) {
        if (!*a && !*b)
          return 0;
        return !*a ? -1 : 1;
      }
    }
  }
  return 0;
}

typedef struct {
  const char *name;
  GPtrArray *short_ids; /* borrowed */
  guint rank;
  VmiOsIndexEntry *entry; /* NULL for generic */
} ListItem;

static gint
list_item_compare(gconstpointer a, gconstpointer b)
{
  const ListItem *x = a;
  const ListItem *y = b;
  int c = alphanum_compare(x->name, y->name);

  /* Python's sort is stable: ties keep libosinfo's order, which virt-install
   * appends the generic OS to */
  if (c)
    return c;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static GPtrArray *
list_oses(gboolean lines, GError **error)
{
  g_autoptr(VmiOsIndex) index = vmi_os_index_get(error);
  g_autoptr(GArray) items = NULL;
  g_autoptr(GPtrArray) generic = NULL;
  GPtrArray *ret;

  if (!index)
    return NULL;
  items = g_array_new(FALSE, FALSE, sizeof(ListItem));
  for (guint i = 0; i < index->entries->len; i++) {
    VmiOsIndexEntry *e = index->entries->pdata[i];
    ListItem item = { NULL, e->short_ids, e->rank, e };

    if (e->short_ids->len == 0)
      continue;
    item.name = e->short_ids->pdata[0];
    g_array_append_val(items, item);
  }
  generic = g_ptr_array_new();
  g_ptr_array_add(generic, (gpointer)GENERIC_NAME);
  {
    ListItem item = { GENERIC_NAME, generic, G_MAXUINT, NULL };
    g_array_append_val(items, item);
  }
  g_array_sort(items, list_item_compare);

  ret = g_ptr_array_new_full(items->len, g_free);
  for (guint i = 0; i < items->len; i++) {
    ListItem *item = &g_array_index(items, ListItem, i);

    if (!lines) {
      g_ptr_array_add(ret, g_strdup(item->name));
    } else {
      /* like osdict's all_names: sorted, without repeats */
      g_autoptr(GPtrArray) names = g_ptr_array_new();
      GString *line = g_string_new(NULL);

      for (guint j = 0; j < item->short_ids->len; j++)
        g_ptr_array_add(names, item->short_ids->pdata[j]);
      g_ptr_array_sort(names, compare_strptr);
      for (guint j = 0; j < names->len; j++) {
        if (j > 0 && g_str_equal(names->pdata[j], names->pdata[j - 1]))
          continue;
        if (line->len)
          g_string_append(line, ", ");
        g_string_append(line, names->pdata[j]);
      }
      g_ptr_array_add(ret, g_string_free(line, FALSE));
    }
  }
  return ret;
}

GPtrArray *
vmi_os_list_short_ids(GError **error)
{
  return list_oses(FALSE, error);
}

GPtrArray *
vmi_os_list_lines(GError **error)
{
  return list_oses(TRUE, error);
}

/* ------------------------------------------------------------ install trees */

/* A tree's value for one treeinfo field, and what each pattern seen so far
 * answered for it: most trees share their family's patterns. */
typedef struct {
  const char *value; /* NULL when the tree has none */
  GHashTable *memo;  /* pattern -> GINT_TO_POINTER(matched + 1) */
} TreeField;

/* libosinfo's match_regex(): a missing pattern matches anything, a pattern
 * needs a value and matches it anywhere (g_regex_match_simple, no flags). */
static gboolean
field_matches(TreeField *f, const char *pattern)
{
  gpointer memo;
  gboolean matched;

  if (!pattern)
    return TRUE;
  if (!f->value)
    return FALSE;
  memo = g_hash_table_lookup(f->memo, pattern);
  if (memo)
    return GPOINTER_TO_INT(memo) - 1;
  {
    g_autoptr(GRegex) re = g_regex_new(pattern, 0, 0, NULL);

    matched = re && g_regex_match(re, f->value, 0, NULL);
  }
  g_hash_table_insert(f->memo, (gpointer)pattern,
                      GINT_TO_POINTER(matched + 1));
  return matched;
}

typedef struct {
  const char *arch;
  TreeField family, variant, version, treeinfo_arch;
} TreeQuery;

/* osinfo_tree_matches() for a reference tree with treeinfo data */
static gboolean
tree_matches(TreeQuery *q, const VmiOsTree *ref)
{
  /* (libosinfo would crash on a reference tree without arch) */
  if (!ref->arch ||
      (!g_str_equal(ref->arch, q->arch) && !g_str_equal(ref->arch, "all")))
    return FALSE;
  return field_matches(&q->family, ref->family) &&
         field_matches(&q->variant, ref->variant) &&
         field_matches(&q->version, ref->version) &&
         field_matches(&q->treeinfo_arch, ref->treeinfo_arch);
}

static const char *
non_empty(const char *s)
{
  return s && s[0] ? s : NULL;
}

char *
vmi_os_identify_tree(const char *family, const char *variant,
                     const char *version, const char *arch, GError **error)
{
  g_autoptr(VmiOsIndex) index = vmi_os_index_get(error);
  g_autoptr(GPtrArray) fallback = NULL;
  g_autoptr(GHashTable) memo_family = NULL;
  g_autoptr(GHashTable) memo_variant = NULL;
  g_autoptr(GHashTable) memo_version = NULL;
  g_autoptr(GHashTable) memo_arch = NULL;
  VmiOsIndexEntry *found = NULL;
  TreeQuery q;

  if (!index)
    return NULL;
  memo_family = g_hash_table_new(g_str_hash, g_str_equal);
  memo_variant = g_hash_table_new(g_str_hash, g_str_equal);
  memo_version = g_hash_table_new(g_str_hash, g_str_equal);
  memo_arch = g_hash_table_new(g_str_hash, g_str_equal);
  /* the tree libosinfo makes of a .treeinfo: empty values count as
   * missing, and a tree without arch is an i386 one */
  q.arch = arch ? arch : "i386";
  q.family = (TreeField){ non_empty(family), memo_family };
  q.variant = (TreeField){ non_empty(variant), memo_variant };
  q.version = (TreeField){ non_empty(version), memo_version };
  q.treeinfo_arch = (TreeField){ non_empty(arch), memo_arch };

  /* osinfo_db_identify_tree(): the first OS, in the database's order,
   * with a tree for the arch that matches; failing that, the first OS
   * (in reverse order) whose arch="all" tree matches */
  fallback = g_ptr_array_new();
  for (guint i = 0; i < index->with_trees->len && !found; i++) {
    VmiOsIndexEntry *e = index->with_trees->pdata[i];
    gboolean have_fallback = FALSE;

    for (guint j = 0; j < e->trees->len && !found; j++) {
      VmiOsTree *t = e->trees->pdata[j];

      if (g_strcmp0(t->arch, "all") == 0)
        have_fallback = TRUE;
      else if (tree_matches(&q, t))
        found = e;
    }
    if (!found && have_fallback)
      g_ptr_array_insert(fallback, 0, e);
  }
  for (guint i = 0; i < fallback->len && !found; i++) {
    VmiOsIndexEntry *e = fallback->pdata[i];

    for (guint j = 0; j < e->trees->len && !found; j++) {
      if (tree_matches(&q, e->trees->pdata[j]))
        found = e;
    }
  }

  if (!found || found->short_ids->len == 0)
    return NULL;
  return g_strdup(found->short_ids->pdata[0]);
}

/* Python's text.split()[n], or NULL. */
static char *
nth_word(const char *text, int n)
{
  const char *p = text;

  for (;;) {
    const char *start;

    while (*p && g_unichar_isspace(g_utf8_get_char(p)))
      p = g_utf8_next_char(p);
    if (!*p)
      return NULL;
    start = p;
    while (*p && !g_unichar_isspace(g_utf8_get_char(p)))
      p = g_utf8_next_char(p);
    if (n-- == 0)
      return g_strndup(start, p - start);
  }
}

char *
vmi_os_find_by_codename(const char *prefix, const char *location,
                        GError **error)
{
  g_autoptr(VmiOsIndex) index = NULL;
  g_autoptr(GArray) items = NULL;

  g_return_val_if_fail(prefix != NULL && location != NULL, NULL);

  index = vmi_os_index_get(error);
  if (!index)
    return NULL;

  /* urldetect's _DebianDistro._detect_version(): the OSes whose name
   * starts with the prefix, in OSDB.list_os() order */
  items = g_array_new(FALSE, FALSE, sizeof(ListItem));
  for (guint i = 0; i < index->entries->len; i++) {
    VmiOsIndexEntry *e = index->entries->pdata[i];
    ListItem item = { NULL, e->short_ids, e->rank, e };

    if (e->short_ids->len == 0 ||
        !g_str_has_prefix(e->short_ids->pdata[0], prefix))
      continue;
    item.name = e->short_ids->pdata[0];
    g_array_append_val(items, item);
  }
  if (g_str_has_prefix(GENERIC_NAME, prefix)) {
    ListItem item = { GENERIC_NAME, NULL, G_MAXUINT, NULL };
    g_array_append_val(items, item);
  }
  g_array_sort(items, list_item_compare);

  for (guint i = 0; i < items->len; i++) {
    ListItem *item = &g_array_index(items, ListItem, i);
    VmiOsIndexEntry *e = item->entry;
    g_autoptr(VmiOsRecord) rec = NULL;
    const char *codename = e ? e->codename : NULL;
    const char *label = e ? NULL : GENERIC_LABEL;
    g_autofree char *word = NULL;
    g_autofree char *needle = NULL;

    /* names are translated, so is perhaps the codename: only the record
     * read in the user's languages tells them */
    if (e && (e->codename_unknown || !codename)) {
      rec = vmi_os_record_new(e->id);
      if (!vmi_os_record_load(rec, e->files, error))
        return NULL;
      codename = rec->codename;
      label = rec->name;
    }
    if (codename) {
      /* Ubuntu's look like "Jammy Jellyfish" */
      word = nth_word(codename, 0);
    } else if (label && strchr(label, ' ')) {
      /* Debian's labels look like "Debian testing" */
      word = nth_word(label, 1);
    }
    /* (virt-install fails on a blank codename or a one-word label with
     * spaces; skipping them is the closest working answer) */
    if (!word)
      continue;
    {
      g_autofree char *lower = g_utf8_strdown(word, -1);

      needle = g_strconcat("/", lower, "/", NULL);
    }
    if (strstr(location, needle))
      return g_strdup(item->name);
  }
  return NULL;
}
