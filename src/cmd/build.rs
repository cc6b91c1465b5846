//! `duban build`：为每个单位生成预填的附表1–3 与任务清单（PDF 与 XLSX；`--reminders` 时附催报通知）。
//!
//! 本文件只做：参数 → [`Project::load`] → [`Build::prepare`] / [`Build::run`] → 打印摘要与警告。

use crate::build::{Build, BuildOptions, BuildReport, Observer};
use crate::date::{Date, Quarter, TodaySource};
use crate::diag::Diagnostic;
use crate::project::Project;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// 命令行参数。
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 输出目录（默认 duban.toml 中 paths.out，即 out/）。
    #[arg(long, value_name = "目录")]
    pub out: Option<PathBuf>,
    /// 只生成这些单位（可多次给出；规范名或别名）。
    #[arg(long = "unit", value_name = "单位")]
    pub units: Vec<String>,
    /// 附表3 的季度，如 2023Q2（默认：截止日不早于今天的第一个需报季度）。
    #[arg(long, value_name = "季度")]
    pub quarter: Option<String>,
    /// 生成日期 YYYY-MM-DD（优先于 SOURCE_DATE_EPOCH 和 duban.toml 的 project.today；都没有时取北京时间的当天）。
    #[arg(long, value_name = "日期")]
    pub today: Option<String>,
    /// 只生成 XLSX，不生成 PDF（不加载字体）。
    #[arg(long)]
    pub no_pdf: bool,
    /// 同时给到期或即将到期而未报的单位附带催报通知（不带编号；正式催报用 duban remind）。
    #[arg(long)]
    pub reminders: bool,
    /// 有错误（如报送文件写错）时也生成并替换输出目录中的材料；默认有错误就保留上次的结果不动。
    #[arg(long)]
    pub force: bool,
}

/// 测试用环境变量：第 N 次文件操作时中止进程，模拟崩溃（只在崩溃测试中使用）。
const ABORT_AFTER_ENV: &str = "DUBAN_TEST_ABORT_AFTER";

/// 终端上的字体报告与进度条。
struct Terminal {
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

impl Observer for Terminal {
    fn fonts(&self, lines: &[String]) {
        super::print_fonts(lines);
    }
    fn rendering(&self, units: usize) {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            let b = indicatif::ProgressBar::new(units as u64);
            b.set_message("生成中");
            *self.bar.lock().unwrap() = Some(b);
        }
    }
    fn unit_done(&self) {
        if let Some(b) = &*self.bar.lock().unwrap() {
            b.inc(1);
        }
    }
    fn rendered(&self) {
        if let Some(b) = self.bar.lock().unwrap().take() {
            b.finish_and_clear();
        }
    }
}

/// 执行 `duban build`。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let start = Instant::now();
    // 先检查命令行上的季度格式，免得加载完项目才报错。
    let quarter = match &args.quarter {
        Some(q) => Some(parse_quarter(q)?),
        None => None,
    };
    let project = Project::load(config)?;
    // 配置有误的值已换成默认值，照此生成的材料是错的：报告后不生成（已有的输出不动）。
    if project.config_errors > 0 {
        super::check::report(&project.diagnostics);
        println!(
            "未生成：配置有 {} 处错误（见上方），已有的输出未改动；改正后重新运行",
            project.config_errors
        );
        return Ok(2);
    }
    let (today, source) = super::today(args.today.as_deref(), &project.config)?;
    let load = start.elapsed();
    let opts = BuildOptions {
        out: args
            .out
            .clone()
            .unwrap_or_else(|| project.path(&project.config.paths.out)),
        today,
        quarter,
        units: args.units.clone(),
        pdf: !args.no_pdf,
        reminders: args.reminders,
        force: args.force,
        holder: super::holder(),
        abort_after: std::env::var(ABORT_AFTER_ENV)
            .ok()
            .and_then(|v| v.parse().ok()),
    };
    let build = Build::prepare(&project, &opts)?;
    if let Some(m) = build.recovery().message() {
        eprintln!("提示：输出目录 {}：{m}", opts.out.display());
    }
    let mut diags = project.diagnostics.clone();
    diags.extend(build.diagnostics.clone());
    super::check::report(&diags);
    let quarter = build.plan.quarter;
    let report = build.run(&Terminal {
        bar: Default::default(),
    })?;
    if !report.published {
        eprintln!(
            "未生成：发现错误 {} 条（见上方），本次没有更新输出目录 {}，上次生成的材料保持不变\n  提示：改正后重新运行；确需照样生成（有错的内容原样印出）时加 --force",
            diags.errors(),
            opts.out.display()
        );
        return Ok(1);
    }
    for r in &report.removed {
        eprintln!("已删除过期文件：{r}（本次不再生成）");
    }
    for w in &report.warnings {
        eprintln!("警告：{w}\n  提示：在 duban.toml 的 [fonts] 换用含这些字的字体，或核对打印件");
    }
    print_summary(&report, &opts, start.elapsed(), load, source, quarter);
    if diags.has_errors() || !report.warnings.is_empty() || diags.warnings() > 0 {
        println!(
            "问题：错误 {} 条，警告 {} 条（见上方）",
            diags.errors(),
            diags.warnings() + report.warnings.len()
        );
    }
    Ok(if diags.has_errors() { 1 } else { 0 })
}

/// `--quarter` 的值：格式与年份范围不对都是指明选项的诊断。
fn parse_quarter(s: &str) -> anyhow::Result<Quarter> {
    let bad =
        |msg: String| {
            anyhow::Error::new(Diagnostic::error("命令行 --quarter", 0, 0, msg).with_hint(
                "写成 --quarter 2023Q2 这样的 年Q季度；不写时取截止日未过的第一个需报季度",
            ))
        };
    let q = Quarter::parse(s).map_err(|e| bad(e.to_string()))?;
    let years = *crate::config::YEARS.start()..*crate::config::YEARS.end();
    if !years.contains(&q.year) {
        return Err(bad(format!("季度“{s}”的年份超出范围")));
    }
    Ok(q)
}

fn print_summary(
    r: &BuildReport,
    opts: &BuildOptions,
    total: Duration,
    load: Duration,
    source: TodaySource,
    quarter: Quarter,
) {
    let today: Date = opts.today;
    println!(
        "已生成：单位数 {}，文件数 {}，页数 {}，用时 {:.2} 秒（输出目录 {}；生成日期 {}，来自 {}；附表3 为{}）",
        r.units,
        r.files,
        r.pages,
        total.as_secs_f64(),
        opts.out.display(),
        today.chinese(),
        source.label(),
        quarter.chinese()
    );
    println!(
        "各阶段用时：加载 {} 毫秒，规划 {} 毫秒，渲染 {} 毫秒，写文件 {} 毫秒",
        load.as_millis(),
        r.timings.plan.as_millis(),
        r.timings.render.as_millis(),
        r.timings.write.as_millis()
    );
}
