# docgen — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# make demo JOBS=2 renders and converts two documents at a time (one LibreOffice each)
JOBS   ?= 1

.PHONY: demo test test-deps install system-deps check build clean lint serve

demo: install | data     ## 安装所需软件，并把 data/ 的全部文件生成到 build/（通过检查的单位都生成，未通过的在报告中列出）
	BIN=$(BIN) JOBS=$(JOBS) bash tools/demo.sh

# data/ is the office's own data folder; a fresh clone starts it from the committed samples/.
data:
	cp -r samples data
	@echo "已把示例数据 samples/ 复制到 data/；以后修改 data/，samples/ 保持原样（测试只用 samples/ 的副本）。"

test: install test-deps  ## 运行全部测试（含 LibreOffice 转换和浏览器测试）
	$(BIN)/python -m pytest -q

lint: install            ## 代码检查：ruff（风格、导入顺序、复杂度）和 mypy（类型）
	$(BIN)/ruff check docgen tests bench tools
	$(BIN)/mypy

test-deps:
	@bash tools/install-system-deps.sh --test

install: system-deps $(STAMP)

system-deps:
	@bash tools/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

check: install | data
	$(BIN)/docgen check

build: install | data
	$(BIN)/docgen build -j $(JOBS)
	BIN=$(BIN) bash tools/bureau-demo.sh
	$(BIN)/docgen plan build

serve: install | data    ## 在浏览器中使用：http://127.0.0.1:8765/
	$(BIN)/docgen serve

clean:
	rm -rf build
