//! `duban render 模板 [--data 数据.toml] -o 输出.pdf`：用任意模板（内置名或文件）排出一份 PDF。

use crate::config::Config;
use crate::diag::{Diagnostic, Fatal};
use crate::templates::Templates;
use crate::typeset::{markdown_to_document, render_pdf, FontSet, PdfOptions};
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
    let (mut templates, diags) = Templates::load_checked(Some(&root.join(&cfg.paths.templates)));
    if diags.has_errors() {
        return Err(Fatal(diags).into());
    }
    let tpl_path = Path::new(&args.template);
    let name = if tpl_path.is_file() {
        templates.add_file(tpl_path)?
    } else if templates.sources().iter().any(|(n, _)| *n == args.template) {
        args.template.clone()
    } else {
        return Err(Diagnostic::error(
            "命令行 <模板>",
            0,
            0,
            format!("“{}”既不是模板文件，也不是内置模板名", args.template),
        )
        .with_hint("写模板文件的路径，或内置模板名 notice.md.tera、tasklist.md.tera、reminder.md.tera（duban templates 列出全部）")
        .into());
    };
    let data = match &args.data {
        Some(p) => read_data(p)?,
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
        eprintln!("警告：{w}\n  提示：在 duban.toml 的 [fonts] 换用含这些字的字体，或核对打印件");
    }
    crate::output::write_atomic(&args.output, &out.bytes)?;
    eprintln!("已生成 {}（{} 页）", args.output.display(), out.pages);
    Ok(0)
}

/// 读模板数据文件（TOML，顶层键即模板变量）；读不出或格式有误是定位到行列的诊断。
fn read_data(p: &Path) -> anyhow::Result<toml::Table> {
    let shown = p.display().to_string();
    let text = crate::textfile::read(p).map_err(|e| e.diagnostic("数据文件"))?;
    toml::from_str(&text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| crate::diag::line_col(&text, s.start))
            .unwrap_or((0, 0));
        Diagnostic::error(shown, line, col, crate::diag::toml_message_in(&e, &text))
            .with_hint("数据文件是 TOML，顶层键即模板变量")
            .into()
    })
}
