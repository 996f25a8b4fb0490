"""Strict YAML loading that keeps every value's line and column.

Scalars stay strings exactly as written (``NO`` stays ``"NO"``, ``01234``
stays ``"01234"``); pydantic turns them into numbers, dates or booleans
where a model asks for one. Duplicate keys are errors, not silent wins.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:  # the nodes libyaml composes (see _compose_libyaml)
    from yaml import nodes as _libyaml_nodes
    SCALAR_NODES: tuple[type, ...] = (ScalarNode, _libyaml_nodes.ScalarNode)
    SEQUENCE_NODES: tuple[type, ...] = (SequenceNode, _libyaml_nodes.SequenceNode)
    MAPPING_NODES: tuple[type, ...] = (MappingNode, _libyaml_nodes.MappingNode)
except ImportError:
    SCALAR_NODES, SEQUENCE_NODES, MAPPING_NODES = (ScalarNode,), (SequenceNode,), (MappingNode,)

from docgen.errors import Diagnostic, InputError, Location, display_path
from docgen.load.clean import HINT as CONTROL_HINT
from docgen.load.clean import control_chars, describe, line_col

PathKey = tuple  # ("experts", 3, "title")

NULL_WORDS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Positions:
    """Map a value's path inside a document to its (line, column), 1-based."""

    file: str
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # the YAML text while it is converted, for folded blocks; None otherwise (Positions is pickled into the cache)
    _source: str | None = field(default=None, repr=False, compare=False)

    def locate(self, path: PathKey) -> Location:
        """Return the location of *path*, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.marks:
                line, col = self.marks[path]
                return Location(self.file, line, col)
            path = path[:-1]
        line, col = self.marks.get((), (1, 1))
        return Location(self.file, line, col)


@dataclass
class YamlDoc:
    path: Path
    data: Any
    positions: Positions


_CACHE_DIR: Path | None = None
_CACHE_VERSION = b"yamlpos-4"


def set_cache_dir(path: Path | None) -> None:
    """Keep parsed files under *path* (keyed by their bytes), so unchanged files load in a blink.

    Parsing with positions costs ~20 ms a file; a bureau's 200 applicants are 400 files.
    """
    global _CACHE_DIR
    _CACHE_DIR = path


# Files parsed in this process, by the same key as the disk cache: a second load in one run (the year-end
# section, the copied-passage section) costs an unpickle, not a parse. Pickled, so no caller shares objects.
_MEMO: dict[str, bytes] = {}


def _cache_get(raw: bytes, shown: str) -> tuple[Path | None, YamlDoc | None]:
    key = hashlib.sha256(_CACHE_VERSION + shown.encode() + b"\0" + raw).hexdigest()
    if key in _MEMO:
        return _entry(key), pickle.loads(_MEMO[key])
    if _CACHE_DIR is None:
        return None, None
    entry = _entry(key)
    assert entry is not None
    try:
        return entry, pickle.loads(entry.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return entry, None


_PENDING: list[tuple[Path, YamlDoc]] = []


def _entry(key: str) -> Path | None:
    return _CACHE_DIR / key[:2] / f"{key}.pickle" if _CACHE_DIR is not None else None


def _cache_put(entry: Path, doc: YamlDoc) -> None:
    """Remember *doc* for :func:`flush_cache`: nothing is written until the run has succeeded."""
    _PENDING.append((entry, doc))


def flush_cache() -> None:
    """Write the files parsed in this run into the cache (call once the run succeeded: a failed run leaves
    the output folder byte for byte as it was)."""
    while _PENDING:
        _write_entry(*_PENDING.pop())


def drop_pending() -> None:
    _PENDING.clear()


def _write_entry(entry: Path, doc: YamlDoc) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(doc, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except OSError:
        pass  # a cache that cannot be written only costs time


def load_yaml(path: Path) -> YamlDoc:
    """Load *path* strictly; raise :class:`InputError` with every problem found."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Diagnostic("D130", "文件不存在", Location(shown), hint="检查文件名和路径。")) from None
    except IsADirectoryError:
        raise InputError(Diagnostic("D149", "这是一个文件夹，不是数据文件", Location(shown),
                                    hint="把这个文件夹改名（名字不要以 .yaml 结尾），或把其中的文件移出来。")) from None
    except OSError as exc:  # no permission, a broken disk
        raise InputError(Diagnostic("D149", f"文件无法读取（{exc.strerror or type(exc).__name__}）", Location(shown),
                                    hint="检查文件的读取权限后再试。")) from None
    entry, cached = _cache_get(raw, shown)
    if cached is not None:
        return YamlDoc(path, cached.data, cached.positions)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Diagnostic(
            "D131", f"文件不是 UTF-8 编码（第 {exc.start} 字节）", Location(shown),
            hint="用文本编辑器另存为 UTF-8 编码后再试。")) from None
    doc = load_yaml_text(text, shown, path)
    key = hashlib.sha256(_CACHE_VERSION + shown.encode() + b"\0" + raw).hexdigest()
    _MEMO[key] = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
    if entry is not None:
        _cache_put(entry, doc)
    return doc


def try_load_yaml(path: Path, problems) -> YamlDoc | None:
    """Return the loaded file, or None after adding its problems to *problems* (a Collector or list)."""
    try:
        return load_yaml(path)
    except InputError as exc:
        problems.extend(exc.diagnostics)
        return None


def load_yaml_text(text: str, shown: str, path: Path | None = None) -> YamlDoc:
    raw_controls = _raw_controls(text, shown)
    if raw_controls:  # the YAML reader would stop at the first with an English "position N"
        raise InputError(raw_controls)
    node = _compose_libyaml(text)
    if node is None:
        node = _compose_ruamel(text, shown)
    positions = Positions(shown)
    positions._source = text
    problems: list[Diagnostic] = []
    data = _convert(node, (), positions, problems) if node is not None and node is not _EMPTY else None
    positions._source = None
    if problems:
        raise InputError(problems)
    return YamlDoc(path or Path(shown), data, positions)


_NOT_LINE_BREAKS_IN_YAML_1_2 = ("\x85", "\u2028", "\u2029")  # libyaml (YAML 1.1) would break lines there


def _compose_libyaml(text: str):
    """Return the node tree of *text* composed by libyaml (C, about 15 times faster than the pure-Python
    composer, with the same nodes and marks), or None when it is not installed or refuses the text:
    then the pure-Python composer reads it and words the error (docgen's messages are translated from it)."""
    try:
        from yaml import CSafeLoader, YAMLError
    except ImportError:  # PyYAML without libyaml: the pure-Python composer does it all
        return None
    if any(ch in text for ch in _NOT_LINE_BREAKS_IN_YAML_1_2):
        return None
    loader = CSafeLoader(text)
    try:
        node = loader.get_single_node()
    except YAMLError:
        return None
    finally:
        loader.dispose()
    return node if node is not None else _EMPTY


class _Empty:  # an empty document (only comments): no node, nothing to compose again
    pass


_EMPTY = _Empty()


def _compose_ruamel(text: str, shown: str):
    # The safe composer: the round-trip one gathers comments we never use and is 5x slower
    # (a 4 MB unit.yaml: ~60 s against ~12 s on this machine). Nodes keep their marks either way.
    yaml = YAML(typ="safe", pure=True)
    try:
        return yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "无法解析"
        raise InputError(Diagnostic(
            "D101", f"YAML 格式错误：{_translate(problem)}", Location(shown, line, col),
            hint="检查这一行及上一行的缩进、冒号后的空格和引号是否成对。")) from None
    except YAMLError as exc:
        raise InputError(Diagnostic("D101", f"YAML 格式错误：{_translate(str(exc).splitlines()[0])}", Location(shown))) from None


_PROBLEM_TEXT = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（缩进不对，或值里有未加引号的冒号）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "含有制表符（Tab），YAML 只能用空格缩进",
    "expected <block end>, but found '<block sequence start>'": "列表项“-”的缩进与上文不一致",
    "expected <block end>, but found '<block mapping start>'": "缩进与上文不一致",
    "found unexpected end of stream": "文件意外结束（引号未闭合？）",
    "found unknown escape character": "双引号中有不认识的转义（\\ 后面的字符）；要写反斜杠本身请用单引号或写两个 \\\\",
    "found undefined alias": "引用了未定义的锚点（*名称）",
    "found duplicate anchor": "锚点（&名称）重复定义",
    "found character '@' that cannot start any token": "不能以 @ 开头；整个值加引号",
    "found character '`' that cannot start any token": "不能以 ` 开头；整个值加引号",
    "found character '%' that cannot start any token": "不能以 % 开头；整个值加引号",
    "expected a comment or a line break": "这一行多出了内容（引号后面还有文字？）",
    "expected <block end>, but found '<scalar>'": "值的后面多出了文字（引号后面还有文字，或缩进不对）",
    "expected ',' or ']'": "方括号列表 [ ] 没有正确结束",
    "expected ',' or '}'": "花括号 { } 没有正确结束",
    "found a tab character where an indentation space is expected": "缩进里有制表符（Tab），YAML 只能用空格缩进",
    "found a tab character that violates indentation": "缩进里有制表符（Tab），YAML 只能用空格缩进",
}


def _raw_controls(text: str, shown: str) -> list[Diagnostic]:
    """Return one error per control character typed into the file itself (not tab or line breaks)."""
    found = []
    for offset in control_chars(text):
        line, col = line_col(text, offset)
        found.append(Diagnostic("D520", f"含有看不见的控制字符 {describe(text[offset])}",
                                Location(shown, line, col), hint=CONTROL_HINT))
    return found


def _scalar_controls(value: str, node, path: PathKey, positions: Positions, problems: list[Diagnostic]) -> None:
    """Report control characters written as escapes (\\v, \\0, \\x1b …) inside a quoted value."""
    offsets = control_chars(value)
    if offsets:
        chars = "、".join(dict.fromkeys(describe(value[i]) for i in offsets))
        problems.append(Diagnostic("D520", f"含有看不见的控制字符 {chars}", _loc(positions, node),
                                   field=_dotted(path) or None, hint=CONTROL_HINT))


def _translate(problem: str) -> str:
    for key, text in _PROBLEM_TEXT.items():
        if problem.startswith(key):
            return text
    return f"无法解析（{problem}）"


def _is(node: Any, kinds: tuple[type, ...]) -> bool:
    """Return whether *node* is one of *kinds* (ruamel's or libyaml's node class of one kind)."""
    return isinstance(node, kinds)


def _convert(node, path: PathKey, positions: Positions, problems: list[Diagnostic]) -> Any:
    positions.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if _is(node, SCALAR_NODES):
        if not node.style and node.value in NULL_WORDS:  # plain: None from ruamel, "" from libyaml
            return None
        value = node.value
        if node.style == ">":
            value = _folded_lines(node, value, positions)
        _scalar_controls(value, node, path, positions, problems)
        return value
    if _is(node, SEQUENCE_NODES):
        return [_convert(child, path + (i,), positions, problems) for i, child in enumerate(node.value)]
    if _is(node, MAPPING_NODES):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not _is(key_node, SCALAR_NODES):
                problems.append(Diagnostic("D134", "键必须是简单文字", _loc(positions, key_node)))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(Diagnostic("D135", "不支持 YAML 合并键“<<”", _loc(positions, key_node),
                                           hint="把内容直接写出来。"))
                continue
            if key in result:
                first = positions.marks.get(path + (key,))
                problems.append(Diagnostic(
                    "D104", f"键“{key}”重复出现（第一次在第 {first[0]} 行）" if first else f"键“{key}”重复出现",
                    _loc(positions, key_node), field=_dotted(path + (key,)),
                    hint="删除或合并重复的键；否则后一个会悄悄覆盖前一个。"))
                continue
            result[key] = _convert(value_node, path + (key,), positions, problems)
            # Report a field at its key, which is where a person looks.
            positions.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    return None


def _folded_lines(node, value: str, positions: Positions) -> str:
    """Return a folded (``>``) block with its source lines kept as lines, like a literal (``|``) block.

    Prose is written one sentence or item per line; docgen has always printed each such line as
    its own paragraph (ruamel's round-trip composer marked the folds, docxtpl turned the marks into
    paragraphs), so a Chinese text does not get spaces between its sentences.
    """
    source = positions._source
    start, end = node.start_mark.index, node.end_mark.index
    if source is None or not (0 <= start < end <= len(source)):
        return value
    lines = source[start:end].split("\n")[1:]  # the first line holds the indicator (>, >-, >+ …)
    body = [line for line in lines if line.strip()]
    if not body:
        return value
    indent = min(len(line) - len(line.lstrip(" ")) for line in body)
    text = "\n".join(line[indent:].rstrip() for line in lines).strip("\n")
    return text + "\n" if value.endswith("\n") else text


def _loc(positions: Positions, node) -> Location:
    return Location(positions.file, node.start_mark.line + 1, node.start_mark.column + 1)


def _dotted(path: PathKey) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


dotted = _dotted
