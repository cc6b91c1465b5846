//! 逐行读表体，分成任务块（办理方案：一项任务一块；总体办理方案：一项任务的一个牵头单位一块；
//! 附表3：一项任务一块；附表2：一个人一块）。
//!
//! 一行属于哪一块：有隐藏键（`task=2;row=1`）按键；隐藏键为空的是单位插入的行或没有隐藏键的表：
//! 序号格有任务序号的开始新的一块，否则归上方的一块。合并单元格里的完成时间、分管领导、
//! 责任部门、牵头单位对合并区的每一行都算数；具体工作内容和完成情况不向下复制。

use super::identify::{squash, Col, Layout};
use super::workbook::{SheetData, Value};
use super::Problem;
use crate::submissions::FormKind;
use std::collections::BTreeMap;

/// 读到的一个格子。
#[derive(Debug, Clone, PartialEq)]
pub struct Got {
    pub value: Value,
    /// 原文（数字、日期已转成文字）。
    pub text: String,
    /// 所在格子（行, 列），合并区内为左上角。
    pub at: (u32, u32),
    pub formula: bool,
    /// 来自上方合并区，不是这一行自己填的。
    pub inherited: bool,
}

/// 表体的一行。
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowData {
    /// 行号（从 0 起）。
    pub at: u32,
    pub cells: BTreeMap<Col, Got>,
}

impl RowData {
    /// 某列的文字（去掉首尾空白；没有为空串）。
    pub fn text(&self, c: Col) -> &str {
        self.cells.get(&c).map(|g| g.text.trim()).unwrap_or("")
    }
    /// 这一行自己填了东西（不算合并区带下来的）。
    pub fn has_own_input(&self) -> bool {
        self.cells
            .iter()
            .any(|(c, g)| c.is_input() && !g.inherited && !g.text.trim().is_empty())
    }
}

/// 一块：一项任务（总体办理方案中还分牵头单位）或附表2 的一个人。
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    /// 任务序号（附表2 为空）。
    pub task: String,
    /// 总体办理方案：牵头单位（隐藏键或“牵头单位”列）。
    pub lead: Option<String>,
    /// 附表2：leader、office_head、clerk。
    pub person: Option<String>,
    /// 由隐藏键认出（否则由看得见的序号、责任人认出）。
    pub keyed: bool,
    /// 没有序号，由责任事项原文认出（没有隐藏键的表）。
    pub by_text: bool,
    pub rows: Vec<RowData>,
}

/// 隐藏键：`task=2;lead=区商务局;row=1`、`person=leader`。
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Key {
    pub task: Option<String>,
    pub lead: Option<String>,
    pub person: Option<String>,
}

/// 解析隐藏键；有不认识的部分时为 `None`。
pub fn parse_key(s: &str) -> Option<Key> {
    let mut k = Key::default();
    for part in squash(s).split(';').filter(|p| !p.is_empty()) {
        let (name, v) = part.split_once('=')?;
        match name {
            "task" => k.task = Some(v.to_string()),
            "lead" => k.lead = Some(v.to_string()),
            "person" => k.person = Some(v.to_string()),
            "row" => {
                v.parse::<u32>().ok()?;
            }
            _ => return None,
        }
    }
    (k.task.is_some() || k.person.is_some()).then_some(k)
}

/// 序号格的文字 → 任务序号：“２”“2.”“2、”“三.1”“三．1”都认；不像序号的为 `None`。
pub fn task_id_of(s: &str) -> Option<String> {
    let t = squash(s);
    let t = t.trim_end_matches(['.', '、']);
    let digits = |x: &str| !x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit());
    if digits(t) {
        return Some(t.trim_start_matches('0').to_string()).filter(|x| !x.is_empty());
    }
    let (part, n) = t.split_once(['.', '、'])?;
    let part_ok = ["一", "二", "三", "四", "五", "六"].contains(&part);
    (part_ok && digits(n)).then(|| format!("{part}.{}", n.trim_start_matches('0')))
}

/// 附表2 “责任人”列的文字 → 人。
fn person_of(s: &str) -> Option<&'static str> {
    let s = squash(s);
    if s.contains("分管领导") {
        Some("leader")
    } else if s.contains("办公室") || s.contains("综合协调") {
        Some("office_head")
    } else if s.contains("经办人") {
        Some("clerk")
    } else {
        None
    }
}

/// 合并区带下来的列（对合并区每一行都算数）。
fn inherits(c: Col) -> bool {
    matches!(c, Col::Month | Col::Leader | Col::Department | Col::Lead)
}

/// 读表体的全部行（表头之下；没有任何已知列内容的行略去）。
fn rows(sheet: &SheetData, layout: &Layout) -> Vec<RowData> {
    let by_col: BTreeMap<u32, Col> = layout.cols.iter().map(|(c, n)| (*n, *c)).collect();
    let mut rows: BTreeMap<u32, RowData> = BTreeMap::new();
    let first = layout.header_row + 1;
    for (&(r, c), cell) in sheet.cells.range((first, 0)..) {
        let Some(&col) = by_col.get(&c) else { continue };
        let row = rows.entry(r).or_insert_with(|| RowData {
            at: r,
            ..Default::default()
        });
        row.cells.insert(
            col,
            Got {
                value: cell.value.clone(),
                text: cell.value.text(),
                at: (r, c),
                formula: cell.formula,
                inherited: false,
            },
        );
    }
    // 合并区：左上角的值带给区内各行（只对 inherits 的列；总数有上限，恶意的大合并区不拖慢读取）。
    let mut budget = 200_000usize;
    for &((r0, c0), (r1, c1)) in &sheet.merges {
        let Some(&col) = by_col.get(&c0) else {
            continue;
        };
        if !inherits(col) || c1 != c0 || r1 <= r0 || r0 < first {
            continue;
        }
        let Some(top) = rows.get(&r0).and_then(|r| r.cells.get(&col)).cloned() else {
            continue;
        };
        let r1 = r1.min(r0.saturating_add(budget as u32));
        budget -= (r1 - r0) as usize;
        for r in r0 + 1..=r1 {
            let row = rows.entry(r).or_insert_with(|| RowData {
                at: r,
                ..Default::default()
            });
            row.cells.entry(col).or_insert(Got {
                inherited: true,
                ..top.clone()
            });
        }
    }
    rows.into_values().collect()
}

/// 责任事项原文（去空白、全半角）→ 任务序号；同样原文的任务不止一项的不收（认不准）。
pub type TextIndex = BTreeMap<String, String>;

/// 由任务目录建 [`TextIndex`]。
pub fn text_index(cat: &crate::catalogue::Catalogue) -> TextIndex {
    let mut seen: BTreeMap<String, Option<String>> = BTreeMap::new();
    for t in &cat.tasks {
        seen.entry(squash(&t.text))
            .and_modify(|v| *v = None)
            .or_insert_with(|| Some(t.id.clone()));
    }
    seen.into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect()
}

/// 这一行的块身份（任务、牵头单位、人）；`None` 表示接在上一块后面（插入的行）。
fn identity(
    row: &RowData,
    form: FormKind,
    current: Option<&Block>,
    texts: &TextIndex,
) -> Option<Block> {
    if let Some(k) = row.cells.get(&Col::Key).and_then(|g| parse_key(&g.text)) {
        return Some(Block {
            task: k.task.unwrap_or_default(),
            lead: k.lead,
            person: k.person,
            keyed: true,
            ..Default::default()
        });
    }
    if form == FormKind::Contacts {
        let p = person_of(row.text(Col::Role))?;
        return Some(Block {
            person: Some(p.into()),
            ..Default::default()
        });
    }
    let lead = (form == FormKind::OverallPlan).then(|| squash(row.text(Col::Lead)));
    match task_id_of(row.text(Col::Id)) {
        Some(task) => Some(Block {
            task,
            lead,
            ..Default::default()
        }),
        // 没有序号而责任事项与某项任务的原文一字不差：认作那一项。
        None if texts.contains_key(&squash(row.text(Col::Text))) => Some(Block {
            task: texts[&squash(row.text(Col::Text))].clone(),
            lead,
            by_text: true,
            ..Default::default()
        }),
        // 总体办理方案：同一任务下牵头单位换了，开始新的一段。
        None => {
            let cur = current?;
            let lead = lead.filter(|l| !l.is_empty() && Some(l) != cur.lead.as_ref())?;
            Some(Block {
                task: cur.task.clone(),
                lead: Some(lead),
                ..Default::default()
            })
        }
    }
}

fn same_block(a: &Block, b: &Block) -> bool {
    a.task == b.task && a.lead == b.lead && a.person == b.person
}

/// 分块。表体中既不是任务行也没有填写内容的文字（表下的“备注”“填表人”等）不读，报告警告。
pub fn blocks(
    sheet: &SheetData,
    layout: &Layout,
    texts: &TextIndex,
    problems: &mut Vec<Problem>,
) -> Vec<Block> {
    let key_col = layout.cols.get(&Col::Key).copied();
    let mut out: Vec<Block> = Vec::new();
    for row in rows(sheet, layout) {
        let bad_key = key_col
            .and_then(|_| row.cells.get(&Col::Key))
            .filter(|g| !g.text.trim().is_empty() && parse_key(&g.text).is_none());
        if let Some(g) = bad_key {
            problems.push(Problem::error(
                &sheet.name,
                Some(g.at),
                format!("隐藏键“{}”被改动，无法识别", g.text.trim()),
                "隐藏列是 duban 用来逐行核对的，请勿修改；请用下发的表重新填报",
            ));
        }
        match identity(&row, layout.form, out.last(), texts) {
            Some(b) if out.last().is_some_and(|cur| same_block(cur, &b)) => {
                out.last_mut().unwrap().rows.push(row);
            }
            Some(mut b) => {
                b.rows.push(row);
                out.push(b);
            }
            None if row.has_own_input() => match out.last_mut() {
                Some(cur) => cur.rows.push(row),
                None => problems.push(Problem::error(
                    &sheet.name,
                    row.cells
                        .iter()
                        .find(|(c, g)| c.is_input() && !g.inherited && !g.text.trim().is_empty())
                        .map(|(_, g)| g.at),
                    "这一行在第一项任务之前，不属于任何任务，未读取",
                    "内容请填在对应任务的行内；需要多填一条时在该任务的行之间插入行",
                )),
            },
            None => note_outside(sheet, &row, problems),
        }
    }
    out
}

/// 表体里不属于任何填报格的文字：下发表自带的备注略过，其余报告（不读）。
fn note_outside(sheet: &SheetData, row: &RowData, problems: &mut Vec<Problem>) {
    let Some(g) = row
        .cells
        .iter()
        .find(|(c, g)| **c != Col::Key && !g.inherited && !g.text.trim().is_empty())
        .map(|(_, g)| g)
    else {
        return;
    };
    if squash(&g.text).starts_with("备注:为便于统计") {
        return;
    }
    problems.push(Problem::warning(
        &sheet.name,
        Some(g.at),
        format!(
            "表中的文字“{}”不在任何填报格内，未读取",
            super::clip(&g.text, 30)
        ),
        "填表人、联系电话等写在表外的信息不影响报送；要报送的内容请填进对应的格子",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_ids() {
        assert_eq!(
            parse_key("task=2;row=1"),
            Some(Key {
                task: Some("2".into()),
                ..Default::default()
            })
        );
        assert_eq!(
            parse_key("ｔａｓｋ＝三.1；row＝1").unwrap().task.as_deref(),
            Some("三.1")
        );
        assert_eq!(
            parse_key("task=2;lead=区商务局;row=3")
                .unwrap()
                .lead
                .as_deref(),
            Some("区商务局")
        );
        assert_eq!(
            parse_key("person=leader").unwrap().person.as_deref(),
            Some("leader")
        );
        assert_eq!(parse_key("task=2;row=x"), None);
        assert_eq!(parse_key("hello"), None);
        assert_eq!(parse_key(""), None);
        for (s, want) in [
            ("2", "2"),
            ("２", "2"),
            (" 12. ", "12"),
            ("3、", "3"),
            ("三.1", "三.1"),
            ("三．１", "三.1"),
            ("007", "7"),
        ] {
            assert_eq!(task_id_of(s).as_deref(), Some(want), "{s}");
        }
        for s in ["", "备注：x", "填表人", "12345", "十.1", "0"] {
            assert_eq!(task_id_of(s), None, "{s}");
        }
    }
}
