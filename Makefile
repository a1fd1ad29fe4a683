# fupin — the two commands: `make demo` and `make test`. Both set up what is missing first.
#   make demo   build, create demo.db (synthetic county), serve http://127.0.0.1:8080
#   make test   build and run every test: unit, storage contract on SQLite and PostgreSQL,
#               API and CLI against the binary, web checks, end-to-end in headless Chromium
#   make bench  the benchmarks (DEA vs scipy/HiGHS, fuzzy evaluation, the indicator roll-up vs
#               DuckDB, the registry import, the household list at province scale); see
#               docs/benchmarks.md
#   make build / web / format / clean
BUILD ?= build
JOBS ?= $(shell nproc)
# CI builds treat warnings as errors.
WERROR := $(if $(CI),ON,OFF)
FUPIN := $(BUILD)/src/app/fupin
DEMO_ARGS ?=

WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js web/package-lock.json

.PHONY: all bootstrap configure build web demo test bench format clean

all: build web

bootstrap:
	@scripts/bootstrap

$(BUILD)/build.ninja: CMakeLists.txt | bootstrap
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFUPIN_WERROR=$(WERROR)

configure: bootstrap $(BUILD)/build.ninja

build: configure
	ninja -C $(BUILD) -j $(JOBS)

web/dist/index.html: $(WEB_SOURCES) | bootstrap
	cd web && npm run build --silent

web: bootstrap web/dist/index.html

demo: build web
	$(FUPIN) demo $(DEMO_ARGS)

test: build web
	scripts/test $(BUILD)

# Benchmarks build their own Release tree (build-bench) and write docs/benchmarks.md's figures.
bench:
	@scripts/bootstrap --bench
	bench/run-methods.sh build-bench
	bench/run-indicators.sh build-bench
	bench/run-registry.sh build-bench
	bench/run-list.sh build-bench

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) web/dist
