"""`docgen doctor`: what PDF conversion needs on this machine, and what to install when something is missing."""

from __future__ import annotations

import subprocess
import sys

import click

from docgen.cli.base import Options, run_guarded
from docgen.errors import ExitCode, display_path


def register(main: click.Group) -> None:
    @main.command()
    @click.pass_obj
    @run_guarded
    def doctor(opts: Options) -> None:
        """检查生成 PDF 所需的软件和字体：LibreOffice、python3-uno、中文字体及其映射，缺什么就说安装什么。"""
        from docgen.pdf import fonts
        from docgen.pdf.convert import find_soffice, lo_environment
        from docgen.pdf.fonts import (
            OWN_FAMILIES,
            PACKAGES,
            FontResolver,
            conf_path,
            mapping,
            needs_cjk,
            template_fonts,
        )
        from docgen.pdf.warm import uno_python

        bad = 0
        soffice = find_soffice()
        if soffice is None:
            bad += 1
            click.echo("✗ LibreOffice：未安装。安装：sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
        else:
            try:
                version = subprocess.run([soffice, "--headless", "--version"], env=lo_environment(),
                                         capture_output=True, timeout=60, check=False).stdout.decode("utf-8", "replace").strip()
            except (OSError, subprocess.TimeoutExpired):
                version = "（无法取得版本）"
            click.echo(f"✓ LibreOffice：{soffice}  {version}")
        uno = uno_python()
        if uno is None:
            click.echo("! python3-uno：未找到（可以生成 PDF，但每批文件都要重新启动 LibreOffice，较慢）。"
                       "安装：sudo apt-get install python3-uno")
        else:
            click.echo(f"✓ python3-uno：{uno} 可以 import uno（LibreOffice 常驻，转换较快）")

        click.echo(f"字体映射：{display_path(conf_path())}")
        families: dict[str, list[str]] = {f: ["docgen"] for f in OWN_FAMILIES}
        for name in mapping():
            families.setdefault(name, [])
        templates = sorted(p for p in (opts.root / "templates").rglob("*") if p.suffix.lower() in (".docx", ".xlsx"))
        for template in templates:
            for family, east in template_fonts(template).items():
                if needs_cjk(family, east):
                    families.setdefault(family, []).append(display_path(template))
        resolve = FontResolver(None)
        target_of = mapping()
        for family in sorted(families, key=lambda f: (not needs_cjk(f), f)):
            res = resolve(family)
            want_cjk = needs_cjk(family)
            ok = bool(res.file) and (res.cjk or not want_cjk)
            used = f"，{len(families[family])} 处使用" if families[family] else ""
            mapped = f" → {target_of[family]}" if family in target_of else ""
            if ok:
                click.echo(f"  ✓ {family}{mapped}：{res.face}（{res.file}）{used}")
            else:
                bad += 1
                install = PACKAGES.get(fonts.target_of(family), "fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）")
                why = "没有中文字形" if res.file else "找不到字体"
                click.echo(f"  ✗ {family}{mapped}：{res.face or '—'}（{res.file or '—'}），{why}{used}。安装：{install}")
        if bad:
            click.echo(f"有 {bad} 项需要处理；处理前 docgen build 不会生成 PDF（退出状态 3），--no-pdf 不受影响。")
            sys.exit(int(ExitCode.TOOL_FAILED))
        click.echo("一切就绪：可以生成 PDF。")
