//! `duban remind`：只给有逾期或即将到期、尚未报齐材料的单位出催报通知；督办编号记在催办登记里，
//! 重跑不重新编号；通知上有联系人、电话、原期限与新期限；合并打印 PDF 与催办登记簿 XLSX。

use crate::support::{self, pdftotext, squash};
use calamine::{open_workbook, Reader, Xlsx};
use std::path::{Path, PathBuf};

/// 临时项目：通知与登记册用 status 夹具借的 build 夹具（绝对路径），报送数据复制一份（测试要改它），
/// 催办登记写在临时目录里。返回（配置路径, 输出目录）。
fn project(name: &str, extra: &str) -> (PathBuf, PathBuf) {
    let dir = support::temp_dir(name);
    let subs = dir.join("submissions");
    std::fs::create_dir_all(&subs).unwrap();
    for e in std::fs::read_dir(support::fixture("status/submissions")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, subs.join(p.file_name().unwrap())).unwrap();
    }
    let fixture = support::fixture("status/duban.toml");
    let base = std::fs::read_to_string(&fixture).unwrap();
    let build = support::fixture("build/content");
    let text =
        base.replace(
            "\"../build/content/notice.txt\"",
            &format!("{:?}", build.join("notice.txt")),
        )
        .replace(
            "\"../build/content/units.toml\"",
            &format!("{:?}", build.join("units.toml")),
        ) + extra;
    let cfg = dir.join("duban.toml");
    std::fs::write(&cfg, text).unwrap();
    (cfg, dir.join("out"))
}

fn remind(cfg: &Path, out: &Path, args: &[&str]) -> (String, String) {
    let mut all = vec![
        "-c",
        cfg.to_str().unwrap(),
        "remind",
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let o = support::duban(&all);
    let (so, se) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert_eq!(o.status.code(), Some(0), "{so}\n{se}");
    (so, se)
}

/// 某天目录下的通知文件名（不含合并打印）。
fn letters(out: &Path, day: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out.join("催报通知").join(day))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-催报通知.pdf"))
        .collect();
    v.sort();
    v
}

fn pages(p: &Path) -> usize {
    let o = std::process::Command::new("pdfinfo")
        .arg(p)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    s.lines()
        .find(|l| l.starts_with("Pages:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn letters_only_for_units_that_owe_and_numbers_are_stable() {
    let (cfg, out) = project("remind-stable", "");
    let ledger = cfg.parent().unwrap().join("content/催办登记.toml");
    // 3月10日：区财政局（附表2 逾期报送，已报齐）不催；其余单位都有逾期未报的。
    let (so, _) = remind(&cfg, &out, &["--as-of", "2023-03-10"]);
    let names = letters(&out, "2023-03-10");
    assert_eq!(names.len(), 7, "{names:?}\n{so}");
    assert!(!names.iter().any(|n| n.contains("区财政局")), "{names:?}");
    assert_eq!(names[0], "001-区发改局-催报通知.pdf");
    assert!(so.contains("测督〔2023〕1号（新编）  区发改局"), "{so}");
    let first = std::fs::read(&ledger).unwrap();
    let bytes: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(out.join("催报通知/2023-03-10").join(n)).unwrap())
        .collect();
    // 重跑：同样的编号、同样的登记、同样的文件字节。
    let (so, _) = remind(&cfg, &out, &["--as-of", "2023-03-10"]);
    assert!(so.contains("新编号 0，沿用 7，作废 0"), "{so}");
    assert_eq!(std::fs::read(&ledger).unwrap(), first);
    assert_eq!(letters(&out, "2023-03-10"), names);
    for (n, b) in names.iter().zip(&bytes) {
        assert_eq!(
            &std::fs::read(out.join("催报通知/2023-03-10").join(n)).unwrap(),
            b,
            "{n}"
        );
    }
    // 郑店街道办事处补报了附表2：同一天重跑时它的编号作废（不收回），旧通知删除，别家编号不变。
    let subs = cfg.parent().unwrap().join("submissions");
    std::fs::write(
        subs.join("郑店-工作人员名单.toml"),
        "unit = \"郑店街道办事处\"\nform = \"工作人员名单\"\nreceived = \"2023-03-09\"\n[leader]\nname = \"甲\"\n[office_head]\nname = \"乙\"\n[clerk]\nname = \"丙\"\n",
    )
    .unwrap();
    let (so, _) = remind(&cfg, &out, &["--as-of", "2023-03-10"]);
    assert!(so.contains("郑店街道办事处  作废（已不需催报）"), "{so}");
    let after = letters(&out, "2023-03-10");
    assert_eq!(after.len(), 6);
    assert!(!after.iter().any(|n| n.contains("郑店")));
    // 作废的通知连同 Word 副本一起删；其余每份 PDF 旁都有 Word 副本。
    let docx: Vec<String> = std::fs::read_dir(out.join("催报通知/2023-03-10"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".docx"))
        .collect();
    assert_eq!(docx.len(), 6, "{docx:?}");
    assert!(!docx.iter().any(|n| n.contains("郑店")), "{docx:?}");
    assert_eq!(after[0], names[0]);
    // 另一天：接着编，不沿用别天的编号。
    let (so, _) = remind(&cfg, &out, &["--as-of", "2023-03-20"]);
    assert!(so.contains("测督〔2023〕8号（新编）  区发改局"), "{so}");
    // 试运行：不写文件、不占编号。
    let before = std::fs::read(&ledger).unwrap();
    let (so, _) = remind(&cfg, &out, &["--as-of", "2023-03-25", "--dry-run"]);
    assert!(
        so.contains("测督〔2023〕14号（新编）") && so.contains("试运行"),
        "{so}"
    );
    assert_eq!(std::fs::read(&ledger).unwrap(), before);
    assert!(!out.join("催报通知/2023-03-25").exists());
}

#[test]
fn letter_register_and_combined_print() {
    let (cfg, out) = project("remind-letter", "");
    let (_, err) = remind(&cfg, &out, &["--as-of", "2023-02-24"]);
    assert!(
        err.starts_with("日期：2023年2月24日（来自 --as-of）"),
        "{err}"
    );
    assert!(!err.contains("没有写全联系人"), "{err}");
    let day = out.join("催报通知/2023-02-24");
    let names = letters(&out, "2023-02-24");
    // 区住建局：附表2 逾期 8 天；与区发改局共同总牵头的总体办理方案只报了任务 3——部分报送，
    // 尚缺第4项（写在表后，不挤进状态格）；不要求向共同总牵头的区发改局报办理方案。
    let zj = names.iter().find(|n| n.contains("区住建局")).unwrap();
    let t = squash(&pdftotext(&day.join(zj), &["-raw"]));
    assert!(t.starts_with("催报通知督办编号：测督〔2023〕"), "{t}");
    for want in [
        "区住建局：",
        "截至2023年2月24日",
        "督办工作人员名单（附表2），报区人民政府办公室2月15日未报送（逾期9天）3月1日",
        "部分报送（逾期1天）3月1日",
        "总体办理方案（其中“主动融入武汉都市圈”组与区发改局共同制定、联合报送）尚缺第4项。",
        "联系人：王某某，联系电话：027-87654321。",
        "zfducha@163.com",
        "测试区人民政府办公室2023年2月24日",
    ] {
        assert!(t.contains(want), "缺“{want}”：{t}");
    }
    assert!(!t.contains("报总牵头单位"), "{t}");
    // Word 副本：同一份通知（编号、单位、联系人都在）。
    let docx = day.join(zj.replace(".pdf", ".docx"));
    let mut z = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let words: String = xml
        .split('<')
        .filter_map(|p| p.split_once('>'))
        .map(|(_, t)| t)
        .collect();
    for want in ["测督〔2023〕", "区住建局：", "联系人：王某某"] {
        assert!(words.contains(want), "Word 副本缺“{want}”：{words}");
    }
    // 合并打印：各份另起一页，页数之和。
    let total: usize = names.iter().map(|n| pages(&day.join(n))).sum();
    assert_eq!(pages(&day.join("00-合并打印.pdf")), total);
    // 催办登记簿：每份通知每项材料一行，编号、原期限、新期限、现状。
    let mut wb: Xlsx<_> = open_workbook(out.join("催报通知/催办登记簿.xlsx")).unwrap();
    let r = wb.worksheet_range("催办登记簿").unwrap();
    let rows: Vec<Vec<String>> = r
        .rows()
        .map(|x| x.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[1][..4], ["督办编号", "催办日期", "单位", "催办事项"]);
    let zj_rows: Vec<&Vec<String>> = rows.iter().filter(|r| r[2] == "区住建局").collect();
    assert_eq!(zj_rows.len(), 2);
    assert_eq!(
        zj_rows[0][5..8],
        ["2023-02-15", "2023-03-01", "未报送（逾期9天）"]
    );
    assert_eq!(zj_rows[0][8], "未报送（逾期9天）", "现状截至本次");
    // 没有联系人时提醒。
    let (cfg, out) = project("remind-nocontact", "");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("contact = \"王某某\"\n", "");
    std::fs::write(&cfg, text).unwrap();
    let (_, err) = remind(&cfg, &out, &["--as-of", "2023-02-24", "--unit", "区住建局"]);
    assert!(err.contains("没有写全联系人 contact 与电话 phone"), "{err}");
    assert_eq!(letters(&out, "2023-02-24").len(), 1);
}

/// 随附的真实通知（68 个单位），示例数据算作报送时：区商务局的办理方案只报了第4项——通知写明尚缺哪几项；
/// 共同总牵头单位之间不互相催办理方案；编号从 1 连续编到 68。
#[test]
fn shipped_project_partial_plan_and_joint_leads() {
    let dir = support::temp_dir("remind-shipped");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("duban.toml"))
        .unwrap()
        .replace("\"content/", &format!("\"{}/content/", root.display()))
        .replace("count_samples = false", "count_samples = true")
        .replace(
            &format!("\"{}/content/催办登记.toml\"", root.display()),
            "\"content/催办登记.toml\"",
        );
    let cfg = dir.join("duban.toml");
    std::fs::write(&cfg, text).unwrap();
    let out = dir.join("out");
    let (so, _) = remind(&cfg, &out, &["--as-of", "2023-02-16"]);
    assert!(so.contains("督办〔2023〕68号"), "{so}");
    let names = letters(&out, "2023-02-16");
    assert_eq!(names.len(), 68);
    let sw = names.iter().find(|n| n.contains("-区商务局-")).unwrap();
    let day = out.join("催报通知/2023-02-16");
    let t = squash(&pdftotext(&day.join(sw), &["-raw"]));
    assert!(t.contains("部分报送（逾期1天）"), "{t}");
    assert!(t.contains("办理方案（附表1）尚缺第6、20、24项。"), "{t}");
    assert_eq!(pages(&day.join(sw)), 1);
    // 两个总牵头单位的组（主动融入武汉都市圈：区发改局、区自然资源和规划局）：互不催报办理方案。
    for (unit, other) in [
        ("区发改局", "区自然资源和规划局"),
        ("区自然资源和规划局", "区发改局"),
    ] {
        let n = names
            .iter()
            .find(|n| n.contains(&format!("-{unit}-")))
            .unwrap();
        let t = squash(&pdftotext(&day.join(n), &["-raw"]));
        assert!(!t.contains(&format!("报总牵头单位{other}")), "{unit}：{t}");
    }
}
