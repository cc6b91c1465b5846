//! `duban archive 2023Q2`：把一个季度的材料打成一个能自证完整的 zip 包；
//! `duban archive verify 包.zip`：按包里的清单逐条核验。

use crate::archive::{self, verify, ArchiveOptions};
use crate::date::Quarter;
use crate::project::Project;
use crate::typeset::{FontSet, PdfOptions};
use anyhow::{anyhow, bail, Context};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(
    next_help_heading = "选项",
    args_conflicts_with_subcommands = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令"
)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// 季度，如 2023Q2。
    #[arg(value_name = "季度", help_heading = "参数")]
    pub quarter: Option<String>,
    /// 归档日期 YYYY-MM-DD：督办情况与汇总按这一天算，只收这一天及以前的报回件与催报（默认同 --today 的规则）。
    #[arg(long = "as-of", value_name = "日期")]
    pub as_of: Option<String>,
    /// 分发材料与催报通知所在的输出目录（默认 duban.toml 中 paths.out，即 out/）。
    #[arg(long, value_name = "目录")]
    pub from: Option<PathBuf>,
    /// 包写到这个文件（默认 归档/督办归档-季度-归档日期.zip）。
    #[arg(long, short = 'o', value_name = "文件")]
    pub out: Option<PathBuf>,
    /// 包已存在时替换它（默认不覆盖已有的包）。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// 核验归档包：每个条目的大小与 SHA-256、缺少或多出的条目、每个 PDF 的 PDF/A 标识。
    #[command(
        help_template = super::HELP_TEMPLATE,
        override_usage = "duban archive verify <包文件>"
    )]
    Verify(VerifyArgs),
}

/// `duban archive verify` 的参数。
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct VerifyArgs {
    /// 要核验的归档包（.zip）。
    #[arg(value_name = "包文件", help_heading = "参数")]
    pub file: PathBuf,
}

/// 执行 `duban archive`。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    if let Some(Action::Verify(v)) = args.action {
        return run_verify(&v.file);
    }
    let Some(quarter) = args.quarter.as_deref() else {
        bail!("缺少季度\n  提示：写成 duban archive 2023Q2；核验已有的包用 duban archive verify 包.zip");
    };
    let q = Quarter::parse(quarter).map_err(|e| anyhow!("季度“{quarter}”：{e}"))?;
    let project = Project::load(config)?;
    super::check::report(&project.diagnostics);
    if project.diagnostics.has_errors() {
        bail!("项目有错误（见上方），未归档\n  提示：先用 duban check 改正");
    }
    let cfg = &project.config;
    let (as_of, _) = super::today_from("--as-of", args.as_of.as_deref(), cfg)?;
    let (fonts, fr) = FontSet::load(&cfg.fonts, &project.root)?;
    super::print_fonts(&fr.lines);
    let pdf = PdfOptions {
        pdfa: cfg.pdf.pdfa,
        ..PdfOptions::new(&fonts)
    };
    let opts = ArchiveOptions {
        quarter: q,
        as_of,
        out_dir: args.from.unwrap_or_else(|| project.path(&cfg.paths.out)),
        pdf: &pdf,
        fonts: fr.lines.clone(),
    };
    let plan = archive::collect(&project, &opts)?;
    if as_of < plan.due {
        eprintln!(
            "提示：归档日期 {as_of} 早于本季度完成情况的截止日 {}，未报的还不算逾期",
            plan.due
        );
    }
    for m in &plan.missing {
        eprintln!("警告：归档时缺少 {m}");
    }
    let dest = args.out.unwrap_or_else(|| {
        project
            .path(&cfg.paths.archive)
            .join(archive::file_name(q, as_of))
    });
    let meta = crate::render::meta(cfg, &archive::toc::title(q), Some(as_of));
    let mut manifest = None;
    crate::output::publish_streamed(&dest, args.force, |file| {
        let toc = |m: &archive::Manifest| {
            let doc = archive::toc::document(m, meta.clone());
            let r = crate::typeset::render_pdf(&doc, &pdf).context("归档目录排版失败")?;
            Ok((r.bytes, r.pages))
        };
        let (w, m) = archive::write::write_zip(&plan, std::io::BufWriter::new(file), toc)?;
        manifest = Some(m);
        let file = w.into_inner().map_err(|e| e.into_error())?;
        Ok(file)
    })?;
    let m = manifest.context("内部错误：没有清单")?;
    let size = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    let c = &m.counts;
    println!(
        "已归档 {}：{} 个条目，{:.1} MB（分发材料 {} 个、报回原件 {} 份、催报通知 {} 份；汇总表、督办情况截至 {as_of}）",
        dest.display(),
        m.entries.len() + 1,
        size as f64 / 1_000_000.0,
        c.packets,
        c.originals,
        c.reminder_letters
    );
    println!("核验：duban archive verify {}", dest.display());
    Ok(0)
}

/// 执行 `duban archive verify`：全部问题一次列出；有问题时退出码 1。
fn run_verify(file: &Path) -> anyhow::Result<i32> {
    let r = verify::verify(file)?;
    let mut out = String::new();
    if let Some(m) = &r.manifest {
        out.push_str(&format!(
            "归档包 {}：{}，{} 归档（duban {}）\n",
            file.display(),
            m.quarter_chinese(),
            m.as_of,
            m.duban
        ));
    }
    for p in &r.problems {
        out.push_str(&format!("错误：{}：{}\n", p.entry, p.what));
    }
    if r.ok() {
        out.push_str(&format!(
            "核验通过：{} 个条目的大小与 SHA-256 都与清单相符，{} 个 PDF 都带 PDF/A 标识\n",
            r.checked, r.pdfs
        ));
    } else {
        out.push_str(&format!(
            "核验未通过：{} 处问题（核对了 {} 个条目；PDF {} 个，其中带 PDF/A 标识 {} 个）\n  提示：包被改动或损坏，请用原始的包或重新 duban archive\n",
            r.problems.len(),
            r.checked,
            r.pdfs,
            r.pdfa
        ));
    }
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("无法写到标准输出")?;
    Ok(if r.ok() { 0 } else { 1 })
}
