//! 催办登记（`[paths] reminder_log`，默认 `content/催办登记.toml`）：已编的督办编号。
//!
//! 编号规则：每年从 1 起连续编；同一天（催办日期）同一单位重跑沿用原编号，新需要催报的单位接着编，
//! 重跑时已不需催报的单位的编号作废（不收回、不再用）。所以同样的登记与同样的报送数据得到同样的编号，
//! 删除登记文件才会从 1 重新编。

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// 登记文件开头的说明。
const HEADER: &str = "# 催办登记：duban remind 编的督办编号与所催事项（由 duban 写入，请勿手改）。\n# 同一天同一单位重跑沿用原编号；删除本文件会从 1 重新编号。\n\n";

/// 一次催办中的一项材料。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerItem {
    pub what: String,
    pub to: String,
    /// 原截止日期 "2023-02-15"。
    pub deadline: String,
    /// 新截止日期。
    pub new_deadline: String,
    /// 催办时的状态文字。
    pub state: String,
}

/// 一份催报通知。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// 督办编号全称，如“督办〔2023〕3号”（前缀改了也不改已编的）。
    pub number: String,
    pub year: i32,
    /// 当年序号。
    pub seq: u32,
    /// 催办日期 "2023-02-16"。
    pub date: String,
    pub unit: String,
    /// 作废：同一天重跑时该单位已不需催报。
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
    #[serde(default)]
    pub items: Vec<LedgerItem>,
}

/// 整个登记。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    #[serde(default, rename = "reminder")]
    pub entries: Vec<Entry>,
}

/// 一次编号的结果。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub unit: String,
    pub number: String,
    pub seq: u32,
    /// 沿用了登记中的编号（重跑）。
    pub reused: bool,
}

impl Ledger {
    /// 解析登记文件；写错时报文件、行号与提示。
    pub fn parse(text: &str, path: &str) -> anyhow::Result<Ledger> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| crate::diag::line_col(text, s.start).0)
                .unwrap_or(0);
            anyhow::anyhow!(
                "催办登记 {path} 第 {line} 行有误：{}\n  提示：这个文件由 duban remind 写入；手改坏了可从备份恢复，删除它会从 1 重新编号",
                crate::diag::toml_message(&e)
            )
        })
    }

    /// 写成 TOML 文本（带说明），条目按年份、序号排序。
    pub fn to_text(&self) -> String {
        let mut sorted = self.clone();
        sorted.entries.sort_by_key(|e| (e.year, e.seq));
        HEADER.to_string() + &toml::to_string(&sorted).expect("登记可序列化")
    }

    /// 某年已用的最大序号。
    fn max_seq(&self, year: i32) -> u32 {
        self.entries
            .iter()
            .filter(|e| e.year == year)
            .map(|e| e.seq)
            .max()
            .unwrap_or(0)
    }

    /// 最近一次催办的日期。
    pub fn latest(&self) -> Option<&str> {
        self.entries.iter().map(|e| e.date.as_str()).max()
    }

    /// 给 `date` 这天要催报的单位（按给定顺序）编号；`scope` 为本次涉及的单位范围（`None` 为全部），
    /// 范围内这天登记过而本次不再需要的作废。返回编号与作废的条目。
    pub fn assign(
        &mut self,
        date: Date,
        units: &[String],
        scope: Option<&[String]>,
        prefix: &str,
    ) -> (Vec<Assigned>, Vec<Entry>) {
        let day = date.to_string();
        let mut out = Vec::new();
        for unit in units {
            if let Some(e) = self
                .entries
                .iter_mut()
                .find(|e| e.date == day && e.unit == *unit)
            {
                e.cancelled = false;
                out.push(Assigned {
                    unit: unit.clone(),
                    number: e.number.clone(),
                    seq: e.seq,
                    reused: true,
                });
                continue;
            }
            let seq = self.max_seq(date.year) + 1;
            let number = format!("{prefix}〔{}〕{seq}号", date.year);
            self.entries.push(Entry {
                number: number.clone(),
                year: date.year,
                seq,
                date: day.clone(),
                unit: unit.clone(),
                cancelled: false,
                items: Vec::new(),
            });
            out.push(Assigned {
                unit: unit.clone(),
                number,
                seq,
                reused: false,
            });
        }
        let mut cancelled = Vec::new();
        for e in &mut self.entries {
            let in_scope = scope.is_none_or(|s| s.contains(&e.unit));
            if e.date == day && in_scope && !e.cancelled && !units.contains(&e.unit) {
                e.cancelled = true;
                cancelled.push(e.clone());
            }
        }
        (out, cancelled)
    }

    /// 记下一份通知所催的事项。
    pub fn set_items(&mut self, date: Date, unit: &str, items: Vec<LedgerItem>) {
        let day = date.to_string();
        if let Some(e) = self
            .entries
            .iter_mut()
            .find(|e| e.date == day && e.unit == unit)
        {
            e.items = items;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn numbers_are_stable_and_never_reused() {
        let mut l = Ledger::default();
        let (a, c) = l.assign(day("2023-02-16"), &names(&["甲", "乙"]), None, "督办");
        assert!(c.is_empty());
        let nums: Vec<&str> = a.iter().map(|x| x.number.as_str()).collect();
        assert_eq!(nums, ["督办〔2023〕1号", "督办〔2023〕2号"]);
        // 同一天重跑：同样的编号；文本逐字节相同。
        let text = l.to_text();
        let mut again = Ledger::parse(&text, "x").unwrap();
        let (b, _) = again.assign(day("2023-02-16"), &names(&["甲", "乙"]), None, "督办");
        assert_eq!(
            b.iter().map(|x| (x.seq, x.reused)).collect::<Vec<_>>(),
            [(1, true), (2, true)]
        );
        assert_eq!(again.to_text(), text);
        // 同一天乙已报齐、丙新需要：乙作废，丙接着编 3 号。
        let (b, c) = again.assign(day("2023-02-16"), &names(&["甲", "丙"]), None, "督办");
        assert_eq!(b[1].number, "督办〔2023〕3号");
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].unit.as_str(), c[0].seq), ("乙", 2));
        // 另一天：新编号，不沿用别天的。
        let (b, _) = again.assign(day("2023-02-20"), &names(&["甲"]), None, "督办");
        assert_eq!(b[0].seq, 4);
        // 跨年（第四季度的季报次年 1 月催）：次年从 1 起编。
        let (b, _) = again.assign(day("2024-01-22"), &names(&["甲"]), None, "区督");
        assert_eq!(b[0].number, "区督〔2024〕1号");
        let text = again.to_text();
        assert!(text.starts_with("# 催办登记"), "{text}");
        assert!(text.contains("cancelled = true"), "{text}");
        assert_eq!(Ledger::parse(&text, "x").unwrap().to_text(), text);
    }

    #[test]
    fn scope_limits_cancellation() {
        let mut l = Ledger::default();
        l.assign(day("2023-02-16"), &names(&["甲", "乙"]), None, "督办");
        let scope = names(&["甲"]);
        let (_, c) = l.assign(day("2023-02-16"), &names(&["甲"]), Some(&scope), "督办");
        assert!(c.is_empty(), "只重跑甲（--unit）时不作废乙");
    }

    #[test]
    fn bad_ledger_names_line() {
        let e = Ledger::parse("[[reminder]]\nnumber = 1\n", "content/催办登记.toml").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("content/催办登记.toml 第 2 行"), "{m}");
    }
}
