//! 别处通知的写法（issue 13）：不靠登记册也按公文惯例读单位列表，推断在输出中可见，
//! 未登记单位按名称归并报告，`duban units --init` 起草登记册且再运行时保留用户的修改。

use crate::support::{duban, temp_dir};
use duban::catalogue::{parse, Catalogue, Rule};
use duban::diag::Diagnostics;
use duban::registry::Registry;

fn names(v: &[duban::catalogue::UnitRef]) -> String {
    v.iter()
        .map(|u| u.name.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// 一个小登记册：只认识少数单位，其余要靠惯例。
fn small_registry() -> Registry {
    let text = r#"
[[unit]]
name = "市教育局"
kind = "区直部门"
[[unit]]
name = "市发改委"
kind = "区直部门"
"#;
    let (r, d) = Registry::parse(text, "units.toml");
    assert!(d.is_empty(), "{d:?}");
    r
}

struct Case {
    name: &'static str,
    /// 一行任务（前面自动加标题与部分）。
    input: &'static str,
    /// 期望：(牵头, 责任)，单位间空格分隔。
    want: (&'static str, &'static str),
    /// 期望出现的推断：(原文, 读作, 规则说明的片段)。
    inferred: &'static [(&'static str, &'static str, &'static str)],
}

/// 每条惯例一例，写法取自各地通知的真实格式。
const CASES: &[Case] = &[
    Case {
        name: "层级前缀只写一次（登记册不认识民政局）",
        input: "1.健全养老服务体系。（牵头单位：市教育局、民政局）",
        want: ("市教育局 市民政局", ""),
        inferred: &[("民政局", "市民政局", "借用首项的层级前缀“市”")],
    },
    Case {
        name: "带地名的层级前缀",
        input: "1.推进城市更新。（牵头单位：江夏区住建局、城管执法局）",
        want: ("江夏区住建局 江夏区城管执法局", ""),
        inferred: &[("城管执法局", "江夏区城管执法局", "前缀“江夏区”")],
    },
    Case {
        name: "共用后缀",
        input: "1.发展数字经济。（牵头单位：市发改、经信、科技局）",
        want: ("市发改局 市经信局 市科技局", ""),
        inferred: &[("经信", "市经信局", "前缀“市”和末项的后缀“局”")],
    },
    Case {
        name: "党委部门借“市委”",
        input: "1.加强人才工作。（牵头单位：市委组织部、宣传部）",
        want: ("市委组织部 市委宣传部", ""),
        inferred: &[("宣传部", "市委宣传部", "前缀“市委”")],
    },
    Case {
        name: "自带层级的名称不借前缀",
        input: "1.推进产业转移。（牵头单位：市发改委；责任单位：市经信局、江岸区政府、团市委、人民银行武汉分行、民政局）",
        want: ("市发改委", "市经信局 江岸区政府 团市委 人民银行武汉分行 市民政局"),
        inferred: &[("江岸区政府", "江岸区政府", "自带层级")],
    },
    Case {
        name: "规则说明在列表后、嵌在末项里（下同）",
        input: "1.加强统计监测。（市发改委、财政局、统计局(列第一位者为牵头单位,下同)）\n2.做好普查工作。（市统计局、发改委）",
        want: ("市发改委", "市财政局 市统计局"),
        inferred: &[("市发改委", "市发改委", "列第一位者为牵头单位（第3行的说明，下同）")],
    },
    Case {
        name: "规则说明的其他说法：汇总单位",
        input: "1.编制年度计划。（市财政局、市审计局，排在首位的为汇总单位）",
        want: ("市财政局", "市审计局"),
        inferred: &[("市财政局", "市财政局", "列第一位者为牵头单位")],
    },
    Case {
        name: "“等”在列表中间",
        input: "1.做好防汛工作。（牵头单位：市应急局；责任单位：县应急局等,各乡镇人民政府）",
        want: ("市应急局", "县应急局 各乡镇人民政府"),
        inferred: &[],
    },
    Case {
        name: "括号里带顿号的群体短语",
        input: "1.推进乡村振兴。（牵头单位：市农业农村局；责任单位：各县（市、区）人民政府、市直有关部门）",
        want: ("市农业农村局", "各县（市、区）人民政府 市直有关部门"),
        inferred: &[],
    },
    Case {
        name: "配合单位、协办单位、参与单位",
        input: "1.甲。（牵头单位：市教育局；协办单位：市财政局）\n2.乙。（牵头单位：市教育局；参与单位：市人社局）\n3.丙。（主办单位：市教育局；配合单位：市卫健委）",
        want: ("市教育局", "市财政局"),
        inferred: &[],
    },
    Case {
        name: "“某某牵头，某某配合”的写法",
        input: "1.做好防汛抗旱。（市应急局牵头，市水利和湖泊局、气象局配合）",
        want: ("市应急局", "市水利和湖泊局 市气象局"),
        inferred: &[("市应急局牵头", "市应急局", "“牵头”写法"), ("气象局", "市气象局", "前缀“市”")],
    },
    Case {
        name: "分管领导写的是人",
        input: "1.甲。（分管领导：张三副市长；牵头单位：市教育局）",
        want: ("市教育局", ""),
        inferred: &[],
    },
    Case {
        name: "登记册登记了原文写法就以登记册为准（覆盖惯例）",
        input: "1.甲。（牵头单位：市教育局、发改委）",
        want: ("市教育局 市发改委", ""),
        inferred: &[("发改委", "市发改委", "前缀“市”")],
    },
];

fn run(input: &str) -> (Catalogue, Diagnostics) {
    let text = format!("某市重点工作任务分工方案\n一、重点工作\n{input}\n");
    parse(&text, "n.txt", &small_registry())
}

#[test]
fn conventions_table() {
    for c in CASES {
        let (cat, d) = run(c.input);
        let all: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
        let t = &cat.tasks[0];
        assert_eq!(
            (names(&t.leads), names(&t.responsible)),
            (c.want.0.to_string(), c.want.1.to_string()),
            "用例“{}”：{all:#?}",
            c.name
        );
        for (w, u, rule) in c.inferred {
            assert!(
                cat.inferences
                    .iter()
                    .any(|i| i.written == *w && i.unit == *u && i.rule.describe().contains(rule)),
                "用例“{}”缺推断 {w} → {u}（{rule}）：{:#?}",
                c.name,
                cat.inferences
            );
        }
        assert!(!d.has_errors(), "用例“{}”：{all:#?}", c.name);
    }
}

#[test]
fn following_note_scope_and_people_and_etc_are_reported() {
    // 带“下同”的说明管到以后各项；不带的只管本项。
    let (cat, _) = run(
        "1.甲。（市发改委、财政局(列第一位者为牵头单位)）\n2.乙。（责任单位：市发改委、财政局）",
    );
    assert_eq!(names(&cat.tasks[0].leads), "市发改委");
    assert!(cat.tasks[1].leads.is_empty());
    let (cat, _) = run("1.甲。（市发改委、财政局(列第一位者为牵头单位,下同)）\n2.乙。（责任单位：市财政局、发改委）");
    assert_eq!(names(&cat.tasks[1].leads), "市财政局");
    assert!(matches!(
        cat.inferences.last().unwrap().rule,
        Rule::FirstListedLeads {
            line: 3,
            following: true
        }
    ));
    // 说明整段去掉，不会粘进单位名（原先会读成“财政局(                              ,下同)”）。
    assert!(cat.tasks[0]
        .responsible
        .iter()
        .all(|u| !u.name.contains('(')));
    let (_, d) = run(
        "1.甲。（分管领导：张三副市长；牵头单位：市教育局；责任单位：县应急局等,各乡镇人民政府）",
    );
    let all: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
    assert!(
        all.iter()
            .any(|m| m.contains("“分管领导”填写的是人员“张三副市长”")),
        "{all:#?}"
    );
    assert!(
        all.iter().any(|m| m.contains("单位列表里有“等”")),
        "{all:#?}"
    );
}

#[test]
fn unknown_units_are_grouped_per_name() {
    let text = "方案\n一、重点工作\n1.甲。（牵头单位：市教育局、民政局）\n2.乙。（牵头单位：市教育局、民政局）\n3.丙。（牵头单位：市民政局）\n";
    let (_, d) = parse(text, "n.txt", &small_registry());
    let all: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
    let about: Vec<&String> = all.iter().filter(|m| m.contains("市民政局")).collect();
    assert_eq!(about.len(), 1, "{all:#?}");
    assert!(
        about[0].contains("n.txt:3:16：未登记的单位“市民政局”（原文“民政局”，借用首项的层级前缀“市”），共 3 处：第 3、4、5 行"),
        "{all:#?}"
    );
}

#[test]
fn suggestions_do_not_cross_levels() {
    // 区里的登记册配上市里的通知：不建议“区财政局”，而是提示登记册可能不是这份通知的。
    let reg = Registry::parse(
        &std::fs::read_to_string(crate::support::fixture("../../content/units.toml")).unwrap(),
        "units.toml",
    )
    .0;
    let mut text = String::from("方案\n一、重点工作\n");
    for (i, u) in [
        "市财政局",
        "市商务局",
        "市审计局",
        "市统计局",
        "市住建局",
        "市教育局",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!("{}.甲。（牵头单位：{u}）\n", i + 1));
    }
    let (_, d) = parse(&text, "n.txt", &reg);
    let all: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
    assert!(
        all.iter().all(|m| !m.contains("你是不是要找：区")),
        "{all:#?}"
    );
    assert!(
        all[0].contains("通知中的 6 个单位有 6 个不在单位登记册里")
            && all[0].contains("duban units --init"),
        "{all:#?}"
    );
}

const CITY: &str = "黄石市人民政府办公室关于印发2023年市政府工作报告重点工作任务分工方案的通知
2023年市政府工作报告重点工作任务分工方案
一、重点工作
（一）推动工业提质增效
——壮大先进制造业（总牵头单位：市经信局）
1.加快新型工业化。（市经信局、发改委、科技局(列第一位者为牵头单位,下同)）
2.推动规上工业增加值增长8%以上。（市统计局、经信局、大冶市政府、阳新县政府）
——扩大有效投资（总牵头单位：市发改委）
3.实施重大项目攻坚行动。（牵头单位：市发改委；责任单位：市财政局、自然资源和规划局、县应急局等，各县（市、区）人民政府）
4.做好防汛抗旱工作。（市应急局牵头，市水利和湖泊局、气象局配合）
";

#[test]
fn cli_shows_inferences_and_units_init_drafts_and_keeps_edits() {
    let dir = temp_dir("conv-init");
    std::fs::write(dir.join("notice.txt"), CITY).unwrap();
    std::fs::write(
        dir.join("duban.toml"),
        "[paths]\nnotice = \"notice.txt\"\nunits = \"units.toml\"\n",
    )
    .unwrap();
    let cfg = dir.join("duban.toml");
    let cfg = cfg.to_str().unwrap();
    // 没有登记册：catalogue 照样读出，只报一条“登记册里没有单位”。
    let out = duban(&[
        "-c",
        cfg,
        "catalogue",
        "--notice",
        dir.join("notice.txt").to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("单位名推断"), "{stdout}");
    assert!(
        stdout.lines().any(|l| l.starts_with("发改委")
            && l.contains("市发改委")
            && l.contains("借用首项的层级前缀“市”")),
        "{stdout}"
    );
    assert_eq!(stderr.matches("未登记的单位").count(), 0, "{stderr}");
    assert!(stderr.contains("单位登记册里没有单位"), "{stderr}");
    // 起草。
    let out = duban(&["-c", cfg, "units", "--init"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft = std::fs::read_to_string(dir.join("units.toml")).unwrap();
    assert!(draft.contains("name = \"市自然资源和规划局\"\nkind = \"区直部门\"\n# 见通知第 9 行；原文写作“自然资源和规划局”（借用首项的层级前缀“市”）"), "{draft}");
    assert!(
        draft.contains("name = \"大冶市政府\"\nkind = \"其他\""),
        "{draft}"
    );
    assert!(
        draft.contains("[[group]]\nname = \"各县（市、区）人民政府\"\nmembers = []"),
        "{draft}"
    );
    let (reg, d) = Registry::parse(&draft, "units.toml");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(reg.units.len(), 12, "{draft}");
    // 用户改了一处（类别、别名），通知又多了一项：再运行只补新的，改过的原样保留。
    let edited = draft.replace(
        "name = \"大冶市政府\"\nkind = \"其他\"",
        "name = \"大冶市政府\"\nkind = \"其他\"\naliases = [\"大冶市人民政府\"]   # 用户加的",
    );
    std::fs::write(dir.join("units.toml"), &edited).unwrap();
    std::fs::write(
        dir.join("notice.txt"),
        format!("{CITY}5.新增一项。（牵头单位：市商务局）\n"),
    )
    .unwrap();
    let out = duban(&["-c", cfg, "units", "--init"]);
    assert_eq!(out.status.code(), Some(0));
    let again = std::fs::read_to_string(dir.join("units.toml")).unwrap();
    assert!(again.starts_with(edited.trim_end()), "{again}");
    assert!(
        again.contains("补充")
            && again.ends_with("name = \"市商务局\"\nkind = \"区直部门\"\n# 见通知第 11 行\n"),
        "{again}"
    );
    // 第三次：没有新单位，不改文件。
    let out = duban(&["-c", cfg, "units", "--init"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("未改动"));
    assert_eq!(
        std::fs::read_to_string(dir.join("units.toml")).unwrap(),
        again
    );
    let out = duban(&["-c", cfg, "check"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("未登记").count(), 0, "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn registry_alias_overrides_an_inference() {
    // 惯例会把“民政局”读成“市民政局”；登记册把原文写法登记为别名后，以登记册为准。
    let text = "方案\n一、重点工作\n1.甲。（牵头单位：市教育局、民政局）\n";
    let (cat, _) = parse(text, "n.txt", &small_registry());
    assert_eq!(names(&cat.tasks[0].leads), "市教育局 市民政局");
    let reg = Registry::parse(
        "[[unit]]\nname = \"市教育局\"\nkind = \"区直部门\"\n[[unit]]\nname = \"市民政和老龄局\"\nkind = \"区直部门\"\naliases = [\"民政局\"]\n",
        "units.toml",
    )
    .0;
    let (cat, d) = parse(text, "n.txt", &reg);
    assert_eq!(names(&cat.tasks[0].leads), "市教育局 市民政和老龄局");
    assert!(cat.inferences.is_empty(), "{:?}", cat.inferences);
    assert!(d.is_empty(), "{:?}", d.sorted());
}
