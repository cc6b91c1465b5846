//! 校验读出的块并整理成报送数据（[`Submission`]）：锁定格（序号、责任事项、牵头单位）不许改、
//! 任务块不许删、必填项、月份、公式、超长、“=”开头的文字。只报，不猜：有错误的文件整份退回。

use super::extract::{task_id_of, Block, Got, RowData};
use super::identify::{squash, Col, Identified};
use super::workbook::Value;
use super::{clip, Problem};
use crate::catalogue::Task;
use crate::date::Date;
use crate::duties::Role;
use crate::project::Project;
use crate::submissions::month::{parse_month, to_halfwidth};
use crate::submissions::{FormKind, Person, PlanRow, PlanTask, Status, Submission};
use std::collections::BTreeSet;

/// Excel 单元格的字数上限。
const CELL_LIMIT: usize = 32_767;

/// 校验的上下文：项目、认出的表、工作表名、问题清单。
pub struct Checker<'a> {
    pub project: &'a Project,
    pub ident: &'a Identified,
    pub sheet: &'a str,
    pub problems: &'a mut Vec<Problem>,
}

impl<'a> Checker<'a> {
    /// 某行某列的格子（该格为空、读不到时也能指出位置）。
    fn at(&self, row: &RowData, col: Col) -> Option<(u32, u32)> {
        let c =
            row.cells
                .get(&col)
                .map(|g| g.at.1)
                .or(self.ident.layout.cols.get(&col).copied())?;
        Some((row.at, c))
    }

    fn error(&mut self, at: Option<(u32, u32)>, msg: impl Into<String>, hint: impl Into<String>) {
        self.problems
            .push(Problem::error(self.sheet, at, msg, hint));
    }
    fn warning(&mut self, at: Option<(u32, u32)>, msg: impl Into<String>, hint: impl Into<String>) {
        self.problems
            .push(Problem::warning(self.sheet, at, msg, hint));
    }

    /// 校验全部块，得到报送数据（`file` 为原文件名，`received` 为收到日期）。
    pub fn check(&mut self, blocks: &[Block], file: &str, received: Date) -> Submission {
        let id = self.ident;
        let mut sub = Submission {
            file: file.into(),
            unit: id.unit.clone(),
            unit_known: true,
            form: id.form,
            sample: false,
            quarter: id.quarter,
            received: Some(received),
            plan: Vec::new(),
            leader: None,
            office_head: None,
            clerk: None,
            statuses: Vec::new(),
        };
        for b in blocks {
            for row in &b.rows {
                for (c, g) in &row.cells {
                    if c.is_input() {
                        self.cell(g);
                    }
                }
            }
        }
        match id.form {
            FormKind::Contacts => self.contacts(blocks, &mut sub),
            _ => self.tasks(blocks, &mut sub),
        }
        sub
    }

    /// 每个填报格都查：公式（取结果）、错误值、超长、以 = + - @ 开头（在别处可能成了公式）。
    fn cell(&mut self, g: &Got) {
        if g.inherited {
            return;
        }
        if g.formula {
            self.warning(
                Some(g.at),
                format!("这一格是公式，已取其上次计算的结果“{}”", clip(&g.text, 20)),
                "duban 不计算公式；请把结果直接填进格子",
            );
        }
        if let Value::Error(e) = &g.value {
            self.error(
                Some(g.at),
                format!("这一格是公式错误值 {e}"),
                "改正公式或直接填写内容",
            );
        }
        let n = g.text.chars().count();
        if n > CELL_LIMIT {
            self.error(
                Some(g.at),
                format!("这一格有 {n} 字，超过 Excel 单元格 32767 字的上限"),
                "精简内容或拆成几行（在任务块内插入行）",
            );
        }
        if matches!(&g.value, Value::Text(t) if t.trim_start().starts_with(['=', '+', '-', '@'])) {
            self.warning(
                Some(g.at),
                format!(
                    "“{}”以“{}”开头，在别的软件里可能被当作公式",
                    clip(g.text.trim(), 20),
                    g.text.trim_start().chars().next().unwrap_or(' ')
                ),
                "duban 原样保存为文字；如是列项符号，建议去掉",
            );
        }
    }

    /// 本单位在这张表上应有的任务（目录顺序）。
    fn expected(&self) -> Vec<&'a Task> {
        let p: &'a Project = self.project;
        let cat = &p.catalogue;
        let Some(d) = p.duties.get(&self.ident.unit) else {
            return Vec::new();
        };
        match self.ident.form {
            FormKind::Plan => d
                .tasks_with(Role::Lead)
                .into_iter()
                .map(|i| &cat.tasks[i])
                .collect(),
            FormKind::OverallPlan => d
                .tasks_with(Role::OverallLead)
                .into_iter()
                .map(|i| &cat.tasks[i])
                .collect(),
            FormKind::Quarterly => d.quarterly.iter().map(|&i| &cat.tasks[i]).collect(),
            FormKind::Contacts => Vec::new(),
        }
    }

    /// 表是按哪份任务目录生成的：隐藏键中的任务序号与现行目录不同，说明表是旧的。
    fn stale(&mut self, expected: &[&Task]) {
        let Some(ids) = &self.ident.task_ids else {
            return;
        };
        let want: Vec<&str> = expected.iter().map(|t| t.id.as_str()).collect();
        if ids.iter().map(String::as_str).eq(want.iter().copied()) {
            return;
        }
        let extra: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|i| !want.contains(i))
            .collect();
        let missing: Vec<&str> = want
            .iter()
            .copied()
            .filter(|i| !ids.iter().any(|x| x == i))
            .collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("现行通知还有第{}项", missing.join("、")));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "表中的第{}项已不归本单位或已取消",
                extra.join("、")
            ));
        }
        let what = if parts.is_empty() {
            "任务顺序已调整".to_string()
        } else {
            parts.join("；")
        };
        self.error(
            None,
            format!("这份表是按旧的任务目录生成的（{what}）"),
            "请用按现行通知重新下发的表填报",
        );
    }

    /// 附表1、总体办理方案、附表3：逐块核对任务与锁定格，读出各行。
    fn tasks(&mut self, blocks: &[Block], sub: &mut Submission) {
        let expected = self.expected();
        self.stale(&expected);
        let mut seen: Vec<String> = Vec::new();
        for b in blocks {
            let Some(task) = self.task_of(b, &expected) else {
                continue;
            };
            let first = !seen.contains(&task.id);
            if first {
                seen.push(task.id.clone());
                self.locked(b, task);
            } else if self.ident.form != FormKind::OverallPlan || b.lead.is_none() {
                self.error(
                    b.rows
                        .first()
                        .and_then(|r| r.cells.get(&Col::Id))
                        .map(|g| g.at),
                    format!("第{}项在表中出现了两次", task.id),
                    "每项任务只填一块；多出的一块删去，内容并入原来的一块",
                );
                continue;
            }
            if self.ident.form == FormKind::Quarterly {
                sub.statuses.push(self.status(b, task));
            } else {
                let lead = self.lead(b, task);
                let rows = self.plan_rows(b, task, &lead);
                match sub.plan.iter_mut().find(|t| t.id == task.id) {
                    Some(t) => t.rows.extend(rows),
                    None => sub.plan.push(PlanTask {
                        id: task.id.clone(),
                        known: true,
                        rows,
                        line: b.rows[0].at as usize + 1,
                    }),
                }
            }
        }
        for t in &expected {
            if !seen.contains(&t.id) {
                self.error(
                    None,
                    format!("缺少第{}项（整块被删去了？）", t.id),
                    "请用下发的表重新填报，不要删去任务行",
                );
            }
        }
        for t in &sub.plan {
            if t.rows.is_empty() {
                let at = blocks
                    .iter()
                    .find(|b| b.task == t.id)
                    .and_then(|b| self.at(&b.rows[0], Col::Content));
                self.error(
                    at,
                    format!("第{}项没有填写具体工作内容", t.id),
                    "每项任务至少填一条具体工作内容和完成时间",
                );
            }
        }
    }

    /// 块对应的任务；没有这项任务或不归本单位的报错并跳过。
    fn task_of<'t>(&mut self, b: &Block, expected: &[&'t Task]) -> Option<&'t Task> {
        let at = b
            .rows
            .first()
            .and_then(|r| r.cells.get(&Col::Id).or(r.cells.get(&Col::Key)))
            .map(|g| g.at);
        if let Some(t) = expected.iter().find(|t| t.id == b.task) {
            return Some(t);
        }
        let role = match self.ident.form {
            FormKind::Plan => "牵头",
            FormKind::OverallPlan => "总牵头",
            _ => "需报送完成情况",
        };
        let msg = match self.project.catalogue.task(&b.task) {
            Some(_) => format!(
                "第{}项不是{}{}的任务，这一块未读取",
                b.task, self.ident.unit, role
            ),
            None => format!("任务目录中没有第{}项，这一块未读取", b.task),
        };
        self.error(at, msg, "请用本单位下发的表填报；多出的任务块删去");
        None
    }

    /// 锁定格：序号、责任事项须与现行通知一致（忽略空白与全半角）。
    fn locked(&mut self, b: &Block, task: &Task) {
        let row = &b.rows[0];
        let id_cell = row.cells.get(&Col::Id);
        let id_seen = id_cell
            .map(|g| g.text.trim().to_string())
            .unwrap_or_default();
        if task_id_of(&id_seen).as_deref() != Some(task.id.as_str()) {
            self.error(
                id_cell.map(|g| g.at),
                format!("序号格被改为“{}”（锁定格）", clip(&id_seen, 20)),
                format!("应为 {}；请勿改动序号", task.id),
            );
        }
        let text_cell = row.cells.get(&Col::Text);
        let seen = text_cell.map(|g| squash(&g.text)).unwrap_or_default();
        if seen != squash(&task.text) {
            let what = if seen.is_empty() {
                "被清空".to_string()
            } else {
                format!("与通知原文不同：“{}”", clip(&seen, 30))
            };
            self.error(
                text_cell.map(|g| g.at),
                format!("第{}项的责任事项{what}（锁定格）", task.id),
                format!("应为通知原文：“{}”", clip(&task.text, 60)),
            );
        }
    }

    /// 总体办理方案一段的牵头单位：须是这项任务的牵头单位之一；返回规范名（群体短语原样）。
    fn lead(&mut self, b: &Block, task: &Task) -> String {
        let Some(lead) = &b.lead else {
            return String::new();
        };
        let reg = &self.project.registry;
        let canon = reg
            .unit(lead)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| lead.clone());
        let ok = task.leads.iter().any(|l| squash(&l.name) == squash(&canon))
            || (task.leads.is_empty() && lead.is_empty());
        let cell = b.rows[0].cells.get(&Col::Lead);
        let shown = cell.map(|g| squash(&g.text)).unwrap_or_default();
        if !ok || (b.keyed && !shown.is_empty() && shown != squash(lead)) {
            let names: Vec<&str> = task.leads.iter().map(|l| l.name.as_str()).collect();
            self.error(
                cell.map(|g| g.at),
                format!(
                    "第{}项的牵头单位“{}”不对（锁定格）",
                    task.id,
                    if shown.is_empty() { lead } else { &shown }
                ),
                format!("这项任务的牵头单位是：{}", names.join("、")),
            );
        }
        canon
    }

    /// 一块里的具体工作内容各行（空行略过）。
    fn plan_rows(&mut self, b: &Block, task: &Task, lead: &str) -> Vec<PlanRow> {
        let mut out = Vec::new();
        for (i, row) in b.rows.iter().enumerate() {
            let content = strip_ordinal(row.text(Col::Content), i + 1);
            let own = |c: Col| {
                row.cells
                    .get(&c)
                    .is_some_and(|g| !g.inherited && !g.text.trim().is_empty())
            };
            if content.is_empty() && !own(Col::Month) && !own(Col::Leader) && !own(Col::Department)
            {
                continue;
            }
            let month = self.month(row, task, &content);
            if content.is_empty() {
                self.error(
                    self.at(row, Col::Content),
                    format!(
                        "第{}项的这一行填了完成时间或负责人，却没有具体工作内容",
                        task.id
                    ),
                    "补上具体工作内容，或清空这一行",
                );
            }
            out.push(PlanRow {
                content,
                month,
                leader: row.text(Col::Leader).to_string(),
                department: row.text(Col::Department).to_string(),
                lead: lead.to_string(),
                line: row.at as usize + 1,
            });
        }
        out
    }

    /// 完成时间：下拉的“5月”、数字、日期、“2023年5月”都认（与手写 TOML 同一解析器）。
    fn month(&mut self, row: &RowData, task: &Task, content: &str) -> Option<i64> {
        let Some(g) = row
            .cells
            .get(&Col::Month)
            .filter(|g| !g.text.trim().is_empty())
        else {
            self.error(
                self.at(row, Col::Month),
                format!("第{}项“{}”没有填完成时间", task.id, clip(content, 16)),
                "从下拉列表选 1月–12月",
            );
            return None;
        };
        let parsed = match &g.value {
            Value::Date { year, month, .. } => Ok((i64::from(*month), Some(*year))),
            Value::Number(n) if n.fract() == 0.0 && (1.0..=12.0).contains(n) => {
                Ok((*n as i64, None))
            }
            _ => parse_month(&g.text).map(|m| (m.month, m.year)),
        };
        match parsed {
            Ok((m, year)) => {
                let want = self.project.config.project.year;
                if year.is_some_and(|y| y != want) {
                    self.warning(
                        Some(g.at),
                        format!("完成时间“{}”不是 {want} 年", g.text.trim()),
                        "本年度的任务一般在本年度内完成；如确是跨年完成，可忽略本警告",
                    );
                }
                Some(m)
            }
            Err(e) => {
                self.error(Some(g.at), format!("第{}项的{e}", task.id), e.hint());
                None
            }
        }
    }

    /// 附表3 一项任务的完成情况：块内各行的文字按行接起来（插入的行接在后面）。
    fn status(&mut self, b: &Block, task: &Task) -> Status {
        let text: Vec<&str> = b
            .rows
            .iter()
            .map(|r| r.text(Col::Status))
            .filter(|t| !t.is_empty())
            .collect();
        if text.is_empty() {
            self.error(
                self.at(&b.rows[0], Col::Status),
                format!("第{}项没有填写完成情况", task.id),
                "写明本季度的主要进展、数据和存在的问题",
            );
        }
        Status {
            id: task.id.clone(),
            known: true,
            text: text.join("\n"),
            line: b.rows[0].at as usize + 1,
        }
    }

    /// 附表2：分管领导、办公室负责人、经办人各一行，姓名必填；电话写法可疑的警告。
    fn contacts(&mut self, blocks: &[Block], sub: &mut Submission) {
        let mut seen = BTreeSet::new();
        for b in blocks {
            let who = b.person.as_deref().unwrap_or("");
            let label = match who {
                "leader" => "分管领导",
                "office_head" => "办公室或者综合协调处室负责人",
                "clerk" => "经办人",
                _ => {
                    self.error(
                        b.rows[0].cells.get(&Col::Key).map(|g| g.at),
                        format!("隐藏键中的人“{who}”不认识"),
                        "请用下发的表重新填报",
                    );
                    continue;
                }
            };
            if !seen.insert(who.to_string()) {
                self.error(
                    b.rows[0].cells.get(&Col::Role).map(|g| g.at),
                    format!("{label}出现了两次"),
                    "每人只填一行",
                );
                continue;
            }
            for extra in b.rows.iter().skip(1).filter(|r| r.has_own_input()) {
                let at = extra.cells.values().find(|g| !g.inherited).map(|g| g.at);
                self.error(
                    at,
                    format!("{label}下面多出的一行未读取"),
                    "附表2 每人一行；有多位经办人的，只填一位",
                );
            }
            let r = &b.rows[0];
            let p = Person {
                name: r.text(Col::Name).to_string(),
                title: r.text(Col::Title).to_string(),
                office_phone: r.text(Col::OfficePhone).to_string(),
                mobile: r.text(Col::Mobile).to_string(),
            };
            if p.name.is_empty() {
                self.error(
                    self.at(r, Col::Name),
                    format!("{label}的姓名未填写"),
                    "姓名必填；职务、电话能填的都填上",
                );
            }
            self.phones(r, &p);
            match who {
                "leader" => sub.leader = Some(p),
                "office_head" => sub.office_head = Some(p),
                _ => sub.clerk = Some(p),
            }
        }
        for (who, label) in [
            ("leader", "分管领导"),
            ("office_head", "办公室或者综合协调处室负责人"),
            ("clerk", "经办人"),
        ] {
            if !seen.contains(who) {
                self.error(
                    None,
                    format!("缺少{label}一行"),
                    "请用下发的表重新填报，不要删行",
                );
            }
        }
    }

    /// 手机应为 11 位数字（1 开头），办公电话至少 7 位数字；只警告。
    fn phones(&mut self, r: &RowData, p: &Person) {
        let digits = |s: &str| {
            to_halfwidth(s)
                .chars()
                .filter(|c| c.is_ascii_digit())
                .collect::<String>()
        };
        let m = digits(&p.mobile);
        if !p.mobile.is_empty() && !(m.len() == 11 && m.starts_with('1')) {
            let at = r.cells.get(&Col::Mobile).map(|g| g.at);
            self.warning(
                at,
                format!("手机号“{}”不是 11 位", p.mobile),
                "核对手机号；座机请填在“办公电话”",
            );
        }
        if !p.office_phone.is_empty() && digits(&p.office_phone).len() < 7 {
            let at = r.cells.get(&Col::OfficePhone).map(|g| g.at);
            self.warning(
                at,
                format!("办公电话“{}”位数不够", p.office_phone),
                "写成“027-81234567”这样的区号加号码",
            );
        }
    }
}

/// 去掉下发表里预先印的“1.”“2.”序号（全角也认）。紧跟数字的（“1.5亿元”）只有序号等于本行位置时才去，
/// 这样同一行重新生成、再读回，内容不变。
pub fn strip_ordinal(s: &str, pos: usize) -> String {
    let t = s.trim();
    let chars: Vec<char> = t.chars().collect();
    let half = |c: char| to_halfwidth(&c.to_string()).chars().next().unwrap_or(c);
    let n = chars
        .iter()
        .take_while(|c| half(**c).is_ascii_digit())
        .count();
    if n == 0
        || n > 3
        || !chars
            .get(n)
            .is_some_and(|c| matches!(half(*c), '.' | '、') || *c == '、')
    {
        return t.to_string();
    }
    let num: String = chars[..n].iter().map(|c| half(*c)).collect();
    let rest: String = chars[n + 1..].iter().collect();
    let rest = rest.trim_start();
    if rest
        .chars()
        .next()
        .is_some_and(|c| half(c).is_ascii_digit())
        && num.parse::<usize>().ok() != Some(pos)
    {
        return t.to_string();
    }
    rest.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::strip_ordinal;

    #[test]
    fn ordinal_prefix_is_removed_but_numbers_kept() {
        assert_eq!(strip_ordinal("1.梳理清单", 1), "梳理清单");
        assert_eq!(strip_ordinal("３．梳理清单", 3), "梳理清单");
        assert_eq!(strip_ordinal("2、 梳理清单 ", 2), "梳理清单");
        assert_eq!(strip_ordinal("3.", 3), "");
        assert_eq!(
            strip_ordinal("5.新增一条", 3),
            "新增一条",
            "插入的行写的序号不必对位"
        );
        assert_eq!(
            strip_ordinal("1.5亿元投资到位", 2),
            "1.5亿元投资到位",
            "数字不是本行序号：不动"
        );
        assert_eq!(
            strip_ordinal("1.1.5亿元投资到位", 1),
            "1.5亿元投资到位",
            "写出再读回不变"
        );
        assert_eq!(strip_ordinal("2023年完成", 1), "2023年完成");
        assert_eq!(strip_ordinal("梳理清单", 1), "梳理清单");
    }
}
