# Two commands on a fresh machine:  `make demo` (the whole job, end to end) and `make test` (the test suite).
VENV    ?= .venv
BIN     := $(VENV)/bin
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT     := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get
OUT     ?= out
AS_OF   ?= 2026-11-27

.PHONY: demo test lint install java chromium

# The demo's graph lives on a server of its own (home under OUT, ports beside the default ones): it neither reads
# nor changes a graph you loaded, so its names stay unambiguous however often it runs.
DEMO_PORT ?= 7688
DEMO_HTTP_PORT ?= 7475
DEMO     := $(BIN)/coauthor db start --home $(OUT)/neo4j --bolt-port $(DEMO_PORT) --http-port $(DEMO_HTTP_PORT)
ON_DEMO  := NEO4J_URI=bolt://127.0.0.1:$(DEMO_PORT) NEO4J_USERNAME=neo4j NEO4J_DATABASE=neo4j $(BIN)/coauthor

demo: install java
	mkdir -p $(OUT)
	$(DEMO)
	$(ON_DEMO) load examples/profiles/*.txt --as-of $(AS_OF) --keyphrases
	$(ON_DEMO) stats
	$(ON_DEMO) coauthors "Wei Chen"
	$(ON_DEMO) experts "graph neural networks"
	$(ON_DEMO) viz ego "Wei Chen" --depth 2 -o $(OUT)/wei-chen.html
	@echo "Open $(OUT)/wei-chen.html in a browser. Query the demo's graph with NEO4J_URI=bolt://127.0.0.1:$(DEMO_PORT);"
	@echo "stop its server with: $(BIN)/coauthor db stop --home $(OUT)/neo4j"

# Two workers, each with a private Neo4j; one against a server named by NEO4J_URI (the tests empty it).
WORKERS ?= $(if $(NEO4J_URI),0,2)

test: install java chromium lint
	$(BIN)/python -m pytest -q --durations=15 -n $(WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The project and its Python dependencies, in a virtual environment of its own.
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Java 17 and Maven run the real Neo4j server without Docker (`coauthor db start`).
java:
	@command -v java >/dev/null && command -v mvn >/dev/null || \
	  { $(APT) update -qq && $(APT) install -y -qq openjdk-17-jre-headless maven; }

# Debian's Chromium for the view tests (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null || { $(APT) update -qq && $(APT) install -y -qq chromium; }
