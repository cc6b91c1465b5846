//! 通知文本解析器：逐行识别部分（“二、”）、章（“（一）”）、任务组（“——”）、任务（“1.”）
//! 与单位括注，展开单位简写，收集诊断。
//!
//! 容错：全半角括号/冒号/分号/逗号、方括号、“1、”“（1）”“（一）”编号、单位另起一行、
//! “配合单位”“责任领导”、“列第一位者为牵头单位”、粘进正文的页码与发布日期行、中途结束的文档。

use super::expand::{expand, is_close, is_open};
use super::{Catalogue, Chapter, Group, Task, UnitRef};
use crate::diag::{Diagnostic, Diagnostics};
use crate::units::{Index, Registry};

/// 括注中的角色。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Lead,
    Responsible,
    Overall,
    /// 写的是人（责任领导等），不是单位。
    People,
    /// 像角色名但不认识（如“完成时限”）。
    Unknown,
}

/// “列第一位者为牵头单位”一类说明的写法。
const FIRST_IS_LEAD: &[&str] = &[
    "列第一位者为牵头单位",
    "列第一位的为牵头单位",
    "排第一位的为牵头单位",
    "排在第一位的为牵头单位",
    "排名第一的为牵头单位",
    "第一个为牵头单位",
];

fn classify_label(label: &str) -> Option<Role> {
    let l = label.trim();
    let n = l.chars().count();
    if n < 2 || n > 10 || !l.chars().all(is_cjk) {
        return None;
    }
    Some(match l {
        "总牵头单位" | "总牵头部门" => Role::Overall,
        "牵头单位" | "牵头部门" | "主办单位" | "主责单位" | "牵头" | "主责部门" => {
            Role::Lead
        }
        "责任单位" | "配合单位" | "协办单位" | "参与单位" | "责任部门" | "配合部门"
        | "协同单位" | "协作单位" | "参加单位" => Role::Responsible,
        "责任领导" | "牵头领导" | "分管领导" | "联系领导" | "责任人" | "牵头区领导"
        | "责任区领导" | "联系区领导" | "市领导" | "区领导" => Role::People,
        // 其余短标签（如“完成时限”“督办单位”）当作不认识的角色，报告而不混进单位。
        _ if n <= 6 => Role::Unknown,
        _ => return None,
    })
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

fn is_sep(c: char) -> bool {
    matches!(c, ';' | '；' | ',' | '，' | '。' | '、') || c.is_whitespace()
}

/// 括注里的一个角色段。偏移均为在括注内容中的字节偏移。
#[derive(Debug)]
struct Segment<'s> {
    role: Role,
    label: &'s str,
    label_off: usize,
    value: &'s str,
    value_off: usize,
}

/// 把括注内容切成角色段；返回 (角色名之前的文字及偏移, 各段)。
fn split_roles(content: &str) -> ((usize, &str), Vec<Segment<'_>>) {
    let mut marks: Vec<(usize, usize, usize, Role)> = Vec::new(); // (label_start, colon, after_colon, role)
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

fn has_role_label(content: &str) -> bool {
    split_roles(content)
        .1
        .iter()
        .any(|s| s.role != Role::Unknown || s.label.ends_with("单位"))
}

/// 单位角色解析结果。
#[derive(Debug, Default)]
struct Roles {
    leads: Vec<UnitRef>,
    responsible: Vec<UnitRef>,
    overall: Vec<UnitRef>,
}

/// 解析上下文：登记册、诊断、文件名和文档级开关。
struct Ctx<'a> {
    index: Index<'a>,
    registry: &'a Registry,
    source: &'a str,
    diags: Diagnostics,
    first_is_lead: bool,
}

/// 括注用在哪里：任务还是任务组标题。
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Task,
    Group,
}

impl Ctx<'_> {
    fn warn(&mut self, (line, col): (usize, usize), msg: String, hint: &str) {
        self.diags
            .push(Diagnostic::warning(self.source, line, col, msg).with_hint(hint));
    }
    fn error(&mut self, (line, col): (usize, usize), msg: String, hint: &str) {
        self.diags
            .push(Diagnostic::error(self.source, line, col, msg).with_hint(hint));
    }

    /// 展开一个单位列表并报告未登记单位与“等”。
    fn units(
        &mut self,
        value: &str,
        off: usize,
        loc: &dyn Fn(usize) -> (usize, usize),
    ) -> Vec<UnitRef> {
        let e = expand(value, &self.index);
        for it in &e.items {
            if !it.known {
                let guesses: Vec<&str> = it.guesses.iter().map(String::as_str).collect();
                let sug = self.registry.suggest(&guesses);
                let hint = if sug.is_empty() {
                    "若是新单位，请在单位登记册 units.toml 中登记（规范名、类别、别名）".to_string()
                } else {
                    format!(
                        "你是不是要找：{}？若是新单位或新简称，请在单位登记册 units.toml 中登记",
                        sug.join("、")
                    )
                };
                self.diags.push(
                    Diagnostic::warning(
                        self.source,
                        loc(off + it.offset).0,
                        loc(off + it.offset).1,
                        format!("未登记的单位“{}”，已按原文保留", it.written),
                    )
                    .with_hint(hint),
                );
            }
        }
        if let Some(p) = e.etc {
            self.warn(
                loc(off + p),
                "单位列表以“等”结尾，名单可能不完整".into(),
                "请向发文单位核实完整名单，在通知中写全全部单位",
            );
        }
        e.items.into_iter().map(|i| i.unit).collect()
    }

    /// 解析括注内容（不含括号）。`loc` 把内容中的字节偏移映射为 (行, 列)。
    fn roles(
        &mut self,
        content: &str,
        place: Place,
        loc: &dyn Fn(usize) -> (usize, usize),
    ) -> Roles {
        let mut first_is_lead = self.first_is_lead;
        // 括注里自带“列第一位者为牵头单位”时，把这句话当分隔符去掉。
        let mut owned = content.to_string();
        for p in FIRST_IS_LEAD {
            if let Some(i) = owned.find(p) {
                first_is_lead = true;
                owned.replace_range(i..i + p.len(), &" ".repeat(p.len()));
            }
        }
        let content = owned.as_str();
        let mut r = Roles::default();
        let ((lo, leading), segs) = split_roles(content);
        let leading_t = leading.trim_matches(|c| is_sep(c));
        if !leading_t.is_empty() {
            if segs.is_empty() && first_is_lead {
                // 无角色名，按“列第一位者为牵头单位”处理。
                let off = lo + (leading.len() - leading.trim_start().len());
                r.responsible = self.units(leading.trim(), off, loc);
            } else {
                let off = lo + (leading.len() - leading.trim_start().len());
                self.warn(
                    loc(off),
                    format!("括注中的“{leading_t}”前没有角色名，未计入任何单位"),
                    "应写成（牵头单位：…；责任单位：…）",
                );
            }
        }
        for s in &segs {
            if s.value.is_empty() {
                self.warn(
                    loc(s.label_off),
                    format!("“{}”后没有填写单位", s.label),
                    "在冒号后填写单位，或删去该角色",
                );
                continue;
            }
            match (s.role, place) {
                (Role::Lead, Place::Task) => {
                    let u = self.units(s.value, s.value_off, loc);
                    r.leads.extend(u);
                }
                (Role::Responsible, Place::Task) => {
                    let u = self.units(s.value, s.value_off, loc);
                    r.responsible.extend(u);
                }
                (Role::Overall, Place::Group) => {
                    let u = self.units(s.value, s.value_off, loc);
                    r.overall.extend(u);
                }
                (Role::People, _) => {
                    // 人员不是单位：不进入任何单位列表，但在诊断里原样列出，不悄悄丢掉。
                    self.warn(
                        loc(s.label_off),
                        format!("“{}”填写的是人员“{}”，不是单位，未计入单位", s.label, s.value),
                        "人员不参与单位统计与材料分发；如需登记责任领导，请在办理方案（附表1）中填写",
                    );
                }
                (Role::Unknown, _) | (Role::Overall, Place::Task) | (_, Place::Group) => {
                    self.warn(
                        loc(s.label_off),
                        format!(
                            "“{}”不是{}的单位角色，其后的“{}”未计入",
                            s.label,
                            if place == Place::Task {
                                "任务"
                            } else {
                                "任务组"
                            },
                            s.value
                        ),
                        if place == Place::Task {
                            "任务括注能识别：牵头单位、责任单位、配合单位、责任领导等"
                        } else {
                            "任务组标题括注只识别：总牵头单位"
                        },
                    );
                }
            }
        }
        if first_is_lead && place == Place::Task && r.leads.is_empty() && !r.responsible.is_empty()
        {
            r.leads.push(r.responsible.remove(0));
        }
        r
    }
}

/// 文字末尾的单位括注：返回 (正文结束处, 括注内容起, 括注内容止)，均为字节偏移。
fn trailing_units(text: &str, ctx: &Ctx<'_>) -> Option<(usize, usize, usize)> {
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

fn is_units_content(content: &str, ctx: &Ctx<'_>) -> bool {
    if has_role_label(content) {
        return true;
    }
    let first_is_lead = ctx.first_is_lead || FIRST_IS_LEAD.iter().any(|p| content.contains(p));
    if first_is_lead && !content.contains([':', '：']) {
        let mut c = content.to_string();
        for p in FIRST_IS_LEAD {
            c = c.replace(p, "");
        }
        let e = expand(c.trim_matches(|ch| is_sep(ch)), &ctx.index);
        return !e.items.is_empty() && e.items.iter().all(|i| i.known);
    }
    false
}

/// 一行若只是角色行（“牵头单位：…”或整行括注），返回括注内容及其在行内的字节偏移。
fn role_line(t: &str) -> Option<(usize, &str)> {
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
    (s.label_off == 0 && s.role != Role::Unknown).then_some((0, t))
}

const CN_DIGITS: &str = "零一二三四五六七八九";

/// 一…九十九。
fn chinese_number(s: &str) -> Option<u32> {
    let d = |c: char| CN_DIGITS.chars().position(|x| x == c).map(|v| v as u32);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

fn is_cn_numeral(c: char) -> bool {
    CN_DIGITS.contains(c) || c == '十'
}

/// “二、重点工作” → ("二", 标题)。
fn part_heading(t: &str) -> Option<(&str, &str)> {
    let end = t.find(|c: char| !is_cn_numeral(c))?;
    (end > 0 && t[end..].starts_with('、')).then(|| (&t[..end], t[end + '、'.len_utf8()..].trim()))
}

/// “（一）标题” → ("一", 标题)。
fn cn_paren(t: &str) -> Option<(&str, &str, u32)> {
    let first = t.chars().next().filter(|c| *c == '(' || *c == '（')?;
    let rest = &t[first.len_utf8()..];
    let end = rest.find(|c: char| !is_cn_numeral(c))?;
    let close = rest[end..]
        .chars()
        .next()
        .filter(|c| *c == ')' || *c == '）')?;
    let n = chinese_number(&rest[..end])?;
    Some((&rest[..end], rest[end + close.len_utf8()..].trim_start(), n))
}

/// 任务编号：“1.”“1．”“1、”“（1）”“(1)”。返回 (编号, 编号后正文的字节偏移)。
fn task_number(t: &str) -> Option<(u32, usize)> {
    if let Some(first) = t.chars().next().filter(|c| *c == '(' || *c == '（') {
        let rest = &t[first.len_utf8()..];
        let end = rest.find(|c: char| !c.is_ascii_digit())?;
        let close = rest[end..]
            .chars()
            .next()
            .filter(|c| *c == ')' || *c == '）')?;
        if end == 0 || end > 4 {
            return None;
        }
        return Some((
            rest[..end].parse().ok()?,
            first.len_utf8() + end + close.len_utf8(),
        ));
    }
    let end = t.find(|c: char| !c.is_ascii_digit())?;
    if end == 0 || end > 4 {
        return None;
    }
    let mark = t[end..].chars().next()?;
    if !matches!(mark, '.' | '．' | '、') {
        return None;
    }
    Some((t[..end].parse().ok()?, end + mark.len_utf8()))
}

/// 页码、“发布日期”等粘进正文的页面元素。
fn furniture(t: &str) -> bool {
    let core =
        t.trim_matches(|c: char| matches!(c, '—' | '-' | '–' | '－' | '―') || c.is_whitespace());
    if !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(r) = t.strip_prefix('第') {
        let r = r.trim_start();
        let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        if d > 0 && r[d..].trim_start().starts_with('页') {
            return true;
        }
    }
    [
        "发布日期",
        "发布时间",
        "文章来源",
        "来源：",
        "来源:",
        "打印本页",
        "关闭窗口",
        "【打印】",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// 附表、附件开始处：任务目录到此为止。
fn annex(t: &str) -> bool {
    ["附表", "附件"].iter().any(|p| {
        t.strip_prefix(p).is_some_and(|r| {
            r.is_empty()
                || r.starts_with(|c: char| {
                    c.is_ascii_digit()
                        || c.is_whitespace()
                        || is_cn_numeral(c)
                        || c == ':'
                        || c == '：'
                })
        })
    })
}

/// 标题：以“方案”“清单”“分工”结尾的短行，向上并入被折断的前一两行。返回 (标题, 标题末行下标)。
fn find_title(lines: &[&str]) -> Option<(String, usize)> {
    let no_punct = |t: &str| !t.contains(['。', ',', '，', ';', '；', ':', '：']);
    let idx = lines.iter().position(|l| {
        let t = l.trim();
        (t.ends_with("方案") || t.ends_with("分工") || t.ends_with("任务清单"))
            && no_punct(t)
            && t.chars().count() <= 40
            && part_heading(t).is_none()
    })?;
    let mut start = idx;
    while start > 0 && idx - start < 2 {
        let p = lines[start - 1].trim();
        let signature = ["办公室", "政府", "委员会"].iter().any(|s| p.ends_with(s));
        if p.is_empty()
            || !no_punct(p)
            || p.chars().count() > 30
            || signature
            || part_heading(p).is_some()
        {
            break;
        }
        start -= 1;
    }
    let title: String = lines[start..=idx].iter().map(|l| l.trim()).collect();
    Some((title, idx))
}

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

    for i in start..lines.len() {
        let raw = lines[i];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(task_number("12.抢抓"), Some((12, 3)));
        assert_eq!(task_number("3.6平方公里"), Some((3, 2)));
        assert_eq!(task_number("（2）加快"), Some((2, "（2）".len())));
        assert_eq!(task_number("1、加快"), Some((1, "1、".len())));
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(
            part_heading("二、重点工作(共135项)"),
            Some(("二", "重点工作(共135项)"))
        );
        assert!(furniture("— 3 —"));
        assert!(furniture("-12-"));
        assert!(furniture("第 3 页"));
        assert!(!furniture("3.加快"));
        assert!(annex("附表1"));
        assert!(!annex("附表说明的任务"));
    }

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
