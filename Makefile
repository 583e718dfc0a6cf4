# Two commands on a fresh machine:  `make demo` (the whole job, end to end) and `make test` (the test suite).
VENV    ?= .venv
BIN     := $(VENV)/bin
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT     := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get
OUT     ?= out
AS_OF   ?= 2026-11-27

.PHONY: demo test lint install java chromium

demo: install java
	$(BIN)/coauthor db start
	$(BIN)/coauthor load examples/profiles/*.txt --as-of $(AS_OF) --keyphrases
	$(BIN)/coauthor stats
	$(BIN)/coauthor coauthors "Wei Chen"
	$(BIN)/coauthor experts "graph neural networks"
	mkdir -p $(OUT)
	$(BIN)/coauthor viz ego "Wei Chen" --depth 2 -o $(OUT)/wei-chen.html
	@echo "Open $(OUT)/wei-chen.html in a browser. Stop the server with: $(BIN)/coauthor db stop"

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
