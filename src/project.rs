//! 流水线第一步：加载配置 → 单位登记册 → 解析任务目录，收集全部诊断（待实现，见 issue 2）。

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::units::Registry;
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

/// 加载项目。文件读不到是 `Err`；内容问题进入 `diagnostics`。
pub fn load(config_path: &Path) -> anyhow::Result<Project> {
    let _ = config_path;
    anyhow::bail!("尚未实现")
}
