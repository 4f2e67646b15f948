# OneMap: `make run` serves the demo city, `make test` runs every test. Both bring up a private
# PostGIS under ./.data/ when ONEMAP_DATABASE_URL is unset.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go
BIN := bin/onemap

.PHONY: run build test test-go test-browser test-gdal bench bench-memory demo-1m lint db clean

build:
	@scripts/deps.sh run
	$(GO) build -o $(BIN) ./cmd/onemap

run: build
	@export ONEMAP_DATABASE_URL="$$(scripts/pg.sh)"; \
	$(BIN) demo --if-empty && echo "demo accounts:" && $(BIN) user demo && exec $(BIN) serve

db:
	@scripts/pg.sh

test:
	@scripts/test.sh

bench: bench-memory
	@scripts/bench.sh

# Peak RSS under oversize bodies and a 20 MB XLSX dry run (scripts/bench-memory.sh).
bench-memory:
	@scripts/bench-memory.sh

# golangci-lint v2 (.golangci.yml) when installed; gofmt and vet always.
lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...
	if command -v golangci-lint >/dev/null; then golangci-lint run ./...; fi

clean:
	rm -rf bin
