/*
 * libosinfo, opened with dlopen on first use (see unattended.h): the
 * functions this module calls, typed from libosinfo's own headers and
 * called as OSI(name)(args).  Never use libosinfo's GObject cast or type
 * macros here: they would link libosinfo into every program.
 */
#pragma once

#include <osinfo/osinfo.h>

#define OSINFO_DL_FUNCS(X) \
  X(osinfo_loader_new) \
  X(osinfo_loader_process_default_path) \
  X(osinfo_loader_get_db) \
  X(osinfo_db_get_os) \
  X(osinfo_db_identify_media) \
  X(osinfo_db_identify_tree) \
  X(osinfo_entity_get_id) \
  X(osinfo_list_get_length) \
  X(osinfo_list_get_nth) \
  X(osinfo_os_get_install_script_list) \
  X(osinfo_media_create_from_location_with_flags) \
  X(osinfo_media_supports_installer_script) \
  X(osinfo_media_get_install_script_list) \
  X(osinfo_tree_create_from_location) \
  X(osinfo_install_script_get_profile) \
  X(osinfo_install_script_get_expected_filename) \
  X(osinfo_install_script_get_injection_methods) \
  X(osinfo_install_script_set_preferred_injection_method) \
  X(osinfo_install_script_set_installation_source) \
  X(osinfo_install_script_get_config_param) \
  X(osinfo_install_config_param_is_optional) \
  X(osinfo_install_script_generate) \
  X(osinfo_install_script_generate_for_media) \
  X(osinfo_install_script_generate_for_tree) \
  X(osinfo_install_script_generate_command_line) \
  X(osinfo_install_script_generate_command_line_for_media) \
  X(osinfo_install_script_generate_command_line_for_tree) \
  X(osinfo_install_config_new) \
  X(osinfo_install_config_set_user_login) \
  X(osinfo_install_config_set_user_realname) \
  X(osinfo_install_config_set_user_password) \
  X(osinfo_install_config_set_admin_password) \
  X(osinfo_install_config_set_target_disk) \
  X(osinfo_install_config_set_hardware_arch) \
  X(osinfo_install_config_set_hostname) \
  X(osinfo_install_config_set_l10n_timezone) \
  X(osinfo_install_config_set_l10n_language) \
  X(osinfo_install_config_set_l10n_keyboard) \
  X(osinfo_install_config_set_installation_url) \
  X(osinfo_install_config_set_reg_login) \
  X(osinfo_install_config_set_reg_product_key)

typedef struct {
#define OSINFO_DL_FIELD(f) __typeof__(f) *f;
  OSINFO_DL_FUNCS(OSINFO_DL_FIELD)
#undef OSINFO_DL_FIELD
} VmiOsinfoFuncs;

/* The functions, loaded once per process; NULL with @error when
 * libosinfo cannot be loaded. */
const VmiOsinfoFuncs *vmi_osinfo_dl(GError **error);

/* The whole osinfo-db through libosinfo's loader, once per process. */
OsinfoDb *vmi_osinfo_dl_db(GError **error);

#define OSI(f) (vmi_osinfo_dl(NULL)->f)
