//! 表格型表单的构建：附表1 办理方案、总体办理方案、附表2、附表3、责任分解总表。
//! 列与合并方式照通知所附附表；已报送的数据原样填入。

use super::{Column, Sheet, SheetCell, SheetKeys, SheetRow, TEMPLATE_VERSION};
use crate::catalogue::{Catalogue, Task, UnitRef};
use crate::date::Quarter;
use crate::duties::{Role, UnitDuties};
use crate::submissions::{PlanRow, Submissions};

/// 附表1 每项任务至少留的具体工作内容行数（附表为 1.…4.）。
pub const PLAN_SUB_ROWS: usize = 4;

fn col(header: &str, width: f64) -> Column {
    Column {
        header: header.into(),
        width,
        month: false,
    }
}

fn month_col() -> Column {
    Column {
        header: "完成时间（按月）".into(),
        width: 11.0,
        month: true,
    }
}

/// 表中“序号”= 任务目录标识：重点工作为编号，第三部分为“三.1”这样的标识，避免与编号混淆。
pub fn task_number(task: &Task) -> String {
    task.id.clone()
}

fn names(refs: &[UnitRef]) -> String {
    refs.iter()
        .map(|r| r.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn keys(unit: &str, form: &str, quarter: Option<Quarter>, tasks: &[&Task]) -> SheetKeys {
    SheetKeys {
        unit: unit.into(),
        form: form.into(),
        quarter: quarter.map(|q| q.to_string()),
        task_ids: tasks.iter().map(|t| t.id.clone()).collect(),
        template_version: TEMPLATE_VERSION.into(),
    }
}

/// 一项任务（某牵头单位）的具体工作内容行：已报送的原样填入，不足 4 行补空行“n.”。
fn content_rows(submitted: Option<&[PlanRow]>) -> Vec<[SheetCellText; 4]> {
    let rows = submitted.unwrap_or(&[]);
    let n = rows.len().max(PLAN_SUB_ROWS);
    (0..n)
        .map(|i| match rows.get(i) {
            Some(r) => [
                format!("{}.{}", i + 1, r.content),
                r.month_label(),
                r.leader.clone(),
                r.department.clone(),
            ],
            None => [
                format!("{}.", i + 1),
                String::new(),
                String::new(),
                String::new(),
            ],
        })
        .collect()
}

type SheetCellText = String;

/// 本单位以某角色承担的任务（目录顺序）。
fn tasks_as<'c>(cat: &'c Catalogue, duties: &UnitDuties, role: Role) -> Vec<&'c Task> {
    duties
        .tasks_with(role)
        .into_iter()
        .map(|i| &cat.tasks[i])
        .collect()
}

/// 一行具体工作内容的四个填写格（内容、完成时间、分管领导、责任部门），从第 `first` 列起。
fn push_content(cells: &mut Vec<SheetCell>, first: usize, [c, m, l, d]: [SheetCellText; 4]) {
    cells.push(SheetCell::input(first, c));
    cells.push(SheetCell::input(first + 1, m).center());
    cells.push(SheetCell::input(first + 2, l).center());
    cells.push(SheetCell::input(first + 3, d).center());
}

/// 附表1 办理方案：本单位牵头的每项任务一块，序号、责任事项纵向合并在 1.…4. 行上。
pub fn plan_sheet(cat: &Catalogue, duties: &UnitDuties, subs: &Submissions) -> Sheet {
    let unit = &duties.unit;
    let tasks = tasks_as(cat, duties, Role::Lead);
    let mut rows = Vec::new();
    for task in &tasks {
        let content = content_rows(subs.plan_rows(unit, &task.id));
        let n = content.len();
        for (i, row) in content.into_iter().enumerate() {
            let mut cells = Vec::new();
            if i == 0 {
                cells.push(SheetCell::fixed(0, task_number(task)).span(n).center());
                cells.push(SheetCell::fixed(1, &task.text).span(n));
            }
            push_content(&mut cells, 2, row);
            rows.push(SheetRow {
                key: format!("task={};row={}", task.id, i + 1),
                cells,
            });
        }
    }
    // 宽度按字符计（全角字 = 2），XLSX 列宽与 PDF 列宽比例共用：
    // “分管副局长”一行放下，“完成时间（按月）”折成两行。
    annex1_sheet(
        unit,
        "办理方案",
        vec![
            col("序号", 7.0),
            col("责任事项", 28.0),
            col("具体工作内容", 32.0),
        ],
        rows,
        keys(unit, "附表1", None, &tasks),
    )
}

/// 总体办理方案（总牵头单位）：所统筹各组的全部任务，多一列“牵头单位”，
/// 各牵头单位已报送的具体工作内容原样填入。
pub fn overall_plan_sheet(
    cat: &Catalogue,
    duties: &UnitDuties,
    subs: &Submissions,
    reg: &crate::registry::Registry,
) -> Sheet {
    let unit = &duties.unit;
    let tasks = tasks_as(cat, duties, Role::OverallLead);
    let mut rows = Vec::new();
    for task in &tasks {
        // 每个牵头单位一段；牵头单位是群体短语时按短语原文一段（无法按单位取报送数据）。
        let leads: Vec<(String, Option<&[PlanRow]>)> = if task.leads.is_empty() {
            vec![(String::new(), None)]
        } else {
            task.leads
                .iter()
                .map(|r| {
                    let name = reg
                        .unit(&r.name)
                        .map(|u| u.name.clone())
                        .unwrap_or_else(|| r.name.clone());
                    let rows = if r.is_group {
                        None
                    } else {
                        subs.plan_rows(&name, &task.id)
                    };
                    (name, rows)
                })
                .collect()
        };
        let blocks: Vec<(String, Vec<[String; 4]>)> = leads
            .into_iter()
            .map(|(name, r)| (name, content_rows(r)))
            .collect();
        let total: usize = blocks.iter().map(|(_, r)| r.len()).sum();
        let mut first = true;
        for (lead, content) in blocks {
            let n = content.len();
            for (i, row) in content.into_iter().enumerate() {
                let mut cells = Vec::new();
                if first {
                    cells.push(SheetCell::fixed(0, task_number(task)).span(total).center());
                    cells.push(SheetCell::fixed(1, &task.text).span(total));
                    first = false;
                }
                if i == 0 {
                    cells.push(SheetCell::fixed(2, &lead).span(n).center());
                }
                push_content(&mut cells, 3, row);
                rows.push(SheetRow {
                    key: format!("task={};lead={};row={}", task.id, lead, i + 1),
                    cells,
                });
            }
        }
    }
    annex1_sheet(
        unit,
        "总体办理方案",
        vec![
            col("序号", 7.0),
            col("责任事项", 24.0),
            col("牵头单位", 14.0),
            col("具体工作内容", 26.0),
        ],
        rows,
        keys(unit, "总体办理方案", None, &tasks),
    )
}

/// 附表1 的两种版本（办理方案、总体办理方案）共用的表头、横排和末尾三列（完成时间、分管领导、责任部门）。
fn annex1_sheet(
    unit: &str,
    doc: &str,
    mut columns: Vec<Column>,
    rows: Vec<SheetRow>,
    keys: SheetKeys,
) -> Sheet {
    columns.extend([month_col(), col("分管领导", 12.0), col("责任部门", 14.0)]);
    Sheet {
        label: "附表1".into(),
        title: format!("{unit}区《政府工作报告》{doc}"),
        info: Some(format!("单位：{unit}        主要负责人（签字）：")),
        landscape: true,
        columns,
        rows,
        note: None,
        filter: false,
        keys,
    }
}

/// 附表2 督办工作人员名单。
pub fn contacts_sheet(unit: &str, subs: &Submissions) -> Sheet {
    let sub = subs.contacts(unit);
    let people = [
        ("分管领导", "leader", sub.and_then(|s| s.leader.clone())),
        (
            "办公室或者综合协调处室负责人",
            "office_head",
            sub.and_then(|s| s.office_head.clone()),
        ),
        ("经办人", "clerk", sub.and_then(|s| s.clerk.clone())),
    ];
    let rows = people
        .into_iter()
        .map(|(label, key, p)| {
            let p = p.unwrap_or_default();
            SheetRow {
                key: format!("person={key}"),
                cells: vec![
                    SheetCell::fixed(0, label).center(),
                    SheetCell::input(1, p.name).center(),
                    SheetCell::input(2, p.title).center(),
                    SheetCell::input(3, p.office_phone).center(),
                    SheetCell::input(4, p.mobile).center(),
                ],
            }
        })
        .collect();
    Sheet {
        label: "附表2".into(),
        title: format!("{unit}《政府工作报告》督办工作人员名单"),
        info: None,
        landscape: false,
        columns: vec![
            col("责任人", 20.0),
            col("姓名", 12.0),
            col("职务", 16.0),
            col("办公电话", 16.0),
            col("手机", 16.0),
        ],
        rows,
        note: None,
        filter: false,
        keys: keys(unit, "附表2", None, &[]),
    }
}

/// 附表3 第X季度工作目标完成情况：每项任务一行，按任务目录顺序（附表备注的要求）。
pub fn quarterly_sheet(
    cat: &Catalogue,
    duties: &UnitDuties,
    subs: &Submissions,
    quarter: Quarter,
) -> Sheet {
    let unit = &duties.unit;
    let tasks: Vec<&Task> = duties.quarterly.iter().map(|&i| &cat.tasks[i]).collect();
    let rows = tasks
        .iter()
        .map(|t| SheetRow {
            key: format!("task={}", t.id),
            cells: vec![
                SheetCell::fixed(0, task_number(t)).center(),
                SheetCell::fixed(1, &t.text),
                SheetCell::input(2, subs.status(unit, quarter, &t.id).unwrap_or("")),
            ],
        })
        .collect();
    Sheet {
        label: "附表3".into(),
        title: format!("{unit}第{}季度工作目标完成情况", quarter.chinese_ordinal()),
        info: Some(format!("单位：{unit}        主要负责（签字）：")),
        landscape: false,
        columns: vec![col("序号", 7.0), col("责任事项", 40.0), col("完成情况", 40.0)],
        rows,
        note: Some(
            "备注：为便于统计，责任事项序号请按市《政府工作报告》目标任务责任分解方案确定的序号排序。"
                .into(),
        ),
        filter: false,
        keys: keys(unit, "附表3", Some(quarter), &tasks),
    }
}

/// 责任分解总表（区政府办公室用）：全部任务及其全部单位，XLSX 可筛选。
pub fn master_sheet(cat: &Catalogue, title: &str) -> Sheet {
    let tasks: Vec<&Task> = cat.tasks.iter().collect();
    let rows = tasks
        .iter()
        .map(|t| {
            let group = t
                .group
                .and_then(|g| cat.groups.get(g))
                .map(|g| g.title.clone())
                .or_else(|| {
                    t.chapter
                        .and_then(|c| cat.chapters.get(c))
                        .map(|c| c.title.clone())
                })
                .unwrap_or_default();
            SheetRow {
                key: format!("task={}", t.id),
                cells: vec![
                    SheetCell::fixed(0, task_number(t)).center(),
                    SheetCell::fixed(1, group),
                    SheetCell::fixed(2, names(cat.overall_leads(t))),
                    SheetCell::fixed(3, names(&t.leads)),
                    SheetCell::fixed(4, names(&t.responsible)),
                    SheetCell::fixed(5, &t.text),
                ],
            }
        })
        .collect();
    Sheet {
        label: String::new(),
        title: format!("{title}责任分解总表"),
        info: None,
        landscape: true,
        columns: vec![
            col("序号", 7.0),
            col("任务组", 22.0),
            col("总牵头单位", 20.0),
            col("牵头单位", 20.0),
            col("责任单位", 28.0),
            col("责任事项", 50.0),
        ],
        rows,
        note: None,
        filter: true,
        keys: keys("区人民政府办公室", "责任分解总表", None, &tasks),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::{assign, tests::sample};
    use crate::submissions::{parse_str, Submissions};

    fn subs(texts: &[&str]) -> Submissions {
        let (cat, reg) = sample();
        let mut d = crate::diag::Diagnostics::new();
        Submissions {
            files: texts
                .iter()
                .map(|t| parse_str(t, "x.toml", &reg, &cat, &mut d).unwrap())
                .collect(),
            ..Default::default()
        }
    }

    const PLAN: &str = "unit = \"区商务局\"\nform = \"办理方案\"\n[[task]]\nid = \"2\"\n[[task.row]]\ncontent = \"制定方案\"\nmonth = 3\nleader = \"分管副局长\"\ndepartment = \"综合科\"\n";

    #[test]
    fn plan_blocks_merge_over_four_rows() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let s = plan_sheet(&cat, d.get("区商务局").unwrap(), &subs(&[PLAN]));
        assert_eq!(s.title, "区商务局区《政府工作报告》办理方案");
        assert_eq!(s.rows.len(), 4);
        assert_eq!(s.rows[0].cells[0].row_span, 4);
        assert_eq!(s.rows[0].cells[1].text, "任务2的正文。");
        assert_eq!(
            s.text_grid()[0],
            "2 | 任务2的正文。 | 1.制定方案 | 3月 | 分管副局长 | 综合科"
        );
        assert_eq!(s.text_grid()[3], "4. |  |  | ");
        assert_eq!(s.keys.task_ids, vec!["2"]);
        assert_eq!(s.rows[1].key, "task=2;row=2");
    }

    #[test]
    fn overall_plan_fills_lead_rows() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let s = overall_plan_sheet(&cat, d.get("区发改局").unwrap(), &subs(&[PLAN]), &reg);
        assert_eq!(s.keys.task_ids, vec!["1", "2", "3"]);
        let g = s.text_grid();
        assert_eq!(g.len(), 12);
        assert!(
            g[4].starts_with("2 | 任务2的正文。 | 区商务局 | 1.制定方案 | 3月"),
            "{g:?}"
        );
        assert_eq!(s.columns[2].header, "牵头单位");
    }

    #[test]
    fn quarterly_in_catalogue_order_with_note() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let q = Quarter::parse("2023Q2").unwrap();
        let st = "unit = \"区发改局\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\n[[task]]\nid = \"3\"\nstatus = \"已完成年度目标的一半\"\n";
        let s = quarterly_sheet(&cat, d.get("区发改局").unwrap(), &subs(&[st]), q);
        assert_eq!(s.title, "区发改局第二季度工作目标完成情况");
        let g = s.text_grid();
        assert_eq!(
            g,
            vec![
                "1 | 任务1的正文。 | ",
                "2 | 任务2的正文。 | ",
                "3 | 任务3的正文。 | 已完成年度目标的一半"
            ]
        );
        assert!(s.note.as_ref().unwrap().starts_with("备注："));
        // 其他季度不填。
        let s = quarterly_sheet(&cat, d.get("区发改局").unwrap(), &subs(&[st]), q.next());
        assert!(s.text_grid()[2].ends_with("| "));
    }

    #[test]
    fn contacts_and_master() {
        let (cat, _) = sample();
        let c = "unit = \"区商务局\"\nform = \"工作人员名单\"\n[leader]\nname = \"示例姓名\"\ntitle = \"副局长\"\n[office_head]\nname = \"示例姓名\"\n[clerk]\nname = \"示例姓名\"\nmobile = \"示例\"\n";
        let s = contacts_sheet("区商务局", &subs(&[c]));
        assert_eq!(s.text_grid()[0], "分管领导 | 示例姓名 | 副局长 |  | ");
        assert_eq!(s.text_grid()[2], "经办人 | 示例姓名 |  |  | 示例");
        let m = master_sheet(&cat, "测试");
        assert_eq!(m.rows.len(), 6);
        assert_eq!(
            m.text_grid()[1],
            "2 | 甲组 | 区发改局 | 区商务局 | 区财政局、各街道办事处 | 任务2的正文。"
        );
        assert!(m.text_grid()[2].contains("区发改局、区住建局"));
    }
}
