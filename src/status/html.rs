//! 督办情况页：一个自带全部样式、脚本和图的 HTML 文件（离线可用，不引用任何外部脚本或字体）。
//!
//! 摘要数字与图（内嵌 SVG）、可排序可筛选的单位表、每个单位的明细、按章与按任务组的统计，
//! 全部在生成时写好——没有脚本也完整可读；脚本只负责排序、筛选与展开。页尾附同一份 JSON 导出。

use super::svg::{self, esc, Bar};
use super::{Counts, Obligation, StatusReport, UnitStatus};
use crate::schedule::Colour;
use std::fmt::Write;

const CSS: &str = include_str!("../assets/status/status.css");
const JS: &str = include_str!("../assets/status/status.js");

/// 颜色的 CSS 类名。
fn class(c: Colour) -> &'static str {
    match c {
        Colour::Red => "red",
        Colour::Yellow => "yellow",
        Colour::Green => "green",
        Colour::None => "",
    }
}

fn card(s: &mut String, id: &str, value: impl std::fmt::Display, label: &str, colour: &str) {
    let _ = write!(
        s,
        r#"<div class="card {colour}" id="{id}" data-value="{value}"><b>{value}</b>{label}</div>"#
    );
}

fn cards(r: &StatusReport) -> String {
    let t = &r.totals;
    let mut s = String::from(r#"<section class="cards">"#);
    card(&mut s, "k-units", r.units.len(), "个单位", "");
    card(&mut s, "k-total", t.total, "项应报", "");
    card(&mut s, "k-done", t.done, "项已报送", "green");
    card(&mut s, "k-on-time", t.on_time, "项按时报送", "green");
    card(&mut s, "k-late", t.late, "项逾期报送", "");
    card(&mut s, "k-overdue", t.overdue, "项逾期未报", "red");
    card(
        &mut s,
        "k-units-overdue",
        r.units_overdue,
        "个单位有逾期",
        "red",
    );
    let soon = format!("项 {} 天内到期", r.due_soon_days);
    card(&mut s, "k-due-soon", t.due_soon, &soon, "yellow");
    card(&mut s, "k-not-due", t.not_due, "项未到期", "");
    card(
        &mut s,
        "k-percent",
        format!("{:.1}%", t.percent()),
        "完成率",
        "",
    );
    s.push_str("</section>");
    s
}

fn charts(r: &StatusReport) -> String {
    let groups: Vec<Bar> = r
        .groups
        .iter()
        .map(|g| Bar {
            label: &g.title,
            counts: &g.counts,
        })
        .collect();
    let units: Vec<Bar> = r
        .units
        .iter()
        .map(|u| Bar {
            label: &u.unit,
            counts: &u.counts,
        })
        .collect();
    format!(
        r#"<section class="charts"><figure><figcaption>按截止日期：报送与逾期</figcaption>{}</figure><figure><figcaption>按任务组：完成情况（按单位×任务计）</figcaption>{}</figure><figure><figcaption>按单位：完成情况（按事项计）</figcaption><div class="scroll">{}</div></figure></section>{}"#,
        svg::deadline_columns(r),
        svg::hbars("group", "按任务组的完成情况", &groups),
        svg::hbars("unit", "按单位的完成情况", &units),
        svg::legend()
    )
}

/// 单位表的一行：`data-*` 供排序、筛选和测试核对。
fn unit_row(s: &mut String, i: usize, u: &UnitStatus) {
    let c = &u.counts;
    let search: Vec<&str> = [u.unit.as_str(), u.kind.as_str()]
        .into_iter()
        .chain(
            u.obligations
                .iter()
                .flat_map(|o| [o.what.as_str(), o.label.as_str()]),
        )
        .collect();
    let _ = write!(
        s,
        r#"<tr class="{}" data-order="{i}" data-detail="u-{i}" data-unit="{}" data-kind="{}" data-total="{}" data-done="{}" data-overdue="{}" data-due-soon="{}" data-not-due="{}" data-percent="{}" data-max-overdue="{}" data-search="{}">"#,
        class(c.colour()),
        esc(&u.unit),
        esc(&u.kind),
        c.total,
        c.done,
        c.overdue,
        c.due_soon,
        c.not_due,
        u.percent,
        u.max_overdue_days,
        esc(&search.join(" "))
    );
    let _ = write!(
        s,
        r##"<td><a href="#u-{i}">{}</a></td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{:.1}%</td><td class="n">{}</td></tr>"##,
        esc(&u.unit),
        esc(&u.kind),
        c.total,
        c.done,
        c.overdue,
        c.due_soon,
        c.not_due,
        u.percent,
        if u.max_overdue_days > 0 {
            format!("{}天", u.max_overdue_days)
        } else {
            String::new()
        }
    );
}

fn unit_table(r: &StatusReport) -> String {
    let mut s = format!(
        r#"<h2>各单位报送情况</h2><div class="controls"><input id="q" type="search" placeholder="筛选：单位、类别、事项或状态" aria-label="筛选"><select id="f" aria-label="只看"><option value="all">全部单位</option><option value="overdue">有逾期未报的</option><option value="soon">有 {} 天内到期的</option><option value="open">未报齐的</option><option value="done">已全部报送的</option></select><span id="shown">共 {} 个单位</span></div>"#,
        r.due_soon_days,
        r.units.len()
    );
    s.push_str(r#"<table id="units"><thead><tr><th data-key="unit" data-type="text">单位</th><th data-key="kind" data-type="text">类别</th><th data-key="total" data-type="number">应报</th><th data-key="done" data-type="number">已报</th><th data-key="overdue" data-type="number">逾期未报</th><th data-key="due-soon" data-type="number">即将到期</th><th data-key="not-due" data-type="number">未到期</th><th data-key="percent" data-type="number">完成率</th><th data-key="max-overdue" data-type="number">最长逾期</th></tr></thead><tbody>"#);
    for (i, u) in r.units.iter().enumerate() {
        unit_row(&mut s, i, u);
    }
    s.push_str("</tbody></table>");
    s
}

/// 枚举的导出键（与 JSON 相同的 snake_case 写法）。
fn key(v: impl serde::Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn obligation_row(s: &mut String, o: &Obligation) {
    let missing = if o.missing.is_empty() {
        String::new()
    } else {
        crate::schedule::missing_label(&o.missing)
    };
    let _ = write!(
        s,
        r#"<tr data-kind="{}" data-state="{}"><td>{}</td><td>{}</td><td>{}</td><td class="{}">{}</td><td>{}</td><td>{}</td></tr>"#,
        key(o.kind),
        key(o.state),
        esc(&o.what),
        esc(&o.to),
        o.deadline,
        class(o.colour),
        esc(&o.label),
        o.received.map(|d| d.to_string()).unwrap_or_default(),
        esc(&missing)
    );
}

fn details(r: &StatusReport) -> String {
    let mut s = String::from(r#"<h2>各单位明细</h2><div id="details">"#);
    for (i, u) in r.units.iter().enumerate() {
        let c = &u.counts;
        let mut badges = String::new();
        for (n, colour, what) in [
            (c.overdue, Colour::Red, "逾期"),
            (c.due_soon, Colour::Yellow, "即将到期"),
            (c.done, Colour::Green, "已报"),
        ] {
            if n > 0 {
                let _ = write!(
                    badges,
                    r#"<span class="badge {}">{what} {n}</span>"#,
                    class(colour)
                );
            }
        }
        let _ = write!(
            s,
            r#"<details id="u-{i}" data-unit="{}"><summary>{}{badges}</summary><table class="ob"><thead><tr><th>报送事项</th><th>报送对象</th><th>截止日期</th><th>状态</th><th>收到日期</th><th>尚缺任务</th></tr></thead><tbody>"#,
            esc(&u.unit),
            esc(&u.unit)
        );
        for o in &u.obligations {
            obligation_row(&mut s, o);
        }
        s.push_str("</tbody></table></details>");
    }
    s.push_str("</div>");
    s
}

/// 按章、按任务组的统计表。
fn breakdowns(r: &StatusReport) -> String {
    let head = r#"<th>任务数</th><th>应报</th><th>已报</th><th>逾期未报</th><th>即将到期</th><th>未到期</th><th>完成率</th></tr></thead><tbody>"#;
    let nums = |s: &mut String, tasks: usize, c: &Counts| {
        let _ = write!(
            s,
            r#"<td class="n">{tasks}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{:.1}%</td></tr>"#,
            c.total,
            c.done,
            c.overdue,
            c.due_soon,
            c.not_due,
            c.percent()
        );
    };
    let mut s = format!(
        r#"<h2>按章（按单位×任务计）</h2><table id="chapters"><thead><tr><th>章</th>{head}"#
    );
    for c in &r.chapters {
        let _ = write!(
            s,
            r#"<tr class="{}" data-key="{}"><td>{} {}</td>"#,
            class(c.counts.colour()),
            esc(&c.key),
            esc(&c.key),
            esc(&c.title)
        );
        nums(&mut s, c.tasks, &c.counts);
    }
    let _ = write!(
        s,
        r#"</tbody></table><h2>按任务组（按单位×任务计）</h2><table id="groups"><thead><tr><th>任务组</th><th>总牵头单位</th>{head}"#
    );
    for g in &r.groups {
        let leads = g.leads_text();
        let _ = write!(
            s,
            r#"<tr class="{}"><td>{}</td><td>{}</td>"#,
            class(g.counts.colour()),
            esc(&g.title),
            esc(&leads)
        );
        nums(&mut s, g.tasks, &g.counts);
    }
    s.push_str("</tbody></table>");
    s
}

/// 整页 HTML。`issuer` 写在页脚。
pub fn page(r: &StatusReport, issuer: &str) -> String {
    let title = format!("督办情况（截至{}）", r.as_of.chinese());
    // JSON 放进 <script type="application/json">：转义“</”以免提前结束脚本。
    let data = r.to_json().replace("</", "<\\/");
    let samples = if r.samples.files.is_empty() {
        String::new()
    } else if r.samples.counted {
        format!(
            r#"<p class="meta">注意：使用了示例报送数据（{} 份），算作已报送。</p>"#,
            r.samples.files.len()
        )
    } else {
        format!(
            r#"<p class="meta">示例报送数据（{} 份）未算作报送。</p>"#,
            r.samples.files.len()
        )
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="duban">
<title>{}</title>
<script>window.addEventListener("error",function(e){{var d=document.documentElement;d.setAttribute("data-errors",(d.getAttribute("data-errors")||"")+e.message+";");}});</script>
<style>
{CSS}</style>
</head>
<body>
<header><h1>{}</h1><p class="meta">截至{}　·　红：逾期未报　黄：{} 天内到期未报　绿：已报送　·　由 duban 生成，单文件离线可用</p>{samples}</header>
{}
{}
{}
{}
{}
<footer>{}　{}　数据：页尾 &lt;script id="status-data"&gt; 中为同一份 JSON 导出（duban status --format json）。</footer>
<script type="application/json" id="status-data">{data}</script>
<script>
{JS}</script>
</body>
</html>
"#,
        esc(&title),
        esc(&r.title),
        r.as_of.chinese(),
        r.due_soon_days,
        cards(r),
        charts(r),
        unit_table(r),
        details(r),
        breakdowns(r),
        esc(issuer),
        r.as_of.chinese(),
    )
}
