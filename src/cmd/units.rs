//! `duban units`：列出全部单位及其作为总牵头/牵头/责任单位的任务数。

use crate::catalogue::Catalogue;
use crate::project;
use crate::registry::{normalize, Registry};
use serde::Serialize;
use std::path::Path;

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
}

/// 一个单位的任务数统计。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// 统计登记册中每个单位、每个群体短语，以及文中出现但未登记的名称。
pub fn counts(cat: &Catalogue, reg: &Registry) -> Vec<UnitCount> {
    let mut rows: Vec<UnitCount> = reg
        .units
        .iter()
        .map(|u| (u.name.clone(), u.kind.as_str().to_string()))
        .chain(
            reg.groups
                .iter()
                .map(|g| (g.name.clone(), "群体短语".to_string())),
        )
        .map(|(name, kind)| UnitCount {
            name,
            kind,
            overall_leads: 0,
            leads: 0,
            responsible: 0,
            via_group: 0,
        })
        .collect();
    let row_of = |name: &str, rows: &mut Vec<UnitCount>, is_group: bool| -> usize {
        let key = normalize(name);
        let canonical = if is_group {
            reg.group(name).map(|g| normalize(&g.name)).unwrap_or(key)
        } else {
            key
        };
        if let Some(i) = rows.iter().position(|r| normalize(&r.name) == canonical) {
            return i;
        }
        rows.push(UnitCount {
            name: name.to_string(),
            kind: "未登记".into(),
            overall_leads: 0,
            leads: 0,
            responsible: 0,
            via_group: 0,
        });
        rows.len() - 1
    };
    for t in &cat.tasks {
        let mut via: Vec<String> = Vec::new();
        for (role, refs) in [
            (0, cat.overall_leads(t)),
            (1, t.leads.as_slice()),
            (2, t.responsible.as_slice()),
        ] {
            for r in refs {
                let i = row_of(&r.name, &mut rows, r.is_group);
                match role {
                    0 => rows[i].overall_leads += 1,
                    1 => rows[i].leads += 1,
                    _ => rows[i].responsible += 1,
                }
                if r.is_group {
                    via.extend(reg.group_members(&r.name).iter().map(|u| u.name.clone()));
                }
            }
        }
        via.sort();
        via.dedup();
        for m in via {
            let i = row_of(&m, &mut rows, false);
            rows[i].via_group += 1;
        }
    }
    rows
}

/// 显示宽度：中日韩字符与全角符号按 2 计。
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x2014..=0x2014).contains(&u)
                || (0x201C..=0x201D).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// 按显示宽度对齐的纯文本表格（数字列右对齐）。
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let n = headers.len();
    let mut w: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(width(c));
        }
    }
    let numeric: Vec<bool> = (0..n)
        .map(|i| !rows.is_empty() && rows.iter().all(|r| r[i].parse::<f64>().is_ok()))
        .collect();
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = " ".repeat(w[i] - width(c));
            if i > 0 {
                s.push_str("  ");
            }
            if numeric[i] {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < n {
                    s.push_str(&pad);
                }
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(headers.to_vec(), &mut out);
    let rule: Vec<String> = w.iter().map(|x| "-".repeat(*x)).collect();
    line(rule.iter().map(String::as_str).collect(), &mut out);
    for r in rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let p = project::load(config)?;
    super::check::report(&p.diagnostics);
    let rows = counts(&p.catalogue, &p.registry);
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
