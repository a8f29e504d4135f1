#include "vminstall/version.h"

const char *
vmi_version(void)
{
  return VMI_VERSION;
}
