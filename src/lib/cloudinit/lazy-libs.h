/*
 * libisofs and libyaml, opened with dlopen on first use: only
 * --cloud-init and --unattended need them, and linking them would cost
 * every other run of vminstall their loading (measured ~0.6 ms of a
 * ~20 ms --print-xml).  The functions are typed from the libraries' own
 * headers and called through the tables below.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>
/* libisofs declares struct burn_source itself for programs that do not
 * use libburn; we never include libburn.h. */
#define LIBISOFS_WITHOUT_LIBBURN 1
#include <libisofs/libisofs.h>
#include <yaml.h>

#define VMI_ISOFS_FUNCS(X) \
  X(iso_init) \
  X(iso_set_msgs_severities) \
  X(iso_error_to_msg) \
  X(iso_image_new) \
  X(iso_image_set_volume_id) \
  X(iso_image_get_root) \
  X(iso_image_unref) \
  X(iso_memory_stream_new) \
  X(iso_stream_unref) \
  X(iso_tree_add_new_file) \
  X(iso_write_opts_new) \
  X(iso_write_opts_free) \
  X(iso_write_opts_set_joliet) \
  X(iso_write_opts_set_replace_mode) \
  X(iso_write_opts_set_default_dir_mode) \
  X(iso_write_opts_set_default_file_mode) \
  X(iso_write_opts_set_default_uid) \
  X(iso_write_opts_set_default_gid) \
  X(iso_write_opts_set_always_gmt) \
  X(iso_image_create_burn_source)

#define VMI_YAML_FUNCS(X) \
  X(yaml_parser_initialize) \
  X(yaml_parser_set_input_string) \
  X(yaml_parser_parse) \
  X(yaml_event_delete) \
  X(yaml_parser_delete)

#define VMI_LAZY_FIELD(f) __typeof__(f) *f;
typedef struct {
  VMI_ISOFS_FUNCS(VMI_LAZY_FIELD)
} VmiIsofsFuncs;
typedef struct {
  VMI_YAML_FUNCS(VMI_LAZY_FIELD)
} VmiYamlFuncs;
#undef VMI_LAZY_FIELD

/* The tables, loaded once per process; NULL with @error naming the
 * missing Debian package. */
const VmiIsofsFuncs *vmi_isofs(GError **error);
const VmiYamlFuncs *vmi_yaml(GError **error);
