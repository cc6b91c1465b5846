//! 输出目录事务的单元测试：发布、回滚、崩溃后恢复、锁、用户文件与符号链接。

use super::*;

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("duban-output-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn file(rel: &str, unit: &str, bytes: &[u8]) -> OutFile {
    OutFile {
        rel: PathBuf::from(rel),
        bytes: bytes.to_vec(),
        pages: 1,
        unit: unit.into(),
        kind: "文档".into(),
    }
}

/// 目录下全部文件（相对路径 → 内容），不含 duban 的内部文件。
fn listing(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .filter(|(rel, _)| !rel.starts_with(".duban-"))
        .collect();
    v.sort();
    v
}

fn publish(root: &Path, files: &[OutFile]) -> Written {
    let out = OutDir::open(root, "测试").unwrap();
    let tx = out.begin(BUILD).unwrap();
    for f in files {
        tx.add(f).unwrap();
    }
    tx.commit(&Scope::default()).unwrap()
}

#[test]
fn refuses_foreign_dir_and_writes_atomically() {
    let base = temp("foreign");
    std::fs::write(base.join("用户文件.docx"), b"x").unwrap();
    assert!(OutDir::open(&base, "测试").is_err());
    assert_eq!(std::fs::read(base.join("用户文件.docx")).unwrap(), b"x");
    let out = base.join("out");
    prepare_out_dir(&out).unwrap();
    prepare_out_dir(&out).unwrap();
    write_atomic(&out.join("a").join("b.txt"), b"hello").unwrap();
    write_atomic(&out.join("a").join("b.txt"), b"world").unwrap();
    assert_eq!(std::fs::read(out.join("a/b.txt")).unwrap(), b"world");
    let leftovers: Vec<_> = std::fs::read_dir(out.join("a")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "无临时文件残留");
    std::fs::remove_dir_all(&base).unwrap();
}

#[test]
fn commit_publishes_prunes_and_keeps_user_files() {
    let root = temp("commit").join("out");
    publish(
        &root,
        &[file("甲/1.pdf", "甲", b"a1"), file("甲/2.pdf", "甲", b"a2")],
    );
    std::fs::write(root.join("甲/用户笔记.txt"), b"mine").unwrap();
    let w = publish(&root, &[file("甲/1.pdf", "甲", b"A1")]);
    assert_eq!(w.removed, ["甲/2.pdf"]);
    assert_eq!(
        listing(&root),
        [
            ("文件清单.csv".to_string(), index_csv(&read_manifest(&root))),
            ("甲/1.pdf".into(), b"A1".to_vec()),
            ("甲/用户笔记.txt".into(), b"mine".to_vec()),
        ]
    );
    let m = read_manifest(&root);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].rel, "甲/1.pdf");
}

#[test]
fn dropped_transaction_leaves_previous_set() {
    let root = temp("rollback").join("out");
    publish(&root, &[file("甲/1.pdf", "甲", b"a1")]);
    let before = listing(&root);
    {
        let out = OutDir::open(&root, "测试").unwrap();
        let tx = out.begin(BUILD).unwrap();
        tx.add(&file("甲/1.pdf", "甲", b"NEW")).unwrap();
        tx.add(&file("乙/1.pdf", "乙", b"NEW")).unwrap();
        // 不提交（例如发现错误）：丢弃。
    }
    assert_eq!(listing(&root), before);
    assert!(!std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX)));
}

#[test]
fn crash_after_commit_point_is_completed_on_next_open() {
    let root = temp("recover").join("out");
    publish(
        &root,
        &[
            file("甲/1.pdf", "甲", b"old"),
            file("甲/2.pdf", "甲", b"old"),
        ],
    );
    {
        let out = OutDir::open(&root, "测试").unwrap();
        let tx = out.begin(BUILD).unwrap();
        tx.add(&file("甲/1.pdf", "甲", b"new")).unwrap();
        tx.add(&file("乙/1.pdf", "乙", b"new")).unwrap();
        tx.commit_journal_only(&Scope::default()).unwrap();
    }
    assert!(root.join(journal::JOURNAL).exists());
    let out = OutDir::open(&root, "测试").unwrap();
    assert!(out.recovery().completed);
    drop(out);
    let names: Vec<String> = listing(&root).into_iter().map(|(r, _)| r).collect();
    assert_eq!(names, ["乙/1.pdf", "文件清单.csv", "甲/1.pdf"]);
    assert_eq!(std::fs::read(root.join("甲/1.pdf")).unwrap(), b"new");
    assert!(!root.join(journal::JOURNAL).exists());
}

#[test]
fn crash_before_commit_point_is_rolled_back_and_temps_cleaned() {
    let root = temp("staging").join("out");
    publish(&root, &[file("甲/1.pdf", "甲", b"old")]);
    let before = listing(&root);
    std::fs::create_dir_all(root.join(".duban-staging-dead/甲")).unwrap();
    std::fs::write(root.join(".duban-staging-dead/甲/1.pdf"), b"half").unwrap();
    std::fs::write(root.join("甲/.1.pdf.12345.tmp"), b"old-style").unwrap();
    std::fs::write(root.join("甲/.duban-tmp-abc"), b"x").unwrap();
    let out = OutDir::open(&root, "测试").unwrap();
    assert_eq!(out.recovery().staging_removed, 1);
    assert_eq!(out.recovery().temp_removed, 2);
    assert!(out.recovery().message().is_some());
    drop(out);
    assert_eq!(listing(&root), before);
}

#[test]
fn second_open_is_refused_naming_the_holder() {
    let root = temp("lock").join("out");
    let first = OutDir::open(&root, "进程 1（duban build --today 2023-02-08）").unwrap();
    let err = OutDir::open(&root, "进程 2").unwrap_err().to_string();
    assert!(err.contains("正被另一个 duban 使用"), "{err}");
    assert!(err.contains("duban build --today 2023-02-08"), "{err}");
    drop(first);
    OutDir::open(&root, "进程 3").unwrap();
}

#[test]
fn user_file_at_target_path_is_not_overwritten() {
    let root = temp("userfile").join("out");
    publish(&root, &[file("甲/1.pdf", "甲", b"a")]);
    std::fs::write(root.join("甲/2.pdf"), b"user").unwrap();
    let out = OutDir::open(&root, "测试").unwrap();
    let tx = out.begin(BUILD).unwrap();
    tx.add(&file("甲/1.pdf", "甲", b"A")).unwrap();
    tx.add(&file("甲/2.pdf", "甲", b"B")).unwrap();
    let err = tx.commit(&Scope::default()).unwrap_err().to_string();
    assert!(err.contains("甲/2.pdf 已存在但不是 duban 生成的"), "{err}");
    assert_eq!(std::fs::read(root.join("甲/2.pdf")).unwrap(), b"user");
    assert_eq!(
        std::fs::read(root.join("甲/1.pdf")).unwrap(),
        b"a",
        "整批未发布"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_unit_folder_is_neither_written_nor_pruned() {
    let base = temp("symlink");
    let outside = base.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("2.pdf"), b"outside").unwrap();
    let root = base.join("out");
    publish(
        &root,
        &[file("甲/1.pdf", "甲", b"a"), file("甲/2.pdf", "甲", b"a")],
    );
    std::fs::remove_dir_all(root.join("甲")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("甲")).unwrap();
    // 新的一轮不再生成 甲/2.pdf（过期），又要写 甲/1.pdf：都不能经链接发生。
    let out = OutDir::open(&root, "测试").unwrap();
    let tx = out.begin(BUILD).unwrap();
    tx.add(&file("甲/1.pdf", "甲", b"A")).unwrap();
    let err = tx.commit(&Scope::default()).unwrap_err().to_string();
    assert!(err.contains("符号链接"), "{err}");
    drop(out);
    assert_eq!(std::fs::read(outside.join("2.pdf")).unwrap(), b"outside");
    assert!(!outside.join("1.pdf").exists());
    // 只有过期文件在链接后面时：不删链接后面的文件。
    let out = OutDir::open(&root, "测试").unwrap();
    let tx = out.begin(BUILD).unwrap();
    tx.add(&file("乙/1.pdf", "乙", b"B")).unwrap();
    tx.commit(&Scope::default()).unwrap();
    assert_eq!(std::fs::read(outside.join("2.pdf")).unwrap(), b"outside");
}

#[test]
fn other_commands_files_are_not_pruned_by_build() {
    let root = temp("sources").join("out");
    publish(&root, &[file("甲/1.pdf", "甲", b"a")]);
    let out = OutDir::open(&root, "测试").unwrap();
    let tx = out.begin("report").unwrap();
    tx.add(&file("汇总/2023Q2.pdf", "", b"r")).unwrap();
    let report = Scope {
        source: "report".into(),
        ..Scope::default()
    };
    assert!(
        tx.commit(&report).unwrap().removed.is_empty(),
        "report 不删 build 的文件"
    );
    drop(out);
    let w = publish(&root, &[file("甲/1.pdf", "甲", b"a2")]);
    assert!(
        w.removed.is_empty(),
        "build 不删 report 的文件：{:?}",
        w.removed
    );
    assert_eq!(std::fs::read(root.join("汇总/2023Q2.pdf")).unwrap(), b"r");
    let m = read_manifest(&root);
    assert_eq!(m.len(), 2);
    assert_eq!(
        m.iter().find(|e| e.rel.starts_with("汇总")).unwrap().source,
        "report"
    );
}
