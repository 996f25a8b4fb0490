"""The catalog of diagnostic codes: one code, one meaning, a Chinese title and a hint.

Every code docgen prints is listed here; a test walks the package for code literals
and fails on one that is missing, and the README's code tables are checked against
this catalog. The first letter names the area:

- B 教育局汇总、评分、公示（collect, score）     - D 数据（YAML、单位、申报）
- F 文件与字体                                 - O 输出
- P PDF（附件、盖章、合并）                      - R 填报表（Excel 填报）
- S 四川提升工程                               - T 模板
- X 返回的工作簿（读取）                         - Y 年终总结材料

A code is never reused for a second meaning: a new kind of problem takes a new code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """What a code means: its title (one line, Chinese) and the usual way to fix it."""

    title: str
    hint: str = ""


CATALOG: dict[str, Entry] = {
    "B001": Entry("有多个通知，请用 --call 指定一个", ""),
    "B100": Entry("不是工作簿，已跳过", ""),
    "B101": Entry("无法读取文件：…", ""),
    "B102": Entry("文件是空的（0 字节）", ""),
    "B103": Entry("工作簿设置了打开密码（已加密），无法读取", ""),
    "B104": Entry("这是…，不能直接汇总", ""),
    "B105": Entry("这是另存为 .xls 的网页（HTML）文件，不是真正的工作簿", ""),
    "B106": Entry("不是 Excel 工作簿（无法识别的文件格式）", ""),
    "B107": Entry("工作簿内容损坏，无法读取（…）", ""),
    "B110": Entry("找不到表头：没有一行写着“序号 / 项目名称 / 备注”（已查看工作表：…）", ""),
    "B111": Entry("表头缺少“…”列", ""),
    "B112": Entry("找不到“…”这一栏", ""),
    "B113": Entry("“…”未填写", ""),
    "B114": Entry("表格中没有填写任何申报项目", ""),
    "B120": Entry("表格中间有空行（…），其后的行仍已读取", ""),
    "B121": Entry("序号“…”不是正整数", ""),
    "B122": Entry("表头有合并单元格 …", ""),
    "B123": Entry("序号 … 重复（另见第 … 行）", ""),
    "B124": Entry("项目名称未填写", ""),
    "B125": Entry("项目名称“…”不是本通知的子项目", ""),
    "B126": Entry("同一子项目填写了两次（另见第 … 行）", ""),
    "B130": Entry("单位“…”报送了两份汇总表（另见 …）", ""),
    "B131": Entry("“…”同时申报了…，", ""),
    "B200": Entry("找不到申报汇总总表", ""),
    "B201": Entry("该通知没有评分标准（scoring）", ""),
    "B202": Entry("评委人数至少为 1", ""),
    "B300": Entry("文件夹中没有评分表（.xlsx）", ""),
    "B301": Entry("漏评：…“…”的“…”未打分", ""),
    "B302": Entry("“…”应为分数，这里是“…”", ""),
    "B303": Entry("有分数但没有申报编号", ""),
    "B304": Entry("评分表中缺少申报：…", ""),
    "B305": Entry("评委编号 … 重复（另见 …）", ""),
    "B306": Entry("不是评分表：找不到“编号 / 申报单位 / 项目名称”表头", ""),
    "B310": Entry("只有 … 份评分表，至少需要 … 位评委", ""),
    "C701": Entry("人工确认的调换“… → …”无法使用：…里", ""),
    "C702": Entry("人工确认的调换“… → …”不在同一培训项目（… / …）", ""),
    "C710": Entry("缺少…", ""),
    "C711": Entry("…“…”未填联系电话（必填）", ""),
    "C712": Entry("…“…”的联系电话“…”格式不对", ""),
    "C713": Entry("…“…”的培训机构“…”不在附件2名单中", ""),
    "C714": Entry("…“…”的工作单位“…”是简称", ""),
    "C715": Entry("…“…”未填培训项目", ""),
    "C716": Entry("“… → …”的培训机构不同（… / …）", ""),
    "C720": Entry("原报送人员“…”（…，…）已不在现名单中，但找不到唯一对应的变更人员", ""),
    "C721": Entry("现名单新增“…”（…，…），但找不到唯一对应的原报送人员", ""),
    "D100": Entry("数据目录不存在", ""),
    "D101": Entry("YAML 格式错误：…", ""),
    "D102": Entry("缺少必填字段", ""),
    "D103": Entry("应为整数", ""),
    "D104": Entry("键“…”重复出现（第一次在第 … 行）", ""),
    "D105": Entry("未知字段（可能拼写错误）", ""),
    "D110": Entry("评分标准各项分值合计 … 分（…），应为 … 分", ""),
    "D120": Entry("通知文件夹名“…”不合适", ""),
    "D121": Entry("已存在，docgen new-call 不会覆盖", ""),
    "D201": Entry("找不到通知“…”", ""),
    "D202": Entry("通知“…”没有子项目 …", ""),
    "D203": Entry("该通知的申报书没有叙述项“…”", ""),
    "D204": Entry("缺少申报书必填内容“…”", ""),
    "D205": Entry("同一子项目申报了两次（另见 …）", ""),
    "D206": Entry("叙述项“…”既写在申报文件中，又有文件 …", ""),
    "D207": Entry("推荐的“…”不在所辖县（区）名单中", ""),
    "D300": Entry("没有计划表数据", ""),
    "D301": Entry("缺少工作表“…”", ""),
    "D302": Entry("规则“…”的参数有误：…", ""),
    "D303": Entry("第 2 行是示例行，其中的内容不会导入，但它被改动过", ""),
    "D304": Entry("找不到申报“…”", ""),
    "D305": Entry("这一格是超过 15 位的数字，Excel 已把末几位变成 0，原号码无法还原", ""),
    "D310": Entry("市州编号“…”不在 cities.yaml 中", ""),
    "D311": Entry("市州编号“…”不在 data/reference/sichuan/cities.yaml 中", ""),
    "D312": Entry("文件夹名“…”与市州编号“…”不一致", ""),
    "D313": Entry("“…”既有自己的计划表（…），又在省汇总数据中", ""),
    "D314": Entry("找不到市（州）“…”的计划表", ""),
    "D320": Entry("缺少省汇总数据", ""),
    "D330": Entry("名单文件不存在", ""),
    "D500": Entry("佐证材料所属的通知“…”不存在", "unit.yaml 中该材料的 call 写 data/calls/ 下的文件夹名。"),
    "D501": Entry("佐证材料所属的申报“…”不存在", "unit.yaml 中该材料的 application 写本单位 applications/ 下的文件名（不含 .yaml）。"),
    "F201": Entry("…文件不存在：…", ""),
    "F202": Entry("…文件是空的（0 字节）：…", ""),
    "L501": Entry("找不到 LibreOffice（soffice），无法生成 PDF", ""),
    "L502": Entry("LibreOffice 转换超时（… 秒）", ""),
    "L503": Entry("LibreOffice 未能把该文件转换为 PDF …", ""),
    "L504": Entry("LibreOffice 无法启动（…）", ""),
    "L505": Entry("LibreOffice 在转换该文件时两次意外退出", ""),
    "L506": Entry("并行生成的工作进程意外退出", ""),
    "O601": Entry("无法创建输出目录：…", ""),
    "O602": Entry("无法写入：…", ""),
    "O603": Entry("无法发布输出文件：…", ""),
    "O604": Entry("文件已存在，不会覆盖", ""),
    "P701": Entry("文件不存在", ""),
    "P702": Entry("文件是空的（0 字节）", ""),
    "P703": Entry("PDF 已加密，需要密码才能打开", ""),
    "P704": Entry("PDF 密码不正确", ""),
    "P705": Entry("PDF 文件已损坏，无法读取", ""),
    "P706": Entry("图片无法读取（文件损坏或格式不支持）", ""),
    "P707": Entry("印章图片不存在：…", ""),
    "P708": Entry("不是 PDF 或图片文件（按文件内容判断）", ""),
    "T400": Entry("模板只能是 .docx 或 .xlsx 文件", ""),
    "T401": Entry("检查 …} 与 … 是否成对、标签内是否混入了中文引号或空格。", ""),
    "T402": Entry("核对变量名拼写；运行 docgen template vars 查看可用字段。", ""),
    "T403": Entry("模板只能读取数据，不能调用内部方法。", ""),
    "T404": Entry("… 没有对应的开始标签", ""),
    "T405": Entry("标签中输入了中文（弯）引号", ""),
    "T406": Entry("标签 … 被拆成了 … 段不同格式的文字", ""),
    "T407": Entry("表格行标签 … 不在表格中", ""),
    "T408": Entry("段落标签 … 所在的段落还有其他文字，生成时整段会被删除", ""),
    "T409": Entry("…中有 … 处涉及标签的修订标记（修订模式下的增删）", ""),
    "X800": Entry("文件不存在", ""),
    "X801": Entry("文件是旧版 .xls 格式或设置了密码，无法读取", ""),
    "X802": Entry("文件解压后过大，疑似损坏", ""),
    "X803": Entry("不是 Excel 文件，已跳过", ""),
    "X804": Entry("…的计划表重复：另见 …", ""),
    "X805": Entry("缺少…的计划表", ""),
    "X811": Entry("…是公式但没有计算结果（文件未在 Excel/WPS 中保存过）", ""),
    "X812": Entry("…未填写", ""),
    "X813": Entry("…应为数字，这里是文字“…”", ""),
    "X814": Entry("…应为整数，这里是 …", ""),
    "X820": Entry("找不到计划表的表头（“地区”“教师总数”）", ""),
    "X821": Entry("表头被改动：应为“…”，这里是“…”", ""),
    "X822": Entry("认不出是哪个市（州）：“…”", ""),
    "X823": Entry("表头“…”的合并单元格被拆分或改动", ""),
    "X830": Entry("这一行有数字但“地区”为空", ""),
    "X831": Entry("地区“…”重复（第一次在第 … 行）", ""),
    "X832": Entry("缺少“合计”行", ""),
    "X833": Entry("缺少地区“…”", ""),
    "X840": Entry("“…”…年合计为 …，但…之和为 …", ""),
    "X841": Entry("合计行为 …，但各地区之和为 …", ""),
    "X850": Entry("找不到名单的表头（“姓名”）", ""),
    "X851": Entry("名单缺少“…”一列", ""),
    "X860": Entry("找不到变更信息表的表头（“调换情况”）", ""),
    "X861": Entry("表头被改动：应为“…”，这里是“…”", ""),
    "X862": Entry("“调换情况”应为“原报送人员”或“变更人员”，这里是“…”", ""),
    "Y300": Entry("（见消息）", ""),
    "Y301": Entry("（见消息）", ""),
    "Y302": Entry("（见消息）", ""),
    "Y303": Entry("（见消息）", ""),
    "Y304": Entry("（见消息）", ""),
    "Y310": Entry("（见消息）", ""),
    "Y311": Entry("（见消息）", ""),
    "Y312": Entry("（见消息）", ""),
    "Y320": Entry("（见消息）", ""),
    "Y321": Entry("（见消息）", ""),
}


def title(code: str) -> str:
    """Return the Chinese title of *code*, or "" for a code the catalog does not hold."""
    entry = CATALOG.get(code)
    return entry.title if entry else ""
