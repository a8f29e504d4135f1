#include "vminstall/request.h"

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

  req->guest = vmi_guest_new();
  req->storage = g_ptr_array_new_with_free_func(storage_free);
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
  vmi_guest_free(req->guest);
  g_ptr_array_free(req->storage, TRUE);
  g_free(req->install.cdrom);
  g_free(req->install.location);
  g_free(req->install.location_kernel);
  g_free(req->install.location_initrd);
  g_free(req->install.location_iso);
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
  g_free(req->install.unattended_cmdline);
  g_free(req->install.autocf);
  g_free(req->install.zfs_bootfs);
  g_free(req->inspect_media);
  g_ptr_array_free(req->install.extra_args, TRUE);
  g_ptr_array_free(req->install.initrd_inject, TRUE);
  g_free(req->os.name);
  g_free(req->os.full_id);
  g_free(req->connect_uri);
  g_free(req->virt_type);
  g_free(req->arch);
  g_free(req->machine);
  g_hash_table_unref(req->check);
  g_free(req->output);
  g_free(req);
}

VmiDiskStorage *
vmi_request_add_storage(VmiRequest *req, xmlNodePtr disk)
{
  VmiDiskStorage *st = g_new0(VmiDiskStorage, 1);

  st->disk = disk;
  st->size_gib = -1;
  st->sparse = -1;
  g_ptr_array_add(req->storage, st);
  return st;
}

VmiDiskStorage *
vmi_request_storage_for(const VmiRequest *req, xmlNodePtr disk)
{
  for (guint i = 0; i < req->storage->len; i++) {
    VmiDiskStorage *st = g_ptr_array_index(req->storage, i);
    if (st->disk == disk)
      return st;
  }
  return NULL;
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
