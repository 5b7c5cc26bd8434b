#!/bin/sh
# native-shell.sh - a shell and ordinary tools inside a native root, through
# the crossroot command: the shell sees its own /etc, creates, renames,
# links, symlinks and deletes files, uses cd, pwd, ls -l, find, cp -a,
# tar c/x, readlink -f, realpath, mktemp, mkfifo; symlinks that point to
# /etc/passwd, ../../.. or loop resolve inside the root or fail with ELOOP;
# env -i keeps the fake root; nothing outside the root changes.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

[ -x "$CROSSROOT" ] || fail "crossroot not built"
r="$CR_T/root"
cr_make_native_root "$r" sh cat ls ln mv rm mkdir rmdir cp tar find readlink \
	realpath mktemp mkfifo touch env grep sed stat wc sort head
echo "root passwd marker" > "$r/etc/passwd"
echo "inside-hostname" > "$r/etc/hostname"
mkdir -p "$r/home/user/a/b/c"
ln -s /etc/passwd "$r/home/user/abs-passwd"
ln -s ../../.. "$r/home/user/up"
ln -s ../../../../../../../../etc/passwd "$r/home/user/deep-passwd"
ln -s loop2 "$r/home/user/loop1"
ln -s loop1 "$r/home/user/loop2"
ln -s /home/user/a "$r/home/user/abs-dir"

s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"

run() { "$CROSSROOT" "$r" /bin/sh -c "$1"; }
expect() { # DESCRIPTION EXPECTED COMMAND
	got=$(run "$3" 2>&1) || fail "$1: command failed: $got"
	[ "$got" = "$2" ] || fail "$1: expected [$2] got [$got]"
	echo "ok - $1"
}

expect "own /etc"             "root passwd marker"  'cat /etc/passwd'
expect "absolute symlink"     "root passwd marker"  'cat /home/user/abs-passwd'
expect "relative ../ escape"  "root passwd marker"  'cat /home/user/deep-passwd'
expect "../../.. stays"       "inside-hostname"     'cat /home/user/up/etc/hostname'
expect "symlinked dir"        "/home/user/a/b"      'cd /home/user/abs-dir/b && pwd -P'
expect "cd .. past root"      "/"                   'cd /; cd ../../..; pwd'
expect "readlink -f"          "/etc/passwd"         'readlink -f /home/user/abs-passwd'
expect "realpath"             "/home/user/a/b"      'realpath /home/user/up/home/user/abs-dir/b'
expect "readlink raw"         "/etc/passwd"         'readlink /home/user/abs-passwd'
got=$(run 'cat /home/user/loop1' 2>&1) && fail "symlink loop was readable: $got"
echo "$got" | grep -qi 'too many levels of symbolic links' || fail "loop: expected ELOOP, got: $got"
echo "ok - symlink loop gives ELOOP"

expect "create, rename, link, delete" "b
c
hello" '
cd /home/user && echo hello > a1 && mv a1 b && ln b c && ln -s /home/user/b d &&
ls b c && cat d && rm b c d && test ! -e b'
expect "mkdir, rmdir, touch, stat" "regular empty file" '
mkdir -p /newdir/x && touch /newdir/x/f && stat -c %F /newdir/x/f && rm /newdir/x/f && rmdir /newdir/x /newdir'
expect "ls -l of a symlink" "/etc/passwd" "ls -l /home/user/abs-passwd | sed 's/.*-> //'"
expect "find"                 "/home/user/a/b/c"    'find /home/user/a -name c'
expect "cp -a"                "root passwd marker"  'cp -a /home/user /copy && cat /copy/abs-passwd && rm -r /copy'
expect "tar c/x"              "./a/b/c"             '
cd /home/user && tar cf /tmp/t.tar ./a && mkdir /tmp/x && cd /tmp/x && tar xf /tmp/t.tar &&
find . -name c; rm -r /tmp/x /tmp/t.tar'
expect "mktemp"               "/tmp/"               'f=$(mktemp) && test -f "$f" && rm "$f" && echo "${f%tmp.*}"'
expect "mkfifo"               "fifo"                'mkfifo /tmp/p && stat -c %F /tmp/p | sed "s/.* //"; rm /tmp/p'
expect "env -i keeps the root" "inside-hostname"    'env -i /bin/sh -c "cat /etc/hostname"'
expect "writes land in ROOT"  "done"                'echo data > /etc/newfile && echo done'
[ "$(cat "$r/etc/newfile")" = data ] || fail "/etc/newfile did not land in the root"
[ ! -e /etc/newfile ] || fail "/etc/newfile was written on the host"
cr_sentinel_end
echo "all native shell checks passed"
