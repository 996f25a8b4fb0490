# docgen — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# make demo JOBS=2 renders and converts two documents at a time (one LibreOffice each)
JOBS   ?= 1

.PHONY: demo test install system-deps check build clean

demo: install            ## 安装所需软件，并把示例数据的全部文件生成到 build/
	$(BIN)/docgen check
	$(BIN)/docgen build -j $(JOBS)
	BIN=$(BIN) bash tools/bureau-demo.sh
	$(BIN)/docgen plan check
	$(BIN)/docgen plan build
	$(BIN)/docgen report build

test: install            ## 运行全部测试（含 LibreOffice 转换）
	$(BIN)/python -m pytest -q

install: system-deps $(STAMP)

system-deps:
	@bash tools/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

check: install
	$(BIN)/docgen check

build: install
	$(BIN)/docgen build -j $(JOBS)
	BIN=$(BIN) bash tools/bureau-demo.sh
	$(BIN)/docgen plan build

clean:
	rm -rf build
