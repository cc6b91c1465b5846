//! 表单与文书的纯构建函数：模型 → [`Sheet`]（表格型：附表1–3、总体办理方案、责任分解总表）
//! 或 Markdown 视图（任务清单、催报通知）。
//!
//! [`Sheet`] 是 PDF 与 XLSX 共用的中间结构：同一份列、同样的合并单元格，分别交给
//! [`Sheet::to_document`]（→ `typeset::Document`）和 `crate::xlsx::write_sheet`。

pub mod cover;
pub mod letters;
pub mod returns;
pub mod sheets;
pub mod tasklist;

use crate::typeset::{
    Align, Block, Cell, Document, Meta, Orientation, Row, Section, Span, Style, Table, Width,
};
use serde::Serialize;

/// 模板版本：写入 XLSX 隐藏键，回收的表格据此判断版式。
///
/// - `duban-forms-1`：最初的版式（保护下不能插入行）。
/// - `duban-forms-2`：允许在任务块内插入行；插入的行隐藏键为空，归上方的任务块。
///   两版的列与键相同，`duban ingest` 都能读（见 [`READABLE_VERSIONS`]）。
pub const TEMPLATE_VERSION: &str = "duban-forms-2";

/// `duban ingest` 能读回的模板版本（列与隐藏键的约定相同）。
pub const READABLE_VERSIONS: &[&str] = &["duban-forms-1", "duban-forms-2"];

/// 一列。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub header: String,
    /// 宽度（字符数，XLSX 列宽；PDF 按比例分配）。
    pub width: f64,
    /// 是否为“完成时间（按月）”列（XLSX 加月份下拉）。
    pub month: bool,
}

/// 一个单元格。被上方合并单元格覆盖的位置不出现（同 `typeset::Cell` 的约定）。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetCell {
    /// 所在列（从 0 开始）。
    pub col: usize,
    pub text: String,
    pub row_span: usize,
    /// 填报格：XLSX 中不锁定。
    pub input: bool,
    pub center: bool,
}

impl SheetCell {
    pub fn fixed(col: usize, text: impl Into<String>) -> Self {
        Self {
            col,
            text: text.into(),
            row_span: 1,
            input: false,
            center: false,
        }
    }
    pub fn input(col: usize, text: impl Into<String>) -> Self {
        Self {
            input: true,
            ..Self::fixed(col, text)
        }
    }
    pub fn span(mut self, n: usize) -> Self {
        self.row_span = n.max(1);
        self
    }
    pub fn center(mut self) -> Self {
        self.center = true;
        self
    }
}

/// 一行数据及其隐藏键（如 "task=1;row=2"），回收时据此逐行匹配。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetRow {
    pub key: String,
    pub cells: Vec<SheetCell>,
}

/// 表单的隐藏键（XLSX 自定义属性）。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetKeys {
    pub unit: String,
    /// 如 "附表1"、"总体办理方案"。
    pub form: String,
    pub quarter: Option<String>,
    /// 表中任务序号，按表中顺序。
    pub task_ids: Vec<String>,
    pub template_version: String,
}

/// 表格型表单。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sheet {
    /// 左上角表号，如“附表1”；总表为空。
    pub label: String,
    pub title: String,
    /// 标题下的一行，如“单位：区发改局    主要负责人（签字）：”。
    pub info: Option<String>,
    pub landscape: bool,
    pub columns: Vec<Column>,
    pub rows: Vec<SheetRow>,
    /// 表下备注。
    pub note: Option<String>,
    /// XLSX 是否加自动筛选（总表）。
    pub filter: bool,
    pub keys: SheetKeys,
}

impl Sheet {
    /// 转为排版文档：表号、标题、单位行、表格（表头每页重复）、备注。
    pub fn to_document(&self, meta: Meta) -> Document {
        let mut blocks = Vec::new();
        if !self.label.is_empty() {
            blocks.push(Block::Paragraph {
                content: vec![Span::styled(&self.label, Style::Hei)],
                align: Align::Left,
                indent: false,
            });
        }
        blocks.push(Block::Title(vec![Span::styled(&self.title, Style::Title)]));
        if let Some(info) = &self.info {
            blocks.push(Block::Paragraph {
                content: vec![Span::body(info)],
                align: Align::Left,
                indent: false,
            });
        }
        let header = Row {
            cells: self
                .columns
                .iter()
                .map(|c| Cell::new(&c.header).center().style(Style::Hei))
                .collect(),
        };
        let rows = self
            .rows
            .iter()
            .map(|r| Row {
                cells: r
                    .cells
                    .iter()
                    .map(|c| {
                        let cell = Cell::new(&c.text).rows(c.row_span as u16);
                        if c.center {
                            cell.center()
                        } else {
                            cell
                        }
                    })
                    .collect(),
            })
            .collect();
        blocks.push(Block::Table(Table {
            columns: self
                .columns
                .iter()
                .map(|c| Width::Weight(c.width as f32))
                .collect(),
            header: vec![header],
            rows,
            font_size: if self.landscape { 12.0 } else { 14.0 },
        }));
        if let Some(note) = &self.note {
            blocks.push(Block::Paragraph {
                content: vec![Span::body(note)],
                align: Align::Left,
                indent: false,
            });
        }
        Document {
            meta,
            sections: vec![Section {
                orientation: if self.landscape {
                    Orientation::Landscape
                } else {
                    Orientation::Portrait
                },
                blocks,
            }],
        }
    }

    /// 全部单元格文字按行拼接（测试与快照用）。
    pub fn text_grid(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::{assign, tests::sample};
    use crate::submissions::Submissions;

    #[test]
    fn document_mirrors_sheet() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let s = sheets::plan_sheet(&cat, d.get("区商务局").unwrap(), &Submissions::default());
        let doc = s.to_document(Meta::default());
        let sec = &doc.sections[0];
        assert_eq!(sec.orientation, Orientation::Landscape);
        let Block::Paragraph { content, .. } = &sec.blocks[0] else {
            panic!()
        };
        assert_eq!(content[0].text, "附表1");
        let Block::Title(t) = &sec.blocks[1] else {
            panic!()
        };
        assert_eq!(t[0].text, "区商务局区《政府工作报告》办理方案");
        let Block::Table(table) = &sec.blocks[3] else {
            panic!()
        };
        assert_eq!(table.columns.len(), 6);
        let heads: Vec<&str> = table.header[0]
            .cells
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(
            heads,
            [
                "序号",
                "责任事项",
                "具体工作内容",
                "完成时间（按月）",
                "分管领导",
                "责任部门"
            ]
        );
        assert_eq!(table.rows.len(), 4);
        assert_eq!(table.rows[0].cells.len(), 6);
        assert_eq!(table.rows[0].cells[0].row_span, 4);
        // 被合并覆盖的位置不出现。
        assert_eq!(table.rows[1].cells.len(), 4);
        assert_eq!(table.rows[1].cells[0].text, "2.");

        let q = sheets::quarterly_sheet(
            &cat,
            d.get("区发改局").unwrap(),
            &Submissions::default(),
            crate::date::Quarter::parse("2023Q2").unwrap(),
        );
        let doc = q.to_document(Meta::default());
        assert_eq!(doc.sections[0].orientation, Orientation::Portrait);
        let Some(Block::Paragraph { content, .. }) = doc.sections[0].blocks.last() else {
            panic!()
        };
        assert!(content[0].text.starts_with("备注："));
    }
}
