//! 报回件库（`duban.toml` 的 `[paths] received`，默认 `content/received/`）：
//!
//! ```text
//! content/received/
//!   登记簿.toml              每收到一个文件一条记录（只追加）：收到日期、原文件名、SHA-256、单位、表种、季度、结果、取代哪一条
//!   登记簿.csv               同上，供 Excel 查看（每次导入重写）
//!   originals/<sha256>.xlsx  原件，逐字节保存，按内容命名
//!   data/<sha256>.toml       已接收的报回件整理成的报送数据（格式同 content/submissions）
//!   退回/<收到日期>/<单位>/   退回说明 PDF 与标注了问题格子的 XLSX
//! ```
//!
//! 本模块读登记簿并选出每个（单位, 表种, 季度）现用的一份，供 [`crate::project::Project::load`]
//! 与手工录入的报送数据合并；写登记簿的是 `crate::ingest`。
//!
//! 规则：
//! - 现用的一份 = 结果为“已接收”、收到日期最晚（同日按登记先后）的一份；更早的算“被取代”。
//! - 退回、拒收、待定的文件只留记录和原件，数据不用。
//! - 手工录入（`content/submissions/`）与报回件是同一单位、同一表种、同一季度时，**手工录入的优先**
//!   （办公室有意的更正），报回件不用，并报告警告。

use super::{parse_str, FormKind, Submission, Submissions};
use crate::catalogue::Catalogue;
use crate::diag::{Diagnostic, Diagnostics};
use crate::registry::Registry;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// 登记簿文件名（报回件库根下）。
pub const LEDGER_FILE: &str = "登记簿.toml";
/// 登记簿的表格版。
pub const LEDGER_CSV: &str = "登记簿.csv";
/// 原件目录。
pub const ORIGINALS_DIR: &str = "originals";
/// 整理后数据的目录。
pub const DATA_DIR: &str = "data";
/// 退回说明目录。
pub const RETURNS_DIR: &str = "退回";

/// 一个文件的处理结果。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Outcome {
    /// 没有错误，数据已整理入库。
    #[serde(rename = "已接收")]
    Accepted,
    /// 认出了单位和表种，但有错误：退回说明已生成，数据不用。
    #[serde(rename = "退回")]
    Returned,
    /// 读不了或认不出（损坏、不是 XLSX、加密、过大、单位或表种不明）。
    #[serde(rename = "拒收")]
    Rejected,
    /// 同一批中同一单位同一张表有两份内容不同的文件，无法判断哪份为准；单独再导入一份即可定下。
    #[serde(rename = "待定")]
    Pending,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Accepted => "已接收",
            Outcome::Returned => "退回",
            Outcome::Rejected => "拒收",
            Outcome::Pending => "待定",
        }
    }
}

/// 登记簿中的一条（一个收到的文件）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// 登记序号，从 1 起。
    pub seq: u32,
    /// 收到日期 "2023-02-14"。
    pub received: String,
    /// 原文件名。
    pub file: String,
    /// 导入时给出的路径。
    pub source: String,
    pub sha256: String,
    pub size: u64,
    /// 原件在库中的位置（相对库根，“/”分隔）。
    pub original: String,
    #[serde(default)]
    pub unit: String,
    /// 表种：附表1、总体办理方案、附表2、附表3（认不出时为空）。
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub quarter: String,
    #[serde(default)]
    pub template_version: String,
    pub result: Outcome,
    /// 本条取代了哪一条（序号）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<u32>,
    /// 整理后的数据（相对库根；仅已接收的有）。
    #[serde(default)]
    pub data: String,
    /// 问题（错误与警告），每条一行：“错误 附表1!D7：……（提示：……）”。
    #[serde(default)]
    pub problems: Vec<String>,
    /// 生成的退回说明与标注表（相对库根）。
    #[serde(default)]
    pub letters: Vec<String>,
}

impl Entry {
    /// 报送的“格子”：同一单位、同一表种、同一季度的报回件互相取代。
    pub fn slot(&self) -> (&str, &str, &str) {
        (&self.unit, &self.form, &self.quarter)
    }
    /// 错误条数。
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.starts_with("错误"))
            .count()
    }
    fn order(&self) -> (&str, u32) {
        (&self.received, self.seq)
    }
}

/// 登记簿：全部收件记录，按登记顺序。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    #[serde(default)]
    pub entry: Vec<Entry>,
}

impl Ledger {
    /// 读登记簿；文件不存在时为空。
    pub fn read(dir: &Path) -> anyhow::Result<Ledger> {
        let path = dir.join(LEDGER_FILE);
        if !path.exists() {
            return Ok(Ledger::default());
        }
        let text = crate::textfile::read(&path)
            .with_context(|| format!("无法读取登记簿 {}", path.display()))?;
        toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| crate::diag::line_col(&text, s.start).0)
                .unwrap_or(0);
            anyhow::anyhow!(
                "登记簿 {} 第 {line} 行有误：{}\n  提示：登记簿由 duban ingest 维护，请勿手改；可从版本库或备份恢复",
                path.display(),
                crate::diag::toml_message(&e)
            )
        })
    }

    /// 登记簿文本（TOML，开头有说明）。
    pub fn to_text(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("# 收件登记簿：由 duban ingest 维护，只追加，请勿手改。查看：duban ingest --history\n\n{body}")
    }

    /// 下一条的序号。
    pub fn next_seq(&self) -> u32 {
        self.entry.iter().map(|e| e.seq).max().unwrap_or(0) + 1
    }

    /// 某一格现用的一份：已接收中收到日期最晚（同日按登记先后）的一条。
    pub fn current_for(&self, slot: (&str, &str, &str)) -> Option<&Entry> {
        self.entry
            .iter()
            .filter(|e| e.result == Outcome::Accepted && e.slot() == slot)
            .max_by(|a, b| a.order().cmp(&b.order()))
    }

    /// 全部现用的条目（按登记顺序）。
    pub fn current(&self) -> Vec<&Entry> {
        self.entry
            .iter()
            .filter(|e| self.current_for(e.slot()).is_some_and(|c| c.seq == e.seq))
            .collect()
    }

    /// 某一格最新收到的一份（不论结果；拒收、待定的不算，它们认不出或还没定）。
    pub fn latest_for(&self, slot: (&str, &str, &str)) -> Option<&Entry> {
        self.entry
            .iter()
            .filter(|e| matches!(e.result, Outcome::Accepted | Outcome::Returned))
            .filter(|e| e.slot() == slot)
            .max_by(|a, b| a.order().cmp(&b.order()))
    }
}

/// 报回件库的概况（`duban check` 显示）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReceivedSummary {
    /// 收件总数（登记簿条数）。
    pub total: usize,
    pub accepted: usize,
    /// 已接收中现用的份数（其余被后来的取代）。
    pub current: usize,
    pub returned: usize,
    pub rejected: usize,
    pub pending: usize,
    /// 现用而因手工录入优先未用的份数。
    pub shadowed: usize,
}

impl ReceivedSummary {
    /// 一行中文摘要。
    pub fn line(&self) -> String {
        let mut s = format!(
            "报回件：收件 {} 份（已接收 {}，其中现用 {}、被取代 {}；退回 {}；拒收 {}",
            self.total,
            self.accepted,
            self.current,
            self.accepted - self.current,
            self.returned,
            self.rejected
        );
        if self.pending > 0 {
            s.push_str(&format!("；待定 {}", self.pending));
        }
        s.push('）');
        if self.shadowed > 0 {
            s.push_str(&format!("，其中 {} 份因手工录入优先未用", self.shadowed));
        }
        s
    }
}

/// 报回件库中读出的现用数据。
#[derive(Debug, Default)]
pub struct Received {
    pub files: Vec<Submission>,
    pub summary: ReceivedSummary,
}

/// 读报回件库：登记簿 → 核对原件 → 读现用各份的数据。库不存在时返回 `None`。
/// `shown` 是库目录在诊断里的写法。
pub fn load_received(
    dir: &Path,
    shown: &str,
    reg: &Registry,
    cat: &Catalogue,
) -> anyhow::Result<Option<(Received, Diagnostics)>> {
    if !dir.join(LEDGER_FILE).exists() {
        return Ok(None);
    }
    let ledger = Ledger::read(dir)?;
    let mut diags = Diagnostics::new();
    let ledger_shown = format!("{shown}/{LEDGER_FILE}");
    check_originals(dir, &ledger, &ledger_shown, &mut diags);
    let mut rec = Received::default();
    for e in ledger.current() {
        let shown_data = format!("{shown}/{}", e.data);
        match crate::textfile::read(&dir.join(&e.data)) {
            Ok(text) => {
                if let Some(mut s) = parse_str(&text, &shown_data, reg, cat, &mut diags) {
                    s.file = format!("{shown_data}（报回件“{}”，收件第 {} 号）", e.file, e.seq);
                    rec.files.push(s);
                }
            }
            Err(_) => diags.push(
                Diagnostic::error(
                    &ledger_shown,
                    0,
                    0,
                    format!(
                        "第 {} 号（{} {}，{}）的整理数据 {} 不见了，这份报回件未使用",
                        e.seq, e.unit, e.form, e.file, e.data
                    ),
                )
                .with_hint(format!(
                    "重新导入原件即可补回：duban ingest {shown}/{}",
                    e.original
                )),
            ),
        }
    }
    warn_latest_returned(&ledger, &ledger_shown, &mut diags);
    rec.summary = summarize(&ledger);
    Ok(Some((rec, diags)))
}

/// 原件缺失或大小不符：报错（原件是凭据，不能悄悄丢）。完整的 SHA-256 核对见 `duban ingest --history`。
fn check_originals(dir: &Path, ledger: &Ledger, shown: &str, diags: &mut Diagnostics) {
    for e in &ledger.entry {
        let size = std::fs::metadata(dir.join(&e.original)).map(|m| m.len());
        let problem = match size {
            Err(_) => "不见了",
            Ok(n) if n != e.size => "大小与登记的不符（被改动过）",
            Ok(_) => continue,
        };
        diags.push(
            Diagnostic::error(
                shown,
                0,
                0,
                format!(
                    "第 {} 号（{}）的原件 {} {problem}",
                    e.seq, e.file, e.original
                ),
            )
            .with_hint("原件是收件凭据：从备份恢复，或重新导入收到的原文件"),
        );
    }
}

/// 某一格最新收到的一份被退回、还没收到更正件：警告（催更正）。
fn warn_latest_returned(ledger: &Ledger, shown: &str, diags: &mut Diagnostics) {
    let mut seen = std::collections::BTreeSet::new();
    for e in &ledger.entry {
        if !seen.insert(e.slot()) {
            continue;
        }
        let Some(latest) = ledger.latest_for(e.slot()) else {
            continue;
        };
        if latest.result != Outcome::Returned {
            continue;
        }
        let fallback = match ledger.current_for(e.slot()) {
            Some(c) => format!("仍使用 {} 收到的第 {} 号", c.received, c.seq),
            None => "没有可用的一份".into(),
        };
        diags.push(
            Diagnostic::warning(
                shown,
                0,
                0,
                format!(
                    "{} {}{}：{} 收到的一份（第 {} 号，{}）已退回（{} 个错误），尚未收到更正件；{fallback}",
                    latest.unit,
                    latest.form,
                    quarter_suffix(&latest.quarter),
                    latest.received,
                    latest.seq,
                    latest.file,
                    latest.errors()
                ),
            )
            .with_hint("退回说明在报回件库的“退回”目录；收到更正件后用 duban ingest 导入"),
        );
    }
}

fn quarter_suffix(q: &str) -> String {
    if q.is_empty() {
        String::new()
    } else {
        format!("（{q}）")
    }
}

fn summarize(ledger: &Ledger) -> ReceivedSummary {
    let count = |o: Outcome| ledger.entry.iter().filter(|e| e.result == o).count();
    ReceivedSummary {
        total: ledger.entry.len(),
        accepted: count(Outcome::Accepted),
        current: ledger.current().len(),
        returned: count(Outcome::Returned),
        rejected: count(Outcome::Rejected),
        pending: count(Outcome::Pending),
        shadowed: 0,
    }
}

/// 把报回件的现用数据并入手工录入的数据：同一单位、表种、季度已有手工录入的，手工录入优先，
/// 报回件不用并在手工文件上警告。
pub fn merge_received(subs: &mut Submissions, rec: Received, diags: &mut Diagnostics) {
    let mut summary = rec.summary;
    for r in rec.files {
        let hand = subs.files.iter().find(|h| {
            h.unit_known && h.unit == r.unit && h.form == r.form && h.quarter == r.quarter
        });
        if let Some(h) = hand {
            diags.push(
                Diagnostic::warning(
                    &h.file,
                    1,
                    0,
                    format!(
                        "手工录入优先：{} 的{}另有导入的报回件 {}（收到 {}），未使用",
                        r.unit,
                        form_label(r.form),
                        r.file,
                        r.received.map(|d| d.to_string()).unwrap_or_default()
                    ),
                )
                .with_hint("要改用报回件，删去或移走本文件；要保留手工录入，可忽略本警告"),
            );
            summary.shadowed += 1;
            continue;
        }
        subs.files.push(r);
    }
    subs.received = Some(summary);
}

/// 表种在 XLSX 隐藏键与登记簿中的名称。
pub fn form_label(f: FormKind) -> &'static str {
    match f {
        FormKind::Plan => "附表1",
        FormKind::OverallPlan => "总体办理方案",
        FormKind::Contacts => "附表2",
        FormKind::Quarterly => "附表3",
    }
}

#[cfg(test)]
mod tests;
