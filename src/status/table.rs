//! 终端表格：摘要一行，再是每个单位的每项事项（带红黄绿），最后按单位、章、任务组、截止日期的统计。

use super::{short_what, Counts, StatusReport};
use crate::schedule::Colour;

/// 表格中的一格：文字与颜色。
type Cell = (String, Colour);

/// 显示宽度：中日韩字符与全角符号按 2 计（`duban units` 的表格也用它）。
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || u == 0x2014
                || (0x201C..=0x201D).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            1 + usize::from(wide)
        })
        .sum()
}

fn paint(text: &str, colour: Colour, on: bool) -> String {
    let code = match colour {
        Colour::Red => "31",
        Colour::Yellow => "33",
        Colour::Green => "32",
        Colour::None => return text.to_string(),
    };
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// 按显示宽度对齐的表格；`numeric` 的列右对齐；`colour` 为真时按格子的颜色着色。
/// 对齐的文字表格：`numeric` 中的列右对齐，`colour` 时按各格颜色着色（`duban units`、`catalogue` 也用它）。
pub(crate) fn grid(
    headers: &[&str],
    rows: &[Vec<Cell>],
    numeric: &[usize],
    colour: bool,
) -> String {
    let n = headers.len();
    let mut w: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, (c, _)) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(width(c));
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[Cell]| {
        let mut s = String::new();
        for (i, (c, col)) in cells.iter().enumerate() {
            let pad = " ".repeat(w[i].saturating_sub(width(c)));
            if i > 0 {
                s.push_str("  ");
            }
            if numeric.contains(&i) {
                s.push_str(&pad);
                s.push_str(&paint(c, *col, colour));
            } else {
                s.push_str(&paint(c, *col, colour));
                if i + 1 < n {
                    s.push_str(&pad);
                }
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    let plain =
        |v: &[&str]| -> Vec<Cell> { v.iter().map(|s| (s.to_string(), Colour::None)).collect() };
    line(&plain(headers));
    let rule: Vec<String> = w.iter().map(|x| "-".repeat(*x)).collect();
    line(&plain(&rule.iter().map(String::as_str).collect::<Vec<_>>()));
    for r in rows {
        line(r);
    }
    out
}

fn num(n: usize, colour: Colour) -> Cell {
    let c = if n > 0 { colour } else { Colour::None };
    (n.to_string(), c)
}

/// 统计列：应报、已报、逾期未报、即将到期、未到期、完成率。
fn count_cells(c: &Counts) -> Vec<Cell> {
    vec![
        num(c.total, Colour::None),
        num(c.done, Colour::Green),
        num(c.overdue, Colour::Red),
        num(c.due_soon, Colour::Yellow),
        num(c.not_due, Colour::None),
        (format!("{:.1}%", c.percent()), Colour::None),
    ]
}

const COUNT_HEADERS: [&str; 6] = ["应报", "已报", "逾期未报", "即将到期", "未到期", "完成率"];

/// 摘要：截至哪天、应报多少、各状态多少。
pub fn summary(r: &StatusReport) -> String {
    let t = &r.totals;
    format!(
        "截至{}：{} 个单位应报 {} 项，已报送 {} 项（按时 {}，逾期报送 {}，未记收到日期 {}），逾期未报 {} 项（涉及 {} 个单位），{} 天内到期未报 {} 项，未到期 {} 项；完成率 {:.1}%",
        r.as_of.chinese(),
        r.units.len(),
        t.total,
        t.done,
        t.on_time,
        t.late,
        t.undated,
        t.overdue,
        r.units_overdue,
        r.due_soon_days,
        t.due_soon,
        t.not_due,
        t.percent()
    )
}

/// 整张终端报表。
pub fn render(r: &StatusReport, colour: bool) -> String {
    let mut out = summary(r);
    out.push_str("\n\n");
    let mut rows = Vec::new();
    for u in &r.units {
        for (k, o) in u.obligations.iter().enumerate() {
            let unit = if k == 0 {
                u.unit.clone()
            } else {
                String::new()
            };
            rows.push(vec![
                (unit, Colour::None),
                (o.what.clone(), Colour::None),
                (o.to.clone(), Colour::None),
                (o.deadline.to_string(), Colour::None),
                (o.text.clone(), o.colour),
            ]);
        }
    }
    out.push_str(&grid(
        &["单位", "报送事项", "报送对象", "截止日期", "状态"],
        &rows,
        &[],
        colour,
    ));
    out.push_str(&format!(
        "\n按单位（按事项计；即将到期：{} 天内）\n",
        r.due_soon_days
    ));
    let rows: Vec<Vec<Cell>> = r
        .units
        .iter()
        .map(|u| {
            let mut v = vec![
                (u.unit.clone(), Colour::None),
                (u.kind.clone(), Colour::None),
            ];
            v.extend(count_cells(&u.counts));
            let days = if u.max_overdue_days > 0 {
                format!("{}天", u.max_overdue_days)
            } else {
                String::new()
            };
            v.push((days, Colour::Red));
            v
        })
        .collect();
    let mut h = vec!["单位", "类别"];
    h.extend(COUNT_HEADERS);
    h.push("最长逾期");
    out.push_str(&grid(&h, &rows, &[2, 3, 4, 5, 6, 7, 8], colour));
    out.push_str(&breakdowns(r, colour));
    out
}

/// 按章、任务组（按任务计）与按截止日期（按事项计）的统计。
fn breakdowns(r: &StatusReport, colour: bool) -> String {
    let mut out = String::from("\n按章（按单位×任务计）\n");
    let rows: Vec<Vec<Cell>> = r
        .chapters
        .iter()
        .map(|c| {
            let mut v = vec![
                (format!("{} {}", c.key, c.title), Colour::None),
                (c.tasks.to_string(), Colour::None),
            ];
            v.extend(count_cells(&c.counts));
            v
        })
        .collect();
    let mut h = vec!["章", "任务"];
    h.extend(COUNT_HEADERS);
    out.push_str(&grid(&h, &rows, &[1, 2, 3, 4, 5, 6, 7], colour));
    out.push_str("\n按任务组（按单位×任务计）\n");
    let rows: Vec<Vec<Cell>> = r
        .groups
        .iter()
        .map(|g| {
            let leads = g.leads_text();
            let mut v = vec![
                (g.title.clone(), Colour::None),
                (leads, Colour::None),
                (g.tasks.to_string(), Colour::None),
            ];
            v.extend(count_cells(&g.counts));
            v
        })
        .collect();
    let mut h = vec!["任务组", "总牵头单位", "任务"];
    h.extend(COUNT_HEADERS);
    out.push_str(&grid(&h, &rows, &[2, 3, 4, 5, 6, 7, 8], colour));
    out.push_str("\n按截止日期（按事项计）\n");
    let rows: Vec<Vec<Cell>> = r
        .deadlines
        .iter()
        .map(|d| {
            let what: Vec<String> = d.what.iter().map(|w| short_what(w)).collect();
            let mut v = vec![
                (d.date.to_string(), Colour::None),
                (what.join("、"), Colour::None),
            ];
            v.extend(count_cells(&d.counts));
            v
        })
        .collect();
    let mut h = vec!["截止日期", "事项"];
    h.extend(COUNT_HEADERS);
    out.push_str(&grid(&h, &rows, &[2, 3, 4, 5, 6, 7], colour));
    out
}
