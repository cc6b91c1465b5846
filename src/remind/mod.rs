//! 催报（`duban remind`）：某一天有逾期或即将到期、尚未报齐材料的单位，每家一份带督办编号的
//! 催报通知（原截止日期与新截止日期、联系人与电话），外加一份合并打印的 PDF 和累计的催办登记簿 XLSX。
//!
//! 三步：[`prepare`] 读催办登记、算出要催的单位与编号（不写任何东西，`--dry-run` 到此为止）；
//! [`render`] 排版（纯函数）；[`write`] 写文件并更新登记。

pub mod ledger;
mod register;

use crate::date::Date;
use crate::forms::letters::{self, ReminderView};
use crate::project::Project;
use crate::render::{OutFile, Rendered};
use crate::schedule::{due_items, reminders, DueItem};
use crate::typeset::{render_pdf, Document, PdfOptions};
use anyhow::Context;
use ledger::{Entry, Ledger, LedgerItem};
use std::path::{Path, PathBuf};

/// 输出目录下放催报材料的子目录。
pub const REMIND_DIR: &str = "催报通知";
/// 合并打印文件名。
pub const COMBINED: &str = "00-合并打印.pdf";
/// 催办登记簿文件名（在 [`REMIND_DIR`] 下，累计全部催办）。
pub const REGISTER: &str = "催办登记簿.xlsx";

/// 一份催报通知。
#[derive(Debug, Clone)]
pub struct Letter {
    pub unit: String,
    pub number: String,
    pub seq: u32,
    /// 沿用了登记中的编号。
    pub reused: bool,
    pub items: Vec<DueItem>,
    pub view: ReminderView,
}

/// 准备好的一次催报。
#[derive(Debug, Clone)]
pub struct RemindPlan {
    pub date: Date,
    /// 按督办编号排序。
    pub letters: Vec<Letter>,
    /// 本次作废的编号（同一天重跑时已不需催报的单位）。
    pub cancelled: Vec<Entry>,
    /// 更新后的登记（[`write`] 时写回）。
    pub ledger: Ledger,
    /// 登记文件路径。
    pub ledger_path: PathBuf,
    /// 登记里最近一次催办晚于本次日期时的提醒（编号会不按日期先后）。
    pub warnings: Vec<String>,
}

/// 读登记（没有文件视为空）。
pub fn read_ledger(path: &Path) -> anyhow::Result<Ledger> {
    if !path.exists() {
        return Ok(Ledger::default());
    }
    let text = crate::textfile::read(path)
        .with_context(|| format!("无法读取催办登记 {}", path.display()))?;
    Ledger::parse(&text, &path.display().to_string())
}

/// 算出 `date` 这天要催报的单位、编号与通知内容。`only` 非空时只催这些单位（规范名）。
pub fn prepare(project: &Project, date: Date, only: &[String]) -> anyhow::Result<RemindPlan> {
    let cfg = &project.config;
    let ledger_path = project.path(&cfg.paths.reminder_log);
    let mut ledger = read_ledger(&ledger_path)?;
    let mut warnings = Vec::new();
    if let Some(latest) = ledger.latest().filter(|l| *l > date.to_string().as_str()) {
        warnings.push(format!(
            "催办登记中最近一次催办是 {latest}，晚于本次日期 {date}：本次的督办编号排在其后，不按日期先后"
        ));
    }
    let mut due: Vec<(String, Vec<DueItem>)> = Vec::new();
    for d in &project.duties.units {
        if !only.is_empty() && !only.contains(&d.unit) {
            continue;
        }
        let items = due_items(
            &project.catalogue,
            d,
            &project.submissions,
            &project.schedule,
        );
        let r = reminders(&items, date, cfg.status.due_soon_days);
        if !r.is_empty() {
            due.push((d.unit.clone(), r));
        }
    }
    let units: Vec<String> = due.iter().map(|(u, _)| u.clone()).collect();
    let scope = (!only.is_empty()).then_some(only);
    let prefix = &cfg.remind.number_prefix;
    let (assigned, cancelled) = ledger.assign(date, &units, scope, prefix);
    let mut letters: Vec<Letter> = due
        .into_iter()
        .zip(assigned)
        .map(|((unit, items), a)| {
            let view = letters::reminder_view(
                &project.catalogue,
                &unit,
                &items,
                &project.schedule,
                cfg,
                &a.number,
                date,
            );
            Letter {
                unit,
                number: a.number,
                seq: a.seq,
                reused: a.reused,
                items,
                view,
            }
        })
        .collect();
    letters.sort_by_key(|l| l.seq);
    for l in &letters {
        let items = l
            .items
            .iter()
            .map(|i| LedgerItem {
                what: i.what.clone(),
                to: i.to.clone(),
                deadline: i.date.to_string(),
                new_deadline: letters::new_deadline(i, cfg, date).to_string(),
                state: i.assess(date, cfg.status.due_soon_days).text(),
            })
            .collect();
        ledger.set_items(date, &l.unit, items);
    }
    Ok(RemindPlan {
        date,
        letters,
        cancelled,
        ledger,
        ledger_path,
        warnings,
    })
}

/// 截至 `as_of` 的催办登记簿 XLSX（全部催办，不论是否在某季度内）。
pub fn register_workbook(
    project: &Project,
    ledger: &Ledger,
    as_of: Date,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    register::workbook(project, ledger, as_of)
}

/// 这一天的催报材料目录（相对输出目录）。
pub fn day_dir(date: Date) -> PathBuf {
    Path::new(REMIND_DIR).join(date.to_string())
}

/// 一份通知的文件名：编号序号在前，按编号排序；单位名经安全化。
pub fn letter_file(seq: u32, unit: &str) -> String {
    format!("{seq:03}-{}-催报通知.pdf", crate::plan::safe_name(unit))
}

fn letter_document(project: &Project, l: &Letter, date: Date) -> anyhow::Result<Document> {
    let title = format!("{}催报通知（{}）", l.unit, l.number);
    let meta = crate::render::meta(&project.config, &title, Some(date));
    let (_, doc) = letters::to_document(
        &project.templates,
        letters::REMINDER_TEMPLATE,
        &l.view,
        meta,
    )?;
    Ok(doc)
}

/// 排版：每份通知一个 PDF、合并打印 PDF（各份另起一页，不印页码：页码接续会让各单位拿到
/// “第 37 页”）、催办登记簿 XLSX。纯函数，无 I/O。
pub fn render(project: &Project, plan: &RemindPlan, pdf: &PdfOptions) -> anyhow::Result<Rendered> {
    let mut out = Rendered::default();
    let dir = day_dir(plan.date);
    let mut combined = Document {
        meta: crate::render::meta(
            &project.config,
            &format!(
                "催报通知合并打印（{}，共{}份）",
                plan.date.chinese(),
                plan.letters.len()
            ),
            Some(plan.date),
        ),
        sections: Vec::new(),
    };
    for l in &plan.letters {
        let doc = letter_document(project, l, plan.date)?;
        combined.sections.extend(doc.sections.iter().cloned());
        let rel = dir.join(letter_file(l.seq, &l.unit));
        crate::render::pdf_file(Some(pdf), &doc, rel.clone(), &l.unit, "催报通知", &mut out)?;
        // Word 副本：办公室补上文号、改一句话后再印发。
        crate::render::docx_file(
            &project.config,
            &doc,
            rel.with_extension("docx"),
            &l.unit,
            "催报通知（Word）",
            &mut out,
        )?;
    }
    if !plan.letters.is_empty() {
        let opts = PdfOptions {
            page_numbers: false,
            ..*pdf
        };
        let r = render_pdf(&combined, &opts).context("合并打印排版失败")?;
        out.files.push(OutFile {
            rel: dir.join(COMBINED),
            bytes: r.bytes,
            pages: r.pages,
            unit: String::new(),
            kind: "催报通知合并打印".into(),
        });
    }
    let bytes =
        register::workbook(project, &plan.ledger, plan.date).context("生成催办登记簿失败")?;
    out.files.push(OutFile {
        rel: Path::new(REMIND_DIR).join(REGISTER),
        bytes,
        pages: 0,
        unit: String::new(),
        kind: "催办登记簿".into(),
    });
    Ok(out)
}

/// 写出全部文件（原子写入）、删掉本次作废编号的旧通知，最后写回登记——文件都写好了才算编了号。
pub fn write(out_dir: &Path, plan: &RemindPlan, rendered: &Rendered) -> anyhow::Result<()> {
    crate::output::prepare_out_dir(out_dir)?;
    for f in &rendered.files {
        crate::output::write_atomic(&out_dir.join(&f.rel), &f.bytes)?;
    }
    let dir = out_dir.join(day_dir(plan.date));
    let mut stale: Vec<PathBuf> = plan
        .cancelled
        .iter()
        .flat_map(|e| {
            let pdf = dir.join(letter_file(e.seq, &e.unit));
            [pdf.with_extension("docx"), pdf]
        })
        .collect();
    if plan.letters.is_empty() {
        // 同一天重跑时已没有要催的单位：上一次的合并打印也过期了。
        stale.push(dir.join(COMBINED));
    }
    for stale in stale {
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(err).with_context(|| format!("无法删除作废的通知 {}", stale.display()))
            }
        }
    }
    crate::output::write_atomic(&plan.ledger_path, plan.ledger.to_text().as_bytes())
        .with_context(|| format!("无法写入催办登记 {}", plan.ledger_path.display()))
}
