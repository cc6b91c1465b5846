//! 逐节逐块排版：每节另起一页并设定方向，把各块交给段落排版（`layout`）或表格排版（`table`）。
//!
//! 与后文同页（keep-with）：标题不留在页末——标题连同后面紧跟的标题、正文前两行（或表头与第一行）
//! 放不下就换页；落款不单独成页——落款前一段的末两行随落款一起转页。段落自身的孤行控制见 `layout`。

use super::doc::{Align, Block, Document, Span, Style};
use super::error::MissingChar;
use super::fonts::FontSet;
use super::layout::{grid, text_width, Layouter, PageOut, Para, BODY_SIZE, TITLE_SIZE};
use super::punct::for_print;
use super::table::{layout_table, start_height};

/// 正文首行缩进两字。
const BODY_INDENT: f32 = 2.0 * BODY_SIZE;

/// 排整份文档（先换成印刷用标点，见 `punct`），每排完一页就按页序交给 `sink`（至少一页）；返回缺字。
pub(crate) fn layout_document_into(
    doc: &Document,
    fonts: &FontSet,
    sink: &mut dyn FnMut(PageOut),
) -> Vec<MissingChar> {
    let doc = for_print(doc);
    let mut l = Layouter::new(fonts, sink);
    for (i, section) in doc.sections.iter().enumerate() {
        if i > 0 && !l.fresh {
            l.new_page();
        }
        l.set_orientation(section.orientation);
        for (k, block) in section.blocks.iter().enumerate() {
            place_block(&mut l, block, &section.blocks[k + 1..]);
        }
    }
    // 节末换页可能留下空白页：排版器不交出末尾的空页（至少保留一页）。
    l.finish()
}

/// 排整份文档，收齐所有页（合订本要用；单独出 PDF 走 [`layout_document_into`]，不把整份文档的页留在内存里）。
pub(crate) fn layout_document(doc: &Document, fonts: &FontSet) -> (Vec<PageOut>, Vec<MissingChar>) {
    let mut pages = Vec::new();
    let missing = layout_document_into(doc, fonts, &mut |p| pages.push(p));
    (pages, missing)
}

/// 正文段落的版式。
fn body(l: &Layouter, indent: bool) -> Para {
    Para {
        size: BODY_SIZE,
        pitch: grid(),
        align: Align::Justify,
        indent: if indent { BODY_INDENT } else { 0.0 },
        x0: 0.0,
        measure: l.width,
    }
}

/// 落款所占高度：空一行 + 署名 + 日期。
fn signature_height() -> f32 {
    3.0 * grid()
}

/// 排一个块；`rest` 是同一节中它后面的块（决定与后文同页的要求）。
fn place_block(l: &mut Layouter, block: &Block, rest: &[Block]) {
    let keep_next = match rest.first() {
        Some(Block::Signature { .. }) => signature_height(),
        _ => 0.0,
    };
    match block {
        Block::Title(spans) => title(l, spans),
        Block::Heading { level, content } => heading(l, *level, content, rest),
        Block::Paragraph {
            content,
            align,
            indent,
        } => {
            let p = Para {
                align: *align,
                ..body(l, *indent)
            };
            l.paragraph(content, &p, keep_next);
        }
        Block::List { ordered, items } => list(l, *ordered, items, keep_next),
        Block::Table(t) => layout_table(l, t),
        Block::Signature { issuer, date } => signature(l, issuer, date),
        Block::PageBreak => {
            if !l.fresh {
                l.new_page();
            }
        }
        Block::Spacer(n) => {
            l.y += grid() * *n as f32;
            l.fresh = false;
            if l.y > l.height {
                l.new_page();
            }
        }
    }
}

/// 公文标题：2 号小标宋居中，左右各空一字，标题下空一行。
fn title(l: &mut Layouter, spans: &[Span]) {
    let g = grid();
    let spans = restyle(spans, Style::Title);
    let p = Para {
        size: TITLE_SIZE,
        pitch: (TITLE_SIZE * 1.4).max(g),
        align: Align::Center,
        indent: 0.0,
        x0: BODY_SIZE,
        measure: l.width - 2.0 * BODY_SIZE,
    };
    l.paragraph(&spans, &p, 0.0);
    l.y += g;
}

fn heading_spans(level: u8, content: &[Span]) -> Vec<Span> {
    let style = match level {
        1 => Style::Hei,
        2 => Style::Kai,
        _ => Style::Body,
    };
    restyle(content, style)
}

/// 某块开头必须与前面的标题同页的高度：标题（连同其后的开头）、正文前两行、表头与第一行、落款。
fn start_of(l: &mut Layouter, rest: &[Block]) -> f32 {
    let g = grid();
    let lines = |l: &mut Layouter, spans: &[Span], indent: bool| {
        let p = body(l, indent);
        l.lines(spans, &p).1.len() as f32
    };
    match rest.first() {
        Some(Block::Heading { level, content }) => {
            let spans = heading_spans(*level, content);
            lines(l, &spans, true) * g + start_of(l, &rest[1..])
        }
        Some(Block::Paragraph {
            content, indent, ..
        }) => lines(l, content, *indent).min(2.0) * g,
        Some(Block::List { items, .. }) => items
            .first()
            .map(|it| lines(l, it, true).min(2.0) * g)
            .unwrap_or(0.0),
        Some(Block::Table(t)) => start_height(l, t),
        Some(Block::Signature { .. }) => signature_height(),
        _ => 0.0,
    }
}

/// 各级标题：一级黑体、二级楷体、以下正文字体，首行缩进两字；与后文开头同页。
fn heading(l: &mut Layouter, level: u8, content: &[Span], rest: &[Block]) {
    let spans = heading_spans(level, content);
    let p = body(l, true);
    if !l.fresh {
        // 量一量时发现的缺字在真正排版时还会报告，这里不重复记。
        let missing = l.missing.len();
        let own = l.lines(&spans, &p).1.len() as f32 * grid();
        let need = (own + start_of(l, rest)).min(l.height);
        l.missing.truncate(missing);
        if l.y + need > l.height + 0.01 {
            l.new_page();
        }
    }
    l.paragraph(&spans, &p, 0.0);
}

/// 列表：每条一段，前加“1.”或“•”；最后一条的末两行与其后的落款同页。
fn list(l: &mut Layouter, ordered: bool, items: &[Vec<Span>], keep_next: f32) {
    for (i, item) in items.iter().enumerate() {
        let mut spans = vec![Span::body(if ordered {
            format!("{}.", i + 1)
        } else {
            "•".to_string()
        })];
        spans.extend(item.iter().cloned());
        let keep = if i + 1 == items.len() { keep_next } else { 0.0 };
        let p = body(l, true);
        l.paragraph(&spans, &p, keep);
    }
}

/// 落款：成文日期右空四字；发文机关署名以成文日期为准居中。前一段已保证它不单独成页；
/// 前面是表格等不能带行的块时，放不下就整块换页。
fn signature(l: &mut Layouter, issuer: &str, date: &str) {
    let g = grid();
    if !l.fresh && l.y + signature_height() > l.height + 0.01 {
        l.new_page();
    }
    if !l.fresh {
        l.y += g;
    }
    let date_w = text_width(l.fonts, date, BODY_SIZE);
    let issuer_w = text_width(l.fonts, issuer, BODY_SIZE);
    let right = l.width - 4.0 * BODY_SIZE;
    let centre = right - date_w / 2.0;
    let x_issuer = (centre - issuer_w / 2.0).max(0.0);
    let line = |x0: f32| Para {
        size: BODY_SIZE,
        pitch: g,
        align: Align::Left,
        indent: 0.0,
        x0,
        measure: l.width - x0,
    };
    let (pi, pd) = (line(x_issuer), line((right - date_w).max(0.0)));
    l.paragraph(&[Span::body(issuer)], &pi, g);
    l.paragraph(&[Span::body(date)], &pd, 0.0);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::doc::{Orientation, Section};
    use crate::typeset::layout::Item;

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
        let (pages, missing) = layout_document(&doc, fonts);
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
        let (pages, missing) = layout_document(&doc, fonts);
        assert!(missing.is_empty());
        assert_eq!(pages.len(), 2);
        assert!(pages[0].items.is_empty(), "标题不应与表格分在两页");
        let first = pages[1].items.iter().find_map(|i| match i {
            Item::Text(r) => Some(r),
            _ => None,
        });
        assert_eq!(first.unwrap().text, "三、报送期限");
    }

    #[test]
    fn signature_takes_the_last_lines_of_the_paragraph_before_it() {
        let fonts = FontSet::shared_builtin();
        // 18 行空白 + 4 行正文正好排满 22 行；落款还要 3 行，放不下。
        let text = "按季度报送完成情况和下一步工作打算，逾期未报的予以通报。".repeat(3);
        let doc = Document {
            meta: Default::default(),
            sections: vec![Section {
                orientation: Orientation::Portrait,
                blocks: vec![
                    Block::Spacer(18),
                    Block::Paragraph {
                        content: vec![Span::body(text)],
                        align: Align::Justify,
                        indent: true,
                    },
                    Block::Signature {
                        issuer: "区人民政府办公室".into(),
                        date: "2023年2月8日".into(),
                    },
                ],
            }],
        };
        let (pages, _) = layout_document(&doc, fonts);
        assert_eq!(pages.len(), 2);
        let texts = |p: &PageOut| -> Vec<String> {
            p.items
                .iter()
                .filter_map(|i| match i {
                    Item::Text(r) => Some(r.text.clone()),
                    _ => None,
                })
                .collect()
        };
        let (first, second) = (texts(&pages[0]), texts(&pages[1]));
        assert_eq!(first.len(), 2, "第 1 页留正文前两行：{first:?}");
        assert_eq!(second.len(), 4, "末两行随落款转页：{second:?}");
        assert_eq!(second[2], "区人民政府办公室");
    }
}
