//! `duban units`：列出全部单位及其作为总牵头/牵头/责任单位的任务数。

use crate::catalogue::Catalogue;
use crate::duties::{Duties, Role, UnitDuties};
use crate::project::{LoadOptions, Project};
use crate::registry::{normalize, Registry};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 输出格式：table（表格，默认）或 json。
    #[arg(long, value_enum, value_name = "格式", default_value_t = Format::Table, hide_default_value = true, hide_possible_values = true)]
    pub format: Format,
    /// 按通知起草单位登记册（paths.units）：把通知里登记册还没有的单位和群体短语补在文件末尾，
    /// 已有的内容原样保留；文件不存在时新建。
    #[arg(long)]
    pub init: bool,
    /// 与 --init 同用：按这份通知（.txt、.docx 或 .html）起草，代替 duban.toml 中的 paths.notice。
    #[arg(long, value_name = "文件", requires = "init")]
    pub notice: Option<PathBuf>,
}

/// `duban units --init`：起草或补充登记册。登记册有错误时不动它（加载就会停下）。
fn init(config: &Path, notice: Option<PathBuf>) -> anyhow::Result<i32> {
    let opts = LoadOptions {
        config_optional: notice.is_some(),
        notice,
        registry_optional: true,
    };
    let p = Project::load_with(config, &opts)?;
    let path = p.path(&p.config.paths.units);
    let existing = if path.exists() {
        Some(
            std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("无法读取单位登记册 {}：{e}", path.display()))?,
        )
    } else {
        None
    };
    let Some(text) = crate::catalogue::draft::draft(&p.catalogue, &p.registry, existing.as_deref())
    else {
        super::check::print_out(&format!(
            "单位登记册 {} 已包含通知中的全部单位，未改动\n",
            path.display()
        ))?;
        return Ok(0);
    };
    let (reg, d) = Registry::parse(&text, &path.display().to_string());
    if d.has_errors() {
        anyhow::bail!("起草的登记册自身有误，未写入：{}", d.sorted()[0]);
    }
    crate::output::write_atomic(&path, text.as_bytes())?;
    let added = |n: usize, m: usize| n.saturating_sub(m);
    let before = Registry::parse(existing.as_deref().unwrap_or(""), "").0;
    super::check::print_out(&format!(
        "已写入 {}：新增单位 {} 个、群体短语 {} 个。请逐段核对规范名与类别（注释里有原文写法和出现的行），再运行 duban check\n",
        path.display(),
        added(reg.units.len(), before.units.len()),
        added(reg.groups.len(), before.groups.len()),
    ))?;
    Ok(0)
}

/// 一个单位的任务数统计。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitCount {
    pub name: String,
    /// 类别；群体短语为“群体短语”，未登记为“未登记”。
    pub kind: String,
    /// 所在任务组由它总牵头的任务数。
    pub overall_leads: usize,
    pub leads: usize,
    pub responsible: usize,
    /// 通过群体短语（如“各街道办事处”）被覆盖的任务数。
    pub via_group: usize,
}

/// 每个单位的任务数取自分工（[`Duties`]：同一任务既牵头又责任只记牵头，直接点名优先于经短语点到），
/// 顺序：登记册中的单位（没有任务的也列出，全 0）、群体短语（数它在通知中被写到的次数）、
/// 通知中出现但未登记的单位。
pub fn counts(cat: &Catalogue, reg: &Registry, duties: &Duties) -> Vec<UnitCount> {
    let mut rows: Vec<UnitCount> = reg
        .units
        .iter()
        .map(|u| match duties.get(&u.name) {
            Some(d) => unit_count(d),
            None => UnitCount {
                name: u.name.clone(),
                kind: u.kind.as_str().into(),
                ..UnitCount::default()
            },
        })
        .collect();
    rows.extend(phrase_counts(cat, reg));
    rows.extend(
        duties
            .units
            .iter()
            .filter(|d| d.kind.is_none())
            .map(unit_count),
    );
    rows
}

fn unit_count(d: &UnitDuties) -> UnitCount {
    let direct = |role: Role| {
        d.assignments
            .iter()
            .filter(|a| a.role == role && a.via.is_none())
            .count()
    };
    let mut via: Vec<usize> = d
        .assignments
        .iter()
        .filter(|a| a.via.is_some())
        .map(|a| a.task)
        .collect();
    via.dedup();
    UnitCount {
        name: d.unit.clone(),
        kind: d.kind.map(|k| k.as_str()).unwrap_or("未登记").into(),
        overall_leads: direct(Role::OverallLead),
        leads: direct(Role::Lead),
        responsible: direct(Role::Responsible),
        via_group: via.len(),
    }
}

/// 群体短语（登记的按登记顺序，未登记的按出现顺序）在各角色中被写到的任务数。
fn phrase_counts(cat: &Catalogue, reg: &Registry) -> Vec<UnitCount> {
    let mut rows: Vec<UnitCount> = reg
        .groups
        .iter()
        .map(|g| UnitCount {
            name: g.name.clone(),
            kind: "群体短语".into(),
            ..UnitCount::default()
        })
        .collect();
    for t in &cat.tasks {
        let lists = [cat.overall_leads(t), &t.leads, &t.responsible];
        for (role, refs) in lists.into_iter().enumerate() {
            for r in refs.iter().filter(|r| r.is_group) {
                let name = reg.group(&r.name).map(|g| g.name.clone());
                let name = name.unwrap_or_else(|| r.name.clone());
                let i = match rows
                    .iter()
                    .position(|x| normalize(&x.name) == normalize(&name))
                {
                    Some(i) => i,
                    None => {
                        rows.push(UnitCount {
                            name,
                            kind: "未登记".into(),
                            ..UnitCount::default()
                        });
                        rows.len() - 1
                    }
                };
                match role {
                    0 => rows[i].overall_leads += 1,
                    1 => rows[i].leads += 1,
                    _ => rows[i].responsible += 1,
                }
            }
        }
    }
    rows
}

/// 显示宽度（中日韩字符与全角符号按 2 计），与 `duban status` 的表格同一规则。
pub use crate::status::table::width;

/// 按显示宽度对齐的纯文本表格（数字列右对齐）。
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    use crate::schedule::Colour;
    // 全是数的列右对齐。
    let numeric: Vec<usize> = (0..headers.len())
        .filter(|&i| !rows.is_empty() && rows.iter().all(|r| r[i].parse::<f64>().is_ok()))
        .collect();
    let cells: Vec<Vec<(String, Colour)>> = rows
        .iter()
        .map(|r| r.iter().map(|c| (c.clone(), Colour::None)).collect())
        .collect();
    crate::status::table::grid(headers, &cells, &numeric, false)
}

pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    if args.init {
        return init(config, args.notice);
    }
    let p = Project::load(config)?;
    super::check::report(&p.diagnostics);
    let rows = counts(&p.catalogue, &p.registry, &p.duties);
    match args.format {
        Format::Json => super::check::print_out(&(serde_json::to_string_pretty(&rows)? + "\n"))?,
        Format::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.name.clone(),
                        r.kind.clone(),
                        r.overall_leads.to_string(),
                        r.leads.to_string(),
                        r.responsible.to_string(),
                        r.via_group.to_string(),
                    ]
                })
                .collect();
            super::check::print_out(&table(
                &["单位", "类别", "总牵头", "牵头", "责任", "经群体短语"],
                &cells,
            ))?;
        }
    }
    Ok(i32::from(p.diagnostics.has_errors()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_width_aligns() {
        assert_eq!(width("区发改局"), 8);
        assert_eq!(width("ab"), 2);
        let t = table(
            &["单位", "n"],
            &[
                vec!["区发改局".into(), "3".into()],
                vec!["x".into(), "12".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[2], "区发改局   3");
        assert_eq!(lines[3], "x         12");
    }
}
