//! 结构检查与登记册错误（issue 8 中属于任务目录与登记册的部分）：读不出总牵头单位的任务组标题、
//! 整章的任务组丢了总牵头单位、章内第一个任务组之前的任务、0 项任务、五位数的任务编号，
//! 以及写错的 units.toml 不会变成空登记册。

use crate::support::{duban, fixture, temp_dir};
use duban::catalogue::parse;
use duban::diag::Severity;
use duban::registry::Registry;

fn shipped_registry() -> Registry {
    let text = std::fs::read_to_string(fixture("../../content/units.toml")).unwrap();
    Registry::parse(&text, "units.toml").0
}

fn shipped_text() -> String {
    std::fs::read_to_string(fixture("../../content/notice.txt")).unwrap()
}

/// 解析改过的随附通知，返回全部错误（字符串）。
fn errors_of(text: &str) -> Vec<String> {
    let (_, d) = parse(text, "n.txt", &shipped_registry());
    d.sorted()
        .iter()
        .filter(|x| x.severity == Severity::Error)
        .map(|x| x.to_string())
        .collect()
}

struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    /// 期望的错误（片段，含行号）；空表示没有错误。
    errors: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "任务组标题丢了右括号",
        from: "——推动主导产业强链集群(总牵头单位:区发改局)",
        to: "——推动主导产业强链集群(总牵头单位:区发改局",
        errors: &["n.txt:12:13：任务组标题的括注“(总牵头单位:区发改局”缺少右括号，读不出总牵头单位\n  提示：任务组标题应写成"],
    },
    Case {
        name: "任务组标题括注写坏（少了冒号）",
        from: "——推动主导产业强链集群(总牵头单位:区发改局)",
        to: "——推动主导产业强链集群(总牵头单位区发改局)",
        errors: &["n.txt:12:13：任务组标题末尾的“(总牵头单位区发改局)”读不出总牵头单位"],
    },
    Case {
        name: "章内第一个任务组标题被删",
        from: "——推动主导产业强链集群(总牵头单位:区发改局)\n",
        to: "",
        errors: &["n.txt:12:1：第1–11项任务在本章第一个任务组标题之前，不属于任何任务组，没有总牵头单位"],
    },
    Case {
        name: "后面一章的第一个任务组标题被删（任务 50–53）",
        from: "——主动融入武汉都市圈(总牵头单位:区发改局、区自然资源和规划局)\n",
        to: "",
        errors: &["第50–53项任务在本章第一个任务组标题之前"],
    },
    Case {
        name: "三个组的章里一个组丢了括注：看不出来，不报",
        from: "——筑牢绿色安全屏障(总牵头单位:区生态环境分局)\n",
        to: "——筑牢绿色安全屏障\n",
        errors: &[],
    },
    Case {
        name: "写明没有总牵头单位",
        from: "——提高社会保障水平\n",
        to: "——提高社会保障水平（总牵头单位：无）\n",
        errors: &[],
    },
    Case {
        name: "任务组标题缺了“——”：照样读成任务组",
        from: "——推动主导产业强链集群(总牵头单位:区发改局)",
        to: "推动主导产业强链集群(总牵头单位:区发改局)",
        errors: &[],
    },
];

#[test]
fn structure_cases() {
    for c in CASES {
        let text = shipped_text();
        assert!(text.contains(c.from), "{}", c.name);
        let errs = errors_of(&text.replacen(c.from, c.to, 1));
        assert_eq!(errs.len(), c.errors.len(), "用例“{}”：{errs:#?}", c.name);
        for w in c.errors {
            assert!(
                errs.iter().any(|e| e.contains(w)),
                "用例“{}”缺“{w}”：{errs:#?}",
                c.name
            );
        }
    }
}

#[test]
fn chapter_whose_groups_all_lost_their_leads() {
    // 第（四）章的三个任务组都丢了括注：整章没有总牵头单位，而其他章都有。
    let mut text = shipped_text();
    for (from, to) in [
        (
            "——筑牢绿色安全屏障(总牵头单位:区生态环境分局)",
            "——筑牢绿色安全屏障",
        ),
        (
            "——提升绿色发展水平(总牵头单位:区发改局)",
            "——提升绿色发展水平",
        ),
        (
            "——推动绿色价值转化(总牵头单位:区生态环境分局)",
            "——推动绿色价值转化",
        ),
    ] {
        assert!(text.contains(from));
        text = text.replacen(from, to, 1);
    }
    let errs = errors_of(&text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].contains("n.txt:109:1：“（四）”这一章的 3 个任务组都没有总牵头单位"),
        "{errs:#?}"
    );
    let (cat, _) = parse(&shipped_text(), "n.txt", &shipped_registry());
    // 标题缺“——”的任务组照样读出，总牵头单位不丢（上面的用例），并有警告。
    let t = shipped_text().replacen("——推动主导产业强链集群", "推动主导产业强链集群", 1);
    let (cat2, d) = parse(&t, "n.txt", &shipped_registry());
    assert_eq!(cat2.groups, cat.groups);
    assert!(d.iter().any(|x| x.message.contains("开头没有“——”")));
}

#[test]
fn empty_cr_only_and_truncated_notices_are_errors() {
    let reg = shipped_registry();
    for (name, text) in [
        ("空文件", ""),
        ("只有空白", "\n \r\n"),
        ("只有标题", "某某工作方案\n"),
    ] {
        let (cat, d) = parse(text, "n.txt", &reg);
        assert!(cat.tasks.is_empty());
        let e: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
        assert!(
            e.iter()
                .any(|m| m.starts_with("错误：n.txt：通知里没有读出任何任务")),
            "{name}：{e:#?}"
        );
    }
    let cut: String = shipped_text().chars().take(5000).collect();
    assert!(!errors_of(&cut).is_empty());
    // 命令行：check 以 1 退出，不说“错误 0 条”。
    let dir = temp_dir("struct-empty");
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::copy(
        fixture("../../content/units.toml"),
        dir.join("content/units.toml"),
    )
    .unwrap();
    std::fs::write(dir.join("content/notice.txt"), "").unwrap();
    std::fs::write(dir.join("duban.toml"), "").unwrap();
    let out = duban(&["-c", dir.join("duban.toml").to_str().unwrap(), "check"]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("通知里没有读出任何任务"), "{all}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn task_numbers_above_9999() {
    let mut text = String::from("某某工作方案\n二、重点工作（共10001项）\n");
    for i in 1..=10_001 {
        text.push_str(&format!("{i}.第{i}项。（牵头单位：区发改局）\n"));
    }
    let (cat, d) = parse(&text, "n.txt", &shipped_registry());
    assert!(d.is_empty(), "{:?}", d.sorted().first());
    assert_eq!(cat.tasks.len(), 10_001);
    assert_eq!(cat.tasks[10_000].id, "10001");
}

#[test]
fn invalid_registry_entry_is_located_listed_first_and_fatal() {
    let units = std::fs::read_to_string(fixture("../../content/units.toml")).unwrap();
    let bad = units.replacen(
        "name = \"区审计局\"\nkind = \"区直部门\"",
        "name = \"区审计局\"\nkind = \"部门\"",
        1,
    );
    assert_ne!(bad, units);
    let line = bad[..bad.find("kind = \"部门\"").unwrap()].lines().count() + 1;
    // 只丢这一段，其余照常读入；错误带行列。
    let (reg, d) = Registry::parse(&bad, "units.toml");
    assert_eq!(reg.units.len(), 67);
    assert_eq!(d.errors(), 1);
    let e = d.sorted()[0].to_string();
    assert!(
        e.contains(&format!(
            "units.toml:{line}:8：单位登记册格式有误：不认识的取值“部门”"
        )),
        "{e}"
    );
    // 项目里：check 先报登记册（以 1 退出），不去解析通知；catalogue、build 停下（以 2 退出），不生成任何文件。
    let dir = temp_dir("struct-registry");
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("content/units.toml"), &bad).unwrap();
    std::fs::write(dir.join("content/notice.txt"), shipped_text()).unwrap();
    std::fs::write(
        dir.join("duban.toml"),
        "[project]\ntoday = \"2023-02-08\"\n",
    )
    .unwrap();
    let cfg = dir.join("duban.toml");
    let out = duban(&["-c", cfg.to_str().unwrap(), "check"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("错误：") && stderr.contains(&format!("units.toml:{line}:8")),
        "{stderr}"
    );
    assert_eq!(stderr.matches("错误：").count(), 1, "{stderr}");
    assert!(!stderr.contains("未登记"), "{stderr}");
    for cmd in [&["catalogue"][..], &["build", "--no-pdf"][..]] {
        let mut args = vec!["-c", cfg.to_str().unwrap()];
        args.extend_from_slice(cmd);
        let out = duban(&args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd:?}：{stderr}");
        assert!(
            stderr.contains("单位登记册") && stderr.contains("不认识的取值“部门”"),
            "{stderr}"
        );
    }
    assert!(!dir.join("out").exists(), "登记册有错时不生成材料");
    std::fs::remove_dir_all(&dir).ok();
}
