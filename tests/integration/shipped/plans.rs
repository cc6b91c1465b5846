//! 附表1 办理方案与总体办理方案：谁有、序号与正文、隐藏键；报送数据原样填入；表单 PDF 逐字含任务正文。

use super::*;

#[test]
fn plan_form_for_every_lead_unit() {
    let s = shipped();
    let mut checked = 0;
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        let x = doc(&s.out, unit, "附表1-办理方案", "xlsx");
        let p = doc(&s.out, unit, "附表1-办理方案", "pdf");
        assert_eq!(
            x.is_some(),
            !e.lead.is_empty(),
            "{unit}：附表1 XLSX 有无不对"
        );
        assert_eq!(
            p.is_some(),
            !e.lead.is_empty(),
            "{unit}：附表1 PDF 有无不对"
        );
        let Some(x) = x else { continue };
        let t = read_table(&x);
        assert_eq!(
            t.header,
            [
                "序号",
                "责任事项",
                "具体工作内容",
                "完成时间（按月）",
                "分管领导",
                "责任部门"
            ],
            "{unit}"
        );
        assert_eq!(t.numbers(), ids(&s.cat, &e.lead), "{unit}：附表1 序号列");
        let blocks = t.block_ids();
        let mut k = 0;
        for (i, (c, key)) in t.rows.iter().enumerate() {
            let id = &blocks[i];
            if !c[0].is_empty() {
                assert_eq!(c[1], text_of(&s.cat, id), "{unit}：附表1 第{id}项责任事项");
                k = 0;
            }
            k += 1;
            assert_eq!(*key, format!("task={id};row={k}"), "{unit}：附表1 隐藏键");
            assert!(c[2].starts_with(&format!("{k}.")), "{unit}：第{id}项 {c:?}");
        }
        t.check_props(&x, unit, "附表1", "");
        assert!(
            t.title.starts_with(unit.as_str()),
            "{unit}：标题 {}",
            t.title
        );
        checked += 1;
    }
    assert!(checked > 30, "只核对了 {checked} 个牵头单位");
}

#[test]
fn overall_plan_for_every_overall_lead() {
    let s = shipped();
    let mut checked = 0;
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        let x = doc(&s.out, unit, "总体办理方案", "xlsx");
        let p = doc(&s.out, unit, "总体办理方案", "pdf");
        assert_eq!(
            x.is_some(),
            !e.overall.is_empty(),
            "{unit}：总体办理方案有无不对"
        );
        assert_eq!(
            p.is_some(),
            !e.overall.is_empty(),
            "{unit}：总体办理方案 PDF"
        );
        let Some(x) = x else { continue };
        let t = read_table(&x);
        assert_eq!(t.header[2], "牵头单位", "{unit}");
        assert_eq!(
            t.numbers(),
            ids(&s.cat, &e.overall),
            "{unit}：总体办理方案序号列"
        );
        let blocks = t.block_ids();
        // 每项任务块中“牵头单位”列依次出现的值 = 目录中的牵头单位。
        let mut leads: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut lead = String::new();
        let mut k = 0;
        for (i, (c, key)) in t.rows.iter().enumerate() {
            let id = &blocks[i];
            if !c[0].is_empty() {
                assert_eq!(c[1], text_of(&s.cat, id), "{unit}：第{id}项责任事项");
                lead = c[2].clone();
                leads.entry(id.clone()).or_default().push(lead.clone());
                k = 0;
            } else if !c[2].is_empty() {
                lead = c[2].clone();
                leads.entry(id.clone()).or_default().push(lead.clone());
                k = 0;
            }
            k += 1;
            assert_eq!(
                *key,
                format!("task={id};lead={lead};row={k}"),
                "{unit}：总体办理方案隐藏键"
            );
        }
        for &i in &e.overall {
            let task = &s.cat.tasks[i];
            let want = if task.leads.is_empty() {
                vec![String::new()]
            } else {
                task.leads.clone()
            };
            assert_eq!(
                leads.get(&task.id),
                Some(&want),
                "{unit}：第{}项牵头单位列",
                task.id
            );
        }
        t.check_props(&x, unit, "总体办理方案", "");
        checked += 1;
    }
    assert!(checked >= 10, "只核对了 {checked} 个总牵头单位");
}

#[test]
fn sample_data_is_not_prefilled_by_default() {
    // 随附的报送数据都是示例（sample = true）：默认不算报送、不填表——区发改局的附表2 不印“示例姓名”，
    // 附表3、区商务局的附表1 都是空白待填（填入的核对见夹具项目 tests/integration/xlsx.rs）。
    let s = shipped();
    let t = read_table(&doc(&s.out, "区发改局", "附表3", "xlsx").unwrap());
    assert!(t.rows.iter().all(|(c, _)| c[2].is_empty()), "{:?}", t.rows);
    let t = read_table(&doc(&s.out, "区商务局", "附表1-办理方案", "xlsx").unwrap());
    assert!(!t.rows.iter().any(|(c, _)| c[2].contains("示例")));
    let t = read_table(&doc(&s.out, "区发改局", "附表2", "xlsx").unwrap());
    assert_eq!(t.rows[0].0[..2], ["分管领导", ""]);
}

#[test]
fn form_pdfs_keep_every_task_text() {
    // 附表1、总体办理方案、附表3 的 PDF：期望的任务正文按目录顺序逐字都在。
    let s = shipped();
    let mut bad = Vec::new();
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        for (name, set) in [
            ("附表1-办理方案", &e.lead),
            ("总体办理方案", &e.overall),
            ("附表3", &e.quarterly),
        ] {
            let Some(pdf) = doc(&s.out, unit, name, "pdf") else {
                continue;
            };
            let tasks: Vec<&CTask> = set.iter().map(|&i| &s.cat.tasks[i]).collect();
            if let Err(m) = texts_in_order(&pdf, &tasks, &format!("{unit} {name} PDF")) {
                bad.push(m);
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
