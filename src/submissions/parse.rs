//! 解析并校验一份报送文件：文件头（单位、表种、季度）、附表2 人员、附表1 任务行、附表3 完成情况。
//!
//! 每个问题报一条带文件、行号和提示的错误，内容一律原样保存。

use super::{FormKind, Person, PlanRow, PlanTask, Status, Submission};
use crate::catalogue::Catalogue;
use crate::date::{Date, Quarter};
use crate::diag::{Diagnostic, Diagnostics};
use crate::registry::Registry;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

// ---- 原始 TOML 结构（全部可选，缺项由校验报告，而不是让 serde 整份拒绝） ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    unit: Option<Spanned<String>>,
    form: Option<Spanned<String>>,
    #[serde(default)]
    sample: bool,
    quarter: Option<Spanned<String>>,
    /// 收到日期：写成 "2023-02-14" 或 TOML 日期 2023-02-14。
    received: Option<Spanned<toml::Value>>,
    #[serde(default)]
    task: Vec<Spanned<RawTask>>,
    leader: Option<Spanned<Person>>,
    office_head: Option<Spanned<Person>>,
    clerk: Option<Spanned<Person>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    id: Option<Spanned<String>>,
    #[serde(default)]
    row: Vec<Spanned<RawRow>>,
    status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    content: Option<String>,
    /// 整数 5、文字 "5月"/"2023年5月"，或 TOML 日期 2023-05-31（见 `month::parse_month`）。
    month: Option<Spanned<toml::Value>>,
    #[serde(default)]
    leader: String,
    #[serde(default)]
    department: String,
    lead: Option<Spanned<String>>,
}

/// Excel/WPS 单元格最多 32767 个字符；表格里内容前还有序号“n.”，留出余量。
const MAX_CELL_CHARS: usize = 32_767 - 8;

/// 超过单元格上限的文字在 XLSX 中只能截断（见 `xlsx::fit_cell`）：返回其字数。
fn too_long_for_cell(s: &str) -> Option<usize> {
    let n = s.chars().count();
    (n > MAX_CELL_CHARS).then_some(n)
}

fn line_of(text: &str, span: Range<usize>) -> usize {
    // 按字节数换行符，不要求 span 落在字符边界上。
    let end = span.start.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// 解析一份报送文件。语法错误时返回 `None`（已报告）；内容问题报告后仍返回全部内容。
pub fn parse_str(
    text: &str,
    file: &str,
    reg: &Registry,
    cat: &Catalogue,
    diags: &mut Diagnostics,
) -> Option<Submission> {
    let raw = read_raw(text, file, diags)?;
    let mut p = Parser {
        text,
        file,
        reg,
        cat,
        diags,
    };
    let (unit, unit_known) = p.unit(raw.unit.as_ref());
    let form = p.form(raw.form.as_ref())?;
    let quarter = p.quarter(raw.quarter.as_ref(), form);
    let received = p.received(raw.received.as_ref());
    let mut sub = Submission {
        file: file.into(),
        unit,
        unit_known,
        form,
        sample: raw.sample,
        quarter,
        received,
        plan: Vec::new(),
        leader: raw.leader.map(|p| p.into_inner()),
        office_head: raw.office_head.map(|p| p.into_inner()),
        clerk: raw.clerk.map(|p| p.into_inner()),
        statuses: Vec::new(),
    };
    if form == FormKind::Contacts {
        p.contacts(&sub);
    }
    for t in raw.task {
        p.task(t, &mut sub);
    }
    Some(sub)
}

/// TOML 语法（含未知字段）：出错时报告并返回 `None`，整份文件不用。
fn read_raw(text: &str, file: &str, diags: &mut Diagnostics) -> Option<RawFile> {
    match toml::from_str(text) {
        Ok(r) => Some(r),
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s)).unwrap_or(0);
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    0,
                    format!("报送文件无法读取：{}", crate::diag::toml_message(&e)),
                )
                .with_hint("对照 content/submissions/README.md 检查写法；本文件的数据未使用"),
            );
            None
        }
    }
}

/// 校验一份已读入的文件：原文（算行号）、登记册与目录（查名称），问题报到 `diags`。
struct Parser<'a> {
    text: &'a str,
    file: &'a str,
    reg: &'a Registry,
    cat: &'a Catalogue,
    diags: &'a mut Diagnostics,
}

impl Parser<'_> {
    fn err(&mut self, line: usize, msg: String, hint: &str) {
        self.diags
            .push(Diagnostic::error(self.file, line, 0, msg).with_hint(hint));
    }

    fn line(&self, span: Range<usize>) -> usize {
        line_of(self.text, span)
    }

    // ---- 文件头：单位、表种、季度 ----

    /// 报送单位：规范名与是否登记（未知单位保留原文）。
    fn unit(&mut self, raw: Option<&Spanned<String>>) -> (String, bool) {
        let Some(u) = raw else {
            self.err(
                1,
                "缺少必填项 unit（报送单位）".into(),
                "在文件开头写 unit = \"单位名称\"",
            );
            return (String::new(), false);
        };
        match self.reg.unit(u.get_ref().trim()) {
            Some(found) => (found.name.clone(), true),
            None => {
                self.err(
                    self.line(u.span()),
                    format!("未知单位“{}”", u.get_ref()),
                    "单位名称须与 content/units.toml 中的名称或别名一致；本文件的数据不会填入任何单位的表格",
                );
                (u.get_ref().clone(), false)
            }
        }
    }

    /// 表种：缺或不认识时整份文件不用（`None`，已报告）。
    fn form(&mut self, raw: Option<&Spanned<String>>) -> Option<FormKind> {
        let Some(f) = raw else {
            self.err(
                1,
                "缺少必填项 form（表种）".into(),
                "写 form = \"办理方案\"、\"总体办理方案\"、\"工作人员名单\" 或 \"完成情况\"",
            );
            return None;
        };
        let kind = FormKind::parse(f.get_ref());
        if kind.is_none() {
            self.err(
                self.line(f.span()),
                format!("未知表种“{}”", f.get_ref()),
                "form 只能是 \"办理方案\"、\"总体办理方案\"、\"工作人员名单\" 或 \"完成情况\"（也可写 附表1/附表2/附表3）",
            );
        }
        kind
    }

    /// 季度：完成情况必填；写错时报告，按未写处理。
    fn quarter(&mut self, raw: Option<&Spanned<String>>, form: FormKind) -> Option<Quarter> {
        match (raw, form) {
            (Some(q), _) => match Quarter::parse(q.get_ref()) {
                Ok(q) => Some(q),
                Err(e) => {
                    self.err(
                        self.line(q.span()),
                        e.to_string(),
                        "例如 quarter = \"2023Q2\"",
                    );
                    None
                }
            },
            (None, FormKind::Quarterly) => {
                self.err(
                    1,
                    "缺少必填项 quarter（季度）".into(),
                    "完成情况须写明季度，例如 quarter = \"2023Q2\"",
                );
                None
            }
            (None, _) => None,
        }
    }

    fn received(&mut self, raw: Option<&Spanned<toml::Value>>) -> Option<Date> {
        let v = raw?;
        let text = match v.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            other => other.to_string(),
        };
        match Date::parse(text.trim()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err(
                    self.line(v.span()),
                    format!("收到日期 received 有误：{e}"),
                    "写成 received = \"2023-02-14\"（年-月-日）；不写则按未记收到日期处理",
                );
                None
            }
        }
    }

    // ---- 附表2：三个人都要有姓名 ----

    fn contacts(&mut self, sub: &Submission) {
        for (key, label, p) in [
            ("leader", "分管领导", &sub.leader),
            (
                "office_head",
                "办公室或者综合协调处室负责人",
                &sub.office_head,
            ),
            ("clerk", "经办人", &sub.clerk),
        ] {
            if p.as_ref().is_none_or(|p| p.name.trim().is_empty()) {
                self.err(
                    1,
                    format!("缺少必填项 {key}.name（{label}姓名）"),
                    "在 [leader]、[office_head]、[clerk] 下写 name = \"…\"；其余格子留空",
                );
            }
        }
    }

    // ---- [[task]]：按表种归入办理方案或完成情况 ----

    fn task(&mut self, t: Spanned<RawTask>, sub: &mut Submission) {
        let tline = self.line(t.span());
        let t = t.into_inner();
        let (id, known) = self.task_id(t.id.as_ref(), tline);
        match sub.form {
            FormKind::Plan | FormKind::OverallPlan => {
                let rows = self.plan_rows(&id, t.row, tline, sub.form);
                sub.plan.push(PlanTask {
                    id,
                    known,
                    rows,
                    line: tline,
                });
            }
            FormKind::Quarterly => {
                let status = self.status(id, known, t.status, tline);
                sub.statuses.push(status);
            }
            FormKind::Contacts => {
                self.err(
                    tline,
                    "工作人员名单中不应有 [[task]]".into(),
                    "附表2 只写 [leader]、[office_head]、[clerk]",
                );
            }
        }
    }

    /// 任务序号（去掉首尾空白）与目录中是否有这项任务。
    fn task_id(&mut self, raw: Option<&Spanned<String>>, tline: usize) -> (String, bool) {
        let Some(id) = raw else {
            self.err(
                tline,
                "[[task]] 缺少必填项 id（任务序号）".into(),
                "写 id = \"任务序号\"，如 \"1\" 或 \"三.2\"",
            );
            return (String::new(), false);
        };
        let known = self.cat.task(id.get_ref().trim()).is_some();
        if !known {
            self.err(
                self.line(id.span()),
                format!("任务目录中没有序号为“{}”的任务", id.get_ref()),
                "对照 duban catalogue 的输出检查序号；该项数据不会填入表格",
            );
        }
        (id.get_ref().trim().to_string(), known)
    }

    // ---- 附表1 / 总体办理方案的任务行 ----

    fn plan_rows(
        &mut self,
        id: &str,
        raw: Vec<Spanned<RawRow>>,
        tline: usize,
        form: FormKind,
    ) -> Vec<PlanRow> {
        if raw.is_empty() {
            self.err(
                tline,
                format!("任务 {id} 没有填写具体工作内容"),
                "至少写一个 [[task.row]]",
            );
        }
        raw.into_iter()
            .map(|r| self.plan_row(id, r, form))
            .collect()
    }

    fn plan_row(&mut self, id: &str, r: Spanned<RawRow>, form: FormKind) -> PlanRow {
        let rline = self.line(r.span());
        let r = r.into_inner();
        if r.content.as_deref().is_none_or(|c| c.trim().is_empty()) {
            self.err(
                rline,
                format!("任务 {id} 的一行缺少必填项 content（具体工作内容）"),
                "写 content = \"……\"",
            );
        }
        if let Some(n) = r.content.as_deref().and_then(too_long_for_cell) {
            self.err(
                rline,
                format!("任务 {id} 的具体工作内容有 {n} 字，超过 Excel 单元格的上限（约 32700 字）"),
                "精简内容，或拆成几行 [[task.row]] 分别填写；在此之前 XLSX 中该格截断并注明，PDF 中为全文",
            );
        }
        let month = self.month(id, r.month.as_ref(), rline);
        let lead = self.lead(id, r.lead.as_ref(), form);
        PlanRow {
            content: r.content.unwrap_or_default(),
            month,
            leader: r.leader,
            department: r.department,
            lead,
            line: rline,
        }
    }

    /// 完成时间：整数、文字或日期，与 XLSX 共用 [`super::month::parse_month`]；
    /// 原样保存，不在 1–12 时报告，不是月份的报告并按未填处理。
    fn month(&mut self, id: &str, raw: Option<&Spanned<toml::Value>>, rline: usize) -> Option<i64> {
        let Some(m) = raw else {
            self.err(
                rline,
                format!("任务 {id} 的一行缺少必填项 month（完成时间）"),
                "写 month = 5 或 month = \"5月\"（1–12 月）",
            );
            return None;
        };
        let line = self.line(m.span());
        let parsed = match m.get_ref() {
            toml::Value::Integer(n) if (1..=12).contains(n) => return Some(*n),
            toml::Value::Integer(n) => {
                self.err(
                    line,
                    format!("完成时间 month = {n} 不在 1–12 之间"),
                    "按月填写，1 表示 1 月，12 表示 12 月；表格中原样显示，请更正后重新生成",
                );
                return Some(*n);
            }
            toml::Value::String(s) => super::month::parse_month(s),
            toml::Value::Datetime(d) => super::month::parse_month(&d.to_string()),
            other => Err(super::month::MonthError::NotMonth(other.to_string())),
        };
        match parsed {
            Ok(month) => Some(month.month),
            Err(e) => {
                self.err(
                    line,
                    format!("任务 {id} 的{e}"),
                    &format!("{}；表格中原样显示，请更正后重新生成", e.hint()),
                );
                match e {
                    super::month::MonthError::OutOfRange(_, n) => Some(n),
                    _ => None,
                }
            }
        }
    }

    /// 牵头单位：只属于总体办理方案；办理方案里写了或单位未知都报告，一律原样保存。
    fn lead(&mut self, id: &str, raw: Option<&Spanned<String>>, form: FormKind) -> String {
        let Some(l) = raw else {
            return String::new();
        };
        if form == FormKind::Plan {
            self.err(
                self.line(l.span()),
                format!("办理方案任务 {id} 的一行写了 lead（牵头单位）"),
                "办理方案的牵头单位就是报送单位，不写 lead；汇总各牵头单位的请用 form = \"总体办理方案\"",
            );
        } else if self.reg.unit(l.get_ref().trim()).is_none()
            && self.reg.group(l.get_ref().trim()).is_none()
        {
            // 牵头单位也可以是群体短语（如“各街道办事处”牵头的任务，总体办理方案里按短语一段）。
            self.err(
                self.line(l.span()),
                format!("未知牵头单位“{}”", l.get_ref()),
                "lead 须与 content/units.toml 中的单位或群体短语的名称、别名一致",
            );
        }
        l.get_ref().clone()
    }

    // ---- 附表3 的完成情况 ----

    fn status(&mut self, id: String, known: bool, text: Option<String>, tline: usize) -> Status {
        if text.as_deref().is_none_or(|s| s.trim().is_empty()) {
            self.err(
                tline,
                format!("任务 {id} 缺少必填项 status（完成情况）"),
                "写 status = \"……\"",
            );
        }
        if let Some(n) = text.as_deref().and_then(too_long_for_cell) {
            self.err(
                tline,
                format!("任务 {id} 的完成情况有 {n} 字，超过 Excel 单元格的上限（约 32700 字）"),
                "精简内容，只写本季度的主要进展与数据；在此之前 XLSX 中该格截断并注明，PDF 中为全文",
            );
        }
        Status {
            id,
            known,
            text: text.unwrap_or_default(),
            line: tline,
        }
    }
}

#[cfg(test)]
pub(super) mod tests;
