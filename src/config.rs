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
    pub status: StatusConfig,
    pub remind: RemindConfig,
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
    /// 固定的“今天”（落款日期、PDF 创建日期、报送状态），形如 "2023-02-08"。
    /// 命令行 `--today`/`--as-of` 或环境变量 `SOURCE_DATE_EPOCH` 优先；都没有时命令层取北京时间的当天，
    /// 库内从不读取系统时钟。
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
    /// 催办登记（`duban remind` 记下已编的督办编号，保证重跑不重新编号）。
    pub reminder_log: PathBuf,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            notice: "content/notice.txt".into(),
            units: "content/units.toml".into(),
            submissions: "content/submissions".into(),
            templates: "templates".into(),
            out: "out".into(),
            reminder_log: "content/催办登记.toml".into(),
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
}

impl Default for PdfConfig {
    fn default() -> Self {
        Self { pdfa: true }
    }
}

/// 默认的“即将到期”天数：截止日前 7 天内（含当天）未报的标黄并催报。
pub const DEFAULT_DUE_SOON_DAYS: i64 = 7;

/// `[status]`：报送状态（`duban status`、催报）的口径。
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatusConfig {
    /// 截止日前多少天内（含当天）未报的算“即将到期”（黄色），并进入催报通知。
    pub due_soon_days: i64,
    /// 示例报送数据（`sample = true`）是否当作真实报送：算进报送状态并填进表格。默认不算。
    pub count_samples: bool,
}

impl Default for StatusConfig {
    fn default() -> Self {
        Self {
            due_soon_days: DEFAULT_DUE_SOON_DAYS,
            count_samples: false,
        }
    }
}

/// `[remind]`：催报通知（`duban remind`）上的联系人、督办编号与补报期限。
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemindConfig {
    /// 联系人，如“王某某”（印在催报通知上；空则不印）。
    pub contact: String,
    /// 联系电话。
    pub phone: String,
    /// 督办编号的前缀：“督办”→“督办〔2023〕1号”。
    pub number_prefix: String,
    /// 已逾期事项的新截止日期 = 催报日期 + 这么多天。
    pub grace_days: i64,
}

impl Default for RemindConfig {
    fn default() -> Self {
        Self {
            contact: String::new(),
            phone: String::new(),
            number_prefix: "督办".into(),
            grace_days: 5,
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
        let config: Config = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| crate::diag::line_col(text, s.start).0)
                .unwrap_or(0);
            ConfigError::Parse {
                path: path.to_string(),
                line,
                message: crate::diag::toml_message(&e),
            }
        })?;
        config.check_ranges(text, path)?;
        Ok(config)
    }

    /// 天数类的键不能为负、也不能大得离谱（写错单位时早发现）。
    fn check_ranges(&self, text: &str, path: &str) -> Result<(), ConfigError> {
        let checks = [
            ("due_soon_days", self.status.due_soon_days, "[status]"),
            ("grace_days", self.remind.grace_days, "[remind]"),
        ];
        for (key, value, section) in checks {
            if !(0..=366).contains(&value) {
                // 键所在的行：找不到（理论上不会）时报 0，即整个文件。
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with(key))
                    .map_or(0, |i| i + 1);
                return Err(ConfigError::Parse {
                    path: path.to_string(),
                    line,
                    message: format!("{section} {key} = {value} 不在 0–366 天之内"),
                });
            }
        }
        Ok(())
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
    fn status_and_remind_defaults_and_ranges() {
        let c = Config::parse("", "duban.toml").unwrap();
        assert_eq!(c.status.due_soon_days, 7);
        assert!(!c.status.count_samples);
        assert_eq!(c.remind.number_prefix, "督办");
        assert_eq!(c.paths.reminder_log, Path::new("content/催办登记.toml"));
        let c = Config::parse(
            "[status]\ndue_soon_days = 3\ncount_samples = true\n[remind]\ncontact = \"王某\"\n",
            "duban.toml",
        )
        .unwrap();
        assert_eq!((c.status.due_soon_days, c.status.count_samples), (3, true));
        assert_eq!(c.remind.contact, "王某");
        let e = Config::parse("[remind]\n\ngrace_days = -1\n", "duban.toml").unwrap_err();
        assert!(
            matches!(&e, ConfigError::Parse { line: 3, message, .. } if message.contains("grace_days = -1")),
            "{e}"
        );
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
