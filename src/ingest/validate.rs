//! 校验读出的块并整理成报送数据（[`Submission`]）：锁定格（序号、责任事项、牵头单位）不许改、
//! 填报格逐格的检查在本文件，各表的行与人在 `fields`；
//! 任务块不许删、必填项、月份、公式、超长、“=”开头的文字。只报，不猜：有错误的文件整份退回。

use super::extract::{task_id_of, Block, Got, RowData};
use super::identify::{squash, Col, Identified};
use super::workbook::Value;
use super::{clip, Problem};
use crate::catalogue::Task;
use crate::date::Date;
use crate::duties::Role;
use crate::project::Project;
use crate::submissions::{FormKind, PlanTask, Submission};

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
    pub(super) fn at(&self, row: &RowData, col: Col) -> Option<(u32, u32)> {
        let c =
            row.cells
                .get(&col)
                .map(|g| g.at.1)
                .or(self.ident.layout.cols.get(&col).copied())?;
        Some((row.at, c))
    }

    pub(super) fn error(
        &mut self,
        at: Option<(u32, u32)>,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems
            .push(Problem::error(self.sheet, at, msg, hint));
    }
    pub(super) fn warning(
        &mut self,
        at: Option<(u32, u32)>,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems
            .push(Problem::warning(self.sheet, at, msg, hint));
    }

    /// 校验全部块，得到报送数据（`file` 为原文件名，`received` 为收到日期）。
    pub fn check(&mut self, blocks: &[Block], file: &str, received: Date) -> Submission {
        let id = self.ident;
        let mut sub = Submission {
            file: file.into(),
            quarter: id.quarter,
            received: Some(received),
            ..Submission::new(&id.unit, id.form)
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
        if b.by_text {
            self.warning(
                self.at(row, Col::Id),
                format!("这一块没有序号，按责任事项原文认作第{}项", task.id),
                "请在序号格填上任务序号",
            );
        } else if task_id_of(&id_seen).as_deref() != Some(task.id.as_str()) {
            let what = match id_seen.is_empty() {
                true => "被清空".to_string(),
                false => format!("被改为“{}”", clip(&id_seen, 20)),
            };
            self.error(
                self.at(row, Col::Id),
                format!("序号格{what}（锁定格）"),
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
}
