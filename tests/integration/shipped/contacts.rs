//! 附表2 督办工作人员名单：每个有任务的单位都有，三行责任人。

use super::*;

#[test]
fn contacts_form_for_every_unit() {
    let s = shipped();
    for (unit, _) in s.expect.iter().filter(|(_, e)| e.any()) {
        let x = doc(&s.out, unit, "附表2", "xlsx").unwrap_or_else(|| panic!("{unit}：缺附表2"));
        assert!(
            doc(&s.out, unit, "附表2", "pdf").is_some(),
            "{unit}：缺附表2 PDF"
        );
        let t = read_table(&x);
        assert_eq!(
            t.header,
            ["责任人", "姓名", "职务", "办公电话", "手机"],
            "{unit}"
        );
        let labels: Vec<&str> = t.rows.iter().map(|(c, _)| c[0].as_str()).collect();
        assert_eq!(
            labels,
            ["分管领导", "办公室或者综合协调处室负责人", "经办人"],
            "{unit}"
        );
        let keys: Vec<&str> = t.rows.iter().map(|(_, k)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["person=leader", "person=office_head", "person=clerk"],
            "{unit}"
        );
        assert!(t.title.starts_with(unit.as_str()), "{unit}：{}", t.title);
        t.check_props(&x, unit, "附表2", "");
    }
}
