#!/usr/bin/env bash
# Builds dist/semsearch_VERSION_ARCH.deb from a finished `make all` (run through `make deb`).
#
# The package tree is `make install-strip` into a staging folder with PREFIX=/usr, with the Debian
# places for what differs: zsh's vendor-completions folder, a gzipped man page, and
# /usr/share/doc/semsearch/copyright. Depends comes from dpkg-shlibdeps, which maps every shared
# library the binary really links (readelf's NEEDED entries) to the package that ships it, with
# the lowest version whose symbols it uses; the script refuses to build when any library the
# binary loads (ldd) belongs to no package (a Swift toolchain library would be one: the binary links the Swift
# runtime statically).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?}" "${BIN:?}"
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root

make --no-print-directory install-strip DESTDIR="$root" PREFIX=/usr >/dev/null
mv "$root/usr/share/zsh/site-functions" "$root/usr/share/zsh/vendor-completions"
gzip -9n "$root/usr/share/man/man1/semsearch.1"
install -D -m 644 packaging/copyright "$root/usr/share/doc/semsearch/copyright"

# Dependencies: dpkg-shlibdeps reads debian/control of the folder it runs in.
mkdir -p "$stage/debian"
printf 'Source: semsearch\n\nPackage: semsearch\nArchitecture: any\n' > "$stage/debian/control"
binary=$(realpath "$root/usr/bin/semsearch")
depends=$(cd "$stage" && dpkg-shlibdeps -O --warnings=0 -e"$binary" 2>"$stage/shlibdeps.log" | sed -n 's/^shlibs:Depends=//p') || {
    cat "$stage/shlibdeps.log" >&2; echo "build-deb: dpkg-shlibdeps failed" >&2; exit 1; }
[[ -n $depends ]] || { echo "build-deb: no dependencies found for $binary" >&2; exit 1; }
for path in $(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do
    dpkg -S "$path" >/dev/null 2>&1 || dpkg -S "$(realpath "$path")" >/dev/null 2>&1 || {
        echo "build-deb: the binary links $path, which no Debian package ships" >&2; exit 1; }
done

mkdir -p "$root/DEBIAN"
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: semsearch
Version: $VERSION
Architecture: $arch
Maintainer: semsearch developers <maintainers@users.noreply.github.com>
Installed-Size: $installed_kb
Depends: $depends
Section: utils
Priority: optional
Description: local, offline semantic search for your own folders
 semsearch indexes document folders into one SQLite file with a transformer
 encoder (the built-in all-MiniLM-L6-v2 ships with it) and searches them by
 meaning from the terminal: an interactive screen with a live comparison of
 layers and dimensions (2D Matryoshka), grep-style and JSON output for pipes,
 and an MCP server for AI agents. No network, no Python.
EOF

mkdir -p dist
out=dist/semsearch_${VERSION}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "$out"
echo "Depends: $depends"
