//! 流水线第一步：加载项目。配置 → 单位登记册 → 任务目录 → 报送数据 → 分工 → 期限 → 模板，
//! 收集全部诊断。每个命令都经 [`Project::load`] 加载，不各写一遍。

use crate::catalogue::Catalogue;
use crate::config::{root_of, Config};
use crate::diag::Diagnostics;
use crate::duties::{self, Duties};
use crate::registry::Registry;
use crate::schedule::Schedule;
use crate::submissions::{self, Submissions};
use crate::templates::Templates;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// 加载选项。默认：配置文件必须存在，读配置中的通知与报送数据。
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// 用这份通知代替配置中的 `paths.notice`（`duban catalogue --notice`）。
    /// 此时不读报送数据：它们对应的是配置中的那份通知。
    pub notice: Option<PathBuf>,
    /// 没有配置文件时全部取默认值（在项目目录外运行 `duban catalogue --notice`），而不是报错。
    pub config_optional: bool,
}

/// 已加载的项目：后续各步（规划、渲染、状态、报告）只读它。
#[derive(Debug)]
pub struct Project {
    /// `duban.toml` 所在目录，配置中的相对路径以它为基准。
    pub root: PathBuf,
    pub config: Config,
    pub registry: Registry,
    pub catalogue: Catalogue,
    /// 各单位已报送的数据。
    pub submissions: Submissions,
    /// 每个单位的分工（角色、要报的季报任务）。
    pub duties: Duties,
    /// 换算后的期限表。
    pub schedule: Schedule,
    /// 内置模板与 `templates/` 中的覆盖。
    pub templates: Templates,
    /// 加载过程中的全部诊断（登记册、通知、报送数据、分工）。
    pub diagnostics: Diagnostics,
}

/// 诊断里显示的路径：相对配置目录的写法，便于阅读。
fn shown(root: &Path, rel: &Path) -> String {
    if rel.is_absolute() || root == Path::new(".") {
        rel.display().to_string()
    } else {
        root.join(rel).display().to_string()
    }
}

/// 读取并检查单位登记册。读不到文件是 `Err`，内容问题进入诊断。
fn load_registry(path: &Path, shown: &str) -> anyhow::Result<(Registry, Diagnostics)> {
    let text = crate::textfile::read(path)
        .with_context(|| format!("无法读取单位登记册 {}", path.display()))?;
    Ok(Registry::parse(&text, shown))
}

/// 读取并解析通知。
fn load_catalogue(
    path: &Path,
    shown: &str,
    registry: &Registry,
) -> anyhow::Result<(Catalogue, Diagnostics)> {
    let text = crate::textfile::read(path)
        .with_context(|| format!("无法读取通知文本 {}（须为 UTF-8 纯文本）", path.display()))?;
    Ok(crate::catalogue::parse(&text, shown, registry))
}

impl Project {
    /// 按默认选项加载项目。文件读不到、配置或期限写错是 `Err`；内容问题进入 `diagnostics`。
    pub fn load(config_path: &Path) -> anyhow::Result<Project> {
        Self::load_with(config_path, &LoadOptions::default())
    }

    /// 按选项加载项目。
    pub fn load_with(config_path: &Path, opts: &LoadOptions) -> anyhow::Result<Project> {
        let (config, root) = if opts.config_optional {
            Config::load_or_default(config_path)
        } else {
            Config::load(config_path).map(|c| (c, root_of(config_path)))
        }
        .with_context(|| format!("加载配置文件 {} 失败", config_path.display()))?;
        let mut diagnostics = Diagnostics::new();
        let units_path = root.join(&config.paths.units);
        let (registry, d) = load_registry(&units_path, &shown(&root, &config.paths.units))?;
        diagnostics.extend(d);
        let (catalogue, submissions) = match &opts.notice {
            Some(notice) => {
                let (cat, d) = load_catalogue(notice, &notice.display().to_string(), &registry)?;
                diagnostics.extend(d);
                (cat, Submissions::default())
            }
            None => {
                let notice = root.join(&config.paths.notice);
                let (cat, d) =
                    load_catalogue(&notice, &shown(&root, &config.paths.notice), &registry)?;
                diagnostics.extend(d);
                let dir = root.join(&config.paths.submissions);
                let (mut subs, d) = submissions::load_dir(&dir, &registry, &cat)?;
                diagnostics.extend(d);
                // 报回件库（duban ingest）：现用的各份并入，手工录入的优先。
                let rec_dir = root.join(&config.paths.received);
                let rec_shown = shown(&root, &config.paths.received);
                if let Some((rec, d)) =
                    submissions::load_received(&rec_dir, &rec_shown, &registry, &cat)?
                {
                    diagnostics.extend(d);
                    submissions::merge_received(&mut subs, rec, &mut diagnostics);
                }
                (cat, subs)
            }
        };
        let templates = Templates::load(Some(&root.join(&config.paths.templates)))?;
        Self::assemble(
            root,
            config,
            registry,
            catalogue,
            submissions,
            templates,
            diagnostics,
        )
    }

    /// 由已读入的各部分组成项目：推出分工、换算期限（测试、基准和以后的调用方不经文件也能用）。
    pub fn assemble(
        root: PathBuf,
        config: Config,
        registry: Registry,
        catalogue: Catalogue,
        submissions: Submissions,
        templates: Templates,
        mut diagnostics: Diagnostics,
    ) -> anyhow::Result<Project> {
        let schedule =
            Schedule::from_config(&config.deadlines).context("duban.toml [deadlines] 有误")?;
        let (duties, d) = duties::assign(&catalogue, &registry);
        diagnostics.extend(d);
        Ok(Project {
            root,
            config,
            registry,
            catalogue,
            submissions,
            duties,
            schedule,
            templates,
            diagnostics,
        })
    }

    /// 配置中的相对路径 → 以项目根为基准的路径。
    pub fn path(&self, p: &Path) -> PathBuf {
        self.root.join(p)
    }
}

/// 单元测试用：由手工构造的目录、登记册和报送数据组成项目（默认配置、内置模板）。
#[cfg(test)]
pub(crate) fn test_project(
    catalogue: Catalogue,
    registry: Registry,
    submissions: Submissions,
) -> Project {
    Project::assemble(
        PathBuf::from("."),
        Config::default(),
        registry,
        catalogue,
        submissions,
        Templates::load(None).unwrap(),
        Diagnostics::new(),
    )
    .unwrap()
}
