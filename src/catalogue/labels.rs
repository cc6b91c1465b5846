//! 单位括注：角色名（牵头单位、责任单位、配合单位、责任领导……）的识别、切分与展开。

use super::expand::{expand_in, is_close, is_open, Item, Rule};
use super::notes::{strip_notes, verb_roles};
use super::report::Unknowns;
use super::{Inference, Label, UnitRef};
use crate::diag::{Diagnostic, Diagnostics};
use crate::registry::{Index, Registry};

pub(super) fn classify_label(label: &str) -> Option<Label> {
    let l = label.trim();
    let n = l.chars().count();
    if !(2..=10).contains(&n) || !l.chars().all(is_cjk) {
        return None;
    }
    Some(match l {
        "总牵头单位" | "总牵头部门" => Label::Overall,
        "牵头单位" | "牵头部门" | "主办单位" | "主责单位" | "牵头" | "主责部门" | "汇总单位"
        | "主办部门" => Label::Lead,
        "责任单位"
        | "配合单位"
        | "协办单位"
        | "参与单位"
        | "责任部门"
        | "配合部门"
        | "协同单位"
        | "协作单位"
        | "参加单位"
        | "协助单位"
        | "参办单位"
        | "会办单位"
        | "协办部门"
        | "参与部门"
        | "配合单位及部门" => Label::Responsible,
        // 写人的栏目：各种“……领导”“责任人”“联系人”。
        _ if l.ends_with("领导") || l.ends_with("责任人") || l.ends_with("联系人") => {
            Label::People
        }
        // 其余短标签（如“完成时限”“督办单位”）当作不认识的角色，报告而不混进单位。
        _ if n <= 6 => Label::Unknown,
        _ => return None,
    })
}

pub(super) fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

pub(super) fn is_sep(c: char) -> bool {
    matches!(c, ';' | '；' | ',' | '，' | '。' | '、') || c.is_whitespace()
}

/// 括注里的一个角色段。偏移均为在括注内容中的字节偏移。
#[derive(Debug)]
pub(super) struct Segment<'s> {
    pub(super) role: Label,
    pub(super) label: &'s str,
    pub(super) label_off: usize,
    pub(super) value: &'s str,
    pub(super) value_off: usize,
}

/// 把括注内容切成角色段；返回 (角色名之前的文字及偏移, 各段)。
pub(super) fn split_roles(content: &str) -> ((usize, &str), Vec<Segment<'_>>) {
    let mut marks: Vec<(usize, usize, usize, Label)> = Vec::new(); // (label_start, colon, after_colon, role)
    let mut depth = 0usize;
    for (i, c) in content.char_indices() {
        if is_open(c) {
            depth += 1;
        } else if is_close(c) {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && (c == ':' || c == '：') {
            let before = &content[..i];
            let ls = before
                .char_indices()
                .rev()
                .find(|(_, ch)| is_sep(*ch) || is_open(*ch) || is_close(*ch))
                .map(|(j, ch)| j + ch.len_utf8())
                .unwrap_or(0);
            if let Some(role) = classify_label(&content[ls..i]) {
                marks.push((ls, i, i + c.len_utf8(), role));
            }
        }
    }
    let lead_end = marks.first().map(|m| m.0).unwrap_or(content.len());
    let mut segs = Vec::new();
    for (k, &(ls, colon, after, role)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map(|m| m.0).unwrap_or(content.len());
        let raw = &content[after..end];
        let lead_ws = raw.len() - raw.trim_start().len();
        let value = raw
            .trim()
            .trim_end_matches(|c| is_sep(c) && c != '、')
            .trim();
        segs.push(Segment {
            role,
            label: content[ls..colon].trim(),
            label_off: ls,
            value,
            value_off: after + lead_ws,
        });
    }
    ((0, &content[..lead_end]), segs)
}

pub(super) fn has_role_label(content: &str) -> bool {
    split_roles(content)
        .1
        .iter()
        .any(|s| s.role != Label::Unknown || s.label.ends_with("单位"))
}

/// 一个单位括注里按角色名读出的单位。
#[derive(Debug, Default)]
pub(super) struct LabelledUnits {
    pub(super) leads: Vec<UnitRef>,
    pub(super) responsible: Vec<UnitRef>,
    pub(super) overall: Vec<UnitRef>,
}

impl LabelledUnits {
    /// 并入另一处括注（如另起一行的单位行）读出的单位。
    pub(super) fn extend(&mut self, other: LabelledUnits) {
        self.leads.extend(other.leads);
        self.responsible.extend(other.responsible);
        self.overall.extend(other.overall);
    }
}

/// 解析上下文：登记册、诊断、文件名、规则说明的作用范围与推断记录。
pub(super) struct Ctx<'a> {
    pub(super) index: Index<'a>,
    pub(super) registry: &'a Registry,
    pub(super) source: &'a str,
    pub(super) diags: Diagnostics,
    /// 全文的“列第一位者为牵头单位”说明所在行（写在任务之外的说明管全文）。
    pub(super) doc_first_lead: Option<usize>,
    /// 带“下同”的说明所在行：管到下一条说明。
    pub(super) carry: Option<usize>,
    /// 全文多数单位的层级（如“市”）：单位列表里没有可借的层级前缀时用它。
    pub(super) doc_level: Option<String>,
    /// 正在读的括注属于哪项任务、哪个任务组（下标）。
    pub(super) owner: (Option<usize>, Option<usize>),
    /// 单位名推断的记录（原文 → 结果，规则）。
    pub(super) inferences: Vec<Inference>,
    /// 未登记单位，按名称归并。
    pub(super) unknown: Unknowns,
}

/// 括注用在哪里：任务还是任务组标题。
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Task,
    Group,
}

impl Ctx<'_> {
    pub(super) fn warn(&mut self, (line, col): (usize, usize), msg: String, hint: &str) {
        self.diags
            .push(Diagnostic::warning(self.source, line, col, msg).with_hint(hint));
    }
    pub(super) fn error(&mut self, (line, col): (usize, usize), msg: String, hint: &str) {
        self.diags
            .push(Diagnostic::error(self.source, line, col, msg).with_hint(hint));
    }

    /// 展开一个单位列表：记下推断与未登记单位（按名称归并，最后一并报告），逐处报告“等”。
    pub(super) fn units(
        &mut self,
        value: &str,
        off: usize,
        loc: &dyn Fn(usize) -> (usize, usize),
    ) -> Vec<UnitRef> {
        let e = expand_in(value, &self.index, self.doc_level.as_deref());
        for it in &e.items {
            let at = loc(off + it.offset);
            if let Some(rule) = &it.rule {
                self.infer(at, it, rule.clone());
            }
            self.unknown.see(it, at);
        }
        for p in e.etc {
            self.warn(
                loc(off + p),
                "单位列表里有“等”，名单可能不完整".into(),
                "请向发文单位核实完整名单，在通知中写全全部单位",
            );
        }
        e.items.into_iter().map(|i| i.unit).collect()
    }

    /// 记下一次推断。
    pub(super) fn infer(&mut self, (line, column): (usize, usize), it: &Item, rule: Rule) {
        self.inferences.push(Inference {
            task: self.owner.0,
            group: self.owner.1,
            line,
            column,
            written: it.written.clone(),
            unit: it.unit.name.clone(),
            rule,
            registered: it.known,
        });
    }

    /// 解析括注内容（不含括号）。`loc` 把内容中的字节偏移映射为 (行, 列)。
    pub(super) fn labelled_units(
        &mut self,
        content: &str,
        place: Place,
        loc: &dyn Fn(usize) -> (usize, usize),
    ) -> LabelledUnits {
        let (content, note) = strip_notes(content);
        let inline = note.map(|(at, following)| (loc(at).0, following));
        if let Some((line, true)) = inline {
            self.carry = Some(line);
        }
        let first_lead = inline
            .or(self.carry.map(|l| (l, true)))
            .or(self.doc_first_lead.map(|l| (l, false)));
        let mut r = LabelledUnits::default();
        let (leading, segs) = split_roles(&content);
        if segs.is_empty() {
            if let Some(v) = verb_roles(&content) {
                self.verbs(&v, place, loc, &mut r);
                return r;
            }
        }
        self.unlabelled(
            leading,
            segs.is_empty() && first_lead.is_some(),
            loc,
            &mut r,
        );
        for s in &segs {
            self.segment(s, place, loc, &mut r);
        }
        if let Some((line, following)) = first_lead {
            if place == Place::Task && r.leads.is_empty() && !r.responsible.is_empty() {
                let u = r.responsible.remove(0);
                let it = Item {
                    written: u.name.clone(),
                    unit: u.clone(),
                    offset: 0,
                    known: self.registered(&u),
                    guesses: Vec::new(),
                    rule: None,
                };
                self.infer(loc(0), &it, Rule::FirstListedLeads { line, following });
                r.leads.push(u);
            }
        }
        r
    }

    fn registered(&self, u: &UnitRef) -> bool {
        self.registry.unit(&u.name).is_some() || self.registry.group(&u.name).is_some()
    }

    /// 动词写法的各段。
    fn verbs(
        &mut self,
        v: &[super::notes::VerbSegment<'_>],
        place: Place,
        loc: &dyn Fn(usize) -> (usize, usize),
        r: &mut LabelledUnits,
    ) {
        for &(role, off, value, verb) in v {
            if value.is_empty() {
                continue;
            }
            let units = self.units(value, off, loc);
            if !verb.is_empty() {
                if let (Some(first), Some(u)) =
                    (value.split(['、', ',', '，']).next(), units.first())
                {
                    let it = Item {
                        written: format!("{}{verb}", first.trim()),
                        unit: u.clone(),
                        offset: off,
                        known: self.registered(u),
                        guesses: Vec::new(),
                        rule: None,
                    };
                    self.infer(loc(off), &it, Rule::Verb(verb.to_string()));
                }
            }
            match (role, place) {
                (Label::Lead, Place::Task) => r.leads.extend(units),
                (_, Place::Task) => r.responsible.extend(units),
                (_, Place::Group) => r.overall.extend(units),
            }
        }
    }

    /// 第一个角色名之前的文字：`as_list` 时（整个括注没有角色名且“列第一位者为牵头单位”）
    /// 当作单位列表，否则报告未计入。
    fn unlabelled(
        &mut self,
        (lo, leading): (usize, &str),
        as_list: bool,
        loc: &dyn Fn(usize) -> (usize, usize),
        r: &mut LabelledUnits,
    ) {
        let leading_t = leading.trim_matches(is_sep);
        if leading_t.is_empty() {
            return;
        }
        let off = lo + (leading.len() - leading.trim_start().len());
        if as_list {
            r.responsible = self.units(leading.trim(), off, loc);
        } else {
            self.warn(
                loc(off),
                format!("括注中的“{leading_t}”前没有角色名，未计入任何单位"),
                "应写成（牵头单位：…；责任单位：…）",
            );
        }
    }

    /// 一个角色段：按角色与用处（任务/任务组）计入单位，或报告未计入的原因。
    fn segment(
        &mut self,
        s: &Segment<'_>,
        place: Place,
        loc: &dyn Fn(usize) -> (usize, usize),
        r: &mut LabelledUnits,
    ) {
        if s.value.is_empty() {
            self.warn(
                loc(s.label_off),
                format!("“{}”后没有填写单位", s.label),
                "在冒号后填写单位，或删去该角色",
            );
            return;
        }
        let into =
            match (s.role, place) {
                (Label::Lead, Place::Task) => &mut r.leads,
                (Label::Responsible, Place::Task) => &mut r.responsible,
                (Label::Overall, Place::Group) => &mut r.overall,
                (Label::People, _) => {
                    // 人员不是单位：不进入任何单位列表，但在诊断里原样列出，不悄悄丢掉。
                    self.warn(
                    loc(s.label_off),
                    format!("“{}”填写的是人员“{}”，不是单位，未计入单位", s.label, s.value),
                    "人员不参与单位统计与材料分发；如需登记责任领导，请在办理方案（附表1）中填写",
                );
                    return;
                }
                (Label::Unknown, _) | (Label::Overall, Place::Task) | (_, Place::Group) => {
                    self.misplaced(s, place, loc);
                    return;
                }
            };
        into.extend(self.units(s.value, s.value_off, loc));
    }

    /// 角色名不认识，或不属于这里（如任务括注里的“总牵头单位”）。
    fn misplaced(&mut self, s: &Segment<'_>, place: Place, loc: &dyn Fn(usize) -> (usize, usize)) {
        let (what, hint) = match place {
            Place::Task => (
                "任务",
                "任务括注能识别：牵头单位、责任单位、配合单位、责任领导等",
            ),
            Place::Group => ("任务组", "任务组标题括注只识别：总牵头单位"),
        };
        self.warn(
            loc(s.label_off),
            format!(
                "“{}”不是{what}的单位角色，其后的“{}”未计入",
                s.label, s.value
            ),
            hint,
        );
    }
}

/// 文字末尾的单位括注：返回 (正文结束处, 括注内容起, 括注内容止)，均为字节偏移。
pub(super) fn trailing_units(text: &str, ctx: &Ctx<'_>) -> Option<(usize, usize, usize)> {
    let s = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '。' | '.' | ';' | '；' | ',' | '，')
    });
    let close = s.chars().next_back().filter(|c| is_close(*c))?;
    let close_at = s.len() - close.len_utf8();
    let mut depth = 0usize;
    for (i, c) in s[..close_at].char_indices().rev() {
        if is_close(c) {
            depth += 1;
        } else if is_open(c) {
            if depth == 0 {
                let content = &s[i + c.len_utf8()..close_at];
                return is_units_content(content, ctx).then_some((i, i + c.len_utf8(), close_at));
            }
            depth -= 1;
        }
    }
    None
}

pub(super) fn is_units_content(content: &str, ctx: &Ctx<'_>) -> bool {
    if has_role_label(content) {
        return true;
    }
    let (c, note) = strip_notes(content);
    let first_lead = note.is_some() || ctx.carry.is_some() || ctx.doc_first_lead.is_some();
    let looks_like_units = |list: &str| {
        let e = expand_in(
            list.trim_matches(is_sep),
            &ctx.index,
            ctx.doc_level.as_deref(),
        );
        !e.items.is_empty()
            && e.items.iter().all(|i| {
                i.known
                    || crate::names::is_group_phrase(&i.unit.name)
                    || crate::names::institution_suffix(&i.unit.name).is_some()
            })
    };
    if let Some(v) = verb_roles(&c) {
        return v
            .iter()
            .all(|(_, _, list, _)| list.is_empty() || looks_like_units(list));
    }
    first_lead && !c.contains([':', '：']) && looks_like_units(&c)
}

/// 一行若只是角色行（“牵头单位：…”或整行括注），返回括注内容及其在行内的字节偏移。
pub(super) fn role_line(t: &str) -> Option<(usize, &str)> {
    let first = t.chars().next()?;
    if is_open(first) && t.chars().next_back().is_some_and(is_close) {
        let inner_start = first.len_utf8();
        let inner_end = t.len() - t.chars().next_back().unwrap().len_utf8();
        if inner_start <= inner_end {
            let inner = &t[inner_start..inner_end];
            if has_role_label(inner) {
                return Some((inner_start, inner));
            }
        }
        return None;
    }
    let (_, segs) = split_roles(t);
    let s = segs.first()?;
    (s.label_off == 0 && s.role != Label::Unknown).then_some((0, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_split_on_comma_and_semicolon() {
        let (_, segs) =
            split_roles("牵头单位:区农业农村局,责任单位:区自然资源和规划局,各相关街道办事处");
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].value, "区农业农村局");
        assert_eq!(segs[1].value, "区自然资源和规划局,各相关街道办事处");
        let (_, segs) = split_roles(
            "牵头单位:区委国安办,区国家安全重点领域工作协调机制牵头单位;责任单位:区直各单位",
        );
        assert_eq!(
            segs[0].value,
            "区委国安办,区国家安全重点领域工作协调机制牵头单位"
        );
    }
}
