//! 未登记单位的报告：同一名称只报一条（列出全部出现处），新通知也只得到一张短清单；
//! 登记册整个对不上（空的，或多半单位都不认识）时另报一条，提示用 `duban units --init` 起草。

use super::expand::{Item, Rule};
use crate::diag::{Diagnostic, Diagnostics};
use crate::registry::Registry;
use std::collections::{BTreeMap, BTreeSet};

/// 一个未登记的名称。
#[derive(Debug, Default)]
struct Unknown {
    group: bool,
    /// 原文写法（去重，按出现顺序）。
    written: Vec<String>,
    /// 出现处 (行, 列)。
    sites: Vec<(usize, usize)>,
    rule: Option<Rule>,
    guesses: Vec<String>,
}

/// 按名称归并的未登记单位。
#[derive(Debug, Default)]
pub(super) struct Unknowns {
    by_name: BTreeMap<String, Unknown>,
    /// 通知中出现的全部单个单位名（不含群体短语）。
    seen: BTreeSet<String>,
}

impl Unknowns {
    /// 记下展开出的一项。
    pub(super) fn see(&mut self, it: &Item, at: (usize, usize)) {
        if !it.unit.is_group {
            self.seen.insert(it.unit.name.clone());
        }
        if it.known {
            return;
        }
        let u = self.by_name.entry(it.unit.name.clone()).or_default();
        u.group = it.unit.is_group;
        if !u.written.contains(&it.written) {
            u.written.push(it.written.clone());
        }
        u.sites.push(at);
        if u.rule.is_none() {
            u.rule = it.rule.clone();
        }
        for g in &it.guesses {
            if !u.guesses.contains(g) {
                u.guesses.push(g.clone());
            }
        }
    }

    /// 每个名称一条警告，位置为第一次出现处，消息里列出全部出现的行。
    pub(super) fn report(&self, source: &str, registry: &Registry, diags: &mut Diagnostics) {
        // 还没有登记册（新通知）：逐个报告没有意义，只报一条，指向 duban units --init。
        let empty = registry.units.is_empty() && registry.groups.is_empty();
        for (name, u) in self.by_name.iter().filter(|_| !empty) {
            let (line, col) = u.sites[0];
            let what = if u.group { "群体短语" } else { "单位" };
            let mut msg = format!("未登记的{what}“{name}”");
            let others: Vec<&String> = u.written.iter().filter(|w| *w != name).collect();
            if let (Some(rule), false) = (&u.rule, others.is_empty()) {
                let w: Vec<String> = others.iter().map(|w| format!("“{w}”")).collect();
                msg.push_str(&format!("（原文{}，{}）", w.join("、"), rule.describe()));
            } else {
                msg.push_str("，已按原文保留");
            }
            let mut lines: Vec<usize> = u.sites.iter().map(|s| s.0).collect();
            lines.dedup();
            if u.sites.len() > 1 {
                let shown: Vec<String> = lines.iter().take(12).map(|l| l.to_string()).collect();
                let more = if lines.len() > 12 { " 等" } else { "" };
                msg.push_str(&format!(
                    "，共 {} 处：第 {}{more} 行",
                    u.sites.len(),
                    shown.join("、")
                ));
            }
            // 名称有层级时，只拿有层级的写法去找近似名（“民政局”会找到别的层级的“区民政局”）。
            let leveled = crate::names::level_of(name).is_some();
            let guesses: Vec<&str> = u
                .guesses
                .iter()
                .map(String::as_str)
                .filter(|g| !leveled || crate::names::level_of(g).is_some())
                .collect();
            let sug = registry.suggest(&guesses);
            let hint = if !sug.is_empty() {
                format!(
                    "你是不是要找：{}？若是新单位或新简称，请在单位登记册 units.toml 中登记",
                    sug.join("、")
                )
            } else if u.group {
                "在单位登记册 units.toml 中用 [[group]] 登记，并写上成员 members 或成员类别 member_kind".into()
            } else {
                "若是新单位，请在单位登记册 units.toml 中登记（规范名、类别、别名）".into()
            };
            diags.push(Diagnostic::warning(source, line, col, msg).with_hint(hint));
        }
        self.report_mismatch(source, registry, diags);
    }

    /// 登记册与通知整个对不上时的一条总提示。
    fn report_mismatch(&self, source: &str, registry: &Registry, diags: &mut Diagnostics) {
        let unknown = self.by_name.values().filter(|u| !u.group).count();
        let total = self.seen.len();
        let hint = "运行 duban units --init 按这份通知起草单位登记册（已有的登记不会改动），核对后再运行 duban check";
        let msg = if registry.units.is_empty() && registry.groups.is_empty() && total > 0 {
            format!("单位登记册里没有单位：通知中的 {total} 个单位都没有登记，按原文与公文惯例读出")
        } else if unknown >= 5 && unknown * 2 >= total {
            format!(
                "通知中的 {total} 个单位有 {unknown} 个不在单位登记册里：登记册可能不是这份通知的"
            )
        } else {
            return;
        };
        diags.push(Diagnostic::warning(source, 0, 0, msg).with_hint(hint));
    }
}
