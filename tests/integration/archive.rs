//! `duban archive`：下发 → 报回（ingest）→ 催报 → 归档，包里有原件（逐字节）、汇总表（含报回的文字）、
//! 督办情况、催报通知与清单；verify 通过；改一个字节、删一个条目、加一个条目都被点名；重跑同样的字节；
//! Python zipfile、unzip -t、qpdf --check 这些外部工具也认。

use crate::ingest::{project_dir, run};
use crate::support::{pdftotext, squash, XlsxEdit};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const ROOT: &str = "督办归档-2023Q2/";

fn ok(out: &std::process::Output) -> String {
    let s =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{s}");
    s
}

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// 下发、两家报回（区发改局附表3、区商务局附表2）、7 月 25 日催报、按 Q2 出全部材料，返回项目目录与
/// 报回的原件。
fn cycle(name: &str) -> (PathBuf, Vec<PathBuf>) {
    let dir = project_dir(name, true);
    let d = |s: &str| dir.join(s).to_str().unwrap().to_string();
    ok(&run(&dir, &["build", "--no-pdf", "--out", &d("下发")]));
    let inbox = dir.join("收件");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut q = XlsxEdit::open(&dir.join("下发/区发改局/05-附表3-2023年第二季度完成情况.xlsx"));
    q.set_shared("C5", "示范区创建方案已报市发改委审核")
        .set_str("C6", "已引进项目３个")
        .set_str("C7", "规划衔接方案已报审")
        .set_str("C8", "过江通道完成工可批复");
    let mut c = XlsxEdit::open(&dir.join("下发/区商务局/03-附表2-督办工作人员名单.xlsx"));
    c.set_shared("B4", "张三")
        .set_shared("C4", "副局长")
        .set_shared("B5", "李四")
        .set_shared("B6", "王五");
    // 区发改局的附表1 原样交回（没填）：退回，退回说明也要进包。
    let blank = std::fs::read(dir.join("下发/区发改局/02-附表1-办理方案.xlsx")).unwrap();
    let files = vec![
        inbox.join("发改-附表3.xlsx"),
        inbox.join("商务-附表2.xlsx"),
        inbox.join("发改-附表1.xlsx"),
    ];
    q.save(&files[0]);
    c.save(&files[1]);
    std::fs::write(&files[2], blank).unwrap();
    // 有退回的一批以退出码 1 结束。
    let got = run(&dir, &["ingest", &d("收件"), "--received", "2023-07-18"]);
    assert_eq!(got.status.code(), Some(1), "{}", text(&got));
    assert!(text(&got).contains("已接收 2，退回 1"), "{}", text(&got));
    ok(&run(
        &dir,
        &[
            "build",
            "--quarter",
            "2023Q2",
            "--today",
            "2023-07-01",
            "--out",
            &d("out"),
        ],
    ));
    ok(&run(
        &dir,
        &["remind", "--as-of", "2023-07-25", "--out", &d("out")],
    ));
    (dir, files)
}

fn archive(dir: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let d = dir.join("out");
    let mut args = vec![
        "archive",
        "2023Q2",
        "--as-of",
        "2023-08-01",
        "--from",
        d.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

fn verify(dir: &Path, zip: &Path) -> (bool, String) {
    let o = run(dir, &["archive", "verify", zip.to_str().unwrap()]);
    (o.status.success(), text(&o))
}

fn manifest(zip: &Path) -> serde_json::Value {
    let mut z = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(&format!("{ROOT}manifest.json"))
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    serde_json::from_str(&s).unwrap()
}

/// 把包抄一份，`edit` 决定每个条目：`None` 丢掉，`Some(字节)` 换内容（zip 的 CRC 随之重算）。
/// `add` 另加条目。
fn rewrite(
    src: &Path,
    dst: &Path,
    edit: &dyn Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    add: &[(&str, &[u8])],
) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        if let Some(b) = edit(&name, b) {
            w.start_file(name, o).unwrap();
            w.write_all(&b).unwrap();
        }
    }
    for (name, b) in add {
        w.start_file(*name, o).unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn archive_holds_the_quarter_and_proves_itself() {
    let (dir, originals) = cycle("archive-full");
    let a = dir.join("a.zip");
    let out = ok(&archive(&dir, &a, &[]));
    assert!(out.contains("报回原件 3 份"), "{out}");
    let (good, v) = verify(&dir, &a);
    assert!(good && v.contains("核验通过"), "{v}");

    // 同样的输入，同样的字节（另一个文件名）。
    let b = dir.join("b.zip");
    ok(&archive(&dir, &b, &[]));
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

    // 已有的包不覆盖，--force 才替换。
    let before = std::fs::read(&a).unwrap();
    let again = archive(&dir, &a, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again).contains("已存在，不覆盖"), "{}", text(&again));
    assert_eq!(std::fs::read(&a).unwrap(), before);
    ok(&archive(&dir, &a, &["--force"]));
    assert_eq!(std::fs::read(&a).unwrap(), before);

    let m = manifest(&a);
    let entries = m["entries"].as_array().unwrap();
    let find = |p: &str| {
        entries
            .iter()
            .find(|e| e["path"].as_str().unwrap().starts_with(p))
    };
    assert_eq!(m["quarter"], "2023Q2");
    assert_eq!(m["as_of"], "2023-08-01");
    assert_eq!(m["counts"]["originals"], 3);
    assert_eq!(m["counts"]["accepted"], 2);
    assert!(
        m["counts"]["reminders"].as_u64().unwrap() > 0,
        "{}",
        m["counts"]
    );
    assert_eq!(m["counts"]["reminders"], m["counts"]["reminder_letters"]);
    // 原件逐字节：清单里的 SHA-256 就是收件箱里文件的 SHA-256，内容也一样。
    let mut z = zip::ZipArchive::new(std::fs::File::open(&a).unwrap()).unwrap();
    for f in &originals {
        let bytes = std::fs::read(f).unwrap();
        let sha = duban::output::sha256_hex(&bytes);
        let e = find(&format!("报回件/originals/{sha}")).expect("原件在包里");
        let mut got = Vec::new();
        z.by_name(&format!("{ROOT}{}", e["path"].as_str().unwrap()))
            .unwrap()
            .read_to_end(&mut got)
            .unwrap();
        assert_eq!(got, bytes);
    }
    for p in [
        "报回件/登记簿.toml",
        "报回件/data/",
        "报回件/退回/2023-07-18/区发改局/",
        "催报/催办登记.toml",
        "催报/催报通知/2023-07-25/",
        "督办情况/督办情况-2023-08-01.json",
        "督办情况/督办情况通报-2023-08-01.pdf",
        "分发材料/区发改局/05-附表3-2023年第二季度完成情况.pdf",
        "报送数据/区商务局-办理方案.toml",
        "00-目录.pdf",
    ] {
        assert!(find(p).is_some(), "包里缺 {p}");
    }
    assert!(find("分发材料/打印/").is_none(), "打印合订本不重复归档");
    let letters = |ext: &str| {
        entries
            .iter()
            .filter(|e| {
                let p = e["path"].as_str().unwrap();
                p.starts_with("催报/催报通知/") && p.ends_with(ext)
            })
            .count()
    };
    assert_eq!(
        letters(".pdf") as u64,
        m["counts"]["reminder_letters"].as_u64().unwrap()
    );
    assert_eq!(
        letters(".docx"),
        letters(".pdf"),
        "催报通知的 Word 副本也进包"
    );
    external_checks(&dir, &a);
}

/// 解开包：汇总表有报回的文字，目录列出条目；Python zipfile、unzip -t、qpdf --check 都认。
fn external_checks(dir: &Path, a: &Path) {
    let py = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nbad=[i.filename for i in z.infolist() if not i.filename.isascii() and not i.flag_bits & 0x800]\nassert not bad, bad\nprint(len(z.infolist()))",
            a.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(py.status.success(), "{}", text(&py));
    let n: usize = String::from_utf8_lossy(&py.stdout).trim().parse().unwrap();
    assert_eq!(n, manifest(a)["entries"].as_array().unwrap().len() + 1);
    let t = std::process::Command::new("unzip")
        .arg("-t")
        .arg(a)
        .output()
        .unwrap();
    assert!(t.status.success(), "{}", text(&t));
    let x = dir.join("解开");
    let u = std::process::Command::new("unzip")
        .args(["-q", a.to_str().unwrap(), "-d", x.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(u.status.success(), "{}", text(&u));
    let root = x.join(ROOT.trim_end_matches('/'));
    let report = root.join("汇总表/2023年第二季度《政府工作报告》目标任务完成情况汇总表.pdf");
    assert!(squash(&pdftotext(&report, &[])).contains("示范区创建方案已报市发改委审核"));
    let toc = squash(&pdftotext(&root.join("00-目录.pdf"), &[]));
    assert!(toc.contains("2023年第二季度督办材料归档目录") && toc.contains("manifest.json"));
    let pdfs: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert!(pdfs.len() > 10, "{}", pdfs.len());
    for p in &pdfs {
        let q = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(p)
            .output()
            .unwrap();
        assert!(q.status.success(), "{}: {}", p.display(), text(&q));
    }
}

#[test]
fn verify_names_every_altered_missing_or_extra_entry() {
    let (dir, _) = cycle("archive-tamper");
    let a = dir.join("a.zip");
    ok(&archive(&dir, &a, &[]));
    let victim = "汇总表/2023年第二季度《政府工作报告》目标任务完成情况汇总表.xlsx";

    // 原地改一个字节（不重算 CRC）：读不出或摘要不符，点名该条目。
    let mut bytes = std::fs::read(&a).unwrap();
    let start = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&a).unwrap()).unwrap();
        let f = z.by_name(&format!("{ROOT}{victim}")).unwrap();
        f.data_start().unwrap() as usize + f.compressed_size() as usize / 2
    };
    bytes[start] ^= 0x01;
    let flipped = dir.join("flipped.zip");
    std::fs::write(&flipped, &bytes).unwrap();
    let (good, v) = verify(&dir, &flipped);
    assert!(!good && v.contains(victim), "{v}");

    // 改内容并重算 CRC（zip 自己看不出）：SHA-256 不符。
    let edited = dir.join("edited.zip");
    rewrite(
        &a,
        &edited,
        &|n, mut b| {
            if n.ends_with("督办情况-2023-08-01.json") {
                b[10] ^= 0x20;
            }
            Some(b)
        },
        &[],
    );
    let (good, v) = verify(&dir, &edited);
    assert!(
        !good && v.contains("督办情况/督办情况-2023-08-01.json：内容被改动"),
        "{v}"
    );

    // 删掉一个、加一个。
    let removed = dir.join("removed.zip");
    rewrite(
        &a,
        &removed,
        &|n, b| (!n.ends_with(victim)).then_some(b),
        &[],
    );
    let (good, v) = verify(&dir, &removed);
    assert!(!good && v.contains(&format!("{victim}：缺少条目")), "{v}");
    let added = dir.join("added.zip");
    rewrite(
        &a,
        &added,
        &|_, b| Some(b),
        &[(&format!("{ROOT}补充说明.txt"), b"x")],
    );
    let (good, v) = verify(&dir, &added);
    assert!(!good && v.contains("补充说明.txt：多出的条目"), "{v}");

    // PDF 去掉 PDF/A 标识：既与清单不符，也点名缺标识。
    let toc = "00-目录.pdf";
    let no_pdfa = dir.join("no-pdfa.zip");
    rewrite(
        &a,
        &no_pdfa,
        &|n, b| {
            if !n.ends_with(toc) {
                return Some(b);
            }
            let s = String::from_utf8_lossy(&b).replace("pdfaid:part", "pdfaid:xxxx");
            Some(s.into_bytes())
        },
        &[],
    );
    let (good, v) = verify(&dir, &no_pdfa);
    assert!(
        !good && v.contains(&format!("{toc}：没有 PDF/A 标识")),
        "{v}"
    );

    // 不是 zip 的文件。
    let not_zip = dir.join("not.zip");
    std::fs::write(&not_zip, b"hello").unwrap();
    let o = run(&dir, &["archive", "verify", not_zip.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("不是完好的 zip 包"), "{}", text(&o));
}

#[test]
fn archive_refuses_packets_of_another_quarter() {
    let dir = project_dir("archive-q", false);
    let out = dir.join("out");
    ok(&run(
        &dir,
        &[
            "build",
            "--no-pdf",
            "--quarter",
            "2023Q3",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let o = archive(&dir, &dir.join("x.zip"), &[]);
    assert_eq!(o.status.code(), Some(2));
    let t = text(&o);
    assert!(
        t.contains("不是 2023年第二季度 的") && t.contains("duban build --quarter 2023Q2"),
        "{t}"
    );
    assert!(!dir.join("x.zip").exists());
    // 不是需报季度。
    let o = run(
        &dir,
        &[
            "archive",
            "2023Q1",
            "--out",
            dir.join("y.zip").to_str().unwrap(),
        ],
    );
    assert!(text(&o).contains("不是需报完成情况的季度"), "{}", text(&o));
}
