//! 整次构建：已加载的项目 → 规划 → 渲染 → 写文件。
//!
//! 与 mdBook 的 `MDBook::load` + `build` 同一形状：[`Build::prepare`] 做完所有可能因参数出错的事
//! （季度、`--unit`、输出目录），[`Build::run`] 再加载字体、并行渲染、统一写文件。
//! `duban build` 只解析参数、调用这两步、打印结果。

use crate::date::{Date, Quarter};
use crate::diag::Diagnostics;
use crate::output::{OutDir, Recovery, Scope, Transaction};
use crate::plan::{self, BuildPlan, PlanOptions};
use crate::project::Project;
use crate::render;
use crate::schedule::quarter_warning;
use crate::typeset::{FontSet, PdfOptions};
use anyhow::anyhow;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// 构建选项（命令行参数解析后的结果）。
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// 输出目录。
    pub out: PathBuf,
    /// 生成日期。
    pub today: Date,
    /// 附表3 的季度；`None` 取截止日不早于今天的第一个需报季度。
    pub quarter: Option<Quarter>,
    /// 只生成这些单位（规范名或别名）；空为全部。
    pub units: Vec<String>,
    /// 是否生成 PDF（`--no-pdf` 时只出 XLSX，不加载字体）。
    pub pdf: bool,
    /// 是否给到期未报的单位附带催报通知（`--reminders`；默认不附，催报用 `duban remind`）。
    pub reminders: bool,
    /// 有错误诊断时也发布（`--force`）。默认有错误就不动输出目录。
    pub force: bool,
    /// 本进程的说明（进程号、命令），写进输出目录的锁，另一个 duban 撞锁时显示。
    pub holder: String,
    /// 测试钩子：第 N 次文件操作时中止进程（模拟崩溃），见 [`OutDir::abort_after`]。
    pub abort_after: Option<usize>,
}

impl BuildOptions {
    /// 全部单位、默认季度、出 PDF、有错误不发布。
    pub fn new(out: PathBuf, today: Date) -> Self {
        BuildOptions {
            out,
            today,
            quarter: None,
            units: Vec::new(),
            pdf: true,
            reminders: false,
            force: false,
            holder: format!("进程 {}", std::process::id()),
            abort_after: None,
        }
    }
}

/// 构建过程中的通知（进度条、字体报告由调用方显示；库里不打印）。
pub trait Observer: Sync {
    /// 字体已选定：每种角色实际用的字体。
    fn fonts(&self, _lines: &[String]) {}
    /// 开始渲染，共 `units` 个单位。
    fn rendering(&self, _units: usize) {}
    /// 一个单位渲染完毕（可能在任意线程调用）。
    fn unit_done(&self) {}
    /// 渲染全部完成。
    fn rendered(&self) {}
}

/// 什么都不显示（测试、基准）。
impl Observer for () {}

/// 各阶段用时。
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub plan: Duration,
    pub render: Duration,
    pub write: Duration,
}

/// 准备好的一次构建：计划已定，输出目录已锁定、上次中断的生成已恢复。
#[derive(Debug)]
pub struct Build<'p> {
    project: &'p Project,
    pub plan: BuildPlan,
    out: OutDir,
    scope: Scope,
    force: bool,
    /// 构建参数引起的诊断（如季度不在需报范围内），与项目诊断一并报告。
    pub diagnostics: Diagnostics,
    plan_time: Duration,
}

/// 构建结果。
#[derive(Debug, Default)]
pub struct BuildReport {
    /// 是否发布了新结果；有错误诊断而没有 `--force` 时为假，输出目录保持上次的结果。
    pub published: bool,
    pub units: usize,
    /// 写出的文件数（含索引）。
    pub files: usize,
    pub pages: usize,
    /// 删除的过期文件（相对路径）。
    pub removed: Vec<String>,
    /// 缺字等渲染警告（已带单位和文件名）。
    pub warnings: Vec<String>,
    pub timings: Timings,
}

impl<'p> Build<'p> {
    /// 定季度、解析 `--unit`、规划全部输出、检查输出目录。参数有误是 `Err`。
    pub fn prepare(project: &'p Project, opts: &BuildOptions) -> anyhow::Result<Build<'p>> {
        let t = Instant::now();
        let mut diagnostics = Diagnostics::new();
        let quarter = match opts.quarter {
            Some(q) => {
                if let Some(w) = quarter_warning(q, &project.schedule) {
                    diagnostics.push(w);
                }
                q
            }
            None => project
                .schedule
                .default_quarter(opts.today)
                .ok_or_else(|| anyhow!("无法确定季度，请用 --quarter 指定"))?,
        };
        let only = plan::select_units(&opts.units, &project.registry, &project.duties)?;
        let plan = plan::plan(
            project,
            &PlanOptions {
                today: opts.today,
                quarter,
                only: only.clone(),
                reminders: opts.reminders,
            },
        );
        let plan_time = t.elapsed();
        let mut out = OutDir::open(&opts.out, &opts.holder)?;
        if let Some(n) = opts.abort_after {
            out.abort_after(n);
        }
        Ok(Build {
            project,
            plan,
            out,
            scope: Scope {
                units: only.into_iter().collect(),
                pdf: opts.pdf,
                ..Scope::default()
            },
            force: opts.force,
            diagnostics,
            plan_time,
        })
    }

    /// 打开输出目录时对上次中断的生成做的恢复。
    pub fn recovery(&self) -> &Recovery {
        self.out.recovery()
    }

    /// 有错误诊断（项目或构建参数）而没有 `--force`：不渲染、不动输出目录。
    pub fn blocked(&self) -> bool {
        !self.force && (self.project.diagnostics.has_errors() || self.diagnostics.has_errors())
    }

    /// 加载字体、并行渲染（每个单位渲染完就写进暂存）、一次发布。
    pub fn run(self, obs: &dyn Observer) -> anyhow::Result<BuildReport> {
        let project = self.project;
        let mut report = BuildReport {
            units: self.plan.units.len(),
            ..BuildReport::default()
        };
        if self.blocked() {
            return Ok(report);
        }
        let t = Instant::now();
        let fonts = if self.scope.pdf {
            let (fonts, r) = FontSet::load(&project.config.fonts, &project.root)?;
            obs.fonts(&r.lines);
            Some(fonts)
        } else {
            None
        };
        let pdf = fonts.as_ref().map(|f| PdfOptions {
            fonts: f,
            pdfa: project.config.pdf.pdfa,
            page_numbers: true,
        });
        let tx = self.out.begin(&self.scope.source)?;
        obs.rendering(self.plan.units.len());
        let (pages, files, warnings) = self.render_into(&tx, pdf.as_ref(), obs)?;
        obs.rendered();
        let render_time = t.elapsed();

        let t = Instant::now();
        let written = tx.commit(&self.scope)?;
        report.published = true;
        report.files = files + 1;
        report.pages = pages;
        report.removed = written.removed;
        report.warnings = warnings;
        report.timings = Timings {
            plan: self.plan_time,
            render: render_time,
            write: t.elapsed(),
        };
        Ok(report)
    }

    /// 渲染总表和各单位，文件随渲染随写进暂存；返回（页数，文件数，按计划顺序的警告）。
    /// 生成全部单位且出 PDF 时，最后并成全区打印合订本。
    fn render_into(
        &self,
        tx: &Transaction<'_>,
        pdf: Option<&PdfOptions>,
        obs: &dyn Observer,
    ) -> anyhow::Result<(usize, usize, Vec<String>)> {
        let add = |r: &render::Rendered| -> anyhow::Result<(usize, usize, Vec<String>)> {
            for f in &r.files {
                tx.add(f)?;
            }
            let pages = r.files.iter().map(|f| f.pages).sum();
            Ok((pages, r.files.len(), r.warnings.clone()))
        };
        let (master, master_pages) = render::render_master_printed(self.project, &self.plan, pdf)?;
        let master = add(&master)?;
        // 每个单位渲染完就写出并丢掉字节与排版结果：内存不随单位数增长。全区合订本只要各份的页数，
        // 并本时再逐个单位重新排版（见 render::print）。警告按单位的计划顺序收集。
        let per_unit = Mutex::new(Vec::new());
        self.plan
            .units
            .par_iter()
            .enumerate()
            .try_for_each(|(i, up)| -> anyhow::Result<()> {
                let (r, printed) = render::render_unit_printed(self.project, &self.plan, up, pdf)?;
                let counts = add(&r)?;
                drop(r);
                per_unit.lock().unwrap().push((i, counts, printed));
                obs.unit_done();
                Ok(())
            })?;
        let mut per_unit = per_unit.into_inner().unwrap();
        per_unit.sort_by_key(|(i, _, _)| *i);
        let (mut pages, mut files, mut warnings) = master;
        let mut printed = Vec::with_capacity(per_unit.len());
        for (_, (p, f, w), docs) in per_unit {
            pages += p;
            files += f;
            warnings.extend(w);
            printed.push(docs);
        }
        if let (true, Some(opts), Some(master)) = (self.plan.district, pdf, master_pages) {
            let bundle = render::district_bundle(self.project, &self.plan, opts, master, &printed)?;
            pages += bundle.pages;
            files += 1;
            tx.add(&bundle)?;
        }
        Ok((pages, files, warnings))
    }
}
