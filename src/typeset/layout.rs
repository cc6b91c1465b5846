//! 版心与段落排版：GB/T 9704 页面尺寸、排版器状态（当前页、已用高度）、段落逐行放进版心、
//! 按需换页，得到每页的定位文字与线条（与 PDF 无关）。逐块调度见 `flow`，表格见 `table`。
//!
//! 坐标单位为磅，原点在版心左上角，y 向下。横排页的“版心”是竖排版心转 90°，宽 225 mm、高 156 mm。

use super::doc::{Align, Orientation, Span, Style};
use super::error::MissingChar;
use super::fonts::{FontSet, GETA};
use super::text::{break_lines, line_extra, printable, shape, Line, Shaped};
use super::title::balanced_lines;

/// 毫米转磅。
pub(crate) fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// GB/T 9704 页面尺寸（A4）与版心。
pub(crate) const PAGE_W: f32 = 210.0;
pub(crate) const PAGE_H: f32 = 297.0;
pub(crate) const MARGIN_TOP: f32 = 37.0;
pub(crate) const MARGIN_LEFT: f32 = 28.0;
pub(crate) const BLOCK_W: f32 = 156.0;
pub(crate) const BLOCK_H: f32 = 225.0;
/// 正文 3 号字。
pub(crate) const BODY_SIZE: f32 = 16.0;
/// 标题 2 号字。
pub(crate) const TITLE_SIZE: f32 = 22.0;
/// 每页 22 行：行距 = 版心高 / 22。
pub(crate) fn grid() -> f32 {
    mm(BLOCK_H) / 22.0
}
/// 汉字字面（em 框）顶部在基线上方 0.88 em。
pub(crate) const ASCENT: f32 = 0.88;

/// 一串同字体、同字号的字形，左端在 (x, baseline)。
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub x: f32,
    pub baseline: f32,
    pub size: f32,
    pub face: usize,
    /// 印成红色。
    pub red: bool,
    /// 本串对应的原文。
    pub text: String,
    /// (字形号, 前进宽度磅, 在 `text` 中的字节范围)
    pub glyphs: Vec<(u16, f32, std::ops::Range<usize>)>,
}

/// 页面上的一个元素。
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Text(Run),
    /// 线段 (x1, y1, x2, y2)，线宽 0.5 磅。
    Rule(f32, f32, f32, f32),
}

/// 排好的一页。
#[derive(Debug, Clone, Default)]
pub(crate) struct PageOut {
    pub landscape: bool,
    pub items: Vec<Item>,
}

/// 排版器状态。
pub(crate) struct Layouter<'a> {
    pub fonts: &'a FontSet,
    /// 排完的页按页序交给它，交出后排版器不再持有：内存只跟一页有关，与文档页数无关。
    sink: &'a mut dyn FnMut(PageOut),
    /// 已排完（换过）的页数。
    pub done: usize,
    /// 暂扣的空白页：后面还有内容才交出，文档末尾的丢掉。
    held: Vec<PageOut>,
    /// 已交出的页数。
    emitted: usize,
    pub cur: PageOut,
    /// 当前页已用高度。
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub missing: Vec<MissingChar>,
    /// 当前页是否还没有内容。
    pub fresh: bool,
}

impl<'a> Layouter<'a> {
    pub fn new(fonts: &'a FontSet, sink: &'a mut dyn FnMut(PageOut)) -> Self {
        Layouter {
            fonts,
            sink,
            done: 0,
            held: Vec::new(),
            emitted: 0,
            cur: PageOut::default(),
            y: 0.0,
            width: mm(BLOCK_W),
            height: mm(BLOCK_H),
            missing: Vec::new(),
            fresh: true,
        }
    }

    /// 新的一节：按方向设定版心宽高。
    pub fn set_orientation(&mut self, o: Orientation) {
        self.cur.landscape = o == Orientation::Landscape;
        let (w, h) = if self.cur.landscape {
            (BLOCK_H, BLOCK_W)
        } else {
            (BLOCK_W, BLOCK_H)
        };
        self.width = mm(w);
        self.height = mm(h);
    }

    /// 换页（保持方向）。
    pub fn new_page(&mut self) {
        let landscape = self.cur.landscape;
        let done = std::mem::take(&mut self.cur);
        self.emit(done);
        self.done += 1;
        self.cur.landscape = landscape;
        self.y = 0.0;
        self.fresh = true;
    }

    /// 排完：交出最后一页（末尾的空白页不交，但整份文档至少一页），返回缺字。
    pub fn finish(mut self) -> Vec<MissingChar> {
        let last = std::mem::take(&mut self.cur);
        self.emit(last);
        if self.emitted == 0 {
            let first = self.held.swap_remove(0);
            (self.sink)(first);
        }
        self.missing
    }

    fn emit(&mut self, page: PageOut) {
        if page.items.is_empty() {
            self.held.push(page);
            return;
        }
        for held in std::mem::take(&mut self.held) {
            (self.sink)(held);
            self.emitted += 1;
        }
        (self.sink)(page);
        self.emitted += 1;
    }

    pub fn shape(&mut self, spans: &[Span]) -> Shaped {
        shape(self.fonts, spans, &mut self.missing)
    }

    /// 一段文字断好的行（不排出）。
    pub fn lines(&mut self, spans: &[Span], p: &Para) -> (Shaped, Vec<Line>) {
        let s = self.shape(spans);
        let lines = if p.align == Align::Center && p.indent == 0.0 {
            balanced_lines(&s, p.size, p.measure)
        } else {
            break_lines(&s, p.size, p.measure - p.indent, p.measure)
        };
        (s, lines)
    }

    /// 排一段文字，按需换页。孤行控制：段首一行不单独留在页末，段末一行不单独转到下页；
    /// `keep_next` > 0 时，段末两行与其后这么高的内容（如落款）同页。
    pub fn paragraph(&mut self, spans: &[Span], p: &Para, keep_next: f32) {
        let (s, lines) = self.lines(spans, p);
        let n = lines.len();
        for (k, line) in lines.iter().enumerate() {
            if self.breaks_before(k, n, p.pitch, keep_next) {
                self.new_page();
            }
            let ind = if k == 0 { p.indent } else { 0.0 };
            let m = p.measure - ind;
            let x = match p.align {
                Align::Left | Align::Justify => p.x0 + ind,
                Align::Center => p.x0 + ind + (m - line.width.min(m)) / 2.0,
                Align::Right => p.x0 + ind + m - line.width.min(m),
            };
            let extra = line_extra(&s, line, m, p.align == Align::Justify, p.size);
            // 字面顶端与行框顶端对齐：首行汉字顶在版心上边缘（天头 37 mm），行距余量留在行下。
            let baseline = self.y + ASCENT * p.size;
            emit_line(
                &mut self.cur.items,
                &s,
                line.start,
                line.end,
                &extra,
                x,
                baseline,
                p.size,
            );
            self.y += p.pitch;
            self.fresh = false;
        }
    }

    /// 第 k 行（共 n 行）之前是否换页。
    fn breaks_before(&self, k: usize, n: usize, pitch: f32, keep_next: f32) -> bool {
        let room = |h: f32| self.y + h <= self.height + 0.01;
        if !room(pitch) {
            return true;
        }
        if self.fresh {
            return false;
        }
        // 要与后面内容同页的末两行（不足两行时整段）。
        let tail = n.saturating_sub(2);
        if keep_next > 0.0 && k == tail {
            return !room((n - k) as f32 * pitch + keep_next);
        }
        // 段首孤行：本页只放得下第一行。
        if k == 0 && n >= 2 {
            return !room(2.0 * pitch);
        }
        // 段末孤行：倒数第二行是本页最后一行时，两行一起转到下页。
        k >= 1 && n >= 3 && k == n - 2 && !room(2.0 * pitch)
    }
}

/// 段落版式：字号、行距、对齐、首行缩进、左端与行宽（磅）。
#[derive(Debug, Clone, Copy)]
pub(crate) struct Para {
    pub size: f32,
    pub pitch: f32,
    pub align: Align,
    pub indent: f32,
    pub x0: f32,
    pub measure: f32,
}

/// 单行文字的自然宽度（磅）。
///
/// 与正文样式 `shape` 后把各字前进宽度相加逐位相同（同样的字、同样的顺序），但不建字形表：
/// 表格按内容定列宽时每一格都要量，大表格上这是排版的一大块。
pub(crate) fn text_width(fonts: &FontSet, text: &str, size: f32) -> f32 {
    let geta = || {
        fonts.faces[fonts.fallback_face]
            .glyph(GETA)
            .map_or(1.0, |g| g.1)
    };
    text.chars()
        .filter_map(printable)
        .map(|ch| match ch {
            '\n' => 0.0,
            ch => fonts.lookup(Style::Body, ch).map_or_else(geta, |g| g.2),
        })
        .map(|adv| adv * size)
        .sum()
}

/// 把一行字形按字体切成若干 Run 放进页面。
#[allow(clippy::too_many_arguments)]
pub(crate) fn emit_line(
    items: &mut Vec<Item>,
    s: &Shaped,
    start: usize,
    end: usize,
    extra: &[f32],
    x: f32,
    baseline: f32,
    size: f32,
) {
    let mut i = start;
    let mut x = x;
    while i < end {
        let (face, red) = (s.glyphs[i].face, s.glyphs[i].red);
        let mut j = i;
        while j < end && s.glyphs[j].face == face && s.glyphs[j].red == red {
            j += 1;
        }
        let base = s.glyphs[i].range().start;
        let text = s.text[base..s.glyphs[j - 1].range().end].to_string();
        let mut glyphs = Vec::with_capacity(j - i);
        let mut w = 0.0;
        for k in i..j {
            let g = &s.glyphs[k];
            let a = g.adv * size + extra[k - start];
            let r = g.range();
            glyphs.push((g.gid, a, r.start - base..r.end - base));
            w += a;
        }
        items.push(Item::Text(Run {
            x,
            baseline,
            size,
            face: face as usize,
            red,
            text,
            glyphs,
        }));
        x += w;
        i = j;
    }
}
