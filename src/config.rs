//! `duban.toml`：项目配置（路径、发文信息、报送期限、字体、PDF 选项）。

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

// `[fonts]` 一节：字体选择归排版引擎所有，这里原样沿用（格式、默认值、serde 行为不变）。
pub use crate::typeset::{FaceChoice, FontsConfig};

/// 配置文件默认名。
pub const CONFIG_FILE: &str = "duban.toml";

/// 整个 `duban.toml`。
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub project: ProjectInfo,
    pub paths: Paths,
    pub deadlines: Deadlines,
    pub fonts: FontsConfig,
    pub pdf: PdfConfig,
}

/// 发文信息。
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectInfo {
    /// 文件标题，用于 PDF 元数据和总表标题。
    pub title: String,
    /// 发文机关（督办通知落款、PDF 作者）。
    pub issuer: String,
    /// 年度。
    pub year: i32,
    /// 生成日期（落款日期、PDF 创建日期），形如 "2023-02-08"。
    /// 命令行 `--today` 或环境变量 `SOURCE_DATE_EPOCH` 优先；库内从不读取系统时钟。
    pub today: Option<String>,
}

impl Default for ProjectInfo {
    fn default() -> Self {
        Self {
            title: "区《政府工作报告》主要目标任务责任分解方案".into(),
            issuer: "区人民政府办公室".into(),
            year: 2023,
            today: None,
        }
    }
}

/// 输入输出路径，相对 `duban.toml` 所在目录。
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    pub notice: PathBuf,
    pub units: PathBuf,
    pub submissions: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            notice: "content/notice.txt".into(),
            units: "content/units.toml".into(),
            submissions: "content/submissions".into(),
            templates: "templates".into(),
            out: "out".into(),
        }
    }
}

/// 通知正文规定的报送期限（日期均为 "YYYY-MM-DD"）。
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deadlines {
    /// 牵头单位将办理方案报送总牵头单位的截止日（通知第二条）。
    pub plan_to_overall_lead: String,
    /// 总牵头单位将总体办理方案报送区政府办公室的截止日（通知第二条）。
    pub overall_plan_to_office: String,
    /// 从哪个季度起报送完成情况，如 "2023Q2"（通知第三条）。
    pub quarterly_from: String,
    /// 季度 Q 的完成情况在 Q+1 季度第 1 个月的该日前报送。
    pub quarterly_day: u32,
    /// 接收材料的邮箱。
    pub office_email: String,
    /// 接收材料的机关。
    pub office: String,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            plan_to_overall_lead: "2023-02-15".into(),
            overall_plan_to_office: "2023-02-23".into(),
            quarterly_from: "2023Q2".into(),
            quarterly_day: 20,
            office_email: "zfducha@163.com".into(),
            office: "区人民政府办公室".into(),
        }
    }
}

/// PDF 输出选项。
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PdfConfig {
    /// 生成 PDF/A-2b 存档格式。
    pub pdfa: bool,
    /// 打印合订本按双面打印排：每份材料从奇数页开始（前一份页数为奇数时补一张空白页）。
    pub duplex: bool,
}

impl Default for PdfConfig {
    fn default() -> Self {
        Self {
            pdfa: true,
            duplex: true,
        }
    }
}

/// 配置文件所在目录：配置中的相对路径都以它为基准（配置路径没有目录部分时为当前目录）。
/// 全项目只在这里决定“项目根”。
pub fn root_of(config_path: &Path) -> PathBuf {
    match config_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// 读取配置时的错误。
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件：{0}")]
    Read(#[from] crate::textfile::ReadError),
    #[error("配置文件 {path} 第 {line} 行有误：{message}\n  提示：对照 README 中 duban.toml 的说明检查该项")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
}

impl Config {
    /// 从文件读取配置；文件读不到或不是 UTF-8 时返回 `Read` 错误。
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::textfile::read(path)?;
        Self::parse(&text, &path.display().to_string())
    }

    /// 有配置文件就读，没有就全部取默认值；同时返回相对路径的基准目录（见 [`root_of`]）。
    /// 供不一定在项目目录里运行的命令（render、templates、catalogue）使用。
    pub fn load_or_default(path: &Path) -> Result<(Config, PathBuf), ConfigError> {
        let root = root_of(path);
        if path.is_file() {
            Ok((Self::load(path)?, root))
        } else {
            Ok((Config::default(), root))
        }
    }

    /// 从文本解析配置，`path` 仅用于报错。
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| crate::diag::line_col(text, s.start).0)
                .unwrap_or(0);
            ConfigError::Parse {
                path: path.to_string(),
                line,
                message: crate::diag::toml_message(&e),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_notice() {
        let c = Config::parse("", "duban.toml").unwrap();
        assert_eq!(c.deadlines.plan_to_overall_lead, "2023-02-15");
        assert_eq!(c.deadlines.overall_plan_to_office, "2023-02-23");
        assert_eq!(c.deadlines.quarterly_day, 20);
        assert!(c.pdf.pdfa);
    }

    #[test]
    fn unknown_key_reports_line() {
        let err =
            Config::parse("[project]\nyear = 2023\ntitel = \"x\"\n", "duban.toml").unwrap_err();
        match err {
            ConfigError::Parse { line, .. } => assert_eq!(line, 3),
            other => panic!("{other}"),
        }
    }
}
