# SignInLens — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
GO ?= go

.PHONY: all build build-all frontend backend backend-container run package test test-go test-frontend test-browser test-kql fuzz bench bench-duckdb clean

all: build

## build: the frontend and this machine's backend binary into dist/
build: frontend backend

## build-all: the backend for every platform Grafana runs on (mage's default target)
build-all: frontend
	$(GO) tool mage -v

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

frontend: node_modules
	npm run build

# After the frontend: webpack cleans dist/ when it builds.
backend:
	$(GO) tool mage -v build:backend

# The container is Linux whatever the host: build its backend for the Docker
# engine's architecture (x86_64 → amd64, aarch64 → arm64), the host's Go
# architecture when the engine does not say.
DOCKER_ARCH = $(firstword $(shell docker version --format '{{.Server.Arch}}' 2>/dev/null) $(shell $(GO) env GOARCH))
backend-container:
	@arch="$(DOCKER_ARCH)"; case "$$arch" in x86_64) arch=amd64;; aarch64) arch=arm64;; esac; \
	case "$$arch" in \
		amd64) $(GO) tool mage -v build:linux;; \
		arm64) $(GO) tool mage -v build:linuxARM64;; \
		*) echo "make run: no Linux backend target for the Docker architecture $$arch" >&2; exit 1;; \
	esac

## run: build everything and start Grafana OSS with the plugin, the demo datasource,
## dashboards and alert rules on http://localhost:3000 (needs a Docker engine; works from
## Linux, macOS and Windows hosts: the container gets the Linux backend for its architecture)
run: build backend-container
	docker compose up --build

## package: every platform's backend and the frontend, zipped as
## artifacts/<plugin id>-<version>.zip and checked (docs/release.md); SIGN=1 signs dist/
## first with GRAFANA_ACCESS_POLICY_TOKEN
package: build-all
	@if [ -n "$(SIGN)" ]; then \
		[ -n "$$GRAFANA_ACCESS_POLICY_TOKEN" ] || { echo "make package SIGN=1: set GRAFANA_ACCESS_POLICY_TOKEN (a Grafana.com access policy token with the plugins:write scope)" >&2; exit 1; }; \
		npx --yes @grafana/sign-plugin@latest; \
	fi
	$(GO) run ./cmd/pluginzip -dist dist -out artifacts

## test: every test — Go (unit and end-to-end through the built binary), frontend,
## and the editors in headless Chromium
test: test-go test-frontend test-browser test-kql

# The memcached tests read SIGNINLENS_TEST_MEMCACHED; without it, test-go starts
# a memcached of its own on loopback, and fails (rather than skip them silently)
# when memcached is not installed.
test-go:
	$(GO) vet ./...
	@if [ -n "$$SIGNINLENS_TEST_MEMCACHED" ]; then \
		$(GO) test -count=1 ./...; \
	elif command -v memcached >/dev/null; then \
		port=$$((20000 + $$$$ % 20000)); \
		memcached -u "$$(id -un)" -l 127.0.0.1 -p $$port -m 128 & pid=$$!; \
		trap 'kill $$pid 2>/dev/null' EXIT; sleep 0.3; \
		SIGNINLENS_TEST_MEMCACHED=127.0.0.1:$$port $(GO) test -count=1 ./...; \
	else \
		echo "make test: memcached is not installed (apt-get install memcached), or set SIGNINLENS_TEST_MEMCACHED=host:port" >&2; exit 1; \
	fi

test-frontend: node_modules
	npm run typecheck
	npm run lint
	npm test

## test-browser: the editors in headless Chromium (screenshots in artifacts/browser/)
test-browser: node_modules
	@command -v "$${CHROMIUM:-chromium}" >/dev/null || { echo "make test: chromium is not installed (apt-get install chromium), or set CHROMIUM=/path/to/chromium" >&2; exit 1; }
	npm run test:browser

## test-kql: every KQL text the push-down writes (each dashboard panel's, hostile filter
## values) against Microsoft's Kusto parser, and the simulator's lexer against it too
test-kql: node_modules
	@mkdir -p artifacts
	$(GO) run ./tools/kqlcorpus > artifacts/kql-corpus.json
	node tools/kqlcorpus/oracle.js artifacts/kql-corpus.json

## fuzz: every fuzz target for FUZZTIME each (CI: 35s; longer: make fuzz FUZZTIME=10m)
FUZZTIME ?= 60s
FUZZ_TARGETS := FuzzParse:./pkg/query FuzzLoadSettings:./pkg/plugin FuzzDecodePage:./pkg/graph FuzzDecodeBlock:./pkg/block FuzzODataLiteral:./pkg/graphsim FuzzDecodeRow:./pkg/loganalytics FuzzStreamAnswer:./pkg/loganalytics FuzzDynamicReadsAsEncodingJSON:./pkg/loganalytics FuzzParse:./pkg/graphsim/kql
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		name=$${t%%:*}; pkg=$${t#*:}; \
		echo "== $$name ($$pkg) for $(FUZZTIME)"; \
		GO=$(GO) tools/fuzz.sh $$name $$pkg $(FUZZTIME) || exit 1; \
	done

## bench: the performance figures of internal/bench as one table of medians (BENCHMARKS.md);
## about an hour (make bench BENCHFLAGS="-runs 3 -only a,b -v" for fewer)
BENCHFLAGS ?=
bench:
	$(GO) run ./cmd/bench $(BENCHFLAGS)

## bench-duckdb: figure b with DuckDB as the reference on the same rows, and the ratio
## (needs cgo and a C compiler; DuckDB's library comes with its Go module, about 150 MB)
bench-duckdb:
	CGO_ENABLED=1 $(GO) run -tags duckdb ./cmd/bench -only b $(BENCHFLAGS)

clean:
	rm -rf dist coverage
