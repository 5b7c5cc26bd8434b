#!/bin/sh
# second-stage-arm64.sh - the end-to-end Debian second stage (second-stage.sh)
# for arm64.  Run by make check-e2e.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
exec /bin/sh "${top_srcdir:?run through make check-e2e}/tests/e2e/second-stage.sh" arm64
