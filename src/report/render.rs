//! 汇总表的排版：PDF（首页汇总、其后横排的逐项表，GB/T 9704 版式）与 XLSX（两张工作表）。纯函数。

use super::{QuarterReport, State, Tally};
use crate::typeset::{
    Align, Block, Cell, Document, Meta, Orientation, Row, Section, Span, Style, Table, Width,
};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// 汇总表的标题，如“2023年第二季度《政府工作报告》目标任务完成情况汇总表”。
pub fn title(r: &QuarterReport) -> String {
    format!(
        "{}《政府工作报告》目标任务完成情况汇总表",
        r.quarter.chinese()
    )
}

/// 汇总页的一句话。
pub fn summary_sentence(r: &QuarterReport) -> String {
    let t = &r.total;
    format!(
        "截至{}，{}完成情况（{}截止）应报任务{}项：已报{}项（按时{}项、逾期{}项、未记收到日期{}项），部分单位已报{}项，未报{}项。",
        r.as_of.chinese(),
        r.quarter.chinese(),
        r.due.chinese(),
        t.tasks,
        t.reported,
        t.on_time,
        t.late,
        t.undated,
        t.partial,
        t.missing
    )
}

/// 分组统计表的一行。
fn tally_cells(name: &str, t: &Tally) -> Vec<String> {
    vec![
        name.to_string(),
        t.tasks.to_string(),
        t.reported.to_string(),
        t.on_time.to_string(),
        t.late.to_string(),
        t.partial.to_string(),
        t.missing.to_string(),
    ]
}

const TALLY_HEAD: [&str; 7] = ["任务组", "项数", "已报", "按时", "逾期", "部分报送", "未报"];

/// 各段的名称：任务组标题，没有组的写章标题。
fn section_name(s: &super::Section) -> String {
    if s.group.is_empty() {
        s.chapter.clone()
    } else {
        s.group.clone()
    }
}

fn summary_table(r: &QuarterReport) -> Table {
    let row = |cells: Vec<String>| Row {
        cells: cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    Cell::new(c)
                } else {
                    Cell::new(c).center()
                }
            })
            .collect(),
    };
    let mut rows: Vec<Row> = r
        .sections
        .iter()
        .zip(&r.by_section)
        .map(|(s, t)| row(tally_cells(&section_name(s), t)))
        .collect();
    rows.push(row(tally_cells("合计", &r.total)));
    Table {
        columns: std::iter::once(Width::Weight(6.0))
            .chain(std::iter::repeat_n(Width::Weight(1.3), 6))
            .collect(),
        header: vec![Row {
            cells: TALLY_HEAD
                .iter()
                .map(|h| Cell::new(*h).center().style(Style::Hei))
                .collect(),
        }],
        rows,
        font_size: 12.0,
    }
}

/// 逐项表：章、任务组各占一行（通栏）；每项任务的序号与责任事项纵向合并在它的各报送单位上。
fn detail_table(r: &QuarterReport) -> Table {
    let mut rows = Vec::new();
    let mut chapter = "";
    for s in &r.sections {
        if s.chapter != chapter {
            chapter = &s.chapter;
            rows.push(Row {
                cells: vec![Cell::new(&s.chapter).cols(5).style(Style::Hei)],
            });
        }
        if !s.group.is_empty() {
            let lead = if s.overall_leads.is_empty() {
                String::new()
            } else {
                format!("（总牵头单位：{}）", s.overall_leads)
            };
            rows.push(Row {
                cells: vec![Cell::new(format!("——{}{lead}", s.group))
                    .cols(5)
                    .style(Style::Kai)],
            });
        }
        for t in &s.tasks {
            let n = t.entries.len().max(1) as u16;
            let head = [
                Cell::new(&t.id).center().rows(n),
                Cell::new(&t.text).rows(n),
            ];
            if t.entries.is_empty() {
                let mut cells = head.to_vec();
                cells.push(Cell::new("（分工中没有报送单位）").cols(3));
                rows.push(Row { cells });
            }
            for (i, e) in t.entries.iter().enumerate() {
                let mut cells = if i == 0 { head.to_vec() } else { Vec::new() };
                cells.push(Cell::new(&e.unit).center());
                cells.push(match &e.text {
                    Some(text) => Cell::new(text),
                    None => Cell::new("未报送").style(Style::Alert),
                });
                let state = Cell::new(e.state.label()).center();
                cells.push(if matches!(e.state, State::Missing(_)) {
                    state.style(Style::Alert)
                } else {
                    state
                });
                rows.push(Row { cells });
            }
        }
    }
    Table {
        // 序号、报送单位、报送情况按内容定宽（“未报送（逾期12天）”不折行），其余两列分剩下的宽度。
        columns: vec![
            Width::Auto,
            Width::Weight(7.0),
            Width::Auto,
            Width::Weight(8.5),
            Width::Auto,
        ],
        header: vec![Row {
            cells: ["序号", "责任事项", "报送单位", "完成情况", "报送情况"]
                .iter()
                .map(|h| Cell::new(*h).center().style(Style::Hei))
                .collect(),
        }],
        rows,
        font_size: 11.0,
    }
}

/// PDF 用的排版文档：首页（纵向）标题、汇总一句话、分组统计；其后（横排）逐项表。
pub fn to_document(r: &QuarterReport, meta: Meta) -> Document {
    let summary = Section {
        orientation: Orientation::Portrait,
        blocks: vec![
            Block::Title(vec![Span::styled(title(r), Style::Title)]),
            Block::Paragraph {
                content: vec![Span::body(summary_sentence(r))],
                align: Align::Justify,
                indent: true,
            },
            Block::Table(summary_table(r)),
        ],
    };
    let detail = Section {
        orientation: Orientation::Landscape,
        blocks: vec![Block::Table(detail_table(r))],
    };
    Document {
        meta,
        sections: vec![summary, detail],
    }
}

/// XLSX：“汇总”与“完成情况”两张表；未报送的格子红字，A4 横向一页宽，表头每页重复。
pub fn to_xlsx(r: &QuarterReport, author: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let d = r.as_of;
    let created = ExcelDateTime::from_ymd(d.year as u16, d.month, d.day)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title(r))
            .set_author(author)
            .set_creation_datetime(&created),
    );
    let base = Format::new()
        .set_font_name(crate::xlsx::CELL_FONT)
        .set_font_size(12)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let head = base.clone().set_bold().set_align(FormatAlign::Center);
    let red = base.clone().set_font_color(Color::Red);
    let band = base.clone().set_bold();

    let ws = wb.add_worksheet().set_name("汇总")?;
    ws.merge_range(0, 0, 0, 6, &title(r), &head)?;
    ws.merge_range(1, 0, 1, 6, &summary_sentence(r), &base)?;
    ws.set_row_height(1, 48)?;
    for (c, h) in TALLY_HEAD.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &head)?;
    }
    let rows = r
        .sections
        .iter()
        .zip(&r.by_section)
        .map(|(s, t)| tally_cells(&section_name(s), t))
        .chain(std::iter::once(tally_cells("合计", &r.total)));
    for (i, cells) in rows.enumerate() {
        write_tally_row(ws, 3 + i as u32, &cells, &base)?;
    }
    ws.set_column_width(0, 40)?;
    ws.set_column_range_width(1, 6, 9)?;
    ws.set_paper_size(9);

    let ws = wb.add_worksheet().set_name("完成情况")?;
    write_detail(ws, r, [&head, &base, &red, &band])?;
    wb.save_to_buffer()
}

fn write_tally_row(
    ws: &mut Worksheet,
    row: u32,
    cells: &[String],
    f: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, &cells[0], f)?;
    for (c, v) in cells.iter().enumerate().skip(1) {
        ws.write_number_with_format(row, c as u16, v.parse::<f64>().unwrap_or(0.0), f)?;
    }
    Ok(())
}

fn write_detail(
    ws: &mut Worksheet,
    r: &QuarterReport,
    [head, base, red, band]: [&Format; 4],
) -> Result<(), XlsxError> {
    for (c, (h, w)) in [
        ("序号", 7.0),
        ("责任事项", 50.0),
        ("报送单位", 18.0),
        ("完成情况", 60.0),
        ("报送情况", 16.0),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, h, head)?;
        ws.set_column_width(c as u16, w)?;
    }
    let mut row = 1u32;
    let mut chapter = "";
    for s in &r.sections {
        if s.chapter != chapter {
            chapter = &s.chapter;
            ws.merge_range(row, 0, row, 4, &s.chapter, band)?;
            row += 1;
        }
        if !s.group.is_empty() {
            ws.merge_range(row, 0, row, 4, &format!("——{}", s.group), band)?;
            row += 1;
        }
        for t in &s.tasks {
            let n = t.entries.len().max(1) as u32;
            if n > 1 {
                ws.merge_range(row, 0, row + n - 1, 0, &t.id, base)?;
                ws.merge_range(row, 1, row + n - 1, 1, &t.text, base)?;
            } else {
                ws.write_string_with_format(row, 0, &t.id, base)?;
                ws.write_string_with_format(row, 1, &t.text, base)?;
            }
            for (i, e) in t.entries.iter().enumerate() {
                let at = row + i as u32;
                ws.write_string_with_format(at, 2, &e.unit, base)?;
                match &e.text {
                    Some(text) => ws.write_string_with_format(at, 3, text, base)?,
                    None => ws.write_string_with_format(at, 3, "未报送", red)?,
                };
                let f = if matches!(e.state, State::Missing(_)) {
                    red
                } else {
                    base
                };
                ws.write_string_with_format(at, 4, e.state.label(), f)?;
            }
            row += n;
        }
    }
    ws.set_repeat_rows(0, 0)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第&P页 共&N页");
    Ok(())
}

/// 汇总表的 PDF 与 XLSX（放在 `dir` 下，文件名即标题）。纯函数，无 I/O。
pub fn files(
    r: &QuarterReport,
    cfg: &crate::config::Config,
    opts: &crate::typeset::PdfOptions,
    dir: &std::path::Path,
) -> anyhow::Result<crate::render::Rendered> {
    use anyhow::Context;
    let title = title(r);
    let stem = dir.join(&title);
    let kind = format!("完成情况汇总表 {}", r.quarter);
    let mut files = crate::render::Rendered::default();
    let doc = to_document(r, crate::render::meta(cfg, &title, Some(r.as_of)));
    crate::render::pdf_file(
        Some(opts),
        &doc,
        stem.with_extension("pdf"),
        "",
        &kind,
        &mut files,
    )?;
    let xlsx = to_xlsx(r, &cfg.project.issuer).context("生成汇总表 XLSX 失败")?;
    files.files.push(crate::render::OutFile {
        rel: stem.with_extension("xlsx"),
        bytes: xlsx,
        pages: 0,
        unit: String::new(),
        kind,
    });
    Ok(files)
}
