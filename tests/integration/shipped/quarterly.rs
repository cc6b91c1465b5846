//! 附表3 季度完成情况：按 README 规则由谁报、每项一行、目录顺序。

use super::*;

#[test]
fn quarterly_form_follows_readme_rule() {
    let s = shipped();
    let mut checked = 0;
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        let x = doc(&s.out, unit, "附表3", "xlsx");
        let p = doc(&s.out, unit, "附表3", "pdf");
        assert_eq!(
            x.is_some(),
            !e.quarterly.is_empty(),
            "{unit}：附表3 有无不对（期望季报任务 {:?}）",
            ids(&s.cat, &e.quarterly)
        );
        assert_eq!(p.is_some(), x.is_some(), "{unit}：附表3 PDF");
        let Some(x) = x else { continue };
        assert!(
            x.file_name()
                .unwrap()
                .to_string_lossy()
                .contains("2023年第二季度"),
            "{unit}：{x:?}"
        );
        let t = read_table(&x);
        assert_eq!(t.header, ["序号", "责任事项", "完成情况"], "{unit}");
        assert_eq!(t.numbers(), ids(&s.cat, &e.quarterly), "{unit}：附表3 行");
        assert_eq!(t.rows.len(), e.quarterly.len(), "{unit}：附表3 每项一行");
        for (c, key) in &t.rows {
            assert_eq!(c[1], text_of(&s.cat, &c[0]), "{unit}：附表3 第{}项", c[0]);
            assert_eq!(*key, format!("task={}", c[0]), "{unit}：附表3 隐藏键");
        }
        t.check_props(&x, unit, "附表3", "2023Q2");
        checked += 1;
    }
    assert!(checked >= 10, "只核对了 {checked} 个季报单位");
}
