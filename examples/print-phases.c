/*
 * print-phases URI ISO: the two configurations of an install of the guest
 *
 *   vminstall --connect URI --name demo --memory 1024 --disk none \
 *     --cdrom ISO --osinfo linux2020 --print-xml
 *
 * describes, made through libvminstall's API: the request is written with
 * its setters, not as argv.  The first is the install phase (it boots the
 * ISO), the second what every later boot uses.
 *
 *   cc print-phases.c $(pkg-config --cflags --libs vminstall) -o print-phases
 */
#include <stdio.h>
#include <vminstall/vminstall.h>

int
main(int argc, char **argv)
{
  g_autoptr(VmiRequest) req = NULL;
  g_autoptr(VmiConn) conn = NULL;
  g_autoptr(VmiInstaller) inst = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 3) {
    fprintf(stderr, "usage: %s URI ISO\n", argv[0]);
    return 2;
  }
  req = vmi_request_new();
  vmi_request_set_name(req, "demo");
  vmi_request_set_memory(req, 1024);
  vmi_request_add_disk(req, "none");
  vmi_request_set_cdrom(req, argv[2]);
  vmi_request_set_os(req, "linux2020");

  conn = vmi_conn_new(argv[1], &error);
  if (conn)
    inst = vmi_installer_new(req, conn, &error);
  /* printing makes up the names of staged files and creates nothing */
  if (!inst || !vmi_installer_prepare(inst, VMI_INSTALLER_PRINT, &error)) {
    fprintf(stderr, "print-phases: %s\n", error->message);
    return 1;
  }
  for (guint phase = 1; phase <= vmi_installer_n_phases(inst); phase++) {
    g_autofree char *xml = vmi_installer_phase_xml(inst, phase);
    fputs(xml, stdout);
  }
  return 0;
}
