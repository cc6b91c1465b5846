//! 生成是事务：坏输入、崩溃（kill -9 与每个文件操作点上的中止）、两个同时运行的 duban、
//! 输出目录里的符号链接，都不能毁掉或改动上一次的完整结果，也不能碰输出目录以外的文件。

use crate::support::{self, copy_fixture_project, duban_cmd, duban_with};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// 输出目录的全部文件（相对路径 → 内容），不含锁文件；“一个完整的结果”就是这张表。
fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .filter(|(rel, _)| rel != ".duban-lock")
        .map(|(rel, p)| (rel, std::fs::read(p).unwrap_or_default()))
        .collect()
}

/// 一个完整结果的自洽性：清单里的文件都在、目录里的生成文件都在清单里、索引由清单而来。
fn assert_consistent(out: &Path, snap: &BTreeMap<String, Vec<u8>>) {
    let manifest = duban::output::read_manifest(out);
    let listed: Vec<&str> = manifest.iter().map(|e| e.rel.as_str()).collect();
    let files: Vec<&str> = snap
        .keys()
        .map(String::as_str)
        .filter(|r| !r.starts_with(".duban-") && *r != duban::output::INDEX_FILE)
        .collect();
    assert_eq!(listed, files, "清单与目录不一致");
    assert_eq!(
        snap.get(duban::output::INDEX_FILE),
        Some(&duban::output::index_csv(&manifest)),
        "索引与清单不一致"
    );
}

fn build(cfg: &Path, out: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut args = vec![
        "-c",
        cfg.to_str().unwrap(),
        "build",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    duban_with(&args, envs)
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let t = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&t).unwrap();
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

/// 两轮不同的生成：A（2月8日，第二季度）与 B（7月25日：第三季度附表3、另一批催报通知）。
struct Rounds {
    cfg: PathBuf,
    a: BTreeMap<String, Vec<u8>>,
    b: BTreeMap<String, Vec<u8>>,
    a_dir: PathBuf,
}

const A: &[&str] = &["--today", "2023-02-08"];
const B: &[&str] = &["--today", "2023-07-25"];

fn rounds(name: &str) -> Rounds {
    let dir = support::temp_dir(name);
    let cfg = copy_fixture_project(&dir.join("project"), &|_, b| b);
    let a_dir = dir.join("ref-a");
    assert!(build(&cfg, &a_dir, A, &[]).status.success());
    let b_dir = dir.join("ref-b");
    assert!(build(&cfg, &b_dir, B, &[]).status.success());
    let (a, b) = (snapshot(&a_dir), snapshot(&b_dir));
    assert_ne!(a, b, "两轮结果应不同");
    assert_consistent(&a_dir, &a);
    // B 覆盖 A 时，A 有而 B 没有的文件要删（第二季度附表3 等）。
    assert!(a.keys().any(|k| !b.contains_key(k)));
    Rounds { cfg, a, b, a_dir }
}

/// 崩溃之后：任何一次打开输出目录（这里用库入口，与下次运行 duban 相同）都得到 A 或 B 的完整结果。
fn assert_a_or_b(out: &Path, r: &Rounds, what: &str) -> char {
    drop(duban::output::OutDir::open(out, "测试恢复").unwrap());
    let got = snapshot(out);
    assert_consistent(out, &got);
    if got == r.a {
        'A'
    } else if got == r.b {
        'B'
    } else {
        let extra: Vec<&String> = got
            .keys()
            .filter(|k| !r.a.contains_key(*k) && !r.b.contains_key(*k))
            .collect();
        panic!("{what}：既不是 A 也不是 B；多出 {extra:?}");
    }
}

/// 在每一类文件操作点上中止进程（暂存写入、提交日志、逐个改名、删除过期文件、换索引与清单）。
#[test]
fn abort_at_every_write_phase_leaves_previous_or_new_set() {
    let r = rounds("abort");
    let manifest = |snap: &BTreeMap<String, Vec<u8>>| {
        snap.keys()
            .filter(|k| !k.starts_with(".duban-") && *k != duban::output::INDEX_FILE)
            .count()
    };
    let (na, nb) = (manifest(&r.a), manifest(&r.b));
    let stale = r
        .a
        .keys()
        .filter(|k| {
            !k.starts_with(".duban-") && !r.b.contains_key(*k) && *k != duban::output::INDEX_FILE
        })
        .count();
    // 暂存 nb 个文件、日志 1、改名 nb、删除 stale、索引与清单 2、删日志 1。
    let total = nb + 1 + nb + stale + 2 + 1;
    assert!(na > 0 && total > 40, "{na} {nb} {stale}");
    let mut points: Vec<usize> = (1..=total).step_by((total / 24).max(1)).collect();
    points.extend([
        nb,
        nb + 1,
        nb + 2,
        2 * nb + 1,
        2 * nb + 2,
        total - 2,
        total - 1,
        total,
    ]);
    points.sort();
    points.dedup();
    let mut seen = BTreeMap::new();
    for k in points {
        let out = support::temp_dir(&format!("abort-{k}")).join("out");
        copy_dir(&r.a_dir, &out);
        let o = build(
            &r.cfg,
            &out,
            B,
            &[("DUBAN_TEST_ABORT_AFTER", &k.to_string())],
        );
        let which = assert_a_or_b(&out, &r, &format!("第 {k} 次文件操作时中止"));
        // 第 nb+1 次是写提交日志：在它之前（含）中止得 A，之后得 B。
        let want = if k <= nb + 1 { 'A' } else { 'B' };
        assert_eq!(which, want, "第 {k} 次操作中止（暂存 {nb} 个）：{o:?}");
        *seen.entry(which).or_insert(0) += 1;
    }
    assert!(
        seen.len() == 2 && seen.values().sum::<usize>() >= 20,
        "{seen:?}"
    );
}

/// 真正的 kill -9，落在生成过程中随机的时刻。
#[cfg(unix)]
#[test]
fn kill_9_at_random_moments_leaves_previous_or_new_set() {
    let r = rounds("kill");
    // 一次不被打断的 B 用时，作为随机时刻的范围。
    let probe = support::temp_dir("kill-probe").join("out");
    copy_dir(&r.a_dir, &probe);
    let t = std::time::Instant::now();
    assert!(build(&r.cfg, &probe, B, &[]).status.success());
    let span = t.elapsed().as_micros() as u64;
    // 固定种子的线性同余序列：失败可复现。
    let mut seed: u64 = 0x2023_0725;
    let mut tally = BTreeMap::new();
    for i in 0..24 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = (seed >> 33) % (span + span / 4).max(1);
        let out = support::temp_dir(&format!("kill-{i}")).join("out");
        copy_dir(&r.a_dir, &out);
        let mut args: Vec<String> = [
            "-c",
            r.cfg.to_str().unwrap(),
            "build",
            "--out",
            out.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(B.iter().map(|s| s.to_string()));
        let mut child = duban_cmd()
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(delay));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let which = assert_a_or_b(&out, &r, &format!("{delay} 微秒时 kill -9（{status:?}）"));
        *tally.entry(which).or_insert(0) += 1;
    }
    eprintln!("kill -9 24 次：{tally:?}");
}

/// 两个 duban 同时写同一个输出目录：一个等不到锁就说明持有者并停止，结果是其中一轮的完整结果。
#[test]
fn concurrent_builds_never_mix() {
    let r = rounds("concurrent");
    for round in 0..4 {
        let out = support::temp_dir(&format!("concurrent-{round}")).join("out");
        copy_dir(&r.a_dir, &out);
        let spawn = |extra: &[&str]| {
            let mut args: Vec<String> = [
                "-c",
                r.cfg.to_str().unwrap(),
                "build",
                "--out",
                out.to_str().unwrap(),
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            args.extend(extra.iter().map(|s| s.to_string()));
            duban_cmd().args(&args).output()
        };
        let (x, y) = std::thread::scope(|s| {
            let x = s.spawn(|| spawn(A).unwrap());
            let y = s.spawn(|| spawn(B).unwrap());
            (x.join().unwrap(), y.join().unwrap())
        });
        for o in [&x, &y] {
            if !o.status.success() {
                let e = String::from_utf8_lossy(&o.stderr);
                assert!(
                    e.contains("正被另一个 duban 使用") && e.contains("进程"),
                    "{e}"
                );
            }
        }
        assert!(x.status.success() || y.status.success());
        assert_a_or_b(&out, &r, &format!("第 {round} 轮并发"));
    }
}

/// 坏输入（报送、通知、登记册、配置）：不发布，上次的完整结果逐字节不变；--force 才照样生成。
#[test]
fn bad_inputs_leave_previous_set_untouched() {
    let dir = support::temp_dir("bad-inputs");
    let out = dir.join("out");
    let cfg = copy_fixture_project(&dir.join("project"), &|_, b| b);
    let project = cfg.parent().unwrap().to_path_buf();
    assert!(build(&cfg, &out, A, &[]).status.success());
    let good = snapshot(&out);
    let notice = project.join("content/notice.txt");
    let text = std::fs::read_to_string(&notice).unwrap();
    let cases: Vec<(&str, PathBuf, Vec<u8>)> = vec![
        (
            "错误报送",
            project.join("content/submissions/错误.toml"),
            std::fs::read(support::fixture(
                "bad-submission/金口街道办事处-错误示例.toml",
            ))
            .unwrap(),
        ),
        (
            "通知中途截断",
            notice.clone(),
            text.as_bytes()[..text.len() / 2].to_vec(),
        ),
        (
            "配置日期不存在",
            cfg.clone(),
            std::fs::read_to_string(&cfg)
                .unwrap()
                .replace(
                    "today = \"2023-02-08\"",
                    "today = \"2023-02-08\"\n[deadlines]\nquarterly_day = 40",
                )
                .into_bytes(),
        ),
    ];
    for (what, path, bytes) in cases {
        let original = std::fs::read(&path).ok();
        std::fs::write(&path, &bytes).unwrap();
        let o = build(&cfg, &out, &["--today", "2023-07-25"], &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_ne!(o.status.code(), Some(0), "{what}：{err}");
        assert_eq!(snapshot(&out), good, "{what}：输出目录被改动\n{err}");
        match original {
            Some(b) => std::fs::write(&path, b).unwrap(),
            None => std::fs::remove_file(&path).unwrap(),
        }
    }
    // --force：有错误也照样发布（退出码仍为 1）。
    std::fs::write(
        project.join("content/submissions/错误.toml"),
        std::fs::read(support::fixture(
            "bad-submission/金口街道办事处-错误示例.toml",
        ))
        .unwrap(),
    )
    .unwrap();
    let o = build(&cfg, &out, &["--today", "2023-07-25", "--force"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let forced = snapshot(&out);
    assert_ne!(forced, good);
    assert_consistent(&out, &forced);
}

/// 单位文件夹被换成指向外部的符号链接、外部放了同名文件、又预先种下一批可预测的临时文件链接：
/// 生成报错并停止，外部文件一个字节都不变。
#[cfg(unix)]
#[test]
fn symlinks_in_out_never_touch_outside_files() {
    let dir = support::temp_dir("symlinks");
    let out = dir.join("out");
    let cfg = copy_fixture_project(&dir.join("project"), &|_, b| b);
    assert!(build(&cfg, &out, A, &[]).status.success());
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let unit = out.join("区财政局");
    for e in std::fs::read_dir(&unit).unwrap().flatten() {
        std::fs::write(outside.join(e.file_name()), b"outside").unwrap();
    }
    std::fs::remove_dir_all(&unit).unwrap();
    std::os::unix::fs::symlink(&outside, &unit).unwrap();
    // 旧版的临时文件名是 .文件名.进程号.tmp：为一段进程号种下指向外部文件的链接。
    let victim = outside.join("victim.txt");
    std::fs::write(&victim, b"victim").unwrap();
    let dept = out.join("区发改局");
    for pid in 1..2000 {
        let _ =
            std::os::unix::fs::symlink(&victim, dept.join(format!(".01-任务清单.pdf.{pid}.tmp")));
    }
    let before = snapshot(&outside);
    let o = build(&cfg, &out, B, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("符号链接"), "{err}");
    assert_eq!(snapshot(&outside), before, "外部文件被改动");
    assert!(std::fs::symlink_metadata(&unit)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// 单位名像公式（=1+2、=HYPERLINK(…)）：文件清单.csv 中是文字，不会被电子表格当公式执行。
#[test]
fn formula_like_unit_names_are_text_in_csv() {
    let dir = support::temp_dir("csv-injection");
    let cfg = copy_fixture_project(&dir.join("project"), &|p, b| {
        if p.ends_with("units.toml") {
            String::from_utf8(b)
                .unwrap()
                .replacen(
                    "name = \"区财政局\"\nkind = \"区直部门\"\naliases = [\"区财政局(金融办)\"]",
                    "name = \"=1+2\"\nkind = \"区直部门\"\naliases = [\"区财政局\", \"区财政局(金融办)\"]",
                    1,
                )
                .into_bytes()
        } else {
            b
        }
    });
    let out = dir.join("out");
    let o = build(&cfg, &out, &["--no-pdf"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join(duban::output::INDEX_FILE)).unwrap();
    assert!(csv.contains("\"'=1+2\",\"'=1+2/"), "{csv}");
    assert!(
        !csv.lines()
            .any(|l| l.starts_with("\"=") || l.contains(",\"=")),
        "{csv}"
    );
}
