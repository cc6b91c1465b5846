//! 单位列表简写展开。
//!
//! 公文列单位时，共同的前缀和后缀只写一次：“区科经、商务局”= 区科经局、区商务局；
//! “郑店、五里界街道办事处”= 两个街道办事处；“区总工会、团区委、妇联、残联”中
//! 妇联、残联借用首项的“区”。先问登记册：对每一项依次尝试原样、补后缀、补前缀、前后都补，
//! 取第一个登记册认识的写法。登记册不认识时按公文惯例推断（`crate::names`）：缺机构后缀的借末项的
//! 后缀，没有层级的借首项的层级前缀（“市教育局、民政局”→ 市民政局），自带层级的
//! （“江岸区政府”“团区委”“人民银行江夏支行”）和群体短语不借。每次借用都记下规则（[`Rule`]），
//! 在 `duban catalogue` 中列出；登记册里登记了原文写法，就以登记册为准。

use super::UnitRef;
use crate::names;
use crate::registry::{Index, Registered};

/// 由原文写法得到单位名时用到的规则。
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// 借用列表末项的机构后缀（“区科经、商务局”中的“局”）。
    SharedSuffix(String),
    /// 借用列表首项的层级前缀（“市教育局、民政局”中的“市”）。
    SharedPrefix(String),
    /// 前缀、后缀都借用。
    SharedPrefixSuffix(String, String),
    /// 去掉名称后的括注（“区财政局(金融办)”未登记时按“区财政局”查）。
    BracketDropped,
    /// 自带层级，不借首项的前缀（“市发改委、江岸区政府”中的江岸区政府）。
    OwnLevel,
    /// 去掉“等”“等单位”（名单可能不完整）。
    Etc,
    /// 列表里没有可借前缀的项，按全文多数单位的层级补上（可能同时借了末项的后缀）。
    DocLevel(String, Option<String>),
    /// 规则说明“列第一位者为牵头单位”：列在第一位的是牵头单位。`line` 为说明所在行。
    FirstListedLeads { line: usize, following: bool },
    /// 动词写法“某某牵头”“某某配合”读出的角色。
    Verb(String),
}

impl Rule {
    /// 中文说明。
    pub fn describe(&self) -> String {
        match self {
            Rule::SharedSuffix(s) => format!("借用末项的后缀“{s}”"),
            Rule::SharedPrefix(p) => format!("借用首项的层级前缀“{p}”"),
            Rule::SharedPrefixSuffix(p, s) => format!("借用首项的前缀“{p}”和末项的后缀“{s}”"),
            Rule::BracketDropped => "去掉括注".into(),
            Rule::DocLevel(p, None) => format!("按全文多数单位的层级补“{p}”"),
            Rule::DocLevel(p, Some(s)) => {
                format!("按全文多数单位的层级补“{p}”，借用末项的后缀“{s}”")
            }
            Rule::OwnLevel => "自带层级，不借首项的前缀".into(),
            Rule::Etc => "去掉“等”（名单可能不完整）".into(),
            Rule::FirstListedLeads { line, following } => format!(
                "列第一位者为牵头单位（第{line}行的说明{}）",
                if *following { "，下同" } else { "" }
            ),
            Rule::Verb(v) => format!("“{v}”写法"),
        }
    }
}

/// 展开后的一项。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub unit: UnitRef,
    /// 原文写法（去掉首尾空白）。
    pub written: String,
    /// 在输入中的字节偏移。
    pub offset: usize,
    /// 登记册是否认识。
    pub known: bool,
    /// 未登记时的猜测（用于“你是不是要找”）。
    pub guesses: Vec<String>,
    /// 由原文得到单位名用到的规则（原样即是时为空）。
    pub rule: Option<Rule>,
}

/// 一个单位列表的展开结果。
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    pub items: Vec<Item>,
    /// 列表中“等”“等单位”的字节偏移（可能不完整）：中间的“县应急局等,各乡镇”也算。
    pub etc: Vec<usize>,
}

/// 开括号与闭括号（全角、半角、方括号、六角括号都算）。
pub(crate) fn is_open(c: char) -> bool {
    matches!(c, '(' | '（' | '[' | '【' | '〔' | '［')
}
pub(crate) fn is_close(c: char) -> bool {
    matches!(c, ')' | '）' | ']' | '】' | '〕' | '］')
}

/// 在括号深度为 0 处按 `seps` 切分，返回 (字节偏移, 片段)；片段不去空白。
pub(crate) fn split_top<'s>(s: &'s str, seps: &[char]) -> Vec<(usize, &'s str)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if is_open(c) {
            depth += 1;
        } else if is_close(c) {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && seps.contains(&c) {
            out.push((start, &s[start..i]));
            start = i + c.len_utf8();
        }
    }
    out.push((start, &s[start..]));
    out
}

/// 单位之间的分隔符（逗号、分号，全半角）。
pub const LIST_SEPS: &[char] = &[',', '，', ';', '；'];

/// 单位名后的“按职责分工负责”一类说法：不是名称的一部分。
const DUTY_TAILS: &[&str] = &[
    "按职责分工负责",
    "按职能分工负责",
    "按职责负责",
    "分工负责",
    "共同负责",
];

/// 项末的“等”：返回去掉后的写法与“等”的字节偏移。
fn strip_etc(item: &str) -> (&str, Option<usize>) {
    let mut s = item;
    for t in DUTY_TAILS {
        if s.len() > t.len() && s.ends_with(t) {
            s = s[..s.len() - t.len()].trim_end();
            break;
        }
    }
    for tail in [
        "等有关单位",
        "等相关单位",
        "等有关部门",
        "等相关部门",
        "等单位",
        "等部门",
        "等",
    ] {
        if s.len() > tail.len() && s.ends_with(tail) {
            let cut = s.len() - tail.len();
            return (s[..cut].trim_end(), Some(cut));
        }
    }
    (s, None)
}

/// 展开一个单位列表，如“区科经、商务局,郑店、五里界街道办事处,江夏经济开发区管委会”。
pub fn expand(value: &str, index: &Index<'_>) -> Expansion {
    expand_in(value, index, None)
}

/// 同 [`expand`]，`doc_level` 为全文多数单位的层级（如“市”）：列表里没有可借前缀时用它。
pub fn expand_in(value: &str, index: &Index<'_>, doc_level: Option<&str>) -> Expansion {
    let mut out = Expansion::default();
    for (seg_off, seg) in split_top(value, LIST_SEPS) {
        let mut raw: Vec<(usize, &str)> = Vec::new();
        for (o, s) in split_top(seg, &['、']) {
            let off = seg_off + o + (s.len() - s.trim_start().len());
            let (t, etc) = strip_etc(s.trim());
            if let Some(cut) = etc {
                out.etc.push(off + cut);
            }
            if !t.is_empty() {
                raw.push((off, t));
            }
        }
        let texts: Vec<&str> = raw.iter().map(|(_, s)| *s).collect();
        for (k, (off, written)) in raw.iter().enumerate() {
            out.items
                .push(resolve_item(&texts, (k, *off, written), index, doc_level));
        }
    }
    out
}
/// 首项可借出的前缀（1–3 个字，短者优先）。
fn prefixes(first: &str) -> Vec<&str> {
    first
        .char_indices()
        .skip(1)
        .take(3)
        .map(|(i, _)| &first[..i])
        .filter(|p| !p.chars().any(|c| is_open(c) || is_close(c)))
        .collect()
}

/// 末项可借出的后缀（短者优先，不含整项）。
fn suffixes(last: &str) -> Vec<&str> {
    let mut v: Vec<&str> = last
        .char_indices()
        .skip(1)
        .map(|(i, _)| &last[i..])
        .filter(|s| !s.chars().any(|c| is_open(c) || is_close(c)))
        .collect();
    v.reverse();
    v
}

/// 列表中的第 k 项：(k, 字节偏移, 原文写法)。
fn resolve_item(
    texts: &[&str],
    (k, offset, written): (usize, usize, &str),
    index: &Index<'_>,
    doc_level: Option<&str>,
) -> Item {
    let n = texts.len();
    let mut candidates: Vec<(String, Option<Rule>)> = vec![(written.to_string(), None)];
    let sufs = if k + 1 < n {
        suffixes(texts[n - 1])
    } else {
        Vec::new()
    };
    let pres: Vec<&str> = if k > 0 {
        prefixes(texts[0])
            .into_iter()
            .filter(|p| !written.starts_with(p))
            .collect()
    } else {
        Vec::new()
    };
    let suf = |s: &str| Some(Rule::SharedSuffix(s.to_string()));
    candidates.extend(sufs.iter().map(|s| (format!("{written}{s}"), suf(s))));
    let pre = |p: &str| Some(Rule::SharedPrefix(p.to_string()));
    candidates.extend(pres.iter().map(|p| (format!("{p}{written}"), pre(p))));
    for p in &pres {
        candidates.extend(sufs.iter().map(|s| {
            let r = Rule::SharedPrefixSuffix(p.to_string(), s.to_string());
            (format!("{p}{written}{s}"), Some(r))
        }));
    }
    // “区某局(某办)”这类带括注的别名未登记时，去掉括注再试一次。
    if let Some(i) = written.find(['(', '（']) {
        if i > 0 && written.ends_with([')', '）']) {
            candidates.push((written[..i].to_string(), Some(Rule::BracketDropped)));
        }
    }
    let item = |unit: UnitRef, known: bool, guesses: Vec<String>, rule: Option<Rule>| Item {
        unit,
        written: written.to_string(),
        offset,
        known,
        guesses,
        rule,
    };
    for (ci, (c, rule)) in candidates.iter().enumerate() {
        match index.get(c) {
            Some(Registered::Unit(u)) => {
                return item(UnitRef::unit(&u.name), true, Vec::new(), rule.clone());
            }
            Some(Registered::Group(g)) => {
                // 群体短语保留原文写法；只有借了前后缀时才用登记名。
                let name = if ci == 0 { written } else { g.name.as_str() };
                return item(UnitRef::group(name), true, Vec::new(), rule.clone());
            }
            None => {}
        }
    }
    // 登记册不认识：按公文惯例推断；猜测用“前缀+本项+后缀”等写法去找近似名。
    let (name, rule) = infer(texts, k, written, doc_level);
    let mut guesses: Vec<String> = candidates.into_iter().map(|(c, _)| c).collect();
    guesses.insert(0, name.clone());
    let unit = UnitRef {
        is_group: names::is_group_phrase(&name),
        name,
    };
    item(unit, false, guesses, rule)
}

/// 登记册不认识的一项按惯例补全：缺机构后缀的借末项的后缀，没有层级的借首项的层级前缀。
fn infer(
    texts: &[&str],
    k: usize,
    written: &str,
    doc_level: Option<&str>,
) -> (String, Option<Rule>) {
    let n = texts.len();
    if names::is_group_phrase(written) || written.contains(|c| is_open(c) || is_close(c)) {
        return (written.to_string(), None);
    }
    let suffix = (k + 1 < n && names::institution_suffix(written).is_none())
        .then(|| names::institution_suffix(texts[n - 1]))
        .flatten();
    let full = format!("{written}{}", suffix.unwrap_or(""));
    let suffix_rule = suffix.map(|s| Rule::SharedSuffix(s.into()));
    // 前缀从本项之前第一个带层级的部门借（“江岸区政府”“团市委”这类整体的单位不借出）。
    let donor = texts[..k]
        .iter()
        .filter(|t| !t.ends_with("政府"))
        .find_map(|t| names::level_prefix(t).map(|l| (*t, &t[..l])));
    if names::has_own_level(written) {
        // 与借出方同一层级（“县财政局、县自然资源局”）不算推断；不同的（“市……、江岸区政府”）记下来。
        let differs = donor.is_some_and(|(_, l)| !full.starts_with(l));
        return (full, suffix_rule.or(differs.then_some(Rule::OwnLevel)));
    }
    let (prefix, from_doc) = match donor {
        // 党委工作部门借“市委”：“市委组织部、宣传部”→ 市委宣传部。
        Some((d, l)) if names::is_party_body(&full) && d[l.len()..].starts_with('委') => {
            (Some(format!("{l}委")), false)
        }
        Some((_, l)) => (Some(l.to_string()), false),
        // 列表里没有可借的：用全文多数单位的层级（“市”），只补给像部门的名称。
        None => match doc_level {
            Some(l) if names::institution_suffix(&full).is_some() => (Some(l.to_string()), true),
            _ => (None, false),
        },
    };
    let rule = match (&prefix, suffix) {
        (Some(p), s) if from_doc => Some(Rule::DocLevel(p.clone(), s.map(str::to_string))),
        (Some(p), Some(s)) => Some(Rule::SharedPrefixSuffix(p.clone(), s.into())),
        (Some(p), None) => Some(Rule::SharedPrefix(p.clone())),
        (None, _) => suffix_rule,
    };
    (format!("{}{full}", prefix.unwrap_or_default()), rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    #[test]
    fn conventions_without_registry() {
        let r = Registry::default();
        let ix = r.index();
        let cases: &[(&str, &[&str])] = &[
            ("市教育局、民政局", &["市教育局", "市民政局"]),
            (
                "市发改委、江岸区政府、民政局",
                &["市发改委", "江岸区政府", "市民政局"],
            ),
            ("市委组织部、宣传部", &["市委组织部", "市委宣传部"]),
            ("区科经、商务局", &["区科经局", "区商务局"]),
            (
                "郑店、五里界街道办事处",
                &["郑店街道办事处", "五里界街道办事处"],
            ),
            (
                "区总工会、团区委、妇联、残联",
                &["区总工会", "团区委", "区妇联", "区残联"],
            ),
            (
                "市财政局、人民银行武汉分行",
                &["市财政局", "人民银行武汉分行"],
            ),
            ("江夏区发改局、财政局", &["江夏区发改局", "江夏区财政局"]),
            ("区发改局、市场监管局", &["区发改局", "区市场监管局"]),
            (
                "市卫健委、各县（市、区）政府",
                &["市卫健委", "各县（市、区）政府"],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(names(&expand(input, &ix)), *want, "{input}");
        }
        // 全文多数单位是“市”级：列表里没有可借的前缀时补“市”。
        let e = expand_in("江岸区政府、团市委、民政局", &ix, Some("市"));
        assert_eq!(names(&e), ["江岸区政府", "团市委", "市民政局"]);
        assert_eq!(e.items[2].rule, Some(Rule::DocLevel("市".into(), None)));
    }

    fn reg() -> Registry {
        let text = r#"
[[unit]]
name = "区科经局"
kind = "区直部门"
[[unit]]
name = "区商务局"
kind = "区直部门"
[[unit]]
name = "区总工会"
kind = "区直部门"
[[unit]]
name = "团区委"
kind = "区直部门"
[[unit]]
name = "区妇联"
kind = "区直部门"
[[unit]]
name = "区残联"
kind = "区直部门"
[[unit]]
name = "区公安分局"
kind = "区直部门"
[[group]]
name = "各县(市、区)政府"
"#;
        Registry::parse(text, "u.toml").0
    }

    fn names(e: &Expansion) -> Vec<&str> {
        e.items.iter().map(|i| i.unit.name.as_str()).collect()
    }

    #[test]
    fn shared_prefix_and_suffix() {
        let r = reg();
        let ix = r.index();
        assert_eq!(
            names(&expand("区科经、商务局", &ix)),
            ["区科经局", "区商务局"]
        );
        assert_eq!(
            names(&expand("区总工会、团区委、妇联、残联", &ix)),
            ["区总工会", "团区委", "区妇联", "区残联"]
        );
        assert_eq!(
            names(&expand("区科经、公安分局", &ix)),
            ["区科经局", "区公安分局"]
        );
    }

    #[test]
    fn bracketed_group_not_split_and_etc() {
        let r = reg();
        let ix = r.index();
        let e = expand("各县（市、区）政府，区商务局等", &ix);
        let mid = expand("县应急局等,各乡镇人民政府", &ix);
        assert_eq!(names(&mid), ["县应急局", "各乡镇人民政府"]);
        assert_eq!(mid.etc, ["县应急局".len()]);
        assert_eq!(names(&e), ["各县（市、区）政府", "区商务局"]);
        assert!(e.items[0].unit.is_group);
        assert_eq!(e.etc.len(), 1);
    }

    #[test]
    fn unknown_is_kept_as_written() {
        let r = reg();
        let ix = r.index();
        let e = expand("区科经、外事局", &ix);
        // 未登记的“外事局”借首项的“区”：按惯例推断，仍报未登记。
        assert_eq!(names(&e), ["区科经局", "区外事局"]);
        assert!(!e.items[1].known);
        assert_eq!(e.items[1].rule, Some(Rule::SharedPrefix("区".into())));
        assert_eq!(e.items[1].offset, "区科经、".len());
    }
}
