//! 通知文本解析器：逐行识别部分（“二、”）、章（“（一）”）、任务组（“——”）、任务（“1.”）
//! 与单位括注，展开单位简写，收集诊断。
//!
//! 容错：全半角括号/冒号/分号/逗号、方括号、“1、”“（1）”“（一）”编号、单位另起一行、
//! “配合单位”“责任领导”、“列第一位者为牵头单位”、粘进正文的页码与发布日期行、中途结束的文档。

use super::expand::{is_close, is_open};
use super::labels::{role_line, trailing_units, Ctx, Place, Roles, FIRST_IS_LEAD};
use super::lines::{annex, cn_paren, find_title, furniture, part_heading, task_number};
use super::{Catalogue, Chapter, Group, Task};
use crate::diag::Diagnostics;
use crate::registry::Registry;

/// 正在收集的任务。
struct Pending {
    number: u32,
    part: Option<usize>,
    chapter: Option<usize>,
    group: Option<usize>,
    line: usize,
    text: String,
    /// (text 中的字节偏移, 行, 该处的列)
    spans: Vec<(usize, usize, usize)>,
    roles: Roles,
    has_units: bool,
}

fn map_loc(spans: &[(usize, usize, usize)], text: &str, byte: usize) -> (usize, usize) {
    let s = spans
        .iter()
        .rev()
        .find(|s| s.0 <= byte)
        .copied()
        .unwrap_or((0, 0, 1));
    let end = byte.min(text.len());
    let start = s.0.min(end);
    (
        s.1,
        s.2 + text.get(start..end).map(|t| t.chars().count()).unwrap_or(0),
    )
}

impl Pending {
    fn push(&mut self, piece: &str, line: usize, col: usize, ctx: &mut Ctx<'_>) {
        self.spans.push((self.text.len(), line, col));
        self.text.push_str(piece);
        if self.has_units {
            return;
        }
        if let Some((text_end, cs, ce)) = trailing_units(&self.text, ctx) {
            let content = self.text[cs..ce].to_string();
            let spans = self.spans.clone();
            let full = self.text.clone();
            let loc = move |o: usize| map_loc(&spans, &full, cs + o);
            let r = ctx.roles(&content, Place::Task, &loc);
            merge(&mut self.roles, r);
            self.text.truncate(text_end);
            let trimmed = self.text.trim_end().len();
            self.text.truncate(trimmed);
            self.has_units = true;
        }
    }
}

fn merge(into: &mut Roles, r: Roles) {
    into.leads.extend(r.leads);
    into.responsible.extend(r.responsible);
    into.overall.extend(r.overall);
}

fn col_of(line: &str, byte: usize) -> usize {
    line[..byte].chars().count() + 1
}

struct Part {
    numeral: String,
    declared: Option<usize>,
    line: usize,
}

/// 解析通知全文。`source` 只用于诊断与 `Catalogue::source`。
pub fn parse(text: &str, source: &str, registry: &Registry) -> (Catalogue, Diagnostics) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut ctx = Ctx {
        index: registry.index(),
        registry,
        source,
        diags: Diagnostics::new(),
        first_is_lead: lines
            .iter()
            .any(|l| FIRST_IS_LEAD.iter().any(|p| l.contains(p))),
    };
    let mut cat = Catalogue {
        source: source.to_string(),
        ..Catalogue::default()
    };
    let mut start = 0;
    if let Some((title, idx)) = find_title(&lines) {
        cat.title = title;
        start = idx + 1;
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut chapter: Option<usize> = None;
    let mut group: Option<usize> = None;
    let mut cur: Option<Pending> = None;
    let mut done: Vec<Pending> = Vec::new();
    let mut hit_annex = false;

    let next_is_role_line = |i: usize| {
        lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .is_some_and(|l| role_line(l).is_some())
    };

    for (i, &raw) in lines.iter().enumerate().skip(start) {
        let lineno = i + 1;
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        let indent = col_of(raw, raw.len() - raw.trim_start().len());
        if annex(t) {
            hit_annex = true;
            break;
        }
        if furniture(t) {
            ctx.warn(
                (lineno, indent),
                format!("忽略页面元素“{t}”（页码、发布日期等）"),
                "这类行通常是从网页或 PDF 复制时带入的；若确是正文，请与上下文合并成一行",
            );
            continue;
        }
        if let Some((numeral, title)) = part_heading(t) {
            done.extend(cur.take());
            let declared = title.find('共').and_then(|p| {
                let r = &title[p + '共'.len_utf8()..];
                let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                (d > 0 && r[d..].starts_with('项'))
                    .then(|| r[..d].parse().ok())
                    .flatten()
            });
            parts.push(Part {
                numeral: numeral.to_string(),
                declared,
                line: lineno,
            });
            chapter = None;
            group = None;
            continue;
        }
        if t.starts_with('—') || t.starts_with("--") {
            done.extend(cur.take());
            let body_off = raw.len()
                - raw
                    .trim_start_matches(|c: char| c == '—' || c == '-' || c.is_whitespace())
                    .len();
            let body = &raw[body_off..];
            let ch = match chapter {
                Some(c) => c,
                None => {
                    cat.chapters.push(Chapter {
                        part: parts.last().map(|p| p.numeral.clone()).unwrap_or_default(),
                        number: String::new(),
                        title: String::new(),
                        line: lineno,
                    });
                    chapter = Some(cat.chapters.len() - 1);
                    cat.chapters.len() - 1
                }
            };
            let mut title = body.trim().to_string();
            let mut overall = Vec::new();
            if let Some((text_end, cs, ce)) = trailing_units(body, &ctx) {
                let loc = |o: usize| (lineno, col_of(raw, body_off + cs + o));
                overall = ctx.roles(&body[cs..ce], Place::Group, &loc).overall;
                title = body[..text_end].trim().to_string();
            }
            cat.groups.push(Group {
                chapter: ch,
                title,
                overall_leads: overall,
                line: lineno,
            });
            group = Some(cat.groups.len() - 1);
            continue;
        }
        if let Some((off, content)) = role_line(t) {
            let t_off = raw.len() - raw.trim_start().len();
            match cur.as_mut() {
                Some(p) => {
                    let loc = |o: usize| (lineno, col_of(raw, t_off + off + o));
                    let r = ctx.roles(content, Place::Task, &loc);
                    merge(&mut p.roles, r);
                    p.has_units = true;
                }
                None => ctx.warn(
                    (lineno, indent),
                    "单位行前面没有任务，未计入".into(),
                    "单位行应紧跟在所属任务之后",
                ),
            }
            continue;
        }
        // 折行后以“3.6平方公里”开头的续行是小数，不是编号（只在任务尚缺单位括注时这样判断）。
        let open = cur.as_ref().is_some_and(|p| !p.has_units);
        let decimal = |(_, off): &(u32, usize)| {
            open && t.as_bytes()[off - 1] == b'.'
                && t[*off..].starts_with(|c: char| c.is_ascii_digit())
        };
        let numbered = task_number(t).filter(|n| !decimal(n)).or_else(|| {
            cn_paren(t).and_then(|(_, rest, n)| {
                let body_off = t.len() - rest.len();
                let looks_like_task = trailing_units(t, &ctx).is_some() || next_is_role_line(i);
                looks_like_task.then_some((n, body_off))
            })
        });
        let t_off = raw.len() - raw.trim_start().len();
        if let Some((number, body_off)) = numbered {
            done.extend(cur.take());
            let mut p = Pending {
                number,
                part: parts.len().checked_sub(1),
                chapter,
                group,
                line: lineno,
                text: String::new(),
                spans: Vec::new(),
                roles: Roles::default(),
                has_units: false,
            };
            let body = &t[body_off..];
            let lead_ws = body.len() - body.trim_start().len();
            p.push(
                body.trim_start(),
                lineno,
                col_of(raw, t_off + body_off + lead_ws),
                &mut ctx,
            );
            cur = Some(p);
            continue;
        }
        if let Some((numeral, title, _)) = cn_paren(t) {
            done.extend(cur.take());
            cat.chapters.push(Chapter {
                part: parts.last().map(|p| p.numeral.clone()).unwrap_or_default(),
                number: numeral.to_string(),
                title: title.to_string(),
                line: lineno,
            });
            chapter = Some(cat.chapters.len() - 1);
            group = None;
            continue;
        }
        // 续行：并入尚未读到单位括注的任务；任务已完整时报告，不悄悄丢弃。
        match cur.as_mut() {
            Some(p) if !p.has_units => p.push(t, lineno, indent, &mut ctx),
            Some(p) => ctx.warn(
                (lineno, indent),
                format!(
                    "第{}项任务的单位括注之后还有文字“{t}”，未计入任务",
                    p.number
                ),
                "若是任务正文的一部分，请移到单位括注之前",
            ),
            None => {}
        }
    }
    let ended_mid_task = !hit_annex && cur.as_ref().is_some_and(|p| !p.has_units);
    done.extend(cur.take());

    finish(&mut cat, done, &parts, ended_mid_task, &mut ctx);
    (cat, ctx.diags)
}

/// 赋 id、检查编号连续、牵头单位与声明的总数。
fn finish(
    cat: &mut Catalogue,
    done: Vec<Pending>,
    parts: &[Part],
    ended_mid_task: bool,
    ctx: &mut Ctx<'_>,
) {
    let main_part = done.first().map(|p| p.part);
    let total = done.len();
    let mut prev: Option<(Option<usize>, u32)> = None;
    for (k, p) in done.into_iter().enumerate() {
        let is_main = Some(p.part) == main_part;
        let id = match (is_main, p.part) {
            (false, Some(pi)) => format!("{}.{}", parts[pi].numeral, p.number),
            _ => p.number.to_string(),
        };
        let label = if is_main {
            format!("第{}项任务", p.number)
        } else {
            format!("任务 {id}")
        };
        let at = (p.line, 1);
        let expected = match prev {
            Some((part, n)) if part == p.part => n + 1,
            _ => 1,
        };
        if p.number != expected {
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
            ctx.error(at, msg, "核对原文编号；重复或缺号会使任务对不上号");
        }
        prev = Some((p.part, p.number));
        if let (false, Some(inner)) = (p.has_units, unparsed_paren(&p.text)) {
            // 末尾有像单位括注的括号却读不出角色：多半是漏了冒号或角色名写错。
            let msg = format!("{label}末尾的括注“{inner}”无法解析为单位括注");
            let hint = "应写成（牵头单位：…；责任单位：…），角色名后要有冒号";
            if is_main {
                ctx.error(at, msg, hint);
            } else {
                ctx.warn(at, msg, hint);
            }
        } else if k + 1 == total && ended_mid_task {
            ctx.error(
                at,
                format!("文档在{label}中途结束，没有单位括注"),
                "文本可能没有复制完整，请补全该任务及其（牵头单位：…；责任单位：…）",
            );
        } else if !p.has_units {
            let msg = format!("{label}没有单位括注（牵头单位：…；责任单位：…）");
            let hint = "在任务末尾补上单位括注，或把单位另起一行写成“牵头单位：…”";
            if is_main {
                ctx.error(at, msg, hint);
            } else {
                ctx.warn(at, msg, hint);
            }
        } else if is_main && p.roles.leads.is_empty() {
            ctx.error(
                at,
                format!("{label}没有牵头单位"),
                "重点工作每项都须有牵头单位；补上“牵头单位：…”，或在通知中注明“列第一位者为牵头单位”",
            );
        }
        cat.tasks.push(Task {
            id,
            number: p.number,
            chapter: p.chapter,
            group: p.group,
            text: p.text,
            leads: p.roles.leads,
            responsible: p.roles.responsible,
            line: p.line,
        });
    }
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
