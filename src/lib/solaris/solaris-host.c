/*
 * The host's side of a Solaris install's command line: the guest name
 * resolved on dom0, the NFS servers' addresses, dom0's default route and
 * its netmask.  The only Solaris code that looks at the host.
 */
#include <string.h>
#include <stdio.h>
#include <netdb.h>
#include <ifaddrs.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "solaris.h"
#include "error-util.h"

static char *
resolve_ipv4(const char *name)
{
  struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
  struct addrinfo *res = NULL;
  char buf[INET_ADDRSTRLEN];
  char *ip = NULL;

  if (!name || getaddrinfo(name, NULL, &hints, &res) != 0)
    return NULL;
  if (res && inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr,
                       buf, sizeof(buf)))
    ip = g_strdup(buf);
  freeaddrinfo(res);
  return ip;
}

/* dom0's default IPv4 route from /proc/net/route: gateway and device. */
static void
default_route(char **gateway, char **device)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  *gateway = *device = NULL;
  if (!g_file_get_contents("/proc/net/route", &text, NULL, NULL))
    return;
  lines = g_strsplit(text, "\n", -1);
  for (guint i = 1; lines[i]; i++) {
    char iface[64];
    unsigned int dest, gw, flags;
    if (sscanf(lines[i], "%63s %x %x %x", iface, &dest, &gw, &flags) == 4 &&
        dest == 0 && (flags & 0x2) /* RTF_GATEWAY */) {
      struct in_addr a = { .s_addr = gw };
      char buf[INET_ADDRSTRLEN];
      if (inet_ntop(AF_INET, &a, buf, sizeof(buf))) {
        *gateway = g_strdup(buf);
        *device = g_strdup(iface);
      }
      return;
    }
  }
}

static char *
device_netmask(const char *device)
{
  struct ifaddrs *ifs = NULL;
  char *mask = NULL;

  if (!device || getifaddrs(&ifs) != 0)
    return NULL;
  for (struct ifaddrs *i = ifs; i && !mask; i = i->ifa_next) {
    char buf[INET_ADDRSTRLEN];
    if (i->ifa_netmask && i->ifa_netmask->sa_family == AF_INET && i->ifa_name &&
        strcmp(i->ifa_name, device) == 0 &&
        inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, buf, sizeof(buf)))
      mask = g_strdup(buf);
  }
  freeifaddrs(ifs);
  return mask;
}

static const char *
keep(GPtrArray *strings, char *s)
{
  if (s)
    g_ptr_array_add(strings, s);
  return s;
}

gboolean
vmi_solaris_host_facts(const char *guest_name, VmiSolarisBootFacts *f, GPtrArray *strings,
                       GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  char *gateway = NULL, *device = NULL;

  f->guest_ip = keep(strings, resolve_ipv4(guest_name));
  if (f->source == VMI_SOLARIS_SOURCE_NFS &&
      vmi_solaris_source_parse(f->location, FALSE, &host, &path) == VMI_SOLARIS_SOURCE_NFS) {
    f->location_ip = keep(strings, resolve_ipv4(host));
    if (!f->location_ip)
      return vmi_fail_usage(error, "--location: cannot resolve the NFS server '%s'", host);
  }
  g_clear_pointer(&host, g_free);
  g_clear_pointer(&path, g_free);
  if (f->autocf && f->release == VMI_SOLARIS_NEVADA &&
      vmi_solaris_source_parse(f->autocf, FALSE, &host, &path) == VMI_SOLARIS_SOURCE_NFS) {
    f->autocf_ip = keep(strings, resolve_ipv4(host));
    if (!f->autocf_ip)
      return vmi_fail_usage(error, "--autocf: cannot resolve the NFS server '%s'", host);
  }
  default_route(&gateway, &device);
  f->router_ip = keep(strings, gateway);
  f->subnet_mask = keep(strings, device_netmask(device));
  g_free(device);
  return TRUE;
}
