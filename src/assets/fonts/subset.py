#!/usr/bin/env python3
"""把内置字体子集化到 GB 2312 ∪《通用规范汉字表》8105 字 ∪ 标点/全角/ASCII/常用符号，
并把 CFF（三次曲线）轮廓转成 TrueType（二次曲线）轮廓，逐字形检查转换误差。

用法（仓库根目录）：
    pip install fonttools
    python3 src/assets/fonts/subset.py [汉字表路径]

来源字体（Debian 包 fonts-noto-cjk、fonts-lxgw-wenkai，均为 SIL OFL 1.1）：
    标题（小标宋替代）: Noto Serif CJK SC Bold
    正文（仿宋替代）  : Noto Serif CJK SC Regular —— 开源简体仿宋在这些软件源里没有，
                        仿宋源自宋体笔画，宋体正文是最接近、最易读的替代。
    黑体              : Noto Sans CJK SC Regular
    楷体              : LXGW WenKai Regular（霞鹜文楷，本来就是 TrueType 轮廓）

为什么转成 TrueType：PDF 每份都要嵌入所用字形的子集。CFF 子集化要逐字展开子程序、重写字符串，
每次运行对 318 份 PDF 重复做；TrueType 的 glyf 子集化只是按字形复制字节，画字形包围盒也更快。
转换用 cu2qu，允许误差 MAX_ERR 个字体单位（1000 单位 = 1 em），坐标再取整（至多 0.71 单位）；
本脚本把每个字形的每段曲线与原 CFF 轮廓逐点比较，最大偏差超过 TOLERANCE 就失败。
结果写到本目录，由 src/typeset/fonts.rs 用 include_bytes! 嵌入。
"""
import io
import math
import os
import sys

from fontTools import subset
from fontTools.cu2qu.errors import Error as Cu2QuError
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.reverseContourPen import ReverseContourPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = os.path.dirname(os.path.abspath(__file__))
HANZI = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/tongyong-guifan-hanzi-8105.txt"

# cu2qu 的允许误差（字体单位，1 em = 1000）。1 单位在 22 磅的二号标题上是 0.008 毫米。
MAX_ERR = 1.0
# 检查的上限：cu2qu 误差 + 坐标取整（√2/2），留一点余量。
TOLERANCE = 1.75

SOURCES = [
    # (输出文件, 源文件, TTC 中的字体名)
    ("title.ttf", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    ("body.ttf", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("hei.ttf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
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
    # 保留来源字体 head 表里的修改时间：重新运行本脚本得到逐字节相同的文件。
    if name is None:
        return TTFont(src, recalcTimestamp=False)
    for font in TTCollection(src, recalcTimestamp=False).fonts:
        fam = font["name"].getDebugName(1) or ""
        if fam == name:
            return font
    raise SystemExit(f"{src} 中没有 {name}")


def reload(font):
    """存进内存再读回：得到与写盘结果一致、互不牵连的副本。"""
    buf = io.BytesIO()
    font.save(buf)
    buf.seek(0)
    return TTFont(buf, recalcTimestamp=False)


def to_truetype(font):
    """CFF 轮廓 → TrueType 轮廓（就地修改）。方向反转为 TrueType 惯用的顺时针；度量不变。"""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        try:
            glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        except Cu2QuError as e:
            raise SystemExit(f"{name}：无法转换为二次曲线：{e}")
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:  # 只对 CFF 字体有意义
        del font["VORG"]
    # TrueType 的左边距就是字形的 xMin（head.flags 第 1 位）；前进宽度原样保留。
    hmtx = font["hmtx"]
    for name, g in glyphs.items():
        g.recalcBounds(glyf)
        hmtx[name] = (hmtx[name][0], getattr(g, "xMin", 0))
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    # 版本 3 的 post 不存字形名：CID 字体的字形本来就没有名字，省得每份 PDF 都带一份。
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\000\001\000\000"


def contours(pen):
    """录下的轮廓 → 每条轮廓的线段 [(起点, 控制点…, 终点)]；隐含的闭合直线补上。"""
    out, cur, start, last = [], None, None, None
    for op, args in pen.value:
        if op == "moveTo":
            cur, start, last = [], args[0], args[0]
        elif op == "lineTo":
            cur.append((last, args[0]))
            last = args[0]
        elif op in ("curveTo", "qCurveTo"):
            cur.append((last,) + tuple(args))
            last = args[-1]
        elif op in ("closePath", "endPath"):
            if last != start:
                cur.append((last, start))
            out.append(cur)
    return out


def at_cubic(seg, t):
    if len(seg) == 2:
        return lerp(seg[0], seg[1], t)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = seg
    s = 1 - t
    a, b, c, d = s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t
    return (a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3)


def at_spline(seg, t):
    """TrueType 二次样条（相邻两个控制点之间隐含中点）在整体参数 t 处的点。"""
    if len(seg) == 2:
        return lerp(seg[0], seg[1], t)
    start, offs, end = seg[0], seg[1:-1], seg[-1]
    n = len(offs)
    i = min(int(t * n), n - 1)
    u = t * n - i
    a = start if i == 0 else lerp(offs[i - 1], offs[i], 0.5)
    b = end if i == n - 1 else lerp(offs[i], offs[i + 1], 0.5)
    return lerp(lerp(a, offs[i], u), lerp(offs[i], b, u), u)


def lerp(p, q, t):
    return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)


def check(original, converted, samples=16):
    """逐字形、逐段比较：原三次曲线与转换后的二次样条在同一参数处的距离（≥ 几何偏差）。
    返回 (最大偏差, 所在字形)；轮廓结构对不上、宽度变了或偏差超限都直接失败。"""
    og, cg = original.getGlyphSet(), converted.getGlyphSet()
    worst = (0.0, None)
    for name, cname in zip(original.getGlyphOrder(), converted.getGlyphOrder()):
        if og[name].width != cg[cname].width:
            raise SystemExit(f"{name}：前进宽度变了 {og[name].width} → {cg[cname].width}")
        a, b = RecordingPen(), RecordingPen()
        og[name].draw(ReverseContourPen(a))
        cg[cname].draw(b)
        ca, cb = contours(a), contours(b)
        if [len(c) for c in ca] != [len(c) for c in cb]:
            raise SystemExit(f"{name}：转换后的轮廓与原字形对不上")
        for sa, sb in ((x, y) for c1, c2 in zip(ca, cb) for x, y in zip(c1, c2)):
            for k in range(samples + 1):
                pa, pb = at_cubic(sa, k / samples), at_spline(sb, k / samples)
                d = math.hypot(pa[0] - pb[0], pa[1] - pb[1])
                if d > worst[0]:
                    worst = (d, name)
    if worst[0] > TOLERANCE:
        raise SystemExit(f"{worst[1]}：偏差 {worst[0]:.2f} 单位，超过 {TOLERANCE}")
    return worst


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
        note = ""
        if "CFF " in font:
            original = reload(font)
            to_truetype(font)
            font = reload(font)
            dev, where = check(original, font)
            note = f"，CFF → TrueType，最大偏差 {dev:.2f}/1000 em（{where}）"
        path = os.path.join(HERE, out)
        font.save(path)
        print(f"{out}: {os.path.getsize(path) / 1e6:.1f} MB ← {src}{note}")


if __name__ == "__main__":
    main()
