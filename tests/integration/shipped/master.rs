//! 责任分解总表：XLSX 每项任务一行照目录，PDF 逐字保留全部任务正文。

use super::*;

#[test]
fn master_xlsx_has_every_task_as_catalogue() {
    let s = shipped();
    let x = s.out.join("00-责任分解总表.xlsx");
    let t = read_table(&x);
    assert_eq!(
        t.header,
        [
            "序号",
            "任务组",
            "总牵头单位",
            "牵头单位",
            "责任单位",
            "责任事项"
        ]
    );
    assert_eq!(t.rows.len(), s.cat.tasks.len(), "总表行数");
    for ((c, key), task) in t.rows.iter().zip(&s.cat.tasks) {
        let id = &task.id;
        assert_eq!(c[0], *id);
        assert_eq!(*key, format!("task={id}"));
        assert_eq!(
            c[2],
            task.overall_leads.join("、"),
            "总表第{id}项总牵头单位"
        );
        assert_eq!(c[3], task.leads.join("、"), "总表第{id}项牵头单位");
        assert_eq!(c[4], task.responsible.join("、"), "总表第{id}项责任单位");
        assert_eq!(c[5], task.text, "总表第{id}项责任事项");
    }
    t.check_props(&x, "区人民政府办公室", "责任分解总表", "");
}

#[test]
fn master_pdf_keeps_every_character() {
    let s = shipped();
    let all: Vec<&CTask> = s.cat.tasks.iter().collect();
    texts_in_order(&s.out.join("00-责任分解总表.pdf"), &all, "总表 PDF").unwrap();
}
