#include "vminstall/error.h"

G_DEFINE_QUARK(vminstall-error-quark, vmi_error)
