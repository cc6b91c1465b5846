//! `duban catalogue`：输出解析后的任务目录（表格、JSON 或 TOML）。
//! 有诊断时照样输出解析结果，诊断写到标准错误，有错误时以 1 退出。

use crate::catalogue::{Catalogue, UnitRef};
use crate::project::{LoadOptions, Project};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Toml,
}

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 通知文本路径（默认取 duban.toml 中的 paths.notice）。
    #[arg(long, value_name = "文件")]
    pub notice: Option<PathBuf>,
    /// 输出格式：table（表格，默认）、json 或 toml。
    #[arg(long, value_enum, value_name = "格式", default_value_t = Format::Table, hide_default_value = true, hide_possible_values = true)]
    pub format: Format,
}

/// 对外导出的稳定结构（JSON/TOML）。字段只增不改。
#[derive(Debug, Serialize)]
pub struct Export<'a> {
    pub title: &'a str,
    pub tasks: Vec<ExportTask<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ExportTask<'a> {
    pub id: &'a str,
    pub number: u32,
    /// 章标题，如“坚持把产业作为……”；无章时为 null。
    pub chapter: Option<&'a str>,
    /// 任务组标题；无组时为 null。
    pub group: Option<&'a str>,
    pub overall_leads: Vec<&'a str>,
    pub leads: Vec<&'a str>,
    pub responsible: Vec<&'a str>,
    pub text: &'a str,
    pub line: usize,
}

fn names(v: &[UnitRef]) -> Vec<&str> {
    v.iter().map(|u| u.name.as_str()).collect()
}

/// 任务目录 → 导出结构。
pub fn export(cat: &Catalogue) -> Export<'_> {
    Export {
        title: &cat.title,
        tasks: cat
            .tasks
            .iter()
            .map(|t| ExportTask {
                id: &t.id,
                number: t.number,
                chapter: cat.chapter_of(t).map(|c| c.title.as_str()),
                group: cat.group_of(t).map(|g| g.title.as_str()),
                overall_leads: names(cat.overall_leads(t)),
                leads: names(&t.leads),
                responsible: names(&t.responsible),
                text: &t.text,
                line: t.line,
            })
            .collect(),
    }
}

/// 表格：编号、总牵头、牵头、责任、正文开头。
pub fn table(cat: &Catalogue) -> String {
    let join = |v: Vec<&str>| v.join("、");
    let rows: Vec<Vec<String>> = export(cat)
        .tasks
        .into_iter()
        .map(|t| {
            let head: String = t.text.chars().take(16).collect();
            let more = if t.text.chars().count() > 16 {
                "…"
            } else {
                ""
            };
            vec![
                t.id.to_string(),
                join(t.overall_leads),
                join(t.leads),
                join(t.responsible),
                format!("{head}{more}"),
            ]
        })
        .collect();
    let mut s = format!("{}\n\n", cat.title);
    s.push_str(&super::units::table(
        &["编号", "总牵头单位", "牵头单位", "责任单位", "任务"],
        &rows,
    ));
    s
}

/// 按所选格式渲染。
pub fn render(cat: &Catalogue, format: Format) -> anyhow::Result<String> {
    Ok(match format {
        Format::Table => table(cat),
        Format::Json => serde_json::to_string_pretty(&export(cat))? + "\n",
        // TOML 没有 null：无章、无组的任务省略该键。
        Format::Toml => toml::to_string(&export(cat))?,
    })
}

/// 执行 `duban catalogue`。指定了 `--notice` 时单位登记册仍取配置，没有配置文件就用默认路径。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let opts = LoadOptions {
        config_optional: args.notice.is_some(),
        notice: args.notice.clone(),
    };
    let p = Project::load_with(config, &opts)?;
    super::check::report(&p.diagnostics);
    super::check::print_out(&render(&p.catalogue, args.format)?)?;
    Ok(i32::from(p.diagnostics.has_errors()))
}
