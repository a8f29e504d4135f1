/**
 * @file vminstall.h
 * @brief libvminstall: virt-install's guest installer as a C library.
 *
 * Include this header only.  A program describes the guest in a request
 * (request.h, or a whole command line with cli.h), hands it to an
 * installer with a connection (installer.h, conn.h), prepares the two
 * configurations of the install, and prints them or installs (run.h).
 * Every fallible call reports through a GError of VMI_ERROR (error.h).
 *
 * Build with `pkg-config --cflags --libs vminstall`.
 */
#pragma once

#include "vminstall/version.h"
#include "vminstall/error.h"
#include "vminstall/request.h"
#include "vminstall/cli.h"
#include "vminstall/conn.h"
#include "vminstall/media.h"
#include "vminstall/run.h"
#include "vminstall/installer.h"
