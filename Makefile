# postured: build, test, install and package.
#
#   make                      release build of postured, which is posturectl too (static Swift runtime)
#   make help                 this list
#   make check                the tests
#   sudo make install         into /usr (PREFIX=, DESTDIR= as usual); keeps an existing config
#   sudo make uninstall       removes what install put there, except the config and the day log
#   make deb                  postured_<version>_<arch>.deb, built with dpkg-deb (no debhelper)
#   make clean
#
# Every build goes to its own scratch path (SCRATCH=, TEST_SCRATCH=), so it never fights
# with another checkout's or another person's .build.

SWIFT        ?= swift
SCRATCH      ?= .build-release
TEST_SCRATCH ?= .build-test
# --static-swift-stdlib: the binaries then need only system libraries (libc, libstdc++,
# libi2c, libgpiod, libsqlite3), so the .deb runs without a Swift toolchain.
# -z now: resolve every symbol at start (full RELRO), as Debian's hardening flags do.
# The rest is size, for small SD cards (20.8 MB -> 18.5 MB stripped, measured 2026-12-06):
# the static runtime's link arguments export every Swift symbol of ours (--export-dynamic,
# kept for symbolicated backtraces, which a stripped binary has not anyway), which also keeps
# them from --gc-sections; lld (the toolchain's own) packs the PIE relocations (DT_RELR,
# glibc 2.36: Debian 12) and folds identical functions whose address no one takes.
SWIFT_BUILD_FLAGS ?= -c release --static-swift-stdlib -Xlinker -z -Xlinker now \
	-Xswiftc -use-ld=lld -Xlinker --no-export-dynamic -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --icf=safe
TEST_FLAGS   ?=

PREFIX       ?= /usr
BINDIR       ?= $(PREFIX)/bin
SYSCONFDIR   ?= /etc
DOCDIR       ?= $(PREFIX)/share/doc/postured
MANDIR       ?= $(PREFIX)/share/man
BASHCOMPDIR  ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR   ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR  ?= $(PREFIX)/share/fish/vendor_completions.d
UNITDIR      ?= /lib/systemd/system
UDEVRULESDIR ?= /lib/udev/rules.d
SYSUSERSDIR  ?= /usr/lib/sysusers.d
MODULESLOADDIR ?= /usr/lib/modules-load.d
DESTDIR      ?=

INSTALL      ?= install
STRIP        ?= strip

# The version lives in the code (postured --version); the package takes it from there.
VERSION      ?= $(shell sed -n 's/.*static let string = "\(.*\)".*/\1/p' Sources/PostureControl/PosturedVersion.swift)
ARCH         ?= $(shell dpkg --print-architecture 2>/dev/null || uname -m)
MAINTAINER   ?= postured developers <postured@localhost>
# Where `make deb` assembles the package tree, and where the .deb goes.
STAGING      ?= staging
DEB_DIR      ?= .
DEB          := $(DEB_DIR)/postured_$(VERSION)_$(ARCH).deb

# One binary: postured run as `posturectl` (the installed link) is posturectl. The static
# Swift runtime is most of a binary; two binaries carried it twice.
PRODUCTS     := postured
DOCS         := $(wildcard docs/*.md) docs/grafana-dashboard.json
BIN_PATH      = $(shell $(SWIFT) build $(SWIFT_BUILD_FLAGS) --scratch-path $(SCRATCH) --show-bin-path)

.PHONY: all help build check install uninstall deb clean

all: build

# The targets, from the comment at the top of this file.
help:
	@sed -n 's/^#   \(\(sudo \)\{0,1\}make\)/\1/p' $(firstword $(MAKEFILE_LIST))

build:
	@for product in $(PRODUCTS); do \
		echo "swift build $(SWIFT_BUILD_FLAGS) --scratch-path $(SCRATCH) --product $$product"; \
		$(SWIFT) build $(SWIFT_BUILD_FLAGS) --scratch-path $(SCRATCH) --product $$product || exit $$?; \
	done

check:
	$(SWIFT) test --scratch-path $(TEST_SCRATCH) $(TEST_FLAGS)

# Installs what `build` made (run `make build` first as yourself; `sudo make install` then
# only copies). The unit's ExecStart= follows BINDIR.
install:
	@bin="$(BIN_PATH)"; for product in $(PRODUCTS); do \
		[ -x "$$bin/$$product" ] || { echo "make install: $$bin/$$product is missing; run 'make build' first" >&2; exit 1; }; \
	done
	$(INSTALL) -d -m 0755 $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 0755 $(BIN_PATH)/postured $(DESTDIR)$(BINDIR)/
	ln -sf postured $(DESTDIR)$(BINDIR)/posturectl
	$(INSTALL) -d -m 0755 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(MODULESLOADDIR)
	sed 's#/usr/bin/postured#$(BINDIR)/postured#g' systemd/postured.service > $(DESTDIR)$(UNITDIR)/postured.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/postured.service
	$(INSTALL) -m 0644 systemd/60-postured.rules $(DESTDIR)$(UDEVRULESDIR)/60-postured.rules
	$(INSTALL) -m 0644 systemd/postured.sysusers $(DESTDIR)$(SYSUSERSDIR)/postured.conf
	$(INSTALL) -m 0644 systemd/postured-modules.conf $(DESTDIR)$(MODULESLOADDIR)/postured.conf
	@# The README's links are relative (docs/…), so the documents keep their places.
	$(INSTALL) -d -m 0755 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DOCDIR)/docs
	$(INSTALL) -m 0644 README.md RELIABILITY.md $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/docs/
	$(INSTALL) -m 0644 packaging/debian/copyright $(DESTDIR)$(DOCDIR)/copyright
	@# The manual pages (man/), compressed as Debian ships them.
	$(INSTALL) -d -m 0755 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man1
	gzip -9n < man/postured.8 > $(DESTDIR)$(MANDIR)/man8/postured.8.gz
	gzip -9n < man/posturectl.1 > $(DESTDIR)$(MANDIR)/man1/posturectl.1.gz
	chmod 0644 $(DESTDIR)$(MANDIR)/man8/postured.8.gz $(DESTDIR)$(MANDIR)/man1/posturectl.1.gz
	@# Shell completions, written by the binary itself (Sources/PostureCommandLine), run by its posturectl name.
	$(INSTALL) -d -m 0755 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	bash -c 'exec -a posturectl "$$0" --generate-completion-script bash' $(BIN_PATH)/postured > $(DESTDIR)$(BASHCOMPDIR)/posturectl
	bash -c 'exec -a posturectl "$$0" --generate-completion-script zsh' $(BIN_PATH)/postured > $(DESTDIR)$(ZSHCOMPDIR)/_posturectl
	bash -c 'exec -a posturectl "$$0" --generate-completion-script fish' $(BIN_PATH)/postured > $(DESTDIR)$(FISHCOMPDIR)/posturectl.fish
	chmod 0644 $(DESTDIR)$(BASHCOMPDIR)/posturectl $(DESTDIR)$(ZSHCOMPDIR)/_posturectl $(DESTDIR)$(FISHCOMPDIR)/posturectl.fish
	$(INSTALL) -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/postured
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/postured/postured.toml ]; then \
		echo "make install: keeping the existing $(DESTDIR)$(SYSCONFDIR)/postured/postured.toml"; \
	else \
		echo "$(INSTALL) -m 0644 config/postured.toml $(DESTDIR)$(SYSCONFDIR)/postured/postured.toml"; \
		$(INSTALL) -m 0644 config/postured.toml $(DESTDIR)$(SYSCONFDIR)/postured/postured.toml; \
	fi
	@# On the live system (not into a DESTDIR): the user and groups, udev, systemd.
	@if [ -z "$(DESTDIR)" ]; then \
		if command -v systemd-sysusers >/dev/null 2>&1; then systemd-sysusers postured.conf; fi; \
		if [ -d /run/udev ] && command -v udevadm >/dev/null 2>&1; then \
			udevadm control --reload-rules; \
			udevadm trigger --action=change --subsystem-match=i2c-dev --subsystem-match=gpio; \
		fi; \
		if [ -d /run/systemd/system ]; then \
			systemctl daemon-reload; \
			echo "make install: now 'systemctl enable --now postured'"; \
		fi; \
	fi

# Leaves $(SYSCONFDIR)/postured (your configuration), /var/lib/postured (the day log) and
# the user and groups alone: remove them by hand if you mean to.
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemctl disable --now postured.service 2>/dev/null || true; \
	fi
	rm -f $(DESTDIR)$(BINDIR)/postured $(DESTDIR)$(BINDIR)/posturectl
	rm -f $(DESTDIR)$(MANDIR)/man8/postured.8.gz $(DESTDIR)$(MANDIR)/man1/posturectl.1.gz
	rm -f $(DESTDIR)$(BASHCOMPDIR)/posturectl $(DESTDIR)$(ZSHCOMPDIR)/_posturectl $(DESTDIR)$(FISHCOMPDIR)/posturectl.fish
	rm -f $(DESTDIR)$(UNITDIR)/postured.service
	rm -f $(DESTDIR)$(UDEVRULESDIR)/60-postured.rules
	rm -f $(DESTDIR)$(SYSUSERSDIR)/postured.conf
	rm -f $(DESTDIR)$(MODULESLOADDIR)/postured.conf
	rm -rf $(DESTDIR)$(DOCDIR)
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "make uninstall: kept $(DESTDIR)$(SYSCONFDIR)/postured/ (configuration), /var/lib/postured/ (day log)" \
		"and the postured user; remove them by hand if you mean to."

# The package: `make install` into a staging tree, stripped, plus DEBIAN/ (control with the
# shared-library dependencies dpkg-shlibdeps finds, conffiles, md5sums, the maintainer
# scripts of packaging/debian/), built by dpkg-deb with every file owned by root.
deb: build
	rm -rf $(STAGING)
	$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(STAGING) PREFIX=/usr SYSCONFDIR=/etc \
		SWIFT="$(SWIFT)" SCRATCH="$(SCRATCH)" SWIFT_BUILD_FLAGS="$(SWIFT_BUILD_FLAGS)"
	STRIP="$(STRIP)" VERSION="$(VERSION)" ARCH="$(ARCH)" MAINTAINER="$(MAINTAINER)" \
		packaging/build-deb $(STAGING) $(DEB)

clean:
	rm -rf $(SCRATCH) $(TEST_SCRATCH) $(STAGING)
	rm -f $(DEB_DIR)/postured_*.deb
