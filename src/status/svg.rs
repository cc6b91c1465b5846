//! 状态页上的图（内嵌 SVG，不用脚本也能显示）：按任务组、按单位的完成情况（横向百分比堆叠条），
//! 按截止日期的逾期情况（纵向堆叠柱）。每个条、柱带 `data-*` 数字，测试据此与 JSON 对照。

use super::{Counts, StatusReport};
use std::fmt::Write;

/// 图中的颜色：与表格的红黄绿一致；按时与逾期报送分两种绿。
pub const GREEN: &str = "#2e7d32";
pub const LIGHT_GREEN: &str = "#81c784";
pub const RED: &str = "#c62828";
pub const YELLOW: &str = "#f9a825";
pub const GREY: &str = "#cfd8dc";

/// XML/HTML 转义。
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// 过长的标签截短，全文放进 `<title>`（鼠标悬停可见）。
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

/// 一条横条：标签与统计。
pub struct Bar<'a> {
    pub label: &'a str,
    pub counts: &'a Counts,
}

/// 堆叠的各段：（数目, 颜色）。与图例同序：按时（含未记收到日期）、逾期报送、逾期未报、即将到期、未到期。
fn segments(c: &Counts) -> [(usize, &'static str); 5] {
    [
        (c.on_time + c.undated, GREEN),
        (c.late, LIGHT_GREEN),
        (c.overdue, RED),
        (c.due_soon, YELLOW),
        (c.not_due, GREY),
    ]
}

/// 横向百分比堆叠条形图。`kind` 写进 `data-chart`，如 "group"、"unit"。
pub fn hbars(kind: &str, caption: &str, bars: &[Bar]) -> String {
    let (label_w, bar_w, row_h) = (230.0, 380.0, 22.0);
    let width = label_w + bar_w + 70.0;
    let height = row_h * bars.len() as f64 + 8.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" data-chart="{kind}" role="img" aria-label="{}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(caption)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let c = b.counts;
        let _ = write!(
            s,
            r#"<g class="bar" data-label="{}" data-total="{}" data-done="{}" data-overdue="{}" data-due-soon="{}" data-not-due="{}"><title>{}：应报 {}，已报 {}，逾期未报 {}，即将到期 {}，未到期 {}</title>"#,
            esc(b.label),
            c.total,
            c.done,
            c.overdue,
            c.due_soon,
            c.not_due,
            esc(b.label),
            c.total,
            c.done,
            c.overdue,
            c.due_soon,
            c.not_due
        );
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>"#,
            label_w - 6.0,
            y + 15.0,
            esc(&short(b.label, 16))
        );
        let mut x = label_w;
        for (n, colour) in segments(c) {
            if n == 0 || c.total == 0 {
                continue;
            }
            let w = bar_w * n as f64 / c.total as f64;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{}" width="{w:.1}" height="{}" fill="{colour}"/>"#,
                y + 2.0,
                row_h - 6.0
            );
            x += w;
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="pct">{:.0}%</text></g>"#,
            label_w + bar_w + 6.0,
            y + 15.0,
            c.percent()
        );
    }
    s.push_str("</svg>");
    s
}

/// 截止日期的简写：与 `as_of` 同年的写“2月15日”，跨年的写全（第四季度在次年 1 月）。
fn date_label(r: &StatusReport, d: crate::date::Date) -> String {
    if d.year == r.as_of.year {
        format!("{}月{}日", d.month, d.day)
    } else {
        d.chinese()
    }
}

/// 按截止日期的纵向堆叠柱：按时、逾期报送、逾期未报、即将到期、未到期。
pub fn deadline_columns(r: &StatusReport) -> String {
    let (col_w, gap, chart_h, top, bottom) = (54.0, 34.0, 180.0, 18.0, 40.0);
    let n = r.deadlines.len().max(1) as f64;
    let width = 40.0 + n * (col_w + gap);
    let height = top + chart_h + bottom;
    let max = r
        .deadlines
        .iter()
        .map(|d| d.counts.total)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" data-chart="deadline" role="img" aria-label="按截止日期的报送与逾期情况" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">"#
    );
    let _ = write!(
        s,
        r##"<line x1="30" y1="{0}" x2="{1}" y2="{0}" stroke="#90a4ae"/>"##,
        top + chart_h,
        width - 4.0
    );
    for (i, d) in r.deadlines.iter().enumerate() {
        let c = &d.counts;
        let x = 40.0 + i as f64 * (col_w + gap);
        let _ = write!(
            s,
            r#"<g class="col" data-date="{}" data-total="{}" data-on-time="{}" data-late="{}" data-undated="{}" data-overdue="{}" data-due-soon="{}" data-not-due="{}"><title>{}截止（{}）：应报 {}，按时 {}，逾期报送 {}，逾期未报 {}，即将到期 {}，未到期 {}</title>"#,
            d.date,
            c.total,
            c.on_time,
            c.late,
            c.undated,
            c.overdue,
            c.due_soon,
            c.not_due,
            d.date.chinese(),
            esc(&d.what.join("、")),
            c.total,
            c.on_time,
            c.late,
            c.overdue,
            c.due_soon,
            c.not_due
        );
        let mut y = top + chart_h;
        for (k, colour) in segments(c) {
            if k == 0 {
                continue;
            }
            let h = chart_h * k as f64 / max;
            y -= h;
            let _ = write!(
                s,
                r#"<rect x="{x}" y="{y:.1}" width="{col_w}" height="{h:.1}" fill="{colour}"/>"#
            );
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="middle" class="num">{}</text>"#,
            x + col_w / 2.0,
            y - 4.0,
            if c.overdue > 0 {
                format!("逾期 {}", c.overdue)
            } else {
                c.total.to_string()
            }
        );
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" class="lbl">{}</text></g>"#,
            x + col_w / 2.0,
            top + chart_h + 18.0,
            esc(&date_label(r, d.date))
        );
    }
    s.push_str("</svg>");
    s
}

/// 图例（HTML）。
pub fn legend() -> String {
    let items = [
        (GREEN, "按时报送"),
        (LIGHT_GREEN, "逾期报送"),
        (RED, "逾期未报"),
        (YELLOW, "即将到期"),
        (GREY, "未到期"),
    ];
    let mut s = String::from(r#"<p class="legend">"#);
    for (c, name) in items {
        let _ = write!(s, r#"<span><i style="background:{c}"></i>{name}</span>"#);
    }
    s.push_str("</p>");
    s
}
