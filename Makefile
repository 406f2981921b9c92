# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/thidua.duckdb
PORT ?= 8501
# bench-load starts its servers on BENCH_PORT, one after the other.
BENCH_PORT ?= 8651

.PHONY: run test demo samples install install-dev lint bench bench-dashboard bench-load bench-speed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(DB): | $(VENV)/.installed
	$(BIN)/thidua demo --db $(DB)

demo: $(VENV)/.installed
	$(BIN)/thidua demo --db $(DB)

# The sample workbooks of data/samples (committed; tests/etl/test_samples.py checks they are current).
samples: $(VENV)/.installed
	$(BIN)/python -m tools.samples

run: $(VENV)/.installed $(DB)
	@$(BIN)/thidua serve --db $(DB) --port $(PORT)

# Two worker processes (pytest-xdist); tests sharing an expensive fixture stay together (tests/conftest.py).
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy etl dashboard

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/etl_throughput.py

bench-dashboard: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/dashboard.py

# 50 websocket sessions on Xếp hạng, the cold start in Chromium, and the bare-Streamlit floor.
bench-load: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/load.py --port $(BENCH_PORT)

# The speed table: each row beside its reference (the bare-Streamlit floor, the .pptx), one run.
bench-speed: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/speed.py --port $(BENCH_PORT)

clean:
	rm -rf $(VENV) $(DB) $(DB).wal
