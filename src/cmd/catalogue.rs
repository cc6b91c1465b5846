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
    /// 解析器读到的逐行文字（.docx、网页转换后的样子；诊断的行号按它算）。
    Text,
}

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 通知路径：.txt、.docx 或存下来的网页 .html（默认取 duban.toml 中的 paths.notice）。
    #[arg(long, value_name = "文件")]
    pub notice: Option<PathBuf>,
    /// 输出格式：table（表格，默认）、json 或 toml；text 为解析器读到的逐行文字（.docx、网页转换后的样子，诊断的行号按它算）。
    #[arg(long, value_enum, value_name = "格式", default_value_t = Format::Table, hide_default_value = true, hide_possible_values = true)]
    pub format: Format,
}

/// 对外导出的稳定结构（JSON/TOML）。字段只增不改。
#[derive(Debug, Serialize)]
pub struct Export<'a> {
    pub title: &'a str,
    pub tasks: Vec<ExportTask<'a>>,
    /// 单位名推断：原文写法、读作的单位、规则（没有时省略）。
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inferences: Vec<ExportInference<'a>>,
}

/// 一次单位名推断。
#[derive(Debug, Serialize)]
pub struct ExportInference<'a> {
    pub line: usize,
    /// 所在任务的 id；任务组标题里的为 null。
    pub task: Option<&'a str>,
    /// 所在任务组标题（只对任务组标题里的推断）。
    pub group: Option<&'a str>,
    pub written: &'a str,
    pub unit: &'a str,
    /// 规则的中文说明。
    pub rule: String,
    /// 读作的单位是否在登记册中。
    pub registered: bool,
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
        inferences: cat
            .inferences
            .iter()
            .map(|i| ExportInference {
                line: i.line,
                task: i.task.and_then(|t| cat.tasks.get(t)).map(|t| t.id.as_str()),
                group: i
                    .group
                    .and_then(|g| cat.groups.get(g))
                    .map(|g| g.title.as_str()),
                written: &i.written,
                unit: &i.unit,
                rule: i.rule.describe(),
                registered: i.registered,
            })
            .collect(),
    }
}

/// 推断一览：同样的（原文、读作、规则）合成一行，列出所在行。
fn inference_table(cat: &Catalogue) -> String {
    let mut rows: Vec<(String, String, String, bool, Vec<usize>)> = Vec::new();
    for i in &cat.inferences {
        let rule = i.rule.describe();
        match rows
            .iter_mut()
            .find(|r| r.0 == i.written && r.1 == i.unit && r.2 == rule)
        {
            Some(r) => {
                if !r.4.contains(&i.line) {
                    r.4.push(i.line);
                }
            }
            None => rows.push((
                i.written.clone(),
                i.unit.clone(),
                rule,
                i.registered,
                vec![i.line],
            )),
        }
    }
    let cells: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(w, u, r, reg, lines)| {
            let l: Vec<String> = lines.iter().map(|x| x.to_string()).collect();
            vec![
                w,
                u,
                r,
                if reg { "已登记" } else { "未登记" }.into(),
                l.join("、"),
            ]
        })
        .collect();
    super::units::table(&["原文", "读作", "规则", "登记册", "行"], &cells)
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
    if !cat.inferences.is_empty() {
        s.push_str("\n单位名推断（原文怎样写、读作什么、按哪条规则；登记册里登记了原文写法就以登记册为准）\n\n");
        s.push_str(&inference_table(cat));
    }
    s
}

/// 按所选格式渲染。
pub fn render(cat: &Catalogue, format: Format) -> anyhow::Result<String> {
    Ok(match format {
        Format::Table => table(cat),
        Format::Json => serde_json::to_string_pretty(&export(cat))? + "\n",
        // TOML 没有 null：无章、无组的任务省略该键。
        Format::Toml => toml::to_string(&export(cat))?,
        Format::Text => anyhow::bail!("text 格式要读通知原文，请用 duban catalogue --format text"),
    })
}

/// 执行 `duban catalogue`。指定了 `--notice` 时单位登记册仍取配置，没有配置文件就用默认路径，
/// 没有登记册文件就用空登记册。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let opts = LoadOptions {
        config_optional: args.notice.is_some(),
        notice: args.notice.clone(),
        // 新通知还没有登记册时也能看解析结果（单位都按惯例推断，报未登记）。
        registry_optional: args.notice.is_some(),
    };
    let p = Project::load_with(config, &opts)?;
    if args.format == Format::Text {
        // 解析器读到的文字：.docx、网页转换后的逐行文字，可另存为 .txt 使用。
        let path = args
            .notice
            .unwrap_or_else(|| p.path(&p.config.paths.notice));
        let notice = crate::catalogue::input::read_notice(&path)?;
        super::check::print_out(&notice.text)?;
        return Ok(0);
    }
    super::check::report(&p.diagnostics);
    super::check::print_out(&render(&p.catalogue, args.format)?)?;
    Ok(i32::from(p.diagnostics.has_errors()))
}
