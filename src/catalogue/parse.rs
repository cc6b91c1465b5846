//! 通知文本解析器：逐行识别部分（“二、”）、章（“（一）”）、任务组（“——”）、任务（“1.”）
//! 与单位括注，展开单位简写，收集诊断。
//!
//! 容错：全半角括号/冒号/分号/逗号、方括号、“1、”“（1）”“（一）”编号、单位另起一行、
//! “配合单位”“责任领导”、“列第一位者为牵头单位”、粘进正文的页码与发布日期行、中途结束的文档。

use super::expand::{is_close, is_open};
use super::labels::{role_line, trailing_units, Ctx, LabelledUnits, Place, FIRST_IS_LEAD};
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
    units: LabelledUnits,
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
            let units = ctx.labelled_units(&content, Place::Task, &loc);
            self.units.extend(units);
            self.text.truncate(text_end);
            let trimmed = self.text.trim_end().len();
            self.text.truncate(trimmed);
            self.has_units = true;
        }
    }

    fn into_task(self, id: String) -> Task {
        Task {
            id,
            number: self.number,
            chapter: self.chapter,
            group: self.group,
            text: self.text,
            leads: self.units.leads,
            responsible: self.units.responsible,
            line: self.line,
        }
    }
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
    let mut parser = Parser::new(&lines, source, registry);
    let mut start = 0;
    if let Some((title, idx)) = find_title(&lines) {
        parser.cat.title = title;
        start = idx + 1;
    }
    let hit_annex = parser.read_lines(start);
    parser.finish(hit_annex)
}

/// 当前行：原文、去掉首尾空白的文字及其在原文中的字节偏移。
struct Line<'l> {
    /// 行下标（从 0 开始）。
    index: usize,
    /// 行号（从 1 开始）。
    no: usize,
    raw: &'l str,
    t: &'l str,
    /// `t` 在 `raw` 中的字节偏移。
    t_off: usize,
    /// `t` 起始处的列（从 1 开始）。
    indent: usize,
}

/// 逐行解析的状态：已读到的部分、当前章与任务组、正在收集的任务。
struct Parser<'a> {
    lines: &'a [&'a str],
    ctx: Ctx<'a>,
    cat: Catalogue,
    parts: Vec<Part>,
    chapter: Option<usize>,
    group: Option<usize>,
    cur: Option<Pending>,
    done: Vec<Pending>,
}

impl<'a> Parser<'a> {
    fn new(lines: &'a [&'a str], source: &'a str, registry: &'a Registry) -> Self {
        let ctx = Ctx {
            index: registry.index(),
            registry,
            source,
            diags: Diagnostics::new(),
            first_is_lead: lines
                .iter()
                .any(|l| FIRST_IS_LEAD.iter().any(|p| l.contains(p))),
        };
        Parser {
            lines,
            ctx,
            cat: Catalogue {
                source: source.to_string(),
                ..Catalogue::default()
            },
            parts: Vec::new(),
            chapter: None,
            group: None,
            cur: None,
            done: Vec::new(),
        }
    }

    /// 从第 `start` 行读到文末或附表；读到附表时返回 `true`。
    fn read_lines(&mut self, start: usize) -> bool {
        let lines = self.lines;
        for (index, &raw) in lines.iter().enumerate().skip(start) {
            let t = raw.trim();
            if t.is_empty() {
                continue;
            }
            if annex(t) {
                return true;
            }
            let t_off = raw.len() - raw.trim_start().len();
            let line = Line {
                index,
                no: index + 1,
                raw,
                t,
                t_off,
                indent: col_of(raw, t_off),
            };
            self.read_line(&line);
        }
        false
    }

    /// 按行的种类分派。判断顺序有讲究：角色行先于任务编号，任务编号先于章。
    fn read_line(&mut self, l: &Line<'_>) {
        if furniture(l.t) {
            self.ctx.warn(
                (l.no, l.indent),
                format!("忽略页面元素“{}”（页码、发布日期等）", l.t),
                "这类行通常是从网页或 PDF 复制时带入的；若确是正文，请与上下文合并成一行",
            );
        } else if let Some((numeral, title)) = part_heading(l.t) {
            self.part_heading(l, numeral, title);
        } else if l.t.starts_with('—') || l.t.starts_with("--") {
            self.group_header(l);
        } else if let Some((off, content)) = role_line(l.t) {
            self.role_line(l, off, content);
        } else if let Some((number, body_off)) = self.task_start(l) {
            self.task(l, number, body_off);
        } else if let Some((numeral, title, _)) = cn_paren(l.t) {
            self.chapter(l, numeral, title);
        } else {
            self.continuation(l);
        }
    }

    /// 正在收集的任务到此结束。
    fn close_task(&mut self) {
        self.done.extend(self.cur.take());
    }

    fn part_numeral(&self) -> String {
        self.parts
            .last()
            .map(|p| p.numeral.clone())
            .unwrap_or_default()
    }

    /// “二、重点工作（共135项）”：新的部分，记下声明的项数。
    fn part_heading(&mut self, l: &Line<'_>, numeral: &str, title: &str) {
        self.close_task();
        self.parts.push(Part {
            numeral: numeral.to_string(),
            declared: declared_count(title),
            line: l.no,
        });
        self.chapter = None;
        self.group = None;
    }

    /// “（一）标题”：新的章。
    fn chapter(&mut self, l: &Line<'_>, numeral: &str, title: &str) {
        self.close_task();
        self.cat.chapters.push(Chapter {
            part: self.part_numeral(),
            number: numeral.to_string(),
            title: title.to_string(),
            line: l.no,
        });
        self.chapter = Some(self.cat.chapters.len() - 1);
        self.group = None;
    }

    /// 任务组所属的章；部分下没有章时补一个无标题的章。
    fn chapter_for_group(&mut self, line: usize) -> usize {
        if let Some(c) = self.chapter {
            return c;
        }
        self.cat.chapters.push(Chapter {
            part: self.part_numeral(),
            number: String::new(),
            title: String::new(),
            line,
        });
        let c = self.cat.chapters.len() - 1;
        self.chapter = Some(c);
        c
    }

    /// “——标题（总牵头单位：……）”：新的任务组。
    fn group_header(&mut self, l: &Line<'_>) {
        self.close_task();
        let raw = l.raw;
        let body_off = raw.len()
            - raw
                .trim_start_matches(|c: char| c == '—' || c == '-' || c.is_whitespace())
                .len();
        let body = &raw[body_off..];
        let chapter = self.chapter_for_group(l.no);
        let mut title = body.trim().to_string();
        let mut overall = Vec::new();
        if let Some((text_end, cs, ce)) = trailing_units(body, &self.ctx) {
            let loc = |o: usize| (l.no, col_of(raw, body_off + cs + o));
            overall = self
                .ctx
                .labelled_units(&body[cs..ce], Place::Group, &loc)
                .overall;
            title = body[..text_end].trim().to_string();
        }
        self.cat.groups.push(Group {
            chapter,
            title,
            overall_leads: overall,
            line: l.no,
        });
        self.group = Some(self.cat.groups.len() - 1);
    }

    /// 另起一行的单位括注（“牵头单位：…”或整行括注）：并入当前任务。
    fn role_line(&mut self, l: &Line<'_>, off: usize, content: &str) {
        match self.cur.as_mut() {
            Some(p) => {
                let loc = |o: usize| (l.no, col_of(l.raw, l.t_off + off + o));
                let units = self.ctx.labelled_units(content, Place::Task, &loc);
                p.units.extend(units);
                p.has_units = true;
            }
            None => self.ctx.warn(
                (l.no, l.indent),
                "单位行前面没有任务，未计入".into(),
                "单位行应紧跟在所属任务之后",
            ),
        }
    }

    /// 行首的任务编号：(编号, 正文的字节偏移)。“（一）”只在像任务（带单位括注或下一行是单位行）时算编号。
    fn task_start(&self, l: &Line<'_>) -> Option<(u32, usize)> {
        let t = l.t;
        // 折行后以“3.6平方公里”开头的续行是小数，不是编号（只在任务尚缺单位括注时这样判断）。
        let open = self.cur.as_ref().is_some_and(|p| !p.has_units);
        let decimal = |(_, off): &(u32, usize)| {
            open && t.as_bytes()[off - 1] == b'.'
                && t[*off..].starts_with(|c: char| c.is_ascii_digit())
        };
        task_number(t).filter(|n| !decimal(n)).or_else(|| {
            cn_paren(t).and_then(|(_, rest, n)| {
                let body_off = t.len() - rest.len();
                let looks_like_task =
                    trailing_units(t, &self.ctx).is_some() || self.next_is_role_line(l.index);
                looks_like_task.then_some((n, body_off))
            })
        })
    }

    /// 第 `index` 行之后的第一个非空行是否为单位行。
    fn next_is_role_line(&self, index: usize) -> bool {
        self.lines[index + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .is_some_and(|l| role_line(l).is_some())
    }

    /// 新的任务：开始收集正文。
    fn task(&mut self, l: &Line<'_>, number: u32, body_off: usize) {
        self.close_task();
        let mut p = Pending {
            number,
            part: self.parts.len().checked_sub(1),
            chapter: self.chapter,
            group: self.group,
            line: l.no,
            text: String::new(),
            spans: Vec::new(),
            units: LabelledUnits::default(),
            has_units: false,
        };
        let body = &l.t[body_off..];
        let lead_ws = body.len() - body.trim_start().len();
        p.push(
            body.trim_start(),
            l.no,
            col_of(l.raw, l.t_off + body_off + lead_ws),
            &mut self.ctx,
        );
        self.cur = Some(p);
    }

    /// 续行：并入尚未读到单位括注的任务；任务已完整时报告，不悄悄丢弃。
    fn continuation(&mut self, l: &Line<'_>) {
        match self.cur.as_mut() {
            Some(p) if !p.has_units => p.push(l.t, l.no, l.indent, &mut self.ctx),
            Some(p) => self.ctx.warn(
                (l.no, l.indent),
                format!(
                    "第{}项任务的单位括注之后还有文字“{}”，未计入任务",
                    p.number, l.t
                ),
                "若是任务正文的一部分，请移到单位括注之前",
            ),
            None => {}
        }
    }

    /// 收尾：赋 id、检查编号连续、单位括注、牵头单位与声明的总数。
    fn finish(mut self, hit_annex: bool) -> (Catalogue, Diagnostics) {
        let ended_mid_task = !hit_annex && self.cur.as_ref().is_some_and(|p| !p.has_units);
        self.close_task();
        let Parser {
            mut cat,
            parts,
            done,
            mut ctx,
            ..
        } = self;
        let main_part = done.first().map(|p| p.part);
        let total = done.len();
        let mut prev: Option<(Option<usize>, u32)> = None;
        for (k, p) in done.into_iter().enumerate() {
            let is_main = Some(p.part) == main_part;
            let (id, label) = task_id(&p, is_main, &parts);
            check_numbering(prev, &p, &label, &mut ctx);
            prev = Some((p.part, p.number));
            let unfinished = k + 1 == total && ended_mid_task;
            check_units(&p, &label, is_main, unfinished, &mut ctx);
            cat.tasks.push(p.into_task(id));
        }
        check_declared_counts(&cat, &parts, &mut ctx);
        check_unique_ids(&cat, &mut ctx);
        (cat, ctx.diags)
    }
}

/// 标题里“共N项”的 N。
fn declared_count(title: &str) -> Option<usize> {
    let p = title.find('共')?;
    let r = &title[p + '共'.len_utf8()..];
    let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
    (d > 0 && r[d..].starts_with('项'))
        .then(|| r[..d].parse().ok())
        .flatten()
}

/// 任务 id 与诊断里的称呼：重点工作为“1”“第1项任务”，其他部分为“三.1”“任务 三.1”。
fn task_id(p: &Pending, is_main: bool, parts: &[Part]) -> (String, String) {
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
fn check_numbering(
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
fn check_units(p: &Pending, label: &str, is_main: bool, unfinished: bool, ctx: &mut Ctx<'_>) {
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
fn check_declared_counts(cat: &Catalogue, parts: &[Part], ctx: &mut Ctx<'_>) {
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

fn check_unique_ids(cat: &Catalogue, ctx: &mut Ctx<'_>) {
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
