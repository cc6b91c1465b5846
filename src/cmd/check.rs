//! `duban check`：完整加载与校验、不生成文件——配置、单位登记册、通知、报送数据和分工
//! （没有列出成员的群体短语），一次按位置顺序报告全部诊断（相同的只报一次）和一行摘要。

use crate::diag::{Diagnostic, Diagnostics};
use crate::plan::{self, DocKind, PlanOptions};
use crate::project::Project;
use crate::templates::TemplateError;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {}

/// 把诊断按位置顺序写到标准错误。
pub fn report(diags: &Diagnostics) {
    for d in diags.sorted() {
        eprintln!("{d}");
    }
}

/// 写到标准输出；管道被关闭（如接 `head`）时安静结束，不 panic。
pub fn print_out(s: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// 一行中文摘要，如“任务 139 项（重点工作 135 项，其他 4 项），任务组 20 个，……，报送文件 3 份，
/// 错误 0 条，警告 4 条”。
pub fn summary(p: &Project) -> String {
    let diags = &p.diagnostics;
    let cat = &p.catalogue;
    let key = cat.key_tasks();
    let mut units = BTreeSet::new();
    let mut phrases = BTreeSet::new();
    let all_refs = cat
        .tasks
        .iter()
        .flat_map(|t| t.leads.iter().chain(&t.responsible))
        .chain(cat.groups.iter().flat_map(|g| &g.overall_leads));
    for r in all_refs {
        if r.is_group {
            phrases.insert(r.name.as_str());
        } else {
            units.insert(r.name.as_str());
        }
    }
    format!(
        "任务 {} 项（重点工作 {} 项，其他 {} 项），任务组 {} 个，单位 {} 个，群体短语 {} 个，报送文件 {} 份，错误 {} 条，警告 {} 条",
        cat.tasks.len(),
        key,
        cat.tasks.len() - key,
        cat.groups.len(),
        units.len(),
        phrases.len(),
        p.submissions.read(),
        diags.errors(),
        diags.warnings()
    )
}

/// 执行 `duban check`。
pub fn run(config: &Path, _args: Args) -> anyhow::Result<i32> {
    let mut p = match Project::load(config) {
        Ok(p) => p,
        // 登记册有错误时加载停在登记册：报出已收集的诊断（带行列），通知与报送数据不再往下检查。
        // 文件读不了（Fatal）照常以 2 退出。
        Err(e) => match e
            .downcast_ref::<crate::project::RegistryErrors>()
            .and(e.downcast_ref::<crate::diag::Fatal>())
        {
            Some(fatal) => {
                report(&fatal.0);
                print_out(&format!(
                    "未能完成检查：错误 {} 条（见上方），改正后再检查其余部分\n",
                    fatal.0.errors()
                ))?;
                return Ok(1);
            }
            None => return Err(e),
        },
    };
    let more = build_time_checks(&p);
    p.diagnostics.extend(more);
    report(&p.diagnostics);
    print_out(&format!("{}\n", summary(&p)))?;
    if let Some(r) = &p.submissions.received {
        print_out(&format!("{}\n", r.line()))?;
    }
    Ok(i32::from(p.diagnostics.has_errors()))
}

/// 原来要到 `build` 才会遇到的问题：环境变量 SOURCE_DATE_EPOCH、输出位置被文件占着、
/// 模板套不上数据（不存在的变量等）。配置里的值已在加载时查过。
fn build_time_checks(p: &Project) -> Diagnostics {
    let mut d = Diagnostics::new();
    if let Err(e) = super::today_opt(None, &p.config) {
        if let Some(diag) = e.downcast_ref::<Diagnostic>() {
            d.push(diag.clone());
        }
    }
    let out = crate::config::resolve(&p.root, &p.config.paths.out);
    if out.exists() && !out.is_dir() {
        d.push(
            Diagnostic::error(
                out.display().to_string(),
                0,
                0,
                "输出位置是一个文件，不是文件夹，duban build 会拒绝写入",
            )
            .with_hint("改 duban.toml 的 [paths] out，或生成时用 --out 指定别的文件夹"),
        );
    }
    if p.config_errors == 0 {
        d.extend(template_checks(p));
    }
    d
}

/// 给每个单位套一遍任务清单与催报通知的模板（只出 Markdown 与文档模型，不排版）：
/// 取最后一个季度的截止日为“今天”，让有待报事项的单位都出催报通知。每种文书只报第一处错误。
fn template_checks(p: &Project) -> Diagnostics {
    let mut d = Diagnostics::new();
    let Some(&(quarter, today)) = p.schedule.quarters.last() else {
        return d;
    };
    let plan = plan::plan(
        p,
        &PlanOptions {
            today,
            quarter,
            only: Vec::new(),
            reminders: true,
        },
    );
    let mut failed = BTreeSet::new();
    for up in &plan.units {
        for doc in &up.docs {
            let kind = doc.kind.name();
            let letter = matches!(doc.kind, DocKind::TaskList | DocKind::Reminder);
            if !letter || failed.contains(&kind) {
                continue;
            }
            if let Err(e) = crate::render::compose(p, &plan, up, doc, true) {
                let diag = match e.downcast_ref::<TemplateError>() {
                    Some(TemplateError::Invalid(diag)) => (**diag).clone(),
                    _ => Diagnostic::error(
                        format!("{}/{}", up.dir, doc.stem),
                        0,
                        0,
                        format!("无法生成{kind}：{e}"),
                    )
                    .with_hint("检查模板与该单位的数据"),
                };
                d.push(diag);
                failed.insert(kind);
            }
        }
    }
    d
}
