//! 通知文本解析器：逐行识别部分（“二、”）、章（“（一）”）、任务组（“——”）、任务（“1.”）
//! 与单位括注，展开单位简写，收集诊断。
//!
//! 容错：全半角括号/冒号/分号/逗号、方括号、“1、”“（1）”“（一）”编号、单位另起一行、
//! “配合单位”“责任领导”、“列第一位者为牵头单位”（及“下同”）、“某某牵头”、粘进正文的页码与
//! 发布日期行、中途结束的文档、只用 \r 换行的老式 Mac 文件。

use super::checks::{
    check_declared_counts, check_groups, check_numbering, check_unique_ids, check_units,
    declared_count, task_id,
};
use super::labels::{role_line, split_roles, trailing_units, Ctx, LabelledUnits, Place};
use super::lines::{annex, cn_paren, find_title, furniture, part_heading, task_number};
use super::notes::strip_notes;
use super::pending::{Part, Pending};
use super::report::Unknowns;
use super::Label;
use super::{Catalogue, Chapter, Group};
use crate::diag::Diagnostics;
use crate::registry::Registry;

fn col_of(line: &str, byte: usize) -> usize {
    line[..byte].chars().count() + 1
}

/// 按 `\r\n`、`\n`、`\r` 分行（老式 Mac 文件只用 `\r`）。
fn split_lines(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push(&text[start..i]);
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// 写在任务之外的“列第一位者为牵头单位”说明（标题下、部分标题里、文末备注）所在行：管全文。
fn doc_first_lead(lines: &[&str]) -> Option<usize> {
    lines
        .iter()
        .position(|l| {
            let t = l.trim();
            if task_number(t).is_some() || t.starts_with(['—', '-']) {
                return false;
            }
            let (rest, note) = strip_notes(t);
            let heading = part_heading(t).is_some() || cn_paren(t).is_some();
            let leftover = rest.trim_matches(|c: char| {
                c.is_whitespace() || "()（）[]【】、，,；;。:：注备说明".contains(c)
            });
            note.is_some() && (heading || leftover.is_empty())
        })
        .map(|i| i + 1)
}

/// 解析通知全文。`source` 只用于诊断与 `Catalogue::source`。
pub fn parse(text: &str, source: &str, registry: &Registry) -> (Catalogue, Diagnostics) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = split_lines(text);
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
    /// 各任务组是否写明没有总牵头单位（“（总牵头单位：无）”）。
    no_overall: Vec<bool>,
}

impl<'a> Parser<'a> {
    fn new(lines: &'a [&'a str], source: &'a str, registry: &'a Registry) -> Self {
        let ctx = Ctx {
            index: registry.index(),
            registry,
            source,
            diags: Diagnostics::new(),
            doc_first_lead: doc_first_lead(lines),
            doc_level: crate::names::dominant_level(lines),
            carry: None,
            owner: (None, None),
            inferences: Vec::new(),
            unknown: Unknowns::default(),
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
            no_overall: Vec::new(),
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
        } else if self.headerless_group(l.t) {
            self.ctx.warn(
                (l.no, l.indent),
                "这一行有“总牵头单位”，像任务组标题但开头没有“——”，已按任务组读入".into(),
                "任务组标题应写成“——标题（总牵头单位：…）”；若不是任务组，请改正括注",
            );
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

    /// 不带编号、末尾括注写着“总牵头单位”的行：缺了“——”的任务组标题。
    fn headerless_group(&self, t: &str) -> bool {
        task_number(t).is_none()
            && trailing_units(t, &self.ctx).is_some_and(|(_, cs, ce)| {
                split_roles(&t[cs..ce])
                    .1
                    .iter()
                    .any(|s| s.role == Label::Overall)
            })
    }

    /// “——标题（总牵头单位：……）”：新的任务组。标题读不出总牵头单位（括号没闭合、少了冒号）是错误：
    /// 否则整组任务悄悄失去总牵头单位。
    fn group_header(&mut self, l: &Line<'_>) {
        self.close_task();
        let raw = l.raw;
        let body_off = raw.len()
            - raw
                .trim_start_matches(|c: char| c == '—' || c == '-' || c.is_whitespace())
                .len();
        let body = &raw[body_off..];
        let chapter = self.chapter_for_group(l.no);
        self.ctx.owner = (None, Some(self.cat.groups.len()));
        let at = |o: usize| (l.no, col_of(raw, body_off + o));
        let mut title = body.trim().to_string();
        let mut overall = Vec::new();
        let mut none = false;
        if let Some((text_end, cs, ce)) = trailing_units(body, &self.ctx) {
            none = says_no_overall(&body[cs..ce]);
            if !none {
                let loc = |o: usize| at(cs + o);
                overall = self
                    .ctx
                    .labelled_units(&body[cs..ce], Place::Group, &loc)
                    .overall;
            }
            title = body[..text_end].trim().to_string();
        } else if let Some(i) = body.rfind("无总牵头单位").filter(|_| says_no_overall(body)) {
            none = true;
            let before = body[..i]
                .trim_end_matches(|c: char| c.is_whitespace() || super::expand::is_open(c));
            title = before.to_string();
        } else if let Some(seg) = split_roles(body)
            .1
            .into_iter()
            .find(|s| s.role == Label::Overall)
        {
            // 不带括号的“——标题 总牵头单位：…”。
            let loc = |o: usize| at(o);
            overall = self.ctx.units(seg.value, seg.value_off, &loc);
            title = body[..seg.label_off].trim().to_string();
        } else if let Some(problem) = unreadable_header(body) {
            self.ctx.error(at(problem.0), problem.1, problem.2);
        }
        self.cat.groups.push(Group {
            chapter,
            title,
            overall_leads: overall,
            line: l.no,
        });
        self.no_overall.push(none);
        self.group = Some(self.cat.groups.len() - 1);
    }

    /// 另起一行的单位括注（“牵头单位：…”或整行括注）：并入当前任务。
    fn role_line(&mut self, l: &Line<'_>, off: usize, content: &str) {
        self.ctx.owner = (Some(self.done.len()), None);
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
        self.ctx.owner = (Some(self.done.len()), None);
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

    /// 收尾：赋 id、检查编号连续、单位括注、牵头单位、声明的总数与任务组结构，报告未登记单位。
    fn finish(mut self, hit_annex: bool) -> (Catalogue, Diagnostics) {
        let ended_mid_task = !hit_annex && self.cur.as_ref().is_some_and(|p| !p.has_units);
        self.close_task();
        let Parser {
            mut cat,
            parts,
            done,
            mut ctx,
            no_overall,
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
        check_groups(&cat, &no_overall, &mut ctx);
        if cat.tasks.is_empty() {
            ctx.error(
                (0, 0),
                "通知里没有读出任何任务".into(),
                "检查文件是否选对、是否为空、是否完整；任务应一项一行写成“1.任务内容（牵头单位：…；责任单位：…）”",
            );
        }
        ctx.unknown.report(ctx.source, ctx.registry, &mut ctx.diags);
        cat.inferences = std::mem::take(&mut ctx.inferences);
        (cat, ctx.diags)
    }
}

/// 任务组标题的括注写明没有总牵头单位：“（总牵头单位：无）”“（无总牵头单位）”。
fn says_no_overall(content: &str) -> bool {
    let t: String = content.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_end_matches(super::expand::is_close);
    [
        "无总牵头单位",
        "总牵头单位：无",
        "总牵头单位:无",
        "总牵头单位：暂无",
        "总牵头单位:暂无",
    ]
    .iter()
    .any(|w| t.ends_with(w))
}

/// 读不出总牵头单位的任务组标题：返回 (出错处的字节偏移, 说明, 提示)。标题里没提“总牵头”、
/// 也没有括号时（确实没有总牵头单位的组）为 `None`。
fn unreadable_header(body: &str) -> Option<(usize, String, &'static str)> {
    use super::expand::{is_close, is_open};
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in body.char_indices() {
        if is_open(c) {
            open.push(i);
        } else if is_close(c) {
            open.pop();
        }
    }
    let hint = "任务组标题应写成“——标题（总牵头单位：单位名）”；确实没有总牵头单位的，写“（总牵头单位：无）”或不写括注";
    if let Some(&o) = open.first() {
        let inner = &body[o..];
        if inner.contains("单位") || inner.contains("牵头") || inner.contains("部门") {
            let msg = format!(
                "任务组标题的括注“{}”缺少右括号，读不出总牵头单位",
                inner.trim()
            );
            return Some((o, msg, hint));
        }
    }
    let t = body.trim_end();
    let from = t.rfind(is_open).unwrap_or(0);
    let tail = &t[from..];
    let units_like = tail.contains("单位") || tail.contains("牵头") || tail.contains("部门");
    if body.contains("总牵头") || t.ends_with(is_close) && units_like {
        let msg = format!("任务组标题末尾的“{}”读不出总牵头单位", &t[from..]);
        return Some((from, msg, hint));
    }
    None
}
