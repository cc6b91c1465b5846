//! `duban check`：完整加载与校验、不生成文件——配置、单位登记册、通知、报送数据和分工
//! （没有列出成员的群体短语），一次按位置顺序报告全部诊断（相同的只报一次）和一行摘要。

use crate::diag::Diagnostics;
use crate::project::Project;
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
    let p = Project::load(config)?;
    report(&p.diagnostics);
    print_out(&format!("{}\n", summary(&p)))?;
    if let Some(r) = &p.submissions.received {
        print_out(&format!("{}\n", r.line()))?;
    }
    Ok(i32::from(p.diagnostics.has_errors()))
}
