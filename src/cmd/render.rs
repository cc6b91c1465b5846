//! `duban render 模板 [--data 数据.toml] -o 输出.pdf`：用任意模板（内置名或文件）排出一份 PDF。

use crate::config::Config;
use crate::templates::Templates;
use crate::typeset::{markdown_to_document, render_pdf, FontSet, PdfOptions};
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
    /// 成文/创建日期 YYYY-MM-DD（优先于 SOURCE_DATE_EPOCH 和 duban.toml 的 project.today；都没有时取北京时间的当天）。
    #[arg(long, value_name = "日期")]
    pub today: Option<String>,
}

pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    // 没有 duban.toml 也能用：全部取默认值。
    let (cfg, root) = Config::load_or_default(config)?;
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
    // 与 `duban build` 同一规则：同样的输入得到同样的日期；都没给时取北京时间的当天。
    let created = Some(super::today(args.today.as_deref(), &cfg)?.0);
    let title = data
        .get("title")
        .and_then(|v| v.as_str())
        .unwrap_or(&cfg.project.title)
        .to_string();
    let doc = markdown_to_document(&md, crate::render::meta(&cfg, &title, created));
    let (fonts, report) = FontSet::load(&cfg.fonts, &root)?;
    super::print_fonts(&report.lines);
    let opts = PdfOptions {
        pdfa: cfg.pdf.pdfa,
        ..PdfOptions::new(&fonts)
    };
    let out = render_pdf(&doc, &opts)?;
    let shown = Path::new(&args.template);
    for w in crate::render::missing_glyph_warnings(shown, "", &out.missing) {
        eprintln!("警告：{w}");
    }
    crate::output::write_atomic(&args.output, &out.bytes)?;
    eprintln!("已生成 {}（{} 页）", args.output.display(), out.pages);
    Ok(0)
}
