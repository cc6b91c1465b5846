//! 单位列表简写展开。
//!
//! 公文列单位时，共同的前缀和后缀只写一次：“区科经、商务局”= 区科经局、区商务局；
//! “郑店、五里界街道办事处”= 两个街道办事处；“区总工会、团区委、妇联、残联”中
//! 妇联、残联借用首项的“区”。哪种拆法对，由单位登记册决定：对每一项依次尝试
//! 原样、补后缀、补前缀、前后都补，取第一个登记册认识的写法；都不认识就原样保留并报警告。

use super::UnitRef;
use crate::registry::{Index, Registered};

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
}

/// 一个单位列表的展开结果。
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    pub items: Vec<Item>,
    /// 列表以“等”结尾（可能不完整），值为“等”的字节偏移。
    pub etc: Option<usize>,
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

/// 展开一个单位列表，如“区科经、商务局,郑店、五里界街道办事处,江夏经济开发区管委会”。
pub fn expand(value: &str, index: &Index<'_>) -> Expansion {
    let mut out = Expansion::default();
    let segments = split_top(value, LIST_SEPS);
    let last_seg = segments.len() - 1;
    for (si, (seg_off, seg)) in segments.into_iter().enumerate() {
        let mut raw: Vec<(usize, &str)> = split_top(seg, &['、'])
            .into_iter()
            .map(|(o, s)| {
                let lead = s.len() - s.trim_start().len();
                (seg_off + o + lead, s.trim())
            })
            .collect();
        // “等”“等单位”只在整个列表末尾才表示省略。
        if si == last_seg {
            if let Some((off, last)) = raw.last_mut() {
                for tail in ["等单位", "等部门", "等"] {
                    if last.len() > tail.len() && last.ends_with(tail) {
                        let cut = last.len() - tail.len();
                        out.etc = Some(*off + cut);
                        *last = last[..cut].trim_end();
                        break;
                    }
                }
            }
        }
        let raw: Vec<(usize, &str)> = raw.into_iter().filter(|(_, s)| !s.is_empty()).collect();
        let texts: Vec<&str> = raw.iter().map(|(_, s)| *s).collect();
        for (k, (off, written)) in raw.iter().enumerate() {
            out.items
                .push(resolve_item(&texts, k, *off, written, index));
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

fn resolve_item(texts: &[&str], k: usize, offset: usize, written: &str, index: &Index<'_>) -> Item {
    let n = texts.len();
    let mut candidates: Vec<String> = vec![written.to_string()];
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
    candidates.extend(sufs.iter().map(|s| format!("{written}{s}")));
    candidates.extend(pres.iter().map(|p| format!("{p}{written}")));
    for p in &pres {
        candidates.extend(sufs.iter().map(|s| format!("{p}{written}{s}")));
    }
    // “区某局(某办)”这类带括注的别名未登记时，去掉括注再试一次。
    if let Some(i) = written.find(['(', '（']) {
        if i > 0 && written.ends_with([')', '）']) {
            candidates.push(written[..i].to_string());
        }
    }
    for (ci, c) in candidates.iter().enumerate() {
        match index.get(c) {
            Some(Registered::Unit(u)) => {
                return Item {
                    unit: UnitRef::unit(&u.name),
                    written: written.to_string(),
                    offset,
                    known: true,
                    guesses: Vec::new(),
                }
            }
            Some(Registered::Group(g)) => {
                // 群体短语保留原文写法；只有借了前后缀时才用登记名。
                let name = if ci == 0 { written } else { g.name.as_str() };
                return Item {
                    unit: UnitRef::group(name),
                    written: written.to_string(),
                    offset,
                    known: true,
                    guesses: Vec::new(),
                };
            }
            None => {}
        }
    }
    // 未登记：原样保留；猜测用“前缀+本项+后缀”等写法去找近似名。
    let is_group =
        written.starts_with('各') || written.contains("各单位") || written.contains("各部门");
    Item {
        unit: UnitRef {
            name: written.to_string(),
            is_group,
        },
        written: written.to_string(),
        offset,
        known: false,
        guesses: candidates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

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
        assert_eq!(names(&e), ["各县（市、区）政府", "区商务局"]);
        assert!(e.items[0].unit.is_group);
        assert!(e.etc.is_some());
    }

    #[test]
    fn unknown_is_kept_as_written() {
        let r = reg();
        let ix = r.index();
        let e = expand("区科经、外事局", &ix);
        assert_eq!(names(&e), ["区科经局", "外事局"]);
        assert!(!e.items[1].known);
        assert_eq!(e.items[1].offset, "区科经、".len());
    }
}
