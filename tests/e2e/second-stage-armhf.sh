#!/bin/sh
# second-stage-armhf.sh - the end-to-end Debian second stage (second-stage.sh)
# for armhf.  Not in make check-e2e (CI time): run by hand with
#   make check TESTS=tests/e2e/second-stage-armhf.sh
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
exec /bin/sh "${top_srcdir:?run through make check-e2e}/tests/e2e/second-stage.sh" armhf
