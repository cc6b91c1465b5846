//! 退回说明：`duban ingest` 发现报回的表有错误时，给该单位的一页说明（模板 `return.md.tera`）。
//! 视图里只放已转义的文字，排版与落款同催报通知。

use super::letters::{md_escape, nested_title};
use serde::Serialize;

/// 退回说明模板名。
pub const RETURN_TEMPLATE: &str = "return.md.tera";

const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// 一个问题。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnProblem {
    pub n: usize,
    /// “附表1!D7”或“整份表”。
    pub place: String,
    pub message: String,
    pub hint: String,
}

/// 一份被退回的文件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnedFile {
    /// 如“一、区商务局附表1.xlsx（附表1，2023年2月16日收到，收件第12号）”。
    pub heading: String,
    /// 随说明退回的标注表文件名（没有标注表时为空）。
    pub marked: String,
    pub problems: Vec<ReturnProblem>,
}

/// 退回说明模板的视图。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnView {
    pub unit: String,
    pub plan_title: String,
    pub files: Vec<ReturnedFile>,
    pub office: String,
    pub email: String,
    pub issuer: String,
    pub date: String,
}

/// 一份退回文件的原始信息（未转义）。
#[derive(Debug, Clone)]
pub struct ReturnSource {
    pub file: String,
    pub form: String,
    pub received: crate::date::Date,
    pub seq: u32,
    pub marked: String,
    /// （位置, 问题, 提示）。
    pub problems: Vec<(String, String, String)>,
}

/// 组成退回说明的视图（全部文字已做 Markdown 转义）。
pub fn return_view(
    unit: &str,
    plan_title: &str,
    files: &[ReturnSource],
    office: &str,
    email: &str,
    issuer: &str,
    date: crate::date::Date,
) -> ReturnView {
    ReturnView {
        unit: md_escape(unit),
        plan_title: md_escape(&nested_title(plan_title)),
        files: files
            .iter()
            .enumerate()
            .map(|(i, f)| ReturnedFile {
                heading: md_escape(&format!(
                    "{}、{}（{}，{}收到，收件第{}号）",
                    ORDINALS.get(i).copied().unwrap_or("十"),
                    f.file,
                    f.form,
                    f.received.chinese(),
                    f.seq
                )),
                marked: md_escape(&f.marked),
                problems: f
                    .problems
                    .iter()
                    .enumerate()
                    .map(|(n, (place, msg, hint))| ReturnProblem {
                        n: n + 1,
                        place: md_escape(place),
                        message: md_escape(msg),
                        hint: md_escape(hint),
                    })
                    .collect(),
            })
            .collect(),
        office: md_escape(office),
        email: md_escape(email),
        issuer: md_escape(issuer),
        date: date.chinese(),
    }
}
