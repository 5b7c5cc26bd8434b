#!/bin/sh
# mmdebstrap-arm64.sh - mmdebstrap's fakechroot mode through crossroot's front
# end (mmdebstrap.sh) for arm64.  Run by make check-e2e.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
exec /bin/sh "${top_srcdir:?run through make check-e2e}/tests/e2e/mmdebstrap.sh" arm64
