# docgen — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# make demo JOBS=2 renders and converts two documents at a time (one LibreOffice each)
JOBS   ?= 1

.PHONY: demo test install system-deps check build clean lint

demo: install | data     ## 安装所需软件，并把 data/ 的全部文件生成到 build/（通过检查的单位都生成，未通过的在报告中列出）
	BIN=$(BIN) JOBS=$(JOBS) bash tools/demo.sh

# data/ is the office's own data folder; a fresh clone starts it from the committed samples/.
data:
	cp -r samples data
	@echo "已把示例数据 samples/ 复制到 data/；以后修改 data/，samples/ 保持原样（测试只用 samples/ 的副本）。"

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

check: install | data
	$(BIN)/docgen check

build: install | data
	$(BIN)/docgen build -j $(JOBS)
	BIN=$(BIN) bash tools/bureau-demo.sh
	$(BIN)/docgen plan build

clean:
	rm -rf build
