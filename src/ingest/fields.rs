//! 校验的第二部分：各表的填报格——附表1 的具体工作内容与完成时间、附表3 的完成情况、附表2 的人，
//! 以及预印序号的去除。

use super::clip;
use super::extract::{Block, RowData};
use super::identify::Col;
use super::validate::Checker;
use super::workbook::Value;
use crate::catalogue::Task;
use crate::submissions::month::{parse_month, to_halfwidth};
use crate::submissions::{Person, PlanRow, Status, Submission};
use std::collections::BTreeSet;

impl Checker<'_> {
    /// 一块里的具体工作内容各行（空行略过）。
    pub(super) fn plan_rows(&mut self, b: &Block, task: &Task, lead: &str) -> Vec<PlanRow> {
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
    pub(super) fn month(&mut self, row: &RowData, task: &Task, content: &str) -> Option<i64> {
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
    pub(super) fn status(&mut self, b: &Block, task: &Task) -> Status {
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
    pub(super) fn contacts(&mut self, blocks: &[Block], sub: &mut Submission) {
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
    pub(super) fn phones(&mut self, r: &RowData, p: &Person) {
        let digits = |s: &str| {
            to_halfwidth(s)
                .chars()
                .filter(|c| c.is_ascii_digit())
                .collect::<String>()
        };
        let m = digits(&p.mobile);
        if !(p.mobile.is_empty() || m.len() == 11 && m.starts_with('1')) {
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
