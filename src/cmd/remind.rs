//! `duban remind`：给某一天有逾期或即将到期、尚未报齐材料的单位各出一份带督办编号的催报通知，
//! 外加合并打印 PDF 与催办登记簿 XLSX（输出目录下的 催报通知/）。编号记在催办登记里，重跑不重新编号。

use crate::project::Project;
use crate::remind;
use crate::typeset::{FontSet, PdfOptions};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 催办日期 YYYY-MM-DD（默认：SOURCE_DATE_EPOCH、duban.toml 的 project.today，都没有时取北京时间的今天）。
    #[arg(long = "as-of", value_name = "日期")]
    pub as_of: Option<String>,
    /// 输出目录（默认 duban.toml 中 paths.out，即 out/）；材料写在其下的 催报通知/。
    #[arg(long, value_name = "目录")]
    pub out: Option<PathBuf>,
    /// 只催这些单位（可多次给出；规范名或别名）。
    #[arg(long = "unit", value_name = "单位")]
    pub units: Vec<String>,
    /// 只列出要催的单位与将编的督办编号，不写文件、不占用编号。
    #[arg(long)]
    pub dry_run: bool,
}

/// 执行 `duban remind`。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let project = Project::load(config)?;
    let (date, _) = super::today_from("--as-of", args.as_of.as_deref(), &project.config)?;
    super::check::report(&project.diagnostics);
    let only = crate::plan::select_units(&args.units, &project.registry, &project.duties)?;
    let plan = remind::prepare(&project, date, &only)?;
    for w in &plan.warnings {
        eprintln!("警告：{w}");
    }
    let rc = &project.config.remind;
    if rc.contact.trim().is_empty() || rc.phone.trim().is_empty() {
        eprintln!("警告：duban.toml 的 [remind] 没有写全联系人 contact 与电话 phone，催报通知上不印联系方式");
    }
    let code = i32::from(project.diagnostics.has_errors());
    if plan.letters.is_empty() {
        println!(
            "截至{}没有需要催报的单位（已逾期或 {} 天内到期而未报齐的材料都没有）",
            date.chinese(),
            project.config.status.due_soon_days
        );
    }
    for l in &plan.letters {
        let states: Vec<String> = l
            .items
            .iter()
            .map(|i| {
                let a = i.assess(date, project.config.status.due_soon_days);
                format!("{}：{}", crate::status::short_what(&i.what), a.label())
            })
            .collect();
        let new = if l.reused { "" } else { "（新编）" };
        println!("{}{new}  {}  {}", l.number, l.unit, states.join("；"));
    }
    for e in &plan.cancelled {
        println!("{}  {}  作废（已不需催报）", e.number, e.unit);
    }
    if args.dry_run {
        println!("试运行：以上编号尚未占用，没有写任何文件");
        return Ok(code);
    }
    let out = args
        .out
        .unwrap_or_else(|| project.path(&project.config.paths.out));
    let (fonts, fr) = FontSet::load(&project.config.fonts, &project.root)?;
    super::print_fonts(&fr.lines);
    let opts = PdfOptions {
        pdfa: project.config.pdf.pdfa,
        ..PdfOptions::new(&fonts)
    };
    let rendered = remind::render(&project, &plan, &opts)?;
    for w in &rendered.warnings {
        eprintln!("警告：{w}");
    }
    remind::write(&out, &plan, &rendered)?;
    let new = plan.letters.iter().filter(|l| !l.reused).count();
    println!(
        "已生成催报通知 {} 份（新编号 {}，沿用 {}，作废 {}），在 {}；合并打印 {}，催办登记簿 {}；编号登记在 {}",
        plan.letters.len(),
        new,
        plan.letters.len() - new,
        plan.cancelled.len(),
        out.join(remind::day_dir(date)).display(),
        remind::COMBINED,
        out.join(remind::REMIND_DIR).join(remind::REGISTER).display(),
        plan.ledger_path.display()
    );
    Ok(code)
}
