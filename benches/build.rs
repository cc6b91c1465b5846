//! 全量构建基准：整区生成（PDF + XLSX）的 CPU 时间（用户态 + 内核态）、墙钟时间、峰值内存，
//! 以及 1×、10×、30× 放大的通知（任务重复、编号续排）下的同一组数字。
//!
//! `cargo bench --bench build`；只测原样项目：`cargo bench --bench build -- 1`；
//! 指定放大倍数与轮数：`cargo bench --bench build -- 1 10 30 --runs 5`；
//! 测别的版本（如改动前编出的可执行文件）：`cargo bench --bench build -- --bin /tmp/duban-旧版`。
//!
//! 每一轮就是用户敲的 `duban build`（cargo 为基准编出的同一个可执行文件，带 main.rs 里的分配器设置），
//! 由本基准启动、等它结束时从内核取它的 CPU 时间、峰值常驻内存和缺页次数（wait4）。
//! 进程级的数字才包括启动、加载字体、写文件和退出，也才分得清每种规模各自的峰值内存。

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// 随附通知中重点工作的任务数（“共135项”）。
const KEY_TASKS: usize = 135;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut scales: Vec<usize> = Vec::new();
    let mut runs: Option<usize> = None;
    let mut bin = PathBuf::from(env!("CARGO_BIN_EXE_duban"));
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--runs" {
            runs = it.next().and_then(|n| n.parse().ok());
        } else if a == "--bin" {
            bin = it
                .next()
                .map(PathBuf::from)
                .expect("--bin 后面写可执行文件路径");
        } else if let Ok(n) = a.parse::<usize>() {
            scales.push(n.max(1));
        }
    }
    if scales.is_empty() {
        scales = vec![1, 10, 30];
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = std::env::temp_dir().join(format!("duban-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("临时目录");
    println!(
        "整区生成（PDF + XLSX），每轮一个新进程（{}）；CPU = 用户态 + 内核态；{} 核",
        bin.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for scale in scales {
        let config = if scale == 1 {
            root.join("duban.toml")
        } else {
            scaled_project(&root, &tmp.join(format!("x{scale}")), scale)
        };
        // 小规模多跑几轮取中位数；大规模一轮就够看内存。
        let n = runs.unwrap_or(if scale == 1 { 7 } else { 2 });
        let rows: Vec<Sample> = (0..n)
            .map(|_| run_child(&bin, &config, &tmp.join(format!("out{scale}"))))
            .collect();
        report(scale, &rows);
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// 一轮的结果。
#[derive(Debug, Default, Clone)]
struct Sample {
    wall_ms: f64,
    user_ms: f64,
    sys_ms: f64,
    /// 峰值常驻内存（KiB）。
    peak_kb: u64,
    minor_faults: u64,
    units: usize,
    files: usize,
    pages: usize,
    bytes: u64,
}

/// 启动一次 `duban build`，等它结束，记下用量与输出大小，再删掉输出。
fn run_child(bin: &Path, config: &Path, out: &Path) -> Sample {
    let _ = std::fs::remove_dir_all(out);
    let log = out.with_extension("log");
    let file = std::fs::File::create(&log).expect("日志文件");
    let t = Instant::now();
    let child = Command::new(bin)
        .arg("build")
        .arg("-c")
        .arg(config)
        .arg("--out")
        .arg(out)
        // 固定生成日期：各轮、各版本生成同样的文件（与随附项目的示例报送对得上）。
        .arg("--today")
        .arg("2023-02-08")
        .stdout(Stdio::from(file.try_clone().expect("日志文件")))
        .stderr(Stdio::from(file))
        .spawn()
        .expect("启动 duban");
    let (ok, u) = wait_with_usage(child);
    let wall_ms = t.elapsed().as_secs_f64() * 1000.0;
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(ok, "duban build 失败：{text}");
    let (units, files, pages) = summary(&text);
    let s = Sample {
        wall_ms,
        user_ms: u.user_ms,
        sys_ms: u.sys_ms,
        peak_kb: u.peak_kb,
        minor_faults: u.minor_faults,
        units,
        files,
        pages,
        bytes: walk_size(out),
    };
    let _ = std::fs::remove_dir_all(out);
    let _ = std::fs::remove_file(&log);
    s
}

/// 从“已生成：单位数 68，文件数 501，页数 1056，……”里取出三个数。
fn summary(log: &str) -> (usize, usize, usize) {
    let line = log.lines().find(|l| l.contains("已生成")).unwrap_or("");
    let num = |key: &str| -> usize {
        line.split(key)
            .nth(1)
            .map(|r| {
                r.chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>()
            })
            .and_then(|d| d.parse().ok())
            .unwrap_or(0)
    };
    (num("单位数 "), num("文件数 "), num("页数 "))
}

fn report(scale: usize, rows: &[Sample]) {
    let median = |f: &dyn Fn(&Sample) -> f64| {
        let mut v: Vec<f64> = rows.iter().map(f).collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let best = |f: &dyn Fn(&Sample) -> f64| rows.iter().map(f).fold(f64::MAX, f64::min);
    let r = &rows[0];
    println!(
        "\n【{scale}×】单位 {}，文件 {}，PDF 页数 {}，共 {:.1} MB；{} 轮",
        r.units,
        r.files,
        r.pages,
        r.bytes as f64 / 1e6,
        rows.len()
    );
    type Metric<'a> = (&'a str, &'a dyn Fn(&Sample) -> f64);
    let lines: [Metric; 4] = [
        ("CPU 合计", &|s| s.user_ms + s.sys_ms),
        ("  用户态", &|s| s.user_ms),
        ("  内核态", &|s| s.sys_ms),
        ("墙钟", &|s| s.wall_ms),
    ];
    for (name, f) in lines {
        println!(
            "{name:<8} 中位 {:>9.1} ms  最快 {:>9.1} ms",
            median(f),
            best(f)
        );
    }
    let peak = rows.iter().map(|s| s.peak_kb).max().unwrap_or(0);
    let faults = median(&|s| s.minor_faults as f64);
    println!(
        "峰值内存 {:.1} MB（各轮最大）  缺页 {faults:.0} 次（中位）",
        peak as f64 / 1024.0
    );
}

/// 放大 `scale` 倍的项目：重点工作的分组标题与任务行整体重复，编号接着往下排，
/// 标题里的“共N项”随之改；原有任务的编号不变，示例报送仍然对得上。
fn scaled_project(root: &Path, dir: &Path, scale: usize) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    for sub in ["content/submissions", "templates"] {
        copy_dir(&root.join(sub), &dir.join(sub));
    }
    std::fs::copy(
        root.join("content/units.toml"),
        dir.join("content/units.toml"),
    )
    .unwrap();
    std::fs::copy(root.join("duban.toml"), dir.join("duban.toml")).unwrap();
    let notice = std::fs::read_to_string(root.join("content/notice.txt")).unwrap();
    std::fs::write(dir.join("content/notice.txt"), scale_notice(&notice, scale)).unwrap();
    dir.join("duban.toml")
}

/// 见 [`scaled_project`]。
fn scale_notice(notice: &str, scale: usize) -> String {
    let lines: Vec<&str> = notice.lines().collect();
    let head = format!("重点工作(共{KEY_TASKS}项)");
    let start = lines
        .iter()
        .position(|l| l.contains(&head))
        .expect("重点工作标题");
    let last = format!("{KEY_TASKS}.");
    let end = lines
        .iter()
        .position(|l| l.starts_with(&last))
        .expect("最后一项");
    let body: Vec<&str> = lines[start + 1..=end]
        .iter()
        .copied()
        .filter(|l| l.starts_with("——") || task_number(l).is_some())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i == start {
            let n = KEY_TASKS * scale;
            out.push(l.replace(&head, &format!("重点工作(共{n}项)")));
        } else {
            out.push(l.to_string());
        }
        if i != end {
            continue;
        }
        for copy in 1..scale {
            for l in &body {
                match task_number(l) {
                    Some((n, rest)) => out.push(format!("{}.{rest}", n + copy * KEY_TASKS)),
                    None => out.push(l.to_string()),
                }
            }
        }
    }
    out.join("\n") + "\n"
}

/// 行首的任务编号“12.”：(编号, 其后的正文)。
fn task_number(l: &str) -> Option<(usize, &str)> {
    let d = l.find(|c: char| !c.is_ascii_digit())?;
    let rest = l[d..].strip_prefix('.')?;
    Some((l[..d].parse().ok()?, rest))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// 输出目录中全部文件的字节数。
fn walk_size(dir: &Path) -> u64 {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.filter_map(|e| e.ok())
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => walk_size(&e.path()),
            _ => e.metadata().map(|m| m.len()).unwrap_or(0),
        })
        .sum()
}

/// 子进程用掉的资源。
struct Usage {
    user_ms: f64,
    sys_ms: f64,
    /// 峰值常驻内存（KiB）。
    peak_kb: u64,
    minor_faults: u64,
}

/// 等子进程结束，连同它用掉的资源：wait4(2)（std 只给退出码）。返回（是否成功, 用量）。
#[cfg(target_os = "linux")]
fn wait_with_usage(child: Child) -> (bool, Usage) {
    // struct rusage：两个 timeval（秒、微秒）后接 14 个 long；x86_64 与 aarch64 上都是 i64。
    #[repr(C)]
    struct RUsage {
        utime: [i64; 2],
        stime: [i64; 2],
        rest: [i64; 14],
    }
    extern "C" {
        fn wait4(pid: i32, status: *mut i32, options: i32, usage: *mut RUsage) -> i32;
    }
    let mut r = RUsage {
        utime: [0; 2],
        stime: [0; 2],
        rest: [0; 14],
    };
    let mut status = 0i32;
    // SAFETY：pid 是刚启动、尚未回收的子进程；status 与 r 是布局匹配的可写缓冲。
    // 回收之后不再对 `child` 调用 wait（Child 析构时不会等待）。
    let pid = unsafe { wait4(child.id() as i32, &mut status, 0, &mut r) };
    assert_eq!(pid, child.id() as i32, "wait4 失败");
    let ms = |t: [i64; 2]| t[0] as f64 * 1000.0 + t[1] as f64 / 1000.0;
    // 正常退出且退出码为 0：低 7 位为 0（不是被信号终止），次低字节是退出码。
    let ok = status & 0x7f == 0 && (status >> 8) & 0xff == 0;
    let usage = Usage {
        user_ms: ms(r.utime),
        sys_ms: ms(r.stime),
        // ru_maxrss（KiB）是第 1 个 long，ru_minflt 是第 5 个。
        peak_kb: r.rest[0] as u64,
        minor_faults: r.rest[4] as u64,
    };
    (ok, usage)
}

#[cfg(not(target_os = "linux"))]
fn wait_with_usage(mut child: Child) -> (bool, Usage) {
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    let usage = Usage {
        user_ms: 0.0,
        sys_ms: 0.0,
        peak_kb: 0,
        minor_faults: 0,
    };
    (ok, usage)
}
