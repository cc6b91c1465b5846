//! `duban units --init`：为一份新通知起草单位登记册。
//!
//! 每个登记册里还没有的单位写一段 `[[unit]]`：按惯例推断出的规范名与类别，注释里写出现的行和
//! 原文写法（借了前后缀的写法只写在注释里，不当别名：同样的简称换个列表可能指别的单位）；
//! 群体短语写 `[[group]]`，能猜出成员类别的写上 `member_kind`，否则留给用户填。已有的文件原样保留，
//! 新的段落加在末尾：再运行一次只补通知里新出现的单位，用户改过的地方不动。

use super::{Catalogue, Rule, UnitRef};
use crate::registry::{Registry, UnitKind};
use std::collections::BTreeMap;

/// 一个待登记的名称。
#[derive(Debug, Default)]
struct Seen {
    group: bool,
    lines: Vec<usize>,
    /// (原文写法, 规则说明)
    written: Vec<(String, String)>,
    aliases: Vec<String>,
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// 通知中出现、登记册里没有的单位与群体短语（按名称）。
fn unregistered(cat: &Catalogue, reg: &Registry) -> BTreeMap<String, Seen> {
    let mut out: BTreeMap<String, Seen> = BTreeMap::new();
    let mut note = |r: &UnitRef, line: usize| {
        if reg.unit(&r.name).is_some() || reg.group(&r.name).is_some() {
            return;
        }
        let s = out.entry(r.name.clone()).or_default();
        s.group = r.is_group;
        if !s.lines.contains(&line) {
            s.lines.push(line);
        }
    };
    for g in &cat.groups {
        for r in &g.overall_leads {
            note(r, g.line);
        }
    }
    for t in &cat.tasks {
        for r in t.leads.iter().chain(&t.responsible) {
            note(r, t.line);
        }
    }
    for inf in &cat.inferences {
        let Some(s) = out.get_mut(&inf.unit) else {
            continue;
        };
        if inf.written == inf.unit {
            continue;
        }
        if matches!(
            inf.rule,
            Rule::FirstListedLeads { .. } | Rule::Verb(_) | Rule::OwnLevel
        ) {
            continue;
        }
        if inf.rule == Rule::BracketDropped {
            if !s.aliases.contains(&inf.written) {
                s.aliases.push(inf.written.clone());
            }
        } else if !s.written.iter().any(|(w, _)| *w == inf.written) {
            s.written.push((inf.written.clone(), inf.rule.describe()));
        }
    }
    out
}

/// 群体短语的成员类别猜测。
fn member_kind(name: &str) -> Option<UnitKind> {
    if ["街道", "乡镇", "镇", "乡"]
        .iter()
        .any(|w| name.contains(w))
    {
        Some(UnitKind::Street)
    } else if name.contains("国有企业") || name.contains("国企") {
        Some(UnitKind::Enterprise)
    } else if name.contains("直") && (name.contains("单位") || name.contains("部门")) {
        Some(UnitKind::Department)
    } else {
        None
    }
}

/// 由名称推断类别（`duban units --init` 起草登记册用）。
fn infer_kind(name: &str) -> UnitKind {
    let street = [
        "街道办事处",
        "办事处",
        "街道",
        "乡人民政府",
        "镇人民政府",
        "乡政府",
        "镇政府",
    ];
    if street.iter().any(|s| name.ends_with(s)) || name.ends_with('乡') || name.ends_with('镇') {
        return UnitKind::Street;
    }
    if ["公司", "集团"].iter().any(|s| name.ends_with(s)) {
        return UnitKind::Enterprise;
    }
    let lower_gov =
        name.ends_with("政府") && crate::names::level_prefix(name).is_some_and(|l| l > 3);
    let foreign = crate::names::OWN_LEVEL_HEADS
        .iter()
        .any(|h| name.starts_with(h) && *h != "团");
    if crate::names::level_prefix(name).is_some() && !lower_gov && !foreign
        || name.starts_with('团')
    {
        return UnitKind::Department;
    }
    UnitKind::Other
}
const HEADER: &str = "# 单位登记册（duban 用它展开通知里的单位简写、统计各单位的任务）
#
# 由 duban units --init 按通知起草，请逐段核对：
#   [[unit]]  name = 规范名（全称，生成材料时用这个名字）
#             kind = 类别，只能是 \"区直部门\"（本级直属部门，市、县的也填这个）、\"街道办事处\"（含乡镇）、
#                    \"企业\"、\"其他\" 之一
#             aliases = 别名、简称（可省略）
#   [[group]] name = 群体短语（如“各街道办事处”），members = 成员的规范名，或 member_kind = 某类别全部单位
# 注释里的“原文写作”是 duban 按公文惯例补全的写法（借用首项的层级、末项的后缀），核对补得对不对；
# 不对就改 name，并把原文写法写进另一个单位的 aliases。改完运行 duban check。
";

/// 起草：返回新的 units.toml 全文；登记册已包含通知中的全部单位时返回 `None`。
pub fn draft(cat: &Catalogue, reg: &Registry, existing: Option<&str>) -> Option<String> {
    let found = unregistered(cat, reg);
    if found.is_empty() {
        return None;
    }
    let mut units: Vec<(UnitKind, &String, &Seen)> = found
        .iter()
        .filter(|(_, s)| !s.group)
        .map(|(n, s)| (infer_kind(n), n, s))
        .collect();
    units.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut out = match existing {
        Some(t) if !t.trim().is_empty() => {
            let mut t = t.trim_end().to_string();
            t.push_str("\n\n# ===== duban units --init 补充：通知中新出现、登记册里还没有的单位（请核对）=====\n");
            t
        }
        _ => HEADER.to_string(),
    };
    let mut kind = None;
    for (k, name, s) in &units {
        if kind != Some(*k) {
            out.push_str(&format!("\n# ----- {} -----\n", k.as_str()));
            kind = Some(*k);
        }
        out.push_str(&format!(
            "\n[[unit]]\nname = {}\nkind = {}\n",
            quoted(name),
            quoted(k.as_str())
        ));
        if !s.aliases.is_empty() {
            let a: Vec<String> = s.aliases.iter().map(|a| quoted(a)).collect();
            out.push_str(&format!("aliases = [{}]\n", a.join(", ")));
        }
        out.push_str(&comment(s));
    }
    let groups: Vec<(&String, &Seen)> = found.iter().filter(|(_, s)| s.group).collect();
    if !groups.is_empty() {
        out.push_str("\n# ----- 群体短语：请核对成员 -----\n");
    }
    for (name, s) in groups {
        out.push_str(&format!("\n[[group]]\nname = {}\n", quoted(name)));
        match member_kind(name) {
            Some(k) => out.push_str(&format!(
                "member_kind = {}   # 推断：该类别的全部单位；不对就删掉这一行，改写 members\n",
                quoted(k.as_str())
            )),
            None => {
                out.push_str("members = []   # 请填写成员的规范名，如 [\"某某局\", \"某某局\"]\n")
            }
        }
        out.push_str(&comment(s));
    }
    Some(out)
}

fn comment(s: &Seen) -> String {
    let mut sorted = s.lines.clone();
    sorted.sort_unstable();
    let lines: Vec<String> = sorted.iter().take(10).map(|l| l.to_string()).collect();
    let more = if s.lines.len() > 10 { " 等" } else { "" };
    let mut c = format!("# 见通知第 {}{more} 行", lines.join("、"));
    for (w, rule) in &s.written {
        c.push_str(&format!("；原文写作“{w}”（{rule}）"));
    }
    c.push('\n');
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        assert_eq!(infer_kind("市民政局"), UnitKind::Department);
        assert_eq!(infer_kind("纸坊街道办事处"), UnitKind::Street);
        assert_eq!(infer_kind("山坡乡"), UnitKind::Street);
        assert_eq!(infer_kind("区科投集团"), UnitKind::Enterprise);
        assert_eq!(infer_kind("人民银行江夏支行"), UnitKind::Other);
        assert_eq!(infer_kind("江岸区政府"), UnitKind::Other);
    }
}
