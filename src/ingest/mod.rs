//! `duban ingest`：把各单位报回的 XLSX（Excel、WPS、LibreOffice 存的都行）读回成报送数据。
//!
//! 一个文件经过：[`workbook`] 读（认格式、防压缩炸弹、逐格流式读出）→ `identify` 认表（隐藏键
//! 与看得见的标题、表头核对）→ `extract` 分块（插入的行归上方的任务块）→ `validate` 校验并整理成
//! [`Submission`] → 结果：已接收 / 退回（有错误，生成退回说明与标注表）/ 拒收（读不了、认不出）。
//! [`evaluate`] 是这一段纯函数（不碰文件系统，测试与基准直接用）；`batch` 把一批文件串起来、
//! 查同批重复、定取代关系，`store` 写报回件库（原件、登记簿、整理后的数据），`returns` 出退回说明。

mod batch;
mod extract;
mod identify;
mod returns;
mod store;
mod validate;
pub mod workbook;

pub use batch::{ingest, FileReport, FileStatus, IngestOptions, IngestReport};
pub use store::{history, HistoryRow};

use crate::date::{Date, Quarter};
use crate::forms::Sheet;
use crate::project::Project;
use crate::submissions::received::Outcome;
use crate::submissions::{FormKind, Submission};
use crate::xlsx::CellMark;

/// 一个问题：哪张表哪一格、什么问题、怎么改。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 错误（退回）还是警告（照收）。
    pub error: bool,
    pub sheet: String,
    /// 格子（行, 列，从 0 起）；整份文件的问题为 `None`。
    pub at: Option<(u32, u32)>,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn error(
        sheet: &str,
        at: Option<(u32, u32)>,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Problem {
            error: true,
            sheet: sheet.into(),
            at,
            message: msg.into(),
            hint: hint.into(),
        }
    }
    pub fn warning(
        sheet: &str,
        at: Option<(u32, u32)>,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Problem {
            error: false,
            ..Self::error(sheet, at, msg, hint)
        }
    }
    /// 位置：“附表1!D7”；整张表的问题为表名，整个文件的为“整个文件”。
    pub fn place(&self) -> String {
        match (self.at, self.sheet.is_empty()) {
            (Some((r, c)), _) => format!("{}!{}", self.sheet, cell_ref(r, c)),
            (None, false) => self.sheet.clone(),
            (None, true) => "整个文件".into(),
        }
    }
    /// 一行文字（登记簿、终端）：“错误 附表1!D7：……（提示：……）”。
    pub fn line(&self) -> String {
        let level = if self.error { "错误" } else { "警告" };
        format!(
            "{level} {}：{}（提示：{}）",
            self.place(),
            self.message,
            self.hint
        )
    }
}

/// 认不出、读不了：整份拒收的原因。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub message: String,
    pub hint: String,
}

impl Rejection {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Rejection {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// 格子的 A1 写法：(6, 3) → “D7”。
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push((b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// 截到 `n` 个字，超出的加“……”（报告里引用单位写的文字）。
pub fn clip(s: &str, n: usize) -> String {
    let s = s.trim().replace(['\n', '\r'], " ");
    if s.chars().count() <= n {
        s
    } else {
        s.chars().take(n).collect::<String>() + "……"
    }
}

/// 一个文件的读回结果（不含登记：序号、取代关系由 `batch` 定）。
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub outcome: Outcome,
    /// 规范单位名（拒收且认不出时为空）。
    pub unit: String,
    pub form: Option<FormKind>,
    pub quarter: Option<Quarter>,
    pub version: String,
    /// 按位置排序：整个文件的在前，其余按行、列。
    pub problems: Vec<Problem>,
    /// 整理出的报送数据（已接收、退回的都有；只有已接收的入库）。
    pub submission: Option<Submission>,
    /// 退回时：按下发版式重排、原样填入单位所填内容的表，以及要标红的格子。
    pub(crate) marked: Option<(Sheet, Vec<CellMark>)>,
}

impl Evaluation {
    fn rejected(r: Rejection, mut problems: Vec<Problem>) -> Self {
        problems.insert(0, Problem::error("", None, r.message, r.hint));
        Evaluation {
            outcome: Outcome::Rejected,
            unit: String::new(),
            form: None,
            quarter: None,
            version: String::new(),
            problems,
            submission: None,
            marked: None,
        }
    }
    /// 错误条数。
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.error).count()
    }
}

/// 读回一个文件（纯函数）：`file` 是原文件名（写进整理后的数据），`received` 是收到日期。
pub fn evaluate(project: &Project, file: &str, bytes: &[u8], received: Date) -> Evaluation {
    let book = match workbook::read_book(bytes) {
        Ok(b) => b,
        Err(e) => return Evaluation::rejected(Rejection::new(e.to_string(), e.hint()), Vec::new()),
    };
    let mut problems = Vec::new();
    let ident = match identify::identify(&book, project, &mut problems) {
        Ok(i) => i,
        Err(r) => return Evaluation::rejected(r, problems),
    };
    let sheet = &book.sheets[ident.sheet];
    let blocks = extract::blocks(sheet, &ident.layout, &mut problems);
    let submission = validate::Checker {
        project,
        ident: &ident,
        sheet: &sheet.name,
        problems: &mut problems,
    }
    .check(&blocks, file, received);
    problems.sort_by_key(|p| p.at.map(|(r, c)| (1, r, c)).unwrap_or((0, 0, 0)));
    let outcome = if problems.iter().any(|p| p.error) {
        Outcome::Returned
    } else {
        Outcome::Accepted
    };
    let marked = (outcome == Outcome::Returned)
        .then(|| returns::marked_sheet(project, &ident, &blocks, &problems));
    Evaluation {
        outcome,
        unit: ident.unit.clone(),
        form: Some(ident.form),
        quarter: ident.quarter,
        version: ident.version.clone(),
        problems,
        submission: Some(submission),
        marked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_and_clip() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 3), "D7");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(9, 26), "AA10");
        assert_eq!(cell_ref(0, 16383), "XFD1");
        assert_eq!(clip("一二三四五", 3), "一二三……");
        assert_eq!(clip(" 短\n文 ", 9), "短 文");
        let p = Problem::error("附表1", Some((6, 3)), "完成时间有误", "选 1月–12月");
        assert_eq!(p.line(), "错误 附表1!D7：完成时间有误（提示：选 1月–12月）");
        assert_eq!(Problem::warning("", None, "x", "y").place(), "整个文件");
    }
}
