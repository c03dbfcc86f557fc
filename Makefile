# Build, install and package semsearch (GNU conventions: PREFIX, DESTDIR, uninstall).
#
#   make                          the release binary, its shell completions and the man page
#   make install [PREFIX=/usr/local] [DESTDIR=]
#   make install-strip            the same with the binary stripped (99 MB → 66 MB)
#   make uninstall [PREFIX=…] [DESTDIR=]   removes exactly what install wrote
#   make deb                      dist/semsearch_VERSION_ARCH.deb, built with dpkg-deb
#
# The binary links the Swift runtime and Foundation statically (--static-swift-stdlib), so the
# installed tree and the package need no Swift toolchain: only the system libraries the package's
# Depends names. The version has one source, SemsearchVersion.swift, which `--version` prints too.

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
SWIFT   ?= swift
INSTALL_PROGRAM ?= install -m 755
# The static build links differently from the test build, so it keeps a scratch folder of its own
# and a `swift test` in .build is never relinked by an install.
SCRATCH ?= .build-dist

VERSION := $(shell sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/SemsearchCore/SemsearchVersion.swift)
MODEL   := all-MiniLM-L6-v2
BIN     := $(SCRATCH)/release/semsearch
GEN     := $(SCRATCH)/generated

# What install writes, relative to PREFIX-derived folders; uninstall removes exactly these.
INSTALLED_BIN   := $(BINDIR)/semsearch
INSTALLED_MODEL := $(DATADIR)/semsearch/models/$(MODEL)
INSTALLED_MAN   := $(MANDIR)/man1/semsearch.1
INSTALLED_BASH  := $(DATADIR)/bash-completion/completions/semsearch
INSTALLED_ZSH   := $(DATADIR)/zsh/site-functions/_semsearch
INSTALLED_FISH  := $(DATADIR)/fish/vendor_completions.d/semsearch.fish
MODEL_FILES     := $(shell cd Resources/models/$(MODEL) && find . -type f | sed 's|^\./||' | sort)

.PHONY: all build completions install install-strip uninstall deb clean-dist version

all: build completions

version:
	@echo $(VERSION)

build:
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(SCRATCH) --product semsearch

completions: build
	mkdir -p $(GEN)
	$(BIN) --generate-completion-script bash > $(GEN)/semsearch.bash
	$(BIN) --generate-completion-script zsh > $(GEN)/_semsearch
	$(BIN) --generate-completion-script fish > $(GEN)/semsearch.fish

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(dir $(INSTALLED_BASH)) \
	    $(DESTDIR)$(dir $(INSTALLED_ZSH)) $(DESTDIR)$(dir $(INSTALLED_FISH))
	$(INSTALL_PROGRAM) $(BIN) $(DESTDIR)$(INSTALLED_BIN)
	cd Resources/models/$(MODEL) && for f in $(MODEL_FILES); do \
	    install -D -m 644 "$$f" "$(DESTDIR)$(INSTALLED_MODEL)/$$f" || exit 1; done
	install -m 644 man/semsearch.1 $(DESTDIR)$(INSTALLED_MAN)
	install -m 644 $(GEN)/semsearch.bash $(DESTDIR)$(INSTALLED_BASH)
	install -m 644 $(GEN)/_semsearch $(DESTDIR)$(INSTALLED_ZSH)
	install -m 644 $(GEN)/semsearch.fish $(DESTDIR)$(INSTALLED_FISH)

install-strip:
	$(MAKE) install INSTALL_PROGRAM='install -s -m 755'

uninstall:
	rm -f $(DESTDIR)$(INSTALLED_BIN) $(DESTDIR)$(INSTALLED_MAN) $(DESTDIR)$(INSTALLED_BASH) \
	    $(DESTDIR)$(INSTALLED_ZSH) $(DESTDIR)$(INSTALLED_FISH)
	for f in $(MODEL_FILES); do rm -f "$(DESTDIR)$(INSTALLED_MODEL)/$$f"; done
	# Folders only when install's files were all they held.
	-cd $(DESTDIR)$(INSTALLED_MODEL) 2>/dev/null && find . -depth -mindepth 1 -type d -empty -delete
	-rmdir $(DESTDIR)$(INSTALLED_MODEL) $(DESTDIR)$(DATADIR)/semsearch/models $(DESTDIR)$(DATADIR)/semsearch 2>/dev/null

deb: all
	VERSION=$(VERSION) BIN=$(BIN) GENERATED=$(GEN) scripts/build-deb.sh

clean-dist:
	rm -rf $(SCRATCH) dist
