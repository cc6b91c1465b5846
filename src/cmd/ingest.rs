//! `duban ingest 路径... [--received 日期] [--dry-run]`：导入各单位报回的 XLSX；
//! `duban ingest --history`：列出全部收件记录并核对原件。逻辑在 [`crate::ingest`]，这里只打印。

use crate::date::Date;
use crate::ingest::{self, FileReport, FileStatus, IngestOptions, IngestReport};
use crate::project::Project;
use crate::submissions::received::Outcome;
use anyhow::{anyhow, bail};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 报回的 XLSX 文件或文件夹（文件夹按名称排序逐个读取），可给多个。
    #[arg(value_name = "路径", help_heading = "参数")]
    pub paths: Vec<PathBuf>,
    /// 收到日期 YYYY-MM-DD（默认“今天”，规则同 build 的 --today）。
    #[arg(long, value_name = "日期")]
    pub received: Option<String>,
    /// 只读取、核对并报告，不保存原件、不写登记簿、数据和退回说明。
    #[arg(long)]
    pub dry_run: bool,
    /// 列出全部收件记录（逐个核对原件的 SHA-256），不导入。
    #[arg(long, conflicts_with_all = ["paths", "received", "dry_run"])]
    pub history: bool,
}

/// 执行 `duban ingest`。有退回、拒收或待定的文件时退出码为 1。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let received = match &args.received {
        Some(s) => Some(Date::parse(s).map_err(|e| anyhow!("--received：{e}"))?),
        None => None,
    };
    let project = Project::load(config)?;
    if args.history {
        return history(&project);
    }
    if args.paths.is_empty() {
        bail!("没有给出要导入的文件\n  提示：duban ingest 收件/区商务局-附表1.xlsx，或给出存放报回文件的文件夹");
    }
    // 不写 --received 时为“今天”（与 build 的 --today 同一规则），库里不读时钟。
    let received = match received {
        Some(d) => d,
        None => super::today_opt(None, &project.config)?
            .map(|(d, _)| d)
            .ok_or_else(|| anyhow!("没有收到日期：请用 --received 2023-02-14 指定（或设置 SOURCE_DATE_EPOCH、duban.toml 的 [project] today）"))?,
    };
    let opts = IngestOptions {
        received,
        dry_run: args.dry_run,
    };
    let report = ingest::ingest(&project, &args.paths, &opts)?;
    super::print_fonts(&report.fonts);
    for s in &report.skipped {
        eprintln!("略过：{s}");
    }
    let mut out = String::new();
    for f in &report.files {
        out.push_str(&file_lines(f));
    }
    out.push_str(&summary(&report, &opts));
    super::check::print_out(&out)?;
    let bad = report
        .files
        .iter()
        .any(|f| f.status == FileStatus::New && f.result != Outcome::Accepted);
    Ok(i32::from(bad))
}

/// 一个文件的结果与问题。
fn file_lines(f: &FileReport) -> String {
    let what = [f.unit.as_str(), f.form.as_str(), f.quarter.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let mut s = match &f.status {
        FileStatus::Repeated { first } => {
            format!("{}：与本批的 {first} 内容相同，只登记一次\n", f.source)
        }
        FileStatus::Unchanged => format!(
            "{}：已登记过（第 {} 号，{}{}），未作改动\n",
            f.source,
            f.seq,
            f.result.label(),
            if what.is_empty() {
                String::new()
            } else {
                format!("，{what}")
            }
        ),
        FileStatus::New => {
            let mut line = format!("{}：第 {} 号，{}", f.source, f.seq, f.result.label());
            if !what.is_empty() {
                line.push_str(&format!("（{what}）"));
            }
            if let Some(p) = f.supersedes {
                line.push_str(&format!("，取代第 {p} 号"));
            }
            line + "\n"
        }
    };
    for p in &f.problems {
        s.push_str(&format!("  {}\n", p.line()));
    }
    for n in &f.notes {
        s.push_str(&format!("  说明：{n}\n"));
    }
    s
}

fn summary(r: &IngestReport, opts: &IngestOptions) -> String {
    let new: Vec<&FileReport> = r
        .files
        .iter()
        .filter(|f| f.status == FileStatus::New)
        .collect();
    let count = |o: Outcome| new.iter().filter(|f| f.result == o).count();
    let same = r
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Unchanged)
        .count();
    let repeated = r.files.len() - new.len() - same;
    let mut s = format!(
        "导入 {} 个文件（收到日期 {}）：新登记 {}（已接收 {}，退回 {}，拒收 {}，待定 {}），已登记过未改动 {}，本批重复 {}\n",
        r.files.len(),
        opts.received.chinese(),
        new.len(),
        count(Outcome::Accepted),
        count(Outcome::Returned),
        count(Outcome::Rejected),
        count(Outcome::Pending),
        same,
        repeated
    );
    if opts.dry_run {
        s.push_str("试运行：没有写入任何文件\n");
    } else {
        s.push_str(&format!("报回件库：{}\n", r.store.display()));
    }
    for l in &r.letters {
        s.push_str(&format!("退回：{}\n", r.store.join(l).display()));
    }
    s
}

/// `--history`：全部收件记录，现用的标出，原件逐个核对。
fn history(project: &Project) -> anyhow::Result<i32> {
    let rows = ingest::history(project, true)?;
    let mut out = String::new();
    let mut broken = false;
    for r in &rows {
        let e = &r.entry;
        let mut flags = Vec::new();
        if r.current {
            flags.push("现用".to_string());
        }
        if let Some(s) = e.supersedes {
            flags.push(format!("取代第 {s} 号"));
        }
        if let Some(s) = r.superseded_by {
            flags.push(format!("被第 {s} 号取代"));
        }
        if e.errors() > 0 {
            flags.push(format!("{} 个错误", e.errors()));
        }
        if r.intact == Some(false) {
            broken = true;
            flags.push("原件缺失或被改动！".into());
        }
        out.push_str(&format!(
            "第 {} 号  {}  {}  {}{}  {}  {}{}\n",
            e.seq,
            e.received,
            if e.unit.is_empty() {
                "（单位不明）"
            } else {
                &e.unit
            },
            e.form,
            if e.quarter.is_empty() {
                String::new()
            } else {
                format!(" {}", e.quarter)
            },
            e.result.label(),
            e.file,
            if flags.is_empty() {
                String::new()
            } else {
                format!("（{}）", flags.join("，"))
            }
        ));
    }
    out.push_str(&format!(
        "共 {} 条；原件{}\n",
        rows.len(),
        if broken {
            "有缺失或被改动的，见上"
        } else {
            "全部完好（SHA-256 核对一致）"
        }
    ));
    super::check::print_out(&out)?;
    Ok(i32::from(broken))
}
