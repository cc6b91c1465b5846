//! 督办情况通报（GB/T 9704）：总体情况（数字）、按截止日期的报送情况、逾期未报送清单（任务目录顺序）
//! 与有关要求。视图经内置模板 `bulletin.md.tera`（可在 templates/ 覆盖）成 Markdown，再排版成 PDF。

use super::StatusReport;
use crate::config::Config;
use crate::forms::letters::{md_escape, nested_title, to_document};
use crate::project::Project;
use crate::schedule::missing_label;
use crate::typeset::{render_pdf, PdfOptions, RenderedPdf};
use anyhow::Context;
use serde::Serialize;

/// 通报模板名。
pub const BULLETIN_TEMPLATE: &str = "bulletin.md.tera";

/// 按截止日期的一行。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineLine {
    pub date: String,
    pub what: String,
    /// “应报68项，已报送3项（按时2项），逾期未报65项”。
    pub summary: String,
}

/// 逾期未报送的一项。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueLine {
    pub unit: String,
    /// 材料；报了一部分的写明尚缺哪几项。
    pub what: String,
    /// “2023年2月15日（逾期1天）”。
    pub deadline: String,
}

/// 通报模板的视图。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulletinView {
    pub plan_title: String,
    pub date: String,
    pub units: usize,
    pub total: usize,
    /// 已到截止日期的事项数（截止日不晚于当天）。
    pub due: usize,
    pub done: usize,
    pub on_time: usize,
    pub late: usize,
    pub undated: usize,
    pub percent: String,
    pub overdue_count: usize,
    pub units_overdue: usize,
    pub due_soon: usize,
    pub due_soon_days: i64,
    pub deadlines: Vec<DeadlineLine>,
    pub overdue: Vec<OverdueLine>,
    /// 补报期限：截至日期加 `[remind] grace_days` 天。
    pub new_deadline: String,
    pub office: String,
    pub email: String,
    pub contact: String,
    pub phone: String,
    pub issuer: String,
}

/// 构建通报视图。
pub fn view(r: &StatusReport, cfg: &Config, office: &str, email: &str) -> BulletinView {
    let t = &r.totals;
    let deadlines = r
        .deadlines
        .iter()
        .map(|d| {
            let c = &d.counts;
            let mut summary = format!("应报{}项，已报送{}项", c.total, c.done);
            if c.late > 0 {
                summary.push_str(&format!("（其中逾期报送{}项）", c.late));
            }
            if c.overdue > 0 {
                summary.push_str(&format!("，逾期未报{}项", c.overdue));
            } else if d.date >= r.as_of && c.done < c.total {
                summary.push_str(&format!("，未到期{}项", c.total - c.done));
            }
            DeadlineLine {
                date: d.date.chinese(),
                what: md_escape(&d.what.join("、")),
                summary,
            }
        })
        .collect();
    let overdue = r
        .overdue()
        .into_iter()
        .map(|(u, o)| {
            let mut what = super::short_what(&o.what);
            if !o.missing.is_empty() {
                what.push_str(&format!("（尚缺{}）", missing_label(&o.missing)));
            }
            OverdueLine {
                unit: md_escape(&u.unit),
                what: md_escape(&what),
                deadline: format!("{}（逾期{}天）", o.deadline.chinese(), o.days),
            }
        })
        .collect();
    let due = r
        .deadlines
        .iter()
        .filter(|d| d.date <= r.as_of)
        .map(|d| d.counts.total)
        .sum();
    BulletinView {
        plan_title: md_escape(&nested_title(&r.title)),
        date: r.as_of.chinese(),
        units: r.units.len(),
        total: t.total,
        due,
        done: t.done,
        on_time: t.on_time,
        late: t.late,
        undated: t.undated,
        percent: format!("{:.1}%", t.percent()),
        overdue_count: t.overdue,
        units_overdue: r.units_overdue,
        due_soon: t.due_soon,
        due_soon_days: r.due_soon_days,
        deadlines,
        overdue,
        new_deadline: r.as_of.add_days(cfg.remind.grace_days).chinese(),
        office: md_escape(office),
        email: md_escape(email),
        contact: md_escape(&cfg.remind.contact),
        phone: md_escape(&cfg.remind.phone),
        issuer: md_escape(&cfg.project.issuer),
    }
}

/// 通报的 Markdown（模板渲染结果）。
pub fn markdown(project: &Project, r: &StatusReport) -> anyhow::Result<String> {
    let s = &project.schedule;
    let v = view(r, &project.config, &s.office, &s.office_email);
    Ok(project.templates.render(BULLETIN_TEMPLATE, &v)?)
}

/// 排版成 PDF（GB/T 9704 版式，PDF/A 按配置）。
pub fn pdf(project: &Project, r: &StatusReport, opts: &PdfOptions) -> anyhow::Result<RenderedPdf> {
    let s = &project.schedule;
    let v = view(r, &project.config, &s.office, &s.office_email);
    let title = format!("督办情况通报（截至{}）", r.as_of.chinese());
    let meta = crate::render::meta(&project.config, &title, Some(r.as_of));
    let (_, doc) = to_document(&project.templates, BULLETIN_TEMPLATE, &v, meta)?;
    render_pdf(&doc, opts).context("督办情况通报排版失败")
}
