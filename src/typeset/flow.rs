//! 逐节逐块排版：每节另起一页并设定方向，把各块交给段落排版（`layout`）或表格排版（`table`）；
//! 标题不单独留在页末（与下一行同页，后面紧跟表格时与表头和第一行同页）。

use super::doc::{Align, Block, Document, Span, Style, Table};
use super::error::MissingChar;
use super::fonts::FontSet;
use super::layout::{grid, text_width, Layouter, PageOut, BODY_SIZE, TITLE_SIZE};
use super::table::{layout_table, start_height};

/// 正文首行缩进两字。
const BODY_INDENT: f32 = 2.0 * BODY_SIZE;

/// 排整份文档，每排完一页就按页序交给 `sink`（至少一页）；返回缺字。
pub(crate) fn layout_document_into(
    doc: &Document,
    fonts: &FontSet,
    sink: &mut dyn FnMut(PageOut),
) -> Vec<MissingChar> {
    let mut l = Layouter::new(fonts, sink);
    for (i, section) in doc.sections.iter().enumerate() {
        if i > 0 && !l.fresh {
            l.new_page();
        }
        l.set_orientation(section.orientation);
        for (k, block) in section.blocks.iter().enumerate() {
            match (block, section.blocks.get(k + 1)) {
                (Block::Heading { .. }, Some(Block::Table(t))) => {
                    heading_before_table(&mut l, block, t)
                }
                _ => place_block(&mut l, block),
            }
        }
    }
    // 节末换页可能留下空白页：排版器不交出末尾的空页（至少保留一页）。
    l.finish()
}

/// 排整份文档，收齐所有页（测试用；渲染走 [`layout_document_into`]，不把整份文档的页留在内存里）。
#[cfg(test)]
pub(crate) fn layout_document(doc: &Document, fonts: &FontSet) -> (Vec<PageOut>, Vec<MissingChar>) {
    let mut pages = Vec::new();
    let missing = layout_document_into(doc, fonts, &mut |p| pages.push(p));
    (pages, missing)
}

/// 标题后紧跟表格：标题要和表头、第一行（组）同页，放不下就把标题也移到下一页。
fn heading_before_table(l: &mut Layouter, heading: &Block, t: &Table) {
    let (page, items, missing, y, fresh) =
        (l.done, l.cur.items.len(), l.missing.len(), l.y, l.fresh);
    place_block(l, heading);
    let need = start_height(l, t);
    if !fresh && l.done == page && l.y + need > l.height + 0.01 {
        l.cur.items.truncate(items);
        l.missing.truncate(missing);
        l.y = y;
        l.new_page();
        place_block(l, heading);
    }
}

/// 排一个块。
fn place_block(l: &mut Layouter, block: &Block) {
    match block {
        Block::Title(spans) => title(l, spans),
        Block::Heading { level, content } => heading(l, *level, content),
        Block::Paragraph {
            content,
            align,
            indent,
        } => {
            let ind = if *indent { BODY_INDENT } else { 0.0 };
            let w = l.width;
            l.paragraph(content, BODY_SIZE, grid(), *align, ind, 0.0, w);
        }
        Block::List { ordered, items } => list(l, *ordered, items),
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
    let pitch = (TITLE_SIZE * 1.4).max(g);
    let w = l.width - 2.0 * BODY_SIZE;
    l.paragraph(&spans, TITLE_SIZE, pitch, Align::Center, 0.0, BODY_SIZE, w);
    l.y += g;
}

/// 各级标题：一级黑体、二级楷体、以下正文字体，首行缩进两字。
fn heading(l: &mut Layouter, level: u8, content: &[Span]) {
    let g = grid();
    let style = match level {
        1 => Style::Hei,
        2 => Style::Kai,
        _ => Style::Body,
    };
    let spans = restyle(content, style);
    // 标题不单独留在页末：放不下标题加一行正文就换页。
    if !l.fresh && l.y + 2.0 * g > l.height + 0.01 {
        l.new_page();
    }
    let w = l.width;
    l.paragraph(&spans, BODY_SIZE, g, Align::Justify, BODY_INDENT, 0.0, w);
}

/// 列表：每条一段，前加“1.”或“•”。
fn list(l: &mut Layouter, ordered: bool, items: &[Vec<Span>]) {
    for (i, item) in items.iter().enumerate() {
        let mut spans = vec![Span::body(if ordered {
            format!("{}.", i + 1)
        } else {
            "•".to_string()
        })];
        spans.extend(item.iter().cloned());
        let w = l.width;
        l.paragraph(
            &spans,
            BODY_SIZE,
            grid(),
            Align::Justify,
            BODY_INDENT,
            0.0,
            w,
        );
    }
}

/// 落款：成文日期右空四字；发文机关署名以成文日期为准居中。
fn signature(l: &mut Layouter, issuer: &str, date: &str) {
    let g = grid();
    l.y += g;
    let date_w = text_width(l.fonts, date, BODY_SIZE);
    let issuer_w = text_width(l.fonts, issuer, BODY_SIZE);
    let right = l.width - 4.0 * BODY_SIZE;
    let centre = right - date_w / 2.0;
    let x_issuer = (centre - issuer_w / 2.0).max(0.0);
    let wi = l.width - x_issuer;
    let issuer = [Span::body(issuer)];
    l.paragraph(&issuer, BODY_SIZE, g, Align::Left, 0.0, x_issuer, wi);
    let x_date = (right - date_w).max(0.0);
    let wd = l.width - x_date;
    let date = [Span::body(date)];
    l.paragraph(&date, BODY_SIZE, g, Align::Left, 0.0, x_date, wd);
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
}
