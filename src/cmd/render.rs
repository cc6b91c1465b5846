//! `duban render 模板 [--data 数据.toml] -o 输出.pdf`：用任意模板（内置名或文件）排出一份 PDF。

use crate::config::Config;
use crate::templates::Templates;
use crate::typeset::{markdown_to_document, render_pdf, FontSet, Meta, PdfOptions};
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 模板文件路径（*.md.tera），或内置模板名（如 notice.md.tera）。
    #[arg(value_name = "模板", help_heading = "参数")]
    pub template: String,
    /// 模板数据（TOML），顶层键即模板变量。
    #[arg(long, value_name = "文件")]
    pub data: Option<PathBuf>,
    /// 输出 PDF 路径。
    #[arg(long, short = 'o', value_name = "输出")]
    pub output: PathBuf,
    /// 成文/创建日期 YYYY-MM-DD（优先于 SOURCE_DATE_EPOCH 和 duban.toml 的 project.today）。
    #[arg(long, value_name = "日期")]
    pub today: Option<String>,
}

pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    // 没有 duban.toml 也能用：全部取默认值。
    let (cfg, root) = if config.is_file() {
        let cfg = Config::load(config)?;
        let root = config.parent().unwrap_or(Path::new(".")).to_path_buf();
        (cfg, root)
    } else {
        (Config::default(), PathBuf::from("."))
    };
    let mut templates = Templates::load(Some(&root.join(&cfg.paths.templates)))?;
    let tpl_path = Path::new(&args.template);
    let name = if tpl_path.is_file() {
        templates.add_file(tpl_path)?
    } else {
        args.template.clone()
    };
    let data: toml::Table = match &args.data {
        Some(p) => {
            let text = crate::textfile::read(p)
                .with_context(|| format!("无法读取数据文件 {}", p.display()))?;
            toml::from_str(&text).map_err(|e| {
                let line = e
                    .span()
                    .map(|s| crate::diag::line_col(&text, s.start).0)
                    .unwrap_or(0);
                anyhow::anyhow!(
                    "数据文件 {} 第 {line} 行有误：{}\n  提示：数据文件是 TOML，顶层键即模板变量",
                    p.display(),
                    crate::diag::toml_message(&e)
                )
            })?
        }
        None => toml::Table::new(),
    };
    let md = templates.render(&name, &data)?;
    let created = match &args.today {
        Some(d) => Some(parse_date(d).with_context(|| format!("--today {d}"))?),
        None => today_from_env()?.or(match &cfg.project.today {
            Some(d) => Some(parse_date(d).context("duban.toml project.today")?),
            None => None,
        }),
    };
    if created.is_none() && cfg.pdf.pdfa {
        anyhow::bail!(
            "没有成文日期：PDF/A 需要创建日期，而 duban 不读取系统时钟\n  提示：加 --today 2023-02-07，或在 duban.toml 的 [project] 写 today = \"2023-02-07\"，或设置环境变量 SOURCE_DATE_EPOCH"
        );
    }
    let title = data
        .get("title")
        .and_then(|v| v.as_str())
        .unwrap_or(&cfg.project.title)
        .to_string();
    let meta = Meta {
        title,
        author: cfg.project.issuer.clone(),
        subject: String::new(),
        language: "zh-CN".into(),
        created,
    };
    let doc = markdown_to_document(&md, meta);
    let (fonts, report) = FontSet::load(&cfg.fonts, &root)?;
    for line in &report.lines {
        eprintln!("字体 {line}");
    }
    let opts = PdfOptions {
        pdfa: cfg.pdf.pdfa,
        ..PdfOptions::new(&fonts)
    };
    let out = render_pdf(&doc, &opts)?;
    for m in &out.missing {
        eprintln!("警告：{}：{m}", args.template);
    }
    write_atomic(&args.output, &out.bytes)?;
    eprintln!("已生成 {}（{} 页）", args.output.display(), out.pages);
    Ok(0)
}

/// 写到同目录临时文件再改名，中断时不留下半个文件。
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(d) = dir {
        std::fs::create_dir_all(d).with_context(|| format!("无法创建目录 {}", d.display()))?;
    }
    let tmp = path.with_extension("pdf.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("无法写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

/// "2023-02-07" → (2023, 2, 7)。
fn parse_date(s: &str) -> anyhow::Result<(i32, u8, u8)> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let bad = || anyhow::anyhow!("日期“{s}”格式不对，应为 YYYY-MM-DD，如 2023-02-07");
    if parts.len() != 3 {
        return Err(bad());
    }
    let y: i32 = parts[0].parse().map_err(|_| bad())?;
    let m: u8 = parts[1].parse().map_err(|_| bad())?;
    let d: u8 = parts[2].parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok((y, m, d))
}

/// SOURCE_DATE_EPOCH（秒）→ 北京时间的日期。
fn today_from_env() -> anyhow::Result<Option<(i32, u8, u8)>> {
    let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: i64 = v
        .trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("环境变量 SOURCE_DATE_EPOCH=“{v}”不是整数秒"))?;
    Ok(Some(civil_from_days((secs + 8 * 3600).div_euclid(86_400))))
}

/// 自 1970-01-01 起的天数 → 公历日期（Howard Hinnant 算法）。
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + if m <= 2 { 1 } else { 0 }) as i32;
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_395), (2023, 2, 7));
        assert_eq!(parse_date("2023-02-07").unwrap(), (2023, 2, 7));
        assert!(parse_date("2023/02/07").is_err());
    }
}
