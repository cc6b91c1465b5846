//! `duban build`：为每个单位生成预填的附表1–3、任务清单与催报通知（PDF 与 XLSX）。
//!
//! 流水线：加载项目 → 加载报送数据 → 推出分工 → 规划全部输出 → 并行渲染（纯函数）→ 统一写文件。
//! 渲染结果按计划顺序收集，与线程数无关，同输入同字节。

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::date::{resolve_today, Date, Quarter, TodaySource};
use crate::diag::Diagnostics;
use crate::forms::{sheets, text, Sheet};
use crate::output;
use crate::plan::{self, BuildPlan, DocKind, Schedule};
use crate::roles::{self, Duties};
use crate::submissions::{self, Submissions};
use crate::templates::Templates;
use crate::typeset::{render_pdf, Document, FontSet, Meta, PdfOptions};
use crate::units::Registry;
use crate::xlsx::{self, XlsxOptions};
use anyhow::{anyhow, bail, Context};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// 命令行参数。
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 输出目录（默认 duban.toml 中 paths.out，即 out/）。
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 只生成这些单位（可多次给出；规范名或别名）。
    #[arg(long = "unit", value_name = "NAME")]
    pub units: Vec<String>,
    /// 附表3 的季度，如 2023Q2（默认：截止日不早于今天的第一个需报季度）。
    #[arg(long)]
    pub quarter: Option<String>,
    /// 生成日期 YYYY-MM-DD（优先于 SOURCE_DATE_EPOCH 和 duban.toml 的 project.today）。
    #[arg(long)]
    pub today: Option<String>,
    /// 只生成 XLSX，不生成 PDF（不加载字体）。
    #[arg(long)]
    pub no_pdf: bool,
}

/// 渲染阶段的全部输入（只读，线程间共享）。
pub struct BuildInput<'a> {
    pub config: &'a Config,
    pub catalogue: &'a Catalogue,
    pub registry: &'a Registry,
    pub duties: &'a Duties,
    pub submissions: &'a Submissions,
    pub schedule: &'a Schedule,
    pub plan: &'a BuildPlan,
}

/// 一个待写的文件。
#[derive(Debug, Clone)]
pub struct OutFile {
    /// 相对输出目录的路径。
    pub rel: PathBuf,
    pub bytes: Vec<u8>,
    /// PDF 页数；XLSX 为 0。
    pub pages: usize,
    /// 所属单位（总表为空）。
    pub unit: String,
    /// 文档名，如“附表1-办理方案”。
    pub kind: String,
}

/// 渲染结果。
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutFile>,
    /// 缺字等警告（已带单位和文件名）。
    pub warnings: Vec<String>,
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

/// 渲染器：PDF 可关闭（`--no-pdf`，或测试中没有字体时）。
pub struct Renderers<'a> {
    pub pdf: Option<&'a PdfOptions<'a>>,
    pub templates: &'a Templates,
}

fn meta(cfg: &Config, title: &str, today: Date) -> Meta {
    Meta {
        title: title.into(),
        author: cfg.project.issuer.clone(),
        subject: cfg.project.title.clone(),
        language: "zh-CN".into(),
        created: Some((today.year, today.month, today.day)),
    }
}

fn xlsx_opts(cfg: &Config, today: Date) -> XlsxOptions {
    XlsxOptions {
        created: today,
        author: cfg.project.issuer.clone(),
        password: None,
    }
}

fn pdf_file(
    r: &Renderers,
    doc: &Document,
    rel: PathBuf,
    unit: &str,
    kind: &str,
    out: &mut Rendered,
) -> anyhow::Result<()> {
    let Some(opts) = r.pdf else { return Ok(()) };
    let pdf = render_pdf(doc, opts).with_context(|| format!("{unit} 的 {kind} 排版失败"))?;
    for m in &pdf.missing {
        out.warnings.push(format!(
            "{}：字体缺字“{}”（U+{:04X}），已用回退字体（{}）",
            rel.display(),
            m.ch,
            m.ch as u32,
            unit
        ));
    }
    out.files.push(OutFile {
        rel,
        bytes: pdf.bytes,
        pages: pdf.pages,
        unit: unit.into(),
        kind: kind.into(),
    });
    Ok(())
}

fn sheet_files(
    input: &BuildInput,
    r: &Renderers,
    sheet: &Sheet,
    stem: &Path,
    unit: &str,
    kind: &str,
    out: &mut Rendered,
) -> anyhow::Result<()> {
    let today = input.plan.today;
    let doc = sheet.to_document(meta(input.config, &sheet.title, today));
    pdf_file(r, &doc, stem.with_extension("pdf"), unit, kind, out)?;
    let bytes = xlsx::write_sheet(sheet, &xlsx_opts(input.config, today))
        .with_context(|| format!("{unit} 的 {kind} 生成 XLSX 失败"))?;
    out.files.push(OutFile {
        rel: stem.with_extension("xlsx"),
        bytes,
        pages: 0,
        unit: unit.into(),
        kind: kind.into(),
    });
    Ok(())
}

/// 渲染一个单位的全部文件（纯函数，无 I/O）。
pub fn render_unit(
    input: &BuildInput,
    r: &Renderers,
    up: &plan::UnitPlan,
) -> anyhow::Result<Rendered> {
    let mut out = Rendered::default();
    let d = &input.duties.units[up.duties];
    let cat = input.catalogue;
    let subs = input.submissions;
    let today = input.plan.today;
    let dir = PathBuf::from(&up.dir);
    for doc in &up.docs {
        let kind = doc.kind.name();
        match doc.kind {
            DocKind::TaskList => {
                if r.pdf.is_none() {
                    continue;
                }
                let items = plan::due_items(cat, d, subs, input.schedule);
                let view = text::tasklist_view(
                    cat,
                    d,
                    &items,
                    input.schedule,
                    &input.config.project.issuer,
                    today,
                );
                let title = format!("{}任务清单", up.unit);
                let (_, document) = text::to_document(
                    r.templates,
                    text::TASKLIST_TEMPLATE,
                    &view,
                    meta(input.config, &title, today),
                )?;
                pdf_file(
                    r,
                    &document,
                    dir.join(format!("{}.pdf", doc.stem)),
                    &up.unit,
                    &kind,
                    &mut out,
                )?;
            }
            DocKind::Reminder => {
                if r.pdf.is_none() {
                    continue;
                }
                let view = text::reminder_view(
                    cat,
                    &up.unit,
                    &up.reminders,
                    input.schedule,
                    &input.config.project.issuer,
                    today,
                );
                let (_, document) = text::to_document(
                    r.templates,
                    text::REMINDER_TEMPLATE,
                    &view,
                    meta(input.config, &format!("{}催报通知", up.unit), today),
                )?;
                pdf_file(
                    r,
                    &document,
                    dir.join(format!("{}.pdf", doc.stem)),
                    &up.unit,
                    &kind,
                    &mut out,
                )?;
            }
            DocKind::Plan => {
                let s = sheets::plan_sheet(cat, d, subs);
                sheet_files(
                    input,
                    r,
                    &s,
                    &dir.join(&doc.stem),
                    &up.unit,
                    &kind,
                    &mut out,
                )?;
            }
            DocKind::OverallPlan => {
                let s = sheets::overall_plan_sheet(cat, d, subs, input.registry);
                sheet_files(
                    input,
                    r,
                    &s,
                    &dir.join(&doc.stem),
                    &up.unit,
                    &kind,
                    &mut out,
                )?;
            }
            DocKind::Contacts => {
                let s = sheets::contacts_sheet(&up.unit, subs);
                sheet_files(
                    input,
                    r,
                    &s,
                    &dir.join(&doc.stem),
                    &up.unit,
                    &kind,
                    &mut out,
                )?;
            }
            DocKind::Quarterly(q) => {
                let s = sheets::quarterly_sheet(cat, d, subs, q);
                sheet_files(
                    input,
                    r,
                    &s,
                    &dir.join(&doc.stem),
                    &up.unit,
                    &kind,
                    &mut out,
                )?;
            }
        }
    }
    Ok(out)
}

/// 总表文件名（输出目录根下）。
pub const MASTER_STEM: &str = "00-责任分解总表";
/// 索引文件名。
pub const INDEX_FILE: &str = "文件清单.csv";

/// 并行渲染全部单位和总表；结果按计划顺序排列，与线程数无关。
pub fn render_all(
    input: &BuildInput,
    r: &Renderers,
    on_unit_done: &(dyn Fn() + Sync),
) -> anyhow::Result<Rendered> {
    let master = sheets::master_sheet(input.catalogue, &input.config.project.title);
    let mut all = Rendered::default();
    sheet_files(
        input,
        r,
        &master,
        Path::new(MASTER_STEM),
        "",
        "责任分解总表",
        &mut all,
    )?;
    let parts: Vec<anyhow::Result<Rendered>> = input
        .plan
        .units
        .par_iter()
        .map(|up| {
            let r = render_unit(input, r, up);
            on_unit_done();
            r
        })
        .collect();
    for p in parts {
        let p = p?;
        all.files.extend(p.files);
        all.warnings.extend(p.warnings);
    }
    Ok(all)
}

/// 索引文件（UTF-8 带 BOM，Excel 可直接打开）：单位、文件、文档、页数。
pub fn index_csv(files: &[OutFile]) -> Vec<u8> {
    let mut s = String::from("\u{feff}单位,文件,文档,页数\n");
    let q = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
    for f in files {
        let pages = if f.pages > 0 {
            f.pages.to_string()
        } else {
            String::new()
        };
        let path = f.rel.to_string_lossy().replace('\\', "/");
        s.push_str(&format!(
            "{},{},{},{}\n",
            q(&f.unit),
            q(&path),
            q(&f.kind),
            pages
        ));
    }
    s.into_bytes()
}

/// 写出全部文件（原子写入）和索引。
pub fn write_all(out_dir: &Path, rendered: &Rendered) -> anyhow::Result<()> {
    output::prepare_out_dir(out_dir)?;
    for f in &rendered.files {
        output::write_atomic(&out_dir.join(&f.rel), &f.bytes)?;
    }
    output::write_atomic(&out_dir.join(INDEX_FILE), &index_csv(&rendered.files))
}

/// 把 `--unit` 给出的名称解析为规范名；未知名称报错并给出提示。
pub fn resolve_units(
    names: &[String],
    reg: &Registry,
    duties: &Duties,
) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for n in names {
        let canon = reg
            .unit(n)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| n.clone());
        if duties.get(&canon).is_none() {
            bail!(
                "--unit “{n}”不是任务目录中任何任务涉及的单位\n  提示：用 duban units 查看单位名称"
            );
        }
        out.push(canon);
    }
    Ok(out)
}

fn print_diags(d: &Diagnostics) {
    for x in d.sorted() {
        eprintln!("{x}");
    }
}

/// 执行 `duban build`。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let start = Instant::now();
    let mut t = Timings::default();
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
    let (duties, role_diags) = roles::assign(&project.catalogue, &project.registry);
    let quarter = match &args.quarter {
        Some(q) => Quarter::parse(q)?,
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
    print_diags(&diags);

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
    write_all(&out_dir, &rendered)?;
    t.write = t4.elapsed();

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
