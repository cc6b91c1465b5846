//! 配置值的检查：生成日期、报送期限、季度、报送日、字体文件、模板文件夹。
//!
//! 每处问题一条定位到 duban.toml 行、列的诊断，有误的值换成默认值：加载照常继续，`check` 一次报告
//! 全部问题；`build` 见到这些错误就不生成（见 `Project::config_errors`）。

use super::{Config, ConfigSource, Deadlines, FontsConfig};
use crate::date::{Date, Quarter};
use crate::diag::{Diagnostics, Severity};
use std::ops::RangeInclusive;
use std::path::Path;

/// Excel 与 PDF 都能表示的年份（Excel 的日期从 1900 年起，到 9999 年止）。
pub const YEARS: RangeInclusive<i32> = 1900..=9999;

/// 解析 "YYYY-MM-DD" 并检查年份范围；错误为中文说明。
pub fn check_date(s: &str) -> Result<Date, String> {
    let d = Date::parse(s).map_err(|e| e.to_string())?;
    if !YEARS.contains(&d.year) {
        return Err(format!(
            "日期“{s}”的年份超出范围，应在 {}–{} 年之间（Excel 与 PDF 能表示的日期）",
            YEARS.start(),
            YEARS.end()
        ));
    }
    Ok(d)
}

/// 检查字体文件能否用于排版：存在、可读、是 TrueType/OpenType 字体且有字符映射；
/// `pdfa` 时还要许可允许嵌入（OS/2 fsType 不是“受限”，与排版引擎生成 PDF/A 时的判断相同）。
/// 只解析表目录、字符映射和 OS/2 表，不做排版，`check` 可以放心调用。
pub fn check_font_file(path: &Path, pdfa: bool) -> Result<(), String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("找不到字体文件 {shown}"),
        _ => format!("无法读取字体文件 {shown}：{}", crate::diag::io_message(&e)),
    })?;
    let font = skrifa::FontRef::from_index(&bytes, 0).map_err(|_| {
        format!("{shown} 不是可用的字体文件（应为 TrueType/OpenType 字体：.ttf、.otf 或 .ttc）")
    })?;
    use skrifa::MetadataProvider;
    if font.charmap().mappings().next().is_none() {
        return Err(format!(
            "字体文件 {shown} 中没有字符映射（cmap），不能用于排版"
        ));
    }
    use skrifa::raw::TableProvider;
    if pdfa && font.os2().is_ok_and(|os2| os2.fs_type() & 0xF == 2) {
        return Err(format!(
            "字体 {shown} 的许可禁止嵌入（fsType），不能用于 PDF/A（可在 [pdf] 设 pdfa = false）"
        ));
    }
    Ok(())
}

impl Config {
    /// 检查配置里的值；有误的换成默认值，返回每处问题的诊断（定位到 `src` 的行、列）。
    /// `root` 是相对路径的基准目录。
    pub fn validate(&mut self, src: &ConfigSource, root: &Path) -> Diagnostics {
        let mut d = Diagnostics::new();
        if let Some(s) = &self.project.today {
            if let Err(e) = check_date(s) {
                d.push(src.diagnostic(
                    Severity::Error,
                    &["project", "today"],
                    format!("[project] today：{e}"),
                    "写成 today = \"2023-02-08\" 这样的 年-月-日；也可以删去这一行，改用 --today 或环境变量 SOURCE_DATE_EPOCH",
                ));
                self.project.today = None;
            }
        }
        check_deadlines(&mut self.deadlines, src, &mut d);
        check_day_counts(self, src, &mut d);
        check_fonts(&mut self.fonts, self.pdf.pdfa, src, root, &mut d);
        let templates = super::resolve(root, &self.paths.templates);
        if templates.exists() && !templates.is_dir() {
            d.push(src.diagnostic(
                Severity::Error,
                &["paths", "templates"],
                format!(
                    "[paths] templates 指向的 {} 是文件，应为存放模板的文件夹",
                    templates.display()
                ),
                "改成一个文件夹的路径（可以不存在，不存在时只用内置模板）",
            ));
        }
        d
    }
}

/// `[deadlines]`：两个日期、起报季度、报送日，以及两个日期的先后。
fn check_deadlines(dl: &mut Deadlines, src: &ConfigSource, d: &mut Diagnostics) {
    let def = Deadlines::default();
    let mut dates = Vec::new();
    for (key, value, default) in [
        (
            "plan_to_overall_lead",
            &mut dl.plan_to_overall_lead,
            def.plan_to_overall_lead,
        ),
        (
            "overall_plan_to_office",
            &mut dl.overall_plan_to_office,
            def.overall_plan_to_office,
        ),
    ] {
        match check_date(value) {
            Ok(date) => dates.push(date),
            Err(e) => {
                d.push(src.diagnostic(
                    Severity::Error,
                    &["deadlines", key],
                    format!("[deadlines] {key}：{e}"),
                    "按通知第二条的截止日期填写，如 \"2023-02-15\"",
                ));
                *value = default;
            }
        }
    }
    if let [lead, office] = dates[..] {
        if office < lead {
            d.push(src.diagnostic(
                Severity::Warning,
                &["deadlines", "overall_plan_to_office"],
                format!(
                    "总体办理方案报区政府办公室的截止日 {office} 早于牵头单位报总牵头单位的截止日 {lead}"
                ),
                "总牵头单位要在收齐牵头单位的方案后汇总；核对通知第二条的两个日期",
            ));
        }
    }
    let last_year = YEARS.end() - 1; // 第四季度的截止日在下一年
    match Quarter::parse(&dl.quarterly_from) {
        Ok(q) if (*YEARS.start()..=last_year).contains(&q.year) => {}
        other => {
            let msg = match other {
                Err(e) => e.to_string(),
                Ok(_) => format!(
                    "季度“{}”的年份超出范围，应在 {}–{last_year} 年之间",
                    dl.quarterly_from,
                    YEARS.start()
                ),
            };
            d.push(src.diagnostic(
                Severity::Error,
                &["deadlines", "quarterly_from"],
                format!("[deadlines] quarterly_from：{msg}"),
                "按通知第三条填写从哪个季度起报送完成情况，如 \"2023Q2\"",
            ));
            dl.quarterly_from = def.quarterly_from;
        }
    }
    if !(1..=31).contains(&dl.quarterly_day) {
        d.push(src.diagnostic(
            Severity::Error,
            &["deadlines", "quarterly_day"],
            format!(
                "[deadlines] quarterly_day = {} 不在 1–31 之间",
                dl.quarterly_day
            ),
            "季度完成情况在下一季度第 1 个月的这一天前报送，通知规定为 20",
        ));
        dl.quarterly_day = def.quarterly_day;
    }
}

/// `[fonts.*] file`：配置的字体文件必须能用；不能用的去掉（退回字族名或内置字体）。
fn check_fonts(
    f: &mut FontsConfig,
    pdfa: bool,
    src: &ConfigSource,
    root: &Path,
    d: &mut Diagnostics,
) {
    for (role, choice) in [
        ("title", &mut f.title),
        ("body", &mut f.body),
        ("heading", &mut f.heading),
        ("kai", &mut f.kai),
    ] {
        let Some(file) = &choice.file else { continue };
        if let Err(e) = check_font_file(&super::resolve(root, file), pdfa) {
            d.push(src.diagnostic(
                Severity::Error,
                &["fonts", role, "file"],
                format!("[fonts.{role}] file：{e}"),
                "检查路径（相对 duban.toml 所在文件夹）与文件；删去这一项则按 family 查找本机字体或用内置字体",
            ));
            choice.file = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> (Config, Vec<String>) {
        let src = ConfigSource::new("duban.toml", text);
        let (mut c, d) = Config::parse(text, "duban.toml");
        assert!(d.is_empty(), "{:?}", d.sorted());
        let d = c.validate(&src, Path::new("."));
        (c, d.sorted().iter().map(|d| d.to_string()).collect())
    }

    /// 原来只在 build 时才报、又没有行号的配置错误：现在 check 就报，定位到行列，值换成默认。
    #[test]
    fn value_errors_are_located_and_replaced() {
        let (c, d) = check(
            "[project]\ntoday = \"2023-02-30\"\n[deadlines]\nplan_to_overall_lead = \"2023-02-30\"\n\
             overall_plan_to_office = \"0000-01-01\"\nquarterly_from = \"2023Q5\"\nquarterly_day = 40\n\
             [fonts]\nkai = { file = \"没有这个字体.ttf\" }\n",
        );
        assert_eq!(d.len(), 6, "{d:#?}");
        assert!(
            d[0].starts_with("错误：duban.toml:2:9：[project] today：日期“2023-02-30”不存在"),
            "{}",
            d[0]
        );
        assert!(
            d[1].starts_with("错误：duban.toml:4:24：[deadlines] plan_to_overall_lead"),
            "{}",
            d[1]
        );
        assert!(
            d[2].contains("duban.toml:5:26：") && d[2].contains("年份超出范围"),
            "{}",
            d[2]
        );
        assert!(
            d[3].contains(":6:18：") && d[3].contains("“2023Q5”"),
            "{}",
            d[3]
        );
        assert!(
            d[4].contains(":7:17：") && d[4].contains("quarterly_day = 40 不在 1–31 之间"),
            "{}",
            d[4]
        );
        assert!(d.iter().all(|l| l.contains("\n  提示：")), "{d:#?}");
        assert_eq!(c.project.today, None);
        assert_eq!(c.deadlines, Deadlines::default());
        // 不能用的字体文件去掉，退回内置字体。
        assert!(
            d[5].starts_with("错误：duban.toml:9:16：[fonts.kai] file：找不到字体文件"),
            "{}",
            d[5]
        );
        assert!(c.fonts.kai.file.is_none());
    }

    #[test]
    fn font_file_must_be_a_font() {
        let e = check_font_file(Path::new("没有这个字体.ttf"), true).unwrap_err();
        assert_eq!(e, "找不到字体文件 没有这个字体.ttf");
        let e = check_font_file(Path::new("Cargo.toml"), true).unwrap_err();
        assert!(e.contains("不是可用的字体文件"), "{e}");
        check_font_file(Path::new("src/assets/fonts/kai.ttf"), true).unwrap();
        // 许可受限（fsType 的低 4 位为 2）：PDF/A 不能用，不出 PDF/A 时可以。
        let mut bytes = std::fs::read("src/assets/fonts/kai.ttf").unwrap();
        let os2 = {
            use skrifa::raw::TableProvider;
            let f = skrifa::FontRef::new(&bytes).unwrap();
            let at = f
                .table_directory
                .table_records()
                .iter()
                .find(|r| r.tag() == skrifa::raw::types::Tag::new(b"OS/2"))
                .unwrap()
                .offset() as usize;
            let _ = f.os2().unwrap();
            at
        };
        bytes[os2 + 8..os2 + 10].copy_from_slice(&2u16.to_be_bytes());
        let dir = std::env::temp_dir().join(format!("duban-fstype-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("受限.ttf");
        std::fs::write(&p, &bytes).unwrap();
        let e = check_font_file(&p, true).unwrap_err();
        assert!(e.contains("许可禁止嵌入"), "{e}");
        check_font_file(&p, false).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let (_, d) = check("[fonts.title]\nfile = \"Cargo.toml\"\n");
        assert!(
            d[0].starts_with(
                "错误：duban.toml:2:8：[fonts.title] file：Cargo.toml 不是可用的字体文件"
            ),
            "{d:?}"
        );
    }

    #[test]
    fn swapped_deadlines_warn() {
        let (_, d) = check("[deadlines]\nplan_to_overall_lead = \"2023-02-23\"\noverall_plan_to_office = \"2023-02-15\"\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with("警告：duban.toml:3:26：总体办理方案"),
            "{}",
            d[0]
        );
    }
}

/// 天数类的键（`[status] due_soon_days`、`[remind] grace_days`）不能为负，也不能大得离谱（写错单位时早发现）；
/// 有误的换成默认值继续。
fn check_day_counts(c: &mut Config, src: &ConfigSource, d: &mut Diagnostics) {
    let defaults = (
        super::StatusConfig::default().due_soon_days,
        super::RemindConfig::default().grace_days,
    );
    let checks: [(&str, &str, &mut i64, i64); 2] = [
        (
            "status",
            "due_soon_days",
            &mut c.status.due_soon_days,
            defaults.0,
        ),
        ("remind", "grace_days", &mut c.remind.grace_days, defaults.1),
    ];
    for (section, key, value, default) in checks {
        if !(0..=366).contains(value) {
            d.push(src.diagnostic(
                Severity::Error,
                &[section, key],
                format!("[{section}] {key} = {value} 不在 0–366 天之内"),
                format!("写一个 0 到 366 之间的天数；有误时按默认值 {default} 天处理"),
            ));
            *value = default;
        }
    }
}
