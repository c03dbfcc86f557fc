#!/usr/bin/env bash
# The program as a user installs it, checked end to end (run by .ci/run, as root):
#   1. `make install DESTDIR=… PREFIX=/opt/semsearch`, the tree moved to another folder, then run
#      with the checkout and the Swift toolchain hidden (a mount namespace lays an empty tmpfs over
#      each): it must find its model beside itself, index Markdown and answer a question;
#   2. `make uninstall` removes exactly what install wrote and leaves a stranger's file alone;
#   3. the bash and zsh completions load and complete a subcommand;
#   4. `make deb`, `dpkg -i`, `semsearch` from /usr/bin with the checkout and toolchain hidden, and
#      `dpkg -r` leaves nothing of it behind.
# Each step prints its wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$(pwd)
work=$(mktemp -d /tmp/semsearch-install.XXXXXX)
installed_package=
trap '[[ -n $installed_package ]] && dpkg -r semsearch >/dev/null 2>&1; rm -rf "$work"' EXIT

# The toolchain's root (…/usr/bin/swift → …), hidden too unless it is the system's own /usr.
toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")
[[ $toolchain == / || $toolchain == /usr ]] && toolchain=

step() {
    local name=$1; shift
    local started=$SECONDS
    echo "== $name"
    "$@"
    echo "== $name: $((SECONDS - started)) s"
}

# Runs a command where neither the checkout nor the Swift toolchain can be seen.
hidden() {
    unshare --mount --propagation private bash -c '
        for dir in "$1" "$2"; do [[ -n $dir ]] && mount -t tmpfs -o size=1m tmpfs "$dir"; done
        [[ -z $(ls -A "$1") ]] || { echo "the checkout is still visible" >&2; exit 1; }
        shift 2; "$@"' _ "$checkout" "$toolchain" "$@"
}

# Markdown that reads well, outside the checkout: this project's README and docs.
mkdir -p "$work/corpus"
cp README.md "$work/corpus/" && cp -r docs "$work/corpus/"
question="how do I keep the index current while I edit files?"

# Indexes the corpus and asks the question with the binary $1; the answer must come from the corpus.
use() {
    local bin=$1 db=$work/demo-$RANDOM.sqlite
    "$bin" --version
    "$bin" model list | grep -q "built-in" || { echo "$bin finds no built-in model" >&2; return 1; }
    "$bin" index --quiet --db "$db" "$work/corpus"
    local answer
    answer=$("$bin" search --db "$db" -k 3 "$question")
    echo "$answer" | cut -c1-160
    grep -q "^$work/corpus/" <<<"$answer" || { echo "no answer from the corpus" >&2; return 1; }
    "$bin" status --db "$db" --json | grep -q '"version"'
}

install_moved() {
    make --no-print-directory install DESTDIR="$work/stage" PREFIX=/opt/semsearch >/dev/null
    mv "$work/stage/opt/semsearch" "$work/moved"
    if ldd "$work/moved/bin/semsearch" | grep -i swift; then echo "the binary links a Swift runtime library" >&2; return 1; fi
    ls -l "$work/moved/bin/semsearch"
    hidden bash -c "$(declare -f use); work=$work; question='$question'; use $work/moved/bin/semsearch"
}

uninstall_exactly() {
    local stage=$work/uninstall
    make --no-print-directory install DESTDIR="$stage" PREFIX=/usr/local >/dev/null
    install -D /dev/null "$stage/usr/local/share/man/man1/other.1"
    make --no-print-directory uninstall DESTDIR="$stage" PREFIX=/usr/local >/dev/null
    local left
    left=$(cd "$stage" && find . -type f)
    [[ $left == ./usr/local/share/man/man1/other.1 ]] || { echo "uninstall left or removed the wrong files: $left" >&2; return 1; }
    [[ ! -e $stage/usr/local/share/semsearch ]] || { echo "uninstall left share/semsearch" >&2; return 1; }
}

completions() {
    local prefix=$work/moved
    local bash_out
    bash_out=$(bash -c '
        source "$1/share/bash-completion/completions/semsearch"
        complete -p semsearch
        COMP_WORDS=(semsearch ind); COMP_CWORD=1; COMP_LINE="semsearch ind"; COMP_POINT=${#COMP_LINE}
        $(complete -p semsearch | sed -n "s/.*-F \([^ ]*\).*/\1/p") semsearch ind semsearch
        printf "%s\n" "${COMPREPLY[@]}"' _ "$prefix")
    echo "$bash_out"
    grep -q '^complete .* semsearch$' <<<"$bash_out" && grep -qx 'index' <<<"$bash_out" || {
        echo "bash completion did not load or complete 'ind'" >&2; return 1; }
    local zsh_out
    zsh_out=$(zsh -f -c 'fpath=($1/share/zsh/site-functions $fpath); autoload -Uz compinit; compinit -u -d $2/zcompdump; print -r -- ${_comps[semsearch]}' _ "$prefix" "$work")
    echo "zsh: semsearch completes with ${zsh_out:-nothing}"
    [[ $zsh_out == _semsearch ]] || { echo "zsh compinit did not find _semsearch" >&2; return 1; }
}

debian_package() {
    if dpkg -s semsearch >/dev/null 2>&1; then
        echo "semsearch is installed here as a package, which this check would replace and remove: skipped"
        return 0
    fi
    local built deb
    # Printed through our own stderr, not `tee /dev/stderr`: tee would reopen the log file that
    # stderr is in CI with O_TRUNC and erase what the earlier steps wrote.
    built=$(make --no-print-directory deb)
    echo "$built" >&2
    deb=$(grep '\.deb$' <<<"$built")
    dpkg-deb --info "$deb" | sed -n 's/^ \(Version\|Depends\|Installed-Size\):/\1:/p'
    ls -l "$deb"
    dpkg -i "$deb" >/dev/null
    installed_package=yes
    hidden bash -c "$(declare -f use); work=$work; question='$question'; use /usr/bin/semsearch"
    [[ -f /usr/share/man/man1/semsearch.1.gz && -f /usr/share/zsh/vendor-completions/_semsearch ]]
    dpkg -r semsearch >/dev/null
    installed_package=
    local left
    left=$(ls -d /usr/bin/semsearch /usr/share/semsearch /usr/share/man/man1/semsearch.1.gz \
        /usr/share/bash-completion/completions/semsearch /usr/share/doc/semsearch 2>/dev/null || true)
    [[ -z $left ]] || { echo "dpkg -r left: $left" >&2; return 1; }
}

step "make (static release build)" make --no-print-directory all
step "make install, moved, checkout and toolchain hidden" install_moved
step "make uninstall" uninstall_exactly
step "completions (bash, zsh)" completions
step "make deb, dpkg -i, run from /usr/bin hidden, dpkg -r" debian_package
echo "install checks passed"
