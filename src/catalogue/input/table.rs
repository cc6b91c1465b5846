//! Word 与网页里的表格 → 通知文字行。
//!
//! 有的单位把任务列成表：“序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限”。认出表头后，
//! 每行写成解析器认识的一行“1.任务（牵头单位：…；责任单位：…）”；“总牵头单位”列的值变了就先写一行
//! 任务组标题；只有一格的行（跨全部列的“一、……”“（一）……”）原样成一行。不是任务表的表格，
//! 各格用“ | ”连成一行（与从网页复制出的纯文本相同）。

use super::super::labels::classify_label;
use super::super::Label;
use super::Note;

/// 表格的一格（合并单元格展开前）。
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    /// 各段文字，一段一项。
    pub(crate) paras: Vec<String>,
    /// 横向跨几列。
    pub(crate) colspan: usize,
    /// 纵向合并：`Some(true)` 为合并的起始格，`Some(false)` 为接续格（文字取上面）。Word 的写法。
    pub(crate) vmerge: Option<bool>,
    /// 纵向跨几行（网页的写法）；1 为不跨。
    pub(crate) rowspan: usize,
}

/// 列的用处。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Number,
    Text,
    Group,
    Role(Label),
    Other,
}

fn classify_header(h: &str) -> Col {
    let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    let h = h.trim_end_matches([':', '：']);
    if ["序号", "编号", "序", "任务编号", "项目编号", "No", "No."].contains(&h) {
        return Col::Number;
    }
    if [
        "任务组",
        "类别",
        "分类",
        "领域",
        "板块",
        "工作类别",
        "工作板块",
        "任务类别",
    ]
    .contains(&h)
    {
        return Col::Group;
    }
    match classify_label(h) {
        Some(Label::Unknown) | None => {}
        Some(l) => return Col::Role(l),
    }
    if h.ends_with("单位") || h.ends_with("部门") {
        return Col::Role(Label::Responsible);
    }
    let text_words = ["任务", "工作", "事项", "内容", "目标", "举措", "措施"];
    if text_words.iter().any(|w| h.contains(w)) && !h.contains("时限") && !h.contains("时间") {
        return Col::Text;
    }
    Col::Other
}

/// 把合并单元格展开成规整的网格：每行同样多的列，跨列的格只在第一列有字，纵向合并的格每行都有字。
fn grid(rows: &[Vec<Cell>]) -> Vec<Vec<Option<String>>> {
    let width = rows
        .iter()
        .map(|r| r.iter().map(|c| c.colspan.max(1)).sum::<usize>())
        .max()
        .unwrap_or(0);
    let mut out: Vec<Vec<Option<String>>> = Vec::new();
    // 网页 rowspan：(列 → 剩余行数, 文字)
    let mut pending: Vec<Option<(usize, String)>> = vec![None; width];
    for row in rows {
        let mut line: Vec<Option<String>> = vec![None; width];
        let mut col = 0;
        let mut cells = row.iter();
        while col < width {
            if let Some((left, text)) = pending[col].as_mut() {
                line[col] = Some(text.clone());
                *left -= 1;
                if *left == 0 {
                    pending[col] = None;
                }
                col += 1;
                continue;
            }
            let Some(c) = cells.next() else { break };
            let text = c.paras.join("\n");
            let text = match c.vmerge {
                Some(false) => out.last().and_then(|p| p[col].clone()).unwrap_or_default(),
                _ => text,
            };
            if c.rowspan > 1 {
                pending[col] = Some((c.rowspan - 1, text.clone()));
            }
            line[col] = Some(text);
            col += c.colspan.max(1);
        }
        out.push(line);
    }
    out
}

/// 格里的文字：任务正文各段直接相连，单位各段用顿号相连。
fn joined(cell: &Option<String>, sep: &str) -> String {
    cell.as_deref()
        .unwrap_or("")
        .split('\n')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// 表格 → 文字行。`first_line` 是第一行将占的行号（从 1 起），用于说明未读入的列。
pub(crate) fn table_lines(
    rows: &[Vec<Cell>],
    first_line: usize,
    notes: &mut Vec<Note>,
) -> Vec<String> {
    let g = grid(rows);
    let header = g.iter().take(3).position(|r| {
        let cols: Vec<Col> = r.iter().map(|c| classify_header(&joined(c, ""))).collect();
        cols.contains(&Col::Text) && cols.iter().any(|c| matches!(c, Col::Role(_)))
    });
    let Some(h) = header else {
        return g.iter().flat_map(|r| plain_row(r)).collect();
    };
    let cols: Vec<Col> = g[h]
        .iter()
        .map(|c| classify_header(&joined(c, "")))
        .collect();
    let mut out: Vec<String> = g[..h].iter().flat_map(|r| plain_row(r)).collect();
    for (i, c) in cols.iter().enumerate() {
        let name = joined(&g[h][i], "");
        let line = first_line + out.len();
        match c {
            Col::Role(Label::People) => notes.push(Note::warning(
                line,
                format!("任务表第{}列“{name}”写的是人员，未计入单位", i + 1),
                "人员不参与单位统计与材料分发",
            )),
            Col::Other if !name.is_empty() => notes.push(Note::warning(
                line,
                format!("任务表第{}列“{name}”不是任务或单位，未读入", i + 1),
                "任务目录只读序号、任务正文和各角色的单位；这一列的内容请在办理方案中填写",
            )),
            _ => {}
        }
    }
    let mut overall = String::new();
    for r in &g[h + 1..] {
        task_row(r, &cols, &mut overall, &mut out);
    }
    out
}

/// 非任务表的一行：各格用“ | ”相连；只有一格有字时（版式用的单格表）这一格的各段各成一行。
fn plain_row(r: &[Option<String>]) -> Vec<String> {
    let cells: Vec<&String> = r.iter().flatten().collect();
    let filled: Vec<&&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
    match filled.as_slice() {
        [] => Vec::new(),
        [one] => one
            .split('\n')
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        _ => vec![cells
            .iter()
            .map(|c| joined(&Some(c.to_string()), ""))
            .collect::<Vec<_>>()
            .join(" | ")],
    }
}

/// 任务表的一行 → 0–2 行文字（可能先有一行任务组标题）。
fn task_row(r: &[Option<String>], cols: &[Col], overall: &mut String, out: &mut Vec<String>) {
    let filled: Vec<String> = r
        .iter()
        .flatten()
        .map(|c| joined(&Some(c.clone()), ""))
        .filter(|c| !c.is_empty())
        .collect();
    let distinct = filled.iter().all(|c| *c == filled[0]);
    if filled.is_empty() {
        return;
    }
    if distinct && filled.len() < cols.iter().filter(|c| **c != Col::Other).count() {
        // 整行一格：章节、任务组标题。
        out.push(filled[0].clone());
        return;
    }
    let mut number = String::new();
    let mut text = String::new();
    let mut group = String::new();
    let mut roles: Vec<(String, String)> = Vec::new();
    let mut this_overall = String::new();
    for (i, c) in cols.iter().enumerate() {
        let cell = r.get(i).cloned().flatten();
        match c {
            Col::Number => number = joined(&cell, ""),
            Col::Text => text.push_str(&joined(&cell, "")),
            Col::Group => group = joined(&cell, ""),
            Col::Role(Label::Overall) => this_overall = joined(&cell, "、"),
            Col::Role(Label::People) | Col::Role(Label::Unknown) | Col::Other => {}
            Col::Role(l) => {
                let v = joined(&cell, "、");
                if !v.is_empty() {
                    let name = if *l == Label::Lead {
                        "牵头单位"
                    } else {
                        "责任单位"
                    };
                    roles.push((name.to_string(), v));
                }
            }
        }
    }
    if !this_overall.is_empty() && this_overall != *overall {
        out.push(format!("——{group}（总牵头单位：{this_overall}）"));
        *overall = this_overall;
    }
    let mut line = String::new();
    if !number.is_empty() {
        line.push_str(&number);
        if number.chars().all(|c| c.is_ascii_digit()) {
            line.push('.');
        }
    }
    line.push_str(&text);
    if !roles.is_empty() {
        let inner: Vec<String> = roles.iter().map(|(k, v)| format!("{k}：{v}")).collect();
        line.push_str(&format!("（{}）", inner.join("；")));
    }
    out.push(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str) -> Cell {
        Cell {
            paras: s.split('|').map(String::from).collect(),
            colspan: 1,
            vmerge: None,
            rowspan: 1,
        }
    }

    #[test]
    fn task_table_becomes_task_lines() {
        let mut span = cell("（一）产业发展");
        span.colspan = 5;
        let mut cont = cell("");
        cont.vmerge = Some(false);
        let mut start = cell("区发改局");
        start.vmerge = Some(true);
        let rows = vec![
            vec![
                cell("序号"),
                cell("工作任务"),
                cell("总牵头单位"),
                cell("牵头单位"),
                cell("完成时限"),
            ],
            vec![span],
            vec![
                cell("1"),
                cell("甲|乙。"),
                start,
                cell("区商务局|区财政局"),
                cell("6月底"),
            ],
            vec![cell("2"), cell("丙。"), cont, cell("区科经局"), cell("")],
        ];
        let mut notes = Vec::new();
        let lines = table_lines(&rows, 10, &mut notes);
        assert_eq!(
            lines,
            [
                "（一）产业发展",
                "——（总牵头单位：区发改局）",
                "1.甲乙。（牵头单位：区商务局、区财政局）",
                "2.丙。（牵头单位：区科经局）",
            ]
        );
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("第5列“完成时限”"), "{notes:?}");
    }

    #[test]
    fn other_tables_are_joined_cells() {
        let rows = vec![
            vec![cell("序号"), cell("责任事项"), cell("完成情况")],
            vec![cell("1"), cell(""), cell("")],
        ];
        let mut notes = Vec::new();
        assert_eq!(
            table_lines(&rows, 1, &mut notes),
            ["序号 | 责任事项 | 完成情况", "1"]
        );
        // 版式用的单格表：各段各成一行。
        let rows = vec![vec![cell("一、重点工作|1.甲。（牵头单位：区发改局）")]];
        assert_eq!(
            table_lines(&rows, 1, &mut notes),
            ["一、重点工作", "1.甲。（牵头单位：区发改局）"]
        );
    }
}
