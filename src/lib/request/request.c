#include "request.h"
#include "guest.h"
#include "vminstall/error.h"

static void
storage_free(gpointer data)
{
  VmiDiskStorage *st = data;

  g_free(st->path);
  g_free(st->pool);
  g_free(st->vol);
  g_free(st->format);
  g_free(st->backing_store);
  g_free(st->backing_format);
  g_free(st->create_pool);
  g_free(st->create_name);
  g_free(st->create_pool_dir);
  g_free(st);
}

VmiRequest *
vmi_request_new(void)
{
  VmiRequest *req = g_new0(VmiRequest, 1);

  req->options = g_ptr_array_new_with_free_func(g_free);
  req->guest = vmi_guest_new();
  req->storage = vmi_storage_list_new();
  req->install.extra_args = g_ptr_array_new_with_free_func(g_free);
  req->install.initrd_inject = g_ptr_array_new_with_free_func(g_free);
  req->os.require = -1;
  req->install.cloud_init_opts.root_password_generate = -1;
  req->install.cloud_init_opts.disable = -1;
  req->check = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return req;
}

void
vmi_request_free(VmiRequest *req)
{
  if (!req)
    return;
  g_ptr_array_unref(req->options);
  g_free(req->parse_error);
  vmi_guest_free(req->guest);
  g_ptr_array_free(req->storage, TRUE);
  g_free(req->install.cdrom);
  g_free(req->install.location);
  g_free(req->install.location_kernel);
  g_free(req->install.location_initrd);
  g_free(req->install.kernel);
  g_free(req->install.initrd);
  g_free(req->install.kernel_args);
  g_free(req->install.bootdev);
  g_free(req->install.install_os);
  g_free(req->install.unattended);
  g_free(req->install.cloud_init);
  g_free(req->install.unattended_opts.profile);
  g_free(req->install.unattended_opts.admin_password_file);
  g_free(req->install.unattended_opts.user_login);
  g_free(req->install.unattended_opts.user_password_file);
  g_free(req->install.unattended_opts.product_key);
  g_free(req->install.unattended_opts.reg_login);
  g_free(req->install.cloud_init_opts.root_password_file);
  g_free(req->install.cloud_init_opts.root_ssh_key);
  g_free(req->install.cloud_init_opts.clouduser_ssh_key);
  g_free(req->install.cloud_init_opts.user_data);
  g_free(req->install.cloud_init_opts.meta_data);
  g_free(req->install.cloud_init_opts.network_config);
  g_free(req->install.autocf);
  g_free(req->install.zfs_bootfs);
  g_ptr_array_free(req->install.extra_args, TRUE);
  g_ptr_array_free(req->install.initrd_inject, TRUE);
  g_free(req->os.name);
  g_free(req->os.full_id);
  g_free(req->connect_uri);
  g_free(req->virt_type);
  g_free(req->arch);
  g_free(req->machine);
  g_hash_table_unref(req->check);
  g_free(req);
}

/* ---- the public setters: they record options, the cli module reads them ---- */

gboolean
vmi_request_add_option(VmiRequest *req, const char *name, const char *value, GError **error)
{
  if (req->parsed || req->parse_error) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--%s: the request is in use already and takes no more options", name);
    return FALSE;
  }
  g_ptr_array_add(req->options, value ? g_strdup_printf("--%s=%s", name, value)
                                       : g_strdup_printf("--%s", name));
  return TRUE;
}

/* The typed setters cannot fail but on a request in use, which is a
 * mistake of the program (as a GLib precondition is). */
static void
add(VmiRequest *req, const char *name, const char *value)
{
  g_return_if_fail(!req->parsed && !req->parse_error);
  vmi_request_add_option(req, name, value, NULL);
}

void
vmi_request_set_name(VmiRequest *req, const char *name)
{
  add(req, "name", name);
}

void
vmi_request_set_memory(VmiRequest *req, guint64 mib)
{
  g_autofree char *value = g_strdup_printf("%" G_GUINT64_FORMAT, mib);

  add(req, "memory", value);
}

void
vmi_request_set_vcpus(VmiRequest *req, guint vcpus)
{
  g_autofree char *value = g_strdup_printf("%u", vcpus);

  add(req, "vcpus", value);
}

void
vmi_request_set_os(VmiRequest *req, const char *os)
{
  add(req, "osinfo", os);
}

void
vmi_request_add_disk(VmiRequest *req, const char *disk)
{
  add(req, "disk", disk);
}

void
vmi_request_add_network(VmiRequest *req, const char *network)
{
  add(req, "network", network);
}

void
vmi_request_set_cdrom(VmiRequest *req, const char *path)
{
  add(req, "cdrom", path);
}

void
vmi_request_set_location(VmiRequest *req, const char *location)
{
  add(req, "location", location);
}

void
vmi_request_set_import(VmiRequest *req)
{
  add(req, "import", NULL);
}

/* ---- storage ---- */

GPtrArray *
vmi_storage_list_new(void)
{
  return g_ptr_array_new_with_free_func(storage_free);
}

VmiDiskStorage *
vmi_storage_list_add(GPtrArray *storage, xmlNodePtr disk)
{
  VmiDiskStorage *st = g_new0(VmiDiskStorage, 1);

  st->disk = disk;
  st->size_gib = -1;
  st->sparse = -1;
  g_ptr_array_add(storage, st);
  return st;
}

VmiDiskStorage *
vmi_storage_list_find(GPtrArray *storage, xmlNodePtr disk)
{
  for (guint i = 0; i < storage->len; i++) {
    VmiDiskStorage *st = g_ptr_array_index(storage, i);
    if (st->disk == disk)
      return st;
  }
  return NULL;
}

GPtrArray *
vmi_storage_list_copy(GPtrArray *storage, const VmiGuest *from, VmiGuest *to)
{
  g_autoptr(GPtrArray) old_disks = vmi_guest_devices(from, "disk");
  g_autoptr(GPtrArray) new_disks = vmi_guest_devices(to, "disk");
  GPtrArray *copy = vmi_storage_list_new();

  g_assert(old_disks->len == new_disks->len);
  for (guint i = 0; i < storage->len; i++) {
    const VmiDiskStorage *st = g_ptr_array_index(storage, i);
    guint at;
    VmiDiskStorage *c;

    if (!g_ptr_array_find(old_disks, st->disk, &at))
      g_assert_not_reached();
    c = vmi_storage_list_add(copy, g_ptr_array_index(new_disks, at));
    c->path = g_strdup(st->path);
    c->pool = g_strdup(st->pool);
    c->vol = g_strdup(st->vol);
    c->size_gib = st->size_gib;
    c->format = g_strdup(st->format);
    c->backing_store = g_strdup(st->backing_store);
    c->backing_format = g_strdup(st->backing_format);
    c->sparse = st->sparse;
    c->will_create = st->will_create;
    c->create_pool = g_strdup(st->create_pool);
    c->create_name = g_strdup(st->create_name);
    c->create_pool_dir = g_strdup(st->create_pool_dir);
  }
  return copy;
}

VmiDiskStorage *
vmi_request_add_storage(VmiRequest *req, xmlNodePtr disk)
{
  return vmi_storage_list_add(req->storage, disk);
}

VmiDiskStorage *
vmi_request_storage_for(const VmiRequest *req, xmlNodePtr disk)
{
  return vmi_storage_list_find(req->storage, disk);
}

const char *
vmi_install_bootdev(const VmiInstall *install)
{
  if (install->bootdev)
    return install->bootdev;
  if (install->method == VMI_INSTALL_CDROM)
    return "cdrom";
  if (install->method == VMI_INSTALL_PXE)
    return "network";
  return NULL;
}

gboolean
vmi_install_has_tree(const VmiInstall *install)
{
  return install->location || install->location_kernel ||
         install->location_initrd || install->kernel || install->initrd;
}

gboolean
vmi_install_has_method(const VmiInstall *install)
{
  return install->no_install || install->cloud_init || install->unattended ||
         install->cdrom || vmi_install_bootdev(install) || vmi_install_has_tree(install);
}

char *
vmi_install_extra_args(const VmiInstall *install)
{
  if (!install->extra_args->len)
    return NULL;
  g_ptr_array_add(install->extra_args, NULL);
  char *ret = g_strjoinv(" ", (char **)install->extra_args->pdata);
  g_ptr_array_remove_index(install->extra_args, install->extra_args->len - 1);
  return ret;
}
