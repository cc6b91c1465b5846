//! 报回件库：现用的一份怎么选、取代、退回未更正的警告、原件缺失、手工录入优先。

use super::*;
use crate::duties::tests::sample;

fn entry(seq: u32, received: &str, unit: &str, result: Outcome) -> Entry {
    Entry {
        seq,
        received: received.into(),
        file: format!("{unit}-{seq}.xlsx"),
        source: String::new(),
        sha256: format!("{seq:064}"),
        size: 3,
        original: format!("originals/{seq:064}.xlsx"),
        unit: unit.into(),
        form: "附表1".into(),
        quarter: String::new(),
        template_version: "duban-forms-2".into(),
        result,
        supersedes: None,
        data: format!("data/{seq:064}.toml"),
        problems: if result == Outcome::Returned {
            vec!["错误 附表1!D5：x（提示：y）".into()]
        } else {
            Vec::new()
        },
        letters: Vec::new(),
    }
}

/// 现用 = 已接收中收到日期最晚的；同日按登记先后；收到日期更早的后来登记也不取代。
#[test]
fn current_is_latest_accepted_by_received_date() {
    let l = Ledger {
        entry: vec![
            entry(1, "2023-02-14", "区商务局", Outcome::Accepted),
            entry(2, "2023-02-16", "区商务局", Outcome::Accepted),
            entry(3, "2023-02-15", "区商务局", Outcome::Accepted),
            entry(4, "2023-02-20", "区商务局", Outcome::Returned),
            entry(5, "2023-02-14", "区发改局", Outcome::Accepted),
            entry(6, "2023-02-14", "区发改局", Outcome::Accepted),
        ],
    };
    let cur: Vec<u32> = l.current().iter().map(|e| e.seq).collect();
    assert_eq!(cur, [2, 6]);
    assert_eq!(l.latest_for(("区商务局", "附表1", "")).unwrap().seq, 4);
    assert_eq!(l.next_seq(), 7);
    let s = summarize(&l);
    assert_eq!(
        s.line(),
        "报回件：收件 6 份（已接收 5，其中现用 2、被取代 3；退回 1；拒收 0）"
    );
    // 登记簿文本经 TOML 读回不变。
    let back: Ledger = toml::from_str(&l.to_text()).unwrap();
    assert_eq!(back, l);
}

/// 一个临时报回件库：第 1 号已接收（数据“报回的内容”），第 2 号退回；原件都在。
fn store(name: &str) -> (std::path::PathBuf, Ledger) {
    let dir = std::env::temp_dir().join(format!("duban-received-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::create_dir_all(dir.join("originals")).unwrap();
    let l = Ledger {
        entry: vec![
            entry(1, "2023-02-14", "区商务局", Outcome::Accepted),
            entry(2, "2023-02-16", "区商务局", Outcome::Returned),
        ],
    };
    for e in &l.entry {
        std::fs::write(dir.join(&e.original), b"abc").unwrap();
    }
    let plan = "unit = \"区商务局\"\nform = \"办理方案\"\nreceived = \"2023-02-14\"\n[[task]]\nid = \"2\"\n[[task.row]]\ncontent = \"报回的内容\"\nmonth = \"5月\"\n";
    std::fs::write(dir.join(&l.entry[0].data), plan).unwrap();
    std::fs::write(dir.join(LEDGER_FILE), l.to_text()).unwrap();
    (dir, l)
}

/// 读库：现用的数据读入并注明来源；退回未更正的警告；手工录入同一张表时优先（规则见模块说明）。
#[test]
fn load_merges_with_hand_entered_data_by_the_stated_rule() {
    let (cat, reg) = sample();
    let (dir, _) = store("merge");
    let (rec, d) = load_received(&dir, "收件库", &reg, &cat).unwrap().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(rec.files.len(), 1);
    assert!(
        rec.files[0]
            .file
            .contains("（报回件“区商务局-1.xlsx”，收件第 1 号）"),
        "{}",
        rec.files[0].file
    );
    assert_eq!(rec.files[0].received.unwrap().to_string(), "2023-02-14");
    let w = d.sorted();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].message, "区商务局 附表1：2023-02-16 收到的一份（第 2 号，区商务局-2.xlsx）已退回（1 个错误），尚未收到更正件；仍使用 2023-02-14 收到的第 1 号");

    // 没有手工录入：报回件入库。
    let mut subs = Submissions::default();
    let mut d = Diagnostics::new();
    merge_received(
        &mut subs,
        Received {
            files: rec.files.clone(),
            summary: rec.summary.clone(),
        },
        &mut d,
    );
    assert_eq!(
        subs.plan_rows("区商务局", "2").unwrap()[0].content,
        "报回的内容"
    );
    assert!(d.is_empty());
    // 有手工录入：手工的优先，报回件不用，警告写在手工文件上。
    let (hand, _) =
        super::super::parse::tests::parse(&super::super::parse::tests::PLAN.replace("13", "12"));
    // 该手工文件标了 sample = true：这里当作真实录入。
    let mut subs = Submissions {
        files: vec![hand.unwrap()],
        count_samples: true,
        ..Default::default()
    };
    let mut d = Diagnostics::new();
    merge_received(&mut subs, rec, &mut d);
    assert_eq!(subs.files.len(), 1);
    assert_eq!(
        subs.plan_rows("区商务局", "2").unwrap()[0].content,
        "制定方案"
    );
    assert_eq!(subs.received.as_ref().unwrap().shadowed, 1);
    let w = d.sorted();
    assert_eq!((w.len(), w[0].file.as_str()), (1, "s.toml"));
    assert!(
        w[0].message
            .starts_with("手工录入优先：区商务局 的附表1另有导入的报回件"),
        "{}",
        w[0].message
    );
}

/// 原件被删、被改，整理数据被删：报错并提示怎么补回；没有库时为 None。
#[test]
fn missing_or_altered_files_are_reported() {
    let (cat, reg) = sample();
    let (dir, l) = store("broken");
    std::fs::remove_file(dir.join(&l.entry[0].original)).unwrap();
    std::fs::write(dir.join(&l.entry[1].original), b"abcd").unwrap();
    let (_, d) = load_received(&dir, "收件库", &reg, &cat).unwrap().unwrap();
    let msgs: Vec<String> = d
        .iter()
        .filter(|x| x.severity == crate::diag::Severity::Error)
        .map(|x| x.message.clone())
        .collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].ends_with("不见了"), "{msgs:?}");
    assert!(
        msgs[1].ends_with("大小与登记的不符（被改动过）"),
        "{msgs:?}"
    );
    std::fs::remove_file(dir.join(&l.entry[0].data)).unwrap();
    let (rec, d) = load_received(&dir, "收件库", &reg, &cat).unwrap().unwrap();
    assert!(rec.files.is_empty());
    assert!(d.iter().any(|x| x
        .hint
        .as_deref()
        .unwrap_or("")
        .starts_with("重新导入原件即可补回：duban ingest 收件库/originals/")));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        load_received(&dir, "收件库", &reg, &cat).unwrap().is_none(),
        "没有库时为 None"
    );
}
