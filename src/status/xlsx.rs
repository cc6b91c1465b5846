//! 报送状态工作簿（rust_xlsxwriter）：汇总、明细（每个单位每项事项，红黄绿底色）、按单位、
//! 按章、按任务组。表头冻结、可筛选、打印横向一页宽。确定性：创建时间取 `as_of`，同输入同字节。
//!
//! 与附表的 `crate::xlsx` 分开：那边是供填报的表单（锁定、下拉、隐藏键），这里是只读的统计表。

use super::{Counts, StatusReport};
use crate::schedule::Colour;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

const FONT: &str = "仿宋";

/// 底色与字色：Excel 的“好/中性/差”配色，办公室最熟悉的红黄绿。
fn fill(colour: Colour) -> Option<(u32, u32)> {
    match colour {
        Colour::Red => Some((0xFFC7CE, 0x9C0006)),
        Colour::Yellow => Some((0xFFEB9C, 0x9C5700)),
        Colour::Green => Some((0xC6EFCE, 0x006100)),
        Colour::None => None,
    }
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    number: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(11)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let cell = base.clone().set_border(FormatBorder::Thin);
        Formats {
            title: base.clone().set_bold().set_font_size(14),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(0xD9D9D9),
            text: cell.clone(),
            number: cell.clone().set_align(FormatAlign::Right),
            percent: cell.set_num_format("0.0%").set_align(FormatAlign::Right),
        }
    }
    /// 带颜色的格式。
    fn coloured(&self, base: &Format, colour: Colour) -> Format {
        match fill(colour) {
            Some((bg, fg)) => base
                .clone()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg)),
            None => base.clone(),
        }
    }
}

/// 估算的显示宽度（全角按 2 计），用来定行高：Excel/WPS 打开时不会自动按换行加高行。
fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

/// 按各格文字与列宽估算一行需要几行字，设行高（每行字 15 磅）。
fn fit_row(ws: &mut Worksheet, row: u32, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(text, width)| (display_width(text) / (width - 1.0).max(1.0)).ceil())
        .fold(1.0, f64::max);
    if lines > 1.0 {
        ws.set_row_height(row, 15.0 * lines)?;
    }
    Ok(())
}

/// 表头、列宽、冻结、筛选、打印设置；返回表头下一行。
fn start(
    ws: &mut Worksheet,
    f: &Formats,
    title: &str,
    headers: &[(&str, f64)],
) -> Result<u32, XlsxError> {
    // 标题跨整表宽：只写在 A1 里会被 A 列的宽度截断（自动换行时只露出最后一截）。
    let last = headers.len().saturating_sub(1) as u16;
    ws.merge_range(0, 0, 0, last.max(1), title, &f.title)?;
    ws.set_row_height(0, 24)?;
    for (i, (h, w)) in headers.iter().enumerate() {
        ws.write_string_with_format(1, i as u16, *h, &f.header)?;
        ws.set_column_width(i as u16, *w)?;
    }
    ws.set_freeze_panes(2, 0)?;
    ws.set_repeat_rows(1, 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第&P页 共&N页");
    Ok(2)
}

fn counts_row(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    col: u16,
    c: &Counts,
) -> Result<(), XlsxError> {
    let cells = [c.total, c.done, c.overdue, c.due_soon, c.not_due];
    let colours = [
        Colour::None,
        Colour::Green,
        Colour::Red,
        Colour::Yellow,
        Colour::None,
    ];
    for (k, (n, colour)) in cells.iter().zip(colours).enumerate() {
        let fmt = if *n > 0 {
            f.coloured(&f.number, colour)
        } else {
            f.number.clone()
        };
        ws.write_number_with_format(row, col + k as u16, *n as f64, &fmt)?;
    }
    ws.write_number_with_format(row, col + 5, c.percent() / 100.0, &f.percent)?;
    Ok(())
}

const COUNT_HEADERS: [(&str, f64); 6] = [
    ("应报", 7.0),
    ("已报", 7.0),
    ("逾期未报", 9.0),
    ("即将到期", 9.0),
    ("未到期", 8.0),
    ("完成率", 8.0),
];

fn detail_sheet(ws: &mut Worksheet, f: &Formats, r: &StatusReport) -> Result<(), XlsxError> {
    ws.set_name("明细")?;
    let title = format!("各单位报送明细（截至{}）", r.as_of.chinese());
    let headers = [
        ("单位", 18.0),
        ("类别", 10.0),
        ("报送事项", 34.0),
        ("报送对象", 20.0),
        ("截止日期", 12.0),
        ("状态", 22.0),
        ("天数", 6.0),
        ("收到日期", 12.0),
        ("尚缺任务", 30.0),
    ];
    let mut row = start(ws, f, &title, &headers)?;
    for u in &r.units {
        for o in &u.obligations {
            let status = f.coloured(&f.text, o.colour);
            let missing = if o.missing.is_empty() {
                String::new()
            } else {
                crate::schedule::missing_label(&o.missing)
            };
            let cells = [&u.unit, &u.kind, &o.what, &o.to];
            for (k, v) in cells.iter().enumerate() {
                ws.write_string_with_format(row, k as u16, v.as_str(), &f.text)?;
            }
            ws.write_string_with_format(row, 4, o.deadline.to_string(), &f.text)?;
            ws.write_string_with_format(row, 5, &o.label, &status)?;
            ws.write_number_with_format(row, 6, o.days as f64, &f.number)?;
            let received = o.received.map(|d| d.to_string()).unwrap_or_default();
            ws.write_string_with_format(row, 7, received, &f.text)?;
            ws.write_string_with_format(row, 8, &missing, &f.text)?;
            let widths: Vec<f64> = headers.iter().map(|h| h.1).collect();
            let texts = [&u.unit, &u.kind, &o.what, &o.to, &o.label, &missing];
            let cols = [0, 1, 2, 3, 5, 8];
            let cells: Vec<(&str, f64)> = texts
                .iter()
                .zip(cols)
                .map(|(t, c)| (t.as_str(), widths[c]))
                .collect();
            fit_row(ws, row, &cells)?;
            row += 1;
        }
    }
    ws.autofilter(1, 0, row.saturating_sub(1).max(1), headers.len() as u16 - 1)?;
    Ok(())
}

fn units_sheet(ws: &mut Worksheet, f: &Formats, r: &StatusReport) -> Result<(), XlsxError> {
    ws.set_name("按单位")?;
    let mut headers = vec![("单位", 18.0), ("类别", 10.0)];
    headers.extend(COUNT_HEADERS);
    headers.push(("最长逾期（天）", 10.0));
    let title = format!("各单位报送情况（截至{}，按事项计）", r.as_of.chinese());
    let mut row = start(ws, f, &title, &headers)?;
    for u in &r.units {
        let name = f.coloured(&f.text, u.counts.colour());
        ws.write_string_with_format(row, 0, &u.unit, &name)?;
        ws.write_string_with_format(row, 1, &u.kind, &f.text)?;
        counts_row(ws, f, row, 2, &u.counts)?;
        ws.write_number_with_format(row, 8, u.max_overdue_days as f64, &f.number)?;
        row += 1;
    }
    ws.autofilter(1, 0, row.saturating_sub(1).max(1), 8)?;
    Ok(())
}

/// 按章或按任务组：名称、说明、任务数与统计。
fn breakdown_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    name: &str,
    title: &str,
    heads: [(&str, f64); 2],
    rows: &[(String, String, usize, Counts)],
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let mut headers = heads.to_vec();
    headers.push(("任务数", 7.0));
    headers.extend(COUNT_HEADERS);
    let first = start(ws, f, title, &headers)?;
    for (row, (a, b, tasks, c)) in (first..).zip(rows) {
        fit_row(ws, row, &[(a, headers[0].1), (b, headers[1].1)])?;
        ws.write_string_with_format(row, 0, a, &f.coloured(&f.text, c.colour()))?;
        ws.write_string_with_format(row, 1, b, &f.text)?;
        ws.write_number_with_format(row, 2, *tasks as f64, &f.number)?;
        counts_row(ws, f, row, 3, c)?;
    }
    Ok(())
}

fn summary_sheet(ws: &mut Worksheet, f: &Formats, r: &StatusReport) -> Result<(), XlsxError> {
    ws.set_name("汇总")?;
    let mut headers = vec![("截止日期", 12.0), ("报送事项", 46.0)];
    headers.extend(COUNT_HEADERS);
    let title = format!("督办情况汇总（截至{}）", r.as_of.chinese());
    let mut row = start(ws, f, &title, &headers)?;
    for d in &r.deadlines {
        ws.write_string_with_format(row, 0, d.date.to_string(), &f.text)?;
        let what = d.what.join("、");
        fit_row(ws, row, &[(&what, headers[1].1)])?;
        ws.write_string_with_format(row, 1, &what, &f.text)?;
        counts_row(ws, f, row, 2, &d.counts)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "合计", &f.header)?;
    ws.write_string_with_format(row, 1, format!("{} 个单位", r.units.len()), &f.text)?;
    counts_row(ws, f, row, 2, &r.totals)?;
    let note = Format::new().set_font_name(FONT).set_text_wrap();
    ws.merge_range(row + 2, 0, row + 2, 7, &super::table::summary(r), &note)?;
    ws.set_row_height(row + 2, 48)?;
    Ok(())
}

/// 写出报送状态工作簿。纯函数：同输入同字节。
pub fn workbook(r: &StatusReport, author: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(r.as_of.year as u16, r.as_of.month, r.as_of.day)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("督办情况（截至{}）", r.as_of.chinese()))
            .set_author(author)
            .set_creation_datetime(&created),
    );
    let f = Formats::new();
    summary_sheet(wb.add_worksheet(), &f, r)?;
    detail_sheet(wb.add_worksheet(), &f, r)?;
    units_sheet(wb.add_worksheet(), &f, r)?;
    let chapters: Vec<_> = r
        .chapters
        .iter()
        .map(|c| (c.key.clone(), c.title.clone(), c.tasks, c.counts))
        .collect();
    let title = format!("按章统计（截至{}，按单位×任务计）", r.as_of.chinese());
    breakdown_sheet(
        wb.add_worksheet(),
        &f,
        "按章",
        &title,
        [("章", 10.0), ("标题", 50.0)],
        &chapters,
    )?;
    let groups: Vec<_> = r
        .groups
        .iter()
        .map(|g| {
            let leads = g.leads_text();
            (g.title.clone(), leads, g.tasks, g.counts)
        })
        .collect();
    let title = format!("按任务组统计（截至{}，按单位×任务计）", r.as_of.chinese());
    breakdown_sheet(
        wb.add_worksheet(),
        &f,
        "按任务组",
        &title,
        [("任务组", 40.0), ("总牵头单位", 26.0)],
        &groups,
    )?;
    wb.save_to_buffer()
}
