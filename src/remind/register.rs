//! 催办登记簿（XLSX）：催办登记中的每份通知、每项材料一行——督办编号、催办日期、单位、事项、
//! 原截止日期、新截止日期、催办时状态，以及截至本次的现状（红黄绿），作废的编号注明。

use super::ledger::Ledger;
use crate::date::Date;
use crate::project::Project;
use crate::schedule::{due_items, Colour, DueItem};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// 某单位某事项截至 `as_of` 的状态（事项名称对不上——如期限配置改过——时为空）。
fn current(
    items: &[(String, Vec<DueItem>)],
    unit: &str,
    what: &str,
    as_of: Date,
    days: i64,
) -> (String, Colour) {
    items
        .iter()
        .find(|(u, _)| u == unit)
        .and_then(|(_, v)| v.iter().find(|i| i.what == what))
        .map(|i| {
            let a = i.assess(as_of, days);
            (a.text(), a.state.colour())
        })
        .unwrap_or_default()
}

/// 现状一格的格式：按颜色着底色（Excel 的“差/中性/好”配色）。
fn coloured(base: &Format, colour: Colour) -> Format {
    let (bg, fg) = match colour {
        Colour::Red => (0xFFC7CE, 0x9C0006),
        Colour::Yellow => (0xFFEB9C, 0x9C5700),
        Colour::Green => (0xC6EFCE, 0x006100),
        Colour::None => return base.clone(),
    };
    base.clone()
        .set_background_color(Color::RGB(bg))
        .set_font_color(Color::RGB(fg))
}

const HEADS: [(&str, f64); 10] = [
    ("督办编号", 16.0),
    ("催办日期", 11.0),
    ("单位", 18.0),
    ("催办事项", 32.0),
    ("报送对象", 18.0),
    ("原截止日期", 11.0),
    ("新截止日期", 11.0),
    ("催办时状态", 22.0),
    ("现状", 22.0),
    ("备注", 20.0),
];

/// 登记中涉及的单位现在的全部事项（算“现状”用）。
fn current_items(project: &Project, ledger: &Ledger) -> Vec<(String, Vec<DueItem>)> {
    let units: Vec<&str> = ledger.entries.iter().map(|e| e.unit.as_str()).collect();
    project
        .duties
        .units
        .iter()
        .filter(|d| units.contains(&d.unit.as_str()))
        .map(|d| {
            let v = due_items(
                &project.catalogue,
                d,
                &project.submissions,
                &project.schedule,
            );
            (d.unit.clone(), v)
        })
        .collect()
}

/// 逐条写登记（按年份、序号），返回最后一行之后的行号。
fn write_rows(
    ws: &mut Worksheet,
    base: &Format,
    ledger: &Ledger,
    items: &[(String, Vec<DueItem>)],
    as_of: Date,
    days: i64,
) -> Result<u32, XlsxError> {
    let mut entries: Vec<_> = ledger.entries.iter().collect();
    entries.sort_by_key(|e| (e.year, e.seq));
    let mut row = 2;
    for e in entries {
        let note = if e.cancelled {
            "已作废（同日重新生成时该单位已不需催报）"
        } else {
            ""
        };
        for it in &e.items {
            let (now, colour) = current(items, &e.unit, &it.what, as_of, days);
            let cells = [
                &e.number,
                &e.date,
                &e.unit,
                &it.what,
                &it.to,
                &it.deadline,
                &it.new_deadline,
                &it.state,
            ];
            for (k, v) in cells.iter().enumerate() {
                ws.write_string_with_format(row, k as u16, v.as_str(), base)?;
            }
            ws.write_string_with_format(row, 8, now, &coloured(base, colour))?;
            ws.write_string_with_format(row, 9, note, base)?;
            row += 1;
        }
    }
    Ok(row)
}

/// 写出催办登记簿。纯函数：同样的登记与数据得到同样的字节（创建日期取 `as_of`）。
pub fn workbook(project: &Project, ledger: &Ledger, as_of: Date) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(as_of.year as u16, as_of.month, as_of.day)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("催办登记簿")
            .set_author(&project.config.project.issuer)
            .set_creation_datetime(&created),
    );
    let base = Format::new()
        .set_font_name("仿宋")
        .set_font_size(11)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let header = base
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(0xD9D9D9);
    let title = Format::new()
        .set_font_name("仿宋")
        .set_font_size(14)
        .set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("催办登记簿")?;
    let heading = format!("催办登记簿（现状截至{}）", as_of.chinese());
    ws.write_string_with_format(0, 0, heading, &title)?;
    for (i, (h, w)) in HEADS.iter().enumerate() {
        ws.write_string_with_format(1, i as u16, *h, &header)?;
        ws.set_column_width(i as u16, *w)?;
    }
    let items = current_items(project, ledger);
    let days = project.config.status.due_soon_days;
    let row = write_rows(ws, &base, ledger, &items, as_of, days)?;
    ws.set_freeze_panes(2, 0)?;
    ws.autofilter(1, 0, row.max(3) - 1, HEADS.len() as u16 - 1)?;
    ws.set_repeat_rows(1, 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第&P页 共&N页");
    wb.save_to_buffer()
}
