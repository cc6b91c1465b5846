#!/usr/bin/env python3
"""把内置字体子集化到 GB 2312 ∪《通用规范汉字表》8105 字 ∪ 标点/全角/ASCII/常用符号。

用法（仓库根目录）：
    pip install fonttools
    python3 src/assets/fonts/subset.py [汉字表路径]

来源字体（Debian 包 fonts-noto-cjk、fonts-lxgw-wenkai，均为 SIL OFL 1.1）：
    标题（小标宋替代）: Noto Serif CJK SC Bold
    正文（仿宋替代）  : Noto Serif CJK SC Regular —— 开源简体仿宋在这些软件源里没有，
                        仿宋源自宋体笔画，宋体正文是最接近、最易读的替代。
    黑体              : Noto Sans CJK SC Regular
    楷体              : LXGW WenKai Regular（霞鹜文楷）
结果写到本目录，由 src/typeset/fonts.rs 用 include_bytes! 嵌入。
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
HANZI = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/tongyong-guifan-hanzi-8105.txt"

SOURCES = [
    # (输出文件, 源文件, TTC 中的字体名)
    ("title.otf", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    ("body.otf", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("hei.otf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("kai.ttf", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", None),
]


def charset():
    chars = set()
    with open(HANZI, encoding="utf-8") as f:
        for line in f:
            for ch in line.strip():
                chars.add(ch)
    # GB 2312：双字节区 0xA1A1–0xF7FE 中所有可解码的字符（含符号区和两级汉字）。
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    ranges = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1 补充（° ± × ÷ · 等）
        (0x2010, 0x2027),  # – — ‘ ’ “ ” … ·
        (0x2030, 0x203B),  # ‰ ′ ″ ※
        (0x2103, 0x2103), (0x2116, 0x2116), (0x2160, 0x216B), (0x2170, 0x217B),  # ℃ № Ⅰ ⅰ
        (0x2190, 0x2193), (0x2460, 0x2473), (0x2474, 0x2487), (0x2488, 0x249B),  # ← ①–⑳ ⑴ ⒈
        (0x25A0, 0x25CF), (0x2605, 0x2606), (0x2610, 0x2612), (0x2713, 0x2714),  # ■□ ●○ ★☆ ☐☑ ✓
        (0x3000, 0x303F),  # CJK 标点
        (0x3220, 0x3229),  # ㈠–㈩
        (0xFE10, 0xFE1F), (0xFE30, 0xFE4F),  # 竖排/兼容标点
        (0xFF01, 0xFF5E), (0xFF5F, 0xFF65), (0xFFE0, 0xFFE6),  # 全角 ASCII、￥
    ]
    for a, b in ranges:
        for cp in range(a, b + 1):
            chars.add(chr(cp))
    return chars


def load(src, name):
    if name is None:
        return TTFont(src)
    for font in TTCollection(src).fonts:
        fam = font["name"].getDebugName(1) or ""
        if fam == name:
            return font
    raise SystemExit(f"{src} 中没有 {name}")


def main():
    chars = charset()
    unicodes = sorted(ord(c) for c in chars)
    print(f"字符集：{len(unicodes)} 个码位")
    for out, src, name in SOURCES:
        font = load(src, name)
        opts = subset.Options()
        opts.layout_features = ["kern", "vert", "vrt2", "halt", "palt"]
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.hinting = False
        opts.desubroutinize = False
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=unicodes)
        sub.subset(font)
        path = os.path.join(HERE, out)
        font.save(path)
        print(f"{out}: {os.path.getsize(path) / 1e6:.1f} MB ← {src}")


if __name__ == "__main__":
    main()
