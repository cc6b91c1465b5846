//! Markdown（模板输出）→ 文档模型。
//!
//! 约定（对应 GB/T 9704）：
//! - `# 标题` → 公文标题（2 号小标宋，居中）；`##` → 一级标题“一、”（黑体）；`###` → 二级标题“（一）”（楷体）；
//!   `####`、`#####` → 三、四级标题（正文字体）。
//! - 段落首行缩进两字；标题后第一个以“：”结尾的段落是主送机关，顶格。
//! - `*强调*`、`**加粗**` → 黑体。
//! - 引用块 `> 发文机关` + `> 2023年2月7日` → 落款（署名与成文日期）。
//! - `---` → 换页；`<!-- landscape -->` / `<!-- portrait -->` → 另起横排/竖排一节。
//! - 表格：第一行为表头（黑体居中），每页重复；列宽按内容定宽（`Width::Auto`）。

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
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        b.event(ev);
    }
    Document {
        meta,
        sections: b.sections,
    }
}

impl Builder {
    fn event(&mut self, ev: Event) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::SoftBreak if self.quote.is_some() => self.text("\n"),
            // 中文行间软换行不加空格；西文之间补一个空格。
            Event::SoftBreak if self.last_char().is_some_and(|c| c.is_ascii_alphanumeric()) => {
                self.text(" ")
            }
            Event::SoftBreak => {}
            Event::HardBreak => self.text("\n"),
            Event::Rule => self.push(Block::PageBreak),
            Event::Html(h) | Event::InlineHtml(h) => self.html(&h),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Emphasis | Tag::Strong => self.bold += 1,
            Tag::List(first) => self.start_list(first.is_some()),
            Tag::Item => {
                if let Some((_, items)) = self.lists.last_mut() {
                    items.push(Vec::new());
                }
            }
            Tag::BlockQuote(_) => self.quote = Some(Vec::new()),
            Tag::Table(aligns) => self.start_table(&aligns),
            Tag::TableHead => self.in_head = true,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Emphasis | TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Item => {
                let rest = self.take();
                self.extend_item(rest);
            }
            TagEnd::List(_) => self.end_list(),
            TagEnd::BlockQuote(_) => self.end_quote(),
            TagEnd::TableCell => self.end_cell(),
            TagEnd::TableHead => {
                self.in_head = false;
                let cells = std::mem::take(&mut self.row);
                if let Some(t) = self.table.as_mut() {
                    t.header.push(Row { cells });
                }
            }
            TagEnd::TableRow => {
                let cells = std::mem::take(&mut self.row);
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Row { cells });
                }
            }
            TagEnd::Table => {
                if let Some(mut t) = self.table.take() {
                    t.columns = column_weights(&t);
                    self.push(Block::Table(t));
                }
            }
            _ => {}
        }
    }

    /// 文字并入当前列表的最后一条（不在列表里时什么也不做）。
    fn extend_item(&mut self, spans: Vec<Span>) {
        if let Some((_, items)) = self.lists.last_mut() {
            if let Some(item) = items.last_mut() {
                item.extend(spans);
            }
        }
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        let content = self.take();
        let block = match level {
            HeadingLevel::H1 => {
                self.after_title = true;
                Block::Title(content)
            }
            HeadingLevel::H2 => Block::Heading { level: 1, content },
            HeadingLevel::H3 => Block::Heading { level: 2, content },
            HeadingLevel::H4 => Block::Heading { level: 3, content },
            _ => Block::Heading { level: 4, content },
        };
        self.push(block);
    }

    /// 段落结束：引用块里记作落款的行，列表里并入当前条目，否则成为正文段落。
    fn end_paragraph(&mut self) {
        let content = self.take();
        if let Some(q) = self.quote.as_mut() {
            q.extend(plain(&content).lines().map(str::to_string));
        } else if !self.lists.is_empty() {
            self.extend_item(content);
        } else {
            let addressee = self.after_title && plain(&content).trim_end().ends_with('：');
            self.after_title = false;
            self.push(Block::Paragraph {
                content,
                align: Align::Justify,
                indent: !addressee,
            });
        }
    }

    fn start_list(&mut self, ordered: bool) {
        let pending = self.take();
        self.extend_item(pending);
        self.lists.push((ordered, Vec::new()));
    }

    fn end_list(&mut self) {
        if let Some((ordered, items)) = self.lists.pop() {
            match self.lists.last_mut() {
                // 嵌套列表的条目并到外层列表之后，文字不丢。
                Some((_, outer)) => outer.extend(items),
                None => self.push(Block::List { ordered, items }),
            }
        }
    }

    /// 引用块：正好两行（署名、日期）是落款，否则每行一个右对齐段落。
    fn end_quote(&mut self) {
        let lines: Vec<String> = self
            .quote
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        match lines.as_slice() {
            [issuer, date] => self.push(Block::Signature {
                issuer: issuer.clone(),
                date: date.clone(),
            }),
            _ => {
                for l in lines {
                    self.push(Block::Paragraph {
                        content: vec![Span::body(l)],
                        align: Align::Right,
                        indent: false,
                    });
                }
            }
        }
    }

    /// `<!-- landscape -->` / `<!-- portrait -->` 另起一节；其他 HTML 忽略。
    fn html(&mut self, h: &str) {
        let h = h.trim();
        let o = if h.contains("landscape") {
            Some(Orientation::Landscape)
        } else if h.contains("portrait") {
            Some(Orientation::Portrait)
        } else {
            None
        };
        if let Some(orientation) = o {
            self.sections.push(Section {
                orientation,
                blocks: Vec::new(),
            });
        }
    }

    fn start_table(&mut self, aligns: &[Alignment]) {
        self.aligns = aligns
            .iter()
            .map(|a| match a {
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
                _ => Align::Left,
            })
            .collect();
        self.table = Some(Table {
            columns: Vec::new(),
            header: Vec::new(),
            rows: Vec::new(),
            font_size: 14.0,
        });
    }

    /// 单元格：表头黑体居中；表体全为强调的格用黑体，对齐按对齐行。
    fn end_cell(&mut self) {
        let spans = self.take();
        let mut cell = Cell::new(plain(&spans));
        if self.in_head || spans.iter().all(|s| s.style == Style::Hei) && !spans.is_empty() {
            cell = cell.style(Style::Hei);
        }
        if self.in_head {
            cell = cell.center();
        } else {
            // 对齐行 `:---:`、`---:` 决定该列的对齐方式。
            cell.align = self
                .aligns
                .get(self.row.len())
                .copied()
                .unwrap_or(Align::Left);
        }
        self.row.push(cell);
    }
}

/// 列宽：全部按内容定宽（见 [`Width::Auto`]）。
fn column_weights(t: &Table) -> Vec<Width> {
    let n = t
        .header
        .iter()
        .chain(&t.rows)
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0);
    vec![Width::Auto; n]
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
