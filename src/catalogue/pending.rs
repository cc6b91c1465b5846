//! 解析途中的中间状态：正在收集的任务（[`Pending`]，正文逐段拼接并在末尾认出单位括注）与部分（[`Part`]）。
//! 解析器（`parse`）生成它们，收尾检查（`checks`）读它们。

use super::labels::{trailing_units, Ctx, LabelledUnits, Place};
use super::Task;

/// 正在收集的任务。
pub(super) struct Pending {
    pub(super) number: u32,
    pub(super) part: Option<usize>,
    pub(super) chapter: Option<usize>,
    pub(super) group: Option<usize>,
    pub(super) line: usize,
    pub(super) text: String,
    /// (text 中的字节偏移, 行, 该处的列)
    pub(super) spans: Vec<(usize, usize, usize)>,
    pub(super) units: LabelledUnits,
    pub(super) has_units: bool,
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
    pub(super) fn push(&mut self, piece: &str, line: usize, col: usize, ctx: &mut Ctx<'_>) {
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
            let units = ctx.labelled_units(&content, Place::Task, &loc);
            self.units.extend(units);
            self.text.truncate(text_end);
            let trimmed = self.text.trim_end().len();
            self.text.truncate(trimmed);
            self.has_units = true;
        }
    }

    pub(super) fn into_task(self, id: String) -> Task {
        Task {
            id,
            number: self.number,
            chapter: self.chapter,
            group: self.group,
            text: self.text,
            leads: self.units.leads,
            responsible: self.units.responsible,
            line: self.line,
        }
    }
}

/// 部分（“二、重点工作（共135项）”）。
pub(super) struct Part {
    pub(super) numeral: String,
    pub(super) declared: Option<usize>,
    pub(super) line: usize,
}
