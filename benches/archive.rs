//! 季度归档基准（std::time，无 criterion）：`cargo bench --bench archive`。
//!
//! 随附的全区项目（真实通知、68 个单位）复制到临时目录，按 2023Q2 出全部分发材料（含打印合订本与
//! Word 副本）；把下发的全部 XLSX 原样当作报回件导入（全部退回：原件、退回说明 PDF、标注表都进包，
//! 是报回件最多的情形）；7 月 25 日催报。然后计时整条命令 `duban archive 2023Q2 --force`
//! （加载项目、字体，现做汇总表与督办情况，读全部文件、算 SHA-256、写 zip）与 `duban archive verify`。
//! 目标：归档远低于 1 秒。日期全部由命令行给出，不读时钟。

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn duban(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_duban"))
        .arg("-c")
        .arg(dir.join("duban.toml"))
        .args(args)
        .output()
        .expect("运行 duban");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "duban {args:?}：{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

fn setup() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("duban-bench-archive-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(root.join("duban.toml"), dir.join("duban.toml")).unwrap();
    for f in ["notice.txt", "units.toml", "submissions"] {
        let src = root.join("content").join(f);
        if src.is_dir() {
            copy_dir(&src, &dir.join("content").join(f));
        } else {
            std::fs::create_dir_all(dir.join("content")).unwrap();
            std::fs::copy(&src, dir.join("content").join(f)).unwrap();
        }
    }
    let t = Instant::now();
    duban(
        &dir,
        &["build", "--quarter", "2023Q2", "--today", "2023-07-01"],
    );
    let out = dir.join("out");
    let xlsx: Vec<String> = walkdir::WalkDir::new(&out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "xlsx"))
        .filter(|e| !e.path().starts_with(out.join("00-责任分解总表.xlsx")))
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["ingest", "--received", "2023-07-18"];
    args.extend(xlsx.iter().map(String::as_str));
    duban(&dir, &args);
    duban(&dir, &["remind", "--as-of", "2023-07-25"]);
    println!(
        "准备（build、导入 {} 份报回、催报）用时 {:.1} 秒",
        xlsx.len(),
        t.elapsed().as_secs_f64()
    );
    dir
}

fn stats(v: &mut [Duration]) -> (f64, f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[v.len() / 2]), ms(v[0]), ms(v[v.len() - 1]))
}

fn main() {
    let dir = setup();
    let zip = dir.join("归档.zip");
    let z = zip.to_str().unwrap().to_string();
    let runs = 10;
    let mut archive = Vec::new();
    let mut verify = Vec::new();
    let mut first: Option<Vec<u8>> = None;
    for _ in 0..runs {
        let t = Instant::now();
        duban(
            &dir,
            &[
                "archive",
                "2023Q2",
                "--as-of",
                "2023-08-01",
                "--out",
                &z,
                "--force",
            ],
        );
        archive.push(t.elapsed());
        let bytes = std::fs::read(&zip).unwrap();
        match &first {
            None => first = Some(bytes),
            Some(f) => assert!(*f == bytes, "两次归档的字节不同"),
        }
        let t = Instant::now();
        let v = duban(&dir, &["archive", "verify", &z]);
        verify.push(t.elapsed());
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    }
    let size = first.map(|b| b.len()).unwrap_or(0);
    let v = duban(&dir, &["archive", "verify", &z]);
    println!(
        "包 {:.1} MB；{}",
        size as f64 / 1e6,
        String::from_utf8_lossy(&v.stdout)
            .lines()
            .last()
            .unwrap_or("")
    );
    for (name, v) in [("archive", &mut archive), ("verify", &mut verify)] {
        let (median, best, worst) = stats(v);
        println!("{name:<8} 中位 {median:>7.1} ms  最快 {best:>7.1} ms  最慢 {worst:>7.1} ms（{runs} 轮，整条命令）");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
