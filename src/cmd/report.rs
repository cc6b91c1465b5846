//! `duban report 2023Q2`：季度完成情况汇总表（PDF 与 XLSX），写进输出目录的“汇总”文件夹。

use crate::date::Quarter;
use crate::output::{OutDir, Scope};
use crate::project::Project;
use crate::report;
use crate::typeset::{FontSet, PdfOptions};
use anyhow::{anyhow, bail};
use std::path::{Path, PathBuf};

/// 汇总表所在的文件夹（输出目录下）。
pub const REPORT_DIR: &str = "汇总";

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 季度，如 2023Q2。
    #[arg(value_name = "季度", help_heading = "参数")]
    pub quarter: String,
    /// 汇总日期 YYYY-MM-DD：判断未报送是否已逾期（默认同 --today 的规则）。
    #[arg(long = "as-of", value_name = "日期")]
    pub as_of: Option<String>,
    /// 输出目录（默认 duban.toml 中 paths.out，即 out/）。
    #[arg(long, value_name = "目录")]
    pub out: Option<PathBuf>,
}

/// 执行 `duban report`。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let q = Quarter::parse(&args.quarter).map_err(|e| anyhow!("季度“{}”：{e}", args.quarter))?;
    let project = Project::load(config)?;
    super::check::report(&project.diagnostics);
    if project.diagnostics.has_errors() {
        bail!("项目有错误（见上方），未生成汇总表\n  提示：先用 duban check 改正");
    }
    let (as_of, _) = super::today(args.as_of.as_deref(), &project.config)?;
    let Some(r) = report::build(&project, q, as_of) else {
        let qs: Vec<String> = project
            .schedule
            .quarters
            .iter()
            .map(|(q, _)| q.to_string())
            .collect();
        bail!(
            "{q} 不是需报完成情况的季度\n  提示：需报季度为 {}（duban.toml [deadlines] quarterly_from）",
            qs.join("、")
        );
    };
    let cfg = &project.config;
    let (fonts, fr) = FontSet::load(&cfg.fonts, &project.root)?;
    super::print_fonts(&fr.lines);
    let opts = PdfOptions {
        pdfa: cfg.pdf.pdfa,
        ..PdfOptions::new(&fonts)
    };
    let files = report::render::files(&r, cfg, &opts, Path::new(REPORT_DIR))?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| project.path(&cfg.paths.out));
    let out = OutDir::open(&out_dir, &super::holder())?;
    if let Some(m) = out.recovery().message() {
        eprintln!("提示：输出目录 {}：{m}", out_dir.display());
    }
    let source = format!("report-{q}");
    let tx = out.begin(&source)?;
    for f in &files.files {
        tx.add(f)?;
    }
    tx.commit(&Scope {
        source,
        ..Scope::default()
    })?;
    for w in &files.warnings {
        eprintln!("警告：{w}");
    }
    println!("{}", report::render::summary_sentence(&r));
    println!(
        "已生成 {}（PDF {} 页）与 XLSX",
        out_dir.join(&files.files[0].rel).display(),
        files.files[0].pages
    );
    Ok(0)
}
