//! `duban ingest`：把各单位报回的 XLSX（Excel、WPS、LibreOffice 存的都行）读回成报送数据。
//!
//! 一个文件经过：[`workbook`] 读（认格式、防压缩炸弹、逐格流式读出）→ `identify` 认表（隐藏键
//! 与看得见的标题、表头核对）→ `extract` 分块（插入的行归上方的任务块）→ `validate` 校验并整理成
//! [`Submission`] → 结果：已接收 / 退回（有错误，生成退回说明与标注表）/ 拒收（读不了、认不出）。
//! [`evaluate`] 是这一段纯函数（不碰文件系统，测试与基准直接用）；`batch` 把一批文件串起来、
//! 查同批重复、定取代关系，`store` 写报回件库（原件、登记簿、整理后的数据），`returns` 出退回说明。

mod batch;
mod extract;
mod fields;
mod identify;
mod inbox;
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
    let texts = extract::text_index(&project.catalogue);
    let blocks = extract::blocks(sheet, &ident.layout, &texts, &mut problems);
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
        .then(|| returns::marked_sheet(project, &ident, &blocks, &problems))
        .flatten();
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

    /// 把工作表中现有的一格换成内联字符串（测试里模拟单位填表）。
    fn put(xml: &str, cell: &str, text: &str) -> String {
        let open = format!(r#"<c r="{cell}""#);
        let Some(at) = xml.find(&open) else {
            return xml.to_string();
        };
        let tag_end = at + xml[at..].find('>').unwrap();
        let end = if xml[..tag_end].ends_with('/') {
            tag_end + 1
        } else {
            tag_end + xml[tag_end..].find("</c>").unwrap() + 4
        };
        let esc = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let new = format!(
            r#"<c r="{cell}" t="inlineStr"><is><t xml:space="preserve">{esc}</t></is></c>"#
        );
        format!("{}{new}{}", &xml[..at], &xml[end..])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

        /// 单位在任意格子里写任意文字（含隐藏键、序号、责任事项、控制字符、超长）：整段读回不 panic、
        /// 1 秒内有结果；接收了的，月份都在 1–12，内容都不含预印的序号。
        #[test]
        fn any_cell_values_never_panic(
            edits in proptest::collection::vec(
                (0usize..7, 4u32..10, "\\PC{0,12}|[0-9０-９.．、月年 -]{0,8}|=.{0,5}"),
                1..10,
            )
        ) {
            use crate::submissions::Submissions;
            let (cat, reg) = crate::duties::tests::sample();
            let project = crate::project::test_project(cat, reg, Submissions::default());
            let bytes = workbook::tests::real_xlsx();
            let mut parts = workbook::tests::unzip(&bytes);
            let sheet = &mut parts.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap().1;
            let mut xml = String::from_utf8(sheet.clone()).unwrap();
            for (col, row, text) in &edits {
                let cell = format!("{}{}", ["A", "B", "C", "D", "E", "F", "G"][*col], row);
                xml = put(&xml, &cell, text);
            }
            *sheet = xml.into_bytes();
            let t = std::time::Instant::now();
            let ev = evaluate(&project, "x.xlsx", &workbook::tests::rezip(&parts), Date::parse("2023-02-14").unwrap());
            proptest::prop_assert!(t.elapsed() < std::time::Duration::from_secs(1));
            if ev.outcome == Outcome::Accepted {
                for row in ev.submission.iter().flat_map(|s| &s.plan).flat_map(|t| &t.rows) {
                    proptest::prop_assert!(row.month.is_some_and(|m| (1..=12).contains(&m)), "{row:?}");
                    proptest::prop_assert!(!row.content.is_empty());
                }
            }
        }
    }
}
