//! 流水线第一步：加载配置 → 单位登记册 → 解析任务目录，收集全部诊断。

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::registry::Registry;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// 已加载的项目：后续各步只读它。
#[derive(Debug, Clone)]
pub struct Project {
    /// `duban.toml` 所在目录，配置中的相对路径以它为基准。
    pub root: PathBuf,
    pub config: Config,
    pub registry: Registry,
    pub catalogue: Catalogue,
    /// 加载过程中的全部诊断（不含报送数据，见 `submissions`）。
    pub diagnostics: Diagnostics,
}

impl Project {
    /// 配置中的相对路径 → 绝对路径。
    pub fn path(&self, p: &Path) -> PathBuf {
        self.root.join(p)
    }
}

/// 配置文件所在目录（配置路径没有目录部分时为当前目录）。
fn root_of(config_path: &Path) -> PathBuf {
    match config_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
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
pub fn load_registry(path: &Path, shown: &str) -> anyhow::Result<(Registry, Diagnostics)> {
    let text = crate::textfile::read(path)
        .with_context(|| format!("无法读取单位登记册 {}", path.display()))?;
    Ok(Registry::parse(&text, shown))
}

/// 读取并解析通知。
pub fn load_catalogue(
    path: &Path,
    shown: &str,
    registry: &Registry,
) -> anyhow::Result<(Catalogue, Diagnostics)> {
    let text = crate::textfile::read(path)
        .with_context(|| format!("无法读取通知文本 {}（须为 UTF-8 纯文本）", path.display()))?;
    Ok(crate::catalogue::parse(&text, shown, registry))
}

/// 加载项目。文件读不到是 `Err`；内容问题进入 `diagnostics`。
pub fn load(config_path: &Path) -> anyhow::Result<Project> {
    let config = Config::load(config_path)
        .with_context(|| format!("加载配置文件 {} 失败", config_path.display()))?;
    let root = root_of(config_path);
    let mut diagnostics = Diagnostics::new();
    let units_path = root.join(&config.paths.units);
    let (registry, d) = load_registry(&units_path, &shown(&root, &config.paths.units))?;
    diagnostics.extend(d);
    let notice_path = root.join(&config.paths.notice);
    let (catalogue, d) =
        load_catalogue(&notice_path, &shown(&root, &config.paths.notice), &registry)?;
    diagnostics.extend(d);
    Ok(Project {
        root,
        config,
        registry,
        catalogue,
        diagnostics,
    })
}
