//! 分页排版：把文档块排进 GB/T 9704 版心，得到每页的定位文字与线条（与 PDF 无关）。
//!
//! 坐标单位为磅，原点在版心左上角，y 向下。横排页的“版心”是竖排版心转 90°，宽 225 mm、高 156 mm。

use super::doc::{Align, Block, Document, Orientation, Span, Style};
use super::fonts::FontSet;
use super::pdf::MissingChar;
use super::text::{balanced_lines, break_lines, line_extra, shape, Shaped};

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
    pub pages: Vec<PageOut>,
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
    fn new(fonts: &'a FontSet) -> Self {
        Layouter {
            fonts,
            pages: Vec::new(),
            cur: PageOut::default(),
            y: 0.0,
            width: mm(BLOCK_W),
            height: mm(BLOCK_H),
            missing: Vec::new(),
            fresh: true,
        }
    }

    fn set_orientation(&mut self, o: Orientation) {
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
        self.pages.push(done);
        self.cur.landscape = landscape;
        self.y = 0.0;
        self.fresh = true;
    }

    pub fn shape(&mut self, spans: &[Span]) -> Shaped {
        shape(self.fonts, spans, &mut self.missing)
    }

    /// 排一段文字：首行缩进 `indent` 磅，`x0` 起、宽 `measure`；行距 `pitch`，按需换页。
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        spans: &[Span],
        size: f32,
        pitch: f32,
        align: Align,
        indent: f32,
        x0: f32,
        measure: f32,
    ) {
        let s = self.shape(spans);
        let lines = if align == Align::Center && indent == 0.0 {
            balanced_lines(&s, size, measure)
        } else {
            break_lines(&s, size, measure - indent, measure)
        };
        for (k, line) in lines.iter().enumerate() {
            if self.y + pitch > self.height + 0.01 {
                self.new_page();
            }
            let ind = if k == 0 { indent } else { 0.0 };
            let m = measure - ind;
            let x = match align {
                Align::Left | Align::Justify => x0 + ind,
                Align::Center => x0 + ind + (m - line.width.min(m)) / 2.0,
                Align::Right => x0 + ind + m - line.width.min(m),
            };
            let extra = line_extra(&s, line, m, align == Align::Justify);
            // 字面顶端与行框顶端对齐：首行汉字顶在版心上边缘（天头 37 mm），行距余量留在行下。
            let baseline = self.y + ASCENT * size;
            emit_line(
                &mut self.cur.items,
                &s,
                line.start,
                line.end,
                &extra,
                x,
                baseline,
                size,
            );
            self.y += pitch;
            self.fresh = false;
        }
    }

    fn block(&mut self, block: &Block) {
        let g = grid();
        let body_indent = 2.0 * BODY_SIZE;
        match block {
            Block::Title(spans) => {
                let spans = restyle(spans, Style::Title);
                let pitch = (TITLE_SIZE * 1.4).max(g);
                let w = self.width - 2.0 * BODY_SIZE;
                self.paragraph(&spans, TITLE_SIZE, pitch, Align::Center, 0.0, BODY_SIZE, w);
                // 标题下空一行。
                self.y += g;
            }
            Block::Heading { level, content } => {
                let style = match level {
                    1 => Style::Hei,
                    2 => Style::Kai,
                    _ => Style::Body,
                };
                let spans = restyle(content, style);
                // 标题不单独留在页末：放不下标题加一行正文就换页。
                if !self.fresh && self.y + 2.0 * g > self.height + 0.01 {
                    self.new_page();
                }
                let w = self.width;
                self.paragraph(&spans, BODY_SIZE, g, Align::Justify, body_indent, 0.0, w);
            }
            Block::Paragraph {
                content,
                align,
                indent,
            } => {
                let ind = if *indent { body_indent } else { 0.0 };
                let w = self.width;
                self.paragraph(content, BODY_SIZE, g, *align, ind, 0.0, w);
            }
            Block::List { ordered, items } => {
                for (i, item) in items.iter().enumerate() {
                    let mut spans = vec![Span::body(if *ordered {
                        format!("{}.", i + 1)
                    } else {
                        "•".to_string()
                    })];
                    spans.extend(item.iter().cloned());
                    let w = self.width;
                    self.paragraph(&spans, BODY_SIZE, g, Align::Justify, body_indent, 0.0, w);
                }
            }
            Block::Table(t) => super::table::layout_table(self, t),
            Block::Signature { issuer, date } => {
                // 成文日期右空四字；发文机关署名以成文日期为准居中。
                self.y += g;
                let fonts = self.fonts;
                let date_w = text_width(fonts, date, BODY_SIZE);
                let issuer_w = text_width(fonts, issuer, BODY_SIZE);
                let right = self.width - 4.0 * BODY_SIZE;
                let centre = right - date_w / 2.0;
                let x_issuer = (centre - issuer_w / 2.0).max(0.0);
                let wi = self.width - x_issuer;
                self.paragraph(
                    &[Span::body(issuer)],
                    BODY_SIZE,
                    g,
                    Align::Left,
                    0.0,
                    x_issuer,
                    wi,
                );
                let x_date = (right - date_w).max(0.0);
                let wd = self.width - x_date;
                self.paragraph(
                    &[Span::body(date)],
                    BODY_SIZE,
                    g,
                    Align::Left,
                    0.0,
                    x_date,
                    wd,
                );
            }
            Block::PageBreak => {
                if !self.fresh {
                    self.new_page();
                }
            }
            Block::Spacer(n) => {
                self.y += g * *n as f32;
                self.fresh = false;
                if self.y > self.height {
                    self.new_page();
                }
            }
        }
    }
}

/// 把正文样式的片段换成该块的字体角色（标题、一级/二级标题），强调仍保留。
fn restyle(spans: &[Span], style: Style) -> Vec<Span> {
    spans
        .iter()
        .map(|s| Span {
            text: s.text.clone(),
            style: if s.style == Style::Body {
                style
            } else {
                s.style
            },
        })
        .collect()
}

/// 单行文字的自然宽度（磅）。
pub(crate) fn text_width(fonts: &FontSet, text: &str, size: f32) -> f32 {
    let s = shape(fonts, &[Span::body(text)], &mut Vec::new());
    s.glyphs.iter().map(|g| g.adv * size).sum()
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
        let face = s.glyphs[i].face;
        let mut j = i;
        while j < end && s.glyphs[j].face == face {
            j += 1;
        }
        let base = s.glyphs[i].range.start;
        let text = s.text[base..s.glyphs[j - 1].range.end].to_string();
        let mut glyphs = Vec::with_capacity(j - i);
        let mut w = 0.0;
        for k in i..j {
            let g = &s.glyphs[k];
            let a = g.adv * size + extra[k - start];
            glyphs.push((g.gid, a, g.range.start - base..g.range.end - base));
            w += a;
        }
        items.push(Item::Text(Run {
            x,
            baseline,
            size,
            face,
            text,
            glyphs,
        }));
        x += w;
        i = j;
    }
}

/// 排整份文档。至少一页。
pub(crate) fn layout(doc: &Document, fonts: &FontSet) -> (Vec<PageOut>, Vec<MissingChar>) {
    let mut l = Layouter::new(fonts);
    for (i, section) in doc.sections.iter().enumerate() {
        if i > 0 && !l.fresh {
            l.new_page();
        }
        l.set_orientation(section.orientation);
        for (k, block) in section.blocks.iter().enumerate() {
            let next_table = match section.blocks.get(k + 1) {
                Some(Block::Table(t)) if matches!(block, Block::Heading { .. }) => Some(t),
                _ => None,
            };
            let Some(t) = next_table else {
                l.block(block);
                continue;
            };
            // 标题后紧跟表格：标题要和表头、第一行（组）同页，放不下就把标题也移到下一页。
            let (page, items, missing, y, fresh) = (
                l.pages.len(),
                l.cur.items.len(),
                l.missing.len(),
                l.y,
                l.fresh,
            );
            l.block(block);
            let need = super::table::start_height(&mut l, t);
            if !fresh && l.pages.len() == page && l.y + need > l.height + 0.01 {
                l.cur.items.truncate(items);
                l.missing.truncate(missing);
                l.y = y;
                l.new_page();
                l.block(block);
            }
        }
    }
    let last = std::mem::take(&mut l.cur);
    l.pages.push(last);
    // 节末换页可能留下空白页：去掉末尾的空页（至少保留一页）。
    while l.pages.len() > 1 && l.pages.last().is_some_and(|p| p.items.is_empty()) {
        l.pages.pop();
    }
    (l.pages, l.missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::doc::Section;

    #[test]
    fn heading_is_kept_with_next_line() {
        let fonts = FontSet::shared_builtin();
        let doc = Document {
            meta: Default::default(),
            sections: vec![Section {
                orientation: Orientation::Portrait,
                blocks: vec![
                    Block::Spacer(21),
                    Block::Heading {
                        level: 1,
                        content: vec![Span::body("一、标题")],
                    },
                    Block::Paragraph {
                        content: vec![Span::body("正文")],
                        align: Align::Justify,
                        indent: true,
                    },
                ],
            }],
        };
        let (pages, missing) = layout(&doc, fonts);
        assert!(missing.is_empty());
        assert_eq!(pages.len(), 2);
        assert!(pages[0].items.is_empty(), "标题不应孤零零留在第 1 页末行");
        let first = pages[1].items.iter().find_map(|i| match i {
            Item::Text(r) => Some(r),
            _ => None,
        });
        assert_eq!(first.unwrap().text, "一、标题");
        assert_eq!(first.unwrap().face, 2, "一级标题用黑体");
    }

    #[test]
    fn heading_is_kept_with_table_start() {
        use crate::typeset::doc::{Cell, Row, Table, Width};
        let fonts = FontSet::shared_builtin();
        // 页末还剩 4 行：标题放得下，但表头加一行 4 行高的表格行放不下。
        let text = "按季度报送完成情况和下一步工作打算，逾期未报的予以通报。".repeat(3);
        let doc = Document {
            meta: Default::default(),
            sections: vec![Section {
                orientation: Orientation::Portrait,
                blocks: vec![
                    Block::Spacer(18),
                    Block::Heading {
                        level: 1,
                        content: vec![Span::body("三、报送期限")],
                    },
                    Block::Table(Table {
                        columns: vec![Width::Mm(30.0), Width::Weight(1.0)],
                        header: vec![Row {
                            cells: vec![Cell::new("序号"), Cell::new("内容")],
                        }],
                        rows: vec![Row {
                            cells: vec![Cell::new("1"), Cell::new(text)],
                        }],
                        font_size: 14.0,
                    }),
                ],
            }],
        };
        let (pages, missing) = layout(&doc, fonts);
        assert!(missing.is_empty());
        assert_eq!(pages.len(), 2);
        assert!(pages[0].items.is_empty(), "标题不应与表格分在两页");
        let first = pages[1].items.iter().find_map(|i| match i {
            Item::Text(r) => Some(r),
            _ => None,
        });
        assert_eq!(first.unwrap().text, "三、报送期限");
    }
}
