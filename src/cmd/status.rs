//! `duban status`：某一天谁还欠什么——每个单位每项报送义务的状态（红黄绿）与按单位、章、任务组、
//! 截止日期的统计。终端表格（默认）、JSON 导出、XLSX、单文件 HTML 页面，或督办情况通报 PDF。

use crate::project::Project;
use crate::status::{self, StatusOptions, StatusReport};
use crate::typeset::{FontSet, PdfOptions};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Xlsx,
    Html,
    Pdf,
}

impl Format {
    /// 写文件时的默认文件名（不含目录）。
    fn file_name(self, r: &StatusReport) -> Option<String> {
        let day = r.as_of;
        match self {
            Format::Table => None,
            Format::Json => Some(format!("督办情况-{day}.json")),
            Format::Xlsx => Some(format!("督办情况-{day}.xlsx")),
            Format::Html => Some(format!("督办情况-{day}.html")),
            Format::Pdf => Some(format!("督办情况通报-{day}.pdf")),
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 按哪一天算 YYYY-MM-DD（默认：SOURCE_DATE_EPOCH、duban.toml 的 project.today，都没有时取北京时间的今天）。
    #[arg(long = "as-of", value_name = "日期")]
    pub as_of: Option<String>,
    /// 输出格式：table（终端表格，默认）、json（导出）、xlsx、html（单文件页面）或 pdf（督办情况通报）。
    #[arg(long, value_enum, value_name = "格式", default_value_t = Format::Table, hide_default_value = true, hide_possible_values = true)]
    pub format: Format,
    /// 写到这个文件（xlsx、html、pdf 默认写到输出目录下的 督办情况/；table、json 默认打印到屏幕）。
    #[arg(long, short = 'o', value_name = "文件")]
    pub output: Option<PathBuf>,
    /// 只看这些单位（可多次给出；规范名或别名）。
    #[arg(long = "unit", value_name = "单位")]
    pub units: Vec<String>,
}

/// 执行 `duban status`。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let project = Project::load(config)?;
    let (as_of, _) = super::today_from("--as-of", args.as_of.as_deref(), &project.config)?;
    super::check::report(&project.diagnostics);
    let only = crate::plan::select_units(&args.units, &project.registry, &project.duties)?;
    let opts = StatusOptions {
        as_of,
        due_soon_days: project.config.status.due_soon_days,
        only,
    };
    let report = status::status(&project, &opts);
    let code = i32::from(project.diagnostics.has_errors());
    let bytes = match args.format {
        Format::Table if args.output.is_none() => {
            use std::io::IsTerminal;
            // 终端上着色；管道、文件或设了 NO_COLOR 时不着色。
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            super::check::print_out(&status::table::render(&report, colour))?;
            return Ok(code);
        }
        Format::Table => status::table::render(&report, false).into_bytes(),
        Format::Json if args.output.is_none() => {
            super::check::print_out(&report.to_json())?;
            return Ok(code);
        }
        Format::Json => report.to_json().into_bytes(),
        Format::Xlsx => status::xlsx::workbook(&report, &project.config.project.issuer)?,
        Format::Html => status::html::page(&report, &project.config.project.issuer).into_bytes(),
        Format::Pdf => bulletin_pdf(&project, &report)?,
    };
    let path = match args.output {
        Some(p) => p,
        None => {
            let out = project.path(&project.config.paths.out);
            crate::output::prepare_out_dir(&out)?;
            let name = args.format.file_name(&report).unwrap_or_default();
            out.join("督办情况").join(name)
        }
    };
    crate::output::write_atomic(&path, &bytes)?;
    eprintln!("{}", status::table::summary(&report));
    eprintln!("已写出 {}", path.display());
    Ok(code)
}

/// 督办情况通报：加载字体、排版，报告缺字。
fn bulletin_pdf(project: &Project, report: &StatusReport) -> anyhow::Result<Vec<u8>> {
    let (fonts, fr) = FontSet::load(&project.config.fonts, &project.root)?;
    super::print_fonts(&fr.lines);
    let opts = PdfOptions {
        pdfa: project.config.pdf.pdfa,
        ..PdfOptions::new(&fonts)
    };
    let pdf = status::bulletin::pdf(project, report, &opts)?;
    let name = Path::new("督办情况通报.pdf");
    for w in crate::render::missing_glyph_warnings(name, "", &pdf.missing) {
        eprintln!("警告：{w}");
    }
    eprintln!("督办情况通报 {} 页", pdf.pages);
    Ok(pdf.bytes)
}
