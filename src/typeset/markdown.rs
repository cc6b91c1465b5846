//! Markdown（模板输出）→ 文档模型。
//!
//! 约定（对应 GB/T 9704）：
//! - `# 标题` → 公文标题（2 号小标宋，居中）；`##` → 一级标题“一、”（黑体）；`###` → 二级标题“（一）”（楷体）；
//!   `####`、`#####` → 三、四级标题（正文字体）。
//! - 段落首行缩进两字；标题后第一个以“：”结尾的段落是主送机关，顶格。
//! - `*强调*`、`**加粗**` → 黑体。
//! - 引用块 `> 发文机关` + `> 2023年2月7日` → 落款（署名与成文日期）。
//! - `---` → 换页；`<!-- landscape -->` / `<!-- portrait -->` → 另起横排/竖排一节。
//! - 表格：第一行为表头（黑体居中），每页重复；列宽按各列最长内容加权。

use super::doc::{
    Align, Block, Cell, Document, Meta, Orientation, Row, Section, Span, Style, Table, Width,
};
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Default)]
struct Builder {
    sections: Vec<Section>,
    spans: Vec<Span>,
    bold: usize,
    /// 列表栈：(有序, 条目)。
    lists: Vec<(bool, Vec<Vec<Span>>)>,
    quote: Option<Vec<String>>,
    table: Option<Table>,
    row: Vec<Cell>,
    in_head: bool,
    /// 当前表格各列的对齐方式。
    aligns: Vec<Align>,
    after_title: bool,
}

impl Builder {
    fn push(&mut self, b: Block) {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        self.sections.last_mut().unwrap().blocks.push(b);
    }

    fn text(&mut self, t: &str) {
        let style = if self.bold > 0 {
            Style::Hei
        } else {
            Style::Body
        };
        match self.spans.last_mut() {
            Some(s) if s.style == style => s.text.push_str(t),
            _ => self.spans.push(Span::styled(t, style)),
        }
    }

    fn take(&mut self) -> Vec<Span> {
        std::mem::take(&mut self.spans)
    }

    fn last_char(&self) -> Option<char> {
        self.spans.last().and_then(|s| s.text.chars().last())
    }
}

fn plain(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// 把 Markdown 转为文档模型：标题、段落、列表、表格、强调（→黑体）。
pub fn markdown_to_document(md: &str, meta: Meta) -> Document {
    let mut b = Builder::default();
    let parser = Parser::new_ext(md, Options::ENABLE_TABLES);
    for ev in parser {
        match ev {
            Event::Start(Tag::Emphasis | Tag::Strong) => b.bold += 1,
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => b.bold = b.bold.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => b.text(&t),
            Event::SoftBreak if b.quote.is_some() => b.text("\n"),
            // 中文行间软换行不加空格；西文之间补一个空格。
            Event::SoftBreak if b.last_char().is_some_and(|c| c.is_ascii_alphanumeric()) => {
                b.text(" ")
            }
            Event::SoftBreak => {}
            Event::HardBreak => b.text("\n"),
            Event::End(TagEnd::Heading(level)) => {
                let content = b.take();
                let block = match level {
                    HeadingLevel::H1 => {
                        b.after_title = true;
                        Block::Title(content)
                    }
                    HeadingLevel::H2 => Block::Heading { level: 1, content },
                    HeadingLevel::H3 => Block::Heading { level: 2, content },
                    HeadingLevel::H4 => Block::Heading { level: 3, content },
                    _ => Block::Heading { level: 4, content },
                };
                b.push(block);
            }
            Event::End(TagEnd::Paragraph) => {
                let content = b.take();
                if let Some(q) = b.quote.as_mut() {
                    q.extend(plain(&content).lines().map(str::to_string));
                } else if let Some((_, items)) = b.lists.last_mut() {
                    if let Some(item) = items.last_mut() {
                        item.extend(content);
                    }
                } else {
                    let addressee = b.after_title && plain(&content).trim_end().ends_with('：');
                    b.after_title = false;
                    b.push(Block::Paragraph {
                        content,
                        align: Align::Justify,
                        indent: !addressee,
                    });
                }
            }
            Event::Start(Tag::List(first)) => {
                let pending = b.take();
                if let Some((_, items)) = b.lists.last_mut() {
                    if let Some(item) = items.last_mut() {
                        item.extend(pending);
                    }
                }
                b.lists.push((first.is_some(), Vec::new()));
            }
            Event::Start(Tag::Item) => {
                if let Some((_, items)) = b.lists.last_mut() {
                    items.push(Vec::new());
                }
            }
            Event::End(TagEnd::Item) => {
                let rest = b.take();
                if let Some((_, items)) = b.lists.last_mut() {
                    if let Some(item) = items.last_mut() {
                        item.extend(rest);
                    }
                }
            }
            Event::End(TagEnd::List(_)) => {
                if let Some((ordered, items)) = b.lists.pop() {
                    match b.lists.last_mut() {
                        // 嵌套列表的条目并到外层列表之后，文字不丢。
                        Some((_, outer)) => outer.extend(items),
                        None => b.push(Block::List { ordered, items }),
                    }
                }
            }
            Event::Start(Tag::BlockQuote(_)) => b.quote = Some(Vec::new()),
            Event::End(TagEnd::BlockQuote(_)) => {
                let lines: Vec<String> = b
                    .quote
                    .take()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect();
                match lines.as_slice() {
                    [issuer, date] => b.push(Block::Signature {
                        issuer: issuer.clone(),
                        date: date.clone(),
                    }),
                    _ => {
                        for l in lines {
                            b.push(Block::Paragraph {
                                content: vec![Span::body(l)],
                                align: Align::Right,
                                indent: false,
                            });
                        }
                    }
                }
            }
            Event::Rule => b.push(Block::PageBreak),
            Event::Html(h) | Event::InlineHtml(h) => {
                let h = h.trim();
                let o = if h.contains("landscape") {
                    Some(Orientation::Landscape)
                } else if h.contains("portrait") {
                    Some(Orientation::Portrait)
                } else {
                    None
                };
                if let Some(orientation) = o {
                    b.sections.push(Section {
                        orientation,
                        blocks: Vec::new(),
                    });
                }
            }
            Event::Start(Tag::Table(aligns)) => {
                b.aligns = aligns
                    .iter()
                    .map(|a| match a {
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                        _ => Align::Left,
                    })
                    .collect();
                b.table = Some(Table {
                    columns: Vec::new(),
                    header: Vec::new(),
                    rows: Vec::new(),
                    font_size: 14.0,
                });
            }
            Event::Start(Tag::TableHead) => b.in_head = true,
            Event::End(TagEnd::TableCell) => {
                let spans = b.take();
                let mut cell = Cell::new(plain(&spans));
                if b.in_head || spans.iter().all(|s| s.style == Style::Hei) && !spans.is_empty() {
                    cell = cell.style(Style::Hei);
                }
                if b.in_head {
                    cell = cell.center();
                } else {
                    // 对齐行 `:---:`、`---:` 决定该列的对齐方式。
                    cell.align = b.aligns.get(b.row.len()).copied().unwrap_or(Align::Left);
                }
                b.row.push(cell);
            }
            Event::End(TagEnd::TableHead) => {
                b.in_head = false;
                let cells = std::mem::take(&mut b.row);
                if let Some(t) = b.table.as_mut() {
                    t.header.push(Row { cells });
                }
            }
            Event::End(TagEnd::TableRow) => {
                let cells = std::mem::take(&mut b.row);
                if let Some(t) = b.table.as_mut() {
                    t.rows.push(Row { cells });
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(mut t) = b.table.take() {
                    t.columns = column_weights(&t);
                    b.push(Block::Table(t));
                }
            }
            _ => {}
        }
    }
    Document {
        meta,
        sections: b.sections,
    }
}

/// 列宽权重：各列最长内容的字数，限制在 2–16 之间。
fn column_weights(t: &Table) -> Vec<Width> {
    let n = t
        .header
        .iter()
        .chain(&t.rows)
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0);
    (0..n)
        .map(|i| {
            let longest = t
                .header
                .iter()
                .chain(&t.rows)
                .filter_map(|r| r.cells.get(i))
                .map(|c| c.text.chars().count())
                .max()
                .unwrap_or(1);
            Width::Weight((longest as f32).clamp(2.0, 16.0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_gongwen_structure() {
        let md = "# 关于开展督办工作的通知\n\n各单位：\n\n为**抓好**落实，现通知如下。\n\n## 一、工作要求\n\n### （一）明确责任\n\n1. 第一项\n2. 第二项\n\n| 序号 | 事项 |\n|:---:|---|\n| 1 | 甲 |\n\n> 区人民政府办公室\n> 2023年2月7日\n\n---\n\n<!-- landscape -->\n\n正文\n";
        let doc = markdown_to_document(md, Meta::default());
        let s = &doc.sections;
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].orientation, Orientation::Landscape);
        let b = &s[0].blocks;
        assert!(matches!(&b[0], Block::Title(t) if plain(t) == "关于开展督办工作的通知"));
        assert!(matches!(&b[1], Block::Paragraph { indent: false, .. }));
        match &b[2] {
            Block::Paragraph {
                content,
                indent: true,
                ..
            } => {
                assert_eq!(content[1], Span::styled("抓好", Style::Hei));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&b[3], Block::Heading { level: 1, .. }));
        assert!(matches!(&b[4], Block::Heading { level: 2, .. }));
        assert!(matches!(&b[5], Block::List { ordered: true, items } if items.len() == 2));
        match &b[6] {
            Block::Table(t) => {
                assert_eq!(t.header[0].cells[1].text, "事项");
                assert_eq!(t.rows[0].cells[1].text, "甲");
                assert_eq!(t.rows[0].cells[0].align, Align::Center);
                assert_eq!(t.rows[0].cells[1].align, Align::Left);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&b[7], Block::Signature { issuer, date } if issuer == "区人民政府办公室" && date == "2023年2月7日")
        );
        assert!(matches!(&b[8], Block::PageBreak));
    }
}
