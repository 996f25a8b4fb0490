"""The catalog of diagnostic codes: one code, one meaning, a Chinese title and a hint.

Every code docgen prints is listed here, and :class:`docgen.errors.Diagnostic` refuses a
code that is not (a programming error, caught by the tests). A diagnostic without its own
hint shows the catalog's hint. A test walks the package for code literals and fails on one
that is missing; the README's table of codes is generated from this catalog
(``python -m docgen.errors.catalog --markdown``) and a test keeps the two equal.

The first letter names the area:

- B 教育局：汇总、评分（collect, score）          - C 四川 提升工程：变更信息表与名单
- D 数据（YAML、通知、单位、申报、填报表）          - F 数据引用的文件
- L LibreOffice（转换 PDF）                        - M 查重（相同片段）
- O 输出                                           - P PDF（附件、盖章、合并）
- R 填报表（导入、撤销）                           - T 模板
- X 报回的工作簿（四川 计划表、名单）                - Y 年终总结材料的检查项

A code is never reused for a second meaning: a new kind of problem takes a new code, and a
retired code stays retired. Keep the entries sorted by code.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """What a code means: its title (one line, Chinese) and the usual way to fix it."""

    title: str
    hint: str = ""


CATALOG: dict[str, Entry] = {
    # B 教育局：汇总（docgen collect）、评分（docgen score）
    "B001": Entry("有多个通知，未指定用哪一个", "用 --call 指定通知（data/calls/ 下的文件夹名）。"),
    "B100": Entry("文件夹中的文件不是工作簿，已跳过", "汇总表应为 .xlsx 文件；如是误放的文件可忽略此提示。"),
    "B101": Entry("无法读取报回的文件", "检查文件权限。"),
    "B102": Entry("报回的文件是空的（0 字节）", "请申报单位重新发送该文件。"),
    "B103": Entry("工作簿设置了打开密码（已加密）", "在 Excel 或 WPS 中取消密码，再“另存为”Excel 工作簿（*.xlsx）。"),
    "B104": Entry("旧版 .xls 或 WPS（.et）工作簿的内容无法读取",
                  "在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（*.xlsx）。"),
    "B105": Entry("报回的是另存为 .xls 的网页（HTML）文件，不是真正的工作簿",
                  "在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（*.xlsx）。"),
    "B106": Entry("报回的文件不是 Excel 工作簿（按文件内容判断）",
                  "在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（*.xlsx）。"),
    "B107": Entry("工作簿内容损坏，无法读取", "在 Excel 或 WPS 中打开并重新保存为 .xlsx；仍打不开则请申报单位重新发送。"),
    "B110": Entry("汇总表中找不到表头（“序号 / 项目名称 / 备注”）", "请按通知附件4的格式填写：表头依次为“序号”“项目名称”“备注”。"),
    "B111": Entry("汇总表的表头缺少一列", "表头应依次为“序号”“项目名称”“备注”，与通知附件4一致。"),
    "B112": Entry("汇总表中找不到“申报单位”“联系人”等栏目", "在表头上方按附件4填写单位名称、联系人和联系电话。"),
    "B113": Entry("汇总表的“申报单位”“联系人”等栏目未填写", "请申报单位补填。"),
    "B114": Entry("汇总表中没有填写任何申报项目", "在表头下方逐行填写序号、项目名称和备注。"),
    "B120": Entry("汇总表中间有空行（其后的行仍已读取）", "删除中间的空行，避免漏报。"),
    "B121": Entry("序号不是正整数", "序号按 1、2、3 填写，它决定子项目的排序。"),
    "B123": Entry("序号重复", "序号应从 1 起依次编号；排序决定冲突时保留哪个子项目。"),
    "B124": Entry("项目名称未填写", "填写附件1中的子项目名称。"),
    "B125": Entry("项目名称不是本通知的子项目", "照抄附件1一览表中的子项目名称。"),
    "B130": Entry("同一单位报送了两份汇总表", "核实以哪一份为准，删除另一份后重新汇总。"),
    "B131": Entry("同一单位申报了通知规定只能选其一的几个子项目（警告）", "按通知要求只保留其中允许的数量，或核实后在公示前处理。"),
    "B150": Entry("扩展名与文件的实际格式不符（警告，已按实际格式读取）", "不影响读取；如需转发，可在 Excel 或 WPS 中另存为 .xlsx。"),
    "B151": Entry("汇总表的表头被改写，与附件4不一致", "把该单元格改回附件4的表头原样；表头须与样表一字不差。"),
    "B152": Entry("数据区有合并单元格（警告，合并的值已用于所跨的每一行）", "最好取消合并，每一行都填写完整。"),
    "B153": Entry("单元格是公式，但没有计算结果", "直接填写数值；或在 Excel/WPS 中打开并保存一次后重新报送。"),
    "B154": Entry("单元格是错误值（如 #DIV/0!、#REF!）", "直接填写数值，不要用出错的公式。"),
    "B155": Entry("工作簿有隐藏的工作表（警告，未读取其内容）", "只读可见的工作表；如隐藏表中有内容，请对方取消隐藏。"),
    "B156": Entry("号码存成了数字（警告：末几位变成 0，或开头的 0 已丢失）", "请对方核对号码；该单元格设为“文本”格式后重新输入。"),
    "B157": Entry("序号写成了中文数字（警告，已按数字读取）", "序号用阿拉伯数字 1、2、3 填写。"),
    "B158": Entry("工作簿中没有可见的工作表", "请对方取消隐藏工作表后重新报送。"),
    "B200": Entry("找不到申报汇总总表", "先运行 docgen collect 汇总各单位报回的汇总表，或用 --master 指定总表。"),
    "B201": Entry("该通知没有评分标准（scoring）",
                  "在 call.yaml 中按通知附件“评分标准”填写 scoring：每项有 no、indicator、content、points。"),
    "B202": Entry("评委人数至少为 1", "例如 --reviewers 5。"),
    "B300": Entry("文件夹中没有评分表（.xlsx）", "把评委填好的评分表放进该文件夹。"),
    "B301": Entry("漏评：评分表中有指标未打分", "填写 0 到该项满分之间的分数。"),
    "B302": Entry("分数不合要求（不是数字，或超出该项满分）", "填写 0 到该项满分之间的数字。"),
    "B303": Entry("评分表中的申报编号不在总表的受理名单中",
                  "评分表应由 docgen score sheets 按当前总表生成；总表变动后请重新生成评分表。"),
    "B304": Entry("评分表中缺少受理的申报", "每项受理的申报都要打分；请用最新生成的评分表。"),
    "B305": Entry("评委编号重复", "同一位评委的评分表只放一份；如是复制的空表，请核对评委编号。"),
    "B306": Entry("不是评分表：找不到“编号 / 申报单位 / 项目名称”表头", "使用 docgen score sheets 生成的评分表填写。"),
    "B310": Entry("评分表份数不足，无法去掉最高分和最低分",
                  "评审得分去掉 1 个最高分和 1 个最低分后取平均，评委不足 3 人无法计算；请收齐评分表。"),
    "B320": Entry("data/calls/ 中没有任何通知", "通知放在 data/calls/<通知>/call.yaml。"),
    "B321": Entry("文件夹中没有工作簿（.xlsx）", "把各单位报回的汇总表放进该文件夹后重新运行。"),
    "B322": Entry("序号未填写", "序号按 1、2、3 填写，它决定子项目的排序。"),
    "B323": Entry("序号是文本格式（警告，已按数字读取）", "把该单元格设为“常规”或“数值”格式。"),
    "B324": Entry("评分表中有分数但没有申报编号", "不要删改编号列。"),
    "B325": Entry("同一申报编号在一份评分表中出现两次", "每个申报编号只占一行；删除重复的一行。"),
    "B326": Entry("总表中没有“受理”的申报", "先处理 docgen collect 报告的问题，重新汇总。"),
    "B327": Entry("不是 docgen collect 生成的总表", "用 --master 指定 docgen collect 生成的 申报汇总总表.xlsx。"),
    "B328": Entry("评分表缺少某个评分指标的一列", "使用 docgen score sheets 生成的评分表，不要删改表头。"),
    "B329": Entry("汇总表表头各列的顺序不对（警告）", "表头应依次为“序号”“项目名称”“备注”，与通知附件4一致。"),
    "B330": Entry("上传的文件类型不对（按文件内容识别）", "上传正确类型的文件；只改扩展名不会改变文件内容，请在 Excel/WPS/Word 中另存为所需格式。"),
    "B331": Entry("上传的 zip 类文件（.xlsx/.docx）被拒绝：损坏、成员过多、解压后过大或压缩比异常",
                  "在 Excel/WPS/Word 中打开后重新保存再上传；工作台的上传限制见 README“在浏览器中使用”。"),
    "B332": Entry("工作台密码太短", "密码至少 8 位；重新运行 docgen serve --set-password。"),
    "B333": Entry("监听本机以外的地址，但还没有设置工作台密码",
                  "先运行 docgen serve --set-password 设置密码，再用 --host 0.0.0.0 启动；只在本机使用时不加 --host。"),
    # C 四川 提升工程：变更信息表与名单
    "C701": Entry("人工确认的调换找不到对应人员", "核对姓名；同名时请先在名单中区分（如写明工作单位）。"),
    "C702": Entry("人工确认的调换不在同一培训项目", "调换只能在同一培训项目内进行。"),
    "C710": Entry("变更缺少原报送人员或变更人员一行", "每项变更须同时填写原报送人员和变更人员两行。"),
    "C711": Entry("未填联系电话（必填）", "填写 11 位手机号或“区号-号码”。"),
    "C712": Entry("联系电话格式不对", "手机为 1 开头的 11 位数字；固定电话写作“区号-号码”，如 0833-2132456。"),
    "C713": Entry("培训机构不在附件2名单中", "照抄附件2中培训机构的全称。"),
    "C714": Entry("工作单位写的是简称", "写工作单位的全称。"),
    "C715": Entry("未填培训项目", "填写该人员参加的培训项目。"),
    "C716": Entry("调换前后两人的培训机构不同", "调换人员参加的是同一培训项目，培训机构通常相同；核对是否填错。"),
    "C720": Entry("原报送人员已不在现名单中，但找不到唯一对应的变更人员",
                  "在 change.yaml 的 pairs 中写明由谁替换（removed/added），或核对两份名单。"),
    "C721": Entry("现名单新增人员，但找不到唯一对应的原报送人员",
                  "在 change.yaml 的 pairs 中写明替换了谁；若是新增名额，须另行报告。"),
    # D 数据：YAML 文件、通知、单位、申报、填报表
    "D100": Entry("数据目录不存在", "在项目根目录运行，或用 --data 指定数据目录。"),
    "D101": Entry("YAML 格式错误", "检查这一行及上一行的缩进、冒号后的空格和引号是否成对。"),
    "D102": Entry("缺少必填字段", "补上这个字段。"),
    "D103": Entry("字段的值不合要求（类型、格式或取值范围不对）", "按消息改正这个值；可用的写法见 README 的数据说明。"),
    "D104": Entry("YAML 中同一个键重复出现", "删除或合并重复的键；否则后一个会悄悄覆盖前一个。"),
    "D105": Entry("未知字段（可能拼写错误）", "检查字段名的拼写；可用字段见 README 的数据说明。"),
    "D110": Entry("评分标准各项分值之和不等于总分", "核对通知附件的评分标准，改正各项 points。"),
    "D120": Entry("通知文件夹名不合适", "只用字母、数字和 - _ .，例如 luoyang-2027-waichu-gengang。"),
    "D121": Entry("通知文件夹已存在，docgen new-call 不会覆盖", "换一个通知文件夹名，或先移走已有的文件夹。"),
    "D130": Entry("数据文件不存在", "检查文件名和路径。"),
    "D131": Entry("文件不是 UTF-8 编码", "用文本编辑器另存为 UTF-8 编码后再试。"),
    "D132": Entry("找不到 --unit 指定的单位", "写 data/units/ 下的文件夹名。"),
    "D133": Entry("找不到 --call（或 --from）指定的通知", "写 data/calls/ 下的文件夹名。"),
    "D134": Entry("YAML 的键不是简单文字", "键写成简单的文字，如 name:。"),
    "D135": Entry("不支持 YAML 合并键“<<”", "把内容直接写出来。"),
    "D136": Entry("文件开头的 --- 信息块没有结束的 --- 行", "在标题、作者等信息之后另起一行写 ---。"),
    "D137": Entry("结构不对：应为列表或一组“键: 值”字段", "参照 samples/ 下同类文件的写法。"),
    "D138": Entry("列表的项数不足", "按消息补足列表的项数。"),
    "D139": Entry("案例文件开头缺少 --- 信息块", "在文件开头写：---、kind: 成长案例、title: 标题、author: 姓名……、---。"),
    "D143": Entry("没有市（州）计划表数据", "在 data/bureaus/<市州编号>/plan.yaml 写市（州）的计划，见 README。"),
    "D144": Entry("规则阈值无法识别", "写成 1:5、1/10、30% 或 0.5 的形式。"),
    "D145": Entry("填报表缺少一列", "不要删除或改写第 1 行的列名；可重新运行 docgen data sheet 取得空白填报表。"),
    "D146": Entry("项目类别不在通知列出的类别中", "写 reports.yaml 中列出的类别之一。"),
    "D147": Entry("案例的项目类别与所在文件夹的类别不一致", "把案例移到对应类别的文件夹，或改正 class。"),
    "D148": Entry("指定的文件夹不存在", "检查命令行中文件夹的路径。"),
    "D149": Entry("数据文件的位置上是一个文件夹，或文件无法读取",
                  "把文件夹改名（数据文件名以 .yaml 结尾），或检查文件的读取权限后再试。"),
    "D201": Entry("找不到所引用的通知", "写 data/calls/ 下的文件夹名之一。"),
    "D202": Entry("通知中没有这个子项目", "写通知附件1一览表中的子项目序号。"),
    "D203": Entry("该通知的申报书没有这个叙述项", "只写通知列出的叙述项；可用的键见提示。"),
    "D204": Entry("缺少该通知要求填写的内容", "参照 samples/units/ 下同一通知的示例申报补写。"),
    "D205": Entry("同一单位把同一子项目申报了两次", "一个子项目只交一份申报书，删除其中一个文件。"),
    "D206": Entry("叙述项既写在申报文件中，又有同名的 Markdown 文件",
                  "只保留一处：删除 YAML 中的这一项，或删除（改名）该 Markdown 文件。"),
    "D207": Entry("推荐的县（区）不在所辖县（区）名单中", "写 bureau.yaml 中 counties 列出的名称。"),
    "D300": Entry("填报表文件不存在", "检查文件名；用 docgen data sheet 生成填报表。"),
    "D301": Entry("填报表缺少工作表", "不要删除或改名工作表；可重新运行 docgen data sheet 取得空白填报表。"),
    "D302": Entry("规则的参数有误", "参数名见 README 的“规则类型”一节；路径形如 application.mentors、unit.experts。"),
    "D303": Entry("填报表第 2 行（示例行）被改动，其中的内容不会导入",
                  "把第 2 行的数据移到第 3 行及以下（示例行可以保留原样或清空）。"),
    "D304": Entry("找不到导师所属的申报", "填 applications/ 下的文件名（不含 .yaml）。"),
    "D305": Entry("超过 15 位的号码被 Excel 存成了数字，末几位已变成 0",
                  "把该单元格设置为“文本”格式后重新输入（或在号码前加英文单引号 '）。"),
    "D310": Entry("省汇总中的市州编号不在 cities.yaml 中", "核对市州编号拼写。"),
    "D311": Entry("市州编号不在 cities.yaml 中", "写 data/reference/sichuan/cities.yaml 中的编号，例如 leshan。"),
    "D312": Entry("文件夹名与市州编号不一致", "把文件夹改名为市州编号。"),
    "D313": Entry("市（州）既有自己的计划表，又在省汇总数据中", "省汇总以该市州自己的计划表为准；删除这一行以免两处不一致。"),
    "D314": Entry("找不到该市（州）的计划表", "写 data/bureaus/ 下的文件夹名，例如 leshan。"),
    "D320": Entry("缺少省汇总数据", "创建 data/bureaus/province.yaml（填报单位、联系人、填报时间）。"),
    "D330": Entry("名单文件不存在", "在 change.yaml 的 first/current 中写名单文件名（.yaml 或 .xlsx）。"),
    "D400": Entry("法人单位的统一社会信用代码在 registry.yaml 中登记了两次",
                  "同一法人单位在 data/bureaus/*/registry.yaml 中只登记一次，下级部门合并到先登记的那一条。"),
    "D410": Entry("案例不是通知要求年度的实践探索（附件 一.1）",
                  "在案例文件开头的 --- 信息块中写 period（实践起止年月），须在通知所说的年度内。"),
    "D500": Entry("佐证材料所属的通知不存在", "unit.yaml 中该材料的 call 写 data/calls/ 下的文件夹名。"),
    "D501": Entry("佐证材料所属的申报不存在", "unit.yaml 中该材料的 application 写本单位 applications/ 下的文件名（不含 .yaml）。"),
    "D520": Entry("数据中含有看不见的控制字符", "删除它（常见于从网页、PDF 复制的文字）；换行和 Tab 可以保留。"),
    "D521": Entry("填报表单元格中含有看不见的控制字符", "在 Excel/WPS 中重新输入该单元格的内容。"),
    "D560": Entry("单位没有印章图片，不能生成正式的申报材料 PDF", "在填报表“单位信息”填写“公章·印章图片”；或加 --draft 生成不盖章的草稿。"),
    "D561": Entry("叙述项没有任何模板用到", "在申报书模板中加上 {{p app.rich.<键> }}，或从 call.yaml 删去。"),
    "D562": Entry("模板用到 call.yaml 没有声明的叙述项", "在 call.yaml 的 application.narrative 中声明它。"),
    "D563": Entry("新通知的模板中还有复制来源通知的年度或标题", "用 Word/Excel 改成新通知的内容。"),
    "D564": Entry("新通知的年度或项目名称仍与复制来源相同", "改正 call.yaml 的 title、project_title、year。"),
    # F 数据引用的文件
    "F201": Entry("数据中引用的文件不存在", "把文件放到该位置，或改正文件名（路径相对于引用它的文件）。"),
    "F202": Entry("数据中引用的文件是空的", "写入内容、重新导出该文件，或删除引用。"),
    "F300": Entry("文件路径指向单位文件夹之外（绝对路径或含“..”）", "把文件复制到单位文件夹内，写相对路径。"),
    "F301": Entry("文件是指向单位文件夹之外的符号链接", "把文件本身复制到单位文件夹内。"),
    # L LibreOffice（转换 PDF）
    "L501": Entry("找不到 LibreOffice（soffice），无法生成 PDF",
                  "运行 make demo（会自动安装）；只要 Word/Excel 文件时用 docgen build --no-pdf。"),
    "L502": Entry("LibreOffice 转换超时", "文档可能过大或 LibreOffice 卡住；结束残留的 soffice 进程后重试。"),
    "L503": Entry("LibreOffice 未能把文件转换为 PDF", "在 LibreOffice 中打开该文件检查是否损坏；或先用 --no-pdf 只生成 Word/Excel 文件。"),
    "L504": Entry("LibreOffice 无法启动", "检查 LibreOffice 是否完整安装（soffice --headless --version），结束残留的 soffice 进程后重试。"),
    "L505": Entry("LibreOffice 在转换该文件时两次意外退出", "该文件可能损坏；在 LibreOffice 中打开检查，或先用 --no-pdf 只生成 Word/Excel 文件。"),
    "L506": Entry("并行生成的工作进程意外退出", "改用 -j 1 重新运行；如仍失败，加 --debug 并把输出发给维护者。"),
    "L520": Entry("找不到 fc-match（fontconfig），无法确认中文字体", "sudo apt-get install fontconfig。"),
    "L521": Entry("字体找不到含中文字形的字体文件，PDF 中文会显示为方框", "安装 fonts-noto-cjk 和 Fandol 字体（make install）；运行 docgen doctor 查看。"),
    # M 查重（相同片段）
    "M100": Entry("文件无法读取，未参加比对", "确认文件能在 Word/WPS 或 PDF 阅读器中打开；旧版 .doc/.wps 请另存为 .docx，加密的文件请去掉密码。"),
    "M101": Entry("文件没有可比对的文字（可能是扫描件）", "向申报单位索取可复制文字的 PDF 或 Word 文件。"),
    "M102": Entry("申报指南文件不存在或不是 UTF-8 文本，未与申报指南比对", "把公告附件中申报指南的原文存为 UTF-8 文本（如 申报指南.md）放在 call.yaml 旁，并写在 similarity.guide 中。"),
    "M103": Entry("申报书文件夹不存在", "给出存放收到的申报书（.docx 或 .pdf）的文件夹。"),
    "M104": Entry("可比对的申报书不足两份", "文件夹中应有收到的申报书（.docx 或 .pdf，可放在子文件夹中）。"),
    "M110": Entry("叙述内容有段落与本通知的申报指南相同", "用本单位自己的话写目标、需求和设计；是否属于照抄照搬由人判断。"),
    "M111": Entry("叙述内容有段落与本单位另一份申报（其他通知或往年）相同", "按本项目的对象和要求重写；是否属于照抄照搬由人判断。"),
    "M112": Entry("叙述内容有段落与其他单位的申报相同", "核对来源并重写；是否属于抄袭拼凑由人判断。"),
    "M113": Entry("教师成长案例之间有段落相同", "成长案例应是作者本人未发表过的作品；核对后请作者重写相同的段落。"),
    # O 输出
    "O601": Entry("无法创建输出目录", "检查目录权限和磁盘空间。"),
    "O602": Entry("无法写入输出文件", "检查文件是否正被 Word/WPS/Excel 打开，以及目录权限和磁盘空间。"),
    "O603": Entry("无法发布输出文件", "检查目录权限和磁盘空间。"),
    "O604": Entry("文件已存在，不会覆盖", "先移走已有的文件，或换一个名称。"),
    "O620": Entry("输出位置应是文件夹，却是一个文件", "删除或改名这个文件后重试。"),
    "O621": Entry("输出文件夹或状态文件无法写入", "检查权限和磁盘空间。"),
    # P PDF：附件、盖章、合并
    "P701": Entry("附件文件不存在", "把文件放到该位置，或改正 unit.yaml 中的文件名。"),
    "P702": Entry("附件文件是空的（0 字节）", "重新扫描或导出该文件。"),
    "P703": Entry("附件 PDF 已加密，需要密码才能打开", "在 unit.yaml 该材料下加 password: 密码；或导出一份未加密的 PDF。"),
    "P704": Entry("附件 PDF 密码不正确", "核对 unit.yaml 中该材料的 password。"),
    "P705": Entry("附件 PDF 已损坏，无法读取", "重新导出或扫描该文件。"),
    "P706": Entry("附件图片无法读取（文件损坏或格式不支持）", "重新扫描为 JPG 或 PNG。"),
    "P707": Entry("印章图片不存在", "在 unit.yaml 的 seal.image 写对印章图片（透明背景 PNG）。"),
    "P708": Entry("附件不是 PDF 或图片文件（按文件内容判断）", "佐证材料请用 PDF 或 JPG/PNG 扫描件；Word 等文件先导出为 PDF。"),
    "P750": Entry("PDF 文件有损坏，已被自动修复", "核对每一页，最好重新导出或扫描。"),
    "P751": Entry("PDF 没有任何页面", "重新导出或扫描该文件。"),
    "P752": Entry("PDF 的页面内容缺失（文件被截断或损坏），或全部是空白页", "重新导出或扫描该文件。"),
    "P753": Entry("PDF 中有空白页", "核对扫描件是否漏扫；有意留白可忽略。"),
    "P754": Entry("PDF 某些页的内容无法解析", "重新导出或扫描该文件。"),
    "P755": Entry("PDF 声明的页数与实际能读出的页数不符", "重新导出或扫描该文件。"),
    # R 填报表（docgen data sheet / import / undo）
    "R100": Entry("这份填报表是为另一个单位生成的", "检查 --unit；确实要导入到该单位，加 --other-unit 确认。"),
    "R101": Entry("填报表中的单位名称与现有名称不同", "是不是导入错了单位？确实要改名，加 --rename 确认。"),
    "R102": Entry("填报表没有记录它属于哪个单位（旧版填报表）", "用 docgen data sheet 重新生成填报表。"),
    "R103": Entry("取值不在下拉列表中", "从下拉列表中选择；提示中给出了最接近的选项。"),
    "R105": Entry("填报表中写的文件找不到", "把文件放进单位文件夹，或与填报表放在同一个文件夹。"),
    "R106": Entry("该通知没有这个叙述项", "从下拉列表中选择；见“通知一览”工作表。"),
    "R107": Entry("文件夹名或申报编号不合适", "只用字母、数字和 - _ .。"),
    "R108": Entry("填报表没有记录属于哪个单位，需要 --unit", "例如 docgen data import 填报表.xlsx --unit heluo-normal。"),
    "R109": Entry("申报编号重复", "每份申报一行。"),
    "R110": Entry("同一份申报的同一叙述项填了两行", "只保留一行。"),
    "R111": Entry("“内容”和“Markdown 文件”只能填一个", "内容写在“内容”格里，或写在 Markdown 文件里，二选一。"),
    "R112": Entry("没有可以撤销的导入", "每次导入前保存的快照都已撤销完，或该单位还没有导入过。"),
    "R113": Entry("单位已经存在，不能用 --new", "导出已有单位用 --unit。"),
    # T 模板
    "T400": Entry("模板不是 .docx/.xlsx 文件（按文件内容判断）", "在 Word/WPS 中“另存为”Word 文档（*.docx）或 Excel 工作簿（*.xlsx）。"),
    "T401": Entry("模板标签语法错误", "检查 {{ }} 与 {% %} 是否成对、标签内是否混入了中文引号或空格。"),
    "T402": Entry("模板引用的变量在数据中不存在", "核对变量名拼写；运行 docgen template vars 查看可用字段。"),
    "T403": Entry("模板中有不允许的操作", "模板只能读取数据，不能调用内部方法。"),
    "T404": Entry("循环或条件标签缺少结束标签，或结束标签多余、类型不符", "补上或删去结束标签，使 {% for %}/{% if %} 与 {% endfor %}/{% endif %} 成对。"),
    "T405": Entry("标签中输入了中文（弯）引号", "标签里的引号必须是英文直引号 \" 或 '；运行 docgen template check --fix 自动改正。"),
    "T406": Entry("标签被拆成了几段不同格式的文字（警告）",
                  "通常是只改了标签中几个字的字体/颜色造成的；运行 docgen template check --fix 合并为一段（按标签第一个字的格式）。"),
    "T407": Entry("表格行标签 {%tr %} 不在表格中", "{%tr … %} 只能写在表格的某一行里；段落循环请用 {%p for … %}。"),
    "T408": Entry("段落标签 {%p %} 所在的段落还有其他文字（警告：生成时整段会被删除）", "{%p … %} 要单独占一个段落：在它前后按回车分段。"),
    "T409": Entry("模板在修订模式下改过标签（警告）", "在 Word/WPS 中“审阅 → 接受所有修订”并关闭修订模式后再保存。"),
    "T410": Entry("模板的扩展名不是 .docx 或 .xlsx", "通知的 forms 中只能写 .docx 或 .xlsx 模板。"),
    "T411": Entry("模板是旧版 .doc/.xls 格式或已加密", "在 Word/WPS/Excel 中“另存为” .docx 或 .xlsx，并取消密码。"),
    "T412": Entry("模板文件已损坏", "从备份或版本库恢复模板。"),
    "T413": Entry("生成时模板出错", "按消息检查该处标签中的表达式；运行 docgen template check 检查模板。"),
    "T414": Entry("模板文件不存在", "写模板的路径，例如 templates/docx/<通知>/申报书.docx。"),
    "T415": Entry("没有任何申报数据可用来列出模板字段", "先在 data/units/<单位>/applications/ 下建立一份申报。"),
    "T420": Entry("模板是空文件（0 字节）或无法读取", "从备份恢复，或在 Word/WPS/Excel 中重新另存一份。"),
    "T424": Entry("模板解压后过大或压缩比异常（疑似 zip 炸弹），未解压即拒绝", "正常模板远小于上限；见 README“文件大小限制”。"),
    "T425": Entry("模板的 XML 含有 DTD 或实体声明，已拒绝", "用 Word/WPS/Excel 重新另存一份。"),
    "T426": Entry("Excel 模板含有生成时会被丢弃的内容（形状、2010 扩展、WPS 单元格图片等）", "在 Excel/WPS 中删除或改为普通内容。"),
    "T427": Entry("尾注、批注或自定义属性中的标签不会被替换", "把标签移到正文、表格、页眉页脚、脚注或文档标题等属性中。"),
    # X 报回的工作簿（四川 提升工程：计划表、名单、变更信息表）
    "X800": Entry("工作簿文件不存在", "检查文件名和路径。"),
    "X803": Entry("文件夹中的文件不是 Excel 文件，已跳过", "计划表应为 .xlsx 文件；如是误放的文件可忽略此提示。"),
    "X804": Entry("同一市（州）的计划表有两份", "只保留最新的一份。"),
    "X805": Entry("缺少某市（州）的计划表", "催报；汇总表中该市（州）一行留空。"),
    "X811": Entry("单元格是公式但没有计算结果（文件未在 Excel/WPS 中保存过）", "在 Excel/WPS 中打开并保存一次后重新报送；或直接填数字。"),
    "X812": Entry("应填数字的单元格未填写", "填写数字。"),
    "X813": Entry("应填数字的单元格填了文字", "只填阿拉伯数字，不带单位、空格或“约”等字；单元格格式设为“常规”或“数值”。"),
    "X814": Entry("人数应为整数", "填写整数。"),
    "X820": Entry("找不到计划表的表头（“地区”“教师总数”）", "使用附件1-1 的表格填报，不要删除或改写表头。"),
    "X821": Entry("计划表的表头被改动", "恢复附件1-1 的表头原样，不要增删列。"),
    "X822": Entry("认不出计划表是哪个市（州）的", "在“市”前填写本市（州）名称，如“乐山市”；保留表头上方的“市 联系人 联系电话 填报时间”一行。"),
    "X823": Entry("表头的合并单元格被拆分或改动", "恢复附件1-1 的表头原样。"),
    "X830": Entry("这一行有数字但“地区”为空", "填写地区名称。"),
    "X831": Entry("地区重复", "删除重复的一行，或改正地区名称。"),
    "X832": Entry("计划表缺少“合计”行", "在最后一个地区下加“合计”行。"),
    "X833": Entry("计划表缺少所属的县（市、区）", "计划表应包含该市（州）所属的每个县（市、区）。"),
    "X840": Entry("一行的年度合计不等于各分项之和", "合计应等于前两列之和；建议用公式 =前两列相加。"),
    "X841": Entry("合计行不等于各地区之和", "合计应等于上面各地区之和；建议用公式 =SUM(…)。"),
    "X850": Entry("找不到名单的表头（“姓名”）", "第一行写表头：培训项目、姓名、性别、工作单位（全称）、联系电话/手机（必填）、培训机构、备注。"),
    "X851": Entry("名单缺少一列", "按附件的名单样表补上这一列。"),
    "X860": Entry("找不到变更信息表的表头（“调换情况”）", "使用附件3 样表填报。"),
    "X861": Entry("变更信息表的表头被改动", "恢复附件3 样表的表头原样。"),
    "X862": Entry("“调换情况”既不是“原报送人员”也不是“变更人员”", "只填“原报送人员”或“变更人员”。"),
    "X872": Entry("人数不能为负数", "填写 0 或正整数。"),
    "X880": Entry("单元格是错误值（如 #DIV/0!、#REF!）", "改正公式，或直接填数字。"),
    "X882": Entry("地区不是本市（州）所属的县（市、区）（警告）", "写本市（州）所属县（市、区）的名称；市本级学校写“市直属学校”。"),
    "X883": Entry("只填了全市（州）的总数，没有分县（市、区）填报（警告）", "最好逐县填报，便于审核。"),
    "X884": Entry("市（州）合计未满足通知的比例规则", "按通知调整该市（州）的计划人数后重新报送；有错误的市（州）不计入全省合计。"),
    "X885": Entry("某县（市、区）的计划人数未满足通知的比例规则（提醒）", "提醒：核对该县（市、区）的计划人数是否符合通知的比例。"),
    "X886": Entry("附件4 的项目县没有列入计划表", "在计划表中加入该项目县一行。"),
    # Y 年终总结材料（docgen report check 的检查项）
    "Y300": Entry("缺少必交的总结材料", "在该文件夹新建对应的 .md 文件，用 Markdown 写出各个部分。"),
    "Y301": Entry("总结报告缺少必备的部分", "为缺少的部分加一个二级标题（如“## 三、主要成效”）并补写内容。"),
    "Y302": Entry("引用的数据表不存在", "写 report.yaml 能生成的表名，如【表：经费支出】。"),
    "Y303": Entry("经费支出明细合计不等于实际支出", "核对 report.yaml 的 spending 与各项目的 spent。"),
    "Y304": Entry("文中引用的图片不存在", "把图片放到该位置（路径相对于 .md 文件），或改正文件名。"),
    "Y310": Entry("工作案例缺少规定的部分", "为每个缺少的部分加一个二级标题（如“## 创新举措”）并补写内容。"),
    "Y311": Entry("案例字数不合要求", "按字数要求增删内容（按 Word/WPS 字数统计规则计数）。"),
    "Y312": Entry("案例的作者信息不全", "在文件开头的 --- 信息块中补写作者信息。"),
    "Y320": Entry("典型工作案例超过每类项目的数量上限", "减少案例，择优报送。"),
    "Y321": Entry("教师成长案例的数量不在规定范围内", "按每类项目的数量要求增减成长案例。"),
}

AREAS: dict[str, str] = {
    "B": "教育局：汇总、评分",
    "C": "四川 提升工程：变更信息表与名单",
    "D": "数据",
    "F": "数据引用的文件",
    "L": "LibreOffice（转换 PDF）",
    "M": "查重（相同片段）",
    "O": "输出",
    "P": "PDF：附件、盖章、合并",
    "R": "填报表：导入与撤销",
    "T": "模板",
    "X": "报回的工作簿",
    "Y": "年终总结材料的检查项",
}


def title(code: str) -> str:
    """Return the Chinese title of *code*, or "" for a code the catalog does not hold."""
    entry = CATALOG.get(code)
    return entry.title if entry else ""


def hint(code: str) -> str:
    """Return the catalog's hint for *code*, or "" when it has none or the code is unknown."""
    entry = CATALOG.get(code)
    return entry.hint if entry else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*")


def markdown() -> str:
    """Return the README's table of every code: code, title, hint, grouped by area."""
    lines = ["| 代码 | 问题 | 怎么办 |", "|---|---|---|"]
    area = None
    for code, entry in sorted(CATALOG.items()):
        if code[0] != area:
            area = code[0]
            lines.append(f"| **{area}** | **{AREAS[area]}** | |")
        lines.append(f"| {code} | {_cell(entry.title)} | {_cell(entry.hint)} |")
    return "\n".join(lines) + "\n"


README_BEGIN = "<!-- 下表由 `python -m docgen.errors.catalog --markdown` 生成"
README_END = "<!-- 错误代码表结束 -->"


def readme_table(text: str) -> tuple[int, int]:
    """Return where the generated table lies in the README's *text* (start, end offsets)."""
    start = text.index("\n", text.index(README_BEGIN)) + 1
    return start, text.index(README_END, start)


def main(argv: list[str] | None = None) -> int:
    """Print the catalog: ``--markdown`` for the README's table, ``--update-readme FILE`` to
    rewrite that table in place, else one code per line."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--markdown"]:
        sys.stdout.write(markdown())
        return 0
    if len(args) == 2 and args[0] == "--update-readme":
        with open(args[1], encoding="utf-8") as f:
            text = f.read()
        start, end = readme_table(text)
        with open(args[1], "w", encoding="utf-8") as f:
            f.write(text[:start] + markdown() + text[end:])
        return 0
    if args:
        sys.stderr.write("用法：python -m docgen.errors.catalog [--markdown | --update-readme README.md]\n")
        return 2
    for code, entry in sorted(CATALOG.items()):
        sys.stdout.write(f"{code}\t{entry.title}\t{entry.hint}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
