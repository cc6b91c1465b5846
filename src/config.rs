//! `duban.toml`：项目配置（路径、发文信息、报送期限、字体、PDF 选项）。

use crate::diag::{Diagnostic, Diagnostics, Fatal, Severity};
use crate::textfile::ReadError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod validate;
pub use validate::{check_date, check_font_file, YEARS};

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
    /// 报回件库：`duban ingest` 保存原件、登记簿和整理后的数据的地方。
    pub received: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
    /// 催办登记（`duban remind` 记下已编的督办编号，保证重跑不重新编号）。
    pub reminder_log: PathBuf,
    /// 季度归档包（`duban archive`）默认放的目录。
    pub archive: PathBuf,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            notice: "content/notice.txt".into(),
            units: "content/units.toml".into(),
            submissions: "content/submissions".into(),
            received: "content/received".into(),
            templates: "templates".into(),
            out: "out".into(),
            reminder_log: "content/催办登记.toml".into(),
            archive: "归档".into(),
        }
    }
}

/// 通知正文规定的报送期限（日期均为 "YYYY-MM-DD"）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// 配置中的路径 `rel` 以项目根 `root` 为基准的写法：项目根是当前目录时原样返回，
/// 报错里显示的便是用户在 duban.toml 里写的路径（不带 “./”）。
pub fn resolve(root: &Path, rel: &Path) -> PathBuf {
    if root == Path::new(".") {
        rel.to_path_buf()
    } else {
        root.join(rel)
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

/// `duban.toml` 的原文与显示路径：配置值的诊断据此定位到行、列。
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    /// 显示用的路径（按用户给出的写法）。
    pub shown: String,
    text: String,
}

impl ConfigSource {
    pub fn new(shown: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            shown: shown.into(),
            text: text.into(),
        }
    }

    /// `[节] 键` 的值在文件中的行、列（如 `["deadlines", "quarterly_day"]`）；没写这个键时为 `None`。
    pub fn locate(&self, path: &[&str]) -> Option<(usize, usize)> {
        let (table, _) = toml::de::DeTable::parse_recoverable(&self.text);
        let (last, parents) = path.split_last()?;
        let mut cur = table.get_ref();
        for k in parents {
            cur = cur.get(*k)?.get_ref().as_table()?;
        }
        let v = cur.get(*last)?;
        Some(crate::diag::line_col(&self.text, v.span().start))
    }

    /// 某个配置值的诊断：写了这个键就定位到它的行列，否则指向整个文件。
    pub fn diagnostic(
        &self,
        severity: Severity,
        path: &[&str],
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = self.locate(path).unwrap_or((0, 0));
        let d = match severity {
            Severity::Error => Diagnostic::error(&self.shown, line, col, message),
            Severity::Warning => Diagnostic::warning(&self.shown, line, col, message),
        };
        d.with_hint(hint)
    }

    /// “（duban.toml:8 的 [paths] units 指定）”：说明某个路径是在配置的哪一行写的；没写时为空。
    pub fn written_at(&self, path: &[&str]) -> String {
        match self.locate(path) {
            Some((line, _)) => format!("（由 {}:{line} 的 {} 指定）", self.shown, key_name(path)),
            None => String::new(),
        }
    }
}

/// 键的写法：`["deadlines", "quarterly_day"]` → “[deadlines] quarterly_day”。
pub fn key_name(path: &[&str]) -> String {
    match path.split_last() {
        Some((k, [])) => k.to_string(),
        Some((k, sections)) => format!("[{}] {k}", sections.join(".")),
        None => String::new(),
    }
}

/// 读取配置的结果。
#[derive(Debug)]
pub struct Loaded {
    /// 配置；格式或取值有误的键已换成默认值。
    pub config: Config,
    /// 相对路径的基准目录（见 [`root_of`]）。
    pub root: PathBuf,
    pub source: ConfigSource,
    /// 格式与取值的全部问题（每条都定位到 duban.toml 的行、列）。
    pub diagnostics: Diagnostics,
}

impl Config {
    /// 读取并检查配置。文件读不出（或不存在而 `optional` 为假）是 `Err`；格式与取值的问题进诊断，
    /// 出错的键按默认值继续，好让 `check` 一次报告全部问题。`optional`：文件不存在时全部取默认值。
    pub fn read(path: &Path, optional: bool) -> Result<Loaded, Fatal> {
        let root = root_of(path);
        let shown = path.display().to_string();
        if optional && !path.exists() {
            return Ok(Loaded {
                config: Config::default(),
                root,
                source: ConfigSource::new(shown, ""),
                diagnostics: Diagnostics::new(),
            });
        }
        let text = crate::textfile::read(path).map_err(|e| {
            let d = e.diagnostic("配置文件");
            match e {
                ReadError::Io { err, .. } if err.kind() == std::io::ErrorKind::NotFound => {
                    d.with_hint("在 duban.toml 所在的文件夹中运行，或用 -c 指定配置文件的路径")
                }
                _ => d,
            }
        })?;
        let (mut config, mut diagnostics) = Self::parse(&text, &shown);
        let source = ConfigSource::new(shown, text);
        diagnostics.extend(config.validate(&source, &root));
        Ok(Loaded {
            config,
            root,
            source,
            diagnostics,
        })
    }

    /// 严格读取（`render`、`templates` 命令用）：有任何错误都是 `Err`，带全部诊断；没有文件时取默认值。
    /// 同时返回相对路径的基准目录。
    pub fn load_or_default(path: &Path) -> Result<(Config, PathBuf), Fatal> {
        let l = Self::read(path, true)?;
        if l.diagnostics.has_errors() {
            return Err(Fatal(l.diagnostics));
        }
        Ok((l.config, l.root))
    }

    /// 从文本宽松解析（不检查取值）：语法错误、未知的键、类型不对都记为诊断（文件 `shown`、行、列），
    /// 出错的键去掉后按默认值继续解析。
    pub fn parse(text: &str, shown: &str) -> (Config, Diagnostics) {
        let mut diags = Diagnostics::new();
        let located = |e: &toml::de::Error| {
            let (line, col) = e
                .span()
                .map(|s| crate::diag::line_col(text, s.start))
                .unwrap_or((0, 0));
            Diagnostic::error(shown, line, col, crate::diag::toml_message_in(e, text))
                .with_hint("对照 README 中 duban.toml 的说明改正该项；其余各项照常检查")
        };
        let (mut table, errors) = toml::de::DeTable::parse_recoverable(text);
        for e in &errors {
            diags.push(located(e));
        }
        // 每轮去掉一个出错的键；键的个数有限，轮数也就有限。
        for _ in 0..=text.len() {
            let de = toml::de::Deserializer::from(table.clone());
            match Config::deserialize(de) {
                Ok(c) => return (c, diags),
                Err(e) => {
                    diags.push(located(&e));
                    let removed = e
                        .span()
                        .is_some_and(|s| remove_at(table.get_mut(), s.start));
                    if !removed {
                        break;
                    }
                }
            }
        }
        (Config::default(), diags)
    }
}

/// 去掉包含字节位置 `pos` 的最内层的键（连同它的值）；找到并去掉时为真。
fn remove_at(t: &mut toml::de::DeTable<'_>, pos: usize) -> bool {
    let mut hit = None;
    for (k, v) in t.iter_mut() {
        let inside = k.span().contains(&pos) || v.span().contains(&pos);
        if let toml::de::DeValue::Table(inner) = v.get_mut() {
            if remove_at(inner, pos) {
                return true;
            }
        }
        if inside {
            hit = Some(k.get_ref().to_string());
            break;
        }
    }
    hit.is_some_and(|k| t.remove(k.as_str()).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_remind_defaults_and_ranges() {
        let (c, d) = Config::parse("", "duban.toml");
        assert!(d.is_empty());
        assert_eq!(c.status.due_soon_days, 7);
        assert!(!c.status.count_samples);
        assert_eq!(c.remind.number_prefix, "督办");
        assert_eq!(c.paths.reminder_log, Path::new("content/催办登记.toml"));
        let (c, d) = Config::parse(
            "[status]\ndue_soon_days = 3\ncount_samples = true\n[remind]\ncontact = \"王某\"\n",
            "duban.toml",
        );
        assert!(d.is_empty());
        assert_eq!((c.status.due_soon_days, c.status.count_samples), (3, true));
        assert_eq!(c.remind.contact, "王某");
        let text = "[remind]\n\ngrace_days = -1\n";
        let (mut c, _) = Config::parse(text, "duban.toml");
        let src = ConfigSource::new("duban.toml", text);
        let d = c.validate(&src, Path::new("."));
        let e = d.sorted();
        assert_eq!((e.len(), e[0].line), (1, 3), "{e:?}");
        assert!(e[0].message.contains("grace_days = -1"), "{}", e[0]);
        assert_eq!(c.remind.grace_days, 5, "有误时按默认值");
    }

    #[test]
    fn defaults_match_notice() {
        let (c, d) = Config::parse("", "duban.toml");
        assert!(d.is_empty());
        assert_eq!(c.deadlines.plan_to_overall_lead, "2023-02-15");
        assert_eq!(c.deadlines.overall_plan_to_office, "2023-02-23");
        assert_eq!(c.deadlines.quarterly_day, 20);
        assert!(c.pdf.pdfa);
    }

    /// 未知的键、类型不对、语法错误各报一条（行、列），出错的键按默认值，其余的键照常读入。
    #[test]
    fn every_bad_key_reported_and_rest_kept() {
        let text = "[project]\nyear = 2023\ntitel = \"x\"\nissuer = \"某办\"\n[deadlines]\nquarterly_day = -1\nquarterly_from = \"2023Q3\"\noffice = 3.5\n";
        let (c, d) = Config::parse(text, "duban.toml");
        let at: Vec<(usize, usize)> = d.sorted().iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(3, 1), (6, 17), (8, 10)], "{:?}", d.sorted());
        let msgs: Vec<&str> = d.sorted().iter().map(|d| d.message.as_str()).collect();
        assert!(msgs[0].starts_with("未知的字段“titel”"), "{msgs:?}");
        assert!(
            msgs[1].contains("写的是 整数 -1，应为 不小于 0 的整数"),
            "{msgs:?}"
        );
        assert!(
            msgs[2].contains("写的是 小数 3.5，应为 文字（加引号）"),
            "{msgs:?}"
        );
        assert_eq!(c.project.issuer, "某办");
        assert_eq!(c.deadlines.quarterly_day, 20);
        assert_eq!(c.deadlines.quarterly_from, "2023Q3");
        let (_, d) = Config::parse("[project]\ntoday = \"2023-02-08\n", "duban.toml");
        assert_eq!(d.sorted()[0].line, 2, "{:?}", d.sorted());
        assert!(d.sorted()[0].message.contains("双引号"), "{:?}", d.sorted());
    }

    #[test]
    fn keys_are_located() {
        let src = ConfigSource::new(
            "duban.toml",
            "[deadlines]\nquarterly_day = 40\n[fonts]\ntitle = { file = \"a.ttf\" }\n",
        );
        assert_eq!(src.locate(&["deadlines", "quarterly_day"]), Some((2, 17)));
        assert_eq!(src.locate(&["fonts", "title", "file"]), Some((4, 18)));
        assert_eq!(src.locate(&["project", "today"]), None);
        assert_eq!(
            src.written_at(&["deadlines", "quarterly_day"]),
            "（由 duban.toml:2 的 [deadlines] quarterly_day 指定）"
        );
    }
}
