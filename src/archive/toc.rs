//! 目录 PDF：首页说明（季度、归档日期、周期、计数、缺了什么、怎样核验），其后（横排）逐条目录。纯函数。

use super::Manifest;
use crate::date::{Date, Quarter};
use crate::typeset::{
    Align, Block, Cell, Document, Meta, Orientation, Row, Section, Span, Style, Table, Width,
};

/// 目录标题，如“2023年第二季度督办材料归档目录”。
pub fn title(q: Quarter) -> String {
    format!("{}督办材料归档目录", q.chinese())
}

fn chinese_day(s: &str) -> String {
    Date::parse(s)
        .map(|d| d.chinese())
        .unwrap_or_else(|_| s.into())
}

/// 说明段落。
fn summary(m: &Manifest) -> Vec<String> {
    let c = &m.counts;
    let bytes: u64 = m.entries.iter().map(|e| e.size).sum();
    let from = if m.period_from.is_empty() {
        "通知下发".to_string()
    } else {
        chinese_day(&m.period_from)
    };
    let mut lines = vec![
        format!(
            "本包为《{}》{}督办材料的归档，归档日期{}（督办情况与汇总按这一天计算），归档周期自{}至{}；本季度完成情况报送截止日为{}。",
            m.title,
            m.quarter_chinese(),
            chinese_day(&m.as_of),
            from,
            chinese_day(&m.period_to),
            chinese_day(&m.due),
        ),
        format!(
            "共{}个文件（本目录与清单 manifest.json 除外），合计{:.1} MB：分发材料{}个（{}个单位），报回原件{}份（本周期收件{}件，已接收{}件），催报通知{}份（登记{}份），以及完成情况汇总表（应报任务{}项，全部报送{}项、部分报送{}项、未报{}项）、督办情况与手工录入的报送数据。",
            m.entries.len(),
            bytes as f64 / 1_000_000.0,
            c.packets,
            c.units,
            c.originals,
            c.received,
            c.accepted,
            c.reminder_letters,
            c.reminders,
            c.report_tasks,
            c.report_done,
            c.report_partial,
            c.report_missing,
        ),
        "每个文件的大小与完整 SHA-256 记在 manifest.json；下表列出前 16 位。核验整个包：duban archive verify 包文件名。".into(),
    ];
    if !m.missing.is_empty() {
        lines.push(format!(
            "归档时缺少以下材料（{}项）：{}。",
            m.missing.len(),
            m.missing.join("；")
        ));
    }
    lines.push(format!(
        "生成：duban {}；字体：{}。",
        m.duban,
        m.fonts.join("；")
    ));
    lines
}

/// 目录的排版文档。
pub fn document(m: &Manifest, meta: Meta) -> Document {
    let q = Quarter::parse(&m.quarter).unwrap_or(Quarter { year: 0, q: 1 });
    let mut first = vec![Block::Title(vec![Span::styled(title(q), Style::Title)])];
    first.extend(summary(m).into_iter().map(|t| Block::Paragraph {
        content: vec![Span::body(t)],
        align: Align::Justify,
        indent: true,
    }));
    let rows = m
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| Row {
            cells: vec![
                Cell::new((i + 1).to_string()).center(),
                Cell::new(&e.path),
                Cell::new(&e.kind),
                Cell::new(size_text(e.size)).center(),
                Cell::new(&e.sha256[..e.sha256.len().min(16)]).center(),
            ],
        })
        .collect();
    let table = Table {
        columns: vec![
            Width::Auto,
            Width::Weight(9.0),
            Width::Weight(6.0),
            Width::Auto,
            Width::Auto,
        ],
        header: vec![Row {
            cells: ["序号", "文件", "类别", "大小", "SHA-256（前16位）"]
                .iter()
                .map(|h| Cell::new(*h).center().style(Style::Hei))
                .collect(),
        }],
        rows,
        font_size: 10.5,
    };
    Document {
        meta,
        sections: vec![
            Section {
                orientation: Orientation::Portrait,
                blocks: first,
            },
            Section {
                orientation: Orientation::Landscape,
                blocks: vec![Block::Table(table)],
            },
        ],
    }
}

/// “12.3 KB”“1.2 MB”这样的大小。
fn size_text(n: u64) -> String {
    if n < 1000 {
        format!("{n} B")
    } else if n < 1_000_000 {
        format!("{:.1} KB", n as f64 / 1000.0)
    } else {
        format!("{:.1} MB", n as f64 / 1_000_000.0)
    }
}
