//! `duban build`：为每个单位生成预填的附表1–3、任务清单与催报通知（PDF 与 XLSX）。
//!
//! 本文件只做：参数 → 依次调用流水线各阶段（加载项目 → 报送数据 → 分工 → 规划 →
//! [`crate::render`] 并行渲染 → [`crate::output`] 统一写文件）→ 打印摘要与警告。

use crate::date::{resolve_today, Quarter, TodaySource};
use crate::diag::Diagnostic;
use crate::output;
use crate::plan::{self, Schedule};
use crate::render::{render_all, BuildInput, Renderers};
use crate::duties::{self, Duties};
use crate::submissions;
use crate::templates::Templates;
use crate::typeset::{FontSet, PdfOptions};
use crate::registry::Registry;
use anyhow::{anyhow, bail, Context};
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
    /// 生成日期 YYYY-MM-DD（优先于 SOURCE_DATE_EPOCH 和 duban.toml 的 project.today）。
    #[arg(long, value_name = "日期")]
    pub today: Option<String>,
    /// 只生成 XLSX，不生成 PDF（不加载字体）。
    #[arg(long)]
    pub no_pdf: bool,
}

/// 各阶段用时。
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub load: Duration,
    pub submissions: Duration,
    pub plan: Duration,
    pub render: Duration,
    pub write: Duration,
}

/// 把 `--unit` 给出的名称（规范名或别名）解析为规范名，重复的只留一个。
/// 未知名称一次全部报出，各附“你是不是要找”（登记册的编辑距离建议，只取有任务的单位）。
pub fn resolve_units(
    names: &[String],
    reg: &Registry,
    duties: &Duties,
) -> anyhow::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for n in names {
        let registered = reg.unit(n).map(|u| u.name.clone());
        let canon = registered.clone().unwrap_or_else(|| n.trim().to_string());
        if duties.get(&canon).is_some() {
            if !out.contains(&canon) {
                out.push(canon);
            }
            continue;
        }
        let mut msg = match &registered {
            Some(c) if c != n.trim() => {
                format!("--unit “{n}”（即“{c}”）在登记册中，但任务目录中没有任务涉及它")
            }
            Some(_) => format!("--unit “{n}”在登记册中，但任务目录中没有任务涉及它"),
            None => format!("--unit “{n}”不是任务目录中任何任务涉及的单位"),
        };
        let sug: Vec<String> = reg
            .suggest(&[n.as_str()])
            .into_iter()
            .filter(|s| *s != canon && duties.get(s).is_some())
            .map(|s| format!("“{s}”"))
            .collect();
        if !sug.is_empty() {
            msg.push_str(&format!("，你是不是要找{}？", sug.join("、")));
        }
        problems.push(msg);
    }
    if !problems.is_empty() {
        bail!(
            "{}\n  提示：用 duban units 查看单位名称（规范名和 content/units.toml 中的别名都可以）",
            problems.join("\n")
        );
    }
    Ok(out)
}

/// `--quarter` 指定的季度不在需报范围内时的警告（不阻止生成）：早于 `[deadlines] quarterly_from`
/// （通知规定从 2023 年第二季度起报），或晚于本年度最后一个需报季度。
pub fn quarter_warning(quarter: Quarter, schedule: &Schedule) -> Option<Diagnostic> {
    let (first, _) = *schedule.quarters.first()?;
    let (last, _) = *schedule.quarters.last()?;
    let msg = if quarter < first {
        format!(
            "季度 {quarter} 早于 duban.toml [deadlines] quarterly_from（{first}）：季度完成情况从{}起报送，仍按{}生成附表3",
            first.chinese(),
            quarter.chinese()
        )
    } else if quarter > last {
        format!(
            "季度 {quarter} 晚于本年度最后一个需报季度（{last}），仍按{}生成附表3",
            quarter.chinese()
        )
    } else {
        return None;
    };
    Some(
        Diagnostic::warning("命令行 --quarter", 0, 0, msg)
            .with_hint(format!("确认季度是否写错；需报季度为 {first}–{last}")),
    )
}

/// 执行 `duban build`。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let start = Instant::now();
    let mut t = Timings::default();
    // 先检查命令行上的季度格式，免得加载完项目才报错。
    let quarter_arg = match &args.quarter {
        Some(q) => Some(Quarter::parse(q).map_err(|e| anyhow!("--quarter：{e}"))?),
        None => None,
    };
    let project = crate::project::load(config)?;
    let cfg = &project.config;
    let sde = std::env::var("SOURCE_DATE_EPOCH").ok();
    let (today, source) = resolve_today(args.today.as_deref(), sde.as_deref(), cfg.project.today.as_deref())
        .context("生成日期有误")?
        .ok_or_else(|| {
            anyhow!("没有生成日期：请用 --today 2023-02-08、环境变量 SOURCE_DATE_EPOCH 或 duban.toml 的 [project] today 指定（为保证可复现，不使用系统时间）")
        })?;
    let schedule = Schedule::from_config(&cfg.deadlines).context("duban.toml [deadlines] 有误")?;
    t.load = start.elapsed();

    let t1 = Instant::now();
    let (subs, sub_diags) = submissions::load_dir(
        &project.path(&cfg.paths.submissions),
        &project.registry,
        &project.catalogue,
    )?;
    t.submissions = t1.elapsed();

    let t2 = Instant::now();
    let (duties, role_diags) = duties::assign(&project.catalogue, &project.registry);
    let quarter = match quarter_arg {
        Some(q) => q,
        None => schedule
            .default_quarter(today)
            .ok_or_else(|| anyhow!("无法确定季度，请用 --quarter 指定"))?,
    };
    let only = resolve_units(&args.units, &project.registry, &duties)?;
    let plan = plan::plan(
        &project.catalogue,
        &duties,
        &subs,
        &schedule,
        today,
        quarter,
        &only,
    );
    t.plan = t2.elapsed();

    // 先检查输出目录，免得渲染完才发现不能写。
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| project.path(&cfg.paths.out));
    output::prepare_out_dir(&out_dir)?;

    let mut diags = project.diagnostics.clone();
    diags.extend(sub_diags);
    diags.extend(role_diags);
    if let Some(w) = quarter_arg.and_then(|q| quarter_warning(q, &schedule)) {
        diags.push(w);
    }
    super::check::report(&diags);

    let t3 = Instant::now();
    let templates = Templates::load(Some(&project.path(&cfg.paths.templates)))?;
    let fonts = if args.no_pdf {
        None
    } else {
        let (fonts, report) = FontSet::load(&cfg.fonts, &project.root)?;
        for l in &report.lines {
            eprintln!("字体：{l}");
        }
        Some(fonts)
    };
    let pdf_opts = fonts.as_ref().map(|f| PdfOptions {
        fonts: f,
        pdfa: cfg.pdf.pdfa,
        page_numbers: true,
    });
    let input = BuildInput {
        config: cfg,
        catalogue: &project.catalogue,
        registry: &project.registry,
        duties: &duties,
        submissions: &subs,
        schedule: &schedule,
        plan: &plan,
    };
    let renderers = Renderers {
        pdf: pdf_opts.as_ref(),
        templates: &templates,
    };
    use std::io::IsTerminal;
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(plan.units.len() as u64);
        b.set_message("生成中");
        b
    });
    let rendered = render_all(&input, &renderers, &|| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    t.render = t3.elapsed();

    let t4 = Instant::now();
    let scope = output::Scope {
        units: only.iter().cloned().collect(),
        pdf: !args.no_pdf,
    };
    let written = output::write_all(&out_dir, &rendered, &scope)?;
    t.write = t4.elapsed();
    for r in &written.removed {
        eprintln!("已删除过期文件：{r}（本次不再生成）");
    }

    for w in &rendered.warnings {
        eprintln!("警告：{w}");
    }
    let pages: usize = rendered.files.iter().map(|f| f.pages).sum();
    let source = match source {
        TodaySource::Cli => "--today",
        TodaySource::SourceDateEpoch => "SOURCE_DATE_EPOCH",
        TodaySource::Config => "duban.toml",
    };
    println!(
        "已生成：单位数 {}，文件数 {}，页数 {}，用时 {:.2} 秒（输出目录 {}；生成日期 {}，来自 {}；附表3 为{}）",
        plan.units.len(),
        rendered.files.len() + 1,
        pages,
        start.elapsed().as_secs_f64(),
        out_dir.display(),
        today.chinese(),
        source,
        quarter.chinese()
    );
    println!(
        "各阶段用时：加载 {} 毫秒，报送数据 {} 毫秒，规划 {} 毫秒，渲染 {} 毫秒，写文件 {} 毫秒",
        t.load.as_millis(),
        t.submissions.as_millis(),
        t.plan.as_millis(),
        t.render.as_millis(),
        t.write.as_millis()
    );
    if diags.has_errors() || !rendered.warnings.is_empty() || diags.warnings() > 0 {
        println!(
            "问题：错误 {} 条，警告 {} 条（见上方）",
            diags.errors(),
            diags.warnings() + rendered.warnings.len()
        );
    }
    Ok(if diags.has_errors() { 1 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Deadlines;

    fn setup() -> (Registry, Duties) {
        let reg: Registry = toml::from_str(
            r#"
[[unit]]
name = "区税务局"
kind = "区直部门"
aliases = ["国家税务总局区税务局"]
[[unit]]
name = "区财政局"
kind = "区直部门"
[[unit]]
name = "区档案馆"
kind = "其他"
"#,
        )
        .unwrap();
        let notice = "二、重点工作(共1项)\n(一)测试章。\n1.测试任务。(牵头单位:区税务局;责任单位:区财政局)\n";
        let (cat, _) = crate::catalogue::parse(notice, "notice.txt", &reg);
        let (duties, _) = duties::assign(&cat, &reg);
        assert!(duties.get("区税务局").is_some(), "{cat:?}");
        (reg, duties)
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn unit_names_and_aliases_resolve_once() {
        let (reg, duties) = setup();
        let got = resolve_units(
            &names(&["国家税务总局区税务局", "区税务局", "区财政局"]),
            &reg,
            &duties,
        )
        .unwrap();
        assert_eq!(got, ["区税务局", "区财政局"]);
    }

    #[test]
    fn unknown_units_all_reported_with_suggestion() {
        let (reg, duties) = setup();
        let err = resolve_units(&names(&["区税物局", "完全无关", "区档案馆"]), &reg, &duties)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "--unit “区税物局”不是任务目录中任何任务涉及的单位，你是不是要找“区税务局”？"
            ),
            "{err}"
        );
        assert!(
            err.contains("--unit “完全无关”不是任务目录中任何任务涉及的单位\n"),
            "{err}"
        );
        assert!(
            err.contains("“区档案馆”在登记册中，但任务目录中没有任务涉及它"),
            "{err}"
        );
        assert!(err.contains("duban units"), "{err}");
    }

    #[test]
    fn quarter_before_quarterly_from_warns() {
        let schedule = Schedule::from_config(&Deadlines::default()).unwrap();
        let q = |s| Quarter::parse(s).unwrap();
        let w = quarter_warning(q("2023Q1"), &schedule).unwrap();
        assert_eq!(w.severity, crate::diag::Severity::Warning);
        assert!(
            w.message
                .contains("早于 duban.toml [deadlines] quarterly_from（2023Q2）")
                && w.message.contains("2023年第一季度"),
            "{}",
            w.message
        );
        assert!(quarter_warning(q("2022Q4"), &schedule).is_some());
        for ok in ["2023Q2", "2023Q3", "2023Q4"] {
            assert!(quarter_warning(q(ok), &schedule).is_none(), "{ok}");
        }
        let w = quarter_warning(q("2024Q1"), &schedule).unwrap();
        assert!(
            w.message.contains("晚于本年度最后一个需报季度（2023Q4）"),
            "{}",
            w.message
        );
    }
}
