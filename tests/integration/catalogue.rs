//! 任务目录：随附 2023 年通知的完整展开、各类变体写法、诊断、命令行输出与性质测试。

use duban::catalogue::{parse, Catalogue, Task, UnitRef};
use duban::diag::{Diagnostics, Severity};
use duban::registry::Registry;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped() -> &'static duban::Project {
    static P: OnceLock<duban::Project> = OnceLock::new();
    P.get_or_init(|| duban::Project::load(&root().join("duban.toml")).expect("加载随附项目"))
}

fn names(v: &[UnitRef]) -> Vec<&str> {
    v.iter().map(|u| u.name.as_str()).collect()
}

fn split(s: &str) -> Vec<&str> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(' ').collect()
    }
}

// ---------------------------------------------------------------- 随附通知

#[test]
fn shipped_notice_has_no_errors_or_warnings() {
    let p = shipped();
    let all: Vec<String> = p
        .diagnostics
        .sorted()
        .iter()
        .map(|d| d.to_string())
        .collect();
    // 通知与登记册本身无任何问题；诊断只有分工阶段对 4 个没有列出成员的群体短语的警告，
    // 和每次都报的“示例报送数据未使用”。
    assert!(!p.diagnostics.has_errors(), "{all:#?}");
    assert_eq!(p.diagnostics.warnings(), 5, "{all:#?}");
    assert!(
        all.iter()
            .all(|d| d.contains("在单位登记册中没有列出成员") || d.contains("示例报送数据未使用")),
        "{all:#?}"
    );
    let cat = &p.catalogue;
    assert_eq!(
        cat.title,
        "2023年区《政府工作报告》主要目标任务责任分解方案"
    );
    assert_eq!(cat.key_tasks(), 135);
    assert_eq!(cat.tasks.len(), 139);
    let ids: Vec<&str> = cat.tasks.iter().map(|t| t.id.as_str()).collect();
    let mut want: Vec<String> = (1..=135).map(|n| n.to_string()).collect();
    want.extend((1..=4).map(|n| format!("三.{n}")));
    assert_eq!(ids, want);
    // 二、重点工作 5 章 + 三、4 章。
    let ch: Vec<(&str, &str)> = cat
        .chapters
        .iter()
        .map(|c| (c.part.as_str(), c.number.as_str()))
        .collect();
    assert_eq!(
        ch,
        [
            ("二", "一"),
            ("二", "二"),
            ("二", "三"),
            ("二", "四"),
            ("二", "五"),
            ("三", "一"),
            ("三", "二"),
            ("三", "三"),
            ("三", "四")
        ]
    );
    assert_eq!(cat.chapters[5].title, "筑牢政治信仰");
}

#[test]
fn shipped_groups_and_overall_leads() {
    let cat = &shipped().catalogue;
    assert_eq!(cat.groups.len(), 23);
    let no_overall: Vec<&str> = cat
        .groups
        .iter()
        .filter(|g| g.overall_leads.is_empty())
        .map(|g| g.title.as_str())
        .collect();
    assert_eq!(no_overall, ["提高社会保障水平", "守牢安全发展底线"]);
    let two: Vec<(&str, Vec<&str>)> = cat
        .groups
        .iter()
        .filter(|g| g.overall_leads.len() > 1)
        .map(|g| (g.title.as_str(), names(&g.overall_leads)))
        .collect();
    assert_eq!(
        two,
        [("主动融入武汉都市圈", vec!["区发改局", "区自然资源和规划局"])]
    );
    let g0 = &cat.groups[0];
    assert_eq!(
        (g0.title.as_str(), g0.chapter, g0.line),
        ("推动主导产业强链集群", 0, 12)
    );
    // 每项任务都有组与章；组的章与任务的章一致。
    for t in cat.tasks.iter().filter(|t| !t.id.contains('.')) {
        let g = t.group.expect("重点工作都在组内");
        assert_eq!(Some(cat.groups[g].chapter), t.chapter, "{}", t.id);
    }
}

/// (id, 总牵头, 牵头, 责任)——按通知原文手工展开，空格分隔，顺序即文中顺序。
const EXPECTED: &[(&str, &str, &str, &str)] = &[
    ("1", "区发改局", "区发改局", "区科经局 区商务局 郑店街道办事处 五里界街道办事处 江夏经济开发区管委会"),
    ("3", "区发改局", "区科经局", "江夏经济开发区管委会 区科投集团"),
    ("7", "区发改局", "区大健康产业园指挥部", "区科经局 区商务局 郑店街道办事处 江夏经济开发区管委会"),
    ("10", "区发改局", "江夏经济开发区管委会", "区发改局 区科经局 区商务局 区自然资源和规划局 区住建局 区财政局 区生态环境分局 区企业和人才服务中心 区科投集团"),
    ("16", "区发改局", "区发改局", "区科经局 区商务局 江夏经济开发区管委会 区科投集团 区国控集团"),
    ("18", "区发改局", "区财政局 区审计局", "区发改局 区科经局 区商务局 区市场监管局 各相关街道办事处"),
    ("22", "区发改局", "区发改局 区科经局", "各街道办事处"),
    ("30", "区科经局", "五里界街道办事处 金口街道办事处 乌龙泉街道办事处", "区发改局 区科经局 区商务局 区自然资源和规划局"),
    ("36", "区科经局", "区科经局", "各街道办事处 各区属国有企业"),
    ("39", "区科经局", "区科经局 区市场监管局", "区发改局 区商务局 区财政局 各街道办事处"),
    ("43", "区委组织部", "区委组织部 区住建局", "区财政局 人民银行江夏支行 各相关街道办事处"),
    ("44", "区委组织部", "区委组织部", "区住建局 区园林和林业局 区民政局 区人社局 团区委 各街道办事处"),
    ("46", "区发改局", "区发改局", "区科经局 区商务局 区住建局 区财政局 区税务局 区自然资源和规划局 区农业农村局 区文旅局 区市场监管局 区行政审批局 区人社局 区统计局 区融媒体中心 区企业和人才服务中心 区大数据中心"),
    ("49", "区发改局", "区工商联", "区直各行业主管部门 区法院 区检察院 各街道办事处"),
    ("50", "区发改局 区自然资源和规划局", "区发改局 区自然资源和规划局", "区科经局 区交通运输局 区住建局 区水务和湖泊局 区商务局 江夏经济开发区管委会 金口街道办事处 五里界街道办事处"),
    ("60", "区住建局", "乌龙泉街道办事处 安山街道办事处 法泗街道办事处 湖泗街道办事处 舒安街道办事处 金水办事处", "区发改局 区住建局 区自然资源和规划局 区园林和林业局 区水务和湖泊局 区农业农村局"),
    ("65", "区住建局", "区水务和湖泊局 区科经局 区城管执法局", "区住建局 区国控集团 区供电公司 各相关街道办事处"),
    ("67", "区住建局", "区城管执法局", "区交通运输局 其他区直相关部门 各街道办事处"),
    ("71", "区农业农村局", "区农业农村局", "区自然资源和规划局 各相关街道办事处"),
    ("89", "区发改局", "区住建局 区发改局", "各街道办事处"),
    ("94", "区生态环境分局", "区发改局", "区生态环境分局 区自然资源和规划局 区统计局 区园林和林业局 区水务和湖泊局 区农业农村局 区文旅局 国家统计局江夏调查队 各街道办事处"),
    ("95", "区生态环境分局", "区文旅局 区园林和林业局", "区发改局 区自然资源和规划局 区住建局 区水务和湖泊局 区财政局 区行政审批局 各相关街道办事处"),
    ("98", "", "区人社局", "区区校合作发展促进中心 区退役军人事务局 区残联 各街道办事处"),
    ("105", "", "区人武部 区退役军人事务局 区总工会 团区委 区妇联 区残联 区委台办 区民宗局", "区直各单位 各街道办事处"),
    ("108", "区教育局", "区教育局", "区委编办 区财政局 区人社局"),
    ("117", "区文旅局", "区文旅局 区档案馆", "各街道办事处"),
    ("120", "区委政法委", "区委组织部", "区民政局 区财政局 区住建局 区发改局 区交通运输局 区农业农村局 区文旅局 区城管执法局 区商务局 区生态环境分局 各街道办事处"),
    ("123", "区委政法委", "区委组织部 区民政局", "区住建局 各街道办事处"),
    ("126", "", "区委国安办 区国家安全重点领域工作协调机制牵头单位", "区直各单位 各街道办事处"),
    ("129", "", "区应急管理局", "区安委会各成员单位 各街道办事处"),
    ("134", "", "区信访局", "区直各单位 各街道办事处"),
    ("135", "", "区委政法委", "区公安分局 区法院 区检察院"),
    ("三.1", "", "", "各街道办事处 区人民政府各部门"),
    ("三.2", "", "区司法局", "各街道办事处 区人民政府各部门"),
    ("三.3", "", "", "各街道办事处 区人民政府各部门"),
    ("三.4", "", "", "各街道办事处 区人民政府各部门"),
];

#[test]
fn shipped_tasks_full_expansion() {
    let cat = &shipped().catalogue;
    assert!(EXPECTED.len() >= 25);
    for (id, overall, leads, resp) in EXPECTED {
        let t = cat.task(id).unwrap_or_else(|| panic!("缺任务 {id}"));
        assert_eq!(
            names(cat.overall_leads(t)),
            split(overall),
            "任务 {id} 总牵头"
        );
        assert_eq!(names(&t.leads), split(leads), "任务 {id} 牵头");
        assert_eq!(names(&t.responsible), split(resp), "任务 {id} 责任");
    }
}

#[test]
fn shipped_group_phrases_are_marked_and_units_are_registered() {
    let p = shipped();
    let groups = [
        "各街道办事处",
        "各相关街道办事处",
        "区直各单位",
        "区直各部门",
        "区人民政府各部门",
        "区安委会各成员单位",
        "各区属国有企业",
        "区直各行业主管部门",
        "其他区直相关部门",
        "区国家安全重点领域工作协调机制牵头单位",
    ];
    for t in &p.catalogue.tasks {
        for u in t.leads.iter().chain(&t.responsible) {
            assert_eq!(
                u.is_group,
                groups.contains(&u.name.as_str()),
                "{} {}",
                t.id,
                u.name
            );
            if !u.is_group {
                // 规范名：登记册按规范名能找到且名字不变。
                assert_eq!(
                    p.registry.unit(&u.name).map(|x| x.name.as_str()),
                    Some(u.name.as_str())
                );
            }
        }
    }
}

#[test]
fn shipped_text_line_and_indices() {
    let cat = &shipped().catalogue;
    let t1 = cat.task("1").unwrap();
    assert_eq!(t1.line, 13);
    assert_eq!(t1.number, 1);
    assert!(t1
        .text
        .starts_with("抢抓车光产业跨界融合发展示范区创建契机"));
    assert!(t1.text.ends_with("做强实体经济。"), "{}", t1.text);
    // 任务 4 的括注前有空格；正文不带空格和括注。
    assert!(cat.task("4").unwrap().text.ends_with("做大“零整比”。"));
    // 正文中的括号不是单位括注。
    let t110 = cat.task("110").unwrap();
    assert!(t110
        .text
        .starts_with("提速区第二人民医院(山坡南部医疗卫生中心)建设"));
    let t126: &Task = cat.task("126").unwrap();
    assert!(t126.leads[1].is_group);
    let s1 = cat.task("三.1").unwrap();
    assert_eq!((s1.number, s1.group, s1.line), (1, None, 176));
    assert_eq!(cat.chapters[s1.chapter.unwrap()].title, "筑牢政治信仰");
    assert!(s1.text.ends_with("以责任换信任。"));
}

#[test]
fn registry_members_reach_streets_through_group_phrase() {
    let reg = &shipped().registry;
    let streets: Vec<&str> = reg
        .group_members("各街道办事处")
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(streets.len(), 11);
    assert!(streets.contains(&"纸坊街道办事处"));
    assert!(streets.contains(&"金水办事处"));
    let soe: Vec<&str> = reg
        .group_members("各区属国有企业")
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(soe, ["区科投集团", "区国控集团", "区人才集团"]);
    // 区直各单位、区直各部门：全部“区直部门”类单位；区人民政府各部门：只有政府工作部门（局、分局）。
    let depts: Vec<&str> = reg
        .units
        .iter()
        .filter(|u| u.kind == duban::registry::UnitKind::Department)
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(depts.len(), 45);
    for phrase in ["区直各单位", "区直各部门"] {
        let m: Vec<&str> = reg
            .group_members(phrase)
            .iter()
            .map(|u| u.name.as_str())
            .collect();
        assert_eq!(m, depts, "{phrase}");
    }
    let gov: Vec<&str> = reg
        .group_members("区政府各部门")
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(gov.len(), 28, "{gov:?}");
    assert!(
        gov.contains(&"区发改局") && gov.contains(&"区公安分局") && gov.contains(&"区生态环境分局")
    );
    assert!(
        gov.iter().all(|u| u.ends_with('局')),
        "只含局、分局：{gov:?}"
    );
    for not in [
        "区委组织部",
        "团区委",
        "区总工会",
        "区融媒体中心",
        "区人武部",
        "区法院",
        "区税务局",
    ] {
        assert!(!gov.contains(&not), "{not}");
    }
    // 成员确实不明的短语保持为空（构建时照常警告）。
    for phrase in [
        "区安委会各成员单位",
        "区直各行业主管部门",
        "其他区直相关部门",
        "区国家安全重点领域工作协调机制牵头单位",
    ] {
        assert!(reg.group_members(phrase).is_empty(), "{phrase}");
    }
    // 直接反序列化也会展开 member_kind，下游只读 members 即可。
    let text = std::fs::read_to_string(root().join("content/units.toml")).unwrap();
    let direct: Registry = toml::from_str(&text).unwrap();
    assert_eq!(&direct, reg);
    assert_eq!(direct.group("各街道办事处").unwrap().members.len(), 11);
    assert_eq!(reg.unit("区财政局（金融办）").unwrap().name, "区财政局");
}

// ---------------------------------------------------------------- 变体写法

fn fixture_registry() -> Registry {
    let text = std::fs::read_to_string(root().join("tests/fixtures/catalogue/units.toml")).unwrap();
    let (r, d) = Registry::parse(&text, "units.toml");
    assert!(d.is_empty(), "{d:?}");
    r
}

fn run(text: &str) -> (Catalogue, Diagnostics) {
    parse(text, "t.txt", &fixture_registry())
}

struct Case {
    name: &'static str,
    input: &'static str,
    /// 每项任务：(id, 牵头, 责任)
    tasks: &'static [(&'static str, &'static str, &'static str)],
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "全角标点与半角标点混用，角色间用逗号",
        input: "1.甲。（牵头单位：市发改委；责任单位：市财政局）\n2.乙。(牵头单位:市建委,责任单位:市财政局,市规划局)\n",
        tasks: &[("1", "市发改委", "市财政局"), ("2", "市建委", "市财政局 市规划局")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "配合单位",
        input: "1、加快推进某项工作。（牵头单位：市发改委；配合单位：市财政局、市规划局）\n",
        tasks: &[("1", "市发改委", "市财政局 市规划局")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "责任领导写的是人",
        input: "1.甲。（责任领导：张三、李四；牵头单位：市发改委；责任单位：市财政局）\n2.乙。（责任领导：王五；牵头单位：市建委）\n",
        tasks: &[("1", "市发改委", "市财政局"), ("2", "市建委", "")],
        errors: &[],
        warnings: &["“责任领导”填写的是人员“张三、李四”，不是单位", "“责任领导”填写的是人员“王五”"],
    },
    Case {
        name: "列第一位者为牵头单位",
        input: "重点任务分工方案\n（列第一位者为牵头单位）\n1.甲。（责任单位：市发改委、市财政局）\n2.乙。（市建委、国土房管局）\n",
        tasks: &[("1", "市发改委", "市财政局"), ("2", "市建委", "市国土房管局")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "单位另起一行",
        input: "1.加快推进甲。\n牵头单位：市发改委\n责任单位：市财政局、市规划局\n2.乙。\n（牵头单位：市建委）\n",
        tasks: &[("1", "市发改委", "市财政局 市规划局"), ("2", "市建委", "")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "方括号",
        input: "1.甲。【牵头单位：市发改委；责任单位：市财政局】\n2.乙。[牵头单位:市建委]\n",
        tasks: &[("1", "市发改委", "市财政局"), ("2", "市建委", "")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "编号（1）与（一）",
        input: "（1）甲。（牵头单位：市发改委）\n(2)乙。(牵头单位:市建委)\n",
        tasks: &[("1", "市发改委", ""), ("2", "市建委", "")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "（一）编号的任务与（一）章",
        input: "（一）产业发展\n（一）甲。（牵头单位：市发改委）\n（二）乙。\n牵头单位：市建委\n",
        tasks: &[("1", "市发改委", ""), ("2", "市建委", "")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "每项自带后缀、共用前缀",
        input: "1.甲。（牵头单位：市建委、国土房管局、规划局）\n2.乙。（牵头单位：市委组织部、宣传部）\n",
        tasks: &[("1", "市建委 市国土房管局 市规划局", ""), ("2", "市委组织部 市委宣传部", "")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "不借前缀的名称",
        input: "1.甲。（牵头单位：市发改委；责任单位：市财政局、南沙区政府、市规划局）\n",
        tasks: &[("1", "市发改委", "市财政局 南沙区政府 市规划局")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "共用后缀：街道办事处",
        input: "1.甲。（牵头单位：甲、乙街道办事处）\n",
        tasks: &[("1", "甲街道办事处 乙街道办事处", "")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "列表末尾的“等”",
        input: "1.甲。（牵头单位：市发改委；责任单位：市财政局、市规划局等）\n",
        tasks: &[("1", "市发改委", "市财政局 市规划局")],
        errors: &[],
        warnings: &["单位列表里有“等”"],
    },
    Case {
        name: "括号内的顿号不拆",
        input: "1.甲。（牵头单位：市发改委；责任单位：市财政局，各县（市、区）政府）\n",
        tasks: &[("1", "市发改委", "市财政局 各县（市、区）政府")],
        errors: &[],
        warnings: &[],
    },
    Case {
        name: "粘进正文的页码与发布日期",
        input: "1.加快推进\n— 3 —\n发布日期：2023-02-07\n3.6公里甲项目建设。（牵头单位：市发改委）\n",
        tasks: &[("1", "市发改委", "")],
        errors: &[],
        warnings: &["忽略页面元素“— 3 —”", "忽略页面元素“发布日期"],
    },
    Case {
        name: "文档在任务中途结束",
        input: "1.甲。（牵头单位：市发改委）\n2.加快推进乙项目\n",
        tasks: &[("1", "市发改委", ""), ("2", "", "")],
        errors: &["文档在第2项任务中途结束"],
        warnings: &[],
    },
    Case {
        name: "文档停在单位括注中间",
        input: "1.甲。（牵头单位：市发改委）\n2.乙。（牵头单位：市建委；责任",
        tasks: &[("1", "市发改委", ""), ("2", "", "")],
        errors: &["文档在第2项任务中途结束"],
        warnings: &[],
    },
    Case {
        name: "无法解析的括注",
        input: "1.甲。（牵头单位市发改委）\n",
        tasks: &[("1", "", "")],
        errors: &["第1项任务末尾的括注“牵头单位市发改委”无法解析为单位括注"],
        warnings: &[],
    },
    Case {
        name: "没有牵头单位",
        input: "1.甲。（责任单位：市财政局）\n",
        tasks: &[("1", "", "市财政局")],
        errors: &["第1项任务没有牵头单位"],
        warnings: &[],
    },
    Case {
        name: "编号重复与跳号",
        input: "1.甲。（牵头单位：市发改委）\n3.乙。（牵头单位：市建委）\n3.丙。（牵头单位：市建委）\n",
        tasks: &[("1", "市发改委", ""), ("3", "市建委", ""), ("3", "市建委", "")],
        errors: &["编号跳过了 2–2", "第3项任务编号重复", "任务编号 3 重复出现"],
        warnings: &[],
    },
    Case {
        name: "未登记单位给出近似名",
        input: "1.甲。（牵头单位：市发改局）\n",
        tasks: &[("1", "市发改局", "")],
        errors: &[],
        warnings: &["t.txt:1:11：未登记的单位“市发改局”，已按原文保留\n  提示：你是不是要找：市发改委？"],
    },
    Case {
        name: "不是单位角色的栏目",
        input: "1.甲。（牵头单位：市发改委；完成时限：2023年底）\n",
        tasks: &[("1", "市发改委", "")],
        errors: &[],
        warnings: &["“完成时限”不是任务的单位角色，其后的“2023年底”未计入"],
    },
    Case {
        name: "括注后多出的文字",
        input: "1.甲。（牵头单位：市发改委）\n这是一段无处归属的文字\n",
        tasks: &[("1", "市发改委", "")],
        errors: &[],
        warnings: &["单位括注之后还有文字“这是一段无处归属的文字”"],
    },
    Case {
        name: "部分、声明总数与其他部分",
        input: "一、重点工作（共2项）\n1.甲。（牵头单位：市发改委）\n二、其他工作\n1.乙。（责任单位：各街道办事处）\n附表1\n1.附表里的行\n",
        tasks: &[("1", "市发改委", ""), ("二.1", "", "各街道办事处")],
        errors: &["声明共 2 项，实际解析出 1 项"],
        warnings: &[],
    },
];

#[test]
fn variants_table() {
    for c in CASES {
        let (cat, d) = run(c.input);
        let got: Vec<(String, String, String)> = cat
            .tasks
            .iter()
            .map(|t| {
                (
                    t.id.clone(),
                    names(&t.leads).join(" "),
                    names(&t.responsible).join(" "),
                )
            })
            .collect();
        let want: Vec<(String, String, String)> = c
            .tasks
            .iter()
            .map(|(a, b, e)| (a.to_string(), b.to_string(), e.to_string()))
            .collect();
        let all: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
        assert_eq!(got, want, "用例“{}”：{all:#?}", c.name);
        for (sev, list) in [(Severity::Error, c.errors), (Severity::Warning, c.warnings)] {
            let of: Vec<String> = d
                .sorted()
                .iter()
                .filter(|x| x.severity == sev)
                .map(|x| x.to_string())
                .collect();
            assert_eq!(of.len(), list.len(), "用例“{}”：{all:#?}", c.name);
            for w in list {
                assert!(
                    of.iter().any(|m| m.contains(w)),
                    "用例“{}”缺“{w}”：{all:#?}",
                    c.name
                );
            }
        }
        // 每条诊断都有位置和提示。
        for x in d.iter() {
            assert!(x.line > 0 && x.hint.is_some(), "用例“{}”：{x}", c.name);
        }
    }
}

#[test]
fn text_joined_across_lines_and_furniture() {
    let (cat, _) = run("1.加快推进\n— 3 —\n3.6公里甲项目建设。（牵头单位：市发改委）\n");
    assert_eq!(cat.tasks[0].text, "加快推进3.6公里甲项目建设。");
}

#[test]
fn groups_without_and_with_two_overall_leads() {
    let (cat, d) = run("（一）产业\n——甲组（总牵头单位：市发改委、市建委）\n1.甲。（牵头单位：市发改委）\n——乙组\n2.乙。（牵头单位：市建委）\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(cat.groups.len(), 2);
    assert_eq!(names(&cat.groups[0].overall_leads), ["市发改委", "市建委"]);
    assert_eq!(cat.groups[1].title, "乙组");
    assert!(cat.overall_leads(&cat.tasks[1]).is_empty());
    assert_eq!(cat.tasks[1].group, Some(1));
    assert_eq!(cat.tasks[1].chapter, Some(0));
}

#[test]
fn diagnostics_reported_once() {
    let (_, d) = run("1.甲。（牵头单位：市发改局）\n");
    assert_eq!(d.len(), 1);
}

// ---------------------------------------------------------------- 性质测试

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// 任意输入都不 panic。
    #[test]
    fn never_panics(s in "\\PC{0,200}", t in "[0-9.、（）()【】:：;；,，—\\-牵头责任单位市发改委局等\n ]{0,120}") {
        let reg = fixture_registry();
        let _ = parse(&s, "p.txt", &reg);
        let _ = parse(&t, "p.txt", &reg);
        let _ = parse(&format!("{s}\n{t}"), "p.txt", &reg);
    }

    /// 任务正文一个字都不丢：正文任意（不含换行），后接单位括注。
    #[test]
    fn task_text_is_kept(body in "[^\\r\\n\\u{2028}\\u{2029}\\u{85}\\u{b}\\u{c}]{1,80}") {
        let reg = fixture_registry();
        let input = format!("1.{body}（牵头单位：市发改委）\n");
        let (cat, _) = parse(&input, "p.txt", &reg);
        prop_assume!(!body.trim().is_empty());
        // 正文本身若以单位括注结尾，会被当作括注；此外必须原样保留。
        prop_assert_eq!(cat.tasks.len(), 1);
        prop_assert_eq!(cat.tasks[0].text.as_str(), body.trim());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// 折成多行的任务正文拼回后一字不差。
    #[test]
    fn wrapped_text_is_kept(parts in proptest::collection::vec("甲[\u{4e00}-\u{9fa5}，。、“”]{0,20}", 1..5)) {
        let reg = fixture_registry();
        let input = format!("1.{}（牵头单位：市发改委）\n", parts.join("\n"));
        let (cat, d) = parse(&input, "p.txt", &reg);
        prop_assert_eq!(cat.tasks.len(), 1);
        prop_assert_eq!(cat.tasks[0].text.clone(), parts.concat());
        prop_assert!(d.is_empty());
    }

    /// 单位列表不丢项：展开后的项数等于原文按分隔符切出的非空项数，未登记项原样保留。
    #[test]
    fn unit_lists_keep_every_item(items in proptest::collection::vec("(市发改委|市财政局|外事局|乙街道办事处|[\u{4e00}-\u{9fa5}]{1,6})", 1..8),
                                  seps in proptest::collection::vec("[、，,；]", 8)) {
        let reg = fixture_registry();
        let mut list = String::new();
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                list.push_str(&seps[i]);
            }
            list.push_str(it);
        }
        let input = format!("1.甲。（牵头单位：市发改委；责任单位：{list}）\n");
        let (cat, _) = parse(&input, "p.txt", &reg);
        prop_assert_eq!(cat.tasks.len(), 1);
        let resp = &cat.tasks[0].responsible;
        let mut want = items.clone();
        // 末项以“等”结尾时“等”被当作省略号去掉。
        if let Some(last) = want.last_mut() {
            for tail in ["等单位", "等部门", "等"] {
                if last.len() > tail.len() && last.ends_with(tail) {
                    last.truncate(last.len() - tail.len());
                    break;
                }
            }
        }
        prop_assert_eq!(resp.len(), want.len());
        for (u, w) in resp.iter().zip(&want) {
            // 规范名包含原写法的每个字（借前后缀只会加字），或就是原写法。
            prop_assert!(w.chars().all(|c| u.name.contains(c)), "{} ← {}", u.name, w);
        }
    }
}

// ---------------------------------------------------------------- 命令行

use crate::support::duban;

#[test]
fn cli_check_on_shipped_content() {
    let out = duban(&["check"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("任务 139 项（重点工作 135 项，其他 4 项），任务组 23 个，单位 68 个，"),
        "{stdout}"
    );
    // check 也校验报送数据和分工：自带的 3 份示例报送无误（但报告未使用）；登记册中没有列出成员的
    // 群体短语各报一条警告。
    assert!(
        stdout.contains("报送文件 3 份，错误 0 条，警告 5 条"),
        "{stdout}"
    );
    assert!(stderr.contains("示例报送数据未使用："), "{stderr}");
    assert_eq!(
        stderr.matches("在单位登记册中没有列出成员").count(),
        4,
        "{stderr}"
    );
    assert!(stderr.contains("“区安委会各成员单位”"), "{stderr}");
}

#[test]
fn cli_catalogue_json_schema() {
    let out = duban(&["catalogue", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["title"],
        "2023年区《政府工作报告》主要目标任务责任分解方案"
    );
    let tasks = v["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 139);
    let t = &tasks[70];
    assert_eq!(t["id"], "71");
    assert_eq!(t["number"], 71);
    assert_eq!(t["group"], "全面推进乡村振兴");
    assert!(t["chapter"].as_str().unwrap().starts_with("坚持把协调作为"));
    assert_eq!(t["overall_leads"], serde_json::json!(["区农业农村局"]));
    assert_eq!(t["leads"], serde_json::json!(["区农业农村局"]));
    assert_eq!(
        t["responsible"],
        serde_json::json!(["区自然资源和规划局", "各相关街道办事处"])
    );
    assert_eq!(t["text"], "启动农田宜机化改造试点。");
    assert_eq!(t["line"], 97);
    assert_eq!(tasks[135]["id"], "三.1");
    assert_eq!(tasks[135]["group"], serde_json::Value::Null);
}

#[test]
fn cli_catalogue_prints_despite_errors_and_toml_table() {
    let dir = std::env::temp_dir().join(format!("duban-cat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let notice = dir.join("n.txt");
    std::fs::write(
        &notice,
        "1.甲。（牵头单位：区发改局）\n2.乙。（责任单位：区财政局）\n",
    )
    .unwrap();
    let out = duban(&[
        "catalogue",
        "--notice",
        notice.to_str().unwrap(),
        "--format",
        "toml",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("n.txt:2:1：第2项任务没有牵头单位"),
        "{stderr}"
    );
    let v: toml::Value = toml::from_str(&stdout).unwrap();
    assert_eq!(v["tasks"][1]["responsible"][0].as_str(), Some("区财政局"));
    let out = duban(&["catalogue", "--notice", notice.to_str().unwrap()]);
    let table = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.trim_start().starts_with(['1', '2']))
        .collect();
    assert_eq!(rows.len(), 2, "{table}");
    // 中文按 2 列宽对齐：两行“任务”列起点的显示宽度相同。
    let w = |s: &str| duban::cmd::units::width(s);
    let col = |l: &str| w(&l[..l.find(['甲', '乙']).unwrap()]);
    assert_eq!(col(rows[0]), col(rows[1]), "{table}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cli_units_counts() {
    let out = duban(&["units", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = |n: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == n)
            .cloned()
            .unwrap()
    };
    // 区人武部：牵头 105、127；都在无总牵头的组里。
    let r = row("区人武部");
    assert_eq!(
        (
            r["overall_leads"].as_u64(),
            r["leads"].as_u64(),
            r["responsible"].as_u64()
        ),
        (Some(0), Some(2), Some(0))
    );
    // 人民银行江夏支行只在 43 项担任责任单位。
    let r = row("人民银行江夏支行");
    assert_eq!(
        (r["leads"].as_u64(), r["responsible"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(r["kind"], "其他");
    // 区委政法委：总牵头“提升社会治理效能”6 项，牵头 135，责任 121。
    let r = row("区委政法委");
    assert_eq!(
        (
            r["overall_leads"].as_u64(),
            r["leads"].as_u64(),
            r["responsible"].as_u64()
        ),
        (Some(6), Some(1), Some(1))
    );
    let table = String::from_utf8(duban(&["units"]).stdout).unwrap();
    assert!(table.lines().next().unwrap().starts_with("单位"), "{table}");
    assert!(table.contains("金水办事处"));
}

#[test]
fn registry_error_in_project_is_reported_with_line() {
    let dir = std::env::temp_dir().join(format!("duban-reg-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("duban.toml"), "").unwrap();
    std::fs::write(
        dir.join("content/units.toml"),
        "[[unit]]\nname = \"区发改局\"\nkind = \"局\"\n",
    )
    .unwrap();
    std::fs::copy(
        root().join("content/notice.txt"),
        dir.join("content/notice.txt"),
    )
    .unwrap();
    let out = duban(&["-c", dir.join("duban.toml").to_str().unwrap(), "check"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("错误：") && stderr.contains("units.toml:3:8：单位登记册格式有误"),
        "{stderr}"
    );
    // 登记册有错时停在登记册：不拿残缺的登记册去解析通知（否则每个单位都成了“未登记”）。
    assert!(!stderr.contains("未登记"), "{stderr}");
    assert!(
        stdout.contains("未能完成检查") && stdout.contains("错误 1 条"),
        "{stdout}"
    );
    let missing = duban(&["-c", dir.join("nope.toml").to_str().unwrap(), "check"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8(missing.stderr)
        .unwrap()
        .contains("nope.toml"));
    std::fs::remove_dir_all(&dir).ok();
    let _ = Path::new("");
}

/// 全部 139 项的单位展开快照（人工逐项对照过通知原文）；任何解析改动引起的变化都会在这里显形。
#[test]
fn shipped_catalogue_snapshot() {
    let cat = &shipped().catalogue;
    let mut s = String::new();
    for t in &cat.tasks {
        s.push_str(&format!(
            "{} | {} | {} | {}\n",
            t.id,
            names(cat.overall_leads(t)).join("、"),
            names(&t.leads).join("、"),
            names(&t.responsible).join("、")
        ));
    }
    insta::assert_snapshot!("shipped_units", s);
}
