#!/usr/bin/env bash
# Install what docgen needs from Debian's packages, only where it is missing:
# python3-venv, LibreOffice headless (Writer, Calc), CJK fonts, poppler-utils and poppler-data, and the
# Fandol Fangsong/Kai faces (taken out of texlive-lang-chinese without installing TeX Live).
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "需要 root 权限安装系统软件包（LibreOffice、字体）：请用 root 运行，或先安装 sudo。" >&2; exit 3
  fi
fi

need=()
python3 -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
[ -e /usr/lib/libreoffice/program/pyuno.so ] || [ -e /usr/lib/python3/dist-packages/uno.py ] || need+=(python3-uno)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# poppler-data: the CMaps poppler needs to draw Chinese text in fonts a PDF does not embed (Adobe-GB1 CID
# fonts such as STSong-Light); without it such attachments are measured from their text layer (pdfminer),
# many times slower and with much more memory
[ -d /usr/share/poppler/cMap ] || need+=(poppler-data)
command -v fc-list >/dev/null || need+=(fontconfig)
[ -n "$(fc-list "Noto Serif CJK SC" 2>/dev/null)" ] || need+=(fonts-noto-cjk)
[ -n "$(fc-list "Liberation Serif" 2>/dev/null)" ] || need+=(fonts-liberation2)
if [ "${1:-}" = "--test" ]; then  # make test: the desk's browser tests drive Debian's chromium
  command -v chromium >/dev/null || need+=(chromium)
  command -v chromedriver >/dev/null || need+=(chromium-driver)
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "安装系统软件包：${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

FANDOL=/usr/local/share/fonts/fandol
if [ ! -f "$FANDOL/FandolFang-Regular.otf" ] || [ ! -f "$FANDOL/FandolKai-Regular.otf" ]; then
  echo "安装仿宋、楷体字体（Fandol，取自 texlive-lang-chinese）"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1) || {
    $SUDO apt-get update -qq && (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null); }
  dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
  $SUDO mkdir -p "$FANDOL"
  $SUDO cp "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Kai,Song,Hei}-*.otf "$FANDOL/"
  rm -rf "$tmp"
  $SUDO fc-cache -f >/dev/null
fi
