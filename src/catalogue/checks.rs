//! 解析收尾时的检查：编号连续、单位括注与牵头单位、声明的总数、编号唯一，以及任务组结构
//! （标题读不出总牵头单位、整章的任务组都没有总牵头单位、章内第一个任务组之前的任务）。

use super::expand::{is_close, is_open};
use super::labels::Ctx;
use super::pending::{Part, Pending};
use super::Catalogue;
use std::collections::BTreeMap;

/// 标题里“共N项”的 N。
pub(super) fn declared_count(title: &str) -> Option<usize> {
    let p = title.find('共')?;
    let r = &title[p + '共'.len_utf8()..];
    let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
    (d > 0 && r[d..].starts_with('项'))
        .then(|| r[..d].parse().ok())
        .flatten()
}

/// 任务 id 与诊断里的称呼：重点工作为“1”“第1项任务”，其他部分为“三.1”“任务 三.1”。
pub(super) fn task_id(p: &Pending, is_main: bool, parts: &[Part]) -> (String, String) {
    let id = match (is_main, p.part) {
        (false, Some(pi)) => format!("{}.{}", parts[pi].numeral, p.number),
        _ => p.number.to_string(),
    };
    let label = if is_main {
        format!("第{}项任务", p.number)
    } else {
        format!("任务 {id}")
    };
    (id, label)
}

/// 编号应在同一部分内从 1 起逐项加一。`prev` 为上一项的 (部分, 编号)。
pub(super) fn check_numbering(
    prev: Option<(Option<usize>, u32)>,
    p: &Pending,
    label: &str,
    ctx: &mut Ctx<'_>,
) {
    let expected = match prev {
        Some((part, n)) if part == p.part => n + 1,
        _ => 1,
    };
    if p.number == expected {
        return;
    }
    let msg = if p.number + 1 == expected {
        format!("{label}编号重复")
    } else if p.number > expected {
        format!(
            "编号跳过了 {}–{}，这里是 {}",
            expected,
            p.number - 1,
            p.number
        )
    } else {
        format!("编号不连续：应为 {expected}，这里是 {}", p.number)
    };
    ctx.error((p.line, 1), msg, "核对原文编号；重复或缺号会使任务对不上号");
}

/// 单位括注与牵头单位：重点工作缺了是错误，其他部分只警告。`unfinished`：文档在此任务中途结束。
pub(super) fn check_units(
    p: &Pending,
    label: &str,
    is_main: bool,
    unfinished: bool,
    ctx: &mut Ctx<'_>,
) {
    let at = (p.line, 1);
    let unparsed = if p.has_units {
        None
    } else {
        unparsed_paren(&p.text)
    };
    if let Some(inner) = unparsed {
        // 末尾有像单位括注的括号却读不出角色：多半是漏了冒号或角色名写错。
        let msg = format!("{label}末尾的括注“{inner}”无法解析为单位括注");
        let hint = "应写成（牵头单位：…；责任单位：…），角色名后要有冒号";
        error_if_main(ctx, is_main, at, msg, hint);
    } else if unfinished {
        ctx.error(
            at,
            format!("文档在{label}中途结束，没有单位括注"),
            "文本可能没有复制完整，请补全该任务及其（牵头单位：…；责任单位：…）",
        );
    } else if !p.has_units {
        let msg = format!("{label}没有单位括注（牵头单位：…；责任单位：…）");
        let hint = "在任务末尾补上单位括注，或把单位另起一行写成“牵头单位：…”";
        error_if_main(ctx, is_main, at, msg, hint);
    } else if is_main && p.units.leads.is_empty() {
        ctx.error(
            at,
            format!("{label}没有牵头单位"),
            "重点工作每项都须有牵头单位；补上“牵头单位：…”，或在通知中注明“列第一位者为牵头单位”",
        );
    }
}

fn error_if_main(ctx: &mut Ctx<'_>, is_main: bool, at: (usize, usize), msg: String, hint: &str) {
    if is_main {
        ctx.error(at, msg, hint);
    } else {
        ctx.warn(at, msg, hint);
    }
}

/// 部分标题声明的“共N项”须与解析出的任务数一致。
pub(super) fn check_declared_counts(cat: &Catalogue, parts: &[Part], ctx: &mut Ctx<'_>) {
    for (pi, part) in parts.iter().enumerate() {
        if let Some(n) = part.declared {
            let count = count_in_part(cat, parts, pi);
            if count != n {
                ctx.error(
                    (part.line, 1),
                    format!("“{}、”声明共 {n} 项，实际解析出 {count} 项", part.numeral),
                    "检查是否有任务编号写错、任务被并入上一行或缺失",
                );
            }
        }
    }
}

pub(super) fn check_unique_ids(cat: &Catalogue, ctx: &mut Ctx<'_>) {
    let mut seen = std::collections::HashSet::new();
    for t in &cat.tasks {
        if !seen.insert(t.id.clone()) {
            ctx.error(
                (t.line, 1),
                format!("任务编号 {} 重复出现", t.id),
                "每个任务的编号须唯一",
            );
        }
    }
}

/// 正文末尾括号里提到“单位”“部门”却没被当作单位括注时，返回括号内容。
fn unparsed_paren(text: &str) -> Option<&str> {
    let s = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '。' | '.' | ';' | '；' | ',' | '，')
    });
    let close = s.chars().next_back().filter(|c| is_close(*c))?;
    let close_at = s.len() - close.len_utf8();
    let open = s[..close_at].rfind(is_open)?;
    let inner = &s[open + s[open..].chars().next()?.len_utf8()..close_at];
    (inner.contains("单位") || inner.contains("部门")).then_some(inner)
}

fn count_in_part(cat: &Catalogue, parts: &[Part], pi: usize) -> usize {
    // 任务的所属部分按行号判定：位于该部分标题与下一部分标题之间。
    let start = parts[pi].line;
    let end = parts.get(pi + 1).map(|p| p.line).unwrap_or(usize::MAX);
    cat.tasks
        .iter()
        .filter(|t| t.line > start && t.line < end)
        .count()
}

/// 任务组结构：
/// - 一章的几个任务组（两个以上）都没有总牵头单位（又没写明“无”），而同一部分其他章的任务组有：
///   多半是标题括注被删或写坏（只有一个组的章看不出来，不报）；
/// - 章内第一个任务组标题之前的任务，而本章其他任务组有总牵头单位：多半是第一个任务组标题被删。
pub(super) fn check_groups(cat: &Catalogue, no_overall: &[bool], ctx: &mut Ctx<'_>) {
    let Some(main) = cat
        .tasks
        .first()
        .and_then(|t| t.chapter)
        .map(|c| cat.chapters[c].part.clone())
    else {
        return;
    };
    // 章 → (组数, 有总牵头的组数, 写明“无”的组数)
    let mut by_chapter: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
    for (gi, g) in cat.groups.iter().enumerate() {
        let e = by_chapter.entry(g.chapter).or_default();
        e.0 += 1;
        e.1 += usize::from(!g.overall_leads.is_empty());
        e.2 += usize::from(no_overall.get(gi).copied().unwrap_or(false));
    }
    let in_main = |c: usize| cat.chapters[c].part == main;
    let others_have = by_chapter.iter().any(|(c, e)| in_main(*c) && e.1 > 0);
    for (&c, &(groups, with, none)) in &by_chapter {
        if in_main(c) && others_have && groups >= 2 && with == 0 && none == 0 {
            let ch = &cat.chapters[c];
            ctx.error(
                (ch.line, 1),
                format!("“（{}）”这一章的 {groups} 个任务组都没有总牵头单位，而其他章的任务组都写了", ch.number),
                "检查这一章各任务组标题末尾的（总牵头单位：…）是否被删掉或写坏；确实没有的，写“（总牵头单位：无）”",
            );
        }
    }
    for (&c, &(_, with, _)) in &by_chapter {
        let before: Vec<&super::Task> = cat
            .tasks
            .iter()
            .filter(|t| t.chapter == Some(c) && t.group.is_none())
            .collect();
        if with == 0 || before.is_empty() {
            continue;
        }
        let (first, last) = (before[0], before[before.len() - 1]);
        let span = if first.id == last.id {
            format!("第{}项任务", first.id)
        } else {
            format!("第{}–{}项任务", first.id, last.id)
        };
        ctx.error(
            (first.line, 1),
            format!("{span}在本章第一个任务组标题之前，不属于任何任务组，没有总牵头单位"),
            "本章其他任务组都有总牵头单位：检查这些任务前面的任务组标题“——标题（总牵头单位：…）”是否被删掉或与上一行连在了一起",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_count_reads_gong_n_xiang() {
        assert_eq!(declared_count("重点工作(共135项)"), Some(135));
        assert_eq!(declared_count("其他工作（共 5 项）"), None);
        assert_eq!(declared_count("共同推进"), None);
        assert_eq!(declared_count("重点工作"), None);
    }
}
