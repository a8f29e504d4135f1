/**
 * @file error.h
 * @brief The error domain of every libvminstall function.
 *
 * Functions that can fail return FALSE or NULL and set a GError in the
 * VMI_ERROR domain whose message is one line for the user: what was
 * wrong, and what is accepted or how to fix it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** The GError domain of libvminstall. */
#define VMI_ERROR (vmi_error_quark())
/** The quark of VMI_ERROR. */
GQuark vmi_error_quark(void);

/** What kind of failure a VMI_ERROR is. */
typedef enum {
  VMI_ERROR_FAILED,       /**< anything not covered below */
  VMI_ERROR_USAGE,        /**< bad request: option, suboption or value */
  VMI_ERROR_INVALID,      /**< a valid request describing an impossible guest */
  VMI_ERROR_CONFLICT,     /**< the guest collides with something existing */
  VMI_ERROR_NOT_FOUND,    /**< OS id, file, pool, network ... that does not exist */
  VMI_ERROR_UNSUPPORTED,  /**< the connection cannot do what was asked */
  VMI_ERROR_LIBVIRT,      /**< libvirt reported an error */
} VmiErrorCode;

G_END_DECLS
