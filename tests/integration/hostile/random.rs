//! 随机生成的坏输入：在夹具文件上随机截断、删行、复制行、插入语法符号或任意字节、改字节；
//! 命令行参数取随机文字。固定种子，每次运行相同，出问题时 proptest 缩小到最简输入。

use super::{check_and_build, run, run_random, Sandbox, Tally};
use proptest::prelude::*;
use std::sync::Mutex;

/// 对文件字节的一处改动（位置按文件长度取模）。
#[derive(Debug, Clone)]
pub enum Edit {
    Truncate(usize),
    DeleteLine(usize),
    DupLine(usize),
    Insert(usize, Vec<u8>),
    Set(usize, u8),
}

/// 插入的片段：各种文件格式的语法符号、中文单位名片段、任意字节、BOM、NUL、方向控制符。
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[\\[\\]{}()（）“”\"'=\\\\#,.，、；：:|%\n\r\t 0-9a-zQ区局街道牵头责任单位—]{1,12}"
            .prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 1..6),
        Just("\u{feff}".as_bytes().to_vec()),
        Just(b"\0".to_vec()),
        Just("\u{202e}".as_bytes().to_vec()),
        Just(b"{{".to_vec()),
        Just(b"{%".to_vec()),
        Just(b"[[".to_vec()),
    ]
}

pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        any::<usize>().prop_map(Edit::Truncate),
        any::<usize>().prop_map(Edit::DeleteLine),
        any::<usize>().prop_map(Edit::DupLine),
        (any::<usize>(), piece()).prop_map(|(i, p)| Edit::Insert(i, p)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
    ];
    proptest::collection::vec(edit, 1..4)
}

/// 依次做这些改动。
pub fn apply(mut b: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let n = b.len().max(1);
        let lines: Vec<(usize, usize)> = {
            let mut v = Vec::new();
            let mut start = 0;
            for (i, &c) in b.iter().enumerate() {
                if c == b'\n' {
                    v.push((start, i + 1));
                    start = i + 1;
                }
            }
            v.push((start, b.len()));
            v
        };
        match e {
            Edit::Truncate(i) => b.truncate(i % n),
            Edit::DeleteLine(i) => {
                let (s, t) = lines[i % lines.len()];
                b.drain(s..t);
            }
            Edit::DupLine(i) => {
                let (s, t) = lines[i % lines.len()];
                let line = b[s..t].to_vec();
                b.splice(s..s, line);
            }
            Edit::Insert(i, p) => {
                let at = i % (b.len() + 1);
                b.splice(at..at, p.iter().copied());
            }
            Edit::Set(i, x) => {
                if !b.is_empty() {
                    let at = i % b.len();
                    b[at] = *x;
                }
            }
        }
    }
    b
}

/// 随机改坏沙盒中的一个文件，跑 check 与 build。
fn mutate_file(sb: &Sandbox, tally: &Mutex<Tally>, cases: u32, file: &'static str) {
    run_random(
        sb,
        tally,
        cases,
        edits(),
        |sb, e| {
            let b = sb.read(file);
            sb.write(file, apply(b, e));
        },
        |_| check_and_build(),
    );
}

pub fn notice(sb: &Sandbox, tally: &Mutex<Tally>) {
    mutate_file(sb, tally, 24, "content/notice.txt");
}

pub fn registry(sb: &Sandbox, tally: &Mutex<Tally>) {
    mutate_file(sb, tally, 24, "content/units.toml");
}

pub fn submission(sb: &Sandbox, tally: &Mutex<Tally>) {
    mutate_file(sb, tally, 16, "content/submissions/区商务局-办理方案.toml");
    mutate_file(
        sb,
        tally,
        8,
        "content/submissions/区发改局-工作人员名单.toml",
    );
}

pub fn config(sb: &Sandbox, tally: &Mutex<Tally>) {
    mutate_file(sb, tally, 24, "duban.toml");
}

/// 命令行：随机文字作 --today、--quarter、--unit 或 SOURCE_DATE_EPOCH 的值。
pub fn cli(sb: &Sandbox, tally: &Mutex<Tally>) {
    let value = prop_oneof![
        "[0-9Qq\\-/ .]{0,12}",
        "\\PC{0,10}",
        "(19|20|99|00)[0-9]{2}-[0-9]{1,2}-[0-9]{1,2}",
    ];
    run_random(
        sb,
        tally,
        24,
        (0..4usize, value),
        |_, _| {},
        |(which, v)| {
            let mut r = run(&["build", "--no-pdf", "--out", "out"]);
            match which {
                0 => r.args.extend(["--today".into(), v.clone()]),
                1 => r.args.extend(["--quarter".into(), v.clone()]),
                2 => r.args.extend(["--unit".into(), v.clone()]),
                _ => r.envs.push(("SOURCE_DATE_EPOCH".into(), v.clone())),
            }
            vec![r]
        },
    );
}

/// 模板：内置催报通知模板随机改坏后作为覆盖文件，检查并生成（带 PDF）。
pub fn templates(sb: &Sandbox, tally: &Mutex<Tally>) {
    let builtin = duban::templates::BUILTIN
        .iter()
        .find(|(n, _)| *n == "tasklist.md.tera")
        .unwrap()
        .1;
    run_random(
        sb,
        tally,
        10,
        edits(),
        move |sb, e| sb.write("templates/tasklist.md.tera", apply(builtin.into(), e)),
        |_| vec![run(&["check"]), run(&["build", "--out", "out"])],
    );
}

/// 输出目录：正常生成一次后随机改坏清单或索引，再生成。
pub fn output(sb: &Sandbox, tally: &Mutex<Tally>) {
    run_random(
        sb,
        tally,
        12,
        (any::<bool>(), edits()),
        |sb, (manifest, e)| {
            sb.remove(super::environment::BAD_FIXTURE);
            sb.duban(&run(&["build", "--no-pdf", "--out", "out"]));
            assert!(sb.path("out/.duban-out").exists());
            let f = if *manifest {
                "out/.duban-out"
            } else {
                "out/文件清单.csv"
            };
            let b = sb.read(f);
            sb.write(f, apply(b, e));
        },
        |_| vec![run(&["build", "--no-pdf", "--out", "out"])],
    );
}

#[test]
fn edits_apply_within_bounds() {
    let b = b"a\nbb\nccc".to_vec();
    assert_eq!(apply(b.clone(), &[Edit::DeleteLine(1)]), b"a\nccc");
    assert_eq!(apply(b.clone(), &[Edit::DupLine(0)]), b"a\na\nbb\nccc");
    assert_eq!(apply(b.clone(), &[Edit::Truncate(4)]), b"a\nbb");
    assert_eq!(
        apply(b.clone(), &[Edit::Insert(4, b"x".to_vec())]),
        b"a\nbbx\nccc"
    );
    assert_eq!(
        apply(b.clone(), &[Edit::Insert(9, b"x".to_vec())]),
        b"xa\nbb\nccc"
    );
    assert_eq!(
        apply(Vec::new(), &[Edit::Set(3, 1), Edit::DeleteLine(5)]),
        b""
    );
}
