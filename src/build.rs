//! 整次构建：已加载的项目 → 规划 → 渲染 → 写文件。
//!
//! 与 mdBook 的 `MDBook::load` + `build` 同一形状：[`Build::prepare`] 做完所有可能因参数出错的事
//! （季度、`--unit`、输出目录），[`Build::run`] 再加载字体、并行渲染、统一写文件。
//! `duban build` 只解析参数、调用这两步、打印结果。

use crate::date::{Date, Quarter};
use crate::diag::Diagnostics;
use crate::output::{self, Scope};
use crate::plan::{self, BuildPlan, PlanOptions};
use crate::project::Project;
use crate::render;
use crate::schedule::quarter_warning;
use crate::typeset::{FontSet, PdfOptions};
use anyhow::anyhow;
use std::path::PathBuf;
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

/// 准备好的一次构建：计划已定，输出目录可写。
#[derive(Debug)]
pub struct Build<'p> {
    project: &'p Project,
    pub plan: BuildPlan,
    pub out: PathBuf,
    scope: Scope,
    /// 构建参数引起的诊断（如季度不在需报范围内），与项目诊断一并报告。
    pub diagnostics: Diagnostics,
    plan_time: Duration,
}

/// 构建结果。
#[derive(Debug, Default)]
pub struct BuildReport {
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
        // 先检查输出目录，免得渲染完才发现不能写。
        output::prepare_out_dir(&opts.out)?;
        Ok(Build {
            project,
            plan,
            out: opts.out.clone(),
            scope: Scope {
                units: only.into_iter().collect(),
                pdf: opts.pdf,
            },
            diagnostics,
            plan_time,
        })
    }

    /// 加载字体、并行渲染、写文件。
    pub fn run(self, obs: &dyn Observer) -> anyhow::Result<BuildReport> {
        let project = self.project;
        let t = Instant::now();
        let fonts = if self.scope.pdf {
            let (fonts, report) = FontSet::load(&project.config.fonts, &project.root)?;
            obs.fonts(&report.lines);
            Some(fonts)
        } else {
            None
        };
        let pdf = fonts.as_ref().map(|f| PdfOptions {
            fonts: f,
            pdfa: project.config.pdf.pdfa,
            page_numbers: true,
        });
        obs.rendering(self.plan.units.len());
        let rendered = render::render_all(project, &self.plan, pdf.as_ref(), &|| obs.unit_done())?;
        obs.rendered();
        let render_time = t.elapsed();

        let t = Instant::now();
        let written = output::write_all(&self.out, &rendered, &self.scope)?;
        Ok(BuildReport {
            units: self.plan.units.len(),
            files: rendered.files.len() + 1,
            pages: rendered.files.iter().map(|f| f.pages).sum(),
            removed: written.removed,
            warnings: rendered.warnings,
            timings: Timings {
                plan: self.plan_time,
                render: render_time,
                write: t.elapsed(),
            },
        })
    }
}
