//! 全区打印合订本的封面目录：每个单位的材料份数、页数和在合订本中的起止页。

use crate::typeset::{
    Align, Block, Cell, Document, Meta, Orientation, Row, Section, Span, Style, Table, Width,
};

/// 封面目录的一行：一个单位（或末尾的责任分解总表）。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverRow {
    pub name: String,
    /// 材料份数。
    pub docs: usize,
    /// 材料页数（不含双面打印补的空白页）。
    pub pages: usize,
    /// 在合订本中的起止页（从 1 起，含封面目录）。
    pub start: usize,
    pub end: usize,
}

fn para(text: String) -> Block {
    Block::Paragraph {
        content: vec![Span::body(text)],
        align: Align::Justify,
        indent: true,
    }
}

/// 封面目录文档：标题、说明、目录表。`total` 是合订本总页数。
pub fn cover_document(
    plan_title: &str,
    rows: &[CoverRow],
    duplex: bool,
    total: usize,
    meta: Meta,
) -> Document {
    let units = rows.iter().filter(|r| r.name != "责任分解总表").count();
    let docs: usize = rows.iter().map(|r| r.docs).sum();
    let mut blocks = vec![
        Block::Title(vec![Span::styled("督办材料打印合订本", Style::Title)]),
        para(format!(
            "本合订本收录根据《{}》生成的全部{units}个单位的督办材料（共{docs}份），连同封面目录共{total}页，\
             按下表顺序排列，PDF 书签按单位、材料分开。起止页是本文件中的页序：只打印某一单位时，\
             在打印对话框的“页码范围”中填写该单位的起止页。每份材料保留自己的页码。",
            plan_title.replace('《', "〈").replace('》', "〉")
        )),
    ];
    if duplex {
        blocks.push(para(
            "为便于双面打印，每份材料都从奇数页（纸张正面）开始，需要时在前一份之后补一张不编页码的空白页。"
                .into(),
        ));
    }
    let head = |t: &str| Cell::new(t).center().style(Style::Hei);
    let header = Row {
        cells: vec![
            head("序号"),
            head("单位"),
            head("份数"),
            head("页数"),
            head("起止页"),
        ],
    };
    let body = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Row {
            cells: vec![
                Cell::new((i + 1).to_string()).center(),
                Cell::new(&r.name),
                Cell::new(r.docs.to_string()).center(),
                Cell::new(r.pages.to_string()).center(),
                Cell::new(format!("{}–{}", r.start, r.end)).center(),
            ],
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![Width::Auto; 5],
        header: vec![header],
        rows: body,
        font_size: 14.0,
    }));
    Document {
        meta,
        sections: vec![Section {
            orientation: Orientation::Portrait,
            blocks,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_lists_every_row_with_its_pages() {
        let rows = [
            CoverRow {
                name: "区发改局".into(),
                docs: 6,
                pages: 40,
                start: 3,
                end: 45,
            },
            CoverRow {
                name: "责任分解总表".into(),
                docs: 1,
                pages: 29,
                start: 47,
                end: 75,
            },
        ];
        let doc = cover_document(
            "2023年区《政府工作报告》方案",
            &rows,
            true,
            75,
            Meta::default(),
        );
        let blocks = &doc.sections[0].blocks;
        let Block::Paragraph { content, .. } = &blocks[1] else {
            panic!()
        };
        assert!(content[0]
            .text
            .contains("全部1个单位的督办材料（共7份），连同封面目录共75页"));
        assert!(content[0].text.contains("《2023年区〈政府工作报告〉方案》"));
        let Block::Table(t) = &blocks[3] else {
            panic!()
        };
        let cells: Vec<&str> = t.rows[1].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(cells, ["2", "责任分解总表", "1", "29", "47–75"]);
    }
}
