/* Error domain shared by every libvminstall module. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VMI_ERROR (vmi_error_quark())
GQuark vmi_error_quark(void);

typedef enum {
  VMI_ERROR_FAILED,       /* anything not covered below */
  VMI_ERROR_USAGE,        /* bad command line: option, suboption or value */
  VMI_ERROR_INVALID,      /* a valid command line describing an impossible guest */
  VMI_ERROR_CONFLICT,     /* the guest collides with something existing */
  VMI_ERROR_NOT_FOUND,    /* OS id, file, pool, network ... that does not exist */
  VMI_ERROR_UNSUPPORTED,  /* the connection cannot do what was asked */
  VMI_ERROR_LIBVIRT,      /* libvirt reported an error */
} VmiErrorCode;

G_END_DECLS
