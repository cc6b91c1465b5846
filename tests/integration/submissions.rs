//! 报送数据：校验带文件、行号和中文提示；不中断、不丢弃、不改写。

use crate::support;
use duban::date::Quarter;
use duban::submissions::load_dir;

#[test]
fn fixture_errors_are_reported_with_location_and_hint() {
    let (cat, reg) = (support::catalogue(), support::registry());
    let (subs, diags) = load_dir(&support::fixture("submissions"), &reg, &cat).unwrap();
    let d: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    let find = |file: &str, line: usize, text: &str| {
        assert!(
            diags.sorted().iter().any(|x| x.file.ends_with(file)
                && x.line == line
                && x.message.contains(text)
                && x.hint.is_some()),
            "缺少 {file}:{line} {text}；实际：{d:#?}"
        );
    };
    find("缺必填项.toml", 7, "content");
    find("缺必填项.toml", 7, "month");
    find("未知单位.toml", 1, "未知单位“区不存在局”");
    find("语法错误.toml", 7, "报送文件无法读取");
    assert_eq!(diags.errors(), 4, "{d:#?}");
    // 语法错误的文件无法使用（已报告）；其余文件全部保留，包括有错的。
    assert_eq!(subs.files.len(), 3);
    let unknown = subs.files.iter().find(|s| s.unit == "区不存在局").unwrap();
    assert_eq!(unknown.statuses[0].text, "已完成", "未知单位的内容原样保留");
    // 别名解析为规范名；第三部分任务按目录标识匹配。
    let q3 = Quarter::parse("2023Q3").unwrap();
    assert_eq!(
        subs.status("区财政局", q3, "三.2"),
        Some("按季度推进（示例）")
    );
    assert_eq!(
        subs.status("区财政局", Quarter::parse("2023Q2").unwrap(), "三.2"),
        None
    );
}

#[test]
fn build_fixture_submissions() {
    let (cat, reg) = (support::catalogue(), support::registry());
    let (mut subs, diags) =
        load_dir(&support::fixture("build/content/submissions"), &reg, &cat).unwrap();
    assert!(diags.is_empty(), "{:?}", diags.sorted());
    // 示例数据默认不当作报送（duban.toml [status] count_samples）。
    assert!(subs.plan_rows("区商务局", "2").is_none());
    subs.count_samples = true;
    assert_eq!(subs.plan_rows("区商务局", "2").unwrap().len(), 2);
    assert!(subs.files.iter().all(|s| s.sample), "示例数据都标 sample");
}

#[test]
fn bad_submission_is_reported_and_kept_verbatim() {
    let (cat, reg) = (support::catalogue(), support::registry());
    let (subs, diags) = load_dir(&support::fixture("bad-submission"), &reg, &cat).unwrap();
    // 未知任务 99（第 6 行）与月份 13（第 10 行）。
    let v = diags.sorted();
    assert_eq!(v.len(), 2, "{v:#?}");
    assert!(
        v[0].file.ends_with("金口街道办事处-错误示例.toml")
            && v[0].line == 6
            && v[0].message.contains("99")
    );
    assert!(v[1].line == 10 && v[1].message.contains("13"));
    let bad = subs
        .files
        .iter()
        .find(|s| s.unit == "金口街道办事处")
        .unwrap();
    assert_eq!(bad.plan[0].rows[0].month, Some(13), "不改写");
    assert!(
        subs.plan_rows("金口街道办事处", "99").is_none(),
        "未知任务不填入表格"
    );
}

#[test]
fn shipped_sample_submissions_are_valid_and_marked() {
    // 随程序发布的示例：全部标注 sample，不含真实姓名或电话。
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/submissions");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            n += 1;
            let text = std::fs::read_to_string(&p).unwrap();
            assert!(
                text.contains("sample = true"),
                "{} 未标 sample",
                p.display()
            );
            assert!(text.contains("示例"), "{}", p.display());
            let v: toml::Value = toml::from_str(&text).unwrap();
            for key in ["leader", "office_head", "clerk"] {
                let Some(person) = v.get(key) else { continue };
                assert_eq!(
                    person.get("name").and_then(|n| n.as_str()),
                    Some("示例姓名"),
                    "{}",
                    p.display()
                );
                for phone in ["office_phone", "mobile"] {
                    let val = person.get(phone).and_then(|n| n.as_str()).unwrap_or("");
                    assert!(
                        val.is_empty() || val == "示例",
                        "{} 的 {phone} 不是占位：{val}",
                        p.display()
                    );
                }
            }
        }
    }
    assert!(n >= 3, "至少三份示例");
}
