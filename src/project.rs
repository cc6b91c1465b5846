//! 流水线第一步：加载项目。配置 → 模板 → 单位登记册 → 任务目录 → 报送数据 → 分工 → 期限，
//! 收集全部诊断。每个命令都经 [`Project::load`] 加载，不各写一遍。

use crate::catalogue::Catalogue;
use crate::config::{Config, ConfigSource, Deadlines, Loaded};
use crate::diag::{Diagnostic, Diagnostics, Fatal, Severity};
use crate::duties::{self, Duties};
use crate::registry::Registry;
use crate::schedule::Schedule;
use crate::submissions::{self, Submissions};
use crate::templates::Templates;
use std::path::{Path, PathBuf};

/// 加载选项。默认：配置文件必须存在，读配置中的通知与报送数据。
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// 用这份通知代替配置中的 `paths.notice`（`duban catalogue --notice`）。
    /// 此时不读报送数据：它们对应的是配置中的那份通知。
    pub notice: Option<PathBuf>,
    /// 没有配置文件时全部取默认值（在项目目录外运行 `duban catalogue --notice`），而不是报错。
    pub config_optional: bool,
    /// 没有单位登记册文件时用空登记册（`duban units --init` 为新通知起草登记册），而不是报错。
    pub registry_optional: bool,
}

/// 加载停在单位登记册的内容错误上（错误本身在其下的 [`Fatal`] 里）：`check` 据此报告后以 1 退出，
/// 而读不了文件仍以 2 退出。
#[derive(Debug, Clone, Copy)]
pub struct RegistryErrors;

impl std::fmt::Display for RegistryErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "单位登记册有错误")
    }
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
    /// 加载过程中的全部诊断（配置、模板、登记册、通知、报送数据、分工）。
    pub diagnostics: Diagnostics,
    /// 其中配置类错误的条数（duban.toml 的格式与取值、字体文件、模板、报送文件夹）：这些值已换成
    /// 默认值以便继续检查，照此生成的材料会是错的，所以 `build` 见到它们就不生成。
    pub config_errors: usize,
}

/// 诊断里显示的路径：相对配置目录的写法，便于阅读。
fn shown(root: &Path, rel: &Path) -> String {
    if rel.is_absolute() || root == Path::new(".") {
        rel.display().to_string()
    } else {
        root.join(rel).display().to_string()
    }
}

/// 读取一个必需的文本文件（登记册、通知）。读不出是致命错误：报告时连同此前收集到的诊断，
/// 并说明路径是在哪里指定的（`origin`，如“（由 duban.toml:8 的 [paths] units 指定）”）。
fn read_required(
    path: &Path,
    shown: &str,
    what: &str,
    origin: String,
    earlier: &Diagnostics,
) -> Result<String, Fatal> {
    crate::textfile::read(path).map_err(|e| {
        let mut d = e.diagnostic(what);
        d.file = shown.to_string();
        d.message.push_str(&origin);
        Fatal::new(earlier.clone(), d)
    })
}

/// 读取通知（纯文本、.docx 或存下来的网页，见 `catalogue::input`），返回逐行文字和转换说明。
/// 读不了是致命错误，连同此前的诊断一起报告。
fn read_notice(
    path: &Path,
    shown: &str,
    origin: String,
    earlier: &Diagnostics,
) -> Result<(String, Diagnostics), Fatal> {
    let notice = crate::catalogue::input::read_notice(path).map_err(|e| {
        let mut d = e.diagnostic();
        d.file = shown.to_string();
        d.message.push_str(&origin);
        Fatal::new(earlier.clone(), d)
    })?;
    let notes = notice.diagnostics(shown);
    Ok((notice.text, notes))
}

/// 报送数据文件夹：不存在是警告（还没有单位报送时很正常），是文件而不是文件夹是错误；
/// 这两种情况都不读报送数据。duban.toml 里写了 `[paths] submissions` 时定位到那一行，
/// 否则指向默认的文件夹。
fn submissions_dir_problem(dir: &Path, shown: &str, src: &ConfigSource) -> Option<Diagnostic> {
    let key = ["paths", "submissions"];
    let (severity, what, hint) = if !dir.exists() {
        (
            Severity::Warning,
            "不存在，本次按没有任何单位报送处理",
            "各单位报回材料后，在这个文件夹中按 content/submissions/README.md 的格式每单位每张表写一个 .toml；放在别处时改 duban.toml 的 [paths] submissions",
        )
    } else if !dir.is_dir() {
        (
            Severity::Error,
            "是一个文件，不是文件夹，没有读取任何报送",
            "把 duban.toml 的 [paths] submissions 改成存放报送 .toml 的文件夹",
        )
    } else {
        return None;
    };
    Some(match src.locate(&key) {
        Some(_) => src.diagnostic(
            severity,
            &key,
            format!("[paths] submissions 指定的报送数据文件夹“{shown}”{what}"),
            hint,
        ),
        None => {
            let d = match severity {
                Severity::Error => Diagnostic::error(shown, 0, 0, format!("报送数据文件夹{what}")),
                Severity::Warning => {
                    Diagnostic::warning(shown, 0, 0, format!("报送数据文件夹{what}"))
                }
            };
            d.with_hint(hint)
        }
    })
}

/// 加载途中的状态：配置（与其来源，用于定位诊断）、配置类诊断与内容诊断。
struct Loader<'a> {
    root: &'a Path,
    config: &'a Config,
    source: &'a ConfigSource,
    /// 配置、模板、报送文件夹这类“配置”问题（`build` 见到错误就不生成）。
    diagnostics: Diagnostics,
    /// 登记册、通知、报送数据的内容问题。
    content: Diagnostics,
}

impl Loader<'_> {
    /// 单位登记册。有错就停：带着残缺的登记册解析通知只会得出一堆假的“未登记单位”；
    /// 登记册的错误排在最前（此前只有配置的诊断）。
    fn registry(&mut self, optional: bool) -> anyhow::Result<Registry> {
        let rel = &self.config.paths.units;
        let (path, units_shown) = (self.root.join(rel), shown(self.root, rel));
        let (registry, d) = if optional && !path.exists() {
            (Registry::default(), Diagnostics::new())
        } else {
            let origin = self.source.written_at(&["paths", "units"]);
            let text = read_required(&path, &units_shown, "单位登记册", origin, &self.diagnostics)?;
            Registry::parse(&text, &units_shown)
        };
        if d.has_errors() {
            let mut all = self.diagnostics.clone();
            all.extend(d);
            return Err(anyhow::Error::new(Fatal(all)).context(RegistryErrors));
        }
        self.content.extend(d);
        Ok(registry)
    }

    /// 读入并解析通知。
    fn catalogue(
        &mut self,
        path: &Path,
        shown: &str,
        origin: String,
        registry: &Registry,
    ) -> anyhow::Result<Catalogue> {
        let (text, notes) = read_notice(path, shown, origin, &self.diagnostics)?;
        let (cat, d) = crate::catalogue::parse(&text, shown, registry);
        self.content.extend(d);
        self.content.extend(notes);
        Ok(cat)
    }

    /// 手工录入的报送数据，并入报回件库（`duban ingest`）中各表现用的一份（手工录入优先）。
    fn submissions(&mut self, registry: &Registry, cat: &Catalogue) -> anyhow::Result<Submissions> {
        let paths = &self.config.paths;
        let dir = crate::config::resolve(self.root, &paths.submissions);
        let dir_shown = shown(self.root, &paths.submissions);
        let mut subs = match submissions_dir_problem(&dir, &dir_shown, self.source) {
            Some(problem) => {
                self.diagnostics.push(problem);
                Submissions::default()
            }
            None => {
                let (subs, d) = submissions::load_dir(&dir, registry, cat)?;
                self.content.extend(d);
                subs
            }
        };
        let rec_dir = crate::config::resolve(self.root, &paths.received);
        let rec_shown = shown(self.root, &paths.received);
        if let Some((rec, d)) = submissions::load_received(&rec_dir, &rec_shown, registry, cat)? {
            self.content.extend(d);
            submissions::merge_received(&mut subs, rec, &mut self.content);
        }
        Ok(subs)
    }
}

impl Project {
    /// 按默认选项加载项目。配置文件、登记册或通知读不出是 `Err`（[`Fatal`]，带此前的全部诊断）；
    /// 其余问题（含配置的格式与取值）进入 `diagnostics`。
    pub fn load(config_path: &Path) -> anyhow::Result<Project> {
        Self::load_with(config_path, &LoadOptions::default())
    }

    /// 按选项加载项目。
    pub fn load_with(config_path: &Path, opts: &LoadOptions) -> anyhow::Result<Project> {
        let Loaded {
            config,
            root,
            source,
            mut diagnostics,
        } = Config::read(config_path, opts.config_optional)?;
        let (templates, d) = Templates::load_checked(Some(&crate::config::resolve(
            &root,
            &config.paths.templates,
        )));
        diagnostics.extend(d);
        let mut l = Loader {
            root: &root,
            config: &config,
            source: &source,
            diagnostics,
            content: Diagnostics::new(),
        };
        let registry = l.registry(opts.registry_optional)?;
        let (catalogue, submissions) = match &opts.notice {
            Some(notice) => {
                let shown = notice.display().to_string();
                let cat = l.catalogue(notice, &shown, "（--notice 指定）".into(), &registry)?;
                (cat, Submissions::default())
            }
            None => {
                let notice = root.join(&config.paths.notice);
                let shown_notice = shown(&root, &config.paths.notice);
                let origin = source.written_at(&["paths", "notice"]);
                let cat = l.catalogue(&notice, &shown_notice, origin, &registry)?;
                let subs = l.submissions(&registry, &cat)?;
                (cat, subs)
            }
        };
        // 配置、模板与报送文件夹的错误：这些值已换成默认，`build` 据此拒绝生成。
        let Loader {
            mut diagnostics,
            content,
            ..
        } = l;
        let config_errors = diagnostics.errors();
        diagnostics.extend(content);
        let mut p = Self::assemble(
            root,
            config,
            registry,
            catalogue,
            submissions,
            templates,
            diagnostics,
        )?;
        p.config_errors += config_errors;
        Ok(p)
    }

    /// 由已读入的各部分组成项目：推出分工、换算期限（测试、基准和以后的调用方不经文件也能用）。
    /// 期限换算不了（配置未经 [`Config::validate`]）时记一条错误、改用默认期限。
    pub fn assemble(
        root: PathBuf,
        config: Config,
        registry: Registry,
        catalogue: Catalogue,
        mut submissions: Submissions,
        templates: Templates,
        mut diagnostics: Diagnostics,
    ) -> anyhow::Result<Project> {
        submissions.count_samples = config.status.count_samples;
        if let Some(d) = sample_notice(&root, &config, &submissions) {
            diagnostics.push(d);
        }
        let mut config_errors = 0;
        let schedule = Schedule::from_config(&config.deadlines).unwrap_or_else(|e| {
            diagnostics.push(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    0,
                    0,
                    format!("[deadlines]：{e}"),
                )
                .with_hint("对照 README 中 duban.toml 的说明改正 [deadlines]"),
            );
            config_errors += 1;
            Schedule::from_config(&Deadlines::default()).expect("默认期限有效")
        });
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
            config_errors,
        })
    }

    /// 配置中的相对路径 → 以项目根为基准的路径。
    pub fn path(&self, p: &Path) -> PathBuf {
        self.root.join(p)
    }
}

/// 示例报送数据（`sample = true`）每次运行都报告：默认不算报送、不填表；配置要求算时写明“使用了”。
fn sample_notice(root: &Path, config: &Config, subs: &Submissions) -> Option<Diagnostic> {
    let files: Vec<String> = subs
        .samples()
        .map(|s| {
            Path::new(&s.file)
                .file_name()
                .map_or(s.file.clone(), |f| f.to_string_lossy().into_owned())
        })
        .collect();
    if files.is_empty() {
        return None;
    }
    let dir = shown(root, &config.paths.submissions);
    let list = files.join("、");
    Some(if config.status.count_samples {
        Diagnostic::warning(
            dir,
            0,
            0,
            format!("使用了示例报送数据：{list}（duban.toml [status] count_samples = true：算作已报送并填进表格）"),
        )
        .with_hint("正式下发前删除这些文件或换成真实报送，并去掉 count_samples")
    } else {
        Diagnostic::warning(
            dir,
            0,
            0,
            format!("示例报送数据未使用：{list}（sample = true，不算作已报送，也不填进表格）"),
        )
        .with_hint(
            "这些文件只演示格式；演示时要用，在 duban.toml 的 [status] 写 count_samples = true",
        )
    })
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
